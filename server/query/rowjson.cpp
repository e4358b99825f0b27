#include "query/rowjson.h"

#include "query/filtercompiler.h"
#include "query/relationrows.h"
#include "query/sortcompiler.h"

namespace Hearth {

namespace {

// Collects concatenation parts, merging neighbouring literal text into one literal.
class ConcatBuilder
{
public:
    explicit ConcatBuilder(const SqlDialect &dialect) : m_dialect(dialect) {}

    void literal(const QByteArray &utf8) { m_literal += utf8; }
    void expr(const QByteArray &sql)
    {
        flush();
        m_parts << sql;
    }
    QByteArray build()
    {
        flush();
        return m_dialect.concat(m_parts);
    }

private:
    void flush()
    {
        if (!m_literal.isEmpty())
            m_parts << m_dialect.stringLiteral(m_literal);
        m_literal.clear();
    }

    const SqlDialect &m_dialect;
    QByteArrayList m_parts;
    QByteArray m_literal;
};

// "name": as JSON text (names come from the schema, escaped all the same).
QByteArray jsonKey(const QString &name)
{
    QByteArray out = "\"";
    for (char c : name.toUtf8()) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (uchar(c) < 0x20)
            out += "\\u00" + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
        else
            out += c;
    }
    return out + "\":";
}

QByteArray relationJson(CompileContext &ctx, const SelectionItem &item, const TableDef &parent,
                        const QByteArray &parentAlias)
{
    const SqlDialect &d = ctx.dialect();
    const RelationDef &relation = *item.relation;
    const SelectionNode &child = *item.child;
    const TableDef &target = *child.table;
    const bool filtered = !child.filter.isUndefined() && !child.filter.isNull();

    if (relation.ownsForeignKey() && child.keyOnly() && !filtered) {
        // {"id":…} straight from the foreign key, without reading the target.
        const QByteArray fk = ctx.column(parentAlias, relation.foreignKeyColumn);
        ConcatBuilder object(d);
        object.literal("{" + jsonKey(target.primaryKey().name));
        object.expr(d.jsonValue(fk, target.primaryKey().type));
        object.literal("}");
        return "CASE WHEN " + fk + " IS NULL THEN 'null' ELSE " + object.build() + " END";
    }

    // The related rows with their JSON, in a CTE of their own; read here for one parent row.
    const QByteArray alias = ctx.newAlias();
    const RelationRows rows = relationRows(ctx, relation, parent, alias);
    const QByteArray json = rowJson(ctx, child, alias);
    const QByteArray condition = FilterCompiler(ctx).compile(target, alias, child.filter);
    const QByteArray where = condition.isEmpty() ? QByteArray() : " WHERE " + condition;

    if (!relation.isToMany()) {
        const QByteArray cte =
            ctx.addCte("SELECT " + rows.parentKey + " AS p, " + json + " AS j FROM " + rows.from + where);
        return "coalesce(" + relatedSubquery(ctx, cte + ".j", cte, rows, parentAlias, " LIMIT 1") +
               ", 'null')";
    }

    const CompiledSort sort = compileSort(ctx, target, alias, child.sort);
    QByteArray select = "SELECT " + rows.parentKey + " AS p, " + json + " AS j";
    QByteArray orderBy;
    for (qsizetype i = 0; i < sort.terms.size(); ++i) {
        const QByteArray name = 's' + QByteArray::number(i);
        // For many-to-many, the junction's key already holds the related id in order.
        const QByteArray &expr = sort.terms[i].expr == ctx.column(alias, target.primaryKey().name)
                                     ? rows.targetId
                                     : sort.terms[i].expr;
        select += ", " + expr + " AS " + name;
        orderBy += (i ? ", " : " ORDER BY ") + name + (sort.terms[i].descending ? " DESC" : " ASC");
    }
    const QByteArray cte = ctx.addCte(select + " FROM " + rows.from + where);
    QByteArray tail = orderBy;
    if (child.limit && *child.limit > 0)
        tail += d.limitOffset(*child.limit, (child.page - 1) * *child.limit);
    return d.jsonArrayOfRows("SELECT j FROM " + cte + " WHERE " + cte +
                             ".p = " + ctx.column(parentAlias, rows.parentColumn) + tail);
}

RowField::Kind fieldKind(ColumnType type)
{
    switch (type) {
    case ColumnType::Int:
    case ColumnType::BigInt:
    case ColumnType::Float:
        return RowField::Kind::Scalar;
    case ColumnType::Boolean:
        return RowField::Kind::Boolean;
    case ColumnType::SimpleJson:
    case ColumnType::ArraySelect:
        return RowField::Kind::JsonText;
    default:
        return RowField::Kind::Text;
    }
}

} // namespace

RowColumns rowColumns(CompileContext &ctx, const SelectionNode &node, const QByteArray &alias)
{
    const SqlDialect &d = ctx.dialect();
    const TableDef &table = *node.table;
    const ColumnDef &key = table.primaryKey();
    RowColumns out;
    auto add = [&](const QByteArray &expr, const QString &name, RowField::Kind kind, bool conditional) {
        if (!out.selectList.isEmpty())
            out.selectList += ", ";
        out.selectList += expr;
        out.fields.append({jsonKey(name), kind, conditional});
    };
    add(ctx.column(alias, key.name), key.name, fieldKind(key.type), false);
    for (const SelectionItem &item : node.items) {
        const QString &name = item.column ? item.column->name : item.relation->propertyName;
        const QByteArray condition = item.condition.isUndefined()
                                         ? QByteArray()
                                         : FilterCompiler(ctx, true).compile(table, alias, item.condition);
        if (!condition.isEmpty()) // the flag column that tells whether the next one is shown
            out.selectList += ", coalesce((" + condition + "), 0)";
        if (!item.column) {
            add(relationJson(ctx, item, table, alias), name, RowField::Kind::JsonText, !condition.isEmpty());
            continue;
        }
        const RowField::Kind kind = fieldKind(item.column->type);
        const QByteArray column = ctx.column(alias, name);
        // JSON columns keep the dialect's guard against stored text that is not JSON.
        add(kind == RowField::Kind::JsonText ? d.jsonValue(column, item.column->type) : column, name, kind,
            !condition.isEmpty());
    }
    return out;
}

QByteArray rowJson(CompileContext &ctx, const SelectionNode &node, const QByteArray &alias)
{
    const SqlDialect &d = ctx.dialect();
    const TableDef &table = *node.table;
    const ColumnDef &key = table.primaryKey();
    ConcatBuilder object(d);
    object.literal("{" + jsonKey(key.name));
    object.expr(d.jsonValue(ctx.column(alias, key.name), key.type));
    for (const SelectionItem &item : node.items) {
        const QString &name = item.column ? item.column->name : item.relation->propertyName;
        const QByteArray value = item.column ? d.jsonValue(ctx.column(alias, name), item.column->type)
                                             : relationJson(ctx, item, table, alias);
        const QByteArray condition = item.condition.isUndefined()
                                         ? QByteArray()
                                         : FilterCompiler(ctx, true).compile(table, alias, item.condition);
        if (condition.isEmpty()) {
            object.literal(',' + jsonKey(name));
            object.expr(value);
        } else {
            ConcatBuilder pair(d);
            pair.literal(',' + jsonKey(name));
            pair.expr(value);
            object.expr("CASE WHEN " + condition + " THEN " + pair.build() + " ELSE '' END");
        }
    }
    object.literal("}");
    return object.build();
}

} // namespace Hearth
