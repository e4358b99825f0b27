#pragma once

#include "data/sqlvalue.h"

#include <QByteArrayView>
#include <QList>

struct sqlite3_stmt;

namespace Hearth {

// A prepared statement borrowed from a SqlConnection's cache. Reset and
// unbound when returned, so it can be reused by the next caller.
class SqlStatement
{
public:
    // inUse: the cache's flag to clear when done; null for an uncached statement (finalized when done).
    SqlStatement(sqlite3_stmt *stmt, bool *inUse);
    SqlStatement(SqlStatement &&other) noexcept;
    SqlStatement &operator=(SqlStatement &&) = delete;
    SqlStatement(const SqlStatement &) = delete;
    ~SqlStatement();

    void bind(int index, const SqlValue &value); // 1-based
    void bindAll(const QList<SqlValue> &values);
    bool step(); // true: a row is ready; false: done. Throws SqlError.
    void exec(); // steps to the end

    int columnCount() const;
    bool isNull(int column) const;
    int columnType(int column) const; // SQLITE_INTEGER …
    qint64 int64(int column) const;
    double real(int column) const;
    QByteArrayView text(int column) const; // valid until the next step
    QByteArray columnName(int column) const;
    SqlValue value(int column) const;

    sqlite3_stmt *handle() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt;
    bool *m_inUse;
};

} // namespace Hearth
