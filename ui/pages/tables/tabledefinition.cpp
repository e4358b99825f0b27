#include "pages/tables/tabledefinition.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace Hearth::TableDefinition {

namespace {

const QString kName = QStringLiteral("name");
const QString kType = QStringLiteral("type");
const QString kDescription = QStringLiteral("description");

bool isBuiltinColumn(const QString &name)
{
    return name == u"id" || name == u"createdAt" || name == u"updatedAt";
}

void copyFlag(QJsonObject &to, const QJsonObject &from, const QString &key, bool fallback)
{
    const QJsonValue v = from.value(key);
    to.insert(key, v.isBool() ? v.toBool() : fallback);
}

void copyText(QJsonObject &to, const QJsonObject &from, const QString &key)
{
    const QString text = from.value(key).toString();
    if (!text.isEmpty())
        to.insert(key, text);
}

void copyId(QJsonObject &to, const QJsonObject &from)
{
    const QJsonValue id = from.value(u"id");
    if (id.isDouble() && id.toDouble() > 0)
        to.insert(QStringLiteral("id"), id);
}

} // namespace

QStringList columnTypes()
{
    return {QStringLiteral("varchar"),      QStringLiteral("text"),     QStringLiteral("int"),
            QStringLiteral("bigint"),       QStringLiteral("float"),    QStringLiteral("boolean"),
            QStringLiteral("uuid"),         QStringLiteral("date"),     QStringLiteral("datetime"),
            QStringLiteral("timestamp"),    QStringLiteral("enum"),     QStringLiteral("simple-json"),
            QStringLiteral("array-select"), QStringLiteral("richtext"), QStringLiteral("code")};
}

QStringList relationTypes()
{
    return {QStringLiteral("many-to-one"), QStringLiteral("one-to-many"), QStringLiteral("one-to-one"),
            QStringLiteral("many-to-many")};
}

QStringList onDeleteActions()
{
    return {QStringLiteral("SET NULL"), QStringLiteral("CASCADE"), QStringLiteral("RESTRICT")};
}

bool takesOptions(const QString &type)
{
    return type == u"enum" || type == u"array-select";
}

bool takesLength(const QString &type)
{
    return type == u"varchar";
}

QJsonObject canonicalColumn(const QJsonObject &column)
{
    QJsonObject c;
    copyId(c, column);
    c.insert(kName, column.value(kName).toString());
    const QString type = column.value(kType).toString();
    c.insert(kType, type);
    copyFlag(c, column, QStringLiteral("isNullable"), true);
    copyFlag(c, column, QStringLiteral("isUpdatable"), true);
    copyFlag(c, column, QStringLiteral("isPublished"), true);
    copyFlag(c, column, QStringLiteral("isUnique"), false);
    copyFlag(c, column, QStringLiteral("isIndexed"), false);
    const QJsonValue defaultValue = column.value(u"defaultValue");
    if (!defaultValue.isUndefined() && !defaultValue.isNull())
        c.insert(QStringLiteral("defaultValue"), defaultValue);
    const QJsonArray options = column.value(u"options").toArray();
    if (takesOptions(type) && !options.isEmpty())
        c.insert(QStringLiteral("options"), options);
    const int length = column.value(u"length").toInt();
    if (takesLength(type) && length > 0)
        c.insert(QStringLiteral("length"), length);
    copyText(c, column, kDescription);
    return c;
}

QJsonObject canonicalRelation(const QJsonObject &relation, const QHash<qint64, QString> &tableNames)
{
    QJsonObject r;
    copyId(r, relation);
    r.insert(QStringLiteral("propertyName"), relation.value(u"propertyName").toString());
    r.insert(kType, relation.value(kType).toString());
    const QJsonValue target = relation.value(u"targetTable");
    if (target.isObject()) {
        const qint64 id = target.toObject().value(u"id").toInteger();
        r.insert(QStringLiteral("targetTable"),
                 tableNames.contains(id) ? QJsonValue(tableNames.value(id)) : QJsonValue(target));
    } else {
        r.insert(QStringLiteral("targetTable"), target.toString());
    }
    copyText(r, relation, QStringLiteral("inversePropertyName"));
    copyFlag(r, relation, QStringLiteral("isNullable"), true);
    const QString onDelete = relation.value(u"onDelete").toString();
    r.insert(QStringLiteral("onDelete"), onDelete.isEmpty() ? QStringLiteral("SET NULL") : onDelete);
    copyFlag(r, relation, QStringLiteral("isPublished"), true);
    copyText(r, relation, kDescription);
    return r;
}

