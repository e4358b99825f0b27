#include "query/compilecontext.h"

#include "core/apierror.h"

namespace Hearth {

CompileContext::CompileContext(const Schema &schema, const SqlDialect &dialect, const QueryLimits &limits,
                               const IFieldAccess *access)
    : m_schema(&schema), m_dialect(&dialect), m_limits(&limits), m_access(access)
{}

QByteArray CompileContext::bind(SqlValue value)
{
    m_binds.append(std::move(value));
    return m_dialect->placeholder(int(m_binds.size()));
}

QByteArray CompileContext::newAlias()
{
    return 't' + QByteArray::number(m_nextAlias++);
}

QByteArray CompileContext::addCte(const QByteArray &select)
{
    const QByteArray name = 'q' + QByteArray::number(m_nextAlias++);
    m_ctes << name + " AS NOT MATERIALIZED (" + select + ')';
    return name;
}

QByteArray CompileContext::withClause() const
{
    return m_ctes.isEmpty() ? QByteArray() : "WITH " + m_ctes.join(", ") + ' ';
}

QByteArray CompileContext::column(const QByteArray &alias, QStringView name) const
{
    return alias + '.' + m_dialect->quoteIdentifier(name);
}

const TableDef &CompileContext::targetOf(const RelationDef &relation) const
{
    const TableDef *target = m_schema->table(relation.targetTable);
    if (!target) // a built schema never has one; a hand-made one might
        throw ApiError::badRequest(QStringLiteral("Relation %1 targets unknown table %2")
                                       .arg(relation.propertyName, relation.targetTable));
    return *target;
}

FieldReadRule CompileContext::readRule(const TableDef &table, const QString &field) const
{
    if (!m_access || field == table.primaryKey().name)
        return {};
    return m_access->readRule(table, field);
}

void CompileContext::requireReadable(const TableDef &table, const QString &field, QStringView action) const
{
    if (!m_access)
        return;
    auto refuse = [&](const QString &name) {
        throw ApiError(403, "FORBIDDEN", QStringLiteral("Cannot %1 %2.%3").arg(action, table.name, name));
    };
    if (readRule(table, field).kind != FieldReadRule::Allow)
        refuse(field);
    const ColumnDef *column = table.column(field);
    if (column && column->isForeignKey) {
        for (const RelationDef &r : table.relations)
            if (r.ownsForeignKey() && r.foreignKeyColumn == field &&
                readRule(table, r.propertyName).kind != FieldReadRule::Allow)
                refuse(field);
    }
}

} // namespace Hearth
