#include "schema/metadatastore.h"

#include "data/sqlconnection.h"
#include "schema/ddlbuilder.h"
#include "schema/schemabuilder.h"
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

struct DefaultSetting
{
    const char *key;
    QJsonValue value;
    const char *description;
    bool isSystem; // maintained by the server, read-only through the API
};

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
    const DefaultSetting defaults[] = {
        {"schemaRevision", 0, "Bumped by every schema change; schema confirm hashes depend on it", true},
        {"maxQueryLimit", 10000, "Largest limit= a list accepts (limit=0 means this many)", false},
        {"defaultQueryLimit", 10, "Rows a list returns when limit= is not given", false},
    };
    for (const DefaultSetting &d : defaults) {
        SqlStatement insert =
            db.prepare("INSERT INTO hearth_setting (\"key\", value, description, isSystem) "
                       "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM hearth_setting WHERE \"key\" = ?)");
        insert.bind(1, QByteArray(d.key));
        insert.bind(2, QJsonDocument(QJsonArray{d.value}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
        insert.bind(3, QByteArray(d.description));
        insert.bind(4, qint64(d.isSystem));
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
        metadata->routeByPath.insert(route.path, metadata->routes.size());
        metadata->routes.append(route);
    }
    SqlStatement settings = db.prepare("SELECT \"key\", value FROM hearth_setting");
    while (settings.step())
        metadata->settings.insert(textColumn(settings, 0), parseJson(settings.text(1)));
    return metadata;
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
