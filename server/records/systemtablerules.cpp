#include "records/systemtablerules.h"

#include "auth/useraccountrules.h"
#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "schema/schemamodel.h"
#include "schema/settingcatalog.h"

#include <QJsonArray>

namespace Hearth {

namespace {

[[noreturn]] void forbid(const QString &message)
{
    throw ApiError(403, "FORBIDDEN", message);
}

// Paths the server answers itself: a route there would never be reached.
bool isReservedPath(const QString &path)
{
    for (const char *prefix : {"/auth", "/me", "/admin"}) {
        const QLatin1StringView p(prefix);
        if (path == p || path.startsWith(p + u'/'))
            return true;
    }
    return false;
}

} // namespace

SystemTableRules::SystemTableRules(SqlConnection &db, const TableDef &table, const Caller &caller,
                                   const QByteArray &method, const QString &rowId)
    : m_db(db), m_table(table), m_caller(caller), m_method(method), m_rowId(rowId)
{}

void SystemTableRules::check(QJsonObject &body) const
{
    if (!m_table.isSystem)
        return;
    const QString &name = m_table.name;
    if (name == u"hearth_table")
        forbid(QStringLiteral("Tables change through /hearth_table (with its preview)"));
    if (name == u"hearth_column" || name == u"hearth_relation")
        forbid(QStringLiteral("Columns and relations change through /hearth_table (with its preview)"));
    if (body.value(QLatin1StringView("isSystem")).toBool())
        forbid(QStringLiteral("isSystem cannot be set"));
    if (name == u"hearth_session" || name == u"hearth_spent_token" || name == u"hearth_api_token") {
        if (m_method != "DELETE")
            forbid(
                QStringLiteral("Sessions and tokens come from the /auth routes; delete a row to revoke it"));
        return;
    }
    if (name == u"hearth_route")
        checkRoute(body);
    if (name == u"hearth_route_permission")
        checkMethodList(body, "methods");
    if (name == u"hearth_user")
        checkUser(body);
    if (name == u"hearth_route" || name == u"hearth_setting")
        checkReadOnlyRow();
    if (name == u"hearth_setting")
        checkSetting(body);
}

void SystemTableRules::checkSetting(const QJsonObject &body) const
{
    QString storedKey;
    if (!m_rowId.isEmpty()) {
        SqlStatement s = m_db.prepare("SELECT \"key\" FROM hearth_setting WHERE id = ?");
        s.bind(1, m_rowId.toLongLong());
        if (s.step())
            storedKey = QString::fromUtf8(s.text(0));
    }
    const QJsonValue newKey = body.value(QLatin1StringView("key"));
    // Built-in settings stay: the server reads them by key.
    if (findSetting(storedKey) &&
        (m_method == "DELETE" || (newKey.isString() && newKey.toString() != storedKey)))
        forbid(QStringLiteral("%1 is a built-in setting: change its value, it cannot be removed or renamed")
                   .arg(storedKey));
    const QString key = newKey.isString() ? newKey.toString() : storedKey;
    if (m_method == "DELETE")
        return;
    if (findSetting(key) && m_method == "POST")
        return; // the key is taken: the unique constraint answers 409
    if (body.contains(QLatin1StringView("value")))
        validateSettingValue(key, body.value(QLatin1StringView("value")));
}

void SystemTableRules::checkRoute(const QJsonObject &body) const
{
    if (body.contains(QLatin1StringView("path"))) {
        const QString path = body.value(QLatin1StringView("path")).toString();
        if (!path.startsWith(u'/') || path.size() < 2 || path.endsWith(u'/') || path.contains(u"//") ||
            path.contains(u'?') || path.contains(u'#'))
            throw ApiError::validation(
                {QStringLiteral("path must start with / and name at least one segment, "
                                "without a trailing /, ? or #")});
        if (isReservedPath(path))
            throw ApiError::validation(
                {QStringLiteral("path %1 is reserved for the server's own routes").arg(path)});
    }
    checkMethodList(body, "publicMethods");
    checkMethodList(body, "availableMethods");
}

void SystemTableRules::checkMethodList(const QJsonObject &body, const char *key) const
{
    const QJsonValue value = body.value(QLatin1StringView(key));
    if (value.isUndefined() || value.isNull())
        return;
    static const QStringList methods{QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PATCH"),
                                     QStringLiteral("PUT"), QStringLiteral("DELETE")};
    bool ok = value.isArray();
    for (const QJsonValue &v : value.toArray())
        ok = ok && methods.contains(v.toString());
    if (!ok)
        throw ApiError::validation({QStringLiteral("%1 must be an array of GET, POST, PATCH, PUT, DELETE")
                                        .arg(QLatin1StringView(key))});
}

bool SystemTableRules::targetIsRootAdmin() const
{
    SqlStatement s = m_db.prepare("SELECT isRootAdmin FROM hearth_user WHERE id = ?");
    s.bind(1, sqlText(m_rowId.toLower()));
    return s.step() && s.int64(0);
}

void SystemTableRules::checkUser(QJsonObject &body) const
{
    normalizeUserBody(body);
    const bool raises = body.contains(QLatin1StringView("isRootAdmin"));
    const bool targetIsRoot = !m_rowId.isEmpty() && targetIsRootAdmin();
    // Only a root admin may make or change a root admin: a granted user manager may not.
    if (!m_caller.isRootAdmin && (raises || targetIsRoot))
        forbid(QStringLiteral("Only a root admin may change root admins"));
    const bool demotes =
        m_method == "DELETE" || (raises && body.value(QLatin1StringView("isRootAdmin")) != QJsonValue(true));
    if (!targetIsRoot || !demotes)
        return;
    SqlStatement s = m_db.prepare("SELECT count(*) FROM hearth_user WHERE isRootAdmin = 1");
    if (s.step() && s.int64(0) == 1)
        throw ApiError::conflict(
            QStringLiteral("This is the last root admin: make another user root admin first"));
}

void SystemTableRules::checkReadOnlyRow() const
{
    if (m_rowId.isEmpty())
        return;
    // System rows (the routes of system tables, the schema revision) are read-only.
    SqlStatement s = m_db.prepare("SELECT isSystem FROM " + quoteIdentifier(m_table.name) + " WHERE id = ?");
    s.bind(1, m_rowId.toLongLong());
    if (s.step() && s.int64(0))
        forbid(QStringLiteral("This %1 row is part of the system and cannot be changed")
                   .arg(m_table.name.mid(7)));
}

bool SystemTableRules::endsSessions(const QJsonObject &body) const
{
    return m_table.name == u"hearth_user" && m_method != "POST" &&
           body.contains(QLatin1StringView("password"));
}

} // namespace Hearth
