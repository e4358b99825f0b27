#include "schema/tabledefinitionparser.h"

#include "core/apierror.h"
#include "core/jsonkeys.h"
#include "data/valuecoercion.h"
#include "schema/systemschema.h"

#include <QJsonArray>
#include <QSet>

namespace Hearth {

namespace {

[[noreturn]] void fail(const QString &message)
{
    throw ApiError::badRequest(message);
}

bool boolField(const QJsonObject &o, const char *key, bool fallback, const QString &where)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isBool())
        fail(QStringLiteral("%1.%2 must be a boolean").arg(where, QLatin1StringView(key)));
    return v.toBool();
}

QString stringField(const QJsonObject &o, const char *key, const QString &where, bool required)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(QStringLiteral("%1.%2 is required").arg(where, QLatin1StringView(key)));
        return {};
    }
    if (!v.isString())
        fail(QStringLiteral("%1.%2 must be a string").arg(where, QLatin1StringView(key)));
    return v.toString();
}

qint64 entryId(const QJsonObject &o, const QString &where)
{
    const QJsonValue v = o.value(QLatin1StringView("id"));
    if (v.isUndefined() || v.isNull())
        return 0;
    if (!v.isDouble() || v.toDouble() != double(qint64(v.toDouble())) || v.toDouble() <= 0)
        fail(QStringLiteral("%1.id must be a positive integer").arg(where));
    return qint64(v.toDouble());
}

void checkName(const QString &name, const QString &what)
{
    if (!isValidIdentifier(name))
        fail(
            QStringLiteral("%1 \"%2\" is not a valid name: use letters, digits and _, starting with a letter "
                           "(at most 63 characters)")
                .arg(what, name));
}

bool isBuiltinColumn(const QString &name)
{
    return name == u"id" || name == u"createdAt" || name == u"updatedAt";
}

} // namespace

ColumnDef TableDefinitionParser::parseColumn(const QJsonObject &o, const QString &where) const
{
    rejectUnknownKeys(o, {"id",          "name",        "type",      "isNullable",   "isUpdatable",
                          "isPublished", "isUnique",    "isIndexed", "defaultValue", "options",
                          "length",      "description", "isPrimary", "isGenerated",  "isSystem",
                          "position",    "table",       "createdAt", "updatedAt",    "permissions"},
                      where);
    ColumnDef c;
    c.id = entryId(o, where);
    c.name = stringField(o, "name", where, true);
    checkName(c.name, QStringLiteral("Column name"));
    const QString typeName = stringField(o, "type", where, true);
    const auto type = columnTypeFromName(typeName);
    if (!type)
        fail(QStringLiteral(
                 "%1.type \"%2\" is not a column type (int, bigint, float, varchar, text, boolean, uuid, "
                 "date, datetime, timestamp, enum, simple-json, array-select, richtext, code)")
                 .arg(where, typeName));
    c.type = *type;
    c.isNullable = boolField(o, "isNullable", true, where);
    c.isUpdatable = boolField(o, "isUpdatable", true, where);
    c.isPublished = boolField(o, "isPublished", true, where);
    c.isUnique = boolField(o, "isUnique", false, where);
    c.isIndexed = boolField(o, "isIndexed", false, where);
    c.description = stringField(o, "description", where, false);

    const QJsonValue length = o.value(QLatin1StringView("length"));
    if (!length.isUndefined() && !length.isNull()) {
        if (!length.isDouble() || length.toDouble() != double(int(length.toDouble())) ||
            length.toDouble() < 1 || length.toDouble() > 65535)
            fail(QStringLiteral("%1.length must be an integer from 1 to 65535").arg(where));
        c.length = int(length.toDouble());
    }

    const QJsonValue options = o.value(QLatin1StringView("options"));
    if (!options.isUndefined() && !options.isNull()) {
        if (!options.isArray())
            fail(QStringLiteral("%1.options must be an array of strings").arg(where));
        QSet<QString> seen;
        for (const QJsonValue &v : options.toArray()) {
            if (!v.isString() || v.toString().isEmpty())
                fail(QStringLiteral("%1.options must be an array of non-empty strings").arg(where));
            if (!seen.contains(v.toString()))
                c.options << v.toString();
            seen.insert(v.toString());
        }
    }
    if ((c.type == ColumnType::Enum || c.type == ColumnType::ArraySelect) && c.options.isEmpty())
        fail(QStringLiteral("%1: a column of type %2 needs options").arg(where, typeName));

    if (o.contains(QLatin1StringView("defaultValue"))) {
        c.defaultValue = o.value(QLatin1StringView("defaultValue"));
        if (!c.defaultValue.isNull()) {
            QString error;
            toStoredValue(c, c.defaultValue, &error);
            if (!error.isEmpty())
                fail(QStringLiteral("%1.defaultValue: %2").arg(where, error));
        }
    }
    return c;
}

