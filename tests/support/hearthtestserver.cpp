#include "hearthtestserver.h"

#include "api/apirequesthandler.h"
#include "engine/engine.h"
#include "http/httpserver.h"

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
        m_engine = std::make_unique<Engine>(EngineConfig{m_dataDir.path()});
        m_engine->open();
    } catch (const std::exception &e) {
        qWarning("cannot open engine: %s", e.what());
        return false;
    }
    m_server = std::make_unique<HttpServer>(m_config, std::make_shared<ApiRequestHandlerFactory>(*m_engine));
    QString error;
    if (!m_server->start(&error)) {
        qWarning("cannot start server: %s", qPrintable(error));
        return false;
    }
    return true;
}

void HearthTestServer::stop()
{
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

quint16 HearthTestServer::port() const
{
    return m_server ? m_server->port() : 0;
}

} // namespace Hearth
