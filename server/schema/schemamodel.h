#pragma once

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Hearth {

enum class ColumnType
{
    Int,
    BigInt,
    Float,
    Varchar,
    Text,
    Boolean,
    Uuid,
    Date,
    DateTime,
    Timestamp,
    Enum,
    SimpleJson,
    ArraySelect,
    RichText,
    Code,
};

QString columnTypeName(ColumnType type);
std::optional<ColumnType> columnTypeFromName(QStringView name);
bool isTextLike(ColumnType type); // stored as TEXT and compared as text (varchar, text, uuid, enum, dates, …)
bool isNumeric(ColumnType type);    // int, bigint, float
bool isJsonStored(ColumnType type); // simple-json, array-select: TEXT holding JSON, emitted as JSON

enum class PrimaryKeyType
{
    Int,
    Uuid
};

struct ColumnDef
{
    qint64 id = 0; // hearth_column.id; 0 for built-in columns
    QString name;
    ColumnType type = ColumnType::Varchar;
    bool isPrimary = false;
    bool isGenerated = false;  // id, createdAt, updatedAt: maintained by the server, ignored on input
    bool isForeignKey = false; // storage column of a relation (authorId); filterable, not emitted
    qint64 relationId = 0;     // for a foreign-key column: the id of the relation it stores
    bool isSecret = false;     // write-only: never read, filtered or sorted (password and token hashes)
    bool hashOnWrite = false;  // a password: bcrypt-hashed on the way in
    bool isNullable = true;
    bool isUpdatable = true;
    bool isPublished = true;
    bool isUnique = false;
    bool isIndexed = false;
    QJsonValue defaultValue = QJsonValue::Undefined; // undefined = no default
    QStringList options;                             // enum and array-select values
    int length = 0;                                  // varchar: max characters (0 = 255)
    QString description;

    bool hasDefault() const { return !defaultValue.isUndefined(); }
    int maxLength() const { return length > 0 ? length : 255; }
};

enum class RelationType
{
    ManyToOne,
    OneToOne,
    OneToMany,
    ManyToMany
};
enum class OnDelete
{
    Cascade,
    Restrict,
    SetNull
};

QString relationTypeName(RelationType type);
std::optional<RelationType> relationTypeFromName(QStringView name);
QString onDeleteName(OnDelete action);
std::optional<OnDelete> onDeleteFromName(QStringView name);

struct RelationDef
{
    qint64 id = 0; // hearth_relation.id of the defining side (shared by the derived inverse)
    QString propertyName;
    RelationType type = RelationType::ManyToOne;
    QString targetTable;
    QString inversePropertyName; // empty = no inverse property
    bool isNullable = true;
    OnDelete onDelete = OnDelete::SetNull;
    bool isPublished = true;
    bool isInverse = false; // derived from the relation defined on the other table
    QString description;

    // Storage, filled when the schema is built:
    // - many-to-one and owning one-to-one: foreignKeyColumn is on this table;
    // - one-to-many and inverse one-to-one: foreignKeyColumn is on targetTable;
    // - many-to-many: rows of junctionTable link junctionSourceColumn (this
    //   table's id) to junctionTargetColumn (the target's id).
    QString foreignKeyColumn;
    QString junctionTable;
    QString junctionSourceColumn;
    QString junctionTargetColumn;

    bool isToMany() const { return type == RelationType::OneToMany || type == RelationType::ManyToMany; }
    bool ownsForeignKey() const
    {
        return type == RelationType::ManyToOne || (type == RelationType::OneToOne && !isInverse);
    }
};

struct TableDef
{
    qint64 id = 0; // hearth_table.id
    QString name;
    bool isSystem = false;
    PrimaryKeyType primaryKeyType = PrimaryKeyType::Int;
    QString description;
    QList<ColumnDef> columns;     // id first, then user columns, FK columns, createdAt, updatedAt
    QList<RelationDef> relations; // defined here and derived inverses
    QString defaultFields;        // fields used when a request gives none ("" = "*")

    // A column a query may name; secret (write-only) columns are not.
    const ColumnDef *column(QStringView name) const;
    // Any stored column, secret ones included (writers, DDL).
    const ColumnDef *storedColumn(QStringView name) const;
    const RelationDef *relation(QStringView propertyName) const;
    const ColumnDef &primaryKey() const { return columns.front(); }
};

// An immutable snapshot of every table; replaced as a whole when the schema changes.
class Schema
{
public:
    explicit Schema(QList<TableDef> tables = {}, quint64 version = 0);

    const TableDef *table(QStringView name) const;
    const TableDef *tableById(qint64 id) const;
    const QList<TableDef> &tables() const { return m_tables; }
    quint64 version() const { return m_version; }

private:
    QList<TableDef> m_tables;
    QHash<QString, qsizetype> m_byName;
    quint64 m_version;
};

using SchemaPtr = std::shared_ptr<const Schema>;

// Names the user may give tables, columns and relations: an identifier that
// is safe to quote into SQL and free of the reserved prefixes.
bool isValidIdentifier(QStringView name);
// "name" with embedded quotes doubled; identifiers only ever come from the schema.
QByteArray quoteIdentifier(QStringView name);

} // namespace Hearth
