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

int hexQuad(const QByteArray &json, qsizetype at)
{
    if (at + 4 > json.size())
        return -1;
    int value = 0;
    for (qsizetype i = at; i < at + 4; ++i) {
        const char c = json[i];
        const int digit = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

// QJsonDocument accepts things RFC 8259 refuses, and would store them raw or
// altered: control characters (U+0000-U+001F) inside strings, unknown
// escapes ("\q" read as "q"), and \u escapes naming a lone UTF-16 surrogate
// (stored as '?'). Run on text it has parsed; returns the offset of the first
// such thing, or -1.
qsizetype strictJsonViolation(const QByteArray &json, QString *what)
{
    bool inString = false;
    const qsizetype size = json.size();
    for (qsizetype i = 0; i < size; ++i) {
        const uchar c = uchar(json[i]);
        if (!inString) {
            inString = c == '"';
            continue;
        }
        if (c == '"') {
            inString = false;
        } else if (c < 0x20) {
            *what = QStringLiteral("unescaped control character in a string");
            return i;
        } else if (c == '\\' && i + 1 < size) {
            const qsizetype escape = i;
            const char kind = json[++i];
            if (kind != 'u') {
                if (!QByteArrayView("\"\\/bfnrt").contains(kind)) {
                    *what = QStringLiteral("invalid escape in a string");
                    return escape;
                }
                continue;
            }
            const int unit = hexQuad(json, i + 1);
            i += 4;
            if (unit >= 0xD800 && unit <= 0xDBFF && i + 2 < size && json[i + 1] == '\\' &&
                json[i + 2] == 'u') {
                const int low = hexQuad(json, i + 3);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    i += 6;
                    continue;
                }
            }
            if (unit >= 0xD800 && unit <= 0xDFFF) {
                *what = QStringLiteral("lone UTF-16 surrogate in a \\u escape");
                return escape;
            }
        }
    }
    return -1;
}
} // namespace

QJsonObject parseJsonObjectBody(const HttpRequest &request)
{
    // Checked first: an upload streamed to disk leaves body empty.
    if (!request.bodyFilePath.isEmpty() || isUploadContentType(request.header("content-type")))
        throw ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                       QStringLiteral("Send the body as application/json (got %1)")
                           .arg(QString::fromLatin1(request.header("content-type"))));
    if (request.body.trimmed().isEmpty())
        return {};
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
    QString violation;
    if (const qsizetype offset = strictJsonViolation(request.body, &violation); offset >= 0)
        throw ApiError::badRequest(
            QStringLiteral("Malformed JSON body: %1 at offset %2").arg(violation).arg(offset));
    if (!doc.isObject())
        throw ApiError::badRequest(QStringLiteral("Request body must be a JSON object"));
    return doc.object();
}

} // namespace Hearth
