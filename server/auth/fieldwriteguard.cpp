#include "auth/fieldwriteguard.h"

#include "auth/fieldaccesspolicy.h"
#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/sqlstatement.h"
#include "data/valuecoercion.h"
#include "query/querycompiler.h"

#include <QJsonArray>

#include <algorithm>
#include <optional>
#include <vector>

namespace Hearth {

namespace {

constexpr int kMaxDepth = 32; // RecordWriter refuses deeper bodies itself

[[noreturn]] void refuse(const TableDef &table, const QString &field)
{
    throw ApiError(403, "FORBIDDEN", QStringLiteral("You may not set %1.%2").arg(table.name, field));
}

const RelationDef *owningRelation(const TableDef &table, const QString &fkColumn)
{
    for (const RelationDef &r : table.relations)
        if (r.ownsForeignKey() && r.foreignKeyColumn == fkColumn)
            return &r;
    return nullptr;
}

// The relation property on the other side of a link, if it has one.
const RelationDef *inverseOf(const TableDef &target, const RelationDef &relation)
{
    return relation.inversePropertyName.isEmpty() ? nullptr : target.relation(relation.inversePropertyName);
}

template <typename NodeT> [[noreturn]] void refuseFirstPending(const NodeT &node)
{
    if (!node.checks.empty())
        refuse(*node.table, node.checks.front().field);
    for (const auto &c : node.created)
        for (const auto &row : c.rows)
            if (row->pending())
                refuseFirstPending(*row);
    for (const auto &row : node.updated)
        if (row->pending())
            refuseFirstPending(*row);
    refuse(*node.table, QStringLiteral("id"));
}

bool isNewRow(const QJsonObject &object)
{
    const QJsonValue id = object.value(QLatin1StringView("id"));
    return id.isUndefined() || id.isNull();
}

} // namespace

// A row the body writes. Created rows keep the conditions to test once they exist.
struct FieldWriteGuard::Node
{
    struct Pending
    {
        QString field; // as named in the refusal
        QJsonValue condition;
    };
    // Rows created through one relation of this row, in body order.
    struct Created
    {
        const RelationDef *relation = nullptr;
        const TableDef *target = nullptr;
        std::vector<std::unique_ptr<Node>> rows;
        std::vector<SqlValue> linked; // rows linked by id: not among the created
    };

    const TableDef *table = nullptr;
    bool isCreate = true;
    SqlValue key; // updates: the row's key; creates: known after the write
    std::vector<Pending> checks;
    std::vector<Created> created;
    std::vector<std::unique_ptr<Node>> updated; // nested updates of linked rows

    bool pending() const
    {
        if (!checks.empty())
            return true;
        for (const Created &c : created)
            for (const auto &row : c.rows)
                if (row->pending())
                    return true;
        return std::any_of(updated.cbegin(), updated.cend(), [](const auto &n) { return n->pending(); });
    }
};

class FieldWriteGuard::Walker
{
public:
    Walker(const CallerFieldAccess &access, SqlConnection &db) : m_access(access), m_db(db) {}

    void row(Node &node, const QJsonObject &body, const RelationDef *implied, int depth);
    void settle(Node &node, const SqlValue &key);

private:
    void field(Node &node, const QString &field, const QString &named, FieldAction action);
    void toOne(Node &node, const RelationDef &relation, const QJsonValue &value, bool fkForm, int depth);
    void toMany(Node &node, const RelationDef &relation, const QJsonValue &value, int depth);
    // An existing row whose relation property gains or loses a link.
    void touch(const TableDef &table, const RelationDef &property, const FieldReadRule &rule,
               const SqlValue &key);
    Node::Created &createdThrough(Node &node, const RelationDef &relation, const TableDef &target);
    std::vector<SqlValue> linkedRows(const Node &node, const RelationDef &relation, const TableDef &target,
                                     bool newestLast);
    bool holds(const TableDef &table, const QJsonValue &condition, const SqlValue &key);

