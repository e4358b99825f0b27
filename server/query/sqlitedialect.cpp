#include "query/sqlitedialect.h"

namespace Hearth {

namespace {
// SQLite limits expression depth (1000 by default) and a chain of || is a
// left-deep tree, so long concatenations are split into balanced groups.
constexpr qsizetype kConcatChain = 16;

QByteArray concatRange(const QByteArrayList &parts, qsizetype begin, qsizetype end)
{
    if (end - begin == 1)
        return parts[begin];
    QByteArray out = "(";
    if (end - begin <= kConcatChain) {
        for (qsizetype i = begin; i < end; ++i) {
            if (i > begin)
                out += " || ";
            out += parts[i];
        }
    } else {
        const qsizetype middle = begin + (end - begin) / 2;
        out += concatRange(parts, begin, middle) + " || " + concatRange(parts, middle, end);
    }
    return out + ')';
}
} // namespace

const SqliteDialect &SqliteDialect::instance()
{
    static const SqliteDialect dialect;
    return dialect;
}

QByteArray SqliteDialect::quoteIdentifier(QStringView name) const
{
    return Hearth::quoteIdentifier(name);
}

QByteArray SqliteDialect::placeholder(int index) const
{
    return '?' + QByteArray::number(index);
}

QByteArray SqliteDialect::stringLiteral(QByteArrayView utf8) const
{
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '\'';
    for (char c : utf8) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

QByteArray SqliteDialect::concat(const QByteArrayList &parts) const
{
    if (parts.isEmpty())
        return "''";
    return concatRange(parts, 0, parts.size());
}

QByteArray SqliteDialect::jsonValue(const QByteArray &expr, ColumnType type) const
{
    switch (type) {
    case ColumnType::Boolean:
        return "CASE WHEN " + expr + " IS NULL THEN 'null' WHEN " + expr + " THEN 'true' ELSE 'false' END";
    case ColumnType::SimpleJson:
    case ColumnType::ArraySelect:
        // Stored JSON is embedded as is; text that is not JSON (or NULL) still yields valid output.
        return "CASE WHEN json_valid(" + expr + ") THEN " + expr + " ELSE json_quote(" + expr + ") END";
    default:
        return "json_quote(" + expr + ')';
    }
}

QByteArray SqliteDialect::jsonArrayOfRows(const QByteArray &rowsSelect) const
{
    // group_concat keeps the order of the subquery it reads from.
    return "(SELECT coalesce('[' || group_concat(j, ',') || ']', '[]') FROM (" + rowsSelect + "))";
}

QByteArray SqliteDialect::foldText(const QByteArray &expr) const
{
    return "hearth_fold(" + expr + ')';
}

QByteArray SqliteDialect::like(const QByteArray &expr, const QByteArray &pattern) const
{
    return expr + " LIKE " + pattern + " ESCAPE '\\'";
}

QByteArray SqliteDialect::inJsonArray(const QByteArray &expr, const QByteArray &jsonArrayParam) const
{
    return expr + " IN (SELECT value FROM json_each(" + jsonArrayParam + "))";
}

QByteArray SqliteDialect::limitOffset(qint64 limit, qint64 offset) const
{
    QByteArray out = " LIMIT " + QByteArray::number(limit);
    if (offset > 0)
        out += " OFFSET " + QByteArray::number(offset);
    return out;
}

} // namespace Hearth
