#include "query/querycompiler.h"

#include "core/apierror.h"
#include "query/aggregatecompiler.h"
#include "query/compilecontext.h"
#include "query/fieldselection.h"
#include "query/filtercompiler.h"
#include "query/rowjson.h"
#include "query/sortcompiler.h"
#include "query/sqlitedialect.h"

#include <limits>

namespace Hearth {

namespace {

const QByteArray kMainAlias = QByteArrayLiteral("t0");

struct Paging
{
    qint64 limit;
    qint64 offset;
};

Paging paging(const QueryOptions &options, const QueryLimits &limits)
{
    const qint64 limit = options.limit.value_or(limits.defaultLimit);
    if (limit < 0)
        throw ApiError::badRequest(QStringLiteral("Invalid limit: expected an integer of at least 0"));
    if (limit > limits.maxQueryLimit)
        throw ApiError::badRequest(
            QStringLiteral("Invalid limit: above the maximum of %1").arg(limits.maxQueryLimit));
    if (options.page < 1)
        throw ApiError::badRequest(QStringLiteral("Invalid page: expected an integer of at least 1"));
    const qint64 effective = limit == 0 ? limits.maxQueryLimit : limit;
    if (effective > 0 && options.page - 1 > std::numeric_limits<qint64>::max() / effective)
        throw ApiError::badRequest(QStringLiteral("Invalid page: too large"));
    return {effective, (options.page - 1) * effective};
}

QByteArray whereClause(const QByteArray &condition)
{
    return condition.isEmpty() ? QByteArray() : " WHERE " + condition;
}

} // namespace

QueryCompiler::QueryCompiler(const Schema &schema, QueryLimits limits, const IFieldAccess *access)
    : QueryCompiler(schema, SqliteDialect::instance(), limits, access)
{}

QueryCompiler::QueryCompiler(const Schema &schema, const SqlDialect &dialect, QueryLimits limits,
                             const IFieldAccess *access)
    : m_schema(&schema), m_dialect(&dialect), m_limits(limits), m_access(access)
{}

CompiledFind QueryCompiler::compileFind(const TableDef &table, const QueryOptions &options) const
{
    const Paging page = paging(options, m_limits);
    CompileContext ctx(*m_schema, *m_dialect, m_limits, m_access);
    const QByteArray from = m_dialect->quoteIdentifier(table.name) + ' ' + kMainAlias;

    // The filter is compiled first, so its parameters come first in every statement.
    const QByteArray where = whereClause(FilterCompiler(ctx).compile(table, kMainAlias, options.filter));
    const CompileContext afterFilter = ctx;

    const std::unique_ptr<SelectionNode> selection = buildSelection(ctx, table, options.fields, options.deep);
    const CompiledSort sort = compileSort(ctx, table, kMainAlias, options.sort);
    const RowColumns columns = rowColumns(ctx, *selection, kMainAlias);
    const QByteArray &json = columns.selectList;
    const QByteArray orderBy = " ORDER BY " + sort.orderBy();
    const QByteArray limit = m_dialect->limitOffset(page.limit, page.offset);

    CompiledFind find;
    find.fields = columns.fields;
    if (sort.byKeyOnly()) {
        // Walks the primary key (or an index on the filter) in order and stops at the limit.
        find.rows.sql = ctx.withClause() + "SELECT " + json + " FROM " + from + where + orderBy + limit;
    } else {
        // Picks the page's keys first, so the JSON is built for those rows only, not for every row sorted.
        const QByteArray key = m_dialect->quoteIdentifier(table.primaryKey().name);
        find.rows.sql = ctx.withClause() + "SELECT " + json + " FROM " + from + " WHERE " + kMainAlias + '.' +
                        key + " IN (SELECT " + kMainAlias + '.' + key + " FROM " + from + where + orderBy +
                        limit + ')' + orderBy;
    }
    find.rows.binds = ctx.binds();

    if (options.metaTotalCount)
        find.totalCount = CompiledSql{"SELECT count(*) FROM " + m_dialect->quoteIdentifier(table.name), {}};
    if (options.metaFilterCount)
        find.filterCount = CompiledSql{afterFilter.withClause() + "SELECT count(*) FROM " + from + where,
                                       afterFilter.binds()};
    if (!options.aggregate.isEmpty()) {
        CompileContext aggregateCtx = afterFilter;
        const QByteArray expr = compileAggregate(aggregateCtx, table, kMainAlias, options.aggregate);
        find.aggregate = CompiledSql{aggregateCtx.withClause() + "SELECT " + expr + " FROM " + from + where,
                                     aggregateCtx.binds()};
    }
    return find;
}

CompiledSql QueryCompiler::compileExists(const TableDef &table, const QJsonValue &filter) const
{
    CompileContext ctx(*m_schema, *m_dialect, m_limits, m_access);
    const QByteArray where = whereClause(FilterCompiler(ctx).compile(table, kMainAlias, filter));
    return {ctx.withClause() + "SELECT EXISTS (SELECT 1 FROM " + m_dialect->quoteIdentifier(table.name) +
                ' ' + kMainAlias + where + ')',
            ctx.binds()};
}

CompiledSql QueryCompiler::compileCount(const TableDef &table, const QJsonValue &filter) const
{
    CompileContext ctx(*m_schema, *m_dialect, m_limits, m_access);
    const QByteArray where = whereClause(FilterCompiler(ctx).compile(table, kMainAlias, filter));
    return {ctx.withClause() + "SELECT count(*) FROM " + m_dialect->quoteIdentifier(table.name) + ' ' +
                kMainAlias + where,
            ctx.binds()};
}

CompiledSql QueryCompiler::compileRowTest(const TableDef &table, const QJsonValue &condition,
                                          const SqlValue &key) const
{
    CompileContext ctx(*m_schema, *m_dialect, m_limits, nullptr);
    const QByteArray test = FilterCompiler(ctx, true).compile(table, kMainAlias, condition);
    const QByteArray keyColumn = ctx.column(kMainAlias, table.primaryKey().name);
    const QByteArray placeholder = ctx.bind(key);
    return {ctx.withClause() + "SELECT " +
                (test.isEmpty() ? QByteArray("1") : "coalesce((" + test + "), 0)") + " FROM " +
                m_dialect->quoteIdentifier(table.name) + ' ' + kMainAlias + " WHERE " + keyColumn + " = " +
                placeholder,
            ctx.binds()};
}

} // namespace Hearth
