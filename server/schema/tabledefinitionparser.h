#pragma once

#include "schema/schemamodel.h"

#include <QJsonObject>

namespace Hearth {

// Reads a table definition as sent to /hearth_table (API.md) into a TableDef
// of user columns and defined relations, checking every key and value.
// Column and relation entries keep their "id" (0 when new). Throws ApiError 400.
class TableDefinitionParser
{
public:
    explicit TableDefinitionParser(const Schema &schema) : m_schema(schema) {}

    // selfName: the table's own name, so a relation may target its own table.
    TableDef parse(const QJsonObject &body, const TableDef *existing = nullptr) const;

private:
    ColumnDef parseColumn(const QJsonObject &entry, const QString &where) const;
    RelationDef parseRelation(const QJsonObject &entry, const QString &where, const QString &selfName) const;
    const Schema &m_schema;
};

} // namespace Hearth
