#include "pages/datapage.h"

#include "pages/data/datacelldelegate.h"
#include "pages/data/dataexporter.h"
#include "pages/data/datatablemodel.h"
#include "pages/data/rowformdialog.h"
#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/busyindicator.h"
#include "widgets/filterbuilder.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFrame>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hearth {

namespace {

FilterField::Type filterType(const DataField &f)
{
    switch (f.kind) {
    case DataField::Integer:
    case DataField::Float:
        return FilterField::Number;
    case DataField::Boolean:
        return FilterField::Boolean;
    case DataField::Enum:
        return FilterField::Enum;
    case DataField::Date:
    case DataField::DateTime:
        return FilterField::Date;
    case DataField::ToOne:
    case DataField::ToMany:
        return FilterField::Relation;
    default:
        return FilterField::Text;
    }
}

QString count(qint64 n)
{
    return n == 1 ? QObject::tr("1 row") : QObject::tr("%1 rows").arg(QLocale().toString(n));
}

} // namespace

DataPage::DataPage(QWidget *parent)
    : Page(parent), m_tables(new QComboBox(this)), m_busy(new BusyIndicator(this)),
      m_toolbar(new QToolBar(this)), m_filterPanel(new QFrame(this)),
      m_filter(new FilterBuilder(m_filterPanel)), m_view(new QTableView(this)),
      m_empty(new QLabel(m_view->viewport())), m_model(new DataTableModel(this)),
      m_delegate(new DataCellDelegate(m_model, this)), m_exporter(new DataExporter(nullptr, this))
{
    setSubtitle(tr("Browse and edit the rows of a table."));

    addHeaderWidget(m_busy);
    m_tables->setObjectName(QStringLiteral("tablePicker"));
    m_tables->setMinimumContentsLength(16);
    m_tables->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_tables->setToolTip(tr("The table to show"));
    m_tables->setPlaceholderText(tr("No tables yet"));
    connect(m_tables, &QComboBox::currentTextChanged, this, [this](const QString &table) {
        if (!table.isEmpty())
            showRowsOf(table);
    });
    addHeaderWidget(m_tables);

    // Row actions, over the table.
    m_toolbar->setObjectName(QStringLiteral("dataToolbar"));
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolbar->setIconSize(QSize(16, 16));
    auto action = [this](const char *name, const QString &text, const QString &tip,
                         const QKeySequence &keys) {
        auto *a = new QAction(text, this);
        a->setObjectName(QLatin1StringView(name));
        a->setToolTip(keys.isEmpty() ? tip : tr("%1 (%2)").arg(tip, keys.toString(QKeySequence::NativeText)));
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a); // shortcuts work anywhere on the page
        m_toolbar->addAction(a);
        return a;
    };
    m_addAction = action("addRow", tr("Add row"), tr("Create a row"), QKeySequence(Qt::CTRL | Qt::Key_N));
    m_duplicateAction = action("duplicateRow", tr("Duplicate"), tr("Create a copy of the current row"),
                               QKeySequence(Qt::CTRL | Qt::Key_D));
    m_deleteAction =
        action("deleteRows", tr("Delete"), tr("Delete the selected rows"), QKeySequence(Qt::Key_Delete));
    m_undoAction = action("undoDelete", tr("Undo delete"), tr("Create the rows deleted last again"),
                          QKeySequence(Qt::CTRL | Qt::Key_Z));
    m_toolbar->addSeparator();
    m_filterAction = action("toggleFilter", tr("Filter"), tr("Show the filter builder"), {});
    m_filterAction->setCheckable(true);
    m_exportAction =
        action("exportRows", tr("Export…"), tr("Write the rows of this view to a CSV or JSON file"), {});
    connect(m_addAction, &QAction::triggered, this, &DataPage::addRow);
    connect(m_duplicateAction, &QAction::triggered, this, &DataPage::duplicateRow);
    connect(m_deleteAction, &QAction::triggered, this, &DataPage::deleteRows);
    connect(m_undoAction, &QAction::triggered, this, &DataPage::undoDelete);
    connect(m_filterAction, &QAction::toggled, this, [this](bool shown) {
        m_filterPanel->setVisible(shown);
        if (shown && m_filter->conditionCount() == 0)
            m_filter->focusFirst(); // a condition to start from
    });
    connect(m_exportAction, &QAction::triggered, this, &DataPage::exportView);

    m_filterPanel->setObjectName(QStringLiteral("filterPanel"));
    m_filterPanel->setFrameShape(QFrame::StyledPanel);
    auto *panelLayout = new QVBoxLayout(m_filterPanel);
    panelLayout->setContentsMargins(10, 8, 10, 8);
    m_filter->setObjectName(QStringLiteral("filterBuilder"));
    panelLayout->addWidget(m_filter);
    m_filterPanel->hide();
    connect(m_filter, &FilterBuilder::applied, this, [this](const QJsonObject &filter) {
        clearMessage();
        m_model->setFilter(filter);
    });

    m_view->setObjectName(QStringLiteral("dataView"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(m_delegate);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::SelectedClicked);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 12);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->setSortingEnabled(true);
    // A click on a column the server cannot sort by puts the indicator back.
    connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int section) {
        const int sorted = m_model->sortColumn();
        if (sorted == section || section < 0 || section >= m_model->columnCount())
            return;
        const QSignalBlocker blocker(m_view->horizontalHeader());
        m_view->horizontalHeader()->setSortIndicator(sorted, m_model->sortOrder());
        emit statusMessage(tr("%1 cannot be sorted by").arg(m_model->field(section).key));
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &DataPage::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { updateActions(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { updateActions(); });

    m_empty->setObjectName(QStringLiteral("emptyNote"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->hide();
    m_view->viewport()->installEventFilter(this);

    connect(m_model, &DataTableModel::loadingChanged, this, [this](bool) {
        m_busy->setRunning(m_model->isLoading() || m_exporter->isRunning() || m_pending > 0);
    });
    connect(m_model, &DataTableModel::countsChanged, this, &DataPage::updateFooter);
    connect(m_model, &DataTableModel::reloaded, this, [this] {
        if (!m_selectAfterLoad.isUndefined())
            selectId(std::exchange(m_selectAfterLoad, QJsonValue::Undefined));
        // Widths fitted to the first rows of a table, then left as the user sets them.
        if (m_sizedFor != m_model->schema().name && m_model->rowCount() > 0) {
            m_sizedFor = m_model->schema().name;
            m_view->resizeColumnsToContents();
            for (int c = 0; c + 1 < m_model->columnCount(); ++c)
                m_view->setColumnWidth(c, qBound(60, m_view->columnWidth(c) + 16, 320));
        }
        updateActions();
    });
    connect(m_model, &DataTableModel::failed, this,
            [this](const ApiFailure &failure, const QString &context) { showError(failure, context); });
    connect(m_model, &DataTableModel::saved, this, [this](const QString &key, const QJsonValue &id) {
        if (messageBar()->isShowing() && messageBar()->kind() == MessageBar::Error)
            clearMessage();
        emit statusMessage(tr("Saved %1 of #%2").arg(key, id.toVariant().toString()));
    });
    connect(m_delegate, &DataCellDelegate::invalidInput, this, [this](const QString &message) {
        showMessage(tr("Not saved: %1").arg(message), MessageBar::Error);
    });
    connect(m_exporter, &DataExporter::progress, this, [this](int rows, qint64 total) {
        setFooterText(tr("Exporting… %1 of %2").arg(QLocale().toString(rows), count(total)));
    });
    connect(m_exporter, &DataExporter::finished, this, [this](bool ok, int, const QString &message) {
        m_busy->setRunning(m_model->isLoading());
        m_exportAction->setEnabled(true);
        showMessage(message, ok ? MessageBar::Positive : MessageBar::Error);
        updateFooter();
    });

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_toolbar);
    layout->addWidget(m_filterPanel);
    layout->addWidget(m_view, 1);
    setContentWidget(content);
    updateIcons();
    updateActions();
}

void DataPage::setPageSize(int rows)
{
    m_model->setPageSize(rows);
}

QString DataPage::currentTable() const
{
    return m_model->schema().name;
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
    // The tables first (they may have changed), then the rows of the chosen one. System tables
    // are read too: relations may point at them (a post's author in hearth_user).
    load(
        QStringLiteral("/hearth_table") +
            ApiClient::queryString(
                {.fields = SchemaSet::schemaFields(), .sort = QStringLiteral("name"), .limit = 0}),
        [this](const ApiResult &result) { tablesLoaded(result.data()); }, tr("Could not list the tables"));
}

void DataPage::tablesLoaded(const QJsonArray &tables)
{
    m_schemas.load(tables);
    const QStringList names = m_schemas.userTables();
    const QString keep = m_wanted.isEmpty() ? m_tables->currentText() : m_wanted;
    {
        const QSignalBlocker blocker(m_tables);
        m_tables->clear();
        m_tables->addItems(names);
        m_tables->setEnabled(!names.isEmpty());
        m_tables->setCurrentIndex(names.isEmpty() ? -1 : qMax(0, int(names.indexOf(keep))));
    }
    if (names.isEmpty()) {
        m_model->setSchema({});
        m_filter->setFields({});
        updateActions();
        updateFooter();
        showMessage(
            tr("This project has no tables yet. Define one on the Tables page, or with POST /hearth_table."),
            MessageBar::Info);
        return;
    }
    if (messageBar()->isShowing() && messageBar()->kind() == MessageBar::Info)
        clearMessage();
    showRowsOf(m_tables->currentText());
}

void DataPage::showRowsOf(const QString &table)
{
    m_wanted = table;
    const TableSchema schema = m_schemas.table(table);
    const bool same = schema.name == m_model->schema().name;
    if (same && schema.fieldsParameter() == m_model->schema().fieldsParameter()) {
        // The same table again (Refresh): its filter, sort and as many rows as were loaded.
        m_model->updateSchema(schema);
        m_model->reload(true);
        return;
    }
    QList<FilterField> fields;
    for (const DataField &f : schema.fields) {
        if (f.kind != DataField::Json && f.kind != DataField::LongText)
            fields.append({f.key, filterType(f), f.options});
        if (f.isRelation() && !f.targetLabel.isEmpty()) // by the related row's label too
            fields.append({f.key + u'.' + f.targetLabel, FilterField::Text, {}});
    }
    m_filter->setFields(fields);
    m_deleted = {};
    m_sizedFor.clear();
    m_model->setSchema(schema);
    {
        const QSignalBlocker blocker(m_view->horizontalHeader());
        m_view->horizontalHeader()->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    }
    m_model->reload();
    updateActions();
    updateFooter();
}

void DataPage::focusFilter()
{
    m_filterAction->setChecked(true);
    m_filter->focusFirst();
}

QList<QJsonObject> DataPage::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty() && m_view->currentIndex().isValid())
        rows << m_view->currentIndex().row();
    std::sort(rows.begin(), rows.end());
    QList<QJsonObject> result;
    for (int r : std::as_const(rows))
        result << m_model->row(r);
    return result;
}

