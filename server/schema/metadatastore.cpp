#include "schema/metadatastore.h"

#include "data/sqlconnection.h"
#include "schema/ddlbuilder.h"
#include "schema/schemabuilder.h"
#include "schema/settingcatalog.h"
#include "schema/systemschema.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Hearth {

namespace {

QJsonValue parseJson(QByteArrayView text)
{
    if (text.isEmpty())
        return QJsonValue::Undefined;
    // Wrapped in an array so scalars ("int", 5, true) parse too.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toByteArray() + "]");
    return doc.isArray() && !doc.array().isEmpty() ? doc.array().first() : QJsonValue(QJsonValue::Undefined);
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

QString textColumn(const SqlStatement &s, int column)
{
    return QString::fromUtf8(s.text(column));
}

bool tableExists(SqlConnection &db, const QString &name)
{
    SqlStatement s = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
    s.bind(1, sqlText(name));
    return s.step();
}

// Junction rows of an allowedUsers relation: permission id -> user ids.
QHash<qint64, QStringList> allowedUsers(SqlConnection &db, const Schema &schema, const char *table)
{
    QHash<qint64, QStringList> out;
    const TableDef *t = schema.table(QString::fromLatin1(table));
    const RelationDef *r = t ? t->relation(u"allowedUsers") : nullptr;
    if (!r)
        return out;
    SqlStatement s =
        db.prepare("SELECT " + quoteIdentifier(r->junctionSourceColumn) + ", " +
                   quoteIdentifier(r->junctionTargetColumn) + " FROM " + quoteIdentifier(r->junctionTable));
    while (s.step())
        out[s.int64(0)] << textColumn(s, 1);
    return out;
}

void loadPermissions(SqlConnection &db, Metadata &metadata)
{
    const QHash<qint64, QStringList> routeUsers =
        allowedUsers(db, *metadata.schema, "hearth_route_permission");
    SqlStatement routes = db.prepare(
        "SELECT id, routeId, roleId, methods FROM hearth_route_permission WHERE isEnabled = 1 ORDER BY id");
    while (routes.step()) {
        RoutePermission p;
        p.id = routes.int64(0);
        p.routeId = routes.int64(1);
        p.roleId = routes.int64(2);
        p.methods = toStringList(parseJson(routes.text(3)));
        p.allowedUsers = routeUsers.value(p.id);
        metadata.routePermissions[p.routeId].append(p);
    }

    const QHash<qint64, QStringList> fieldUsers =
        allowedUsers(db, *metadata.schema, "hearth_field_permission");
    SqlStatement fields = db.prepare(
        "SELECT p.id, p.action, p.effect, p.condition, p.roleId, coalesce(ct.name, rt.name), "
        "coalesce(c.name, r.propertyName) FROM hearth_field_permission p "
        "LEFT JOIN hearth_column c ON c.id = p.columnId LEFT JOIN hearth_table ct ON ct.id = c.tableId "
        "LEFT JOIN hearth_relation r ON r.id = p.relationId LEFT JOIN hearth_table rt ON rt.id = "
        "r.sourceTableId "
        "WHERE p.isEnabled = 1 AND (c.id IS NOT NULL OR r.id IS NOT NULL) ORDER BY p.id");
    while (fields.step()) {
        FieldPermission p;
        p.id = fields.int64(0);
        const QByteArrayView action = fields.text(1);
        p.action = action == "create"   ? FieldAction::Create
                   : action == "update" ? FieldAction::Update
                                        : FieldAction::Read;
        p.effect = fields.text(2) == "deny" ? FieldEffect::Deny : FieldEffect::Allow;
        p.condition = fields.isNull(3) ? QJsonValue(QJsonValue::Undefined) : parseJson(fields.text(3));
        p.roleId = fields.int64(4);
        p.table = textColumn(fields, 5);
        p.field = textColumn(fields, 6);
        p.allowedUsers = fieldUsers.value(p.id);
        metadata.fieldPermissions[p.table].append(p);
    }
}

void loadScripts(SqlConnection &db, Metadata &metadata)
{
    for (const ScriptDef::Kind kind : {ScriptDef::Kind::PreHook, ScriptDef::Kind::PostHook}) {
        const bool post = kind == ScriptDef::Kind::PostHook;
        SqlStatement s =
            db.prepare(QByteArray("SELECT id, name, sourceCode, priority, isGlobal, methods, timeout, "
                                  "routeId, updatedAt, ") +
                       (post ? "runAfterResponse" : "0") + " FROM " +
                       (post ? "hearth_post_hook" : "hearth_pre_hook") + " WHERE isEnabled = 1 ORDER BY id");
        while (s.step()) {
            ScriptDef hook;
            hook.kind = kind;
            hook.id = s.int64(0);
            hook.name = textColumn(s, 1);
            hook.sourceCode = textColumn(s, 2);
            hook.priority = int(s.int64(3));
            hook.isGlobal = s.int64(4);
            hook.methods = toStringList(parseJson(s.text(5)));
            hook.timeoutMs = int(s.int64(6));
            hook.routeId = s.int64(7);
            hook.version = s.text(8).toByteArray();
            hook.runAfterResponse = s.int64(9);
            if (hook.isGlobal || hook.routeId != 0) // a hook on no route and not global never runs
                (post ? metadata.postHooks : metadata.preHooks).append(hook);
        }
    }
    SqlStatement h =
        db.prepare("SELECT id, method, sourceCode, timeout, routeId, updatedAt FROM hearth_route_handler "
                   "ORDER BY id");
    while (h.step()) {
        ScriptDef handler;
        handler.kind = ScriptDef::Kind::Handler;
        handler.id = h.int64(0);
        handler.method = textColumn(h, 1);
        handler.name = handler.method;
        handler.sourceCode = textColumn(h, 2);
        handler.timeoutMs = int(h.int64(3));
        handler.routeId = h.int64(4);
        handler.version = h.text(5).toByteArray();
        metadata.handlers[handler.routeId].insert(handler.method, handler);
    }
}

} // namespace

void MetadataStore::bootstrap(SqlConnection &db)
{
    const QList<TableDef> definitions = SystemSchema::definitions();
    const Schema system = SchemaBuilder::build(definitions);
    for (const TableDef &t : system.tables()) {
        if (!tableExists(db, t.name))
            db.exec(DdlBuilder::createTable(t, system));
        for (const QByteArray &sql : DdlBuilder::createIndexes(t))
            db.exec(sql);
        for (const QByteArray &sql : DdlBuilder::createJunctionTables(t, system))
            db.exec(sql);
    }
    for (const TableDef &t : system.tables()) {
        SqlStatement insert = db.prepare("INSERT INTO hearth_table (name, isSystem) SELECT ?, 1 WHERE NOT "
                                         "EXISTS (SELECT 1 FROM hearth_table WHERE name = ?)");
        insert.bind(1, sqlText(t.name));
        insert.bind(2, sqlText(t.name));
        insert.exec();
        SqlStatement route = db.prepare("INSERT INTO hearth_route (path, isSystem, mainTableId) SELECT ?, 1, "
                                        "id FROM hearth_table WHERE name = ? "
                                        "AND NOT EXISTS (SELECT 1 FROM hearth_route WHERE path = ?)");
        const QString path = QLatin1Char('/') + t.name;
        route.bind(1, sqlText(path));
        route.bind(2, sqlText(t.name));
        route.bind(3, sqlText(path));
        route.exec();
    }
    // The built-in sign-in routes have rows too, so hooks can be attached to them.
    for (const char *path : {"/auth/login", "/auth/refresh-token", "/auth/logout"}) {
        SqlStatement route =
            db.prepare("INSERT INTO hearth_route (path, isSystem, publicMethods, availableMethods) "
                       "SELECT ?, 1, '[\"POST\"]', '[\"POST\"]' "
                       "WHERE NOT EXISTS (SELECT 1 FROM hearth_route WHERE path = ?)");
        route.bind(1, QByteArray(path));
        route.bind(2, QByteArray(path));
        route.exec();
    }
    for (const SettingSpec &d : settingCatalog()) {
        SqlStatement insert =
            db.prepare("INSERT INTO hearth_setting (\"key\", value, description, isSystem) "
                       "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM hearth_setting WHERE \"key\" = ?)");
        insert.bind(1, QByteArray(d.key));
        insert.bind(
            2, QJsonDocument(QJsonArray{d.defaultValue}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
        insert.bind(3, QByteArray(d.description));
        insert.bind(4, qint64(d.kind == SettingSpec::Kind::System));
        insert.bind(5, QByteArray(d.key));
        insert.exec();
    }
}

QList<TableDef> MetadataStore::loadDefinitions(SqlConnection &db)
{
    QList<TableDef> definitions = SystemSchema::definitions();
    QHash<qint64, QString> nameById;
    QList<TableDef> userTables;
    {
        SqlStatement s = db.prepare(
            "SELECT id, name, description, primaryKeyType, isSystem FROM hearth_table ORDER BY id");
        while (s.step()) {
            const qint64 id = s.int64(0);
            const QString name = textColumn(s, 1);
            nameById.insert(id, name);
            if (s.int64(4)) {
                for (TableDef &t : definitions)
                    if (t.name == name)
                        t.id = id;
                continue;
            }
            TableDef t;
            t.id = id;
            t.name = name;
            t.description = textColumn(s, 2);
            t.primaryKeyType = s.text(3) == "uuid" ? PrimaryKeyType::Uuid : PrimaryKeyType::Int;
            userTables.append(t);
        }
    }
    for (TableDef &t : userTables) {
        SqlStatement c =
            db.prepare("SELECT id, name, type, isNullable, isUpdatable, isPublished, isUnique, isIndexed, "
                       "defaultValue, options, "
                       "length, description FROM hearth_column WHERE tableId = ? ORDER BY position, id");
        c.bind(1, t.id);
        while (c.step()) {
            ColumnDef col;
            col.id = c.int64(0);
            col.name = textColumn(c, 1);
            col.type = columnTypeFromName(textColumn(c, 2)).value_or(ColumnType::Text);
            col.isNullable = c.int64(3);
            col.isUpdatable = c.int64(4);
            col.isPublished = c.int64(5);
            col.isUnique = c.int64(6);
            col.isIndexed = c.int64(7);
            col.defaultValue = c.isNull(8) ? QJsonValue(QJsonValue::Undefined) : parseJson(c.text(8));
            col.options = toStringList(parseJson(c.text(9)));
            col.length = int(c.int64(10));
            col.description = textColumn(c, 11);
            t.columns.append(col);
        }
        SqlStatement r =
            db.prepare("SELECT id, propertyName, type, targetTableId, inversePropertyName, isNullable, "
                       "onDelete, isPublished, description FROM hearth_relation WHERE sourceTableId = ? "
                       "ORDER BY id");
        r.bind(1, t.id);
        while (r.step()) {
            RelationDef rel;
            rel.id = r.int64(0);
            rel.propertyName = textColumn(r, 1);
            rel.type = relationTypeFromName(textColumn(r, 2)).value_or(RelationType::ManyToOne);
            rel.targetTable = nameById.value(r.int64(3));
            rel.inversePropertyName = textColumn(r, 4);
            rel.isNullable = r.int64(5);
            rel.onDelete = onDeleteFromName(textColumn(r, 6)).value_or(OnDelete::SetNull);
            rel.isPublished = r.int64(7);
            rel.description = textColumn(r, 8);
            t.relations.append(rel);
        }
    }
    definitions.append(userTables);
    return definitions;
}

MetadataPtr MetadataStore::load(SqlConnection &db)
{
    auto metadata = std::make_shared<Metadata>();
    metadata->schemaRevision = schemaRevision(db);
    metadata->schema = std::make_shared<const Schema>(
        SchemaBuilder::build(loadDefinitions(db), quint64(metadata->schemaRevision)));
    SqlStatement routes = db.prepare(
        "SELECT r.id, r.path, t.name, r.isEnabled, r.isSystem, r.publicMethods, r.availableMethods "
        "FROM hearth_route r LEFT JOIN hearth_table t ON t.id = r.mainTableId ORDER BY r.id");
    while (routes.step()) {
        RouteDef route;
        route.id = routes.int64(0);
        route.path = textColumn(routes, 1);
        route.mainTable = textColumn(routes, 2);
        route.isEnabled = routes.int64(3);
        route.isSystem = routes.int64(4);
        route.publicMethods = toStringList(parseJson(routes.text(5)));
        route.availableMethods = toStringList(parseJson(routes.text(6)));
        if (route.path.contains(QLatin1String("/:")))
            metadata->patternRoutes.append(metadata->routes.size());
        metadata->routeByPath.insert(route.path, metadata->routes.size());
        metadata->routes.append(route);
    }
    loadPermissions(db, *metadata);
    loadScripts(db, *metadata);
    SqlStatement settings = db.prepare("SELECT \"key\", value FROM hearth_setting");
    while (settings.step())
        metadata->settings.insert(textColumn(settings, 0), parseJson(settings.text(1)));
    return metadata;
}

void MetadataStore::sweepOrphans(SqlConnection &db, const Schema &schema)
{
    QByteArrayList statements;
    for (const TableDef &t : schema.tables()) {
        if (!t.isSystem)
            continue;
        for (const RelationDef &r : t.relations) {
            if (r.isInverse)
                continue;
            const QByteArray table = quoteIdentifier(t.name);
            if (r.type == RelationType::ManyToMany) {
                const QByteArray junction = quoteIdentifier(r.junctionTable);
                statements << "DELETE FROM " + junction + " WHERE " +
                                  quoteIdentifier(r.junctionSourceColumn) + " NOT IN (SELECT id FROM " +
                                  table + ") OR " + quoteIdentifier(r.junctionTargetColumn) +
                                  " NOT IN (SELECT id FROM " + quoteIdentifier(r.targetTable) + ')';
                continue;
            }
            if (!r.ownsForeignKey())
                continue;
            const QByteArray fk = quoteIdentifier(r.foreignKeyColumn);
            const QByteArray orphan = fk + " IS NOT NULL AND " + fk + " NOT IN (SELECT id FROM " +
                                      quoteIdentifier(r.targetTable) + ')';
            statements << (r.onDelete == OnDelete::SetNull
                               ? "UPDATE " + table + " SET " + fk + " = NULL WHERE " + orphan
                               : "DELETE FROM " + table + " WHERE " + orphan);
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (const QByteArray &sql : std::as_const(statements)) {
            db.exec(sql);
            changed = changed || db.changes() > 0;
        }
    }
}

qint64 MetadataStore::schemaRevision(SqlConnection &db)
{
    SqlStatement s = db.prepare("SELECT value FROM hearth_setting WHERE \"key\" = 'schemaRevision'");
    return s.step() ? s.int64(0) : 0;
}

void MetadataStore::bumpSchemaRevision(SqlConnection &db)
{
    db.exec("UPDATE hearth_setting SET value = CAST(value AS INTEGER) + 1, "
            "updatedAt = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE \"key\" = 'schemaRevision'");
}

} // namespace Hearth
