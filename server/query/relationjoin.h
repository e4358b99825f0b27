#pragma once

#include "query/compilecontext.h"

namespace Hearth {

// How the rows of a relation's target are reached from one parent row, for a
// correlated subquery: SELECT … FROM <from> WHERE <link> [AND …].
struct RelationJoin
{
    QByteArray from;     // the target table as childAlias (behind the junction table for many-to-many)
    QByteArray link;     // the condition tying childAlias rows to parentAlias
    QByteArray targetId; // the related row's id expression (the junction column when there is one)
};

// withTarget false: for many-to-many, only the junction table is read (enough to compare ids).
RelationJoin relationJoin(CompileContext &ctx, const RelationDef &relation, const TableDef &parent,
                          const QByteArray &parentAlias, const QByteArray &childAlias,
                          bool withTarget = true);

} // namespace Hearth
