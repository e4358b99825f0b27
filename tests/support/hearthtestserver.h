#pragma once

#include "http/httpserverconfig.h"

#include <QJsonValue>
#include <QString>
#include <QTemporaryDir>

#include <memory>

#include "testhttpclient.h"

namespace Hearth {

class Engine;
class HttpServer;

// A complete Hearth (engine + HTTP server) on an ephemeral loopback port with
// its data in a fresh temporary folder, as API tests need it.
class HearthTestServer
{
public:
    explicit HearthTestServer(HttpServerConfig config = quietConfig());
    ~HearthTestServer();

    bool start(); // false (with a QWARN) when it cannot
    void stop();
    // Stops and starts again on the same data folder (schema survives restart).
    bool restart();

    quint16 port() const;
    // The root admin every test server starts with, and a fresh access token for it.
    static QString adminEmail() { return QStringLiteral("admin@hearth.test"); }
    static QString adminPassword() { return QStringLiteral("admin-password-1"); }
    QByteArray adminToken(); // cached after the first login
    // A client signed in as the root admin.
    std::unique_ptr<Test::TestHttpClient> adminClient();
    // Sets a /hearth_setting by key as the root admin (creating a setting of the user's own when
    // absent); false, with a QWARN saying why, when the server refuses.
    bool setSetting(const QString &key, const QJsonValue &value);
    QString dataDir() const { return m_dataDir.path(); }
    Engine &engine() { return *m_engine; }

    static HttpServerConfig quietConfig();

private:
    QByteArray m_adminToken;
    HttpServerConfig m_config;
    QTemporaryDir m_dataDir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<HttpServer> m_server;
};

} // namespace Hearth
