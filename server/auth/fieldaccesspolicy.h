#pragma once

#include "auth/caller.h"
#include "auth/permissionmodel.h"
#include "query/fieldaccess.h"
#include "schema/metadata.h"

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QString>

#include <memory>

namespace Hearth {

class FieldAccessPolicy;

// The caller's values a permission condition may name: "@USER.id",
// "@USER.email", "@USER.role" (null for an anonymous caller, and role for a
// user without one).
struct ConditionUser
{
    QString id;
    QString email;
    qint64 roleId = 0;
};

// A permission condition with the @USER macros replaced by the caller's
// values. A macro without a value (anonymous caller) never matches: the
// comparison it appears in becomes false (SQL's "= NULL"), never "is null".
QJsonValue substituteConditionUser(const QJsonValue &condition, const ConditionUser &user);

// API.md "Field permissions" for one caller on one metadata snapshot: for
// each (table, field, action) the decision Allow, Deny, or Conditional (a
// filter on the same row, true where the caller may). Rules apply to the
// caller when allowedUsers lists them (user rules) or roleId is theirs, or
// when a rule names neither (role rules for every non-root caller). Tiers,
// the first that decides wins: user rules with a condition, role rules with
// a condition, user rules, role rules, the baseline (read: isPublished;
// create, update: allowed). Deny wins within a tier; a conditional tier
// decides only the rows its conditions hold for, so per row:
//   D1 ? deny : A1 ? allow : D2 ? deny : A2 ? allow : unconditional outcome,
// folded into one filter (each condition two-valued through _holds, so a
// condition that is NULL for a row does not hold). A condition that does not
// compile fails closed: a deny rule's holds everywhere, an allow rule's
// nowhere. The primary key is always allowed.
//
// Not thread-safe: decisions are memoised. forCaller hands out instances
// cached per thread (worker) by metadata snapshot and caller identity.
class CallerFieldAccess final : public IFieldAccess
{
public:
    // The caller's access, or null for the root admin (trusted: no checks).
    static std::shared_ptr<const CallerFieldAccess> forCaller(const MetadataPtr &metadata,
                                                              const Caller &caller);
    // Empty for the root admin; otherwise a key that differs between any
    // two callers who may get different decisions (for caches of compiled SQL).
    static QByteArray identityKey(const Caller &caller);
    static bool isTrusted(const Caller &caller) { return caller.isRootAdmin; }

    CallerFieldAccess(std::shared_ptr<const FieldAccessPolicy> policy, const Caller &caller);
    ~CallerFieldAccess() override;

    FieldReadRule readRule(const TableDef &table, const QString &field) const override;
    FieldReadRule rule(const TableDef &table, const QString &field, FieldAction action) const;
    const Schema &schema() const;

private:
    FieldReadRule resolve(const TableDef &table, const QString &field, FieldAction action,
                          bool baseline) const;

    std::shared_ptr<const FieldAccessPolicy> m_policy;
    ConditionUser m_user;
    mutable QHash<QString, FieldReadRule> m_decided; // "table\x1ffield\x1faction"
};

} // namespace Hearth
