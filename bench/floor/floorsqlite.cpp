#include "floorsqlite.h"

#include <sqlite3.h>

#include <mutex>

#include <charconv>
#include <stdexcept>
#include <string>

namespace {

void appendInt(QByteArray &out, sqlite3_int64 value)
{
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, r.ptr - digits);
}

// A JSON string: quotes, backslash and control characters escaped, other
// bytes (UTF-8 included) copied as they are, in runs.
void appendString(QByteArray &out, const unsigned char *text, int size)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    int run = 0;
    for (int i = 0; i < size; ++i) {
        const unsigned char c = text[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(reinterpret_cast<const char *>(text) + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default: {
            const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(esc, 6);
        }
        }
    }
    out.append(reinterpret_cast<const char *>(text) + run, size - run);
    out += '"';
}

void appendTextColumn(QByteArray &out, sqlite3_stmt *s, int column)
{
    if (sqlite3_column_type(s, column) == SQLITE_NULL) {
        out += "null";
        return;
    }
    const unsigned char *text = sqlite3_column_text(s, column);
    appendString(out, text, sqlite3_column_bytes(s, column));
}

// Hearth's row shape for the bench tables.
void appendRow(QByteArray &out, sqlite3_stmt *s)
{
    out += "{\"id\":";
    appendInt(out, sqlite3_column_int64(s, 0));
    out += ",\"title\":";
    appendTextColumn(out, s, 1);
    out += ",\"description\":";
    appendTextColumn(out, s, 2);
    out += sqlite3_column_int64(s, 3) ? ",\"public\":true" : ",\"public\":false";
    out += ",\"type\":";
    appendTextColumn(out, s, 4);
    out += ",\"createdAt\":";
    appendTextColumn(out, s, 6);
    out += ",\"updatedAt\":";
    appendTextColumn(out, s, 7);
    if (sqlite3_column_type(s, 5) == SQLITE_NULL) {
        out += ",\"author\":null}";
    } else {
        out += ",\"author\":{\"id\":";
        appendInt(out, sqlite3_column_int64(s, 5));
        out += "}}";
    }
}

bool parseInt(QByteArrayView text, qint64 *value)
{
    if (text.isEmpty())
        return false;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), *value);
    return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

Hearth::HttpResponse jsonError(int status, const char *message)
{
    return Hearth::HttpResponse::json(status, "{\"statusCode\":" + QByteArray::number(status) +
                                                  ",\"message\":\"" + message + "\"}");
}

