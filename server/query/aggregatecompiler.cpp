#include "query/aggregatecompiler.h"

#include "core/apierror.h"
#include "query/filtercompiler.h"
#include "query/relationrows.h"

namespace Hearth {

namespace {

[[noreturn]] void invalid(const QString &message)
{
    throw ApiError::badRequest(QStringLiteral("Invalid aggregate: ") + message);
}

// An operation is asked with true (or "true", from a query string); false leaves it out.
bool asked(const QJsonValue &value, const QString &op)
{
    if (value.isBool())
        return value.toBool();
    if (value.isString() && (value.toString() == u"true" || value.toString() == u"false"))
        return value.toString() == u"true";
    invalid(QStringLiteral("%1 expects true or false").arg(op));
}

QByteArray jsonString(const QString &name)
{
    QByteArray out = "\"";
    for (char c : name.toUtf8()) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

QByteArray columnAggregates(CompileContext &ctx, const QByteArray &alias, const ColumnDef &column,
                            const QJsonObject &ops)
{
    const SqlDialect &d = ctx.dialect();
    const QByteArray expr = ctx.column(alias, column.name);
    QByteArrayList parts;
    for (auto it = ops.begin(); it != ops.end(); ++it) {
        const QString &op = it.key();
        QByteArray value;
        if (op == u"count") {
            value = d.jsonValue("count(" + expr + ')', ColumnType::BigInt);
        } else if (op == u"sum" || op == u"avg") {
            if (!isNumeric(column.type))
                invalid(QStringLiteral("%1 needs a numeric field, %2 is %3")
                            .arg(op, column.name, columnTypeName(column.type)));
            value = op == u"sum" ? d.jsonValue("sum(" + expr + ')', column.type)
                                 : d.jsonValue("avg(" + expr + ')', ColumnType::Float);
        } else if (op == u"min" || op == u"max") {
            value = d.jsonValue(op.toLatin1() + '(' + expr + ')', column.type);
        } else {
            invalid(QStringLiteral("unknown operation %1 on %2").arg(op, column.name));
        }
        if (asked(it.value(), op))
            parts << d.stringLiteral((parts.isEmpty() ? "" : ",") + jsonString(op) + ':') << value;
    }
    return d.concat(parts.isEmpty() ? QByteArrayList{"''"} : parts);
}

QByteArray relationAggregates(CompileContext &ctx, const TableDef &table, const QByteArray &alias,
                              const RelationDef &relation, const QJsonObject &ops)
{
    const SqlDialect &d = ctx.dialect();
    QByteArrayList parts;
    for (auto it = ops.begin(); it != ops.end(); ++it) {
        if (it.key() != u"countRecords")
            invalid(QStringLiteral("unknown operation %1 on %2").arg(it.key(), relation.propertyName));
        QJsonValue filter = it.value();
        if (filter.isBool() || filter.isString()) {
            if (!asked(filter, it.key()))
                continue;
            filter = QJsonValue();
        } else if (!filter.isObject()) {
            invalid(QStringLiteral("countRecords expects true or a filter object"));
        }
        // Related rows of every main row, each counted once per main row it belongs to.
        const QByteArray child = ctx.newAlias();
        const RelationRows rows = relationRows(ctx, relation, table, child);
        const QByteArray condition = FilterCompiler(ctx).compile(ctx.targetOf(relation), child, filter);
        const QByteArray cte = ctx.addCte("SELECT " + rows.parentKey + " AS p FROM " + rows.from +
                                          (condition.isEmpty() ? QByteArray() : " WHERE " + condition));
        const QByteArray count =
            "coalesce(sum(" + relatedSubquery(ctx, "count(*)", cte, rows, alias) + "), 0)";
        parts << d.stringLiteral("\"countRecords\":") << d.jsonValue(count, ColumnType::BigInt);
    }
    return d.concat(parts.isEmpty() ? QByteArrayList{"''"} : parts);
}

} // namespace

QByteArray compileAggregate(CompileContext &ctx, const TableDef &table, const QByteArray &alias,
                            const QJsonObject &aggregate)
{
    const SqlDialect &d = ctx.dialect();
    QByteArrayList fields;
    for (auto it = aggregate.begin(); it != aggregate.end(); ++it) {
        const QString &name = it.key();
        if (!it.value().isObject())
            invalid(QStringLiteral("%1 expects an object of operations").arg(name));
        QByteArray inner;
        if (const ColumnDef *column = table.column(name)) {
            ctx.requireReadable(table, name, u"aggregate on");
            inner = columnAggregates(ctx, alias, *column, it.value().toObject());
        } else if (const RelationDef *relation = table.relation(name)) {
            ctx.requireReadable(table, name, u"aggregate on");
            inner = relationAggregates(ctx, table, alias, *relation, it.value().toObject());
        } else {
            invalid(QStringLiteral("unknown field %1 on %2").arg(name, table.name));
        }
        fields << d.concat({d.stringLiteral(jsonString(name) + ":{"), inner, d.stringLiteral("}")});
    }
    // Members are joined with commas here, so each inner list must be comma-separated too.
    QByteArrayList parts{d.stringLiteral("{")};
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            parts << d.stringLiteral(",");
        parts << fields[i];
    }
    parts << d.stringLiteral("}");
    return d.concat(parts);
}

} // namespace Hearth
