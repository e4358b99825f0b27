#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace Hearth {

// One column of the data view: a stored column, a relation, or one of the
// columns every table has (id, createdAt, updatedAt).
struct DataField
{
    enum Kind
    {
        Text,     // varchar, text, uuid
        LongText, // richtext, code: edited in a multi-line editor
        Integer,  // int, bigint
        Float,
        Boolean,
        Enum,     // one of options
        Date,     // YYYY-MM-DD
        DateTime, // datetime, timestamp (ISO 8601, UTC)
        Json,     // simple-json, array-select
        ToOne,    // many-to-one, one-to-one: a target row
        ToMany,   // one-to-many, many-to-many: read-only here
    };

    QString key;  // column name or relation property name
    QString type; // the schema's type ("varchar", "many-to-one", …)
    Kind kind = Text;
    bool nullable = true;
    bool editable = true; // false for id, timestamps, isUpdatable:false and to-many
    bool system = false;  // id, createdAt, updatedAt
    QStringList options;  // enum, array-select
    QString targetTable;  // relations
    QString targetLabel;  // the target's column that names a row ("name"), or empty

    bool isRelation() const { return kind == ToOne || kind == ToMany; }
    bool isNumber() const { return kind == Integer || kind == Float; }
    // What `sort` takes for this field, or empty when the server cannot sort by it.
    QString sortKey() const;
    // The `fields` tokens that read it: "title", or "author.id,author.name".
    QString fieldsToken() const;
};

// A table's columns as the data view needs them, from GET /hearth_table.
struct TableSchema
{
    QString name;
    QList<DataField> fields; // id, columns by position, relations, createdAt, updatedAt

    bool isValid() const { return !name.isEmpty(); }
    int indexOf(const QString &key) const;
    const DataField *field(const QString &key) const;
    // The `fields` parameter that reads every field, with the labels of related rows.
    QString fieldsParameter() const;
    // The `deep` parameter that caps the rows read of each to-many relation (a cell shows a few).
    QJsonObject deepParameter() const;
    static constexpr int kToManyShown = 5;
    // A row as a body to create it again: server-kept fields and to-many relations left
    // out, related rows reduced to their ids.
    QJsonObject creationBody(const QJsonObject &row) const;
};

// Every table of GET /hearth_table?fields=<schemaFields()>, system tables included
// (relations may point at them), by name.
class SchemaSet
{
public:
    static QString schemaFields();
    void load(const QJsonArray &tables);
    void clear() { m_tables.clear(); }
    TableSchema table(const QString &name) const { return m_tables.value(name); }
    // The names of the tables people keep their data in (not the system ones).
    QStringList userTables() const { return m_userTables; }

private:
    QHash<QString, TableSchema> m_tables;
    QStringList m_userTables;
};

// The text a related row reads as: its label, else "#id".
QString relatedRowText(const QJsonValue &related, const QString &labelKey);

} // namespace Hearth
