#include "data/recordwriter.h"

#include "auth/passwordhasher.h"
#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/sqlerror.h"
#include "data/sqlstatement.h"
#include "data/valuecoercion.h"
#include "schema/ddlbuilder.h"

#include <QJsonArray>
#include <QSet>
#include <QUuid>
#include <QVarLengthArray>

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace Hearth {

namespace {

constexpr int kMaxDepth = 32;
constexpr int kMinPasswordLength = 8;

struct RowPlan;
using RowPlanPtr = std::unique_ptr<RowPlan>;

struct ColumnValue
{
    int index; // into TableDef::columns
    SqlValue value;
};

// An owning to-one relation: the FK column of this row.
struct ToOnePlan
{
    const RelationDef *relation = nullptr;
    int fkIndex = -1;
    SqlValue linkId;   // used when nested is null (SqlNull = unlink)
    RowPlanPtr nested; // create the target, or update the linked target
};

struct ItemPlan
{
    SqlValue id;       // linked row (null for a nested create)
    RowPlanPtr nested; // create, or update of the linked row
};

// A to-many relation or an inverse one-to-one: rows of another table (or of
// a junction table) that point at this row.
struct ToManyPlan
{
    const RelationDef *relation = nullptr;
    const TableDef *target = nullptr;
    int childFkIndex = -1; // one-to-many / inverse one-to-one: the FK column in target
    std::vector<ItemPlan> items;
    std::vector<SqlValue> unlink; // update: children no longer listed (FK → NULL)
    bool replace = false;         // update of a many-to-many: junction rows replaced
};

struct RowPlan
{
    const TableDef *table = nullptr;
    bool isCreate = true;
    SqlValue key; // update: the row's id
    QString path; // message prefix: "" at the top, "author.", "comments[0]."
    std::vector<ColumnValue> values;
    std::vector<ToOnePlan> toOne;
    std::vector<ToManyPlan> toMany;
    int impliedFkIndex = -1; // FK set to the parent's id (row nested under a one-to-many)
};

int columnIndex(const TableDef &table, QStringView name)
{
    for (qsizetype i = 0; i < table.columns.size(); ++i)
        if (table.columns[i].name == name)
            return int(i);
    return -1;
}

// A password column stores only a bcrypt hash of what was sent.
SqlValue hashedPassword(const QJsonValue &value, int cost, QString *error)
{
    if (!value.isString()) {
        *error = QStringLiteral("must be a string");
        return SqlNull{};
    }
    const QString password = value.toString();
    if (characterCount(password) < kMinPasswordLength) {
        *error = QStringLiteral("must be at least %1 characters").arg(kMinPasswordLength);
        return SqlNull{};
    }
    return PasswordHasher::hash(password.toUtf8(), cost);
}

// The relation of `table` that stores its link in `fkColumn` of `table`.
const RelationDef *owningRelation(const TableDef &table, const QString &fkColumn)
{
    for (const RelationDef &r : table.relations)
        if (r.ownsForeignKey() && r.foreignKeyColumn == fkColumn)
            return &r;
    return nullptr;
}

QByteArray updatedAtAssignment(const TableDef &table)
{
    if (!table.column(u"updatedAt"))
        return {};
    return "\"updatedAt\"=" + DdlBuilder::nowExpression();
}

// "UNIQUE constraint failed: posts.slug" → "slug"; "NOT NULL constraint failed: posts.title" → "title".
QString constraintColumn(const char *message)
{
    const QString text = QString::fromUtf8(message);
    const qsizetype colon = text.indexOf(QLatin1StringView("failed: "));
    if (colon < 0)
        return {};
    QString first = text.mid(colon + 8).section(QLatin1Char(','), 0, 0).trimmed();
    const qsizetype dot = first.lastIndexOf(QLatin1Char('.'));
    return dot >= 0 ? first.mid(dot + 1) : first;
}

[[noreturn]] void internalError(const SqlError &e, const QString &context)
{
    qWarning("RecordWriter: %s: SQLite error %d/%d: %s [%s]", qUtf8Printable(context), e.code(),
             e.extendedCode(), e.what(), e.sql().constData());
    throw ApiError::internal();
}

QString withoutDot(const QString &path)
{
    return path.endsWith(QLatin1Char('.')) ? path.chopped(1) : path;
}

// A write statement's failure, in the words of the API.
[[noreturn]] void throwWriteError(const SqlError &e, const RowPlan &row)
{
    if (e.isUniqueViolation()) {
        const QString field = row.path + constraintColumn(e.what());
        throw ApiError::conflict(field + QStringLiteral(" must be unique"),
                                 QJsonObject{{QStringLiteral("field"), field}});
    }
    if (e.isNotNullViolation())
        throw ApiError::validation(
            {row.path + constraintColumn(e.what()) + QStringLiteral(" must not be null")});
    if (e.isForeignKeyViolation()) {
        const QString where = withoutDot(row.path);
        throw ApiError::badRequest(where.isEmpty()
                                       ? QStringLiteral("A related record does not exist")
                                       : where + QStringLiteral(": a related record does not exist"));
    }
    internalError(e, row.table->name);
}

class Writer
{
public:
    Writer(SqlConnection &db, const Schema &schema, int passwordCost)
        : m_db(db), m_schema(schema), m_passwordCost(passwordCost)
    {}

    RowPlanPtr plan(const TableDef &table, const QJsonObject &body, bool isCreate, const SqlValue &key,
                    const QString &path, const RelationDef *implied, int depth);
    void throwIfRefused() const;
    SqlValue execute(RowPlan &row, const SqlValue &parentKey);

    bool rowExists(const TableDef &table, const SqlValue &key);
    QString findBlocker(const TableDef &table, const SqlValue &key, QSet<QString> &visited, int depth);

private:
    void planRelation(RowPlan &row, const RelationDef &relation, const QJsonValue &value, bool fkForm,
                      const QString &where, int depth);
    bool resolveLink(const TableDef &target, const QJsonValue &id, const QString &where,
                     const QString &typeWhere, SqlValue *out);
    bool planObject(const TableDef &target, const QJsonObject &object, const QString &where,
                    const RelationDef *implied, int depth, SqlValue *linkId, RowPlanPtr *nested);
    const TableDef &targetOf(const RelationDef &relation) const;

    void insertRow(RowPlan &row);
    void updateRow(RowPlan &row);
    void writeToMany(RowPlan &row, ToManyPlan &plan);
    void run(SqlStatement &statement, const RowPlan &row);

    SqlConnection &m_db;
    const Schema &m_schema;
    int m_passwordCost;
    QStringList m_unknown;
    QStringList m_messages;
};

const TableDef &Writer::targetOf(const RelationDef &relation) const
{
    const TableDef *target = m_schema.table(relation.targetTable);
    if (!target) {
        qWarning("RecordWriter: relation %s targets unknown table %s", qUtf8Printable(relation.propertyName),
                 qUtf8Printable(relation.targetTable));
        throw ApiError::internal();
    }
    return *target;
}

bool Writer::rowExists(const TableDef &table, const SqlValue &key)
{
    SqlStatement st = m_db.prepare("SELECT 1 FROM " + quoteIdentifier(table.name) + " WHERE " +
                                   quoteIdentifier(table.primaryKey().name) + "=?");
    st.bind(1, key);
    return st.step();
}

void Writer::throwIfRefused() const
{
    if (!m_unknown.isEmpty())
        throw ApiError::badRequest(m_unknown.front() + QStringLiteral(" is not allowed"));
    if (!m_messages.isEmpty())
        throw ApiError::validation(m_messages);
}

RowPlanPtr Writer::plan(const TableDef &table, const QJsonObject &body, bool isCreate, const SqlValue &key,
                        const QString &path, const RelationDef *implied, int depth)
{
    if (depth > kMaxDepth)
        throw ApiError::badRequest(withoutDot(path) + QStringLiteral(": relations are nested too deeply"));
    auto row = std::make_unique<RowPlan>();
    row->table = &table;
    row->isCreate = isCreate;
    row->key = key;
    row->path = path;
    if (implied)
        row->impliedFkIndex = columnIndex(table, implied->foreignKeyColumn);

    QVarLengthArray<bool, 64> given(table.columns.size(), false);
    QVarLengthArray<const RelationDef *, 16> givenRelations;
    auto relationGiven = [&](const RelationDef *r) {
        return std::find(givenRelations.cbegin(), givenRelations.cend(), r) != givenRelations.cend();
    };
    auto takeRelation = [&](const RelationDef &r) {
        if (relationGiven(&r)) {
            m_messages << QStringLiteral("%1%2 and %1%3 cannot both be given")
                              .arg(path, r.propertyName, r.foreignKeyColumn);
            return false;
        }
        givenRelations.append(&r);
        return true;
    };

    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        const QString name = it.key();
        if (name == u"id" || name == u"createdAt" || name == u"updatedAt")
            continue; // maintained by the server, ignored on input
        const int ci = columnIndex(table, name);
        if (ci >= 0) {
            const ColumnDef &column = table.columns[ci];
            if (column.isGenerated)
                continue;
            if (column.isForeignKey) {
                if (const RelationDef *r = owningRelation(table, column.name)) {
                    if (r == implied) { // set by the parent this row is nested in
                        m_unknown << path + name;
                        continue;
                    }
                    given[ci] = true;
                    if (takeRelation(*r))
                        planRelation(*row, *r, it.value(), true, path + name, depth);
                    continue;
                }
            }
            if (!isCreate && !column.isUpdatable)
                continue; // PATCH drops isUpdatable:false columns
            given[ci] = true;
            QString error;
            SqlValue value = column.hashOnWrite ? hashedPassword(it.value(), m_passwordCost, &error)
                                                : toStoredValue(column, it.value(), &error);
            if (!error.isEmpty())
                m_messages << path + name + QLatin1Char(' ') + error;
            else
                row->values.push_back({ci, std::move(value)});
            continue;
        }
        const RelationDef *r = table.relation(name);
        if (!r || r == implied) {
            m_unknown << path + name;
            continue;
        }
        if (r->ownsForeignKey()) {
            const int fk = columnIndex(table, r->foreignKeyColumn);
            if (fk >= 0)
                given[fk] = true;
            if (!takeRelation(*r))
                continue;
        }
        planRelation(*row, *r, it.value(), false, path + name, depth);
    }

    if (isCreate) {
        for (qsizetype i = 0; i < table.columns.size(); ++i) {
            const ColumnDef &column = table.columns[i];
            if (given[i] || column.isGenerated || column.isForeignKey)
                continue;
            if (column.hasDefault() && !column.defaultValue.isNull()) {
                QString error;
                SqlValue value = toStoredValue(column, column.defaultValue, &error);
                // A default the column refuses is left to the table's SQL DEFAULT.
                if (error.isEmpty())
                    row->values.push_back({int(i), std::move(value)});
                continue;
            }
            if (!column.isNullable)
                m_messages << path + column.name + QStringLiteral(" is required");
        }
        for (const RelationDef &r : table.relations) {
            if (!r.ownsForeignKey() || r.isNullable || &r == implied || relationGiven(&r))
                continue;
            m_messages << path + r.propertyName + QStringLiteral(" is required");
        }
    }
    return row;
}

bool Writer::resolveLink(const TableDef &target, const QJsonValue &id, const QString &where,
                         const QString &typeWhere, SqlValue *out)
{
    if (!toStoredKey(target.primaryKeyType, id, out)) {
        m_messages << typeWhere + QLatin1Char(' ') + keyTypeError(target.primaryKeyType);
        return false;
    }
    if (!rowExists(target, *out)) {
        m_messages
            << QStringLiteral("%1: %2 with id %3 does not exist").arg(where, target.name, displayValue(*out));
        return false;
    }
    return true;
}

bool Writer::planObject(const TableDef &target, const QJsonObject &object, const QString &where,
                        const RelationDef *implied, int depth, SqlValue *linkId, RowPlanPtr *nested)
{
    const QJsonValue id = object.value(QLatin1StringView("id"));
    if (id.isUndefined() || id.isNull()) {
        *nested = plan(target, object, true, {}, where + QLatin1Char('.'), implied, depth + 1);
        return true;
    }
    if (!resolveLink(target, id, where, where + QStringLiteral(".id"), linkId))
        return false;
    if (object.size() > 1) // link and update the given fields of that row
        *nested = plan(target, object, false, *linkId, where + QLatin1Char('.'), implied, depth + 1);
    return true;
}

void Writer::planRelation(RowPlan &row, const RelationDef &relation, const QJsonValue &value, bool fkForm,
                          const QString &where, int depth)
{
    const TableDef &target = targetOf(relation);
    if (relation.ownsForeignKey()) {
        ToOnePlan p;
        p.relation = &relation;
        p.fkIndex = columnIndex(*row.table, relation.foreignKeyColumn);
        if (value.isNull()) {
            if (!relation.isNullable) {
                m_messages << where + QStringLiteral(" must not be null");
                return;
            }
            p.linkId = SqlNull{};
        } else if (fkForm || value.isDouble() || value.isString()) {
            if (!resolveLink(target, value, where, where, &p.linkId))
                return;
        } else if (value.isObject()) {
            if (!planObject(target, value.toObject(), where, nullptr, depth, &p.linkId, &p.nested))
                return;
        } else {
            m_messages << where + QStringLiteral(" must be an id, an object or null");
            return;
        }
        if (p.fkIndex < 0) {
            qWarning("RecordWriter: %s.%s has no storage column %s", qUtf8Printable(row.table->name),
                     qUtf8Printable(relation.propertyName), qUtf8Printable(relation.foreignKeyColumn));
            throw ApiError::internal();
        }
        row.toOne.push_back(std::move(p));
        return;
    }

    ToManyPlan p;
    p.relation = &relation;
    p.target = &target;
    const RelationDef *childRelation = nullptr; // the target's relation pointing back at this row
    if (relation.type != RelationType::ManyToMany) {
        childRelation = owningRelation(target, relation.foreignKeyColumn);
        p.childFkIndex = columnIndex(target, relation.foreignKeyColumn);
        if (p.childFkIndex < 0) {
            qWarning("RecordWriter: %s.%s has no storage column %s", qUtf8Printable(row.table->name),
                     qUtf8Printable(relation.propertyName), qUtf8Printable(relation.foreignKeyColumn));
            throw ApiError::internal();
        }
    }

    const bool single = relation.type == RelationType::OneToOne && !value.isArray();
    QJsonArray items;
    if (value.isArray()) {
        items = value.toArray();
        if (relation.type == RelationType::OneToOne && items.size() > 1) {
            m_messages << where + QStringLiteral(" must not have more than one item");
            return;
        }
    } else if (single && (value.isNull() || value.isObject() || value.isDouble() || value.isString())) {
        if (!value.isNull())
            items.append(value);
    } else {
        m_messages << where + (relation.type == RelationType::OneToOne
                                   ? QStringLiteral(" must be an id, an object or null")
                                   : QStringLiteral(" must be an array"));
        return;
    }

    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString itemWhere = single ? where : where + QStringLiteral("[%1]").arg(i);
        const QJsonValue item = items.at(i);
        ItemPlan ip;
        if (item.isDouble() || item.isString()) {
            if (!resolveLink(target, item, itemWhere, itemWhere, &ip.id))
                continue;
            const bool duplicate = std::any_of(p.items.cbegin(), p.items.cend(),
                                               [&](const ItemPlan &o) { return !o.nested && o.id == ip.id; });
            if (duplicate)
                continue;
        } else if (item.isObject()) {
            if (!planObject(target, item.toObject(), itemWhere, childRelation, depth, &ip.id, &ip.nested))
                continue;
        } else {
            m_messages << itemWhere + QStringLiteral(" must be an id or an object");
            continue;
        }
        p.items.push_back(std::move(ip));
    }

    if (!row.isCreate) {
        if (relation.type == RelationType::ManyToMany) {
            p.replace = true;
        } else {
            // Replace: children that are not listed any more are detached.
            const ColumnDef &fk = target.columns[p.childFkIndex];
            std::vector<SqlValue> current;
            {
                SqlStatement st =
                    m_db.prepare("SELECT " + quoteIdentifier(target.primaryKey().name) + " FROM " +
                                 quoteIdentifier(target.name) + " WHERE " + quoteIdentifier(fk.name) + "=?");
                st.bind(1, row.key);
                while (st.step())
                    current.push_back(st.value(0));
            }
            for (const SqlValue &child : current) {
                const bool listed = std::any_of(p.items.cbegin(), p.items.cend(),
                                                [&](const ItemPlan &o) { return o.id == child; });
                if (listed)
                    continue;
                if (!fk.isNullable) {
                    m_messages << QStringLiteral(
                                      "%1: %2 with id %3 cannot be unlinked because %4 must not be null")
                                      .arg(where, target.name, displayValue(child),
                                           childRelation ? childRelation->propertyName : fk.name);
                    continue;
                }
                p.unlink.push_back(child);
            }
        }
    }
    row.toMany.push_back(std::move(p));
}

