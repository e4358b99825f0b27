#pragma once

#include "http/httprequest.h"
#include "http/httpresponse.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace Hearth {

// Cross-origin rules from HttpServerConfig::corsAllowedOrigins: exact
// origins, or "*" for any. Preflights are answered by the HTTP layer itself.
class HttpCors
{
public:
    explicit HttpCors(const QStringList &allowedOrigins);

    // The Access-Control-Allow-Origin value for this Origin, or empty when the
    // origin is not allowed (or CORS is off).
    QByteArray allowOrigin(QByteArrayView origin) const;

    // OPTIONS with Origin and Access-Control-Request-Method.
    static bool isPreflight(const HttpRequest &request);
    // 204 with the Access-Control-* headers, or empty status 0 when refused.
    HttpResponse preflightResponse(const HttpRequest &request) const;

private:
    QList<QByteArray> m_origins;
    bool m_any = false;
};

} // namespace Hearth
