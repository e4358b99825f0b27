#include "pages/routespage.h"

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

} // namespace Hearth
