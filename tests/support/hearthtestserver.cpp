#include "hearthtestserver.h"

#include "api/apirequesthandler.h"
#include "engine/engine.h"
#include "http/httpserver.h"
#include "testhttpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QtTest>

namespace Hearth {

HttpServerConfig HearthTestServer::quietConfig()
{
    HttpServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.workerCount = 2;
    config.logRequests = false;
    return config;
}

HearthTestServer::HearthTestServer(HttpServerConfig config) : m_config(std::move(config)) {}

HearthTestServer::~HearthTestServer()
{
    stop();
}

bool HearthTestServer::start()
{
    try {
        EngineConfig config;
        config.dataDir = m_dataDir.path();
        config.adminEmail = adminEmail();
        config.adminPassword = adminPassword();
        m_engine = std::make_unique<Engine>(config);
        m_engine->open();
    } catch (const std::exception &e) {
        qWarning("cannot open engine: %s", e.what());
        return false;
    }
    m_server = std::make_unique<HttpServer>(m_config, std::make_shared<ApiRequestHandlerFactory>(*m_engine));
    m_engine->setServerStatsProvider([server = m_server.get()] { return server->stats().toJson(); });
    QString error;
    if (!m_server->start(&error)) {
        qWarning("cannot start server: %s", qPrintable(error));
        return false;
    }
    return true;
}

void HearthTestServer::stop()
{
    m_adminToken.clear();
    if (m_server)
        m_server->stop();
    m_server.reset();
    m_engine.reset();
}

bool HearthTestServer::restart()
{
    const quint16 previous = port();
    stop();
    m_config.port = previous; // same port, so clients can reconnect
    return start();
}

std::unique_ptr<TestHttpClient> HearthTestServer::adminClient()
{
    auto client = std::make_unique<TestHttpClient>(port());
    client->setBearerToken(adminToken());
    return client;
}

bool HearthTestServer::setSetting(const QString &key, const QJsonValue &value)
{
    const std::unique_ptr<TestHttpClient> admin = adminClient();
    const QByteArray filter = QUrl::toPercentEncoding(
        QString::fromUtf8(QJsonDocument(QJsonObject{{"key", key}}).toJson(QJsonDocument::Compact)));
    const HttpReply found = admin->get("/hearth_setting?fields=id&filter=" + filter);
    HttpReply answer =
        found.data().isEmpty()
            ? admin->post("/hearth_setting", QJsonObject{{"key", key}, {"value", value}})
            : admin->patch("/hearth_setting/" +
                               QByteArray::number(found.data().at(0).toObject().value("id").toInteger()),
                           QJsonObject{{"value", value}});
    if (answer.status != 200 && answer.status != 201) {
        qWarning("setting %s: %s", qPrintable(key), qPrintable(answer.describe()));
        return false;
    }
    return true;
}

QByteArray HearthTestServer::adminToken()
{
    if (!m_adminToken.isEmpty())
        return m_adminToken;
    TestHttpClient client(port());
    const HttpReply reply =
        client.post("/auth/login", QJsonObject{{"email", adminEmail()}, {"password", adminPassword()}});
    if (reply.status != 200)
        qWarning("admin login failed: %s", qPrintable(reply.describe()));
    m_adminToken = reply.object().value("accessToken").toString().toLatin1();
    return m_adminToken;
}

quint16 HearthTestServer::port() const
{
    return m_server ? m_server->port() : 0;
}

} // namespace Hearth
