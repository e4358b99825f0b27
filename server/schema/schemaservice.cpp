#include "schema/schemaservice.h"

#include "core/apierror.h"
#include "data/database.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "schema/metadatastore.h"
#include "schema/schemabuilder.h"
#include "schema/schemamigrator.h"
#include "schema/tabledefinitionparser.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace Hearth {

namespace {

SqlValue optionalJson(const QJsonValue &value)
{
    if (value.isUndefined())
        return SqlNull{};
    return compactJson(value);
}

SqlValue optionalText(const QString &text)
{
    return text.isNull() ? SqlValue(SqlNull{}) : sqlText(text);
}

// Deletes the metadata rows of one table (ownerColumn = tableId) whose ids are not in kept.
// Identifiers are constants of this file; ids are integers of our own.
void deleteRowsNotKept(SqlConnection &db, const char *table, const char *ownerColumn, qint64 tableId,
                       const QList<qint64> &kept)
{
    QByteArray sql = QByteArray("DELETE FROM ") + table + " WHERE " + ownerColumn + " = ?";
    for (qint64 id : kept)
        sql += " AND id <> " + QByteArray::number(id);
    SqlStatement s = db.prepare(sql);
    s.bind(1, tableId);
    s.exec();
}

void bindColumnFields(SqlStatement &s, const ColumnDef &c, int position)
{
    s.bind(1, sqlText(c.name));
    s.bind(2, sqlText(columnTypeName(c.type)));
    s.bind(3, qint64(c.isNullable));
    s.bind(4, qint64(c.isUpdatable));
    s.bind(5, qint64(c.isPublished));
    s.bind(6, qint64(c.isUnique));
    s.bind(7, qint64(c.isIndexed));
    s.bind(8, optionalJson(c.defaultValue));
    s.bind(9, c.options.isEmpty() ? SqlValue(SqlNull{}) : compactJson(QJsonArray::fromStringList(c.options)));
    s.bind(10, c.length > 0 ? SqlValue(qint64(c.length)) : SqlValue(SqlNull{}));
    s.bind(11, qint64(position));
    s.bind(12, optionalText(c.description));
}

void bindRelationFields(SqlStatement &s, const RelationDef &r, qint64 targetId)
{
    s.bind(1, sqlText(r.propertyName));
    s.bind(2, sqlText(relationTypeName(r.type)));
    s.bind(3, r.inversePropertyName.isEmpty() ? SqlValue(SqlNull{}) : sqlText(r.inversePropertyName));
    s.bind(4, qint64(r.isNullable));
    s.bind(5, sqlText(onDeleteName(r.onDelete)));
    s.bind(6, qint64(r.isPublished));
    s.bind(7, optionalText(r.description));
    s.bind(8, targetId);
}

// Writes a table's columns and relations as metadata rows: entries with an id
// are updated, the others inserted, rows of the table not listed deleted.
void writeDefinitionRows(SqlConnection &db, qint64 tableId, const TableDef &def, const Schema &schema)
{
    QList<qint64> keptColumns;
    for (qsizetype i = 0; i < def.columns.size(); ++i) {
        const ColumnDef &c = def.columns[i];
        if (c.id > 0) {
            SqlStatement s =
                db.prepare("UPDATE hearth_column SET name=?, type=?, isNullable=?, isUpdatable=?, "
                           "isPublished=?, isUnique=?, "
                           "isIndexed=?, defaultValue=?, options=?, length=?, position=?, description=?, "
                           "updatedAt=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=? AND tableId=?");
            bindColumnFields(s, c, int(i));
            s.bind(13, c.id);
            s.bind(14, tableId);
            s.exec();
            keptColumns << c.id;
        } else {
            SqlStatement s =
                db.prepare("INSERT INTO hearth_column (name, type, isNullable, isUpdatable, isPublished, "
                           "isUnique, isIndexed, defaultValue, options, length, position, description, "
                           "tableId) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
            bindColumnFields(s, c, int(i));
            s.bind(13, tableId);
            s.exec();
            keptColumns << db.lastInsertRowId();
        }
    }
    deleteRowsNotKept(db, "hearth_column", "tableId", tableId, keptColumns);

    QList<qint64> keptRelations;
    for (const RelationDef &r : def.relations) {
        const TableDef *target = schema.table(r.targetTable);
        const qint64 targetId = r.targetTable == def.name ? tableId : (target ? target->id : 0);
        if (r.id > 0) {
            SqlStatement s =
                db.prepare("UPDATE hearth_relation SET propertyName=?, type=?, inversePropertyName=?, "
                           "isNullable=?, onDelete=?, isPublished=?, description=?, targetTableId=?, "
                           "updatedAt=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=? AND sourceTableId=?");
            bindRelationFields(s, r, targetId);
            s.bind(9, r.id);
            s.bind(10, tableId);
            s.exec();
            keptRelations << r.id;
        } else {
            SqlStatement s =
                db.prepare("INSERT INTO hearth_relation (propertyName, type, inversePropertyName, "
                           "isNullable, onDelete, isPublished, description, targetTableId, sourceTableId) "
                           "VALUES (?,?,?,?,?,?,?,?,?)");
            bindRelationFields(s, r, targetId);
            s.bind(9, tableId);
            s.exec();
            keptRelations << db.lastInsertRowId();
        }
    }
    deleteRowsNotKept(db, "hearth_relation", "sourceTableId", tableId, keptRelations);
}

void checkNameFree(const Schema &schema, const QString &name, qint64 exceptId)
{
    for (const TableDef &t : schema.tables())
        if (t.id != exceptId && t.name.compare(name, Qt::CaseInsensitive) == 0)
            throw ApiError::conflict(QStringLiteral("Table %1 already exists").arg(t.name));
}

void insertRoute(SqlConnection &db, const QString &path, qint64 tableId)
{
    SqlStatement taken = db.prepare("SELECT 1 FROM hearth_route WHERE path = ?");
    taken.bind(1, sqlText(path));
    if (taken.step())
        throw ApiError::conflict(QStringLiteral("Route %1 already exists").arg(path));
    SqlStatement s = db.prepare("INSERT INTO hearth_route (path, mainTableId) VALUES (?, ?)");
    s.bind(1, sqlText(path));
    s.bind(2, tableId);
    s.exec();
}

// New entries get temporary negative ids so a preview can tell them apart.
TableDef withTemporaryIds(TableDef def)
{
    qint64 next = -1;
    for (ColumnDef &c : def.columns)
        if (c.id == 0)
            c.id = next--;
    for (RelationDef &r : def.relations)
        if (r.id == 0)
            r.id = next--;
    return def;
}

QJsonObject relationJson(const RelationDef &r, const QString &table = {})
{
    QJsonObject o{{QStringLiteral("propertyName"), r.propertyName},
                  {QStringLiteral("type"), relationTypeName(r.type)},
                  {QStringLiteral("targetTable"), r.targetTable}};
    if (!table.isEmpty())
        o.insert(QStringLiteral("table"), table);
    return o;
}

QJsonObject columnChanges(const ColumnDef &before, const ColumnDef &after)
{
    QJsonObject changes;
    auto note = [&](const char *field, const QJsonValue &from, const QJsonValue &to) {
        if (from != to)
            changes.insert(QLatin1StringView(field),
                           QJsonObject{{QStringLiteral("from"), from}, {QStringLiteral("to"), to}});
    };
    note("type", columnTypeName(before.type), columnTypeName(after.type));
    note("isNullable", before.isNullable, after.isNullable);
    note("isUpdatable", before.isUpdatable, after.isUpdatable);
    note("isPublished", before.isPublished, after.isPublished);
    note("isUnique", before.isUnique, after.isUnique);
    note("isIndexed", before.isIndexed, after.isIndexed);
    note("defaultValue", before.hasDefault() ? before.defaultValue : QJsonValue(),
         after.hasDefault() ? after.defaultValue : QJsonValue());
    note("options", QJsonArray::fromStringList(before.options), QJsonArray::fromStringList(after.options));
    note("length", before.length, after.length);
    note("description", before.description, after.description);
    return changes;
}

QJsonObject previewJson(const TableDef &before, const TableDef *after, const char *operation,
                        const QJsonArray &otherRemovedRelations, const SchemaMigrator &migrator,
                        const QList<MigrationIssue> &issues)
{
    QJsonArray added, removed, renamed, changed, addedRelations, removedRelations, changedRelations;
    QHash<qint64, const ColumnDef *> oldColumns;
    for (const ColumnDef &c : before.columns)
        if (!c.isGenerated && !c.isForeignKey)
            oldColumns.insert(c.id, &c);
    QHash<qint64, const RelationDef *> oldRelations;
    for (const RelationDef &r : before.relations)
        if (!r.isInverse)
            oldRelations.insert(r.id, &r);
    if (after) {
        for (const ColumnDef &c : after->columns) {
            if (c.isGenerated || c.isForeignKey)
                continue;
            const ColumnDef *old = oldColumns.take(c.id);
            if (!old) {
                added.append(c.name);
                continue;
            }
            if (old->name != c.name)
                renamed.append(
                    QJsonObject{{QStringLiteral("from"), old->name}, {QStringLiteral("to"), c.name}});
            const QJsonObject changes = columnChanges(*old, c);
            if (!changes.isEmpty())
                changed.append(
                    QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("changes"), changes}});
        }
        for (const RelationDef &r : after->relations) {
            if (r.isInverse)
                continue;
            const RelationDef *old = oldRelations.take(r.id);
            if (!old)
                addedRelations.append(relationJson(r));
            else if (old->propertyName != r.propertyName || old->type != r.type ||
                     old->targetTable != r.targetTable || old->inversePropertyName != r.inversePropertyName ||
                     old->isNullable != r.isNullable || old->onDelete != r.onDelete)
                changedRelations.append(QJsonObject{{QStringLiteral("from"), relationJson(*old)},
                                                    {QStringLiteral("to"), relationJson(r)}});
        }
    }
    for (const ColumnDef *c : std::as_const(oldColumns))
        removed.append(c->name);
    for (const RelationDef *r : std::as_const(oldRelations))
        removedRelations.append(relationJson(*r, before.name));
    for (const QJsonValue &r : otherRemovedRelations)
        removedRelations.append(r);

