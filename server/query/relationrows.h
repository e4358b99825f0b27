#pragma once

#include "query/compilecontext.h"

namespace Hearth {

// The rows of a relation's target, read on their own (in a CTE): a FROM
// clause over the target as alias, and the key that ties each row to its
// parent row. A parent row's related rows are those whose parentKey equals
// the parent's parentColumn.
//
// Relation levels are compiled into separate CTEs rather than nested
// subqueries because SQLite's parser stack (100 entries) overflows at about
// six nested subqueries; the planner inlines NOT MATERIALIZED CTEs, so the
// indexes are used as if the subqueries were written in place.
struct RelationRows
{
    QByteArray from;      // "target" alias, behind the junction table for many-to-many
    QByteArray parentKey; // expression over from
    QString parentColumn; // column of the parent table
    QByteArray targetId;  // the related row's id (the junction's column when the target is not read)
};

// withTarget false: for many-to-many, only the junction table is read (enough to compare ids).
RelationRows relationRows(CompileContext &ctx, const RelationDef &relation, const TableDef &parent,
                          const QByteArray &alias, bool withTarget = true);

// "(SELECT <select> FROM <cte> WHERE <cte>.p = parentAlias.<parentColumn><tail>)": reads the CTE
// (which names its parent key p) for one parent row.
QByteArray relatedSubquery(CompileContext &ctx, const QByteArray &select, const QByteArray &cte,
                           const RelationRows &rows, const QByteArray &parentAlias,
                           const QByteArray &tail = {});

} // namespace Hearth