RelationDef TableDefinitionParser::parseRelation(const QJsonObject &o, const QString &where,
                                                 const QString &selfName) const
{
    rejectUnknownKeys(o,
                      {"id", "propertyName", "type", "targetTable", "inversePropertyName", "isNullable",
                       "onDelete", "isPublished", "description", "sourceTable", "createdAt", "updatedAt",
                       "permissions"},
                      where);
    RelationDef r;
    r.id = entryId(o, where);
    r.propertyName = stringField(o, "propertyName", where, true);
    checkName(r.propertyName, QStringLiteral("Relation name"));
    const QString typeName = stringField(o, "type", where, true);
    const auto type = relationTypeFromName(typeName);
    if (!type)
        fail(QStringLiteral("%1.type \"%2\" is not a relation type (many-to-one, one-to-one, one-to-many, "
                            "many-to-many)")
                 .arg(where, typeName));
    r.type = *type;

    const QJsonValue target = o.value(QLatin1StringView("targetTable"));
    if (target.isString()) {
        r.targetTable = target.toString();
    } else if (target.isObject() && target.toObject().value(QLatin1StringView("id")).isDouble()) {
        const TableDef *t =
            m_schema.tableById(qint64(target.toObject().value(QLatin1StringView("id")).toDouble()));
        if (!t)
            fail(QStringLiteral("%1.targetTable: no table with id %2")
                     .arg(where,
                          QString::number(target.toObject().value(QLatin1StringView("id")).toDouble())));
        r.targetTable = t->name;
    } else {
        fail(QStringLiteral("%1.targetTable is required: a table name or {\"id\":…}").arg(where));
    }
    if (r.targetTable != selfName && !m_schema.table(r.targetTable))
        fail(QStringLiteral("%1.targetTable: unknown table %2").arg(where, r.targetTable));

    r.inversePropertyName = stringField(o, "inversePropertyName", where, false);
    if (!r.inversePropertyName.isEmpty())
        checkName(r.inversePropertyName, QStringLiteral("Inverse property name"));
    r.isNullable = boolField(o, "isNullable", true, where);
    r.isPublished = boolField(o, "isPublished", true, where);
    r.description = stringField(o, "description", where, false);
    const QString onDelete = stringField(o, "onDelete", where, false);
    if (!onDelete.isEmpty()) {
        const auto action = onDeleteFromName(onDelete);
        if (!action)
            fail(QStringLiteral("%1.onDelete must be CASCADE, RESTRICT or SET NULL").arg(where));
        r.onDelete = *action;
    }
    if (r.onDelete == OnDelete::SetNull && !r.isNullable && r.type != RelationType::ManyToMany)
        fail(QStringLiteral("%1: onDelete SET NULL needs a nullable relation (isNullable: true)").arg(where));
    return r;
}