    QJsonArray warnings, errors;
    for (const MigrationIssue &issue : issues)
        (issue.blocking ? errors : warnings).append(issue.message);
    const bool destructive = QByteArray(operation) == "delete" || !removed.isEmpty() ||
                             !removedRelations.isEmpty() || !changedRelations.isEmpty() ||
                             !warnings.isEmpty();
    QJsonObject preview{
        {QStringLiteral("_preview"), true},
        {QStringLiteral("tableName"), before.name},
        {QStringLiteral("operation"), QLatin1StringView(operation)},
        {QStringLiteral("isDestructive"), destructive},
        {QStringLiteral("addedColumns"), added},
        {QStringLiteral("removedColumns"), removed},
        {QStringLiteral("renamedColumns"), renamed},
        {QStringLiteral("changedColumns"), changed},
        {QStringLiteral("addedRelations"), addedRelations},
        {QStringLiteral("removedRelations"), removedRelations},
        {QStringLiteral("changedRelations"), changedRelations},
        {QStringLiteral("affectedTables"), QJsonArray::fromStringList(migrator.affectedTables())},
        {QStringLiteral("warnings"), warnings},
        {QStringLiteral("errors"), errors},
    };
    if (after && after->name != before.name)
        preview.insert(QStringLiteral("renamedTable"), QJsonObject{{QStringLiteral("from"), before.name},
                                                                   {QStringLiteral("to"), after->name}});
    return preview;
}

