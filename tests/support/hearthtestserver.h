#pragma once

#include "http/httpserverconfig.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

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
    QString dataDir() const { return m_dataDir.path(); }
    Engine &engine() { return *m_engine; }

    static HttpServerConfig quietConfig();

private:
    HttpServerConfig m_config;
    QTemporaryDir m_dataDir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<HttpServer> m_server;
};

} // namespace Hearth