void Writer::run(SqlStatement &statement, const RowPlan &row)
{
    try {
        statement.exec();
    } catch (const SqlError &e) {
        throwWriteError(e, row);
    }
}

SqlValue Writer::execute(RowPlan &row, const SqlValue &parentKey)
{
    for (ToOnePlan &p : row.toOne) {
        SqlValue id = p.nested ? execute(*p.nested, SqlValue{}) : p.linkId;
        row.values.push_back({p.fkIndex, std::move(id)});
    }
    if (row.impliedFkIndex >= 0)
        row.values.push_back({row.impliedFkIndex, parentKey});
    // Same set of columns → same SQL text → the cached statement.
    std::sort(row.values.begin(), row.values.end(),
              [](const ColumnValue &a, const ColumnValue &b) { return a.index < b.index; });
    if (row.isCreate)
        insertRow(row);
    else
        updateRow(row);
    for (ToManyPlan &p : row.toMany)
        writeToMany(row, p);
    return row.key;
}

void Writer::insertRow(RowPlan &row)
{
    const TableDef &table = *row.table;
    if (table.primaryKeyType == PrimaryKeyType::Uuid) {
        row.key = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        row.values.insert(row.values.begin(), ColumnValue{0, row.key});
    }
    QByteArray sql = "INSERT INTO " + quoteIdentifier(table.name);
    if (row.values.empty()) {
        sql += " DEFAULT VALUES";
    } else {
        QByteArray names, marks;
        for (const ColumnValue &v : row.values) {
            if (!names.isEmpty()) {
                names += ',';
                marks += ',';
            }
            names += quoteIdentifier(table.columns[v.index].name);
            marks += '?';
        }
        sql += " (" + names + ") VALUES (" + marks + ')';
    }
    SqlStatement st = m_db.prepare(sql);
    int n = 1;
    for (const ColumnValue &v : row.values)
        st.bind(n++, v.value);
    run(st, row);
    if (table.primaryKeyType == PrimaryKeyType::Int)
        row.key = m_db.lastInsertRowId();
}

