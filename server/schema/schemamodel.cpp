#include "schema/schemamodel.h"

namespace Hearth {

namespace {
struct TypeName
{
    ColumnType type;
    const char *name;
};
constexpr TypeName kTypeNames[] = {
    {ColumnType::Int, "int"},
    {ColumnType::BigInt, "bigint"},
    {ColumnType::Float, "float"},
    {ColumnType::Varchar, "varchar"},
    {ColumnType::Text, "text"},
    {ColumnType::Boolean, "boolean"},
    {ColumnType::Uuid, "uuid"},
    {ColumnType::Date, "date"},
    {ColumnType::DateTime, "datetime"},
    {ColumnType::Timestamp, "timestamp"},
    {ColumnType::Enum, "enum"},
    {ColumnType::SimpleJson, "simple-json"},
    {ColumnType::ArraySelect, "array-select"},
    {ColumnType::RichText, "richtext"},
    {ColumnType::Code, "code"},
};
} // namespace

QString columnTypeName(ColumnType type)
{
    for (const TypeName &t : kTypeNames)
        if (t.type == type)
            return QString::fromLatin1(t.name);
    return {};
}

std::optional<ColumnType> columnTypeFromName(QStringView name)
{
    for (const TypeName &t : kTypeNames)
        if (name == QLatin1StringView(t.name))
            return t.type;
    return std::nullopt;
}

bool isNumeric(ColumnType type)
{
    return type == ColumnType::Int || type == ColumnType::BigInt || type == ColumnType::Float;
}

bool isJsonStored(ColumnType type)
{
    return type == ColumnType::SimpleJson || type == ColumnType::ArraySelect;
}

bool isTextLike(ColumnType type)
{
    return !isNumeric(type) && !isJsonStored(type) && type != ColumnType::Boolean;
}

QString relationTypeName(RelationType type)
{
    switch (type) {
    case RelationType::ManyToOne:
        return QStringLiteral("many-to-one");
    case RelationType::OneToOne:
        return QStringLiteral("one-to-one");
    case RelationType::OneToMany:
        return QStringLiteral("one-to-many");
    case RelationType::ManyToMany:
        return QStringLiteral("many-to-many");
    }
    return {};
}

std::optional<RelationType> relationTypeFromName(QStringView name)
{
    for (RelationType t :
         {RelationType::ManyToOne, RelationType::OneToOne, RelationType::OneToMany, RelationType::ManyToMany})
        if (name == relationTypeName(t))
            return t;
    return std::nullopt;
}

QString onDeleteName(OnDelete action)
{
    switch (action) {
    case OnDelete::Cascade:
        return QStringLiteral("CASCADE");
    case OnDelete::Restrict:
        return QStringLiteral("RESTRICT");
    case OnDelete::SetNull:
        return QStringLiteral("SET NULL");
    }
    return {};
}

std::optional<OnDelete> onDeleteFromName(QStringView name)
{
    for (OnDelete a : {OnDelete::Cascade, OnDelete::Restrict, OnDelete::SetNull})
        if (name.compare(onDeleteName(a), Qt::CaseInsensitive) == 0)
            return a;
    if (name.compare(QLatin1StringView("SET_NULL"), Qt::CaseInsensitive) == 0)
        return OnDelete::SetNull;
    return std::nullopt;
}

const ColumnDef *TableDef::column(QStringView name) const
{
    const ColumnDef *c = storedColumn(name);
    return c && !c->isSecret ? c : nullptr;
}

const ColumnDef *TableDef::storedColumn(QStringView name) const
{
    for (const ColumnDef &c : columns)
        if (c.name == name)
            return &c;
    return nullptr;
}

const RelationDef *TableDef::relation(QStringView propertyName) const
{
    for (const RelationDef &r : relations)
        if (r.propertyName == propertyName)
            return &r;
    return nullptr;
}

Schema::Schema(QList<TableDef> tables, quint64 version) : m_tables(std::move(tables)), m_version(version)
{
    for (qsizetype i = 0; i < m_tables.size(); ++i)
        m_byName.insert(m_tables[i].name, i);
}

const TableDef *Schema::table(QStringView name) const
{
    const auto it = m_byName.constFind(name.toString());
    return it == m_byName.cend() ? nullptr : &m_tables[*it];
}

const TableDef *Schema::tableById(qint64 id) const
{
    for (const TableDef &t : m_tables)
        if (t.id == id)
            return &t;
    return nullptr;
}

bool isValidIdentifier(QStringView name)
{
    if (name.isEmpty() || name.size() > 63)
        return false;
    const QChar first = name.front();
    if (!(first.isLetter() && first.unicode() < 128) && first != u'_')
        return false;
    for (QChar c : name)
        if (c.unicode() >= 128 || !(c.isLetterOrNumber() || c == u'_'))
            return false;
    return true;
}

QByteArray quoteIdentifier(QStringView name)
{
    QByteArray out;
    out.reserve(name.size() + 2);
    out += '"';
    out += name.toUtf8().replace('"', "\"\"");
    out += '"';
    return out;
}

} // namespace Hearth
