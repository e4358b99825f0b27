#pragma once

#include "http/httpresponse.h"

#include <QByteArray>
#include <QByteArrayView>

namespace Hearth {

// Puts a response on the wire: status line, the headers the HTTP layer owns
// (Server, Date, Content-Type, Content-Length, Connection, X-Correlation-Id,
// CORS), the handler's own headers, then the body, all in one buffer.
class HttpResponseEncoder
{
public:
    struct Context
    {
        QByteArrayView correlationId;
        QByteArrayView corsOrigin;    // Access-Control-Allow-Origin value; empty = no CORS headers
        bool isHead = false;          // headers as for GET, no body
        bool close = false;           // Connection: close
        bool keepAliveHttp10 = false; // Connection: keep-alive for an HTTP/1.0 client
    };

    // Appends the encoded response to out; without includeBody only the head
    // (the caller writes a large body itself, without copying it).
    static void encode(const HttpResponse &response, const Context &context, QByteArray &out,
                       bool includeBody = true);
    static QByteArrayView reasonPhrase(int status);
    // "Sun, 06 Nov 1994 08:49:37 GMT", formatted once per second and thread.
    static QByteArrayView httpDate();
    // Whether a response with this status carries no body and no Content-Length.
    static bool isBodyless(int status) { return status < 200 || status == 204 || status == 304; }
};

} // namespace Hearth
