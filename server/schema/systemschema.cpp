#include "schema/systemschema.h"

#include <QJsonArray>

namespace Hearth {

namespace {

// Small builders so each system table reads as a list of its fields.
ColumnDef column(const char *name, ColumnType type, bool nullable = true,
                 QJsonValue defaultValue = QJsonValue::Undefined)
{
    ColumnDef c;
    c.name = QString::fromLatin1(name);
    c.type = type;
    c.isNullable = nullable;
    c.defaultValue = std::move(defaultValue);
    return c;
}

ColumnDef varchar(const char *name, int length, bool nullable = true)
{
    ColumnDef c = column(name, ColumnType::Varchar, nullable);
    c.length = length;
    return c;
}

ColumnDef unique(ColumnDef c)
{
    c.isUnique = true;
    return c;
}

ColumnDef flag(const char *name, bool defaultValue)
{
    return column(name, ColumnType::Boolean, false, defaultValue);
}

ColumnDef enumeration(const char *name, QStringList options, QJsonValue defaultValue = QJsonValue::Undefined)
{
    ColumnDef c = column(name, ColumnType::Enum, defaultValue.isUndefined(), std::move(defaultValue));
    c.options = std::move(options);
    return c;
}

RelationDef manyToOne(const char *property, const char *target, const char *inverse, bool nullable,
                      OnDelete onDelete)
{
    RelationDef r;
    r.propertyName = QString::fromLatin1(property);
    r.type = RelationType::ManyToOne;
    r.targetTable = QString::fromLatin1(target);
    r.inversePropertyName = QString::fromLatin1(inverse);
    r.isNullable = nullable;
    r.onDelete = onDelete;
    return r;
}

TableDef table(const char *name, QList<ColumnDef> columns, QList<RelationDef> relations = {})
{
    TableDef t;
    t.name = QString::fromLatin1(name);
    t.isSystem = true;
    t.columns = std::move(columns);
    t.relations = std::move(relations);
    return t;
}

QStringList columnTypeNames()
{
    QStringList names;
    for (int i = int(ColumnType::Int); i <= int(ColumnType::Code); ++i)
        names << columnTypeName(ColumnType(i));
    return names;
}

} // namespace

QList<TableDef> SystemSchema::definitions()
{
    TableDef tables = table("hearth_table", {
                                                unique(varchar("name", 63, false)),
                                                column("description", ColumnType::Text),
                                                enumeration("primaryKeyType", {"int", "uuid"}, "int"),
                                                flag("isSystem", false),
                                            });
    tables.defaultFields = QStringLiteral("*,columns.*,relations.*");

    TableDef columns = table("hearth_column",
                             {
                                 varchar("name", 63, false),
                                 enumeration("type", columnTypeNames()),
                                 flag("isNullable", true),
                                 flag("isUpdatable", true),
                                 flag("isPublished", true),
                                 flag("isUnique", false),
                                 flag("isIndexed", false),
                                 column("defaultValue", ColumnType::SimpleJson),
                                 column("options", ColumnType::SimpleJson),
                                 column("length", ColumnType::Int),
                                 column("position", ColumnType::Int, false, 0),
                                 column("description", ColumnType::Text),
                             },
                             {manyToOne("table", "hearth_table", "columns", false, OnDelete::Cascade)});

    TableDef relations =
        table("hearth_relation",
              {
                  varchar("propertyName", 63, false),
                  enumeration("type", {"many-to-one", "one-to-one", "one-to-many", "many-to-many"}),
                  varchar("inversePropertyName", 63),
                  flag("isNullable", true),
                  enumeration("onDelete", {"CASCADE", "RESTRICT", "SET NULL"}, "SET NULL"),
                  flag("isPublished", true),
                  column("description", ColumnType::Text),
              },
              {manyToOne("sourceTable", "hearth_table", "relations", false, OnDelete::Cascade),
               manyToOne("targetTable", "hearth_table", "", false, OnDelete::Restrict)});

    TableDef routes = table("hearth_route",
                            {
                                unique(varchar("path", 255, false)),
                                flag("isEnabled", true),
                                flag("isSystem", false),
                                column("publicMethods", ColumnType::SimpleJson, true, QJsonArray()),
                                column("availableMethods", ColumnType::SimpleJson, true,
                                       QJsonArray{"GET", "POST", "PATCH", "DELETE"}),
                                column("description", ColumnType::Text),
                            },
                            {manyToOne("mainTable", "hearth_table", "routes", true, OnDelete::Cascade)});

    TableDef settings = table("hearth_setting", {
                                                    unique(varchar("key", 128, false)),
                                                    column("value", ColumnType::SimpleJson),
                                                    column("description", ColumnType::Text),
                                                    flag("isSystem", false),
                                                });

    return {tables, columns, relations, routes, settings};
}

bool SystemSchema::isSystemTableName(QStringView name)
{
    return name.startsWith(u"hearth_", Qt::CaseInsensitive) ||
           name.startsWith(u"sqlite_", Qt::CaseInsensitive);
}

} // namespace Hearth
