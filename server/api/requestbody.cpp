#include "api/requestbody.h"

#include "core/apierror.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>

namespace Hearth {

namespace {
// Table routes always take JSON, whatever the client labels it (curl -d says
// form-urlencoded); only upload types, which are never JSON, are refused.
bool isUploadContentType(const QByteArray &contentType)
{
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    return type == "multipart/form-data" || type == "application/octet-stream";
}
} // namespace

QJsonObject parseJsonObjectBody(const HttpRequest &request)
{
    if (request.body.trimmed().isEmpty())
        return {};
    if (!request.bodyFilePath.isEmpty() || isUploadContentType(request.header("content-type")))
        throw ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                       QStringLiteral("Send the body as application/json (got %1)")
                           .arg(QString::fromLatin1(request.header("content-type"))));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(request.body);
    if (decoder.hasError())
        throw ApiError::badRequest(QStringLiteral("Request body is not valid UTF-8"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError::badRequest(QStringLiteral("Malformed JSON body: %1 at offset %2")
                                       .arg(error.errorString())
                                       .arg(error.offset));
    if (!doc.isObject())
        throw ApiError::badRequest(QStringLiteral("Request body must be a JSON object"));
    return doc.object();
}

} // namespace Hearth
