#pragma once

#include "http/httpserverconfig.h"
#include "http/irequesthandler.h"
#include "http/iwebsocketgateway.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <memory>
#include <vector>

namespace Hearth {

class HttpServerPrivate;

// Live numbers for /admin/runtime and the console.
struct HttpServerStats
{
    int workerCount = 0;
    qint64 openConnections = 0;
    qint64 totalConnections = 0;
    qint64 totalRequests = 0;
    QList<qint64> connectionsPerWorker;

    QJsonObject toJson() const
    {
        QJsonArray perWorker;
        for (qint64 n : connectionsPerWorker)
            perWorker.append(double(n));
        return {{QStringLiteral("workers"), workerCount},
                {QStringLiteral("connections"), double(openConnections)},
                {QStringLiteral("totalConnections"), double(totalConnections)},
                {QStringLiteral("totalRequests"), double(totalRequests)},
                {QStringLiteral("connectionsPerWorker"), perWorker}};
    }
};

// The HTTP/1.1 server: accepts on its own IO thread and hands each connection
// to the least-busy of N worker threads, each with its own event loop and
// IRequestHandler. Never handles a request on the thread that calls start().
class HttpServer : public QObject
{
    Q_OBJECT
public:
    HttpServer(HttpServerConfig config, std::shared_ptr<IRequestHandlerFactory> handlers,
               QObject *parent = nullptr);
    ~HttpServer() override; // stops if running

    void addWebSocketGateway(std::shared_ptr<IWebSocketGatewayFactory> gateway); // before start()

    // Binds and starts the workers; returns once ready to accept (or false with a reason).
    bool start(QString *errorMessage = nullptr);
    // Stops accepting, lets in-flight requests finish (up to shutdownGraceMs),
    // closes every connection and joins the threads. Blocks until done.
    void stop();

    bool isRunning() const;
    QHostAddress address() const;
    quint16 port() const; // the bound port (useful with port 0)
    HttpServerStats stats() const;

private:
    std::unique_ptr<HttpServerPrivate> d;
};

} // namespace Hearth
