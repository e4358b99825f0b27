#include "auth/duration.h"

#include <QtNumeric>

namespace Hearth {

namespace {

// Seconds in one unit, 0 for a character that is no unit.
qint64 unitSeconds(char16_t unit)
{
    switch (unit) {
    case u's':
        return 1;
    case u'm':
        return 60;
    case u'h':
        return 60 * 60;
    case u'd':
        return 24 * 60 * 60;
    case u'w':
        return 7 * 24 * 60 * 60;
    default:
        return 0;
    }
}

} // namespace

std::optional<qint64> parseDurationSeconds(QStringView text)
{
    if (text.isEmpty())
        return std::nullopt;
    qint64 unit = unitSeconds(text.back().unicode());
    const QStringView digits = unit ? text.chopped(1) : text;
    if (!unit)
        unit = 1; // plain seconds
    if (digits.isEmpty())
        return std::nullopt;
    qint64 value = 0;
    for (QChar c : digits) {
        // ASCII digits only: QChar::isDigit() would also take other scripts' digits.
        if (c.unicode() < u'0' || c.unicode() > u'9')
            return std::nullopt;
        if (qMulOverflow(value, qint64(10), &value) ||
            qAddOverflow(value, qint64(c.unicode() - u'0'), &value))
            return std::nullopt;
    }
    if (qMulOverflow(value, unit, &value))
        return std::nullopt;
    return value;
}

} // namespace Hearth