QJsonObject fromRow(const QJsonObject &row, const QHash<qint64, QString> &tableNames)
{
    QJsonObject body;
    body.insert(kName, row.value(kName).toString());
    body.insert(kDescription, row.value(kDescription).toString());
    body.insert(QStringLiteral("primaryKeyType"),
                row.value(u"primaryKeyType").toString(QStringLiteral("int")));

    QList<QJsonObject> columns;
    for (const QJsonValue &v : row.value(u"columns").toArray())
        if (!isBuiltinColumn(v.toObject().value(kName).toString()))
            columns << v.toObject();
    // Nested rows come ordered by id; the schema's order is position.
    std::stable_sort(columns.begin(), columns.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(u"position").toInt() < b.value(u"position").toInt();
    });
    QJsonArray columnList;
    for (const QJsonObject &c : std::as_const(columns))
        columnList.append(canonicalColumn(c));
    body.insert(QStringLiteral("columns"), columnList);

    QJsonArray relationList;
    for (const QJsonValue &v : row.value(u"relations").toArray())
        relationList.append(canonicalRelation(v.toObject(), tableNames));
    body.insert(QStringLiteral("relations"), relationList);
    return body;
}

QString defaultText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    default:
        return {};
    }
}

QJsonValue defaultFromText(const QString &type, const QString &text)
{
    if (text.isEmpty())
        return QJsonValue::Undefined;
    const QString trimmed = text.trimmed();
    if (type == u"int" || type == u"bigint") {
        bool ok = false;
        const qint64 n = trimmed.toLongLong(&ok);
        if (ok)
            return QJsonValue(n);
    } else if (type == u"float") {
        bool ok = false;
        const double n = trimmed.toDouble(&ok);
        if (ok)
            return n;
    } else if (type == u"boolean") {
        if (trimmed.compare(u"true", Qt::CaseInsensitive) == 0)
            return true;
        if (trimmed.compare(u"false", Qt::CaseInsensitive) == 0)
            return false;
    } else if (type == u"simple-json" || type == u"array-select") {
        // QJsonDocument reads arrays and objects only: wrap to read any JSON value.
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson('[' + trimmed.toUtf8() + ']', &error);
        if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
            return doc.array().first();
    }
    // Anything else goes as typed: the server says in plain words when it does not fit.
    return text;
}

QString optionsText(const QJsonValue &options)
{
    QStringList list;
    for (const QJsonValue &v : options.toArray())
        list << v.toString();
    return list.join(QStringLiteral(", "));
}

QJsonArray optionsFromText(const QString &text)
{
    QJsonArray options;
    for (const QString &part : text.split(u','))
        if (!part.trimmed().isEmpty())
            options.append(part.trimmed());
    return options;
}

bool columnOrderChanged(const QJsonObject &saved, const QJsonObject &edited)
{
    auto ids = [](const QJsonObject &definition) {
        QList<qint64> out;
        for (const QJsonValue &c : definition.value(u"columns").toArray())
            if (c.toObject().contains(u"id"))
                out << c.toObject().value(u"id").toInteger();
        return out;
    };
    const QList<qint64> after = ids(edited);
    QList<qint64> before = ids(saved);
    before.removeIf([&after](qint64 id) { return !after.contains(id); }); // dropped ones do not count
    return before != after;
}

QJsonObject creationPreview(const QJsonObject &definition)
{
    QJsonArray columns;
    for (const QJsonValue &c : definition.value(u"columns").toArray())
        columns.append(c.toObject().value(kName));
    QJsonArray relations;
    for (const QJsonValue &v : definition.value(u"relations").toArray()) {
        const QJsonObject r = v.toObject();
        relations.append(QJsonObject{{QStringLiteral("propertyName"), r.value(u"propertyName")},
                                     {QStringLiteral("type"), r.value(kType)},
                                     {QStringLiteral("targetTable"), r.value(u"targetTable")}});
    }
    return QJsonObject{{QStringLiteral("_preview"), true},
                       {QStringLiteral("tableName"), definition.value(kName)},
                       {QStringLiteral("operation"), QStringLiteral("create")},
                       {QStringLiteral("isDestructive"), false},
                       {QStringLiteral("addedColumns"), columns},
                       {QStringLiteral("addedRelations"), relations}};
}

} // namespace Hearth::TableDefinition
