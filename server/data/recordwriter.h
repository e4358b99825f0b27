#pragma once

#include "schema/schemamodel.h"

#include <QJsonObject>
#include <QJsonValue>

namespace Hearth {

class SqlConnection;

// The write side of the canonical routes (POST/PATCH/DELETE /<table>) and of
// $repos in scripts. Validates a JSON body against the schema (API.md "Tables
// and canonical routes"), writes the row, its nested relation rows and links,
// and maps every refusal to an ApiError:
//   - unknown key                         400 BAD_REQUEST "<key> is not allowed" (before validation)
//   - wrong type, missing required, …     400 VALIDATION_ERROR, all messages in one array
//   - PATCH/DELETE of a missing row       400 "id <X> is not exists!"
//   - unique index violation              409 CONFLICT "<column> must be unique", details {field}
//   - delete blocked by a relation        409 CONFLICT "Cannot delete: <table> <id> is still referenced by
//   <t>"
//   - any other SQLite failure            500 INTERNAL_ERROR (logged, never returned)
// The caller owns the transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any
// exception): a refused write may have written part of a nested body.
//
// Relation values: owning to-one (many-to-one, owning one-to-one) take an id,
// {"id":…} (link), {"id":…, more fields} (link and update that row), an
// object without id (create it, then link) or null (unlink). To-many
// (one-to-many, many-to-many) take an array of those forms (null items
// refused); inverse one-to-one takes one such value, null, or an array of at
// most one. On create the list sets the related rows; on update it replaces
// them. The storage column of an owning relation (authorId) is accepted in
// place of the relation (author), with an id or null only.
class RecordWriter
{
public:
    RecordWriter(SqlConnection &db, const Schema &schema);
    // bcrypt cost for password columns (hashOnWrite); the hearth_setting bcryptCost.
    void setPasswordCost(int cost) { m_passwordCost = cost; }

    // Returns the new row's id (a number, or a string for uuid tables).
    QJsonValue create(const TableDef &table, const QJsonObject &body);
    // Partial update (only the given keys change; updatedAt is always bumped).
    // Returns the row's id in its stored form ("3" from a URL comes back as 3).
    QJsonValue update(const TableDef &table, const QJsonValue &id, const QJsonObject &body);
    void remove(const TableDef &table, const QJsonValue &id);

private:
    SqlConnection &m_db;
    const Schema &m_schema;
    int m_passwordCost = 10;
};

} // namespace Hearth
