#pragma once

#include "schema/schemamodel.h"

#include <QJsonArray>

namespace Hearth {

class SqlConnection;

// Something in the data that a schema change would lose or that stops it.
struct MigrationIssue
{
    QString table;
    QString column;
    qint64 rows = 0;
    bool blocking = false; // the change cannot be applied while these rows exist
    QString message;
};

// Brings the SQLite tables from one built Schema to another. Tables are
// matched by hearth_table id, columns by hearth_column id (a new name is a
// rename) or by the relation that stores them. A table whose columns change
// is rebuilt (create, copy, drop, rename: SQLite's documented procedure) so
// every kept column keeps its data; retyped values are converted.
class SchemaMigrator
{
public:
    SchemaMigrator(const Schema &from, const Schema &to);

    // What the data says about the change; run before apply, and for previews.
    QList<MigrationIssue> inspect(SqlConnection &db) const;
    // Inside a WriteTransaction with foreign keys suspended; throws ApiError
    // 409 on a blocking issue or a broken foreign key.
    void apply(SqlConnection &db) const;

    QStringList affectedTables() const; // tables created, rebuilt, renamed, re-indexed or dropped

private:
    enum class Kind
    {
        Create,
        Drop,
        Rebuild,
        Keep
    };
    struct TablePlan
    {
        Kind kind = Kind::Keep;
        const TableDef *from = nullptr;
        const TableDef *to = nullptr;
    };
    struct ColumnSource
    {
        const ColumnDef *to = nullptr;
        const ColumnDef *from = nullptr; // null: a new column
    };

    QList<ColumnSource> columnSources(const TablePlan &plan) const;
    // The kept value converted to the new column (NULL where it cannot be), then with the default.
    QByteArray conversionExpression(const ColumnSource &source) const;
    QByteArray sourceExpression(const ColumnSource &source) const;
    static bool fillsWithDefault(const ColumnSource &source);
    static bool narrows(const ColumnSource &source); // same type, fewer values accepted (length, options)
    void syncIndexes(SqlConnection &db, const TableDef &table) const;
    qint64 count(SqlConnection &db, const QByteArray &sql) const;

    const Schema &m_from;
    const Schema &m_to;
    QList<TablePlan> m_plans;
    QStringList m_createdJunctions;
    QStringList m_droppedJunctions;
};

} // namespace Hearth
