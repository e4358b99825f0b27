#include "api/methodnotallowed.h"

#include "core/apierror.h"

namespace Hearth {

HttpResponse methodNotAllowed(const HttpRequest &request, const QByteArray &allow)
{
    const QByteArray method = request.isHead ? QByteArray("HEAD") : request.method;
    HttpResponse response = HttpResponse::json(
        405, errorEnvelope(ApiError(405, "METHOD_NOT_ALLOWED",
                                    QStringLiteral("Cannot %1 %2")
                                        .arg(QString::fromLatin1(method), QString::fromUtf8(request.path))),
                           {request.path, method, request.correlationId}));
    response.setHeader("Allow", allow);
    return response;
}

} // namespace Hearth
