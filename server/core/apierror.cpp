#include "core/apierror.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hearth {

ApiError::ApiError(int status, QByteArray code, QString message, QJsonValue details)
    : m_status(status), m_code(code.isEmpty() ? defaultCode(status) : std::move(code)),
      m_message(std::move(message)), m_details(std::move(details))
{
    m_what = m_message.toString().toUtf8();
}

ApiError ApiError::validation(const QStringList &messages, QJsonValue details)
{
    ApiError e(400, "VALIDATION_ERROR", messages.join(QStringLiteral("; ")), std::move(details));
    e.m_message = QJsonArray::fromStringList(messages);
    return e;
}

ApiError ApiError::badRequest(const QString &message, QJsonValue details)
{
    return ApiError(400, "BAD_REQUEST", message, std::move(details));
}

ApiError ApiError::notFound(const QString &message)
{
    return ApiError(404, "NOT_FOUND", message);
}

ApiError ApiError::conflict(const QString &message, QJsonValue details)
{
    return ApiError(409, "CONFLICT", message, std::move(details));
}

ApiError ApiError::internal()
{
    return ApiError(500, "INTERNAL_ERROR", QStringLiteral("Internal server error"));
}

QString ApiError::messageText() const
{
    if (m_message.isArray()) {
        QStringList parts;
        for (const QJsonValue &v : m_message.toArray())
            parts << v.toString();
        return parts.join(QStringLiteral("; "));
    }
    return m_message.toString();
}

QByteArray ApiError::defaultCode(int status)
{
    switch (status) {
    case 400:
        return "BAD_REQUEST";
    case 401:
        return "UNAUTHORIZED";
    case 403:
        return "FORBIDDEN";
    case 404:
        return "NOT_FOUND";
    case 405:
        return "METHOD_NOT_ALLOWED";
    case 408:
        return "REQUEST_TIMEOUT";
    case 409:
        return "CONFLICT";
    case 411:
        return "LENGTH_REQUIRED";
    case 413:
        return "PAYLOAD_TOO_LARGE";
    case 414:
        return "URI_TOO_LONG";
    case 415:
        return "UNSUPPORTED_MEDIA_TYPE";
    case 417:
        return "EXPECTATION_FAILED";
    case 422:
        return "UNPROCESSABLE_ENTITY";
    case 429:
        return "RATE_LIMIT_EXCEEDED";
    case 431:
        return "HEADERS_TOO_LARGE";
    case 501:
        return "NOT_IMPLEMENTED";
    case 503:
        return "SERVICE_UNAVAILABLE";
    case 505:
        return "HTTP_VERSION_NOT_SUPPORTED";
    default:
        return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
    }
}

namespace {
QByteArray jsonValue(const QJsonValue &value)
{
    // QJsonDocument only holds arrays and objects: wrap, then drop the brackets.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}
QByteArray jsonString(const QString &text)
{
    return jsonValue(QJsonValue(text));
}
} // namespace

QByteArray errorEnvelope(const ApiError &error, const ErrorOrigin &origin)
{
    // Written by hand to keep API.md's key order (QJsonObject sorts keys).
    QByteArray out;
    out.reserve(256);
    out += "{\"success\":false,\"statusCode\":" + QByteArray::number(error.status());
    out += ",\"message\":" + jsonValue(error.message());
    out += ",\"error\":{\"code\":" + jsonString(QString::fromLatin1(error.code()));
    out += ",\"message\":" + jsonString(error.messageText());
    if (!error.details().isUndefined() && !error.details().isNull())
        out += ",\"details\":" + jsonValue(error.details());
    out += ",\"timestamp\":" + jsonString(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    out += ",\"path\":" + jsonString(QString::fromUtf8(origin.path));
    out += ",\"method\":" + jsonString(QString::fromLatin1(origin.method));
    out += ",\"correlationId\":" + jsonString(QString::fromLatin1(origin.correlationId));
    out += "}}";
    return out;
}

} // namespace Hearth