QList<TableDef> replaceTable(QList<TableDef> definitions, qint64 tableId, const TableDef *replacement)
{
    QString removedName;
    for (qsizetype i = 0; i < definitions.size(); ++i) {
        if (definitions[i].id != tableId)
            continue;
        removedName = definitions[i].name;
        if (replacement)
            definitions[i] = *replacement;
        else
            definitions.removeAt(i);
        break;
    }
    if (!replacement) // relations of other tables that pointed at the dropped table go with it
        for (TableDef &t : definitions)
            t.relations.removeIf([&](const RelationDef &r) { return r.targetTable == removedName; });
    else if (replacement->name != removedName) // relations name their target: follow a rename
        for (TableDef &t : definitions)
            for (RelationDef &r : t.relations)
                if (r.targetTable == removedName)
                    r.targetTable = replacement->name;
    return definitions;
}

} // namespace

SchemaService::SchemaService(Engine &engine, SqlConnection &db) : m_engine(engine), m_db(db) {}

const TableDef &SchemaService::userTable(const Metadata &metadata, qint64 tableId) const
{
    const TableDef *table = metadata.schema->tableById(tableId);
    if (!table)
        throw ApiError(404, "RESOURCE_NOT_FOUND", QStringLiteral("Table %1 not found").arg(tableId));
    if (table->isSystem)
        throw ApiError(403, "FORBIDDEN",
                       QStringLiteral("System table %1 cannot be changed").arg(table->name));
    return *table;
}

