#include "query/optionvalue.h"

#include "core/apierror.h"

#include <QJsonArray>

#include <cmath>

namespace Hearth {

qint64 integerOption(const QJsonValue &value, QStringView name, qint64 minimum)
{
    bool ok = false;
    qint64 n = 0;
    if (value.isDouble()) {
        const double d = value.toDouble();
        ok = std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.2e18;
        n = ok ? qint64(d) : 0;
    } else if (value.isString()) {
        // Digits only: no sign, no spaces, no exponent.
        const QString text = value.toString();
        ok = !text.isEmpty() && text.size() <= 18;
        for (QChar c : text)
            ok = ok && c >= u'0' && c <= u'9';
        n = ok ? text.toLongLong() : 0;
    }
    if (!ok || n < minimum)
        throw ApiError::badRequest(
            QStringLiteral("Invalid %1: expected an integer of at least %2").arg(name).arg(minimum));
    return n;
}

QString listOption(const QJsonValue &value, QStringView name)
{
    if (value.isString())
        return value.toString();
    if (value.isUndefined() || value.isNull())
        return {};
    if (value.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                throw ApiError::badRequest(QStringLiteral("Invalid %1: expected a string").arg(name));
            parts << item.toString();
        }
        return parts.join(u',');
    }
    throw ApiError::badRequest(QStringLiteral("Invalid %1: expected a string").arg(name));
}

} // namespace Hearth
