#include "query/queryrunner.h"

#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/sqlerror.h"

#include <cmath>

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

// JSON string escaping of UTF-8 text (stored text is valid UTF-8: checked on the way in).
void appendJsonString(QByteArray &out, QByteArrayView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const char *run = text.data();
    const char *end = text.data() + text.size();
    for (const char *p = run; p < end; ++p) {
        const uchar c = uchar(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(run, end - run);
    out += '"';
}

void appendValue(QByteArray &out, const SqlStatement &row, int column, RowField::Kind kind)
{
    const int type = row.columnType(column);
    if (type == 5 /* SQLITE_NULL */) {
        out += "null";
        return;
    }
    switch (kind) {
    case RowField::Kind::Boolean:
        out += row.int64(column) ? "true" : "false";
        return;
    case RowField::Kind::JsonText:
        out += row.text(column);
        return;
    case RowField::Kind::Scalar:
        if (type == 1 /* SQLITE_INTEGER */) {
            out += row.text(column);
            return;
        }
        if (type == 2 /* SQLITE_FLOAT */) {
            out += std::isfinite(row.real(column)) ? row.text(column) : QByteArrayView("null");
            return;
        }
        break; // text in a number column: written as the text it is
    case RowField::Kind::Text:
        break;
    }
    appendJsonString(out, row.text(column));
}

void appendRow(QByteArray &out, const SqlStatement &row, const QList<RowField> &fields)
{
    out += '{';
    int column = 0;
    bool first = true;
    for (const RowField &field : fields) {
        if (field.conditional && !row.int64(column++)) {
            ++column; // hidden on this row: skip its value too
            continue;
        }
        if (!first)
            out += ',';
        first = false;
        out += field.key;
        appendValue(out, row, column++, field.kind);
    }
    out += '}';
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
            if (find.fields.isEmpty())
                rows += statement.text(0);
            else
                appendRow(rows, statement, find.fields);
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
