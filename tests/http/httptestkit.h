#pragma once

// Shared by the tests/http executables: a request handler that echoes what
// it received (plus a few routes with special behaviour), a WebSocket echo
// gateway, and a helper that starts a real HttpServer on an ephemeral port.

#include "core/apierror.h"
#include "http/httpserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <atomic>
#include <memory>
#include <stdexcept>

namespace Hearth::TestKit {

struct Counters
{
    std::atomic<int> handlersCreated{0};
    std::atomic<int> handlersDestroyed{0};
    std::atomic<int> handlersCreatedOnMainThread{0};
    std::atomic<int> handlersDestroyedOnMainThread{0};
    QSemaphore slowRequestStarted; // released when /delay or /sleep begins
};

inline Counters &counters()
{
    static Counters c;
    return c;
}

inline bool onMainThread()
{
    return QThread::currentThread() == QCoreApplication::instance()->thread();
}

inline int queryInt(const HttpRequest &r, const char *key, int fallback)
{
    const QUrlQuery query(QString::fromUtf8(r.rawQuery));
    bool ok = false;
    const int value = query.queryItemValue(QLatin1String(key)).toInt(&ok);
    return ok ? value : fallback;
}

// Routes:
//   /delay?ms=N      answers after N ms from a QTimer (asynchronous answer)
//   /sleep?ms=N      blocks the worker thread for N ms, then answers
//   /throw           throws ApiError 409 CONFLICT
//   /throw-std       throws std::runtime_error("secret internals")
//   /twice           calls respond twice (the second must be dropped)
//   /status?code=N   answers N with an empty body
//   /close-me        answers with "Connection: close" (the handler ends the connection)
//   /big?bytes=N     answers N bytes of text
//   anything else    echoes the request as JSON
class EchoHandler : public IRequestHandler
{
public:
    explicit EchoHandler(int worker) : m_worker(worker)
    {
        ++counters().handlersCreated;
        if (onMainThread())
            ++counters().handlersCreatedOnMainThread;
    }
    ~EchoHandler() override
    {
        ++counters().handlersDestroyed;
        if (onMainThread())
            ++counters().handlersDestroyedOnMainThread;
    }

    void handle(const HttpRequest &r, HttpResponder respond) override
    {
        if (r.path == "/throw")
            throw ApiError(409, "CONFLICT", QStringLiteral("Already there"));
        if (r.path == "/throw-std")
            throw std::runtime_error("secret internals");
        if (r.path == "/delay") {
            counters().slowRequestStarted.release();
            HttpResponse response = echo(r);
            QTimer::singleShot(queryInt(r, "ms", 100), [respond, response] { respond(response); });
            return;
        }
        if (r.path == "/sleep") {
            counters().slowRequestStarted.release();
            QThread::msleep(ulong(queryInt(r, "ms", 2000)));
            respond(echo(r));
            return;
        }
        if (r.path == "/twice") {
            respond(echo(r));
            respond(HttpResponse::json(500, "{\"second\":true}"));
            return;
        }
        if (r.path == "/status") {
            HttpResponse response;
            response.status = queryInt(r, "code", 200);
            response.contentType.clear();
            respond(response);
            return;
        }
        if (r.path == "/close-me") {
            HttpResponse response = echo(r);
            response.setHeader("Connection", "close");
            respond(response);
            return;
        }
        if (r.path == "/big") {
            HttpResponse response;
            response.contentType = "text/plain";
            response.body = QByteArray(queryInt(r, "bytes", 1000), 'b');
            respond(response);
            return;
        }
        respond(echo(r));
    }

    HttpResponse echo(const HttpRequest &r) const
    {
        QJsonObject headers;
        for (const HttpHeader &h : r.headers)
            headers.insert(QString::fromLatin1(h.name), QString::fromUtf8(h.value));
        QJsonObject o{
            {"method", QString::fromLatin1(r.method)},
            {"path", QString::fromUtf8(r.path)},
            {"target", QString::fromUtf8(r.target)},
            {"query", QString::fromUtf8(r.rawQuery)},
            {"body", QString::fromUtf8(r.body)},
            {"headers", headers},
            {"isHead", r.isHead},
            {"keepAlive", r.keepAlive},
            {"httpMinor", r.httpMinor},
            {"worker", m_worker},
            {"mainThread", onMainThread()},
            {"correlationId", QString::fromLatin1(r.correlationId)},
            {"peer", r.peerAddress.toString()},
        };
        if (!r.bodyFilePath.isEmpty()) {
            QFile file(r.bodyFilePath);
            o.insert("bodyFile", r.bodyFilePath);
            if (file.open(QIODevice::ReadOnly)) {
                const QByteArray content = file.readAll();
                o.insert("bodyFileSize", content.size());
                o.insert("bodyFileHead", QString::fromLatin1(content.left(32)));
            }
        }
        HttpResponse response = HttpResponse::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
        response.setHeader("X-Echo", "yes");
        return response;
    }

private:
    int m_worker;
};

class EchoHandlerFactory : public IRequestHandlerFactory
{
public:
    std::unique_ptr<IRequestHandler> create(int workerIndex) override
    {
        return std::make_unique<EchoHandler>(workerIndex);
    }
};

// Echoes every text and binary message back.
class EchoGateway : public IWebSocketGateway
{
public:
    void accept(QWebSocket *socket) override
    {
        socket->setParent(&m_owner);
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [socket](const QString &message) { socket->sendTextMessage(message); });
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                         [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
        QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    }

private:
    QObject m_owner; // created and destroyed on the worker thread with the gateway
};

class EchoGatewayFactory : public IWebSocketGatewayFactory
{
public:
    QByteArray path() const override { return "/ws/echo"; }
    std::unique_ptr<IWebSocketGateway> create(int) override { return std::make_unique<EchoGateway>(); }
};

inline HttpServerConfig testConfig()
{
    HttpServerConfig config;
    config.port = 0;
    config.workerCount = 2;
    config.logRequests = false;
    config.shutdownGraceMs = 5000;
    return config;
}

// A started server, or null (with the reason in *error).
inline std::unique_ptr<HttpServer> startServer(const HttpServerConfig &config, QString *error,
                                               bool withWebSocket = false)
{
    auto server = std::make_unique<HttpServer>(config, std::make_shared<EchoHandlerFactory>());
    if (withWebSocket)
        server->addWebSocketGateway(std::make_shared<EchoGatewayFactory>());
    if (!server->start(error))
        return nullptr;
    return server;
}

} // namespace Hearth::TestKit
