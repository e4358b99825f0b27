#include "data/valuecoercion.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace Hearth {

namespace {

inline int digit(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'0' && u <= u'9') ? int(u - u'0') : -1;
}

// n decimal digits at text[pos…]; -1 if any is not a digit.
int digits(QStringView text, qsizetype pos, int n)
{
    if (pos + n > text.size())
        return -1;
    int value = 0;
    for (int i = 0; i < n; ++i) {
        const int d = digit(text[pos + i]);
        if (d < 0)
            return -1;
        value = value * 10 + d;
    }
    return value;
}

bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeapYear(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
qint64 daysFromCivil(qint64 y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civilFromDays(qint64 z, qint64 *year, int *month, int *day)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    *day = int(doy - (153 * mp + 2) / 5 + 1);
    *month = int(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

void appendPadded(QByteArray &out, qint64 value, int width)
{
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = char('0' + value % 10);
        value /= 10;
    }
    out.append(buf, width);
}

// Milliseconds since the epoch → stored form; false outside years 0000–9999.
bool formatUtc(qint64 msecs, QByteArray *out)
{
    constexpr qint64 kDayMs = 86'400'000;
    qint64 days = msecs / kDayMs;
    qint64 rest = msecs % kDayMs;
    if (rest < 0) {
        rest += kDayMs;
        --days;
    }
    qint64 y;
    int m, d;
    civilFromDays(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return false;
    QByteArray s;
    s.reserve(24);
    appendPadded(s, y, 4);
    s += '-';
    appendPadded(s, m, 2);
    s += '-';
    appendPadded(s, d, 2);
    s += 'T';
    appendPadded(s, rest / 3'600'000, 2);
    s += ':';
    appendPadded(s, rest / 60'000 % 60, 2);
    s += ':';
    appendPadded(s, rest / 1000 % 60, 2);
    s += '.';
    appendPadded(s, rest % 1000, 3);
    s += 'Z';
    *out = std::move(s);
    return true;
}

// YYYY-MM-DD at the start of text.
bool parseDatePart(QStringView text, int *y, int *m, int *d)
{
    if (text.size() < 10 || text[4] != u'-' || text[7] != u'-')
        return false;
    *y = digits(text, 0, 4);
    *m = digits(text, 5, 2);
    *d = digits(text, 8, 2);
    if (*y < 0 || *m < 1 || *m > 12 || *d < 1)
        return false;
    return *d <= daysInMonth(*y, *m);
}

QString optionsError(const QStringList &options)
{
    return QStringLiteral("must be one of: ") + options.join(QStringLiteral(", "));
}

QByteArray stringValue(const QJsonValue &value)
{
    return value.toString().toUtf8();
}

} // namespace

bool normalizeUuid(QStringView text, QByteArray *canonical)
{
    if (text.size() != 36)
        return false;
    QByteArray out(36, Qt::Uninitialized);
    for (qsizetype i = 0; i < 36; ++i) {
        const char16_t c = text[i].unicode();
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
            out[i] = '-';
        } else if ((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')) {
            out[i] = char(c);
        } else if (c >= u'A' && c <= u'F') {
            out[i] = char(c - u'A' + u'a');
        } else {
            return false;
        }
    }
    *canonical = std::move(out);
    return true;
}

bool normalizeDate(QStringView text, QByteArray *out)
{
    int y, m, d;
    if (text.size() != 10 || !parseDatePart(text, &y, &m, &d))
        return false;
    *out = text.toLatin1();
    return true;
}

bool normalizeDateTime(QStringView text, QByteArray *out)
{
    int y, mo, d;
    if (!parseDatePart(text, &y, &mo, &d))
        return false;
    int h = 0, mi = 0, s = 0, ms = 0, offsetMinutes = 0;
    qsizetype pos = 10;
    const qsizetype n = text.size();
    if (pos < n) {
        const QChar sep = text[pos];
        if (sep != u'T' && sep != u't' && sep != u' ')
            return false;
        h = digits(text, pos + 1, 2);
        if (h < 0 || pos + 3 >= n || text[pos + 3] != u':')
            return false;
        mi = digits(text, pos + 4, 2);
        if (h > 23 || mi < 0 || mi > 59)
            return false;
        pos += 6;
        if (pos < n && text[pos] == u':') {
            s = digits(text, pos + 1, 2);
            if (s < 0 || s > 59)
                return false;
            pos += 3;
            if (pos < n && (text[pos] == u'.' || text[pos] == u',')) {
                ++pos;
                const qsizetype start = pos;
                int scale = 100;
                while (pos < n && digit(text[pos]) >= 0) {
                    ms += digit(text[pos]) * scale; // beyond milliseconds: truncated
                    scale /= 10;
                    ++pos;
                }
                if (pos == start)
                    return false;
            }
        }
        if (pos < n) {
            const QChar z = text[pos];
            if (z == u'Z' || z == u'z') {
                ++pos;
            } else if (z == u'+' || z == u'-') {
                const int sign = z == u'+' ? 1 : -1;
                const int oh = digits(text, pos + 1, 2);
                if (oh < 0 || oh > 23)
                    return false;
                pos += 3;
                int om = 0;
                if (pos < n) {
                    if (text[pos] == u':')
                        ++pos;
                    om = digits(text, pos, 2);
                    if (om < 0 || om > 59)
                        return false;
                    pos += 2;
                }
                offsetMinutes = sign * (oh * 60 + om);
            } else {
                return false;
            }
        }
        if (pos != n)
            return false;
    }
    const qint64 msecs = daysFromCivil(y, mo, d) * 86'400'000 + ((h * 60 + mi) * 60 + s) * 1000LL + ms -
                         offsetMinutes * 60'000LL;
    return formatUtc(msecs, out);
}

bool jsonToInt64(const QJsonValue &value, qint64 *out)
{
    if (!value.isDouble())
        return false;
    // toInteger() answers the default unless the value is a whole number that fits.
    const qint64 i = value.toInteger(0);
    if (i == 0 && value.toDouble() != 0.0)
        return false;
    *out = i;
    return true;
}

QByteArray compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

qsizetype characterCount(QStringView text)
{
    qsizetype count = text.size();
    for (QChar c : text)
        if (c.isLowSurrogate())
            --count;
    return count;
}

QByteArray currentTimestamp()
{
    QByteArray out;
    formatUtc(QDateTime::currentMSecsSinceEpoch(), &out);
    return out;
}

SqlValue toStoredValue(const ColumnDef &column, const QJsonValue &value, QString *error)
{
    if (value.isNull() || value.isUndefined()) {
        if (column.isNullable)
            return SqlNull{};
        *error = QStringLiteral("must not be null");
        return SqlNull{};
    }
    switch (column.type) {
    case ColumnType::Int:
    case ColumnType::BigInt: {
        qint64 i;
        if (jsonToInt64(value, &i))
            return i;
        *error = QStringLiteral("must be an integer");
        return SqlNull{};
    }
    case ColumnType::Float:
        if (value.isDouble())
            return value.toDouble();
        *error = QStringLiteral("must be a number");
        return SqlNull{};
    case ColumnType::Boolean:
        if (value.isBool())
            return qint64(value.toBool() ? 1 : 0);
        *error = QStringLiteral("must be a boolean");
        return SqlNull{};
    case ColumnType::Varchar:
        if (!value.isString()) {
            *error = QStringLiteral("must be a string");
            return SqlNull{};
        }
        {
            const QString s = value.toString();
            if (characterCount(s) > column.maxLength()) {
                *error = QStringLiteral("must be at most %1 characters").arg(column.maxLength());
                return SqlNull{};
            }
            return s.toUtf8();
        }
    case ColumnType::Text:
    case ColumnType::RichText:
    case ColumnType::Code:
        if (value.isString())
            return stringValue(value);
        *error = QStringLiteral("must be a string");
        return SqlNull{};
    case ColumnType::Uuid: {
        QByteArray canonical;
        if (value.isString() && normalizeUuid(value.toString(), &canonical))
            return canonical;
        *error = QStringLiteral("must be a valid uuid");
        return SqlNull{};
    }
    case ColumnType::Date: {
        QByteArray out;
        if (value.isString() && normalizeDate(value.toString(), &out))
            return out;
        *error = QStringLiteral("must be a valid date");
        return SqlNull{};
    }
    case ColumnType::DateTime:
    case ColumnType::Timestamp: {
        QByteArray out;
        if (value.isString() && normalizeDateTime(value.toString(), &out))
            return out;
        *error = QStringLiteral("must be a valid date");
        return SqlNull{};
    }
    case ColumnType::Enum:
        if (value.isString() && (column.options.isEmpty() || column.options.contains(value.toString())))
            return stringValue(value);
        *error = optionsError(column.options);
        return SqlNull{};
    case ColumnType::SimpleJson:
        return compactJson(value);
    case ColumnType::ArraySelect: {
        if (!value.isArray()) {
            *error = QStringLiteral("must be an array");
            return SqlNull{};
        }
        const QJsonArray items = value.toArray();
        for (const QJsonValue &item : items) {
            if (!item.isString() ||
                (!column.options.isEmpty() && !column.options.contains(item.toString()))) {
                *error = QStringLiteral("items must be one of: ") + column.options.join(QStringLiteral(", "));
                if (column.options.isEmpty())
                    *error = QStringLiteral("items must be strings");
                return SqlNull{};
            }
        }
        return QJsonDocument(items).toJson(QJsonDocument::Compact);
    }
    }
    *error = QStringLiteral("has an unsupported type");
    return SqlNull{};
}

bool toStoredKey(PrimaryKeyType type, const QJsonValue &value, SqlValue *out)
{
    if (type == PrimaryKeyType::Uuid) {
        QByteArray canonical;
        if (!value.isString() || !normalizeUuid(value.toString(), &canonical))
            return false;
        *out = std::move(canonical);
        return true;
    }
    qint64 i = 0;
    if (value.isDouble()) {
        if (!jsonToInt64(value, &i))
            return false;
        *out = i;
        return true;
    }
    if (!value.isString())
        return false;
    const QString s = value.toString();
    if (s.isEmpty() || s.size() > 19)
        return false;
    for (QChar c : s) {
        const int d = digit(c);
        if (d < 0)
            return false;
        if (i > (std::numeric_limits<qint64>::max() - d) / 10)
            return false;
        i = i * 10 + d;
    }
    *out = i;
    return true;
}

QString keyTypeError(PrimaryKeyType type)
{
    return type == PrimaryKeyType::Uuid ? QStringLiteral("must be a valid uuid")
                                        : QStringLiteral("must be an integer");
}

QJsonValue storedKeyToJson(const SqlValue &key)
{
    if (const qint64 *i = std::get_if<qint64>(&key))
        return QJsonValue(*i);
    if (const QByteArray *s = std::get_if<QByteArray>(&key))
        return QJsonValue(QString::fromUtf8(*s));
    if (const double *d = std::get_if<double>(&key))
        return QJsonValue(*d);
    return QJsonValue(QJsonValue::Null);
}

QString displayValue(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isUndefined())
        return QStringLiteral("undefined");
    return QString::fromUtf8(compactJson(value));
}

QString displayValue(const SqlValue &value)
{
    return displayValue(storedKeyToJson(value));
}

} // namespace Hearth
