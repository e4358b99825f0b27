#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

namespace Hearth {

// The console's handle on a server running in this process (the embedded
// server). Implemented by the app, which owns the server; the ui only sees this
// interface, so it never includes a server header. Every call returns at once:
// starting and stopping happen on another thread and are reported through
// stateChanged().
class ServerControl : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Stopped,
        Starting,
        Running,
        Stopping,
        Failed // could not start; lastError() says why
    };
    Q_ENUM(State)

    // Who the console signs in as on this server (the root admin it created on
    // first start, kept in the keychain). Empty password: unknown, ask the user.
    struct Credentials
    {
        QString email;
        QString password;
    };

    using QObject::QObject;

    virtual State state() const = 0;
    virtual QString lastError() const = 0;
    // Where clients reach the server: the URL the console uses first (loopback),
    // then every LAN address when bound to all interfaces. Empty unless running.
    virtual QList<QUrl> urls() const = 0;
    // The URL the console itself talks to.
    virtual QUrl consoleUrl() const = 0;
    virtual bool servesLan() const = 0;
    virtual QString dataDir() const = 0;
    // Requests answered since start (-1 when unknown): the status bar's
    // requests/s when the server has no /admin/runtime.
    virtual qint64 totalRequests() const = 0;
    virtual Credentials credentials() const = 0;
    // Keeps credentials for the next start (the keychain), e.g. after the user signed in by hand.
    virtual void rememberCredentials(const Credentials &credentials) = 0;

public slots:
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual void restart() = 0;
    // Serve the LAN (all interfaces) or loopback only: restarts the server when running.
    virtual void setServeLan(bool lan) = 0;

signals:
    void stateChanged(Hearth::ServerControl::State state);
    // Something the user should read once, e.g. "secrets are kept in a file".
    void notice(const QString &text);
};

inline bool operator==(const ServerControl::Credentials &a, const ServerControl::Credentials &b)
{
    return a.email == b.email && a.password == b.password;
}

} // namespace Hearth
