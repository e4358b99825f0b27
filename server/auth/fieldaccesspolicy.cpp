#include "auth/fieldaccesspolicy.h"

#include "core/apierror.h"
#include "query/compilecontext.h"
#include "query/filtercompiler.h"
#include "query/sqlitedialect.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

#include <array>

namespace Hearth {

Q_LOGGING_CATEGORY(lcFieldAccess, "hearth.auth.fields")

namespace {

constexpr qsizetype kCallersPerThread = 256;

// One enabled hearth_field_permission row, ready to apply.
struct AccessRule
{
    FieldEffect effect = FieldEffect::Allow;
    qint64 roleId = 0;
    QStringList users;
    QJsonValue condition = QJsonValue::Undefined; // an object; undefined: unconditional
    bool broken = false;                          // the condition does not compile: fails closed
};

struct FieldRuleSet
{
    std::array<QList<AccessRule>, 3> byAction; // indexed by FieldAction
};

// The filter that matches no row, in any position an operator object or a field's value may take.
QJsonObject matchesNothing()
{
    return QJsonObject{{QStringLiteral("_in"), QJsonArray()}};
}

bool isComparison(QStringView key)
{
    static const QStringList operators{
        QStringLiteral("_eq"),       QStringLiteral("_neq"),         QStringLiteral("_gt"),
        QStringLiteral("_gte"),      QStringLiteral("_lt"),          QStringLiteral("_lte"),
        QStringLiteral("_in"),       QStringLiteral("_not_in"),      QStringLiteral("_nin"),
        QStringLiteral("_contains"), QStringLiteral("_starts_with"), QStringLiteral("_ends_with"),
        QStringLiteral("_between"),  QStringLiteral("_is_null"),     QStringLiteral("_is_not_null"),
    };
    return operators.contains(key);
}

bool isMacro(const QJsonValue &value)
{
    return value.isString() && value.toString().startsWith(QLatin1StringView("@USER."));
}

// The caller's value for a macro; null when there is none (anonymous, no role, unknown macro).
QJsonValue macroValue(const QString &macro, const ConditionUser &user)
{
    if (macro == u"@USER.id")
        return user.id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(user.id);
    if (macro == u"@USER.email")
        return user.email.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(user.email);
    if (macro == u"@USER.role")
        return user.roleId ? QJsonValue(double(user.roleId)) : QJsonValue(QJsonValue::Null);
    return QJsonValue::Null;
}

QJsonObject substituteObject(const QJsonObject &object, const ConditionUser &user)
{
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (isMacro(value)) {
            const QJsonValue known = macroValue(value.toString(), user);
            if (!known.isNull()) {
                out.insert(key, known);
                continue;
            }
            // Compared with an unknown value: false, as SQL's "= NULL" (never "is null").
            if (isComparison(key))
                return matchesNothing();       // the whole operator object (its parts are ANDed)
            out.insert(key, matchesNothing()); // {"field": "@USER.id"}
            continue;
        }
        if (value.isArray()) {
            QJsonArray items;
            bool unknown = false;
            for (const QJsonValue &item : value.toArray()) {
                if (isMacro(item)) {
                    const QJsonValue known = macroValue(item.toString(), user);
                    if (known.isNull())
                        unknown = true;
                    else
                        items.append(known);
                } else if (item.isObject()) {
                    items.append(substituteObject(item.toObject(), user));
                } else {
                    items.append(item);
                }
            }
            // "x IN (NULL, a)" is "x = a"; NOT IN and BETWEEN with a NULL are never true.
            if (unknown && key != u"_in" && isComparison(key))
                return matchesNothing();
            out.insert(key, items);
            continue;
        }
        out.insert(key, value.isObject() ? QJsonValue(substituteObject(value.toObject(), user)) : value);
    }
    return out;
}

bool hasCondition(const QJsonValue &condition)
{
    return !condition.isUndefined() && !condition.isNull() &&
           !(condition.isObject() && condition.toObject().isEmpty());
}

// A condition being folded: never, always, or a filter (two-valued: built from _holds leaves).
struct Cond
{
    enum Kind
    {
        Never,
        Always,
        Filter
    } kind = Never;
    QJsonValue filter;

