#pragma once

#include "schema/schemamodel.h"

namespace Hearth {

// Turns table definitions as the user wrote them (user columns, and the
// relations defined on each table) into a complete Schema: adds id,
// createdAt and updatedAt, the foreign-key columns of relations, the derived
// inverse relations and junction tables. Throws ApiError (400) on a
// definition that cannot be built (unknown target, clashing names, …).
class SchemaBuilder
{
public:
    static Schema build(QList<TableDef> definitions, quint64 version = 0);

    // Names derived from a relation, shared with DDL and migrations.
    static QString foreignKeyColumnName(const QString &propertyName);
    static QString junctionTableName(const QString &table, const RelationDef &relation);
};

} // namespace Hearth
