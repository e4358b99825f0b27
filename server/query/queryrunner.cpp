#include "query/queryrunner.h"

#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/sqlerror.h"

namespace Hearth {

namespace {

SqlStatement prepared(SqlConnection &db, const CompiledSql &compiled)
{
    try {
        SqlStatement statement = db.prepare(compiled.sql);
        statement.bindAll(compiled.binds);
        return statement;
    } catch (const SqlError &e) {
        // SQLite's own size limits, reached by a request within the query limits: the caller's doing.
        const QByteArray message = e.what();
        if (message.contains("parser stack overflow") || message.contains("too large") ||
            message.contains("too many"))
            throw ApiError::badRequest(QStringLiteral("Query too complex for the database: ") +
                                       QString::fromUtf8(message));
        throw;
    }
}

QByteArray singleText(SqlConnection &db, const CompiledSql &compiled)
{
    SqlStatement statement = prepared(db, compiled);
    return statement.step() ? statement.text(0).toByteArray() : QByteArray();
}

} // namespace

QByteArray runFindToJson(SqlConnection &db, const CompiledFind &find, QByteArray *metaJson)
{
    QByteArray rows = "[";
    {
        SqlStatement statement = prepared(db, find.rows);
        bool first = true;
        while (statement.step()) {
            if (!first)
                rows += ',';
            first = false;
            rows += statement.text(0);
        }
    }
    rows += ']';

    if (metaJson) {
        metaJson->clear();
        auto add = [&](const char *key, const QByteArray &value) {
            *metaJson += (metaJson->isEmpty() ? "{\"" : ",\"") + QByteArray(key) + "\":" + value;
        };
        if (find.totalCount)
            add("totalCount", QByteArray::number(runCount(db, *find.totalCount)));
        if (find.filterCount)
            add("filterCount", QByteArray::number(runCount(db, *find.filterCount)));
        if (find.aggregate)
            add("aggregate", singleText(db, *find.aggregate));
        if (!metaJson->isEmpty())
            *metaJson += '}';
    }
    return rows;
}

qint64 runCount(SqlConnection &db, const CompiledSql &count)
{
    SqlStatement statement = prepared(db, count);
    return statement.step() ? statement.int64(0) : 0;
}

bool runExists(SqlConnection &db, const CompiledSql &exists)
{
    return runCount(db, exists) != 0;
}

} // namespace Hearth