QString SchemaService::confirmHash(const Metadata &metadata, qint64 tableId, const char *operation,
                                   const QJsonObject &body) const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArray::number(metadata.schemaRevision) + ':' + QByteArray::number(tableId) + ':' +
                 operation + ':');
    hash.addData(QJsonDocument(body).toJson(QJsonDocument::Compact)); // QJsonObject keys are sorted
    return QString::fromLatin1(hash.result().toHex().left(32));
}

void SchemaService::checkConfirmHash(const QString &given, const QString &expected) const
{
    if (given != expected)
        throw ApiError(
            422, "UNPROCESSABLE_ENTITY",
            QStringLiteral("schemaConfirmHash does not match this change on the current schema (it changed "
                           "since the preview, or the request differs): preview again"));
}

qint64 SchemaService::createTable(const QJsonObject &body)
{
    const MetadataPtr snapshot = m_engine.metadata();
    TableDef def = TableDefinitionParser(*snapshot->schema).parse(body);
    for (ColumnDef &c : def.columns)
        c.id = 0;
    for (RelationDef &r : def.relations)
        r.id = 0;

    WriteTransaction transaction(m_engine.database(), m_db, WriteTransaction::ForeignKeys::Suspended);
    const MetadataPtr current = MetadataStore::load(m_db); // under the writer lock: the latest
    checkNameFree(*current->schema, def.name, 0);
    SqlStatement insert =
        m_db.prepare("INSERT INTO hearth_table (name, description, primaryKeyType, isSystem) "
                     "VALUES (?, ?, ?, 0)");
    insert.bind(1, sqlText(def.name));
    insert.bind(2, optionalText(def.description));
    insert.bind(3, QByteArray(def.primaryKeyType == PrimaryKeyType::Uuid ? "uuid" : "int"));
    insert.exec();
    const qint64 tableId = m_db.lastInsertRowId();
    writeDefinitionRows(m_db, tableId, def, *current->schema);

    const Schema next = SchemaBuilder::build(MetadataStore::loadDefinitions(m_db));
    SchemaMigrator(*current->schema, next).apply(m_db);
    insertRoute(m_db, QLatin1Char('/') + def.name, tableId);
    MetadataStore::bumpSchemaRevision(m_db);
    transaction.commit();
    m_engine.reloadMetadata(m_db);
    return tableId;
}

SchemaChangeResult SchemaService::updateTable(qint64 tableId, QJsonObject body, const QString &givenHash)
{
    QString hash = givenHash;
    if (hash.isEmpty())
        hash = body.value(QLatin1StringView("schemaConfirmHash")).toString();
    body.remove(QStringLiteral("schemaConfirmHash"));

    const MetadataPtr snapshot = m_engine.metadata();
    const TableDef &before = userTable(*snapshot, tableId);
    TableDef desired = TableDefinitionParser(*snapshot->schema).parse(body, &before);
    if (desired.primaryKeyType != before.primaryKeyType)
        throw ApiError::badRequest(QStringLiteral("primaryKeyType cannot be changed"));
    for (const ColumnDef &c : desired.columns)
        if (c.id > 0) {
            const auto it = std::find_if(before.columns.cbegin(), before.columns.cend(),
                                         [&](const ColumnDef &o) { return o.id == c.id && !o.isForeignKey; });
            if (it == before.columns.cend())
                throw ApiError::badRequest(
                    QStringLiteral("Column id %1 is not a column of %2").arg(c.id).arg(before.name));
        }
    for (const RelationDef &r : desired.relations)
        if (r.id > 0) {
            const auto it = std::find_if(before.relations.cbegin(), before.relations.cend(),
                                         [&](const RelationDef &o) { return o.id == r.id && !o.isInverse; });
            if (it == before.relations.cend())
                throw ApiError::badRequest(
                    QStringLiteral("Relation id %1 is not a relation of %2").arg(r.id).arg(before.name));
        }
    checkNameFree(*snapshot->schema, desired.name, tableId);
    if (desired.name != before.name) // the table's route moves: refused already in the preview when taken
        for (const RouteDef &route : snapshot->routes)
            if (route.path == QLatin1Char('/') + desired.name)
                throw ApiError::conflict(QStringLiteral("Route %1 already exists").arg(route.path));

    const TableDef planned = withTemporaryIds(desired);
    const Schema next =
        SchemaBuilder::build(replaceTable(MetadataStore::loadDefinitions(m_db), tableId, &planned));
    const SchemaMigrator migrator(*snapshot->schema, next);
    SchemaChangeResult result;
    result.tableId = tableId;
    const QString expected = confirmHash(*snapshot, tableId, "update", body);
    if (hash.isEmpty()) {
        result.preview =
            previewJson(before, next.tableById(tableId), "update", {}, migrator, migrator.inspect(m_db));
        result.preview.insert(QStringLiteral("requiredConfirmHash"), expected);
        return result;
    }
    checkConfirmHash(hash, expected);

    WriteTransaction transaction(m_engine.database(), m_db, WriteTransaction::ForeignKeys::Suspended);
    const MetadataPtr current = MetadataStore::load(m_db);
    if (current->schemaRevision != snapshot->schemaRevision)
        checkConfirmHash(hash, confirmHash(*current, tableId, "update", body));
    SqlStatement update = m_db.prepare("UPDATE hearth_table SET name = ?, description = ?, "
                                       "updatedAt = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?");
    update.bind(1, sqlText(desired.name));
    update.bind(2, optionalText(desired.description));
    update.bind(3, tableId);
    update.exec();
    writeDefinitionRows(m_db, tableId, desired, *current->schema);
    if (desired.name != before.name) {
        SqlStatement taken = m_db.prepare("SELECT 1 FROM hearth_route WHERE path = ?");
        taken.bind(1, sqlText(QLatin1Char('/') + desired.name));
        if (taken.step())
            throw ApiError::conflict(QStringLiteral("Route /%1 already exists").arg(desired.name));
        SqlStatement route =
            m_db.prepare("UPDATE hearth_route SET path = ? WHERE mainTableId = ? AND path = ?");
        route.bind(1, sqlText(QLatin1Char('/') + desired.name));
        route.bind(2, tableId);
        route.bind(3, sqlText(QLatin1Char('/') + before.name));
        route.exec();
    }
    const Schema applied = SchemaBuilder::build(MetadataStore::loadDefinitions(m_db));
    MetadataStore::sweepOrphans(m_db, applied);
    SchemaMigrator(*current->schema, applied).apply(m_db);
    MetadataStore::bumpSchemaRevision(m_db);
    transaction.commit();
    m_engine.reloadMetadata(m_db);
    result.applied = true;
    return result;
}

