#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace Hearth {

struct HttpHeader
{
    QByteArray name; // lower-case
    QByteArray value;
};

// One parsed HTTP/1.x request, as handed to an IRequestHandler.
struct HttpRequest
{
    QByteArray method;   // upper-case as sent; HEAD is passed on as "GET" with isHead set
    QByteArray target;   // request-target as sent ("/posts?limit=5")
    QByteArray path;     // target before '?', percent-decoded
    QByteArray rawQuery; // target after '?', not decoded
    int httpMinor = 1;   // HTTP/1.0 or HTTP/1.1
    bool isHead = false;
    bool keepAlive = true;
    QList<HttpHeader> headers;
    QByteArray body;      // the whole body (JSON and other small bodies)
    QString bodyFilePath; // set instead of body when an upload was streamed to disk
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    QByteArray correlationId; // also sent back as X-Correlation-Id
    qint64 receivedAtMs = 0;  // QDateTime::currentMSecsSinceEpoch() when the header block was complete

    // First value of a header; name must be lower-case.
    QByteArray header(QByteArrayView lowerName) const
    {
        for (const HttpHeader &h : headers)
            if (h.name == lowerName)
                return h.value;
        return {};
    }
    bool hasHeader(QByteArrayView lowerName) const
    {
        for (const HttpHeader &h : headers)
            if (h.name == lowerName)
                return true;
        return false;
    }
};

} // namespace Hearth
