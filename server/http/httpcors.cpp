#include "http/httpcors.h"

namespace Hearth {

HttpCors::HttpCors(const QStringList &allowedOrigins)
{
    for (const QString &origin : allowedOrigins) {
        if (origin == QLatin1String("*"))
            m_any = true;
        else if (!origin.isEmpty())
            m_origins.append(origin.toUtf8());
    }
}

QByteArray HttpCors::allowOrigin(QByteArrayView origin) const
{
    if (origin.isEmpty())
        return {};
    if (m_any)
        return QByteArrayLiteral("*");
    for (const QByteArray &allowed : m_origins)
        if (allowed == origin)
            return allowed;
    return {};
}

bool HttpCors::isPreflight(const HttpRequest &request)
{
    return request.method == "OPTIONS" && request.hasHeader("origin") &&
           request.hasHeader("access-control-request-method");
}

HttpResponse HttpCors::preflightResponse(const HttpRequest &request) const
{
    HttpResponse response;
    const QByteArray origin = allowOrigin(request.header("origin"));
    if (origin.isEmpty()) {
        response.status = 0;
        return response;
    }
    response.status = 204;
    response.contentType.clear();
    response.headers.reserve(5);
    response.headers.append({QByteArrayLiteral("Access-Control-Allow-Origin"), origin});
    response.headers.append({QByteArrayLiteral("Access-Control-Allow-Methods"),
                             QByteArrayLiteral("GET, POST, PATCH, PUT, DELETE, OPTIONS")});
    const QByteArray requested = request.header("access-control-request-headers");
    if (!requested.isEmpty())
        response.headers.append({QByteArrayLiteral("Access-Control-Allow-Headers"), requested});
    response.headers.append({QByteArrayLiteral("Access-Control-Max-Age"), QByteArrayLiteral("600")});
    response.headers.append({QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin")});
    return response;
}

} // namespace Hearth
