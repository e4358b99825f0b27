#include "query/sortcompiler.h"

#include "core/apierror.h"
#include "query/relationrows.h"

namespace Hearth {

namespace {

[[noreturn]] void invalid(const QString &message)
{
    throw ApiError::badRequest(QStringLiteral("Invalid sort: ") + message);
}

// The value to sort by for path[index…] read from the row alias of table.
QByteArray pathExpression(CompileContext &ctx, const TableDef &table, const QByteArray &alias,
                          const QList<QStringView> &path, qsizetype index)
{
    const QString name = path[index].toString();
    const bool last = index + 1 == path.size();
    if (table.column(name)) {
        if (!last)
            invalid(QStringLiteral("%1 is not a relation on %2").arg(name, table.name));
        ctx.requireReadable(table, name, u"sort on");
        return ctx.column(alias, name);
    }
    const RelationDef *relation = table.relation(name);
    if (!relation)
        invalid(QStringLiteral("unknown field %1 on %2").arg(name, table.name));
    if (relation->isToMany())
        invalid(QStringLiteral("cannot sort through to-many relation %1").arg(name));
    ctx.requireReadable(table, name, u"sort on");
    const TableDef &target = ctx.targetOf(*relation);
    const bool targetKey = last || (index + 2 == path.size() && path[index + 1] == target.primaryKey().name);
    if (targetKey && relation->ownsForeignKey()) // the related id is the foreign key itself
        return ctx.column(alias, relation->foreignKeyColumn);
    // One CTE per hop: the related row's sort value by its parent key.
    const QByteArray child = ctx.newAlias();
    const RelationRows rows = relationRows(ctx, *relation, table, child);
    const QByteArray value = last ? ctx.column(child, target.primaryKey().name)
                                  : pathExpression(ctx, target, child, path, index + 1);
    const QByteArray cte =
        ctx.addCte("SELECT " + rows.parentKey + " AS p, " + value + " AS v FROM " + rows.from);
    return relatedSubquery(ctx, cte + ".v", cte, rows, alias, " LIMIT 1");
}

} // namespace

QByteArray CompiledSort::orderBy() const
{
    QByteArray out;
    for (const OrderTerm &t : terms) {
        if (!out.isEmpty())
            out += ", ";
        out += t.expr + (t.descending ? " DESC" : " ASC");
    }
    return out;
}

CompiledSort compileSort(CompileContext &ctx, const TableDef &table, const QByteArray &alias,
                         QStringView sort)
{
    CompiledSort out;
    const QByteArray key = ctx.column(alias, table.primaryKey().name);
    bool hasKey = false;
    for (QStringView token : sort.split(u',')) {
        token = token.trimmed();
        if (token.isEmpty())
            continue;
        OrderTerm term;
        if (token.startsWith(u'-')) {
            term.descending = true;
            token = token.mid(1);
        } else if (token.startsWith(u'+')) {
            token = token.mid(1);
        }
        const QList<QStringView> path = token.split(u'.');
        if (path.size() > ctx.limits().maxDeepDepth + 1)
            invalid(QStringLiteral("nesting deeper than %1").arg(ctx.limits().maxDeepDepth));
        term.expr = pathExpression(ctx, table, alias, path, 0);
        if (hasKey)
            continue; // the key is unique: later terms cannot change the order
        hasKey = term.expr == key;
        out.terms << term;
    }
    if (!hasKey)
        out.terms << OrderTerm{key, false};
    return out;
}

} // namespace Hearth
