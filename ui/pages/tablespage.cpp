#include "pages/tablespage.h"

namespace Hearth {

TablesPage::TablesPage(QWidget *parent) : RecordListPage(parent)
{
    setSubtitle(
        tr("The tables of this project. Each one is served at /<name> with the full query language."));
    setSource(QStringLiteral("/hearth_table"), {.fields = QStringLiteral("id,name,description,isSystem"),
                                                .sort = QStringLiteral("name"),
                                                .limit = 0});
    setColumns({{QStringLiteral("name"), tr("Name")},
                {QStringLiteral("description"), tr("Description")},
                {QStringLiteral("isSystem"), tr("System")}});
    setNouns(tr("table"), tr("tables"));
    setErrorContext(tr("Could not list the tables"));
    setSystemRowsToggle(tr("System tables"), tr("Also list Hearth's own hearth_* tables"));
}

} // namespace Hearth
