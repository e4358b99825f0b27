#include "query/relationjoin.h"

namespace Hearth {

RelationJoin relationJoin(CompileContext &ctx, const RelationDef &relation, const TableDef &parent,
                          const QByteArray &parentAlias, const QByteArray &childAlias, bool withTarget)
{
    const SqlDialect &d = ctx.dialect();
    const TableDef &target = ctx.targetOf(relation);
    const QString &targetKey = target.primaryKey().name;
    const QString &parentKey = parent.primaryKey().name;
    RelationJoin join;
    join.from = d.quoteIdentifier(target.name) + ' ' + childAlias;
    join.targetId = ctx.column(childAlias, targetKey);
    if (relation.type == RelationType::ManyToMany) {
        // Read the junction first: its primary key starts with the source column.
        const QByteArray junction = 'j' + childAlias.mid(1);
        const QByteArray junctionFrom = d.quoteIdentifier(relation.junctionTable) + ' ' + junction;
        join.from = withTarget ? junctionFrom + " JOIN " + join.from + " ON " + join.targetId + " = " +
                                     ctx.column(junction, relation.junctionTargetColumn)
                               : junctionFrom;
        join.link =
            ctx.column(junction, relation.junctionSourceColumn) + " = " + ctx.column(parentAlias, parentKey);
        join.targetId = ctx.column(junction, relation.junctionTargetColumn);
    } else if (relation.ownsForeignKey()) {
        join.link = join.targetId + " = " + ctx.column(parentAlias, relation.foreignKeyColumn);
    } else {
        join.link =
            ctx.column(childAlias, relation.foreignKeyColumn) + " = " + ctx.column(parentAlias, parentKey);
    }
    return join;
}

} // namespace Hearth
