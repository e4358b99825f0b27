#pragma once

#include "query/compilecontext.h"

namespace Hearth {

struct OrderTerm
{
    QByteArray expr;
    bool descending = false;
};

// A sort string ("-createdAt,title,author.name") as ORDER BY terms, always
// ending with the primary key so that paging is stable.
struct CompiledSort
{
    QList<OrderTerm> terms;
    bool byKeyOnly() const { return terms.size() == 1; } // just the primary key: an index walk, no sorting
    QByteArray orderBy() const;                          // "a DESC, b ASC"
};

// Columns (foreign-key columns included) and chains of to-one relations
// ending in a column. Throws 400 on an unknown field or a to-many step, 403
// on a field the caller may not read.
CompiledSort compileSort(CompileContext &ctx, const TableDef &table, const QByteArray &alias,
                         QStringView sort);

} // namespace Hearth
