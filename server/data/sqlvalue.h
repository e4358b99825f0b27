#pragma once

#include <QByteArray>
#include <QString>

#include <variant>

namespace Hearth {

// A value bound to an SQL parameter. Text is UTF-8. Kept apart from QVariant
// so binding never guesses a type.
struct SqlNull
{
    bool operator==(const SqlNull &) const = default;
};
using SqlValue = std::variant<SqlNull, qint64, double, QByteArray>;

inline SqlValue sqlText(const QString &s)
{
    return s.toUtf8();
}

} // namespace Hearth
