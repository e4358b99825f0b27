#pragma once

#include <QByteArray>

#include <memory>

class QWebSocket;

namespace Hearth {

// A WebSocket endpoint. The HTTP layer hands an upgraded connection to the
// gateway registered for the request path, on the worker thread that owns the
// connection; the gateway takes ownership of the QWebSocket.
class IWebSocketGateway
{
public:
    virtual ~IWebSocketGateway() = default;
    virtual void accept(QWebSocket *socket) = 0;
};

// Creates the per-worker gateway for one path, on the worker thread.
class IWebSocketGatewayFactory
{
public:
    virtual ~IWebSocketGatewayFactory() = default;
    virtual QByteArray path() const = 0; // e.g. "/ws/events"
    virtual std::unique_ptr<IWebSocketGateway> create(int workerIndex) = 0;
};

} // namespace Hearth