void Writer::updateRow(RowPlan &row)
{
    const TableDef &table = *row.table;
    QByteArray assignments;
    for (const ColumnValue &v : row.values) {
        if (!assignments.isEmpty())
            assignments += ',';
        assignments += quoteIdentifier(table.columns[v.index].name) + "=?";
    }
    const QByteArray touch = updatedAtAssignment(table);
    if (!touch.isEmpty()) {
        if (!assignments.isEmpty())
            assignments += ',';
        assignments += touch;
    }
    if (assignments.isEmpty())
        return;
    SqlStatement st = m_db.prepare("UPDATE " + quoteIdentifier(table.name) + " SET " + assignments +
                                   " WHERE " + quoteIdentifier(table.primaryKey().name) + "=?");
    int n = 1;
    for (const ColumnValue &v : row.values)
        st.bind(n++, v.value);
    st.bind(n, row.key);
    run(st, row);
}

void Writer::writeToMany(RowPlan &row, ToManyPlan &p)
{
    const RelationDef &relation = *p.relation;
    const TableDef &target = *p.target;
    RowPlan context; // for error messages about the related rows
    context.table = &target;
    context.path = row.path + relation.propertyName + QLatin1Char('.');

    if (relation.type == RelationType::ManyToMany) {
        const QByteArray junction = quoteIdentifier(relation.junctionTable);
        const QByteArray source = quoteIdentifier(relation.junctionSourceColumn);
        const QByteArray targetColumn = quoteIdentifier(relation.junctionTargetColumn);
        if (p.replace) {
            SqlStatement st = m_db.prepare("DELETE FROM " + junction + " WHERE " + source + "=?");
            st.bind(1, row.key);
            run(st, context);
        }
        const QByteArray insert =
            "INSERT OR IGNORE INTO " + junction + " (" + source + ',' + targetColumn + ") VALUES (?,?)";
        for (ItemPlan &item : p.items) {
            const SqlValue id = item.nested ? execute(*item.nested, SqlValue{}) : item.id;
            SqlStatement st = m_db.prepare(insert);
            st.bind(1, row.key);
            st.bind(2, id);
            run(st, context);
        }
        return;
    }

    // One-to-many and inverse one-to-one: the FK lives on the target's rows.
    const QByteArray table = quoteIdentifier(target.name);
    const QByteArray fk = quoteIdentifier(target.columns[p.childFkIndex].name);
    const QByteArray pk = quoteIdentifier(target.primaryKey().name);
    QByteArray touch = updatedAtAssignment(target);
    if (!touch.isEmpty())
        touch.prepend(',');
    for (const SqlValue &child : p.unlink) {
        SqlStatement st =
            m_db.prepare("UPDATE " + table + " SET " + fk + "=NULL" + touch + " WHERE " + pk + "=?");
        st.bind(1, child);
        run(st, context);
    }
    const QByteArray link =
        "UPDATE " + table + " SET " + fk + "=?" + touch + " WHERE " + pk + "=? AND " + fk + " IS NOT ?";
    for (ItemPlan &item : p.items) {
        if (item.nested) { // its FK is set to row.key through impliedFkIndex
            execute(*item.nested, row.key);
            continue;
        }
        SqlStatement st = m_db.prepare(link);
        st.bind(1, row.key);
        st.bind(2, item.id);
        st.bind(3, row.key);
        run(st, context);
    }
}

