#include "query/filtercompiler.h"

#include "core/apierror.h"
#include "core/textfold.h"
#include "query/filtervalue.h"
#include "query/relationrows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace Hearth {

namespace {

enum class Op
{
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    Between,
    IsNull,
    IsNotNull,
    And,
    Or,
    Not,
};

struct OpName
{
    const char *name;
    Op op;
};
constexpr OpName kOps[] = {
    {"_eq", Op::Eq},
    {"_neq", Op::Neq},
    {"_gt", Op::Gt},
    {"_gte", Op::Gte},
    {"_lt", Op::Lt},
    {"_lte", Op::Lte},
    {"_in", Op::In},
    {"_not_in", Op::NotIn},
    {"_nin", Op::NotIn},
    {"_contains", Op::Contains},
    {"_starts_with", Op::StartsWith},
    {"_ends_with", Op::EndsWith},
    {"_between", Op::Between},
    {"_is_null", Op::IsNull},
    {"_is_not_null", Op::IsNotNull},
    {"_and", Op::And},
    {"_or", Op::Or},
    {"_not", Op::Not},
};

std::optional<Op> operatorFor(QStringView key)
{
    if (!key.startsWith(u'_'))
        return std::nullopt;
    for (const OpName &o : kOps)
        if (key == QLatin1StringView(o.name))
            return o.op;
    return std::nullopt;
}

bool isLogic(Op op)
{
    return op == Op::And || op == Op::Or || op == Op::Not;
}

// Operators that compare a relation's related id.
bool comparesId(Op op)
{
    return !isLogic(op) && op != Op::Contains && op != Op::StartsWith && op != Op::EndsWith;
}

[[noreturn]] void invalid(const QString &message)
{
    throw ApiError::badRequest(QStringLiteral("Invalid filter: ") + message);
}

[[noreturn]] void unknownOperator(QStringView key)
{
    invalid(QStringLiteral("unknown operator %1").arg(key));
}

// Empty parts mean "no restriction".
QByteArray joinAnd(const QByteArrayList &parts)
{
    QByteArrayList kept;
    for (const QByteArray &p : parts)
        if (!p.isEmpty())
            kept << p;
    if (kept.size() == 1)
        return kept.front();
    return kept.isEmpty() ? QByteArray() : '(' + kept.join(" AND ") + ')';
}

QByteArray joinOr(QByteArrayList parts)
{
    if (parts.isEmpty())
        return "0"; // no alternative matches
    // An alternative that always matches stays as "1": the others' parameters are still in the text.
    for (QByteArray &p : parts)
        if (p.isEmpty())
            p = "1";
    return parts.size() == 1 ? parts.front() : '(' + parts.join(" OR ") + ')';
}

QByteArray escapeLike(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    for (char c : text) {
        if (c == '\\' || c == '%' || c == '_')
            out += '\\';
        out += c;
    }
    return out;
}

// One element of a JSON array bound for a long IN list.
QByteArray jsonElement(const SqlValue &value)
{
    if (const qint64 *i = std::get_if<qint64>(&value))
        return QByteArray::number(*i);
    if (const double *d = std::get_if<double>(&value))
        return QByteArray::number(*d, 'g', 17);
    const QByteArray array = QJsonDocument(QJsonArray{QString::fromUtf8(std::get<QByteArray>(value))})
                                 .toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray whereClause(const QByteArray &condition)
{
    return condition.isEmpty() ? QByteArray() : " WHERE " + condition;
}

// Lists longer than this are bound as one JSON array instead of one parameter each.
constexpr qsizetype kMaxInlineList = 32;

} // namespace

FilterCompiler::FilterCompiler(CompileContext &ctx, bool trusted) : m_ctx(ctx), m_trusted(trusted) {}

QByteArray FilterCompiler::compile(const TableDef &table, const QByteArray &alias, const QJsonValue &filter)
{
    m_conditions = 0;
    if (filter.isUndefined() || filter.isNull())
        return {};
    if (!filter.isObject())
        invalid(QStringLiteral("expected an object"));
    return tableObject(table, alias, filter.toObject(), 1);
}

void FilterCompiler::enter(int depth) const
{
    if (depth > m_ctx.limits().maxFilterDepth)
        invalid(QStringLiteral("nesting deeper than %1").arg(m_ctx.limits().maxFilterDepth));
}

void FilterCompiler::countCondition()
{
    if (++m_conditions > m_ctx.limits().maxFilterConditions)
        invalid(QStringLiteral("more than %1 conditions").arg(m_ctx.limits().maxFilterConditions));
}

QByteArray FilterCompiler::logic(QStringView op, const QJsonValue &operand, int depth,
                                 const std::function<QByteArray(const QJsonObject &, int)> &compileOne)
{
    if (op == u"_not") {
        if (!operand.isObject())
            invalid(QStringLiteral("_not expects an object"));
        const QByteArray inner = compileOne(operand.toObject(), depth + 1);
        return inner.isEmpty() ? QByteArray("0") : "NOT (" + inner + ')';
    }
    if (!operand.isArray())
        invalid(QStringLiteral("%1 expects an array of objects").arg(op));
    enter(depth + 1);
    QByteArrayList parts;
    for (const QJsonValue &item : operand.toArray()) {
        if (!item.isObject())
            invalid(QStringLiteral("%1 expects an array of objects").arg(op));
        parts << compileOne(item.toObject(), depth + 2);
    }
    return op == u"_and" ? joinAnd(parts) : joinOr(parts);
}

QByteArray FilterCompiler::tableObject(const TableDef &table, const QByteArray &alias,
                                       const QJsonObject &filter, int depth)
{
    enter(depth);
    QByteArrayList parts;
    for (auto it = filter.begin(); it != filter.end(); ++it) {
        const QString key = it.key();
        if (const ColumnDef *column = table.column(key)) {
            parts << columnFilter(table, alias, *column, it.value(), depth + 1);
        } else if (const RelationDef *relation = table.relation(key)) {
            parts << relationFilter(table, alias, *relation, it.value(), depth + 1);
        } else if (m_trusted && key == kHolds) {
            parts << holds(table, alias, it.value(), depth);
        } else if (const std::optional<Op> op = operatorFor(key)) {
            if (!isLogic(*op))
                invalid(QStringLiteral("%1 needs a field").arg(key));
            parts << logic(key, it.value(), depth,
                           [&](const QJsonObject &o, int d) { return tableObject(table, alias, o, d); });
        } else {
            invalid(QStringLiteral("unknown field %1 on %2").arg(key, table.name));
        }
    }
    return joinAnd(parts);
}

QByteArray FilterCompiler::holds(const TableDef &table, const QByteArray &alias, const QJsonValue &operand,
                                 int depth)
{
    if (!operand.isObject())
        invalid(QStringLiteral("%1 expects an object").arg(kHolds));
    const QByteArray inner = tableObject(table, alias, operand.toObject(), depth + 1);
    // Two-valued: a condition that is NULL for this row (a NULL column compared) does not hold,
    // and stays false under _not.
    return inner.isEmpty() ? QByteArray("1") : "coalesce((" + inner + "), 0)";
}

QByteArray FilterCompiler::columnFilter(const TableDef &table, const QByteArray &alias,
                                        const ColumnDef &column, const QJsonValue &value, int depth)
{
    if (!m_trusted)
        m_ctx.requireReadable(table, column.name, u"filter on");
    const QByteArray expr = m_ctx.column(alias, column.name);
    if (value.isObject())
        return columnObject(expr, column, column.name, value.toObject(), depth);
    if (value.isArray())
        invalid(QStringLiteral("%1 expects an operator object or a value").arg(column.name));
    return comparison(expr, column, column.name, u"_eq", value, depth);
}

QByteArray FilterCompiler::columnObject(const QByteArray &expr, const ColumnDef &column, const QString &field,
                                        const QJsonObject &operators, int depth)
{
    enter(depth);
    QByteArrayList parts;
    for (auto it = operators.begin(); it != operators.end(); ++it) {
        const std::optional<Op> op = operatorFor(it.key());
        if (!op)
            unknownOperator(it.key());
        if (isLogic(*op))
            parts << logic(it.key(), it.value(), depth, [&](const QJsonObject &o, int d) {
                return columnObject(expr, column, field, o, d);
            });
        else
            parts << comparison(expr, column, field, it.key(), it.value(), depth + 1);
    }
    return joinAnd(parts);
}

QByteArray FilterCompiler::comparison(const QByteArray &expr, const ColumnDef &column, const QString &field,
                                      QStringView opName, const QJsonValue &operand, int depth)
{
    const std::optional<Op> op = operatorFor(opName);
    if (!op || isLogic(*op))
        unknownOperator(opName);
    countCondition();
    const SqlDialect &d = m_ctx.dialect();
    auto value = [&](const QJsonValue &v) {
        if (v.isNull() || v.isUndefined())
            invalid(QStringLiteral("%1 expects a value").arg(opName));
        if ((v.isObject() || v.isArray()) && !isJsonStored(column.type))
            invalid(QStringLiteral("%1 expects a value").arg(opName));
        return m_ctx.bind(filterValue(column, v, field));
    };
    switch (*op) {
    case Op::Eq:
        return operand.isNull() ? expr + " IS NULL" : expr + " = " + value(operand);
    case Op::Neq:
        return operand.isNull() ? expr + " IS NOT NULL" : expr + " <> " + value(operand);
    case Op::Gt:
        return expr + " > " + value(operand);
    case Op::Gte:
        return expr + " >= " + value(operand);
    case Op::Lt:
        return expr + " < " + value(operand);
    case Op::Lte:
        return expr + " <= " + value(operand);
    case Op::IsNull:
        return expr + (filterFlag(operand, opName) ? " IS NULL" : " IS NOT NULL");
    case Op::IsNotNull:
        return expr + (filterFlag(operand, opName) ? " IS NOT NULL" : " IS NULL");
    case Op::In:
    case Op::NotIn: {
        enter(depth + 1);
        QList<SqlValue> values;
        for (const QJsonValue &item : filterList(operand, opName)) {
            if (item.isNull())
                continue; // NULL never equals anything and would make NOT IN match nothing
            if (item.isObject() || item.isArray())
                invalid(QStringLiteral("%1 expects a list of values").arg(opName));
            values << filterValue(column, item, field);
        }
        const bool negate = *op == Op::NotIn;
        if (values.isEmpty())
            return negate ? expr + " IS NOT NULL" : QByteArray("0");
        const QByteArray in = negate ? " NOT IN " : " IN ";
        if (values.size() > kMaxInlineList) {
            QByteArrayList elements;
            for (const SqlValue &v : std::as_const(values))
                elements << jsonElement(v);
            const QByteArray set = d.inJsonArray(expr, m_ctx.bind('[' + elements.join(',') + ']'));
            return negate ? "(" + expr + " IS NOT NULL AND NOT " + set + ')' : set;
        }
        QByteArrayList placeholders;
        for (const SqlValue &v : std::as_const(values))
            placeholders << m_ctx.bind(v);
        return expr + in + '(' + placeholders.join(", ") + ')';
    }
    case Op::Between: {
        enter(depth + 1);
        const QJsonArray bounds = filterList(operand, opName);
        if (bounds.size() != 2 || bounds[0].isNull() || bounds[1].isNull())
            invalid(QStringLiteral("_between expects two values"));
        const QByteArray low = value(bounds[0]);
        return expr + " BETWEEN " + low + " AND " + value(bounds[1]);
    }
    case Op::Contains:
    case Op::StartsWith:
    case Op::EndsWith: {
        if (column.type == ColumnType::Boolean)
            invalid(QStringLiteral("%1 needs a text field, %2 is a boolean").arg(opName, field));
        QByteArray text;
        if (operand.isString())
            text = operand.toString().toUtf8();
        else if (operand.isDouble())
            text = QByteArray::number(operand.toDouble(), 'g', QLocale::FloatingPointShortest);
        else
            invalid(QStringLiteral("%1 expects a string").arg(opName));
        QByteArray pattern = escapeLike(Hearth::foldText(text));
        if (*op != Op::StartsWith)
            pattern.prepend('%');
        if (*op != Op::EndsWith)
            pattern.append('%');
        return d.like(d.foldText(expr), m_ctx.bind(pattern));
    }
    default:
        unknownOperator(opName);
    }
}

QByteArray FilterCompiler::relationFilter(const TableDef &table, const QByteArray &alias,
                                          const RelationDef &relation, const QJsonValue &value, int depth)
{
    if (!m_trusted)
        m_ctx.requireReadable(table, relation.propertyName, u"filter on");
    const TableDef &target = m_ctx.targetOf(relation);
    const ColumnDef &targetKey = target.primaryKey();

    // Split the object: operators on the related id, and conditions on the related row.
    QJsonObject idOperators;
    QJsonObject rowFilter;
    if (value.isNull()) {
        idOperators.insert(QStringLiteral("_is_null"), true);
    } else if (value.isObject()) {
        enter(depth);
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::optional<Op> op = operatorFor(it.key());
            if (op && comparesId(*op))
                idOperators.insert(it.key(), it.value());
            else if (op && !isLogic(*op))
                invalid(
                    QStringLiteral("%1 cannot be used on relation %2").arg(it.key(), relation.propertyName));
            else
                rowFilter.insert(it.key(), it.value());
        }
    } else if (value.isArray()) {
        invalid(QStringLiteral("%1 expects an operator object or an id").arg(relation.propertyName));
    } else {
        idOperators.insert(QStringLiteral("_eq"), value);
    }