    static Cond of(const QJsonValue &condition)
    {
        return {Filter, QJsonObject{{FilterCompiler::kHolds, condition}}};
    }
};

Cond negate(const Cond &c)
{
    if (c.kind != Cond::Filter)
        return {c.kind == Cond::Never ? Cond::Always : Cond::Never, {}};
    return {Cond::Filter, QJsonObject{{QStringLiteral("_not"), c.filter}}};
}

Cond both(const Cond &a, const Cond &b)
{
    if (a.kind == Cond::Never || b.kind == Cond::Never)
        return {Cond::Never, {}};
    if (a.kind == Cond::Always)
        return b;
    if (b.kind == Cond::Always)
        return a;
    return {Cond::Filter, QJsonObject{{QStringLiteral("_and"), QJsonArray{a.filter, b.filter}}}};
}

Cond either(const Cond &a, const Cond &b)
{
    if (a.kind == Cond::Always || b.kind == Cond::Always)
        return {Cond::Always, {}};
    if (a.kind == Cond::Never)
        return b;
    if (b.kind == Cond::Never)
        return a;
    return {Cond::Filter, QJsonObject{{QStringLiteral("_or"), QJsonArray{a.filter, b.filter}}}};
}

bool isPublished(const TableDef &table, const QString &field)
{
    if (const ColumnDef *column = table.storedColumn(field))
        return column->isPublished;
    if (const RelationDef *relation = table.relation(field))
        return relation->isPublished;
    return true;
}

} // namespace

// The enabled rules of one metadata snapshot, by table and field, with their
// conditions checked once.
class FieldAccessPolicy
{
public:
    explicit FieldAccessPolicy(MetadataPtr metadata);

    const FieldRuleSet *find(const QString &table, const QString &field) const
    {
        const auto t = m_tables.constFind(table);
        if (t == m_tables.cend())
            return nullptr;
        const auto f = t->constFind(field);
        return f == t->cend() ? nullptr : &*f;
    }
    const Schema &schema() const { return *m_metadata->schema; }

private:
    MetadataPtr m_metadata;
    QHash<QString, QHash<QString, FieldRuleSet>> m_tables;
};

FieldAccessPolicy::FieldAccessPolicy(MetadataPtr metadata) : m_metadata(std::move(metadata))
{
    const Schema &schema = *m_metadata->schema;
    // Conditions are compiled once with a stand-in user to find the broken ones.
    const ConditionUser standIn{QStringLiteral("00000000-0000-4000-8000-000000000000"),
                                QStringLiteral("someone@example.invalid"), 1};
    for (auto it = m_metadata->fieldPermissions.begin(); it != m_metadata->fieldPermissions.end(); ++it) {
        const TableDef *table = schema.table(it.key());
        if (!table)
            continue;
        for (const FieldPermission &p : it.value()) {
            if (!p.isEnabled || (!table->storedColumn(p.field) && !table->relation(p.field)))
                continue;
            AccessRule rule;
            rule.effect = p.effect;
            rule.roleId = p.roleId;
            rule.users = p.allowedUsers;
            if (hasCondition(p.condition)) {
                rule.condition = p.condition;
                try {
                    if (!p.condition.isObject())
                        throw ApiError::badRequest(QStringLiteral("a condition is a filter object"));
                    const QueryLimits limits;
                    CompileContext ctx(schema, SqliteDialect::instance(), limits, nullptr);
                    (void)FilterCompiler(ctx, true).compile(*table, "t0",
                                                            substituteConditionUser(p.condition, standIn));
                } catch (const ApiError &e) {
                    rule.broken = true;
                    qCWarning(lcFieldAccess)
                        << "field permission" << p.id << "on" << p.table << p.field
                        << "has a condition that does not compile; it fails closed:" << e.messageText();
                }
            }
            m_tables[table->name][p.field].byAction[size_t(p.action)].append(rule);
        }
    }
}

QJsonValue substituteConditionUser(const QJsonValue &condition, const ConditionUser &user)
{
    return condition.isObject() ? QJsonValue(substituteObject(condition.toObject(), user)) : condition;
}

namespace {

struct ThreadAccessCache
{
    MetadataPtr metadata;
    std::shared_ptr<const FieldAccessPolicy> policy;
    QHash<QByteArray, std::shared_ptr<const CallerFieldAccess>> callers;
};

ThreadAccessCache &threadCache()
{
    thread_local ThreadAccessCache cache;
    return cache;
}

} // namespace

