#include "pages/tablespage.h"

#include "pages/tables/schemapreviewdialog.h"
#include "pages/tables/tabledefinition.h"
#include "pages/tables/tableeditor.h"
#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/busyindicator.h"
#include "widgets/jsontablemodel.h"
#include "widgets/rowlist.h"
#include "widgets/searchfield.h"

#include <QAction>
#include <QCheckBox>
#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hearth {

namespace {

QString tablePath(qint64 id, const QString &hash = {})
{
    QString path = QStringLiteral("/hearth_table/%1").arg(id);
    if (!hash.isEmpty())
        path += QStringLiteral("?schemaConfirmHash=") + QString::fromLatin1(QUrl::toPercentEncoding(hash));
    return path;
}

} // namespace

TablesPage::TablesPage(QWidget *parent)
    : Page(parent), m_filter(new SearchField(this)), m_showSystem(new QCheckBox(tr("System tables"), this)),
      m_newAction(new QAction(tr("New table"), this)), m_busyIndicator(new BusyIndicator(this)),
      m_model(new JsonTableModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_listEmpty(new QLabel(m_view->viewport())),
      m_stack(new QStackedWidget(this)), m_emptyState(new QWidget(this)), m_editor(new TableEditor(this))
{
    setSubtitle(tr("The tables of this project and their columns and relations. Each table is served at "
                   "/<name> with the full query language."));

    addHeaderWidget(m_busyIndicator);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter (Ctrl+F)"));
    m_filter->setMinimumWidth(200);
    addHeaderWidget(m_filter);
    m_showSystem->setObjectName(QStringLiteral("showSystemRows"));
    m_showSystem->setToolTip(tr("Also list Hearth's own hearth_* tables (read-only)"));
    addHeaderWidget(m_showSystem);
    m_newAction->setObjectName(QStringLiteral("newTableAction"));
    m_newAction->setShortcut(QKeySequence::New);
    m_newAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_newAction->setToolTip(tr("Define a new table (Ctrl+N)"));
    addAction(m_newAction);
    addHeaderAction(m_newAction)->setObjectName(QStringLiteral("newTableButton"));

    m_model->setColumns(
        {{QStringLiteral("name"), tr("Table")}, {QStringLiteral("description"), tr("Description")}});
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(JsonTableModel::SortRole);

    m_view->setObjectName(QStringLiteral("tableList"));
    m_view->setModel(m_proxy);
    setUpRowList(m_view);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setDefaultSectionSize(150);
    m_view->setMinimumWidth(220);
    m_listEmpty->setObjectName(QStringLiteral("emptyNote"));
    m_listEmpty->setAlignment(Qt::AlignCenter);
    m_listEmpty->setWordWrap(true);
    m_listEmpty->hide();
    m_view->viewport()->installEventFilter(this);

    // What the right side shows before a table is chosen.
    auto *emptyLayout = new QVBoxLayout(m_emptyState);
    emptyLayout->addStretch(1);
    auto *emptyIcon = new QLabel(m_emptyState);
    emptyIcon->setObjectName(QStringLiteral("emptyStateIcon"));
    emptyIcon->setPixmap(Icons::own(QStringLiteral("tables"), Theme::muted()).pixmap(48, 48));
    emptyIcon->setAlignment(Qt::AlignCenter);
    emptyLayout->addWidget(emptyIcon);
    auto *emptyText =
        new QLabel(tr("Choose a table to see and edit its columns and relations, or create a new "
                      "one."),
                   m_emptyState);
    emptyText->setObjectName(QStringLiteral("emptyStateText"));
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    emptyLayout->addWidget(emptyText);
    auto *emptyNew = new QPushButton(tr("New table"), m_emptyState);
    emptyNew->setObjectName(QStringLiteral("emptyNewTableButton"));
    connect(emptyNew, &QPushButton::clicked, this, &TablesPage::newTable);
    emptyLayout->addWidget(emptyNew, 0, Qt::AlignCenter);
    emptyLayout->addStretch(2);

    m_stack->addWidget(m_emptyState);
    m_stack->addWidget(m_editor);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(16, 0, 0, 0);
    rightLayout->addWidget(m_stack);
    splitter->addWidget(right);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({280, 720});
    setContentWidget(splitter);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        syncSelection();
        updateFooter();
    });
    connect(m_showSystem, &QCheckBox::toggled, this, [this] { applyRows(); });
    connect(m_newAction, &QAction::triggered, this, &TablesPage::newTable);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TablesPage::selectionChanged);
    connect(m_editor, &TableEditor::saveRequested, this, &TablesPage::save);
    connect(m_editor, &TableEditor::dropRequested, this, &TablesPage::dropTable);
    paletteChanged();
}

