#include "api/envelope.h"

namespace Hearth {

QByteArray Envelope::data(int statusCode, const QByteArray &dataJson, const QByteArray &metaJson)
{
    QByteArray out;
    out.reserve(dataJson.size() + metaJson.size() + 64);
    out += "{\"statusCode\":";
    out += QByteArray::number(statusCode);
    out += ",\"data\":";
    out += dataJson;
    if (!metaJson.isEmpty()) {
        out += ",\"meta\":";
        out += metaJson;
    }
    out += ",\"message\":\"Success\"}";
    return out;
}

QByteArray Envelope::success(int statusCode)
{
    return "{\"statusCode\":" + QByteArray::number(statusCode) + ",\"message\":\"Success\"}";
}

} // namespace Hearth
