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

ColumnDef secret(ColumnDef c)
{
    c.isSecret = true;
    return c;
}

ColumnDef password(const char *name)
{
    ColumnDef c = secret(varchar(name, 255, false));
    c.hashOnWrite = true;
    return c;
}

RelationDef manyToMany(const char *property, const char *target)
{
    RelationDef r;
    r.propertyName = QString::fromLatin1(property);
    r.type = RelationType::ManyToMany;
    r.targetTable = QString::fromLatin1(target);
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

    TableDef roles = table("hearth_role", {
                                              unique(varchar("name", 63, false)),
                                              column("description", ColumnType::Text),
                                          });

    TableDef users = table("hearth_user",
                           {
                               unique(varchar("email", 255, false)),
                               password("password"),
                               flag("isRootAdmin", false),
                           },
                           {manyToOne("role", "hearth_role", "users", true, OnDelete::SetNull)});
    users.primaryKeyType = PrimaryKeyType::Uuid;

    TableDef sessions = table("hearth_session",
                              {
                                  unique(secret(varchar("refreshTokenHash", 64, false))),
                                  column("expiresAt", ColumnType::DateTime, false),
                                  flag("remember", false),
                                  column("revokedAt", ColumnType::DateTime),
                                  column("lastUsedAt", ColumnType::DateTime),
                                  varchar("ip", 64),
                                  varchar("userAgent", 255),
                              },
                              {manyToOne("user", "hearth_user", "sessions", false, OnDelete::Cascade)});
    sessions.primaryKeyType = PrimaryKeyType::Uuid;

    // Refresh tokens already exchanged: presenting one again revokes its session.
    TableDef spentTokens = table("hearth_spent_token",
                                 {
                                     unique(secret(varchar("tokenHash", 64, false))),
                                 },
                                 {manyToOne("session", "hearth_session", "", false, OnDelete::Cascade)});

    TableDef apiTokens = table("hearth_api_token",
                               {
                                   varchar("name", 255, false),
                                   unique(secret(varchar("tokenHash", 64, false))),
                                   varchar("tokenPrefix", 16),
                                   column("expiresAt", ColumnType::DateTime),
                                   column("lastUsedAt", ColumnType::DateTime),
                               },
                               {manyToOne("user", "hearth_user", "apiTokens", false, OnDelete::Cascade)});

    TableDef routePermissions =
        table("hearth_route_permission",
              {
                  column("methods", ColumnType::SimpleJson, true, QJsonArray()),
                  flag("isEnabled", true),
                  column("description", ColumnType::Text),
              },
              {manyToOne("route", "hearth_route", "permissions", false, OnDelete::Cascade),
               manyToOne("role", "hearth_role", "", true, OnDelete::Cascade),
               manyToMany("allowedUsers", "hearth_user")});

    TableDef fieldPermissions =
        table("hearth_field_permission",
              {
                  enumeration("action", {"read", "create", "update"}),
                  enumeration("effect", {"allow", "deny"}, "allow"),
                  column("condition", ColumnType::SimpleJson),
                  flag("isEnabled", true),
                  column("description", ColumnType::Text),
              },
              {manyToOne("column", "hearth_column", "permissions", true, OnDelete::Cascade),
               manyToOne("relation", "hearth_relation", "permissions", true, OnDelete::Cascade),
               manyToOne("role", "hearth_role", "", true, OnDelete::Cascade),
               manyToMany("allowedUsers", "hearth_user")});
    fieldPermissions.columns[0].isNullable = false; // action is required

    // Scripts (API.md "Scripts: hooks and handlers"): hooks run around a
    // route's handler; a handler replaces the default CRUD of one method.
    const auto hookColumns = [&](bool post) {
        QList<ColumnDef> c{
            varchar("name", 255, false),
            column("sourceCode", ColumnType::Code, false, QString()),
            column("priority", ColumnType::Int, false, 0),
            flag("isEnabled", true),
            flag("isGlobal", false),
            column("methods", ColumnType::SimpleJson, true, QJsonArray()),
            column("timeout", ColumnType::Int), // milliseconds; empty = the default
            column("description", ColumnType::Text),
        };
        if (post)
            c.append(flag("runAfterResponse", false));
        return c;
    };
    TableDef preHooks = table("hearth_pre_hook", hookColumns(false),
                              {manyToOne("route", "hearth_route", "preHooks", true, OnDelete::Cascade)});
    TableDef postHooks = table("hearth_post_hook", hookColumns(true),
                               {manyToOne("route", "hearth_route", "postHooks", true, OnDelete::Cascade)});
    TableDef handlers = table("hearth_route_handler",
                              {
                                  enumeration("method", {"GET", "POST", "PATCH", "PUT", "DELETE"}),
                                  column("sourceCode", ColumnType::Code, false, QString()),
                                  column("timeout", ColumnType::Int),
                                  column("description", ColumnType::Text),
                              },
                              {manyToOne("route", "hearth_route", "handlers", false, OnDelete::Cascade)});
    handlers.columns[0].isNullable = false; // method is required

    return {tables,   columns,   relations,   routes,    settings,         roles,
            users,    sessions,  spentTokens, apiTokens, routePermissions, fieldPermissions,
            preHooks, postHooks, handlers};
}

bool SystemSchema::isSystemTableName(QStringView name)
{
    return name.startsWith(u"hearth_", Qt::CaseInsensitive) ||
           name.startsWith(u"sqlite_", Qt::CaseInsensitive);
}

} // namespace Hearth