// The table whose rows stop `table` row `key` from being deleted: a RESTRICT
// relation, or SET NULL on a column that must not be null, reached directly
// or through CASCADE deletes. Empty when none is found.
QString Writer::findBlocker(const TableDef &table, const SqlValue &key, QSet<QString> &visited, int depth)
{
    if (depth > kMaxDepth || visited.contains(table.name + QLatin1Char('\x1f') + displayValue(key)))
        return {};
    visited.insert(table.name + QLatin1Char('\x1f') + displayValue(key));
    for (const TableDef &other : m_schema.tables()) {
        for (const RelationDef &r : other.relations) {
            if (!r.ownsForeignKey() || r.targetTable != table.name)
                continue;
            const ColumnDef *fk = other.column(r.foreignKeyColumn);
            if (!fk)
                continue;
            const bool blocks =
                r.onDelete == OnDelete::Restrict || (r.onDelete == OnDelete::SetNull && !fk->isNullable);
            if (!blocks && r.onDelete != OnDelete::Cascade)
                continue;
            std::vector<SqlValue> children;
            {
                SqlStatement st =
                    m_db.prepare("SELECT " + quoteIdentifier(other.primaryKey().name) + " FROM " +
                                 quoteIdentifier(other.name) + " WHERE " + quoteIdentifier(fk->name) + "=?");
                st.bind(1, key);
                while (st.step()) {
                    if (blocks)
                        return other.name;
                    children.push_back(st.value(0));
                }
            }
            for (const SqlValue &child : children) {
                const QString found = findBlocker(other, child, visited, depth + 1);
                if (!found.isEmpty())
                    return found;
            }
        }
    }
    return {};
}

} // namespace

