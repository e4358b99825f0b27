#pragma once

#include <QByteArray>

#include <stdexcept>

namespace Hearth {

// An SQLite failure. Mapped to an API error by the caller, which knows
// which table and which input caused it.
class SqlError : public std::runtime_error
{
public:
    SqlError(int code, int extendedCode, const QByteArray &message, const QByteArray &sql = {})
        : std::runtime_error(message.toStdString()), m_code(code), m_extendedCode(extendedCode), m_sql(sql)
    {}
    int code() const { return m_code; }
    int extendedCode() const { return m_extendedCode; }
    const QByteArray &sql() const { return m_sql; }
    bool isUniqueViolation() const;
    bool isForeignKeyViolation() const;
    bool isNotNullViolation() const;
    bool isCheckViolation() const;

private:
    int m_code;
    int m_extendedCode;
    QByteArray m_sql;
};

} // namespace Hearth
