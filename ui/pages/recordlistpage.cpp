#include "pages/recordlistpage.h"

#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/rowlist.h"
#include "widgets/searchfield.h"

#include <QAction>
#include <QCheckBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>

namespace Hearth {

RecordListPage::RecordListPage(QWidget *parent)
    : Page(parent), m_singular(tr("row")), m_plural(tr("rows")), m_filter(new SearchField(this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)), m_view(new QTableView(m_splitter)),
      m_details(new QPlainTextEdit(m_splitter)), m_empty(new QLabel(m_view->viewport())),
      m_model(new JsonTableModel(this)), m_proxy(new QSortFilterProxyModel(this))
{
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter (Ctrl+F)"));
    m_filter->setMinimumWidth(220);
    addHeaderWidget(m_filter);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(JsonTableModel::SortRole);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateFooter();
    });

    m_view->setObjectName(QStringLiteral("recordView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // the server's order until a header is clicked
    setUpRowList(m_view);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showSelected(); });

    m_empty->setObjectName(QStringLiteral("emptyNote"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->hide();
    m_view->viewport()->installEventFilter(this);

    m_details->setObjectName(QStringLiteral("recordDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select a row to see all of its fields."));
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);

    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({700, 260});
    setContentWidget(m_splitter);
}

void RecordListPage::setSource(const QString &path, const ApiQuery &query)
{
    m_path = path;
    m_query = query;
    ++m_generation;
    m_rows = {};
    m_meta = {};
    m_model->clear();
    m_details->clear();
    updateFooter();
    setLoaded(false);
    if (isActive() && client())
        refresh();
}

void RecordListPage::setColumns(const QList<JsonColumn> &columns)
{
    m_model->setColumns(columns);
}

void RecordListPage::setNouns(const QString &singular, const QString &plural)
{
    m_singular = singular;
    m_plural = plural;
    updateFooter();
}

QJsonObject RecordListPage::selectedRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->row(m_proxy->mapToSource(current).row()) : QJsonObject();
}

void RecordListPage::refresh()
{
    if (!client() || m_path.isEmpty())
        return;
    const int generation = ++m_generation;
    ApiClient *c = client();
    c->get(
        m_path + ApiClient::queryString(m_query),
        [this, generation, c](const ApiResult &result) {
            if (generation != m_generation || c != client())
                return;
            if (!result.ok()) {
                loadFailed(result.failure());
                return;
            }
            setLoaded(true);
            if (messageBar()->isShowing() && messageBar()->kind() == MessageBar::Error)
                clearMessage();
            m_rows = result.data();
            m_meta = result.meta();
            reapplyRows();
            emit loaded();
        },
        this);
}

void RecordListPage::loadFailed(const ApiFailure &failure)
{
    showError(failure, m_errorContext);
}

void RecordListPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void RecordListPage::setSystemRowsToggle(const QString &text, const QString &toolTip)
{
    if (!m_showSystem) {
        m_showSystem = new QCheckBox(this);
        m_showSystem->setObjectName(QStringLiteral("showSystemRows"));
        connect(m_showSystem, &QCheckBox::toggled, this, [this] { reapplyRows(); });
        addHeaderWidget(m_showSystem);
    }
    m_showSystem->setText(text);
    m_showSystem->setToolTip(toolTip);
}

bool RecordListPage::acceptsRow(const QJsonObject &row) const
{
    return !m_showSystem || m_showSystem->isChecked() || !row.value(u"isSystem").toBool();
}

void RecordListPage::reapplyRows()
{
    const QJsonObject selected = selectedRow();
    QJsonArray shown;
    for (const QJsonValue &row : std::as_const(m_rows))
        if (acceptsRow(row.toObject()))
            shown.append(row);
    m_model->setRows(shown);
    // Keep the selection on the same row (by id) across reloads.
    if (selected.contains(u"id")) {
        for (int i = 0; i < m_model->rowCount(); ++i) {
            if (m_model->row(i).value(u"id") == selected.value(u"id")) {
                m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(i, 0)));
                break;
            }
        }
    }
    m_view->resizeColumnsToContents();
    // Room to breathe, long texts capped; the last column stretches to the edge.
    for (int c = 0; c + 1 < m_model->columnCount(); ++c)
        m_view->setColumnWidth(c, qMin(m_view->columnWidth(c) + 16, 360));
    showSelected();
    updateFooter();
}

void RecordListPage::reset()
{
    ++m_generation;
    m_rows = {};
    m_meta = {};
    m_model->clear();
    m_details->clear();
    updateFooter();
}

void RecordListPage::paletteChanged()
{
    updateFooter(); // the empty note's muted color
}

void RecordListPage::updateFooter()
{
    const int shown = m_proxy->rowCount();
    const int loaded = m_model->rowCount();
    if (!hasLoaded()) {
        setFooterText(QString());
        m_empty->hide();
        return;
    }
    if (shown == 0) {
        QPalette muted = m_empty->palette();
        muted.setColor(QPalette::WindowText, Theme::muted());
        m_empty->setPalette(muted);
        m_empty->setText(loaded == 0 ? tr("No %1 yet").arg(m_plural)
                                     : tr("No %1 match “%2”").arg(m_plural, m_filter->text()));
        m_empty->setGeometry(m_view->viewport()->rect().adjusted(24, 24, -24, -24));
        m_empty->show();
    } else {
        m_empty->hide();
    }
    auto count = [this](qint64 n) {
        return QStringLiteral("%1 %2").arg(QLocale().toString(n), n == 1 ? m_singular : m_plural);
    };
    QString text;
    if (!m_filter->text().isEmpty())
        text = tr("%1 of %2 match “%3”").arg(QLocale().toString(shown), count(loaded), m_filter->text());
    else if (loaded == 0)
        text = QString(); // the note over the view says it
    else
        text = count(loaded);
    const qint64 total = qint64(m_meta.value(u"totalCount").toDouble(-1));
    if (total > m_rows.size())
        text += tr(" (the first %1 of %2)").arg(QLocale().toString(m_rows.size()), QLocale().toString(total));
    setFooterText(text);
}

bool RecordListPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        m_empty->setGeometry(m_view->viewport()->rect().adjusted(24, 24, -24, -24));
    return Page::eventFilter(watched, event);
}

void RecordListPage::showSelected()
{
    const QJsonObject row = selectedRow();
    m_details->setPlainText(
        row.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Indented)));
    emit selectionChanged(row);
}

} // namespace Hearth