void DataPage::selectId(const QJsonValue &id)
{
    const int row = m_model->rowOfId(id);
    if (row < 0)
        return;
    m_view->setCurrentIndex(m_model->index(row, 0));
    m_view->selectRow(row);
    m_view->scrollTo(m_model->index(row, 0));
}

void DataPage::addRow()
{
    if (!client() || !m_model->schema().isValid())
        return;
    auto *dialog = new RowFormDialog(client(), m_model->schema(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RowFormDialog::created, this, [this](const QJsonObject &row) {
        m_selectAfterLoad = row.value(u"id");
        showMessage(tr("Created row #%1").arg(row.value(u"id").toVariant().toString()), MessageBar::Positive);
        m_model->reload(true);
    });
    dialog->open();
}

void DataPage::duplicateRow()
{
    const QJsonObject row = m_model->row(m_view->currentIndex().row());
    if (!client() || row.isEmpty())
        return;
    const QJsonValue from = row.value(u"id");
    client()->post(
        QLatin1Char('/') + m_model->schema().name, m_model->schema().creationBody(row),
        [this, from](const ApiResult &result) {
            if (!result.ok())
                return showError(result.failure(),
                                 tr("Could not duplicate #%1").arg(from.toVariant().toString()));
            const QJsonValue id = result.first().value(u"id");
            m_selectAfterLoad = id;
            showMessage(
                tr("Duplicated #%1 as #%2").arg(from.toVariant().toString(), id.toVariant().toString()),
                MessageBar::Positive);
            m_model->reload(true);
        },
        this);
}

void DataPage::deleteRows()
{
    const QList<QJsonObject> rows = selectedRows();
    if (rows.isEmpty() || !client() || m_pending > 0)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Delete rows"),
        rows.size() == 1 ? tr("Delete row #%1 of %2?")
                               .arg(rows.first().value(u"id").toVariant().toString(), m_model->schema().name)
                         : tr("Delete %1 rows of %2?").arg(rows.size()).arg(m_model->schema().name),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteConfirm"));
    box->setInformativeText(
        tr("Related rows follow each relation's onDelete rule. Undo creates the rows again, with new ids."));
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmDelete"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString table = m_model->schema().name;
    connect(box, &QMessageBox::finished, this, [this, box, remove, table, rows] {
        if (box->clickedButton() == remove)
            deleteConfirmed(table, rows);
    });
    box->open();
}

void DataPage::deleteConfirmed(const QString &table, const QList<QJsonObject> &rows)
{
    if (!client() || rows.isEmpty())
        return; // the console switched servers while asking
    auto deleted = std::make_shared<QJsonArray>();
    auto failures = std::make_shared<QStringList>();
    m_pending = int(rows.size());
    m_busy->setRunning(true);
    updateActions();
    for (const QJsonObject &row : rows) {
        const QString id = row.value(u"id").toVariant().toString();
        client()->del(
            QStringLiteral("/%1/%2").arg(table, id),
            [this, row, id, table, deleted, failures](const ApiResult &result) {
                if (result.ok())
                    deleted->append(row);
                else
                    failures->append(tr("#%1: %2").arg(id, result.failure().message));
                if (--m_pending > 0)
                    return;
                m_busy->setRunning(m_model->isLoading());
                if (!deleted->isEmpty()) {
                    m_deleted = *deleted;
                    m_deletedFrom = table;
                }
                if (!failures->isEmpty()) {
                    ApiFailure failure;
                    failure.message = failures->join(QStringLiteral("; "));
                    showError(failure, tr("Could not delete"));
                } else {
                    showMessage(tr("Deleted %1.").arg(count(deleted->size())), MessageBar::Positive);
                    messageBar()->setAction(tr("Undo"), [this] { undoDelete(); });
                }
                m_model->reload(true);
                updateActions();
            },
            this);
    }
}

void DataPage::undoDelete()
{
    if (m_deleted.isEmpty() || !client() || m_pending > 0)
        return;
    QList<QJsonObject> rows;
    for (const QJsonValue &row : std::exchange(m_deleted, QJsonArray()))
        rows << row.toObject();
    // One at a time, oldest first: the new ids keep the rows' order.
    std::sort(rows.begin(), rows.end(), [](const QJsonObject &a, const QJsonObject &b) {
        const QJsonValue x = a.value(u"id"), y = b.value(u"id");
        return x.isDouble() && y.isDouble() ? x.toDouble() < y.toDouble() : x.toString() < y.toString();
    });
    m_pending = 1;
    m_busy->setRunning(true);
    updateActions();
    restoreNext(m_schemas.table(m_deletedFrom), rows, 0, {});
}

void DataPage::restoreNext(const TableSchema &schema, const QList<QJsonObject> &rows, int restored,
                           const QStringList &failures)
{
    if (rows.isEmpty() || !client()) {
        m_pending = 0;
        m_busy->setRunning(m_model->isLoading());
        if (!failures.isEmpty()) {
            ApiFailure failure;
            failure.message = failures.join(QStringLiteral("; "));
            showError(failure, tr("Could not restore every row"));
        } else {
            showMessage(tr("Restored %1.").arg(count(restored)), MessageBar::Positive);
        }
        m_model->reload(true);
        updateActions();
        return;
    }
    const QJsonObject row = rows.first();
    client()->post(
        QLatin1Char('/') + schema.name, schema.creationBody(row),
        [this, schema, rows, restored, failures, row](const ApiResult &result) {
            QStringList problems = failures;
            if (!result.ok())
                problems << tr("#%1: %2").arg(row.value(u"id").toVariant().toString(),
                                              result.failure().message);
            restoreNext(schema, rows.mid(1), restored + (result.ok() ? 1 : 0), problems);
        },
        this);
}

void DataPage::exportView()
{
    if (!m_model->schema().isValid() || m_exporter->isRunning())
        return;
    const QString start = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
                          QLatin1Char('/') + m_model->schema().name + QStringLiteral(".csv");
    auto *dialog = new QFileDialog(this, tr("Export the rows of %1").arg(m_model->schema().name), start);
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({tr("CSV files (*.csv)"), tr("JSON files (*.json)")});
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::filterSelected, dialog, [dialog](const QString &filter) {
        dialog->setDefaultSuffix(filter.contains(u"json") ? QStringLiteral("json") : QStringLiteral("csv"));
    });
    connect(dialog, &QFileDialog::fileSelected, this, &DataPage::exportTo);
    dialog->open();
}

