#pragma once

#include "schema/metadata.h"

namespace Hearth {

class SqlConnection;

// Reads and writes the metadata tables. Callers hold the write transaction
// for the writing functions.
class MetadataStore
{
public:
    // Creates missing system tables, their hearth_table and hearth_route rows
    // and default settings. Idempotent; runs at every start.
    static void bootstrap(SqlConnection &db);

    static MetadataPtr load(SqlConnection &db);
    // The definitions SchemaBuilder needs (system + user), ids filled from the rows.
    static QList<TableDef> loadDefinitions(SqlConnection &db);

    // Deletes (or unlinks, for SET NULL) system rows whose parent row is gone,
    // following the system tables' relations until nothing changes. Schema
    // changes run with foreign keys suspended, so their cascades are done here.
    static void sweepOrphans(SqlConnection &db, const Schema &schema);

    static qint64 schemaRevision(SqlConnection &db);
    static void bumpSchemaRevision(SqlConnection &db);
};

} // namespace Hearth
