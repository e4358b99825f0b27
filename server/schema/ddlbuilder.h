#pragma once

#include "schema/schemamodel.h"

#include <QByteArrayList>

namespace Hearth {

// SQLite DDL for a built TableDef. Unique and index flags become separate
// indexes (uq_/ix_) so they can be added and dropped without a rebuild.
class DdlBuilder
{
public:
    static QByteArray createTable(const TableDef &table, const Schema &schema, const QString &asName = {});
    static QByteArray columnDefinition(const ColumnDef &column, const TableDef &table, const Schema &schema);
    static QByteArrayList createIndexes(const TableDef &table);
    static QByteArray createIndex(const QString &table, const ColumnDef &column); // empty if none needed
    static QByteArray uniqueIndexName(const QString &table, const QString &column);
    static QByteArray plainIndexName(const QString &table, const QString &column);
    static QByteArrayList createJunctionTables(const TableDef &table, const Schema &schema); // owned m2m only
    static QByteArray sqlLiteral(const QJsonValue &value, ColumnType type);
    static QByteArray storageType(ColumnType type);
    // The SQL expression for "now" in the stored datetime format (ISO 8601 UTC with ms).
    static QByteArray nowExpression();
};

} // namespace Hearth