class FloorSqliteHandler : public Hearth::IRequestHandler
{
public:
    explicit FloorSqliteHandler(const QString &path)
    {
        const QByteArray file = path.toUtf8();
        // As Hearth does: no global memory statistics (a process-wide lock per allocation).
        static std::once_flag configured;
        std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
        if (sqlite3_open_v2(file.constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK) {
            const std::string message = m_db ? sqlite3_errmsg(m_db) : "cannot open";
            sqlite3_close_v2(m_db);
            throw std::runtime_error(message + ": " + file.toStdString());
        }
        sqlite3_busy_timeout(m_db, 10'000);
        // The same connection settings as Hearth's SqlConnection.
        sqlite3_exec(m_db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                     "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000; PRAGMA mmap_size=268435456;",
                     nullptr, nullptr, nullptr);
    }
    ~FloorSqliteHandler() override
    {
        for (auto &perTable : m_statements)
            for (sqlite3_stmt *s : perTable)
                sqlite3_finalize(s);
        sqlite3_close_v2(m_db);
    }

    void handle(const Hearth::HttpRequest &request, Hearth::HttpResponder respond) override
    {
        try {
            respond(dispatch(request));
        } catch (const std::exception &) {
            respond(jsonError(500, "Internal error"));
        }
    }

private:
    enum Kind { ById = 0, List = 1, Count = 5 }; // List/Count + where mask (1: public, 2: author)

    Hearth::HttpResponse dispatch(const Hearth::HttpRequest &request)
    {
        if (request.method != "GET")
            return jsonError(405, "Method not allowed");
        QByteArrayView path = request.path;
        QByteArrayView id;
        if (const qsizetype slash = path.lastIndexOf('/'); slash > 0) {
            id = path.sliced(slash + 1);
            path = path.first(slash);
        }
        QByteArrayView table = path.size() > 1 ? path.sliced(1) : QByteArrayView();

        qint64 limit = 20, publicValue = -1, author = -1, count = 0;
        const QByteArrayView query = request.rawQuery;
        for (qsizetype pos = 0; pos < query.size();) {
            qsizetype amp = query.indexOf('&', pos);
            if (amp < 0)
                amp = query.size();
            const QByteArrayView pair = query.sliced(pos, amp - pos);
            pos = amp + 1;
            const qsizetype eq = pair.indexOf('=');
            if (eq < 0)
                continue;
            const QByteArrayView key = pair.first(eq), value = pair.sliced(eq + 1);
            bool ok = true;
            if (key == "table")
                table = value;
            else if (key == "limit")
                ok = parseInt(value, &limit) && limit >= 1 && limit <= 1000;
            else if (key == "public")
                ok = parseInt(value, &publicValue) && (publicValue == 0 || publicValue == 1);
            else if (key == "author")
                ok = parseInt(value, &author);
            else if (key == "count")
                ok = parseInt(value, &count);
            if (!ok)
                return jsonError(400, "Bad query parameter");
        }
        int tableIndex; // identifiers only from this list
        if (table == "posts")
            tableIndex = 0;
        else if (table == "posts100k")
            tableIndex = 1;
        else
            return jsonError(404, "Not found");
        const int mask = (publicValue >= 0 ? 1 : 0) | (author >= 0 ? 2 : 0);

        QByteArray out;
        out.reserve(int(limit) * 700 + 128);
        if (!id.isEmpty()) {
            qint64 key = 0;
            if (!parseInt(id, &key))
                return jsonError(400, "Bad id");
            sqlite3_stmt *s = statement(tableIndex, ById);
            sqlite3_bind_int64(s, 1, key);
            out += "{\"statusCode\":200,\"data\":[";
            const bool found = sqlite3_step(s) == SQLITE_ROW;
            if (found)
                appendRow(out, s);
            sqlite3_reset(s);
            if (!found)
                return jsonError(404, "Not found");
            out += "],\"message\":\"Success\"}";
            return Hearth::HttpResponse::json(200, std::move(out));
        }

        sqlite3_stmt *s = statement(tableIndex, List + mask);
        bindWhere(s, publicValue, author);
        sqlite3_bind_int64(s, 3, limit);
        out += "{\"statusCode\":200,\"data\":[";
        bool first = true;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (!first)
                out += ',';
            first = false;
            appendRow(out, s);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            throw std::runtime_error(sqlite3_errmsg(m_db));
        out += ']';
        if (count) {
            sqlite3_stmt *c = statement(tableIndex, Count + mask);
            bindWhere(c, publicValue, author);
            if (sqlite3_step(c) != SQLITE_ROW) {
                sqlite3_reset(c);
                throw std::runtime_error(sqlite3_errmsg(m_db));
            }
            out += ",\"meta\":{\"filterCount\":";
            appendInt(out, sqlite3_column_int64(c, 0));
            out += '}';
            sqlite3_reset(c);
        }
        out += ",\"message\":\"Success\"}";
        return Hearth::HttpResponse::json(200, std::move(out));
    }

    static void bindWhere(sqlite3_stmt *s, qint64 publicValue, qint64 author)
    {
        if (publicValue >= 0)
            sqlite3_bind_int64(s, 1, publicValue);
        if (author >= 0)
            sqlite3_bind_int64(s, 2, author);
    }

    // Prepared on first use, then kept (reset and rebound) for the life of the worker.
    sqlite3_stmt *statement(int tableIndex, int kind)
    {
        sqlite3_stmt *&slot = m_statements[tableIndex][kind];
        if (slot)
            return slot;
        const QByteArray table = tableIndex == 0 ? "\"posts\"" : "\"posts100k\"";
        const int mask = kind == ById ? 0 : (kind - (kind >= Count ? Count : List));
        QByteArray where;
        if (mask & 1)
            where += " WHERE public = ?1";
        if (mask & 2)
            where += (where.isEmpty() ? " WHERE" : " AND") + QByteArray(" authorId = ?2");
        const QByteArray columns =
            "SELECT id,title,description,public,type,authorId,createdAt,updatedAt FROM " + table;
        QByteArray sql;
        if (kind == ById)
            sql = columns + " WHERE id = ?1";
        else if (kind < Count)
            sql = columns + where + " ORDER BY id LIMIT ?3";
        else
            sql = "SELECT COUNT(*) FROM " + table + where;
        if (sqlite3_prepare_v3(m_db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &slot,
                               nullptr) != SQLITE_OK) {
            slot = nullptr;
            throw std::runtime_error(sqlite3_errmsg(m_db));
        }
        return slot;
    }

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statements[2][9] = {};
};

} // namespace

std::unique_ptr<Hearth::IRequestHandler> FloorSqliteHandlerFactory::create(int)
{
    return std::make_unique<FloorSqliteHandler>(m_path);
}
