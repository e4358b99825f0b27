#include "schema/columnconversion.h"

#include "data/valuecoercion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

namespace Hearth {

namespace {

QJsonValue lenientJson(const SqlValue &value, const ColumnDef &target)
{
    if (std::holds_alternative<SqlNull>(value))
        return QJsonValue::Null;
    if (const qint64 *i = std::get_if<qint64>(&value)) {
        if (target.type == ColumnType::Boolean)
            return *i == 0   ? QJsonValue(false)
                   : *i == 1 ? QJsonValue(true)
                             : QJsonValue(QJsonValue::Undefined);
        if (isTextLike(target.type))
            return QString::number(*i);
        return double(*i);
    }
    if (const double *d = std::get_if<double>(&value)) {
        if (isTextLike(target.type))
            return QString::number(*d, 'g', 17);
        return *d;
    }
    const QString text = QString::fromUtf8(std::get<QByteArray>(value));
    switch (target.type) {
    case ColumnType::Int:
    case ColumnType::BigInt:
    case ColumnType::Float: {
        bool ok = false;
        const double number = text.trimmed().toDouble(&ok);
        return ok ? QJsonValue(number) : QJsonValue(QJsonValue::Undefined);
    }
    case ColumnType::Boolean: {
        const QString t = text.trimmed().toLower();
        if (t == u"true" || t == u"1")
            return true;
        if (t == u"false" || t == u"0")
            return false;
        return QJsonValue::Undefined;
    }
    case ColumnType::SimpleJson:
    case ColumnType::ArraySelect: {
        const QJsonDocument doc = QJsonDocument::fromJson('[' + text.toUtf8() + ']');
        if (doc.isArray() && doc.array().size() == 1)
            return doc.array().first();
        return target.type == ColumnType::SimpleJson ? QJsonValue(text) : QJsonValue(QJsonValue::Undefined);
    }
    case ColumnType::Varchar:
        return text.left(target.maxLength()); // shortened; the preview counts these rows as lossy
    case ColumnType::Date: {
        // A datetime keeps its calendar day (in UTC, the stored form).
        QByteArray utc;
        if (text.size() > 10 && normalizeDateTime(text, &utc))
            return QString::fromLatin1(utc.left(10));
        return text;
    }
    default:
        return text;
    }
}

ColumnDef columnFromSpec(QByteArrayView spec)
{
    const QJsonObject o = QJsonDocument::fromJson(spec.toByteArray()).object();
    ColumnDef c;
    c.type = columnTypeFromName(o.value(QLatin1StringView("type")).toString()).value_or(ColumnType::Text);
    c.length = o.value(QLatin1StringView("length")).toInt();
    for (const QJsonValue &v : o.value(QLatin1StringView("options")).toArray())
        c.options << v.toString();
    return c;
}

SqlValue fromSqlite(sqlite3_value *v)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
        return SqlNull{};
    case SQLITE_INTEGER:
        return qint64(sqlite3_value_int64(v));
    case SQLITE_FLOAT:
        return sqlite3_value_double(v);
    default:
        return QByteArray(reinterpret_cast<const char *>(sqlite3_value_text(v)), sqlite3_value_bytes(v));
    }
}

void setResult(sqlite3_context *ctx, const std::optional<SqlValue> &result)
{
    if (!result || std::holds_alternative<SqlNull>(*result))
        sqlite3_result_null(ctx);
    else if (const qint64 *i = std::get_if<qint64>(&*result))
        sqlite3_result_int64(ctx, *i);
    else if (const double *d = std::get_if<double>(&*result))
        sqlite3_result_double(ctx, *d);
    else {
        const QByteArray &t = std::get<QByteArray>(*result);
        sqlite3_result_text(ctx, t.constData(), int(t.size()), SQLITE_TRANSIENT);
    }
}

void convertFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    const SqlValue value = fromSqlite(argv[0]);
    // The spec is constant within a statement: parse it once, keep it as auxdata.
    if (const auto *target = static_cast<const ColumnDef *>(sqlite3_get_auxdata(ctx, 1))) {
        setResult(ctx, ColumnConversion::convertStored(value, *target));
        return;
    }
    const auto *spec = reinterpret_cast<const char *>(sqlite3_value_text(argv[1]));
    auto *parsed = new ColumnDef(columnFromSpec(QByteArrayView(spec, sqlite3_value_bytes(argv[1]))));
    setResult(ctx, ColumnConversion::convertStored(value, *parsed));
    sqlite3_set_auxdata(ctx, 1, parsed, [](void *p) { delete static_cast<ColumnDef *>(p); });
}

} // namespace

std::optional<SqlValue> ColumnConversion::convertStored(const SqlValue &value, const ColumnDef &target)
{
    if (std::holds_alternative<SqlNull>(value))
        return SqlValue(SqlNull{});
    const QJsonValue json = lenientJson(value, target);
    if (json.isUndefined())
        return std::nullopt;
    ColumnDef nullable = target;
    nullable.isNullable = true;
    QString error;
    SqlValue stored = toStoredValue(nullable, json, &error);
    if (!error.isEmpty())
        return std::nullopt;
    return stored;
}

QByteArray ColumnConversion::targetSpec(const ColumnDef &target)
{
    QJsonObject o{{QStringLiteral("type"), columnTypeName(target.type)},
                  {QStringLiteral("length"), target.length}};
    if (!target.options.isEmpty())
        o.insert(QStringLiteral("options"), QJsonArray::fromStringList(target.options));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void ColumnConversion::registerSqlFunction(sqlite3 *db)
{
    sqlite3_create_function_v2(db, "hearth_convert", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               convertFunction, nullptr, nullptr, nullptr);
}

} // namespace Hearth
