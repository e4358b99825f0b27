#pragma once

#include "schema/metadata.h"

#include <QJsonObject>

namespace Hearth {

class Engine;
class SqlConnection;

// The answer to a schema change request: either applied, or a preview of
// what it would do and the hash that confirms it (API.md "Admin endpoints").
struct SchemaChangeResult
{
    bool applied = false;
    qint64 tableId = 0;
    QJsonObject preview;
};

// Creates, changes and drops user tables: writes the metadata rows and
// migrates SQLite in one transaction, then publishes the new metadata.
class SchemaService
{
public:
    SchemaService(Engine &engine, SqlConnection &db);

    // POST /hearth_table: applies at once; returns the new table's id.
    qint64 createTable(const QJsonObject &body);
    // PATCH /hearth_table/:id. Without confirmHash: a preview, nothing changes.
    SchemaChangeResult updateTable(qint64 tableId, QJsonObject body, const QString &confirmHash);
    // DELETE /hearth_table/:id. Without confirmHash: a preview, nothing changes.
    SchemaChangeResult deleteTable(qint64 tableId, const QString &confirmHash);

private:
    const TableDef &userTable(const Metadata &metadata, qint64 tableId) const;
    QString confirmHash(const Metadata &metadata, qint64 tableId, const char *operation,
                        const QJsonObject &body) const;
    void checkConfirmHash(const QString &given, const QString &expected) const;

    Engine &m_engine;
    SqlConnection &m_db;
};

} // namespace Hearth