QStringList TablesPage::unsavedChanges() const
{
    if (!m_editor->hasTable() || !m_editor->isDirty())
        return {};
    return {m_editor->isNew() ? tr("the new table") : tr("table “%1”").arg(m_editor->savedName())};
}

TablesPage::~TablesPage() = default;

SchemaPreviewDialog *TablesPage::previewDialog() const
{
    return m_preview;
}

void TablesPage::refresh()
{
    if (!client())
        return;
    const int generation = ++m_listGeneration;
    request("GET",
            QStringLiteral("/hearth_table") +
                ApiClient::queryString({.fields = QStringLiteral("id,name,description,isSystem"),
                                        .sort = QStringLiteral("name"),
                                        .limit = 0}),
            {}, tr("Could not list the tables"), [this, generation](const ApiResult &result) {
                if (generation != m_listGeneration)
                    return;
                setLoaded(true);
                m_rows = result.data();
                applyRows();
                // The open table may have changed elsewhere: show it as it is now, unless it is being edited.
                if (m_editor->hasTable() && !m_editor->isNew() && !m_editor->isDirty())
                    openTable(m_editor->tableId());
                emit loaded();
            });
}

void TablesPage::save()
{
    if (!client() || !m_editor->hasTable() || m_editor->isSystem() || m_changing || m_preview)
        return;
    const QJsonObject body = m_editor->definition();
    if (m_editor->isNew()) {
        const QString name = body.value(u"name").toString();
        if (name.isEmpty()) {
            showMessage(tr("Give the new table a name first."), MessageBar::Warning);
            m_editor->focusName();
            return;
        }
        setChanging(true);
        review(tr("Create table %1?").arg(name),
               SchemaChanges::describe(TableDefinition::creationPreview(body), body), tr("Create table"),
               [this, body, name] {
                   request("POST", QStringLiteral("/hearth_table"), body,
                           tr("Could not create table %1").arg(name), [this, name](const ApiResult &result) {
                               applied(result.first(),
                                       tr("Table %1 created; its rows are served at /%1.").arg(name));
                           });
               });
        return;
    }
    if (!m_editor->isDirty()) {
        emit statusMessage(tr("No unsaved changes"));
        return;
    }
    const qint64 id = m_editor->tableId();
    const QString savedName = m_editor->savedName();
    setChanging(true);
    const bool describedChanged =
        body.value(u"description") != m_editor->savedDefinition().value(u"description");
    const bool reordered = TableDefinition::columnOrderChanged(m_editor->savedDefinition(), body);
    request(
        "PATCH", tablePath(id), body, tr("Could not save the changes to %1").arg(savedName),
        [this, id, body, savedName, describedChanged, reordered](const ApiResult &result) {
            const QJsonObject preview = result.first();
            QList<SchemaChanges::Line> lines = SchemaChanges::describe(preview, body);
            // The server's preview covers the schema; the table's own description is said here.
            if (describedChanged)
                lines.prepend(
                    {tr("Change the description of table “%1”").arg(savedName), SchemaChanges::Line::Change});
            if (reordered)
                lines.append(
                    {tr("Change the order of the columns (values kept)"), SchemaChanges::Line::Change});
            const QString hash = preview.value(u"requiredConfirmHash").toString();
            review(tr("Save the changes to %1?").arg(savedName), lines, tr("Apply changes"),
                   [this, id, body, hash, savedName] {
                       request("PATCH", tablePath(id, hash), body,
                               tr("Could not save the changes to %1").arg(savedName),
                               [this, body](const ApiResult &result) {
                                   applied(result.first(),
                                           tr("Changes to %1 saved.").arg(body.value(u"name").toString()));
                               });
                   });
        });
}

