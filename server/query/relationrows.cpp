#include "query/relationrows.h"

namespace Hearth {

RelationRows relationRows(CompileContext &ctx, const RelationDef &relation, const TableDef &parent,
                          const QByteArray &alias, bool withTarget)
{
    const SqlDialect &d = ctx.dialect();
    const TableDef &target = ctx.targetOf(relation);
    RelationRows rows;
    rows.from = d.quoteIdentifier(target.name) + ' ' + alias;
    rows.targetId = ctx.column(alias, target.primaryKey().name);
    if (relation.type == RelationType::ManyToMany) {
        // Read the junction first: its primary key starts with the source column.
        const QByteArray junction = 'j' + alias.mid(1);
        const QByteArray junctionTarget = ctx.column(junction, relation.junctionTargetColumn);
        const QByteArray junctionFrom = d.quoteIdentifier(relation.junctionTable) + ' ' + junction;
        rows.from =
            withTarget ? junctionFrom + " JOIN " + rows.from + " ON " + rows.targetId + " = " + junctionTarget
                       : junctionFrom;
        rows.targetId = junctionTarget;
        rows.parentKey = ctx.column(junction, relation.junctionSourceColumn);
        rows.parentColumn = parent.primaryKey().name;
    } else if (relation.ownsForeignKey()) {
        rows.parentKey = rows.targetId;
        rows.parentColumn = relation.foreignKeyColumn;
    } else {
        rows.parentKey = ctx.column(alias, relation.foreignKeyColumn);
        rows.parentColumn = parent.primaryKey().name;
    }
    return rows;
}

QByteArray relatedSubquery(CompileContext &ctx, const QByteArray &select, const QByteArray &cte,
                           const RelationRows &rows, const QByteArray &parentAlias, const QByteArray &tail)
{
    return "(SELECT " + select + " FROM " + cte + " WHERE " + cte +
           ".p = " + ctx.column(parentAlias, rows.parentColumn) + tail + ')';
}

} // namespace Hearth