std::shared_ptr<const CallerFieldAccess> CallerFieldAccess::forCaller(const MetadataPtr &metadata,
                                                                      const Caller &caller)
{
    if (isTrusted(caller))
        return nullptr;
    ThreadAccessCache &cache = threadCache();
    if (cache.metadata != metadata) {
        cache.callers.clear();
        cache.policy = std::make_shared<const FieldAccessPolicy>(metadata);
        cache.metadata = metadata; // held, so the pointer cannot name another snapshot later
    }
    const QByteArray key = identityKey(caller);
    if (const auto it = cache.callers.constFind(key); it != cache.callers.cend())
        return *it;
    if (cache.callers.size() >= kCallersPerThread)
        cache.callers.clear();
    auto access = std::make_shared<const CallerFieldAccess>(cache.policy, caller);
    cache.callers.insert(key, access);
    return access;
}

QByteArray CallerFieldAccess::identityKey(const Caller &caller)
{
    if (isTrusted(caller))
        return {};
    if (caller.userId.isEmpty())
        return QByteArrayLiteral("a");
    // The email is last, so no value can be mistaken for the next.
    return 'u' + caller.userId.toUtf8() + '\x1f' + QByteArray::number(caller.roleId) + '\x1f' +
           caller.email.toUtf8();
}

CallerFieldAccess::CallerFieldAccess(std::shared_ptr<const FieldAccessPolicy> policy, const Caller &caller)
    : m_policy(std::move(policy)), m_user{caller.userId, caller.email, caller.roleId}
{}

CallerFieldAccess::~CallerFieldAccess() = default;

const Schema &CallerFieldAccess::schema() const
{
    return m_policy->schema();
}

FieldReadRule CallerFieldAccess::readRule(const TableDef &table, const QString &field) const
{
    return rule(table, field, FieldAction::Read);
}

FieldReadRule CallerFieldAccess::rule(const TableDef &table, const QString &field, FieldAction action) const
{
    if (field == table.primaryKey().name)
        return {};
    const bool baseline = action != FieldAction::Read || isPublished(table, field);
    const FieldRuleSet *rules = m_policy->find(table.name, field);
    if (!rules || rules->byAction[size_t(action)].isEmpty())
        return {baseline ? FieldReadRule::Allow : FieldReadRule::Deny, {}};
    const QString key = table.name + u'\x1f' + field + u'\x1f' + QChar(u'0' + int(action));
    if (const auto it = m_decided.constFind(key); it != m_decided.cend())
        return *it;
    const FieldReadRule decided = resolve(table, field, action, baseline);
    m_decided.insert(key, decided);
    return decided;
}

FieldReadRule CallerFieldAccess::resolve(const TableDef &table, const QString &field, FieldAction action,
                                         bool baseline) const
{
    const FieldRuleSet &rules = *m_policy->find(table.name, field);
    enum Who
    {
        User,
        Role
    };
    std::array<Cond, 2> denyWhen; // conditional tiers: user, role
    std::array<Cond, 2> allowWhen;
    std::array<int, 2> plain{0, 0}; // unconditional tiers: 0 undecided, 1 allow, 2 deny (deny wins)
    for (const AccessRule &r : rules.byAction[size_t(action)]) {
        const bool user = !m_user.id.isEmpty() && r.users.contains(m_user.id);
        const bool role = !user && (r.roleId != 0 ? r.roleId == m_user.roleId : r.users.isEmpty());
        if (!user && !role)
            continue;
        const Who who = user ? User : Role;
        const bool deny = r.effect == FieldEffect::Deny;
        if (r.condition.isUndefined()) {
            plain[who] = qMax(plain[who], deny ? 2 : 1);
            continue;
        }
        // A broken condition fails closed: a deny holds everywhere, an allow nowhere.
        const Cond holds = r.broken ? Cond{deny ? Cond::Always : Cond::Never, {}}
                                    : Cond::of(substituteConditionUser(r.condition, m_user));
        if (deny)
            denyWhen[who] = either(denyWhen[who], holds);
        else
            allowWhen[who] = either(allowWhen[who], holds);
    }
    const bool otherwise = plain[User] ? plain[User] == 1 : plain[Role] ? plain[Role] == 1 : baseline;
    Cond allowed{otherwise ? Cond::Always : Cond::Never, {}};
    for (const Who who : {Role, User})
        allowed = both(negate(denyWhen[who]), either(allowWhen[who], allowed));
    switch (allowed.kind) {
    case Cond::Always:
        return {FieldReadRule::Allow, {}};
    case Cond::Never:
        return {FieldReadRule::Deny, {}};
    case Cond::Filter:
        break;
    }
    return {FieldReadRule::Conditional, allowed.filter};
}

} // namespace Hearth