    // _is_null / _is_not_null test whether a related row exists.
    std::optional<bool> mustExist;
    for (const char *name : {"_is_null", "_is_not_null"}) {
        const QString key = QLatin1StringView(name);
        if (!idOperators.contains(key))
            continue;
        countCondition();
        const bool flag = filterFlag(idOperators.take(key), key);
        const bool exists = (key == u"_is_null") ? !flag : flag;
        if (mustExist && *mustExist != exists)
            return "0";
        mustExist = exists;
    }

    QByteArrayList parts;
    if (relation.ownsForeignKey()) {
        // The foreign key column answers id questions itself, and its index serves row conditions.
        const QByteArray fk = m_ctx.column(alias, relation.foreignKeyColumn);
        if (mustExist)
            parts << fk + (*mustExist ? " IS NOT NULL" : " IS NULL");
        if (!idOperators.isEmpty())
            parts << columnObject(fk, targetKey, relation.propertyName, idOperators, depth + 1);
        if (!rowFilter.isEmpty()) {
            const QByteArray child = m_ctx.newAlias();
            const QByteArray condition = tableObject(target, child, rowFilter, depth);
            countCondition();
            const QByteArray cte = m_ctx.addCte("SELECT " + m_ctx.column(child, targetKey.name) +
                                                " AS k FROM " + m_ctx.dialect().quoteIdentifier(target.name) +
                                                ' ' + child + whereClause(condition));
            // Without a related row the condition is false, not NULL, so that _not inverts it.
            parts << '(' + fk + " IS NOT NULL AND " + fk + " IN (SELECT k FROM " + cte + "))";
        }
        return joinAnd(parts);
    }

