#pragma once

#include "data/sqlstatement.h"

#include <QByteArray>
#include <QHashFunctions>
#include <QString>

#include <memory>
#include <unordered_map>

struct sqlite3;

namespace Hearth {

// One SQLite connection (WAL, synchronous=NORMAL, foreign_keys=ON), owned by
// one thread. Keeps a cache of prepared statements keyed by SQL text.
class SqlConnection
{
public:
    static std::unique_ptr<SqlConnection> open(const QString &path); // throws SqlError
    ~SqlConnection();
    SqlConnection(const SqlConnection &) = delete;
    SqlConnection &operator=(const SqlConnection &) = delete;

    // A cached statement; only one borrower per SQL text at a time (nested
    // use of the same text gets a fresh, uncached statement).
    SqlStatement prepare(const QByteArray &sql);
    void exec(const QByteArray &sql); // one or more statements, no results
    void clearStatementCache();       // after DDL, so stale plans are not kept

    qint64 lastInsertRowId() const;
    int changes() const;
    bool inTransaction() const;
    sqlite3 *handle() const { return m_db; }
    const QString &path() const { return m_path; }

private:
    SqlConnection(sqlite3 *db, QString path);
    void registerFunctions();

    sqlite3 *m_db;
    QString m_path;
    struct CachedStatement
    {
        sqlite3_stmt *stmt = nullptr;
        bool inUse = false;
    };
    struct KeyHash
    {
        size_t operator()(const QByteArray &k) const noexcept { return qHash(k); }
    };
    std::unordered_map<QByteArray, std::unique_ptr<CachedStatement>, KeyHash> m_cache;
};

} // namespace Hearth
