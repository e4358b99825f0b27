#include "schema/ddlbuilder.h"

#include "data/valuecoercion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hearth {

QByteArray DdlBuilder::nowExpression()
{
    return "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
}

QByteArray DdlBuilder::storageType(ColumnType type)
{
    switch (type) {
    case ColumnType::Int:
    case ColumnType::BigInt:
    case ColumnType::Boolean:
        return "INTEGER";
    case ColumnType::Float:
        return "REAL";
    default:
        return "TEXT";
    }
}

QByteArray DdlBuilder::sqlLiteral(const QJsonValue &value, ColumnType type)
{
    auto quoted = [](QByteArray text) {
        return '\'' + text.replace('\'', "''") + '\'';
    };
    // The form a write through the API stores (uuid in lower case, JSON encoded, UTC datetime, …),
    // so rows filled from a default match rows written with the same value. Enum and array-select
    // need their options for that check; their stored form is the plain text or compact JSON below.
    if (!value.isNull() && !value.isUndefined() && type != ColumnType::Enum &&
        type != ColumnType::ArraySelect) {
        ColumnDef column;
        column.type = type;
        column.length = 65535;
        QString error;
        const SqlValue stored = toStoredValue(column, value, &error);
        if (error.isEmpty()) {
            if (const qint64 *i = std::get_if<qint64>(&stored))
                return QByteArray::number(*i);
            if (const double *d = std::get_if<double>(&stored))
                return QByteArray::number(*d, 'g', 17);
            if (const QByteArray *text = std::get_if<QByteArray>(&stored))
                return quoted(*text);
        }
    }
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return "NULL";
    case QJsonValue::Bool:
        return value.toBool() ? "1" : "0";
    case QJsonValue::Double:
        if (type == ColumnType::Float)
            return QByteArray::number(value.toDouble(), 'g', 17);
        return QByteArray::number(value.toInteger());
    case QJsonValue::String: {
        QByteArray stored;
        if ((type == ColumnType::DateTime || type == ColumnType::Timestamp) &&
            normalizeDateTime(value.toString(), &stored))
            return quoted(stored);
        return quoted(value.toString().toUtf8());
    }
    case QJsonValue::Array:
        return quoted(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return quoted(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return "NULL";
}

QByteArray DdlBuilder::columnDefinition(const ColumnDef &c, const TableDef &table, const Schema &schema)
{
    QByteArray sql = quoteIdentifier(c.name) + ' ' + storageType(c.type);
    if (c.isPrimary) {
        if (table.primaryKeyType == PrimaryKeyType::Int)
            return sql + " PRIMARY KEY AUTOINCREMENT";
        return sql + " PRIMARY KEY NOT NULL DEFAULT (hearth_uuid())";
    }
    if (c.name == u"createdAt" || c.name == u"updatedAt")
        return sql + " NOT NULL DEFAULT (" + nowExpression() + ')';
    if (!c.isNullable)
        sql += " NOT NULL";
    if (c.hasDefault() && !c.defaultValue.isNull())
        sql += " DEFAULT " + sqlLiteral(c.defaultValue, c.type);
    if (c.isForeignKey) {
        for (const RelationDef &r : table.relations) {
            if (!r.ownsForeignKey() || r.foreignKeyColumn != c.name)
                continue;
            const TableDef *target = schema.table(r.targetTable);
            sql += " REFERENCES " + quoteIdentifier(r.targetTable) + '(' +
                   quoteIdentifier(target ? target->primaryKey().name : QStringLiteral("id")) + ')';
            sql += " ON DELETE " + onDeleteName(r.onDelete).toLatin1();
        }
    }
    return sql;
}

QByteArray DdlBuilder::createTable(const TableDef &table, const Schema &schema, const QString &asName)
{
    QByteArray sql = "CREATE TABLE " + quoteIdentifier(asName.isEmpty() ? table.name : asName) + " (";
    bool first = true;
    for (const ColumnDef &c : table.columns) {
        if (!first)
            sql += ", ";
        first = false;
        sql += columnDefinition(c, table, schema);
    }
    return sql + ')';
}

QByteArray DdlBuilder::uniqueIndexName(const QString &table, const QString &column)
{
    return quoteIdentifier(QStringLiteral("uq_%1_%2").arg(table, column));
}

QByteArray DdlBuilder::plainIndexName(const QString &table, const QString &column)
{
    return quoteIdentifier(QStringLiteral("ix_%1_%2").arg(table, column));
}

QByteArray DdlBuilder::createIndex(const QString &table, const ColumnDef &c)
{
    if (c.isPrimary)
        return {};
    if (c.isUnique)
        return "CREATE UNIQUE INDEX IF NOT EXISTS " + uniqueIndexName(table, c.name) + " ON " +
               quoteIdentifier(table) + '(' + quoteIdentifier(c.name) + ')';
    if (c.isIndexed)
        return "CREATE INDEX IF NOT EXISTS " + plainIndexName(table, c.name) + " ON " +
               quoteIdentifier(table) + '(' + quoteIdentifier(c.name) + ')';
    return {};
}

QByteArrayList DdlBuilder::createIndexes(const TableDef &table)
{
    QByteArrayList out;
    for (const ColumnDef &c : table.columns) {
        const QByteArray sql = createIndex(table.name, c);
        if (!sql.isEmpty())
            out << sql;
    }
    return out;
}

QByteArrayList DdlBuilder::createJunctionTables(const TableDef &table, const Schema &schema)
{
    QByteArrayList out;
    for (const RelationDef &r : table.relations) {
        if (r.type != RelationType::ManyToMany || r.isInverse)
            continue;
        const TableDef *target = schema.table(r.targetTable);
        const QByteArray sourceType = storageType(table.primaryKey().type);
        const QByteArray targetType = target ? storageType(target->primaryKey().type) : QByteArray("INTEGER");
        const QByteArray junction = quoteIdentifier(r.junctionTable);
        out << "CREATE TABLE IF NOT EXISTS " + junction + " (" + quoteIdentifier(r.junctionSourceColumn) +
                   ' ' + sourceType + " NOT NULL REFERENCES " + quoteIdentifier(table.name) +
                   "(\"id\") ON DELETE CASCADE, " + quoteIdentifier(r.junctionTargetColumn) + ' ' +
                   targetType + " NOT NULL REFERENCES " + quoteIdentifier(r.targetTable) +
                   "(\"id\") ON DELETE CASCADE, " + "PRIMARY KEY (" +
                   quoteIdentifier(r.junctionSourceColumn) + ", " + quoteIdentifier(r.junctionTargetColumn) +
                   ")) WITHOUT ROWID";
        out << "CREATE INDEX IF NOT EXISTS " + quoteIdentifier(r.junctionTable + QStringLiteral("_target")) +
                   " ON " + junction + '(' + quoteIdentifier(r.junctionTargetColumn) + ')';
    }
    return out;
}

} // namespace Hearth
