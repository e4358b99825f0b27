#pragma once

#include "http/httpserverconfig.h"
#include "shell/servercontrol.h"

#include <QHostAddress>
#include <QThread>

#include <memory>
#include <mutex>

namespace Hearth {

class Engine;
class HttpServer;
class SecretStore;

// The server inside the console: Engine + HttpServer on the data folder,
// driven from the GUI through ServerControl. Opening the database, starting
// and stopping happen on a control thread of their own, and the HttpServer
// answers on its IO and worker threads: the GUI thread never waits on the
// server and never handles a request.
//
// Secrets (through SecretStore, service "Hearth", one entry per data folder):
// - the console's admin credentials: on a new data folder the root admin is
//   created with a generated strong password, which is kept there, so the
//   console signs in by itself on every start;
// - the token signing key: kept in the keychain when one answers and handed to
//   the engine in HEARTH_SECRET_KEY (an existing secret.key is taken over; the
//   file stays for `hearth serve`). Without a keychain the engine keeps using
//   the data folder's 0600 secret.key.
class EmbeddedServer : public ServerControl
{
    Q_OBJECT
public:
    EmbeddedServer(const QString &dataDir, const HttpServerConfig &config, SecretStore *secrets,
                   QObject *parent = nullptr);
    ~EmbeddedServer() override; // shutdown()

    State state() const override { return m_state; }
    QString lastError() const override { return m_error; }
    QList<QUrl> urls() const override { return m_urls; }
    QUrl consoleUrl() const override { return m_consoleUrl; }
    bool servesLan() const override { return m_lan; }
    QString dataDir() const override { return m_dataDir; }
    qint64 totalRequests() const override;
    Credentials credentials() const override { return m_credentials; }
    void rememberCredentials(const Credentials &credentials) override;

    // Stops serving and closes the database; blocks until done. For the end of
    // the program, after the event loop has returned.
    void shutdown();

public slots:
    void start() override;
    void stop() override;
    void restart() override;
    void setServeLan(bool lan) override;

private:
    struct Launch
    {
        QString error;
        QHostAddress address;
        quint16 port = 0;
        QString adminEmail;
        QString adminPassword; // set when this start created the root admin
    };

    void prepareSecrets();
    void launch();
    void launched(const Launch &result);
    void setState(State state, const QString &error = {});
    HttpServerConfig currentConfig() const;
    QString credentialsKey() const;
    QString signingKeyKey() const;

    QString m_dataDir;
    HttpServerConfig m_config;
    SecretStore *m_secrets;
    QThread m_thread;
    QObject *m_context; // lives on m_thread: the engine and the server are driven from there
    // Touched on m_thread only (under m_serverMutex, which totalRequests() tries too).
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<HttpServer> m_server;
    mutable std::mutex m_serverMutex;
    mutable qint64 m_lastTotal = -1;

    State m_state = State::Stopped;
    QString m_error;
    QList<QUrl> m_urls;
    QUrl m_consoleUrl;
    bool m_lan;
    bool m_secretsReady = false;
    bool m_preparing = false;
    bool m_restartPending = false;
    QString m_signingKey; // from the keychain, for the engine's first open
    Credentials m_credentials;
};

} // namespace Hearth
