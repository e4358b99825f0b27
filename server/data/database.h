#pragma once

#include "data/sqlconnection.h"

#include <QString>

#include <memory>
#include <mutex>

namespace Hearth {

// The database file shared by every worker. Each thread opens its own
// connection; writers take turns through one lock so no request ever meets
// SQLITE_BUSY (WAL lets readers go on meanwhile).
class Database
{
public:
    explicit Database(QString path) : m_path(std::move(path)) {}
    const QString &path() const { return m_path; }
    std::unique_ptr<SqlConnection> connect() const { return SqlConnection::open(m_path); }
    std::mutex &writeMutex() { return m_writeMutex; }

private:
    QString m_path;
    std::mutex m_writeMutex;
};

// BEGIN IMMEDIATE … COMMIT under the writer lock; rolls back unless committed.
// Schema changes rebuild tables, which SQLite only allows with foreign-key
// enforcement off (it cannot be switched inside a transaction); they check
// the keys themselves before committing.
class WriteTransaction
{
public:
    enum class ForeignKeys
    {
        Enforced,
        Suspended
    };
    WriteTransaction(Database &database, SqlConnection &db, ForeignKeys foreignKeys = ForeignKeys::Enforced);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;
    void commit();

private:
    std::unique_lock<std::mutex> m_lock;
    SqlConnection &m_db;
    ForeignKeys m_foreignKeys;
    bool m_done = false;
};

} // namespace Hearth