    const CallerFieldAccess &m_access;
    SqlConnection &m_db;
};

bool FieldWriteGuard::Walker::holds(const TableDef &table, const QJsonValue &condition, const SqlValue &key)
{
    const CompiledSql test = QueryCompiler(m_access.schema()).compileRowTest(table, condition, key);
    SqlStatement st = m_db.prepare(test.sql);
    st.bindAll(test.binds);
    // A missing row is RecordWriter's to report.
    return !st.step() || st.int64(0) != 0;
}

void FieldWriteGuard::Walker::field(Node &node, const QString &field, const QString &named,
                                    FieldAction action)
{
    const FieldReadRule rule = m_access.rule(*node.table, field, action);
    if (rule.kind == FieldReadRule::Allow)
        return;
    if (rule.kind == FieldReadRule::Deny)
        refuse(*node.table, named);
    if (node.isCreate)
        node.checks.push_back({named, rule.condition});
    else if (!holds(*node.table, rule.condition, node.key))
        refuse(*node.table, named);
}

void FieldWriteGuard::Walker::touch(const TableDef &table, const RelationDef &property,
                                    const FieldReadRule &rule, const SqlValue &key)
{
    if (rule.kind == FieldReadRule::Deny ||
        (rule.kind == FieldReadRule::Conditional && !holds(table, rule.condition, key)))
        refuse(table, property.propertyName);
}

void FieldWriteGuard::Walker::row(Node &node, const QJsonObject &body, const RelationDef *implied, int depth)
{
    if (depth > kMaxDepth)
        return;
    const TableDef &table = *node.table;
    const FieldAction action = node.isCreate ? FieldAction::Create : FieldAction::Update;
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString name = it.key();
        if (name == u"id" || name == u"createdAt" || name == u"updatedAt")
            continue;
        if (const ColumnDef *column = table.storedColumn(name)) {
            if (column->isGenerated)
                continue;
            if (column->isForeignKey) {
                const RelationDef *relation = owningRelation(table, name);
                if (!relation || relation == implied)
                    continue;
                field(node, relation->propertyName, name, action);
                toOne(node, *relation, it.value(), true, depth);
                continue;
            }
            if (!node.isCreate && !column->isUpdatable)
                continue; // dropped by the writer
            field(node, name, name, action);
            continue;
        }
        const RelationDef *relation = table.relation(name);
        if (!relation || relation == implied)
            continue;
        field(node, name, name, action);
        if (relation->ownsForeignKey())
            toOne(node, *relation, it.value(), false, depth);
        else
            toMany(node, *relation, it.value(), depth);
    }
}

FieldWriteGuard::Node::Created &
FieldWriteGuard::Walker::createdThrough(Node &node, const RelationDef &relation, const TableDef &target)
{
    for (Node::Created &c : node.created)
        if (c.relation == &relation)
            return c;
    node.created.push_back({&relation, &target, {}, {}});
    return node.created.back();
}