void DataPage::exportTo(const QString &path)
{
    if (!m_model->schema().isValid() || path.isEmpty())
        return;
    m_exporter->setClient(client());
    m_exporter->start(m_model->schema(), m_model->filter(), m_model->sortParameter(), path,
                      DataExporter::formatFor(path));
    m_busy->setRunning(true);
    m_exportAction->setEnabled(false);
}

void DataPage::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    QMenu menu(this);
    if (index.isValid()) {
        const DataField &f = m_model->field(index.column());
        if (m_model->flags(index) & Qt::ItemIsEditable)
            menu.addAction(tr("Edit %1").arg(f.key), this, [this, index] { m_view->edit(index); });
        if (f.editable && f.nullable && !index.data(DataTableModel::JsonRole).value<QJsonValue>().isNull())
            menu.addAction(tr("Set %1 to empty (null)").arg(f.key), this,
                           [this, index] { m_model->setData(index, QVariant()); });
        menu.addAction(tr("Copy value"), this,
                       [index] { QApplication::clipboard()->setText(index.data(Qt::EditRole).toString()); });
        menu.addSeparator();
    }
    menu.addAction(m_addAction);
    menu.addAction(m_duplicateAction);
    menu.addAction(m_deleteAction);
    if (m_undoAction->isEnabled())
        menu.addAction(m_undoAction);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void DataPage::updateActions()
{
    const bool table = m_model->schema().isValid() && client();
    const bool row = table && m_view->currentIndex().isValid();
    m_addAction->setEnabled(table);
    m_duplicateAction->setEnabled(row && m_pending == 0);
    m_deleteAction->setEnabled(row && m_pending == 0);
    m_undoAction->setEnabled(!m_deleted.isEmpty() && m_pending == 0);
    m_undoAction->setText(m_deleted.isEmpty() ? tr("Undo delete")
                                              : tr("Undo delete (%1)").arg(m_deleted.size()));
    m_exportAction->setEnabled(table && !m_exporter->isRunning());
    m_filterAction->setEnabled(m_model->schema().isValid());
}

