#include "pages/tablespage.h"

#include <QCheckBox>

namespace Hearth {

TablesPage::TablesPage(QWidget *parent)
    : RecordListPage(parent), m_showSystem(new QCheckBox(tr("System tables"), this))
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
    m_showSystem->setObjectName(QStringLiteral("showSystemTables"));
    m_showSystem->setToolTip(tr("Also list Hearth's own hearth_* tables"));
    connect(m_showSystem, &QCheckBox::toggled, this, [this] { reapplyRows(); });
    addHeaderWidget(m_showSystem);
}

bool TablesPage::acceptsRow(const QJsonObject &row) const
{
    return m_showSystem->isChecked() || !row.value(u"isSystem").toBool();
}

} // namespace Hearth