void FieldWriteGuard::Walker::toOne(Node &node, const RelationDef &relation, const QJsonValue &value,
                                    bool fkForm, int depth)
{
    const TableDef *target = m_access.schema().table(relation.targetTable);
    if (!target)
        return;
    const RelationDef *inverse = inverseOf(*target, relation);
    std::optional<SqlValue> linked; // an existing row the link will point at (SqlNull: none)
    if (value.isNull()) {
        linked = SqlNull{};
    } else if (fkForm || value.isDouble() || value.isString()) {
        SqlValue key;
        if (!toStoredKey(target->primaryKeyType, value, &key))
            return; // RecordWriter refuses it
        linked = key;
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (isNewRow(object)) {
            auto created = std::make_unique<Node>();
            created->table = target;
            if (inverse)
                field(*created, inverse->propertyName, inverse->propertyName, FieldAction::Create);
            row(*created, object, nullptr, depth + 1);
            createdThrough(node, relation, *target).rows.push_back(std::move(created));
        } else {
            SqlValue key;
            if (!toStoredKey(target->primaryKeyType, object.value(QLatin1StringView("id")), &key))
                return;
            linked = key;
            if (object.size() > 1) {
                auto updated = std::make_unique<Node>();
                updated->table = target;
                updated->isCreate = false;
                updated->key = key;
                row(*updated, object, nullptr, depth + 1);
                node.updated.push_back(std::move(updated));
            }
        }
    } else {
        return;
    }

    if (!inverse)
        return;
    const FieldReadRule rule = m_access.rule(*target, inverse->propertyName, FieldAction::Update);
    if (rule.kind == FieldReadRule::Allow)
        return;
    SqlValue current = SqlNull{};
    if (!node.isCreate) {
        SqlStatement st = m_db.prepare("SELECT " + quoteIdentifier(relation.foreignKeyColumn) + " FROM " +
                                       quoteIdentifier(node.table->name) + " WHERE " +
                                       quoteIdentifier(node.table->primaryKey().name) + " = ?");
        st.bind(1, node.key);
        if (st.step())
            current = st.value(0);
    }
    const bool changes = !linked || *linked != current;
    if (!changes)
        return;
    if (linked && !std::holds_alternative<SqlNull>(*linked))
        touch(*target, *inverse, rule, *linked); // gains the link
    if (!std::holds_alternative<SqlNull>(current))
        touch(*target, *inverse, rule, current); // loses it
}

void FieldWriteGuard::Walker::toMany(Node &node, const RelationDef &relation, const QJsonValue &value,
                                     int depth)
{
    const TableDef *target = m_access.schema().table(relation.targetTable);
    if (!target)
        return;
    const RelationDef *inverse = inverseOf(*target, relation);
    // Rows nested under a one-to-many get their link from the parent, not from their body.
    const RelationDef *implied = relation.type == RelationType::ManyToMany
                                     ? nullptr
                                     : owningRelation(*target, relation.foreignKeyColumn);

    QJsonArray items;
    if (value.isArray())
        items = value.toArray();
    else if (relation.type == RelationType::OneToOne && !value.isNull())
        items.append(value);
    else if (!value.isNull() || relation.type != RelationType::OneToOne)
        return; // RecordWriter refuses it

    std::vector<SqlValue> linked;
    for (const QJsonValue &item : std::as_const(items)) {
        if (item.isDouble() || item.isString()) {
            SqlValue key;
            if (toStoredKey(target->primaryKeyType, item, &key))
                linked.push_back(key);
            continue;
        }
        if (!item.isObject())
            continue;
        const QJsonObject object = item.toObject();
        if (isNewRow(object)) {
            auto created = std::make_unique<Node>();
            created->table = target;
            if (inverse)
                field(*created, inverse->propertyName, inverse->propertyName, FieldAction::Create);
            row(*created, object, implied, depth + 1);
            createdThrough(node, relation, *target).rows.push_back(std::move(created));
            continue;
        }
        SqlValue key;
        if (!toStoredKey(target->primaryKeyType, object.value(QLatin1StringView("id")), &key))
            continue;
        linked.push_back(key);
        if (object.size() > 1) {
            auto updated = std::make_unique<Node>();
            updated->table = target;
            updated->isCreate = false;
            updated->key = key;
            row(*updated, object, implied, depth + 1);
            node.updated.push_back(std::move(updated));
        }
    }
    for (Node::Created &c : node.created)
        if (c.relation == &relation)
            c.linked = linked;

    if (!inverse)
        return;
    const FieldReadRule rule = m_access.rule(*target, inverse->propertyName, FieldAction::Update);
    if (rule.kind == FieldReadRule::Allow)
        return;
    const std::vector<SqlValue> current =
        node.isCreate ? std::vector<SqlValue>() : linkedRows(node, relation, *target, false);
    auto contains = [](const std::vector<SqlValue> &list, const SqlValue &key) {
        return std::find(list.cbegin(), list.cend(), key) != list.cend();
    };
    for (const SqlValue &key : linked)
        if (!contains(current, key))
            touch(*target, *inverse, rule, key); // gains the link
    for (const SqlValue &key : current)
        if (!contains(linked, key))
            touch(*target, *inverse, rule, key); // loses it (the list replaces the links)
}

