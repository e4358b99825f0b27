#include "query/filtervalue.h"

#include "core/apierror.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace Hearth {

namespace {

[[noreturn]] void expects(const QString &field, const char *what)
{
    throw ApiError::badRequest(
        QStringLiteral("Invalid filter: %1 expects %2").arg(field, QLatin1StringView(what)));
}

SqlValue integerValue(const QJsonValue &value, const QString &field)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        // Beyond 2^63 a double cannot be an exact qint64.
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.2e18)
            return qint64(d);
    } else if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return n;
    }
    expects(field, "an integer");
}

SqlValue numberValue(const QJsonValue &value, const QString &field)
{
    double d = 0;
    bool ok = false;
    if (value.isDouble()) {
        d = value.toDouble();
        ok = true;
    } else if (value.isString()) {
        d = value.toString().trimmed().toDouble(&ok);
    }
    if (!ok || !std::isfinite(d))
        expects(field, "a number");
    return d;
}

SqlValue booleanValue(const QJsonValue &value, const QString &field)
{
    if (value.isBool())
        return qint64(value.toBool() ? 1 : 0);
    if (value.isDouble() && (value.toDouble() == 0 || value.toDouble() == 1))
        return qint64(value.toDouble());
    if (value.isString()) {
        const QString s = value.toString().trimmed();
        if (s == u"true" || s == u"1")
            return qint64(1);
        if (s == u"false" || s == u"0")
            return qint64(0);
    }
    expects(field, "a boolean");
}

QByteArray numberText(double d)
{
    return QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
}

} // namespace

SqlValue filterValue(const ColumnDef &column, const QJsonValue &value, const QString &field)
{
    if (value.isNull() || value.isUndefined())
        return SqlNull{};
    switch (column.type) {
    case ColumnType::Int:
    case ColumnType::BigInt:
        return integerValue(value, field);
    case ColumnType::Float:
        return numberValue(value, field);
    case ColumnType::Boolean:
        return booleanValue(value, field);
    case ColumnType::SimpleJson:
    case ColumnType::ArraySelect:
        // Compared with the stored JSON text.
        if (value.isString())
            return value.toString().toUtf8();
        if (value.isDouble())
            return numberText(value.toDouble());
        if (value.isBool())
            return QByteArray(value.toBool() ? "true" : "false");
        if (value.isArray())
            return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    default:
        if (value.isString())
            return value.toString().toUtf8();
        if (value.isDouble())
            return numberText(value.toDouble());
        expects(field, "a string");
    }
}

QJsonArray filterList(const QJsonValue &value, QStringView op)
{
    if (value.isArray())
        return value.toArray();
    if (value.isString()) {
        QJsonArray out;
        const QString text = value.toString();
        if (text.isEmpty())
            return out;
        for (QStringView item : QStringView(text).split(u','))
            out.append(item.toString());
        return out;
    }
    if (value.isDouble())
        return QJsonArray{value};
    throw ApiError::badRequest(QStringLiteral("Invalid filter: %1 expects an array").arg(op));
}

bool filterFlag(const QJsonValue &value, QStringView op)
{
    if (value.isBool())
        return value.toBool();
    if (value.isString()) {
        if (value.toString() == u"true")
            return true;
        if (value.toString() == u"false")
            return false;
    }
    throw ApiError::badRequest(QStringLiteral("Invalid filter: %1 expects true or false").arg(op));
}

} // namespace Hearth