SchemaChangeResult SchemaService::deleteTable(qint64 tableId, const QString &hash)
{
    const MetadataPtr snapshot = m_engine.metadata();
    const TableDef &before = userTable(*snapshot, tableId);
    const Schema next =
        SchemaBuilder::build(replaceTable(MetadataStore::loadDefinitions(m_db), tableId, nullptr));
    const SchemaMigrator migrator(*snapshot->schema, next);
    SchemaChangeResult result;
    result.tableId = tableId;
    const QString expected = confirmHash(*snapshot, tableId, "delete", {});
    if (hash.isEmpty()) {
        QJsonArray others;
        for (const TableDef &t : snapshot->schema->tables())
            if (t.id != tableId)
                for (const RelationDef &r : t.relations)
                    if (!r.isInverse && r.targetTable == before.name)
                        others.append(relationJson(r, t.name));
        result.preview = previewJson(before, nullptr, "delete", others, migrator, migrator.inspect(m_db));
        result.preview.insert(QStringLiteral("requiredConfirmHash"), expected);
        return result;
    }
    checkConfirmHash(hash, expected);

    WriteTransaction transaction(m_engine.database(), m_db, WriteTransaction::ForeignKeys::Suspended);
    const MetadataPtr current = MetadataStore::load(m_db);
    if (current->schemaRevision != snapshot->schemaRevision)
        checkConfirmHash(hash, confirmHash(*current, tableId, "delete", {}));
    // Foreign keys are suspended for the rebuild, so no cascade runs: remove dependent rows by hand.
    for (const char *sql :
         {"DELETE FROM hearth_relation WHERE sourceTableId = ?1 OR targetTableId = ?1",
          "DELETE FROM hearth_column WHERE tableId = ?1", "DELETE FROM hearth_route WHERE mainTableId = ?1",
          "DELETE FROM hearth_table WHERE id = ?1"}) {
        SqlStatement s = m_db.prepare(sql);
        s.bind(1, tableId);
        s.exec();
    }
    const Schema applied = SchemaBuilder::build(MetadataStore::loadDefinitions(m_db));
    MetadataStore::sweepOrphans(m_db, applied);
    SchemaMigrator(*current->schema, applied).apply(m_db);
    MetadataStore::bumpSchemaRevision(m_db);
    transaction.commit();
    m_engine.reloadMetadata(m_db);
    result.applied = true;
    return result;
}

} // namespace Hearth