void DataPage::updateFooter()
{
    const int loaded = m_model->rowCount();
    if (!m_model->hasLoaded()) {
        setFooterText(QString());
        m_empty->hide();
        return;
    }
    const bool filtered = !m_model->filter().isEmpty();
    if (loaded == 0) {
        m_empty->setText(
            filtered ? tr("No rows match the filter.")
                     : tr("%1 has no rows yet. Add one with Add row (Ctrl+N).").arg(m_model->schema().name));
        m_empty->setGeometry(m_view->viewport()->rect().adjusted(24, 24, -24, -24));
        m_empty->show();
    } else {
        m_empty->hide();
    }
    QString text;
    const qint64 matching = m_model->filterCount();
    if (filtered)
        text = tr("%1 match the filter, of %2").arg(count(matching), count(m_model->totalCount()));
    else
        text = count(m_model->totalCount());
    if (loaded < matching)
        text += tr(" · %1 loaded, scroll for more").arg(QLocale().toString(loaded));
    setFooterText(text);
}

void DataPage::updateIcons()
{
    m_addAction->setIcon(Icons::own(QStringLiteral("data-add")));
    m_duplicateAction->setIcon(Icons::own(QStringLiteral("data-duplicate")));
    m_deleteAction->setIcon(Icons::own(QStringLiteral("data-delete")));
    m_undoAction->setIcon(Icons::own(QStringLiteral("data-undo")));
    m_filterAction->setIcon(Icons::own(QStringLiteral("data-filter")));
    m_exportAction->setIcon(Icons::own(QStringLiteral("data-export")));
    QPalette muted = m_empty->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_empty->setPalette(muted);
}

void DataPage::paletteChanged()
{
    updateIcons();
}

bool DataPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        m_empty->setGeometry(m_view->viewport()->rect().adjusted(24, 24, -24, -24));
    return Page::eventFilter(watched, event);
}

void DataPage::reset()
{
    m_model->setClient(client());
    m_delegate->setClient(client());
    if (m_exporter->isRunning()) {
        m_exporter->cancel();
        clearMessage(); // about the server shown before
    }
    m_model->setSchema({});
    m_schemas.clear();
    m_deleted = {};
    m_pending = 0;
    const QSignalBlocker blocker(m_tables);
    m_tables->clear();
    updateActions();
    updateFooter();
}

} // namespace Hearth
