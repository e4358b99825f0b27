#include "pages/permissionspage.h"

namespace Hearth {

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

} // namespace Hearth