void TablesPage::dropTable()
{
    if (!client() || !m_editor->hasTable() || m_editor->isNew() || m_editor->isSystem() || m_changing ||
        m_preview)
        return;
    setChanging(true);
    const qint64 id = m_editor->tableId();
    const QString name = m_editor->savedName();
    request("DELETE", tablePath(id), {}, tr("Could not drop table %1").arg(name),
            [this, id, name](const ApiResult &result) {
                const QJsonObject preview = result.first();
                const QString hash = preview.value(u"requiredConfirmHash").toString();
                review(tr("Drop table %1?").arg(name), SchemaChanges::describe(preview), tr("Drop table"),
                       [this, id, name, hash] {
                           request("DELETE", tablePath(id, hash), {}, tr("Could not drop table %1").arg(name),
                                   [this, id, name](const ApiResult &) {
                                       setChanging(false);
                                       if (m_editor->tableId() == id) {
                                           m_editor->clear();
                                           showEditor(false);
                                       }
                                       showMessage(tr("Table %1 dropped.").arg(name), MessageBar::Positive);
                                       refresh();
                                   });
                       });
            });
}

void TablesPage::review(const QString &heading, const QList<SchemaChanges::Line> &lines,
                        const QString &confirmText, std::function<void()> apply)
{
    auto *dialog = new SchemaPreviewDialog(heading, lines, confirmText, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_preview = dialog;
    connect(dialog, &QDialog::accepted, this, [apply] { apply(); });
    connect(dialog, &QDialog::rejected, this, [this] {
        setChanging(false);
        emit statusMessage(tr("Nothing was changed"));
    });
    dialog->open();
}

void TablesPage::applied(const QJsonObject &row, const QString &message)
{
    setChanging(false);
    showMessage(message, MessageBar::Positive);
    if (row.contains(u"columns"))
        m_editor->load(row, tableNames());
    showEditor(true);
    refresh(); // the list, the relation targets, and the row as the server keeps it
}

void TablesPage::newTable()
{
    confirmDiscard([this] {
        m_editor->startNew();
        showEditor(true);
        syncSelection();
    });
}

void TablesPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void TablesPage::reset()
{
    ++m_listGeneration;
    ++m_openGeneration;
    m_rows = {};
    m_model->clear();
    m_editor->clear();
    showEditor(false);
    updateFooter();
}

void TablesPage::paletteChanged()
{
    m_newAction->setIcon(Icons::own(QStringLiteral("tables")));
    QPalette muted = m_listEmpty->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_listEmpty->setPalette(muted);
    if (auto *text = m_emptyState->findChild<QLabel *>(QStringLiteral("emptyStateText")))
        text->setPalette(muted);
    if (auto *icon = m_emptyState->findChild<QLabel *>(QStringLiteral("emptyStateIcon")))
        icon->setPixmap(Icons::own(QStringLiteral("tables"), Theme::muted()).pixmap(48, 48));
}

void TablesPage::applyRows()
{
    QJsonArray shown;
    QStringList userTables, systemTables;
    for (const QJsonValue &v : std::as_const(m_rows)) {
        const QJsonObject row = v.toObject();
        const bool system = row.value(u"isSystem").toBool();
        (system ? systemTables : userTables) << row.value(u"name").toString();
        if (!system || m_showSystem->isChecked())
            shown.append(row);
    }
    m_syncing = true;
    m_model->setRows(shown);
    m_syncing = false;
    m_editor->setTargets(userTables + systemTables);
    syncSelection();
    updateFooter();
}

// Selects the editor's table in the list, without opening anything.
void TablesPage::syncSelection()
{
    m_syncing = true;
    QModelIndex found;
    if (m_editor->hasTable() && !m_editor->isNew())
        for (int i = 0; i < m_proxy->rowCount(); ++i) {
            const QModelIndex index = m_proxy->index(i, 0);
            if (m_model->row(m_proxy->mapToSource(index).row()).value(u"id").toInteger() ==
                m_editor->tableId()) {
                found = index;
                break;
            }
        }
    if (found.isValid())
        m_view->setCurrentIndex(found);
    else {
        m_view->selectionModel()->clearSelection();
        m_view->selectionModel()->setCurrentIndex({}, QItemSelectionModel::NoUpdate);
    }
    m_syncing = false;
}

void TablesPage::selectionChanged()
{
    if (m_syncing)
        return;
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const qint64 id = m_model->row(m_proxy->mapToSource(current).row()).value(u"id").toInteger();
    if (id == m_editor->tableId() && !m_editor->isNew())
        return;
    confirmDiscard([this, id] { openTable(id); });
}

void TablesPage::confirmDiscard(std::function<void()> then)
{
    if (!m_editor->isDirty()) {
        then();
        return;
    }
    syncSelection(); // stay on the edited table until the user decides
    const QString name = m_editor->isNew() ? tr("the new table") : m_editor->savedName();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Unsaved changes"),
                                tr("Discard the unsaved changes to %1?").arg(name),
                                QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("discardChangesBox"));
    box->setInformativeText(tr("They were never sent to the server."));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, then](int) {
        if (box->clickedButton() == box->button(QMessageBox::Discard)) {
            m_editor->revert();
            then();
        }
    });
    box->open();
}

