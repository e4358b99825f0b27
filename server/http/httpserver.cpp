#include "http/httpserver.h"

#include "http/httpclock.h"
#include "http/httplistener.h"
#include "http/httplogging.h"
#include "http/httpworker.h"

#include <QThread>

#include <atomic>

namespace Hearth {

namespace {

// A worker inside one handler call for longer than this is running a long
// script; new connections go to the others while one is available.
constexpr qint64 kBusyWorkerMs = 1000;
constexpr int kListenBacklog = 1024;

} // namespace

class HttpServerPrivate
{
public:
    HttpServerPrivate(HttpServerConfig c, std::shared_ptr<IRequestHandlerFactory> h)
        : config(std::move(c)), handlers(std::move(h))
    {}

    // IO thread: picks the worker for a new connection.
    bool place(qintptr descriptor);
    void stopWorkers();

    const HttpServerConfig config;
    const std::shared_ptr<IRequestHandlerFactory> handlers;
    QList<std::shared_ptr<IWebSocketGatewayFactory>> gateways;

    std::vector<std::unique_ptr<HttpWorker>> workers;
    std::unique_ptr<QThread> ioThread;
    QObject *ioContext = nullptr; // lives on the IO thread
    HttpListener *listener = nullptr;
    bool running = false;
    QHostAddress boundAddress;
    quint16 boundPort = 0;
    std::size_t nextWorker = 0; // IO thread: where the next tie-break starts

    std::atomic<qint64> totalConnections{0};
    qint64 requestsOfStoppedWorkers = 0;
};

bool HttpServerPrivate::place(qintptr descriptor)
{
    qint64 open = 0;
    for (const auto &worker : workers)
        open += worker->openConnections();
    if (open >= config.limits.maxConnections)
        return false;

    // Fewest open connections wins, skipping a worker stuck in a long handler
    // call while another is available; ties rotate so bursts spread out.
    const qint64 now = monotonicMs();
    HttpWorker *best = nullptr;
    HttpWorker *bestBusy = nullptr;
    const std::size_t n = workers.size();
    for (std::size_t k = 0; k < n; ++k) {
        HttpWorker *worker = workers[(nextWorker + k) % n].get();
        HttpWorker *&slot = worker->isBusyFor(now, kBusyWorkerMs) ? bestBusy : best;
        if (!slot || worker->openConnections() < slot->openConnections())
            slot = worker;
    }
    HttpWorker *chosen = best ? best : bestBusy;
    nextWorker = (std::size_t(chosen->index()) + 1) % n;
    chosen->addConnection(descriptor);
    totalConnections.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void HttpServerPrivate::stopWorkers()
{
    for (const auto &worker : workers)
        worker->shutdown(config.shutdownGraceMs);
    for (const auto &worker : workers) {
        worker->wait();
        requestsOfStoppedWorkers += worker->totalRequests();
    }
    workers.clear();
}

HttpServer::HttpServer(HttpServerConfig config, std::shared_ptr<IRequestHandlerFactory> handlers,
                       QObject *parent)
    : QObject(parent), d(std::make_unique<HttpServerPrivate>(std::move(config), std::move(handlers)))
{}

HttpServer::~HttpServer()
{
    stop();
}

void HttpServer::addWebSocketGateway(std::shared_ptr<IWebSocketGatewayFactory> gateway)
{
    if (d->running) {
        qCWarning(lcHttp, "addWebSocketGateway() after start() is ignored");
        return;
    }
    d->gateways.append(std::move(gateway));
}

bool HttpServer::start(QString *errorMessage)
{
    if (d->running)
        return true;
    auto failWith = [&](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };
    if (!d->handlers)
        return failWith(QStringLiteral("No request handler factory"));

    const int count =
        d->config.workerCount > 0 ? d->config.workerCount : qMax(2, QThread::idealThreadCount());
    for (int i = 0; i < count; ++i) {
        auto worker = std::make_unique<HttpWorker>(i, d->config, d->handlers, d->gateways);
        QString error;
        if (!worker->startWorker(&error)) {
            d->stopWorkers();
            return failWith(QStringLiteral("Worker %1 could not start: %2").arg(i).arg(error));
        }
        d->workers.push_back(std::move(worker));
    }

    d->ioThread = std::make_unique<QThread>();
    d->ioThread->setObjectName(QStringLiteral("hearth-http-io"));
    d->ioThread->start();
    d->ioContext = new QObject;
    d->ioContext->moveToThread(d->ioThread.get());

    bool listening = false;
    QString listenError;
    HttpServerPrivate *p = d.get();
    QMetaObject::invokeMethod(
        d->ioContext,
        [&] {
            p->listener =
                new HttpListener([p](qintptr descriptor) { return p->place(descriptor); }, p->ioContext);
            p->listener->setListenBacklogSize(kListenBacklog);
            listening = p->listener->listen(p->config.address, p->config.port);
            if (listening) {
                p->boundAddress = p->listener->serverAddress();
                p->boundPort = p->listener->serverPort();
            } else {
                listenError = p->listener->errorString();
                delete p->listener;
                p->listener = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);

    if (!listening) {
        QMetaObject::invokeMethod(d->ioContext, &QObject::deleteLater);
        d->ioThread->quit();
        d->ioThread->wait();
        d->ioThread.reset();
        d->ioContext = nullptr;
        d->stopWorkers();
        return failWith(QStringLiteral("Cannot listen on %1:%2: %3")
                            .arg(d->config.address.toString())
                            .arg(d->config.port)
                            .arg(listenError));
    }
    d->running = true;
    return true;
}

void HttpServer::stop()
{
    if (!d->running)
        return;
    // Stop accepting first; refusals in progress go with the listener.
    HttpServerPrivate *p = d.get();
    QMetaObject::invokeMethod(
        d->ioContext,
        [p] {
            delete p->listener;
            p->listener = nullptr;
            p->ioContext->deleteLater(); // runs as the thread finishes
        },
        Qt::BlockingQueuedConnection);
    d->ioThread->quit();
    d->ioThread->wait();
    d->ioThread.reset();
    d->ioContext = nullptr;

    d->stopWorkers();
    d->running = false;
}

bool HttpServer::isRunning() const
{
    return d->running;
}

QHostAddress HttpServer::address() const
{
    return d->running ? d->boundAddress : d->config.address;
}

quint16 HttpServer::port() const
{
    return d->running ? d->boundPort : d->config.port;
}

HttpServerStats HttpServer::stats() const
{
    HttpServerStats stats;
    stats.workerCount = int(d->workers.size());
    stats.totalConnections = d->totalConnections.load(std::memory_order_relaxed);
    stats.totalRequests = d->requestsOfStoppedWorkers;
    for (const auto &worker : d->workers) {
        const qint64 open = worker->openConnections();
        stats.openConnections += open;
        stats.totalRequests += worker->totalRequests();
        stats.connectionsPerWorker.append(open);
    }
    return stats;
}

} // namespace Hearth
