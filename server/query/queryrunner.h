#pragma once

#include "query/queryoptions.h"

namespace Hearth {

class SqlConnection;

// Runs a compiled find and returns the rows as JSON array text ("[row,row]").
// metaJson (if given) receives the meta object text with only the asked keys
// ({"totalCount":…,"filterCount":…,"aggregate":{…}}), or is cleared when none
// was asked. The API layer splices both into its envelope without re-parsing.
// Throws SqlError, or ApiError 400 when the statement exceeds SQLite's size limits.
QByteArray runFindToJson(SqlConnection &db, const CompiledFind &find, QByteArray *metaJson = nullptr);

qint64 runCount(SqlConnection &db, const CompiledSql &count);
bool runExists(SqlConnection &db, const CompiledSql &exists);

} // namespace Hearth
