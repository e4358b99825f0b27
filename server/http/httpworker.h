#pragma once

#include "http/httpcors.h"
#include "http/httpserverconfig.h"
#include "http/irequesthandler.h"
#include "http/iwebsocketgateway.h"

#include <QList>
#include <QPointer>
#include <QSemaphore>
#include <QSet>
#include <QThread>

#include <atomic>
#include <map>
#include <memory>

class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace Hearth {

class HttpConnection;

// One worker thread: its own event loop, its own IRequestHandler and
// WebSocket gateways (all created and destroyed on this thread), and the
// connections handed to it by the IO thread.
class HttpWorker : public QThread
{
    Q_OBJECT
public:
    HttpWorker(int index, const HttpServerConfig &config, std::shared_ptr<IRequestHandlerFactory> handlers,
               QList<std::shared_ptr<IWebSocketGatewayFactory>> gateways, QObject *parent = nullptr);
    ~HttpWorker() override; // the thread must have finished (shutdown() + wait())

    // Starts the thread; returns once the handler and gateways exist.
    bool startWorker(QString *errorMessage);

    // --- any thread ---
    // Gives an accepted socket to this worker; it is counted at once, so the
    // IO thread's next choice already sees it.
    void addConnection(qintptr descriptor);
    // Stops reading new requests, lets in-flight ones finish within graceMs,
    // closes every connection and ends the thread. Returns at once.
    void shutdown(int graceMs);

    int index() const { return m_index; }
    qint64 openConnections() const { return m_openConnections.load(std::memory_order_relaxed); }
    qint64 totalRequests() const { return m_totalRequests.load(std::memory_order_relaxed); }
    // Inside one handler call for longer than thresholdMs (a long script):
    // new connections should go elsewhere.
    bool isBusyFor(qint64 nowMs, qint64 thresholdMs) const;

    // --- worker thread (HttpConnection) ---
    const HttpServerConfig &config() const { return m_config; }
    const HttpCors &cors() const { return m_cors; }
    IRequestHandler *handler() const { return m_handler.get(); }
    bool hasWebSocketGateways() const { return !m_gatewayFactories.isEmpty(); }
    bool hasWebSocketGateway(const QByteArray &path) const;
    // The socket's unread bytes must be exactly the handshake request; what
    // the client sent after it is trailingBytes, returned after the upgrade.
    void handOffWebSocket(QTcpSocket *socket, QByteArray trailingBytes);
    bool isShuttingDown() const { return m_shuttingDown; }
    void enterHandler(qint64 nowMs);
    void leaveHandler();
    void countRequest() { m_totalRequests.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed(HttpConnection *connection);

protected:
    void run() override;

private:
    void acceptConnection(qintptr descriptor);
    void beginShutdown(int graceMs);
    void forceClose();
    void sweepDeadlines();
    void acceptWebSockets();
    void resumeUpgradedSocket(const QWebSocket *webSocket);
    int sweepIntervalMs() const;

    const int m_index;
    const HttpServerConfig m_config;
    const HttpCors m_cors;
    std::shared_ptr<IRequestHandlerFactory> m_handlerFactory;
    QList<std::shared_ptr<IWebSocketGatewayFactory>> m_gatewayFactories;

    QSemaphore m_ready;
    QString m_startError;
    QObject *m_context = nullptr; // lives on the worker thread; target of queued calls

    // worker thread only
    std::unique_ptr<IRequestHandler> m_handler;
    std::map<QByteArray, std::unique_ptr<IWebSocketGateway>> m_gateways;
    QWebSocketServer *m_webSocketServer = nullptr;
    struct PendingUpgrade
    {
        QPointer<QTcpSocket> socket; // handed to m_webSocketServer, not upgraded yet
        QByteArray trailingBytes;
    };
    QList<PendingUpgrade> m_handshaking;
    QTimer *m_sweepTimer = nullptr;
    QSet<HttpConnection *> m_connections;
    bool m_shuttingDown = false;
    int m_handlerDepth = 0;

    std::atomic<qint64> m_openConnections{0};
    std::atomic<qint64> m_totalRequests{0};
    std::atomic<qint64> m_handlerSinceMs{0}; // 0 = not inside a handler
};

} // namespace Hearth
