#include "data/sqlconnection.h"

#include "data/sqlerror.h"
#include "data/sqlfunctions.h"

#include <sqlite3.h>

#include <mutex>

namespace Hearth {

namespace {
constexpr size_t kMaxCachedStatements = 512;
constexpr int kBusyTimeoutMs = 10'000;
} // namespace

std::unique_ptr<SqlConnection> SqlConnection::open(const QString &path)
{
    // SQLite keeps memory statistics behind one process-wide mutex that every
    // allocation takes; with several workers it becomes the hottest lock of a
    // list request. Hearth never reads those statistics. Must precede the
    // first use of SQLite.
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });

    sqlite3 *db = nullptr;
    const QByteArray file = path.toUtf8();
    const int rc = sqlite3_open_v2(file.constData(), &db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const QByteArray message = db ? QByteArray(sqlite3_errmsg(db)) : QByteArray("cannot open database");
        sqlite3_close_v2(db);
        throw SqlError(rc, rc, message + ": " + file);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    std::unique_ptr<SqlConnection> connection(new SqlConnection(db, path));
    connection->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                     "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;"
                     // Checkpoints run on their own thread (WalCheckpointer), never inside a request.
                     "PRAGMA wal_autocheckpoint=0;");
    connection->registerFunctions();
    return connection;
}

SqlConnection::SqlConnection(sqlite3 *db, QString path) : m_db(db), m_path(std::move(path)) {}

SqlConnection::~SqlConnection()
{
    for (auto &[sql, cached] : m_cache)
        sqlite3_finalize(cached->stmt);
    m_cache.clear();
    sqlite3_close_v2(m_db);
}

void SqlConnection::registerFunctions()
{
    registerSqlFunctions(m_db);
}

SqlStatement SqlConnection::prepare(const QByteArray &sql)
{
    auto it = m_cache.find(sql);
    if (it != m_cache.end() && !it->second->inUse) {
        it->second->inUse = true;
        return SqlStatement(it->second->stmt, &it->second->inUse);
    }
    sqlite3_stmt *stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(m_db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
        throw SqlError(rc & 0xff, sqlite3_extended_errcode(m_db), sqlite3_errmsg(m_db), sql);
    if (it != m_cache.end()) // the cached one is busy (nested use): hand out a private one
        return SqlStatement(stmt, nullptr);
    if (m_cache.size() >= kMaxCachedStatements)
        clearStatementCache();
    auto cached = std::make_unique<CachedStatement>();
    cached->stmt = stmt;
    cached->inUse = true;
    bool *inUse = &cached->inUse;
    m_cache.emplace(sql, std::move(cached));
    return SqlStatement(stmt, inUse);
}

void SqlConnection::exec(const QByteArray &sql)
{
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        const QByteArray message = error ? QByteArray(error) : QByteArray(sqlite3_errmsg(m_db));
        sqlite3_free(error);
        throw SqlError(rc & 0xff, sqlite3_extended_errcode(m_db), message, sql);
    }
}

void SqlConnection::clearStatementCache()
{
    for (auto it = m_cache.begin(); it != m_cache.end();) {
        if (it->second->inUse) {
            ++it;
            continue;
        }
        sqlite3_finalize(it->second->stmt);
        it = m_cache.erase(it);
    }
}

qint64 SqlConnection::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}
int SqlConnection::changes() const
{
    return sqlite3_changes(m_db);
}
bool SqlConnection::inTransaction() const
{
    return !sqlite3_get_autocommit(m_db);
}

} // namespace Hearth
