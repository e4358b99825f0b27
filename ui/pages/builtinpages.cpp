#include "shell/pageregistry.h"

#include "pages/cachepage.h"
#include "pages/datapage.h"
#include "pages/permissionspage.h"
#include "pages/routespage.h"
#include "pages/serverpage.h"
#include "pages/settingspage.h"
#include "pages/tablespage.h"
#include "pages/userspage.h"

#include <QObject>

namespace Hearth {

PageRegistry PageRegistry::builtin()
{
    PageRegistry r;
    r.add<TablesPage>(QStringLiteral("tables"), QObject::tr("Tables"), QStringLiteral("tables"));
    r.add<DataPage>(QStringLiteral("data"), QObject::tr("Data"), QStringLiteral("data"));
    r.add<RoutesPage>(QStringLiteral("routes"), QObject::tr("Routes & Hooks"), QStringLiteral("routes"));
    r.add<PermissionsPage>(QStringLiteral("permissions"), QObject::tr("Permissions"),
                           QStringLiteral("permissions"));
    r.add<UsersPage>(QStringLiteral("users"), QObject::tr("Users"), QStringLiteral("users"));
    r.add<CachePage>(QStringLiteral("cache"), QObject::tr("Cache"), QStringLiteral("cache"));
    r.add<ServerPage>(QStringLiteral("server"), QObject::tr("Server"), QStringLiteral("server"));
    r.add<SettingsPage>(QStringLiteral("settings"), QObject::tr("Settings"), QStringLiteral("settings"));
    return r;
}

} // namespace Hearth
