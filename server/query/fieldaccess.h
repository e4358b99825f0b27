#pragma once

#include "schema/schemamodel.h"

#include <QJsonValue>
#include <QString>

namespace Hearth {

// How one field (column or relation) of a table may be read by the caller.
struct FieldReadRule
{
    enum Kind
    {
        Allow,
        Deny,
        Conditional
    } kind = Allow;
    QJsonValue condition; // Conditional: a filter on the same table's row
};

// The auth layer's answer to "may this caller read that field?". The query
// compiler asks it while compiling; without one (trusted mode) all is allowed.
class IFieldAccess
{
public:
    virtual ~IFieldAccess() = default;
    virtual FieldReadRule readRule(const TableDef &table, const QString &field) const = 0;
};

} // namespace Hearth
