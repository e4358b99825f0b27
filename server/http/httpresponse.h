#pragma once

#include "http/httprequest.h"

#include <QByteArray>
#include <QList>

namespace Hearth {

// A response as produced by a handler. The HTTP layer adds Content-Length,
// Date, Connection, X-Correlation-Id and CORS headers itself.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QList<HttpHeader> headers; // extra headers; names in any case
    QByteArray body;

    void setHeader(const QByteArray &name, const QByteArray &value)
    {
        for (HttpHeader &h : headers)
            if (h.name.compare(name, Qt::CaseInsensitive) == 0) {
                h.value = value;
                return;
            }
        headers.append({name, value});
    }

    static HttpResponse json(int status, QByteArray body)
    {
        HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
};

} // namespace Hearth