void TablesPage::openTable(qint64 id)
{
    const int generation = ++m_openGeneration;
    request("GET", tablePath(id), {}, tr("Could not open the table"),
            [this, generation](const ApiResult &result) {
                if (generation != m_openGeneration || result.data().isEmpty())
                    return;
                m_editor->load(result.first(), tableNames());
                showEditor(true);
                syncSelection();
            });
}

void TablesPage::showEditor(bool show)
{
    m_stack->setCurrentWidget(show ? static_cast<QWidget *>(m_editor) : m_emptyState);
}

void TablesPage::request(const QByteArray &method, const QString &path, const QJsonValue &body,
                         const QString &errorContext, std::function<void(const ApiResult &)> onSuccess)
{
    if (!client())
        return;
    const QPointer<ApiClient> c = client();
    setBusy(+1);
    c->send(
        method, path, method == "GET" || method == "DELETE" ? QJsonValue(QJsonValue::Undefined) : body,
        [this, c, method, onSuccess, errorContext](const ApiResult &result) {
            setBusy(-1);
            if (c != client())
                return; // an answer from the server shown before
            if (!result.ok()) {
                if (method != "GET")
                    setChanging(false); // a refused change ends the flow; the edits stay
                showError(result.failure(), errorContext);
                m_loadFailed = method == "GET";
                return;
            }
            if (method == "GET" && m_loadFailed) { // loading works again: the old error is over
                m_loadFailed = false;
                clearMessage();
            }
            onSuccess(result);
        },
        this);
}

void TablesPage::setBusy(int delta)
{
    m_busy = qMax(0, m_busy + delta);
    m_busyIndicator->setRunning(m_busy > 0);
}

void TablesPage::setChanging(bool changing)
{
    m_changing = changing;
    m_editor->setBusy(changing);
}

void TablesPage::updateFooter()
{
    const int shown = m_proxy->rowCount();
    const int loaded = m_model->rowCount();
    m_listEmpty->setVisible(hasLoaded() && shown == 0);
    if (shown == 0) {
        m_listEmpty->setText(loaded == 0 ? tr("No tables yet.\nCreate one with New table (Ctrl+N).")
                                         : tr("No tables match “%1”").arg(m_filter->text()));
        m_listEmpty->setGeometry(m_view->viewport()->rect().adjusted(12, 24, -12, -24));
    }
    if (!hasLoaded() || loaded == 0) {
        setFooterText(QString());
        return;
    }
    const QString count = loaded == 1 ? tr("1 table") : tr("%1 tables").arg(QLocale().toString(loaded));
    setFooterText(m_filter->text().isEmpty()
                      ? count
                      : tr("%1 of %2 match “%3”").arg(QLocale().toString(shown), count, m_filter->text()));
}

bool TablesPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        m_listEmpty->setGeometry(m_view->viewport()->rect().adjusted(12, 24, -12, -24));
    return Page::eventFilter(watched, event);
}

QHash<qint64, QString> TablesPage::tableNames() const
{
    QHash<qint64, QString> names;
    for (const QJsonValue &v : m_rows)
        names.insert(v.toObject().value(u"id").toInteger(), v.toObject().value(u"name").toString());
    return names;
}

} // namespace Hearth
