#pragma once

struct sqlite3;

namespace Hearth {

// SQL functions every Hearth connection has:
//   hearth_fold(text)  case- and accent-folded text (see foldText)
//   hearth_uuid()      a random UUID v4 in its canonical text form
void registerSqlFunctions(sqlite3 *db);

} // namespace Hearth