    // Inverse and to-many: EXISTS a related row (any one) meeting every condition.
    auto exists = [&](const RelationRows &rows, const QByteArray &condition) {
        const QByteArray cte =
            m_ctx.addCte("SELECT " + rows.parentKey + " AS p FROM " + rows.from + whereClause(condition));
        return "EXISTS " + relatedSubquery(m_ctx, "1", cte, rows, alias);
    };
    if (mustExist) {
        const RelationRows rows = relationRows(m_ctx, relation, table, m_ctx.newAlias(), false);
        parts << (*mustExist ? QByteArray() : QByteArray("NOT ")) + exists(rows, {});
    }
    if (!idOperators.isEmpty() || !rowFilter.isEmpty()) {
        const QByteArray child = m_ctx.newAlias();
        const RelationRows rows = relationRows(m_ctx, relation, table, child, !rowFilter.isEmpty());
        QByteArrayList conditions;
        if (!idOperators.isEmpty())
            conditions << columnObject(rows.targetId, targetKey, relation.propertyName, idOperators,
                                       depth + 1);
        if (!rowFilter.isEmpty())
            conditions << tableObject(target, child, rowFilter, depth);
        countCondition();
        parts << exists(rows, joinAnd(conditions));
    }
    return joinAnd(parts);
}

} // namespace Hearth
