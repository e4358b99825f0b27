#pragma once

#include "http/irequesthandler.h"

#include <QByteArray>

// The tiny JSON every tiny floor answers: the same body as Hearth's `GET /`.
inline const QByteArray &floorTinyBody()
{
    static const QByteArray body =
        QByteArrayLiteral(R"({"statusCode":200,"data":[{"name":"Hearth","version":"0.1.0"}],"message":"Success"})");
    return body;
}

// The whole reply of the minimal responder (status line, the two headers a
// client needs, body).
inline const QByteArray &floorTinyResponse()
{
    static const QByteArray response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                       QByteArray::number(floorTinyBody().size()) + "\r\n\r\n" +
                                       floorTinyBody();
    return response;
}

// Hearth's HttpServer with the least possible handler.
class FloorTinyHandler : public Hearth::IRequestHandler
{
public:
    void handle(const Hearth::HttpRequest &, Hearth::HttpResponder respond) override
    {
        respond(Hearth::HttpResponse::json(200, floorTinyBody()));
    }
};

class FloorTinyHandlerFactory : public Hearth::IRequestHandlerFactory
{
public:
    std::unique_ptr<Hearth::IRequestHandler> create(int) override { return std::make_unique<FloorTinyHandler>(); }
};
