#include "data/sqlstatement.h"

#include "data/sqlerror.h"

#include <sqlite3.h>

namespace Hearth {

namespace {
[[noreturn]] void throwFor(sqlite3_stmt *stmt, int rc)
{
    sqlite3 *db = sqlite3_db_handle(stmt);
    throw SqlError(rc & 0xff, sqlite3_extended_errcode(db), sqlite3_errmsg(db), sqlite3_sql(stmt));
}
} // namespace

SqlStatement::SqlStatement(sqlite3_stmt *stmt, bool *inUse) : m_stmt(stmt), m_inUse(inUse) {}

SqlStatement::SqlStatement(SqlStatement &&other) noexcept : m_stmt(other.m_stmt), m_inUse(other.m_inUse)
{
    other.m_stmt = nullptr;
    other.m_inUse = nullptr;
}

SqlStatement::~SqlStatement()
{
    if (!m_stmt)
        return;
    if (m_inUse) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
        *m_inUse = false;
    } else {
        sqlite3_finalize(m_stmt);
    }
}

void SqlStatement::bind(int index, const SqlValue &value)
{
    int rc = SQLITE_OK;
    if (std::holds_alternative<SqlNull>(value))
        rc = sqlite3_bind_null(m_stmt, index);
    else if (const qint64 *i = std::get_if<qint64>(&value))
        rc = sqlite3_bind_int64(m_stmt, index, *i);
    else if (const double *d = std::get_if<double>(&value))
        rc = sqlite3_bind_double(m_stmt, index, *d);
    else {
        const QByteArray &text = std::get<QByteArray>(value);
        // SQLITE_TRANSIENT: the statement may outlive the caller's buffer.
        rc = sqlite3_bind_text(m_stmt, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK)
        throwFor(m_stmt, rc);
}

void SqlStatement::bindAll(const QList<SqlValue> &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        bind(int(i + 1), values[i]);
}

bool SqlStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    sqlite3_reset(m_stmt);
    throwFor(m_stmt, rc);
}

void SqlStatement::exec()
{
    while (step()) {
    }
}

int SqlStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}
bool SqlStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}
int SqlStatement::columnType(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}
qint64 SqlStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}
double SqlStatement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QByteArrayView SqlStatement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QByteArrayView(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray SqlStatement::columnName(int column) const
{
    return sqlite3_column_name(m_stmt, column);
}

SqlValue SqlStatement::value(int column) const
{
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_NULL:
        return SqlNull{};
    case SQLITE_INTEGER:
        return qint64(sqlite3_column_int64(m_stmt, column));
    case SQLITE_FLOAT:
        return sqlite3_column_double(m_stmt, column);
    default:
        return text(column).toByteArray();
    }
}

bool SqlError::isUniqueViolation() const
{
    return m_extendedCode == SQLITE_CONSTRAINT_UNIQUE || m_extendedCode == SQLITE_CONSTRAINT_PRIMARYKEY;
}
bool SqlError::isForeignKeyViolation() const
{
    return m_extendedCode == SQLITE_CONSTRAINT_FOREIGNKEY;
}
bool SqlError::isNotNullViolation() const
{
    return m_extendedCode == SQLITE_CONSTRAINT_NOTNULL;
}
bool SqlError::isCheckViolation() const
{
    return m_extendedCode == SQLITE_CONSTRAINT_CHECK;
}

} // namespace Hearth
