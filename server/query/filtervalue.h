#pragma once

#include "data/sqlvalue.h"
#include "schema/schemamodel.h"

#include <QJsonArray>
#include <QJsonValue>

namespace Hearth {

// A filter value converted to how the column stores it. Bracket-form query
// strings give every value as a string, so "10" fits an int column and
// "true" a boolean one. Throws 400 "Invalid filter: <field> expects …".
SqlValue filterValue(const ColumnDef &column, const QJsonValue &value, const QString &field);

// The list of an _in-style operator: an array, or the items of "a,b,c".
QJsonArray filterList(const QJsonValue &value, QStringView op);

// true/false, also as "true"/"false" (the operand of _is_null and friends).
bool filterFlag(const QJsonValue &value, QStringView op);

} // namespace Hearth
