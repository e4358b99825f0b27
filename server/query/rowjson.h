#pragma once

#include "query/fieldselection.h"
#include "query/queryoptions.h"

namespace Hearth {

// The SQL expression that yields the JSON object text of one row, built by
// concatenation inside the database: no per-row objects in C++, no
// function-argument limit on wide tables, and a key can be left out per row
// (conditional reads). Relations become correlated subqueries.
QByteArray rowJson(CompileContext &ctx, const SelectionNode &node, const QByteArray &alias);

// The same row as separate columns and how to write each (the top level of a
// find): selectList is "expr, expr, …" for the SELECT.
struct RowColumns
{
    QByteArray selectList;
    QList<RowField> fields;
};
RowColumns rowColumns(CompileContext &ctx, const SelectionNode &node, const QByteArray &alias);

} // namespace Hearth