std::vector<SqlValue> FieldWriteGuard::Walker::linkedRows(const Node &node, const RelationDef &relation,
                                                          const TableDef &target, bool newestLast)
{
    const QByteArray targetKey = quoteIdentifier(target.primaryKey().name);
    const QByteArray order = newestLast ? QByteArray(" ORDER BY t.rowid") : QByteArray();
    QByteArray sql;
    if (relation.ownsForeignKey()) {
        sql = "SELECT t." + quoteIdentifier(relation.foreignKeyColumn) + " FROM " +
              quoteIdentifier(node.table->name) + " t WHERE t." +
              quoteIdentifier(node.table->primaryKey().name) + " = ? AND t." +
              quoteIdentifier(relation.foreignKeyColumn) + " IS NOT NULL";
    } else if (relation.type == RelationType::ManyToMany) {
        sql = "SELECT t." + targetKey + " FROM " + quoteIdentifier(relation.junctionTable) + " j JOIN " +
              quoteIdentifier(target.name) + " t ON t." + targetKey + " = j." +
              quoteIdentifier(relation.junctionTargetColumn) + " WHERE j." +
              quoteIdentifier(relation.junctionSourceColumn) + " = ?" + order;
    } else {
        sql = "SELECT t." + targetKey + " FROM " + quoteIdentifier(target.name) + " t WHERE t." +
              quoteIdentifier(relation.foreignKeyColumn) + " = ?" + order;
    }
    SqlStatement st = m_db.prepare(sql);
    st.bind(1, node.key);
    std::vector<SqlValue> keys;
    while (st.step())
        keys.push_back(st.value(0));
    return keys;
}

void FieldWriteGuard::Walker::settle(Node &node, const SqlValue &key)
{
    node.key = key;
    for (const Node::Pending &check : node.checks)
        if (!holds(*node.table, check.condition, key))
            refuse(*node.table, check.field);
    for (const auto &updated : node.updated)
        if (updated->pending())
            settle(*updated, updated->key);
    for (Node::Created &c : node.created) {
        if (std::none_of(c.rows.cbegin(), c.rows.cend(), [](const auto &n) { return n->pending(); }))
            continue;
        // The rows linked now that were not linked by id are the created ones, in the order made.
        std::vector<SqlValue> created;
        for (const SqlValue &k : linkedRows(node, *c.relation, *c.target, true))
            if (std::find(c.linked.cbegin(), c.linked.cend(), k) == c.linked.cend())
                created.push_back(k);
        for (size_t i = 0; i < c.rows.size(); ++i) {
            Node &row = *c.rows[i];
            if (!row.pending())
                continue;
            if (created.size() != c.rows.size()) // cannot tell which row is which: refuse
                refuseFirstPending(row);
            settle(row, created[i]);
        }
    }
}

FieldWriteGuard::FieldWriteGuard(const CallerFieldAccess &access, SqlConnection &db)
    : m_access(access), m_db(db)
{}

FieldWriteGuard::~FieldWriteGuard() = default;

void FieldWriteGuard::checkCreate(const TableDef &table, const QJsonObject &body)
{
    m_root = std::make_unique<Node>();
    m_root->table = &table;
    Walker(m_access, m_db).row(*m_root, body, nullptr, 0);
}

void FieldWriteGuard::checkUpdate(const TableDef &table, const QJsonValue &id, const QJsonObject &body)
{
    m_root = std::make_unique<Node>();
    m_root->table = &table;
    m_root->isCreate = false;
    if (!toStoredKey(table.primaryKeyType, id, &m_root->key))
        return; // RecordWriter refuses it
    Walker(m_access, m_db).row(*m_root, body, nullptr, 0);
}

void FieldWriteGuard::checkWritten(const QJsonValue &id)
{
    if (!m_root || !m_root->pending())
        return;
    SqlValue key;
    if (!toStoredKey(m_root->table->primaryKeyType, id, &key))
        return;
    Walker(m_access, m_db).settle(*m_root, key);
}

} // namespace Hearth
