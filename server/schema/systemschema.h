#pragma once

#include "schema/schemamodel.h"

namespace Hearth {

// The built-in tables (hearth_*), as definitions for SchemaBuilder. Their
// rows are the metadata of every other table, route and setting.
namespace SystemSchema {
QList<TableDef> definitions();
bool isSystemTableName(QStringView name); // reserved: hearth_* and sqlite_*
} // namespace SystemSchema

} // namespace Hearth
