#pragma once

#include "query/fieldaccess.h"
#include "query/queryoptions.h"
#include "query/sqldialect.h"

namespace Hearth {

// What every part of one compilation shares: the schema, the dialect, the
// limits, the caller's field access, the parameters bound so far and the
// table aliases handed out so far. Copyable, so a statement can start from
// the state of another (the filter's parameters come first in each).
class CompileContext
{
public:
    CompileContext(const Schema &schema, const SqlDialect &dialect, const QueryLimits &limits,
                   const IFieldAccess *access);

    const Schema &schema() const { return *m_schema; }
    const SqlDialect &dialect() const { return *m_dialect; }
    const QueryLimits &limits() const { return *m_limits; }
    bool isTrusted() const { return m_access == nullptr; }

    // Appends a parameter and returns its placeholder.
    QByteArray bind(SqlValue value);
    const QList<SqlValue> &binds() const { return m_binds; }
    // A table alias unique within the statement (t1, t2, …; t0 is the main table).
    QByteArray newAlias();
    // Adds a CTE (inlined by the planner) and returns its name; CTEs may use the ones added before.
    QByteArray addCte(const QByteArray &select);
    // "WITH … " for the CTEs added so far (empty when none), to put before the statement.
    QByteArray withClause() const;

    // alias."name"
    QByteArray column(const QByteArray &alias, QStringView name) const;
    const TableDef &targetOf(const RelationDef &relation) const;

    // Allow for everything in trusted mode; id is never restricted.
    FieldReadRule readRule(const TableDef &table, const QString &field) const;
    // 403 unless the field (and, for a foreign-key column, its relation) is plainly readable:
    // using a hidden or conditional field in a filter, sort or aggregate would reveal it.
    void requireReadable(const TableDef &table, const QString &field, QStringView action) const;

private:
    const Schema *m_schema;
    const SqlDialect *m_dialect;
    const QueryLimits *m_limits;
    const IFieldAccess *m_access;
    QList<SqlValue> m_binds;
    QByteArrayList m_ctes;
    int m_nextAlias = 1;
};

} // namespace Hearth
