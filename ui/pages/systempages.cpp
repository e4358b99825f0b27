#include "pages/systempages.h"

namespace Hearth {

RoutesPage::RoutesPage(QWidget *parent) : RecordListPage(parent)
{
    setSubtitle(tr("Every path the server answers, the table behind it and the methods it allows."));
    setSource(
        QStringLiteral("/hearth_route"),
        {.fields = QStringLiteral("id,path,mainTable.name,availableMethods,publicMethods,isEnabled,isSystem,"
                                  "description"),
         .sort = QStringLiteral("path"),
         .limit = 0});
    setColumns({{QStringLiteral("path"), tr("Path")},
                {QStringLiteral("mainTable.name"), tr("Table")},
                {QStringLiteral("availableMethods"), tr("Methods")},
                {QStringLiteral("publicMethods"), tr("Public")},
                {QStringLiteral("isEnabled"), tr("Enabled")},
                {QStringLiteral("description"), tr("Description")}});
    setNouns(tr("route"), tr("routes"));
    setSystemRowsToggle(tr("System routes"), tr("Also list the routes of Hearth's own hearth_* tables"));
    setErrorContext(tr("Could not list the routes"));
}

PermissionsPage::PermissionsPage(QWidget *parent) : RecordListPage(parent)
{
    setSubtitle(
        tr("Route permissions: which role or users may call which methods. Root admins pass every check."));
    setSource(
        QStringLiteral("/hearth_route_permission"),
        {.fields = QStringLiteral("id,route.path,role.name,methods,allowedUsers.email,isEnabled,description"),
         .sort = QStringLiteral("id"),
         .limit = 0});
    setColumns({{QStringLiteral("route.path"), tr("Route")},
                {QStringLiteral("role.name"), tr("Role")},
                {QStringLiteral("allowedUsers.email"), tr("Users")},
                {QStringLiteral("methods"), tr("Methods")},
                {QStringLiteral("isEnabled"), tr("Enabled")},
                {QStringLiteral("description"), tr("Description")}});
    setNouns(tr("permission"), tr("permissions"));
    setErrorContext(tr("Could not list the route permissions"));
}

UsersPage::UsersPage(QWidget *parent) : RecordListPage(parent)
{
    setSubtitle(tr("The accounts that can sign in to this server, and their roles."));
    setSource(QStringLiteral("/hearth_user"),
              {.fields = QStringLiteral("id,email,role.name,isRootAdmin,createdAt"),
               .sort = QStringLiteral("email"),
               .limit = 0});
    setColumns({{QStringLiteral("email"), tr("Email")},
                {QStringLiteral("role.name"), tr("Role")},
                {QStringLiteral("isRootAdmin"), tr("Root admin")},
                {QStringLiteral("createdAt"), tr("Created")}});
    setNouns(tr("user"), tr("users"));
    setErrorContext(tr("Could not list the users"));
}

CachePage::CachePage(QWidget *parent) : RecordListPage(parent)
{
    setSubtitle(tr("What scripts keep in $ctx.$cache: keys, values and time to live."));
    setSource(QStringLiteral("/admin/cache/keys?pattern=*&count=1000"));
    setColumns({{QStringLiteral("key"), tr("Key")},
                {QStringLiteral("type"), tr("Type")},
                {QStringLiteral("bytes"), tr("Bytes")},
                {QStringLiteral("ttlMs"), tr("Expires in (ms)")},
                {QStringLiteral("kind"), tr("Kind")}});
    setNouns(tr("key"), tr("keys"));
    setErrorContext(tr("Could not list the cache keys"));
}

void CachePage::loadFailed(const ApiFailure &failure)
{
    if (failure.httpStatus == 404) {
        showMessage(tr("This server has no cache monitor (GET /admin/cache/keys answered 404)."),
                    MessageBar::Info);
        return;
    }
    RecordListPage::loadFailed(failure);
}

} // namespace Hearth