RecordWriter::RecordWriter(SqlConnection &db, const Schema &schema) : m_db(db), m_schema(schema) {}

QJsonValue RecordWriter::create(const TableDef &table, const QJsonObject &body)
{
    Writer writer(m_db, m_schema, m_passwordCost);
    try {
        RowPlanPtr row = writer.plan(table, body, true, SqlValue{}, QString(), nullptr, 0);
        writer.throwIfRefused();
        return storedKeyToJson(writer.execute(*row, SqlValue{}));
    } catch (const SqlError &e) {
        internalError(e, QStringLiteral("create %1").arg(table.name));
    }
}

QJsonValue RecordWriter::update(const TableDef &table, const QJsonValue &id, const QJsonObject &body)
{
    Writer writer(m_db, m_schema, m_passwordCost);
    try {
        SqlValue key;
        if (!toStoredKey(table.primaryKeyType, id, &key) || !writer.rowExists(table, key))
            throw ApiError::badRequest(QStringLiteral("id %1 is not exists!").arg(displayValue(id)));
        RowPlanPtr row = writer.plan(table, body, false, key, QString(), nullptr, 0);
        writer.throwIfRefused();
        return storedKeyToJson(writer.execute(*row, SqlValue{}));
    } catch (const SqlError &e) {
        internalError(e, QStringLiteral("update %1").arg(table.name));
    }
}