TableDef TableDefinitionParser::parse(const QJsonObject &body, const TableDef *existing) const
{
    rejectUnknownKeys(body,
                      {"id", "name", "description", "primaryKeyType", "columns", "relations", "isSystem",
                       "createdAt", "updatedAt", "routes", "schemaConfirmHash"},
                      {});
    TableDef t;
    if (existing) {
        t.id = existing->id;
        t.name = existing->name;
        t.description = existing->description;
        t.primaryKeyType = existing->primaryKeyType;
    }
    const QString where = QStringLiteral("table");
    if (body.contains(QLatin1StringView("name")) || !existing) {
        t.name = stringField(body, "name", where, true);
        checkName(t.name, QStringLiteral("Table name"));
        if (SystemSchema::isSystemTableName(t.name))
            fail(QStringLiteral("Table names starting with hearth_ or sqlite_ are reserved"));
        for (const char *reserved : {"auth", "me", "admin"}) // the server's own routes
            if (t.name.compare(QLatin1StringView(reserved), Qt::CaseInsensitive) == 0)
                fail(QStringLiteral("Table name %1 is reserved for the server's own routes").arg(t.name));
    }
    if (body.contains(QLatin1StringView("description")))
        t.description = stringField(body, "description", where, false);
    if (body.contains(QLatin1StringView("isSystem")) && body.value(QLatin1StringView("isSystem")).toBool())
        fail(QStringLiteral("isSystem cannot be set"));
    if (body.contains(QLatin1StringView("primaryKeyType"))) {
        const QString pk = stringField(body, "primaryKeyType", where, false);
        if (pk != u"int" && pk != u"uuid")
            fail(QStringLiteral("primaryKeyType must be int or uuid"));
        t.primaryKeyType = pk == u"uuid" ? PrimaryKeyType::Uuid : PrimaryKeyType::Int;
    }

    const QJsonValue columns = body.value(QLatin1StringView("columns"));
    if (!columns.isUndefined() && !columns.isArray())
        fail(QStringLiteral("columns must be an array"));
    if (columns.isUndefined() && existing) {
        for (const ColumnDef &c : existing->columns)
            if (!c.isGenerated && !c.isForeignKey)
                t.columns.append(c);
    }
    QSet<QString> names; // SQLite names are case-insensitive
    const QJsonArray columnList = columns.toArray();
    for (qsizetype i = 0; i < columnList.size(); ++i) {
        const QString entryWhere = QStringLiteral("columns[%1]").arg(i);
        if (!columnList[i].isObject())
            fail(QStringLiteral("%1 must be an object").arg(entryWhere));
        const QJsonObject entry = columnList[i].toObject();
        const QString name = entry.value(QLatin1StringView("name")).toString();
        if (isBuiltinColumn(name)) {
            // Enfyra-style definitions list the primary key; its type picks int or uuid.
            if (name == u"id" && entry.value(QLatin1StringView("type")).toString() == u"uuid")
                t.primaryKeyType = PrimaryKeyType::Uuid;
            continue;
        }
        ColumnDef c = parseColumn(entry, entryWhere);
        if (names.contains(c.name.toLower()))
            fail(QStringLiteral("Column %1 is listed twice").arg(c.name));
        names.insert(c.name.toLower());
        t.columns.append(c);
    }

    const QJsonValue relations = body.value(QLatin1StringView("relations"));
    if (!relations.isUndefined() && !relations.isArray())
        fail(QStringLiteral("relations must be an array"));
    if (relations.isUndefined() && existing) {
        for (const RelationDef &r : existing->relations)
            if (!r.isInverse)
                t.relations.append(r);
    }
    const QJsonArray relationList = relations.toArray();
    for (qsizetype i = 0; i < relationList.size(); ++i) {
        const QString entryWhere = QStringLiteral("relations[%1]").arg(i);
        if (!relationList[i].isObject())
            fail(QStringLiteral("%1 must be an object").arg(entryWhere));
        RelationDef r = parseRelation(relationList[i].toObject(), entryWhere, t.name);
        if (names.contains(r.propertyName.toLower()))
            fail(QStringLiteral("%1 is used by two columns or relations").arg(r.propertyName));
        names.insert(r.propertyName.toLower());
        t.relations.append(r);
    }
    return t;
}

} // namespace Hearth
