#include "http/httpworker.h"

#include "http/httpclock.h"
#include "http/httpconnection.h"
#include "http/httplogging.h"
#include "http/httpsocketops.h"

#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <vector>

namespace Hearth {

HttpWorker::HttpWorker(int index, const HttpServerConfig &config,
                       std::shared_ptr<IRequestHandlerFactory> handlers,
                       QList<std::shared_ptr<IWebSocketGatewayFactory>> gateways, QObject *parent)
    : QThread(parent), m_index(index), m_config(config), m_cors(config.corsAllowedOrigins),
      m_handlerFactory(std::move(handlers)), m_gatewayFactories(std::move(gateways))
{
    setObjectName(QStringLiteral("hearth-http-%1").arg(index));
}

HttpWorker::~HttpWorker()
{
    Q_ASSERT(!isRunning());
}

bool HttpWorker::startWorker(QString *errorMessage)
{
    start();
    m_ready.acquire();
    if (!m_startError.isEmpty()) {
        wait();
        if (errorMessage)
            *errorMessage = m_startError;
        return false;
    }
    return true;
}

void HttpWorker::run()
{
    QObject context;
    try {
        m_handler = m_handlerFactory->create(m_index);
        if (!m_handler)
            m_startError = QStringLiteral("the request handler factory created no handler");
        for (const auto &factory : std::as_const(m_gatewayFactories)) {
            if (!m_startError.isEmpty())
                break;
            std::unique_ptr<IWebSocketGateway> gateway = factory->create(m_index);
            if (!gateway)
                m_startError =
                    QStringLiteral("no WebSocket gateway for %1").arg(QString::fromUtf8(factory->path()));
            else
                m_gateways[factory->path()] = std::move(gateway);
        }
    } catch (const std::exception &e) {
        m_startError = QString::fromLocal8Bit(e.what());
    } catch (...) {
        m_startError = QStringLiteral("unknown error while creating the request handler");
    }
    if (!m_startError.isEmpty()) {
        m_gateways.clear();
        m_handler.reset();
        m_ready.release();
        return;
    }

    if (!m_gateways.empty()) {
        m_webSocketServer =
            new QWebSocketServer(QStringLiteral("Hearth"), QWebSocketServer::NonSecureMode, &context);
        connect(m_webSocketServer, &QWebSocketServer::newConnection, &context,
                [this] { acceptWebSockets(); });
    }
    m_sweepTimer = new QTimer(&context);
    connect(m_sweepTimer, &QTimer::timeout, &context, [this] { sweepDeadlines(); });
    m_sweepTimer->start(sweepIntervalMs());
    m_context = &context;
    m_ready.release();

    exec();

    // Tear down on this thread, in dependency order: connections use the
    // handler and the gateways; the handler goes last (it may own a database).
    m_sweepTimer->stop();
    const QSet<HttpConnection *> remaining = std::exchange(m_connections, {});
    for (HttpConnection *connection : remaining)
        delete connection;
    m_openConnections.fetch_sub(remaining.size(), std::memory_order_relaxed);
    m_gateways.clear();
    m_handshaking.clear();
    delete m_webSocketServer;
    m_webSocketServer = nullptr;
    m_handler.reset();
    m_context = nullptr;
}

int HttpWorker::sweepIntervalMs() const
{
    // A quarter of the shortest timeout keeps every deadline within 25 % late.
    const HttpLimits &l = m_config.limits;
    const int shortest = qMin(l.idleTimeoutMs, qMin(l.headerTimeoutMs, l.bodyTimeoutMs));
    return qBound(10, shortest / 4, 1000);
}

void HttpWorker::addConnection(qintptr descriptor)
{
    m_openConnections.fetch_add(1, std::memory_order_relaxed);
    QMetaObject::invokeMethod(
        m_context, [this, descriptor] { acceptConnection(descriptor); }, Qt::QueuedConnection);
}

void HttpWorker::acceptConnection(qintptr descriptor)
{
    if (m_shuttingDown) {
        closeSocketDescriptor(descriptor);
        m_openConnections.fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    auto *connection = new HttpConnection(this);
    if (!connection->start(descriptor)) { // start() closed the descriptor
        delete connection;
        m_openConnections.fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    m_connections.insert(connection);
}

void HttpWorker::connectionClosed(HttpConnection *connection)
{
    if (!m_connections.remove(connection))
        return;
    m_openConnections.fetch_sub(1, std::memory_order_relaxed);
    connection->deleteLater();
    if (m_shuttingDown && m_connections.isEmpty())
        quit();
}

void HttpWorker::shutdown(int graceMs)
{
    QMetaObject::invokeMethod(
        m_context, [this, graceMs] { beginShutdown(graceMs); }, Qt::QueuedConnection);
}

void HttpWorker::beginShutdown(int graceMs)
{
    m_shuttingDown = true;
    const QSet<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->drain();
    if (m_connections.isEmpty()) {
        quit();
        return;
    }
    QTimer::singleShot(qMax(0, graceMs), m_context, [this] { forceClose(); });
}

void HttpWorker::forceClose()
{
    const QSet<HttpConnection *> connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->abortNow();
    quit();
}

void HttpWorker::sweepDeadlines()
{
    const qint64 now = monotonicMs();
    std::vector<HttpConnection *> expired;
    for (HttpConnection *connection : std::as_const(m_connections))
        if (connection->isPastDeadline(now))
            expired.push_back(connection);
    for (HttpConnection *connection : expired)
        if (m_connections.contains(connection))
            connection->onDeadline();
}

bool HttpWorker::isBusyFor(qint64 nowMs, qint64 thresholdMs) const
{
    const qint64 since = m_handlerSinceMs.load(std::memory_order_relaxed);
    return since != 0 && nowMs - since > thresholdMs;
}

void HttpWorker::enterHandler(qint64 nowMs)
{
    if (m_handlerDepth++ == 0)
        m_handlerSinceMs.store(nowMs, std::memory_order_relaxed);
}

void HttpWorker::leaveHandler()
{
    if (--m_handlerDepth == 0)
        m_handlerSinceMs.store(0, std::memory_order_relaxed);
}

bool HttpWorker::hasWebSocketGateway(const QByteArray &path) const
{
    return m_gateways.find(path) != m_gateways.end();
}

void HttpWorker::handOffWebSocket(QTcpSocket *socket, QByteArray trailingBytes)
{
    // Like a socket accepted by QWebSocketServer itself, it is a child of the
    // server side and is deleted on disconnect by QWebSocketServer.
    socket->setParent(m_webSocketServer);
    m_handshaking.removeIf([](const PendingUpgrade &p) { return !p.socket; }); // failed ones were deleted
    m_handshaking.append({socket, std::move(trailingBytes)});
    m_webSocketServer->handleConnection(socket);
}

void HttpWorker::resumeUpgradedSocket(const QWebSocket *webSocket)
{
    for (qsizetype i = 0; i < m_handshaking.size(); ++i) {
        QTcpSocket *tcp = m_handshaking.at(i).socket;
        if (!tcp || tcp->peerPort() != webSocket->peerPort() ||
            tcp->peerAddress() != webSocket->peerAddress())
            continue;
        const QByteArray trailing = m_handshaking.takeAt(i).trailingBytes;
        // Frames the client sent right behind its handshake go back in front
        // of anything received since, and QWebSocket, which reads only on
        // readyRead, is told they are there once the gateway listens.
        for (qsizetype k = trailing.size() - 1; k >= 0; --k)
            tcp->ungetChar(trailing.at(k));
        if (tcp->bytesAvailable() > 0)
            QMetaObject::invokeMethod(
                tcp, [tcp] { Q_EMIT tcp->readyRead(); }, Qt::QueuedConnection);
        return;
    }
}

void HttpWorker::acceptWebSockets()
{
    while (m_webSocketServer->hasPendingConnections()) {
        QWebSocket *socket = m_webSocketServer->nextPendingConnection();
        if (!socket)
            break;
        const QByteArray path = socket->requestUrl().path(QUrl::FullyDecoded).toUtf8();
        auto it = m_gateways.find(path);
        if (it == m_gateways.end()) {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated);
            socket->deleteLater();
            continue;
        }
        it->second->accept(socket);
        resumeUpgradedSocket(socket);
    }
}

} // namespace Hearth
