#include "pages/data/tableschema.h"

#include <algorithm>

namespace Hearth {

namespace {

DataField::Kind kindOf(const QString &type)
{
    static const QHash<QString, DataField::Kind> kinds{
        {QStringLiteral("int"), DataField::Integer},
        {QStringLiteral("bigint"), DataField::Integer},
        {QStringLiteral("float"), DataField::Float},
        {QStringLiteral("boolean"), DataField::Boolean},
        {QStringLiteral("enum"), DataField::Enum},
        {QStringLiteral("date"), DataField::Date},
        {QStringLiteral("datetime"), DataField::DateTime},
        {QStringLiteral("timestamp"), DataField::DateTime},
        {QStringLiteral("simple-json"), DataField::Json},
        {QStringLiteral("array-select"), DataField::Json},
        {QStringLiteral("richtext"), DataField::LongText},
        {QStringLiteral("code"), DataField::LongText},
        {QStringLiteral("many-to-one"), DataField::ToOne},
        {QStringLiteral("one-to-one"), DataField::ToOne},
        {QStringLiteral("one-to-many"), DataField::ToMany},
        {QStringLiteral("many-to-many"), DataField::ToMany},
    };
    return kinds.value(type, DataField::Text);
}

DataField systemField(const QString &key, DataField::Kind kind, const QString &type)
{
    DataField f;
    f.key = key;
    f.type = type;
    f.kind = kind;
    f.nullable = false;
    f.editable = false;
    f.system = true;
    return f;
}

// The column that names a row of a table best: a well-known name, else its first text column.
QString labelColumn(const QList<DataField> &fields)
{
    static const QStringList preferred{QStringLiteral("name"),     QStringLiteral("title"),
                                       QStringLiteral("label"),    QStringLiteral("displayName"),
                                       QStringLiteral("username"), QStringLiteral("email"),
                                       QStringLiteral("slug"),     QStringLiteral("key"),
                                       QStringLiteral("path"),     QStringLiteral("propertyName")};
    for (const QString &name : preferred)
        for (const DataField &f : fields)
            if (f.key == name && f.kind == DataField::Text)
                return name;
    for (const DataField &f : fields)
        if (f.kind == DataField::Text && !f.system && f.type != u"uuid")
            return f.key;
    return {};
}

// The field a relation puts on its target table.
DataField inverseOf(const DataField &relation, const QString &name, const QString &source)
{
    DataField f;
    f.key = name;
    f.targetTable = source;
    if (relation.type == u"many-to-one")
        f.type = QStringLiteral("one-to-many");
    else if (relation.type == u"one-to-many")
        f.type = QStringLiteral("many-to-one"); // it holds the key: editable
    else
        f.type = relation.type;
    f.kind = kindOf(f.type);
    f.nullable = relation.type == u"one-to-many" ? relation.nullable : true;
    f.editable = relation.type == u"one-to-many";
    return f;
}

} // namespace

QString DataField::sortKey() const
{
    if (kind == ToMany || kind == Json)
        return {};
    if (kind == ToOne)
        return targetLabel.isEmpty() ? key + QStringLiteral(".id") : key + u'.' + targetLabel;
    return key;
}

QString DataField::fieldsToken() const
{
    if (!isRelation())
        return key;
    QString token = key + QStringLiteral(".id");
    if (!targetLabel.isEmpty())
        token += u',' + key + u'.' + targetLabel;
    return token;
}

int TableSchema::indexOf(const QString &key) const
{
    for (int i = 0; i < fields.size(); ++i)
        if (fields.at(i).key == key)
            return i;
    return -1;
}

const DataField *TableSchema::field(const QString &key) const
{
    const int i = indexOf(key);
    return i < 0 ? nullptr : &fields.at(i);
}

QString TableSchema::fieldsParameter() const
{
    QStringList tokens;
    for (const DataField &f : fields)
        tokens << f.fieldsToken();
    return tokens.join(u',');
}

QJsonObject TableSchema::deepParameter() const
{
    QJsonObject deep;
    for (const DataField &f : fields)
        if (f.kind == DataField::ToMany) // one more than shown, to know there are more
            deep.insert(f.key, QJsonObject{{QStringLiteral("limit"), kToManyShown + 1}});
    return deep;
}

QJsonObject TableSchema::creationBody(const QJsonObject &row) const
{
    QJsonObject body;
    for (const DataField &f : fields) {
        if (f.system || f.kind == DataField::ToMany || !row.contains(f.key))
            continue;
        const QJsonValue value = row.value(f.key);
        if (f.kind == DataField::ToOne)
            body.insert(f.key, value.isObject() ? value.toObject().value(u"id") : value);
        else
            body.insert(f.key, value);
    }
    return body;
}

QString SchemaSet::schemaFields()
{
    return QStringLiteral("id,name,isSystem,columns.name,columns.type,columns.isNullable,columns.isUpdatable,"
                          "columns.options,columns.position,relations.propertyName,relations.type,"
                          "relations.isNullable,relations.inversePropertyName,relations.targetTable.name");
}

void SchemaSet::load(const QJsonArray &tables)
{
    m_tables.clear();
    m_userTables.clear();
    // The other side of each relation is stored with the side that defines it only.
    QList<std::pair<QString, DataField>> inverses;
    for (const QJsonValue &value : tables) {
        const QJsonObject table = value.toObject();
        TableSchema schema;
        schema.name = table.value(u"name").toString();
        if (schema.name.isEmpty())
            continue;
        if (!table.value(u"isSystem").toBool())
            m_userTables << schema.name;
        schema.fields << systemField(QStringLiteral("id"), DataField::Integer, QStringLiteral("int"));
        QList<std::pair<int, DataField>> columns;
        for (const QJsonValue &c : table.value(u"columns").toArray()) {
            const QJsonObject column = c.toObject();
            DataField f;
            f.key = column.value(u"name").toString();
            if (f.key == u"id" || f.key == u"createdAt" || f.key == u"updatedAt")
                continue;
            f.type = column.value(u"type").toString();
            f.kind = kindOf(f.type);
            f.nullable = column.value(u"isNullable").toBool(true);
            f.editable = column.value(u"isUpdatable").toBool(true);
            for (const QJsonValue &o : column.value(u"options").toArray())
                f.options << o.toString();
            columns.append({column.value(u"position").toInt(), f});
        }
        std::stable_sort(columns.begin(), columns.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (const auto &c : std::as_const(columns))
            schema.fields << c.second;
        for (const QJsonValue &r : table.value(u"relations").toArray()) {
            const QJsonObject relation = r.toObject();
            DataField f;
            f.key = relation.value(u"propertyName").toString();
            f.type = relation.value(u"type").toString();
            f.kind = kindOf(f.type);
            f.nullable = relation.value(u"isNullable").toBool(true);
            f.editable = f.kind == DataField::ToOne;
            const QJsonValue target = relation.value(u"targetTable");
            f.targetTable =
                target.isObject() ? target.toObject().value(u"name").toString() : target.toString();
            schema.fields << f;
            const QString inverse = relation.value(u"inversePropertyName").toString();
            if (!inverse.isEmpty())
                inverses.append({f.targetTable, inverseOf(f, inverse, schema.name)});
        }
        schema.fields << systemField(QStringLiteral("createdAt"), DataField::DateTime,
                                     QStringLiteral("datetime"));
        schema.fields << systemField(QStringLiteral("updatedAt"), DataField::DateTime,
                                     QStringLiteral("datetime"));
        m_tables.insert(schema.name, schema);
    }
    for (const auto &[table, field] : std::as_const(inverses)) {
        auto it = m_tables.find(table);
        if (it == m_tables.end() || it->indexOf(field.key) >= 0)
            continue;
        it->fields.insert(it->fields.size() - 2, field); // before createdAt, updatedAt
    }
    // Labels once every table is known: a relation may point at any of them.
    for (TableSchema &schema : m_tables)
        for (DataField &f : schema.fields)
            if (f.isRelation())
                f.targetLabel = labelColumn(m_tables.value(f.targetTable).fields);
    std::sort(m_userTables.begin(), m_userTables.end());
}

QString relatedRowText(const QJsonValue &related, const QString &labelKey)
{
    if (!related.isObject())
        return related.isNull() || related.isUndefined() ? QString() : related.toVariant().toString();
    const QJsonObject row = related.toObject();
    const QString label = labelKey.isEmpty() ? QString() : row.value(labelKey).toVariant().toString();
    const QString id = row.value(u"id").toVariant().toString();
    return label.isEmpty() ? QStringLiteral("#%1").arg(id) : label;
}

} // namespace Hearth
