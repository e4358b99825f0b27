#include "schema/schemabuilder.h"

#include "core/apierror.h"

#include <QSet>

namespace Hearth {

namespace {

ColumnDef builtinColumn(const QString &name, ColumnType type)
{
    ColumnDef c;
    c.name = name;
    c.type = type;
    c.isGenerated = true;
    c.isNullable = false;
    c.isUpdatable = false;
    return c;
}

ColumnDef primaryKeyColumn(PrimaryKeyType type)
{
    ColumnDef c = builtinColumn(QStringLiteral("id"),
                                type == PrimaryKeyType::Uuid ? ColumnType::Uuid : ColumnType::Int);
    c.isPrimary = true;
    return c;
}

ColumnType foreignKeyType(const TableDef &target)
{
    return target.primaryKeyType == PrimaryKeyType::Uuid ? ColumnType::Uuid : ColumnType::Int;
}

[[noreturn]] void fail(const QString &message)
{
    throw ApiError::badRequest(message);
}

// SQLite column names are case-insensitive: "ownerid" and "ownerId" are the same column.
const ColumnDef *sqlColumn(const TableDef &table, const QString &name)
{
    for (const ColumnDef &c : table.columns)
        if (c.name.compare(name, Qt::CaseInsensitive) == 0)
            return &c;
    return nullptr;
}

void addForeignKeyColumn(TableDef &table, const QString &name, const TableDef &target,
                         const RelationDef &relation, bool unique)
{
    if (const ColumnDef *taken = sqlColumn(table, name))
        fail(QStringLiteral("Relation %1 needs column %2.%3, which already exists%4")
                 .arg(relation.propertyName, table.name, name,
                      taken->name == name ? QString() : QStringLiteral(" as ") + taken->name));
    ColumnDef c;
    c.name = name;
    c.type = foreignKeyType(target);
    c.isForeignKey = true;
    c.relationId = relation.id;
    c.isNullable = relation.isNullable;
    c.isPublished = relation.isPublished;
    c.isUnique = unique;
    c.isIndexed = true;
    table.columns.append(c);
}

void checkPropertyFree(const TableDef &table, const QString &name)
{
    if (!isValidIdentifier(name))
        fail(QStringLiteral("Invalid relation name %1 on %2").arg(name, table.name));
    if (table.storedColumn(name) || table.relation(name))
        fail(QStringLiteral("%1 already has a column or relation named %2").arg(table.name, name));
}

} // namespace

QString SchemaBuilder::foreignKeyColumnName(const QString &propertyName)
{
    return propertyName + QStringLiteral("Id");
}

QString SchemaBuilder::junctionTableName(const QString &table, const RelationDef &relation)
{
    // Named after the relation's id so that renaming either side keeps it.
    if (relation.id > 0)
        return QStringLiteral("hearth_junction_%1").arg(relation.id);
    return QStringLiteral("%1_%2_junction").arg(table, relation.propertyName);
}

Schema SchemaBuilder::build(QList<TableDef> definitions, quint64 version)
{
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < definitions.size(); ++i) {
        if (index.contains(definitions[i].name))
            fail(QStringLiteral("Table %1 is defined twice").arg(definitions[i].name));
        index.insert(definitions[i].name, i);
    }

    // Columns first: the built-in ones around the user's.
    QList<QList<RelationDef>> defined;
    for (TableDef &t : definitions) {
        QList<ColumnDef> columns{primaryKeyColumn(t.primaryKeyType)};
        QSet<QString> seen{QStringLiteral("id"), QStringLiteral("createdat"), QStringLiteral("updatedat")};
        for (const ColumnDef &c : std::as_const(t.columns)) {
            if (c.name == u"id" || c.name == u"createdAt" || c.name == u"updatedAt")
                continue; // built-in, never user-defined
            // SQLite compares column names case-insensitively.
            if (seen.contains(c.name.toLower()))
                fail(
                    QStringLiteral("Column %1.%2 is defined twice (id, createdAt and updatedAt are built in; "
                                   "names differing only in case are the same column)")
                        .arg(t.name, c.name));
            seen.insert(c.name.toLower());
            columns.append(c);
        }
        t.columns = columns;
        defined.append(t.relations);
        t.relations.clear();
    }

    // Then relations: each defined relation, its storage and its inverse.
    for (qsizetype i = 0; i < definitions.size(); ++i) {
        for (RelationDef r : std::as_const(defined[i])) {
            TableDef &source = definitions[i];
            checkPropertyFree(source, r.propertyName);
            const auto targetIt = index.constFind(r.targetTable);
            if (targetIt == index.cend())
                fail(QStringLiteral("Relation %1.%2 targets unknown table %3")
                         .arg(source.name, r.propertyName, r.targetTable));
            TableDef &target = definitions[*targetIt];
            r.isInverse = false;

            RelationDef inverse;
            inverse.id = r.id;
            inverse.propertyName = r.inversePropertyName;
            inverse.targetTable = source.name;
            inverse.inversePropertyName = r.propertyName;
            inverse.isInverse = true;
            inverse.isNullable = true;
            inverse.onDelete = r.onDelete;
            inverse.isPublished = r.isPublished;

            switch (r.type) {
            case RelationType::ManyToOne:
            case RelationType::OneToOne: {
                r.foreignKeyColumn = foreignKeyColumnName(r.propertyName);
                addForeignKeyColumn(source, r.foreignKeyColumn, target, r, r.type == RelationType::OneToOne);
                inverse.type =
                    r.type == RelationType::ManyToOne ? RelationType::OneToMany : RelationType::OneToOne;
                inverse.foreignKeyColumn = r.foreignKeyColumn;
                break;
            }
            case RelationType::OneToMany: {
                if (r.inversePropertyName.isEmpty())
                    fail(QStringLiteral(
                             "One-to-many relation %1.%2 needs inversePropertyName (the field on %3)")
                             .arg(source.name, r.propertyName, target.name));
                r.foreignKeyColumn = foreignKeyColumnName(r.inversePropertyName);
                // The storage is the inverse's: a many-to-one on the target.
                RelationDef owning = r;
                owning.propertyName = r.inversePropertyName;
                addForeignKeyColumn(target, r.foreignKeyColumn, source, owning, false);
                inverse.type = RelationType::ManyToOne;
                inverse.foreignKeyColumn = r.foreignKeyColumn;
                inverse.isNullable = r.isNullable;
                break;
            }
            case RelationType::ManyToMany: {
                r.junctionTable = junctionTableName(source.name, r);
                r.junctionSourceColumn = QStringLiteral("sourceId");
                r.junctionTargetColumn = QStringLiteral("targetId");
                inverse.type = RelationType::ManyToMany;
                inverse.junctionTable = r.junctionTable;
                inverse.junctionSourceColumn = r.junctionTargetColumn;
                inverse.junctionTargetColumn = r.junctionSourceColumn;
                break;
            }
            }
            source.relations.append(r);
            if (!r.inversePropertyName.isEmpty()) {
                checkPropertyFree(target, inverse.propertyName);
                target.relations.append(inverse);
            }
        }
    }

    for (TableDef &t : definitions) {
        t.columns.append(builtinColumn(QStringLiteral("createdAt"), ColumnType::DateTime));
        t.columns.append(builtinColumn(QStringLiteral("updatedAt"), ColumnType::DateTime));
        for (const RelationDef &r : std::as_const(t.relations))
            if (t.storedColumn(r.propertyName))
                fail(QStringLiteral("%1 has a column and a relation both named %2")
                         .arg(t.name, r.propertyName));
    }
    return Schema(std::move(definitions), version);
}

} // namespace Hearth
