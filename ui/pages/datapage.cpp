#include "pages/datapage.h"

#include <QComboBox>
#include <QSignalBlocker>

namespace Hearth {

namespace {

constexpr int kRowsShown = 500;

ApiQuery rowsQuery()
{
    return {.sort = QStringLiteral("-id"), .limit = kRowsShown, .meta = QStringLiteral("totalCount")};
}

} // namespace

DataPage::DataPage(QWidget *parent) : RecordListPage(parent), m_tables(new QComboBox(this))
{
    setSubtitle(tr("The records of a table, newest first."));
    setErrorContext(tr("Could not load the records"));
    m_tables->setObjectName(QStringLiteral("tablePicker"));
    m_tables->setMinimumContentsLength(16);
    m_tables->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_tables->setToolTip(tr("The table to show"));
    m_tables->setPlaceholderText(tr("No tables yet"));
    connect(m_tables, &QComboBox::currentTextChanged, this, [this](const QString &table) {
        if (table.isEmpty())
            return;
        m_wanted = table;
        setSource(QLatin1Char('/') + table, rowsQuery());
    });
    addHeaderWidget(m_tables);
}

void DataPage::showTable(const QString &table)
{
    m_wanted = table;
    const int index = m_tables->findText(table);
    if (index >= 0)
        m_tables->setCurrentIndex(index);
}

void DataPage::refresh()
{
    // The list of tables first (it may have changed), then the rows of the chosen one.
    load(
        QStringLiteral("/hearth_table") +
            ApiClient::queryString({.filter = {{QStringLiteral("isSystem"), false}},
                                    .fields = QStringLiteral("name"),
                                    .sort = QStringLiteral("name"),
                                    .limit = 0}),
        [this](const ApiResult &result) {
            QStringList names;
            for (const QJsonValue &row : result.data())
                names << row.toObject().value(u"name").toString();
            tablesLoaded(names);
        },
        tr("Could not list the tables"));
}

void DataPage::tablesLoaded(const QStringList &names)
{
    const QString keep = m_wanted.isEmpty() ? m_tables->currentText() : m_wanted;
    {
        const QSignalBlocker blocker(m_tables);
        m_tables->clear();
        m_tables->addItems(names);
        m_tables->setEnabled(!names.isEmpty());
        m_tables->setCurrentIndex(-1);
    }
    if (names.isEmpty()) {
        setSource(QString());
        showMessage(
            tr("This project has no tables yet. Define one on the Tables page, or with POST /hearth_table."),
            MessageBar::Info);
        return;
    }
    if (messageBar()->isShowing() && messageBar()->kind() == MessageBar::Info)
        clearMessage();
    const int index = qMax(0, int(names.indexOf(keep)));
    {
        const QSignalBlocker blocker(m_tables);
        m_tables->setCurrentIndex(index);
    }
    const QString table = names.at(index);
    m_wanted = table;
    if (path() == QLatin1Char('/') + table)
        RecordListPage::refresh();
    else
        setSource(QLatin1Char('/') + table, rowsQuery());
}

void DataPage::reset()
{
    RecordListPage::reset();
    const QSignalBlocker blocker(m_tables);
    m_tables->clear();
}

} // namespace Hearth