void RecordWriter::remove(const TableDef &table, const QJsonValue &id)
{
    Writer writer(m_db, m_schema, m_passwordCost);
    try {
        SqlValue key;
        if (!toStoredKey(table.primaryKeyType, id, &key) || !writer.rowExists(table, key))
            throw ApiError::badRequest(QStringLiteral("id %1 is not exists!").arg(displayValue(id)));
        SqlStatement st = m_db.prepare("DELETE FROM " + quoteIdentifier(table.name) + " WHERE " +
                                       quoteIdentifier(table.primaryKey().name) + "=?");
        st.bind(1, key);
        try {
            st.exec();
        } catch (const SqlError &e) {
            // RESTRICT reports SQLITE_CONSTRAINT_TRIGGER (not _FOREIGNKEY), SET NULL on a
            // NOT NULL column _NOTNULL: any constraint failure here is a blocked delete.
            if (e.code() != SQLITE_CONSTRAINT)
                throw;
            QSet<QString> visited;
            const QString blocker = writer.findBlocker(table, key, visited, 0);
            QString message =
                QStringLiteral("Cannot delete: %1 %2 is still referenced").arg(table.name, displayValue(key));
            if (!blocker.isEmpty())
                message += QStringLiteral(" by ") + blocker;
            throw ApiError::conflict(message);
        }
    } catch (const SqlError &e) {
        internalError(e, QStringLiteral("delete %1").arg(table.name));
    }
}

} // namespace Hearth
