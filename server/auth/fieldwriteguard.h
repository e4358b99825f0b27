#pragma once

#include "schema/schemamodel.h"

#include <QJsonObject>
#include <QJsonValue>

#include <memory>

namespace Hearth {

class CallerFieldAccess;
class SqlConnection;

// API.md "Field permissions" on writes: a create or update body may not set
// a field whose create/update decision is deny for the caller; a refusal is
// 403 FORBIDDEN "You may not set <table>.<field>". The body is read the way
// RecordWriter reads it:
//   - nested relation objects are creates (no id) or updates ({"id":…, more
//     fields}) of rows of the target table, checked with that table's rules;
//   - a foreign-key storage column (authorId) counts as its relation (author);
//   - a link is part of the rows on both sides: changing it also sets the
//     other side's relation property (the target's inversePropertyName) on
//     the rows that gain or lose the link (an update of existing rows, a
//     create of rows made in the same request);
//   - keys RecordWriter ignores or refuses (id, unknown keys, isUpdatable:false
//     columns in an update) are left to it.
// Conditional rules: an update's against the existing row before the write,
// a create's against the created row after the write. Use inside the write
// transaction: checkCreate/checkUpdate before RecordWriter, checkWritten
// after it, and roll back when any of them throws.
class FieldWriteGuard
{
public:
    FieldWriteGuard(const CallerFieldAccess &access, SqlConnection &db);
    ~FieldWriteGuard();
    FieldWriteGuard(const FieldWriteGuard &) = delete;
    FieldWriteGuard &operator=(const FieldWriteGuard &) = delete;

    void checkCreate(const TableDef &table, const QJsonObject &body);
    void checkUpdate(const TableDef &table, const QJsonValue &id, const QJsonObject &body);
    // id: what RecordWriter returned for the row of checkCreate/checkUpdate.
    void checkWritten(const QJsonValue &id);

    struct Node;

private:
    class Walker;
    const CallerFieldAccess &m_access;
    SqlConnection &m_db;
    std::unique_ptr<Node> m_root;
};

} // namespace Hearth
