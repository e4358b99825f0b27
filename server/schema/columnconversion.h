#pragma once

#include "data/sqlvalue.h"
#include "schema/schemamodel.h"

struct sqlite3;

namespace Hearth {

// Converting data when a column changes type (a migration retypes it).
namespace ColumnConversion {

// The stored value of another column type in the target column's stored
// form, reading leniently ("12" becomes 12, 1 becomes true, 3 becomes "3");
// nullopt when it cannot be converted.
std::optional<SqlValue> convertStored(const SqlValue &value, const ColumnDef &target);

// Registers hearth_convert(value, targetSpec) on a connection, where
// targetSpec is targetSpec() of the column; NULL when not convertible.
void registerSqlFunction(sqlite3 *db);
QByteArray targetSpec(const ColumnDef &target);

} // namespace ColumnConversion

} // namespace Hearth
