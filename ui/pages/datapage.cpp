#include "pages/datapage.h"

#include <QComboBox>
#include <QSignalBlocker>

#include <algorithm>

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
        showRowsOf(table);
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
            ApiClient::queryString(
                {.filter = {{QStringLiteral("isSystem"), false}},
                 .fields = QStringLiteral("name,columns.name,columns.position,relations.propertyName"),
                 .sort = QStringLiteral("name"),
                 .limit = 0}),
        [this](const ApiResult &result) { tablesLoaded(result.data()); }, tr("Could not list the tables"));
}

void DataPage::showRowsOf(const QString &table)
{
    m_wanted = table;
    // Columns in the order the table defines them (the server's JSON objects come sorted by name).
    model()->setPreferredOrder(m_columnOrder.value(table));
    setSource(QLatin1Char('/') + table, rowsQuery());
}

void DataPage::tablesLoaded(const QJsonArray &tables)
{
    QStringList names;
    m_columnOrder.clear();
    for (const QJsonValue &value : tables) {
        const QJsonObject table = value.toObject();
        const QString name = table.value(u"name").toString();
        names << name;
        QList<std::pair<int, QString>> columns;
        for (const QJsonValue &c : table.value(u"columns").toArray())
            columns.append({c.toObject().value(u"position").toInt(), c.toObject().value(u"name").toString()});
        std::stable_sort(columns.begin(), columns.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        QStringList order;
        for (const auto &c : std::as_const(columns))
            order << c.second;
        for (const QJsonValue &r : table.value(u"relations").toArray())
            order << r.toObject().value(u"propertyName").toString();
        m_columnOrder.insert(name, order);
    }
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
    if (path() == QLatin1Char('/') + table) {
        model()->setPreferredOrder(m_columnOrder.value(table));
        RecordListPage::refresh();
    } else {
        showRowsOf(table);
    }
}

void DataPage::reset()
{
    RecordListPage::reset();
    const QSignalBlocker blocker(m_tables);
    m_tables->clear();
}

} // namespace Hearth
