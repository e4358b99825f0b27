#pragma once

#include "query/fieldaccess.h"
#include "query/queryoptions.h"
#include "query/queryrunner.h" // runFindToJson: compile and run usually go together
#include "query/sqldialect.h"

namespace Hearth {

// A find (API.md "Query parameters") -> SQL that builds the response JSON
// inside the database. No HTTP here: scripts reuse it. Cheap to construct
// (it keeps pointers), so one per request with that caller's field access is
// fine; the schema, dialect and access object must outlive it.
class QueryCompiler
{
public:
    QueryCompiler(const Schema &schema, QueryLimits limits = {}, const IFieldAccess *access = nullptr);
    QueryCompiler(const Schema &schema, const SqlDialect &dialect, QueryLimits limits = {},
                  const IFieldAccess *access = nullptr);

    // Throws ApiError: 400 for bad options, 403 for a field the caller may not use.
    CompiledFind compileFind(const TableDef &table, const QueryOptions &options) const;
    CompiledSql compileExists(const TableDef &table, const QJsonValue &filter) const; // one integer 0/1
    CompiledSql compileCount(const TableDef &table, const QJsonValue &filter) const;  // one integer
    // Whether the row with that key meets a condition the server defines (a
    // field permission's): trusted (no field-access checks, _holds allowed),
    // and false when the condition is NULL. One integer 0/1, or no row when
    // the key is absent.
    CompiledSql compileRowTest(const TableDef &table, const QJsonValue &condition, const SqlValue &key) const;

    const QueryLimits &limits() const { return m_limits; }

private:
    const Schema *m_schema;
    const SqlDialect *m_dialect;
    QueryLimits m_limits;
    const IFieldAccess *m_access;
};

} // namespace Hearth
