#include "pages/routespage.h"

#include "pages/routes/methodchecks.h"
#include "pages/routes/routedialog.h"
#include "pages/routes/routetree.h"
#include "pages/routes/runpanel.h"
#include "pages/routes/scripteditor.h"
#include "pages/routes/scriptform.h"
#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/searchfield.h"

#include <Qsci/qscicommandset.h>

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hearth {

namespace {

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

// Stored and edited values compare alike when both are empty (null / absent).
bool sameValue(const QJsonValue &a, const QJsonValue &b)
{
    const bool emptyA = a.isNull() || a.isUndefined();
    const bool emptyB = b.isNull() || b.isUndefined();
    return emptyA || emptyB ? emptyA == emptyB : a == b;
}

QString kindTitle(ScriptKind kind)
{
    switch (kind) {
    case ScriptKind::PreHook:
        return RoutesPage::tr("Pre-hook");
    case ScriptKind::PostHook:
        return RoutesPage::tr("Post-hook");
    case ScriptKind::Handler:
        break;
    }
    return RoutesPage::tr("Handler");
}

} // namespace

RoutesPage::RoutesPage(QWidget *parent)
    : Page(parent), m_filter(new SearchField(this)), m_showSystem(new QCheckBox(tr("System routes"), this)),
      m_tree(new RouteTree(this)), m_stack(new QStackedWidget(this)), m_placeholder(new QLabel(this)),
      m_scriptTitle(new QLabel(this)), m_scriptState(new QLabel(this)), m_saveButton(new QPushButton(this)),
      m_form(new ScriptForm(this)), m_editor(new ScriptEditor(this)), m_runPanel(new RunPanel(this)),
      m_splitter(new QSplitter(Qt::Horizontal, this))
{
    setSubtitle(tr("Custom routes and the scripts around every route: hooks before and after the handler, "
                   "and handlers that replace the default CRUD."));

    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter routes (Ctrl+F)"));
    m_filter->setMinimumWidth(220);
    connect(m_filter, &QLineEdit::textChanged, m_tree, &RouteTree::setFilterText);
    addHeaderWidget(m_filter);
    m_showSystem->setObjectName(QStringLiteral("showSystemRows"));
    m_showSystem->setToolTip(
        tr("Also list Hearth's own routes (hearth_* tables, sign-in), which take hooks too"));
    connect(m_showSystem, &QCheckBox::toggled, this, [this] { rebuildTree(); });
    addHeaderWidget(m_showSystem);

    buildActions();

    // Left: the routes and their scripts.
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions({m_newRoute, m_editRoute, m_deleteRoute, m_addPreHook, m_addPostHook,
                        m_handlerMenu->menuAction(), m_deleteScript});
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] { selectionChanged(); });
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        if (!item->parent() && m_editRoute->isEnabled())
            m_editRoute->trigger();
    });

    // Delete in the list removes the script chosen, or the route when no script is.
    auto *remove = new QShortcut(QKeySequence::Delete, m_tree);
    remove->setContext(Qt::WidgetShortcut);
    connect(remove, &QShortcut::activated, this, [this] {
        if (m_deleteScript->isEnabled())
            m_deleteScript->trigger();
        else if (m_deleteRoute->isEnabled())
            m_deleteRoute->trigger();
    });

    auto *toolbar = new QHBoxLayout;
    toolbar->setSpacing(4);
    auto button = [this, toolbar](QAction *action) {
        auto *b = new QToolButton(this);
        b->setDefaultAction(action);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setAutoRaise(true);
        toolbar->addWidget(b);
        return b;
    };
    button(m_newRoute);
    button(m_editRoute);
    button(m_deleteRoute);
    toolbar->addStretch(1);
    auto *add = new QToolButton(this);
    add->setObjectName(QStringLiteral("addScriptButton"));
    add->setText(tr("Add"));
    add->setToolTip(tr("Add a hook or a handler to the selected route"));
    add->setPopupMode(QToolButton::InstantPopup);
    add->setAutoRaise(true);
    auto *addMenu = new QMenu(add);
    addMenu->addAction(m_addPreHook);
    addMenu->addAction(m_addPostHook);
    addMenu->addMenu(m_handlerMenu);
    add->setMenu(addMenu);
    toolbar->addWidget(add);
    button(m_deleteScript);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(4);
    leftLayout->addLayout(toolbar);
    leftLayout->addWidget(m_tree, 1);

    // Right: the script open, or a note when none is.
    m_placeholder->setObjectName(QStringLiteral("emptyNote"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_scriptTitle->setObjectName(QStringLiteral("scriptTitle"));
    QFont titleFont = m_scriptTitle->font();
    titleFont.setBold(true);
    m_scriptTitle->setFont(titleFont);
    m_scriptTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scriptState->setObjectName(QStringLiteral("scriptState"));
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_saveButton->setText(tr("Save"));
    m_saveButton->setIcon(Icons::themed(QStringLiteral("save")));
    m_saveButton->setToolTip(tr("Store the script and its settings (Ctrl+S)"));
    connect(m_saveButton, &QPushButton::clicked, this, &RoutesPage::save);
    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(10);
    titleRow->addWidget(m_scriptTitle, 1);
    titleRow->addWidget(m_scriptState);
    titleRow->addWidget(m_saveButton);

    // Keys the console answers (Save, Run, Filter, Refresh) are not the editor's.
    for (const QKeySequence &key :
         {QKeySequence(Qt::CTRL | Qt::Key_S), QKeySequence(Qt::CTRL | Qt::Key_Return),
          QKeySequence(Qt::CTRL | Qt::Key_Enter), QKeySequence(Qt::CTRL | Qt::Key_F),
          QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5)}) {
        while (QsciCommand *command = m_editor->standardCommands()->boundTo(key[0].toCombined())) {
            if (command->key() == key[0].toCombined())
                command->setKey(0);
            else
                command->setAlternateKey(0);
        }
    }
    connect(m_editor, &QsciScintilla::textChanged, this, [this] { updateDirty(); });
    connect(m_form, &ScriptForm::changed, this, [this] { updateDirty(); });
    connect(m_runPanel, &RunPanel::runRequested, this, &RoutesPage::run);

    auto *editorSplit = new QSplitter(Qt::Vertical, this);
    editorSplit->setObjectName(QStringLiteral("editorSplitter"));
    editorSplit->addWidget(m_editor);
    editorSplit->addWidget(m_runPanel);
    editorSplit->setChildrenCollapsible(false);
    editorSplit->setStretchFactor(0, 3);
    editorSplit->setStretchFactor(1, 2);
    editorSplit->setSizes({420, 260});

    auto *workspace = new QWidget(this);
    auto *workLayout = new QVBoxLayout(workspace);
    workLayout->setContentsMargins(0, 0, 0, 0);
    workLayout->setSpacing(8);
    workLayout->addLayout(titleRow);
    workLayout->addWidget(m_form);
    workLayout->addWidget(editorSplit, 1);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(workspace);

    m_splitter->addWidget(left);
    m_splitter->addWidget(m_stack);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({320, 900});
    setContentWidget(m_splitter);
    paletteChanged();
    selectionChanged();
}

void RoutesPage::buildActions()
{
    auto make = [this](const char *name, const QString &text, const QString &tip) {
        auto *a = new QAction(text, this);
        a->setObjectName(QLatin1StringView(name));
        a->setToolTip(tip);
        return a;
    };
    m_newRoute = make("newRouteAction", tr("New Route…"), tr("Create a custom route such as /reports/:year"));
    m_editRoute = make("editRouteAction", tr("Edit…"), tr("Change the selected route's path and methods"));
    m_deleteRoute = make("deleteRouteAction", tr("Delete"), tr("Delete the selected route with its scripts"));
    m_addPreHook = make("addPreHookAction", tr("Pre-hook"), tr("A script that runs before the handler"));
    m_addPostHook = make("addPostHookAction", tr("Post-hook"), tr("A script that runs after the handler"));
    m_deleteScript = make("deleteScriptAction", tr("Remove"), tr("Delete the selected hook or handler"));
    m_handlerMenu = new QMenu(tr("Handler"), this);
    m_handlerMenu->setObjectName(QStringLiteral("handlerMenu"));
    m_handlerMenu->setToolTip(tr("A script that answers a method instead of the default CRUD"));
    for (const QString &method : MethodChecks::allMethods()) {
        QAction *a = m_handlerMenu->addAction(method);
        a->setObjectName(QStringLiteral("addHandler%1Action").arg(method));
        connect(a, &QAction::triggered, this, [this, method] { addHandler(method); });
    }
    connect(m_newRoute, &QAction::triggered, this, [this] { openRouteDialog({}); });
    connect(m_editRoute, &QAction::triggered, this,
            [this] { openRouteDialog(route(m_tree->currentRouteId())); });
    connect(m_deleteRoute, &QAction::triggered, this, &RoutesPage::deleteRoute);
    connect(m_addPreHook, &QAction::triggered, this, [this] { addHook(ScriptKind::PreHook); });
    connect(m_addPostHook, &QAction::triggered, this, [this] { addHook(ScriptKind::PostHook); });
    connect(m_deleteScript, &QAction::triggered, this, &RoutesPage::deleteScript);
}

// --- loading ---

void RoutesPage::refresh()
{
    if (!client())
        return;
    const int generation = ++m_generation;
    m_pending = 6;
    loadPart(QStringLiteral("/hearth_route") +
                 ApiClient::queryString(
                     {.fields = QStringLiteral("id,path,availableMethods,publicMethods,isEnabled,"
                                               "isSystem,description,mainTable.name"),
                      .sort = QStringLiteral("path"),
                      .limit = 0}),
             generation, [this](const QJsonArray &rows) { m_routes = rows; });
    const QString hookFields =
        QStringLiteral("id,name,sourceCode,priority,isEnabled,isGlobal,methods,timeout,description,route.id");
    auto takeScripts = [this](ScriptKind kind) {
        return [this, kind](const QJsonArray &rows) {
            for (auto it = m_scripts.begin(); it != m_scripts.end();)
                it = it->kind == kind ? m_scripts.erase(it) : std::next(it);
            for (const QJsonValue &row : rows)
                m_scripts.insert(scriptKey(kind, row[u"id"].toInteger()), {kind, row.toObject()});
        };
    };
    loadPart(
        QStringLiteral("/hearth_pre_hook") +
            ApiClient::queryString({.fields = hookFields, .sort = QStringLiteral("priority,id"), .limit = 0}),
        generation, takeScripts(ScriptKind::PreHook));
    loadPart(QStringLiteral("/hearth_post_hook") +
                 ApiClient::queryString({.fields = hookFields + QStringLiteral(",runAfterResponse"),
                                         .sort = QStringLiteral("priority,id"),
                                         .limit = 0}),
             generation, takeScripts(ScriptKind::PostHook));
    loadPart(QStringLiteral("/hearth_route_handler") +
                 ApiClient::queryString(
                     {.fields = QStringLiteral("id,method,sourceCode,timeout,description,route.id"),
                      .sort = QStringLiteral("method"),
                      .limit = 0}),
             generation, takeScripts(ScriptKind::Handler));
    loadPart(QStringLiteral("/hearth_table") +
                 ApiClient::queryString(
                     {.fields = QStringLiteral("name"), .sort = QStringLiteral("name"), .limit = 0}),
             generation, [this](const QJsonArray &rows) {
                 m_tables.clear();
                 for (const QJsonValue &row : rows)
                     m_tables << row[u"name"].toString();
                 m_editor->setTableNames(m_tables);
             });
    loadPart(QStringLiteral("/hearth_user") +
                 ApiClient::queryString(
                     {.fields = QStringLiteral("id,email"), .sort = QStringLiteral("email"), .limit = 0}),
             generation, [this](const QJsonArray &rows) { m_runPanel->setUsers(rows); });
}

void RoutesPage::loadPart(const QString &path, int generation, std::function<void(const QJsonArray &)> take)
{
    client()->get(
        path,
        [this, generation, take](const ApiResult &result) {
            if (generation != m_generation)
                return; // a newer refresh is under way
            if (!result.ok())
                showError(result.failure(), tr("Could not load the routes and scripts"));
            else
                take(result.data());
            partLoaded(generation);
        },
        this);
}

void RoutesPage::partLoaded(int generation)
{
    if (generation != m_generation || --m_pending > 0)
        return;
    setLoaded(true);
    // Drafts of scripts that are gone (deleted elsewhere) go with them.
    for (auto it = m_drafts.begin(); it != m_drafts.end();)
        it = m_scripts.contains(it.key()) ? std::next(it) : m_drafts.erase(it);
    rebuildTree();
    emit loaded();
}

void RoutesPage::reset()
{
    ++m_generation;
    m_routes = {};
    m_scripts.clear();
    m_drafts.clear();
    m_tables.clear();
    m_currentKey.clear();
    m_tree->clear();
    m_runPanel->setUsers({});
    m_runPanel->clearOutput();
    setFooterText(QString());
    selectionChanged();
}

// --- the tree ---

void RoutesPage::rebuildTree()
{
    m_tree->setRows(m_routes, m_scripts, m_showSystem->isChecked(), m_selectAfterLoad);
    m_selectAfterLoad.clear();
    const RouteTree::Counts n = m_tree->counts();
    const auto count = [](int number, const QString &one, const QString &many) {
        return number == 1 ? one : many.arg(QLocale().toString(number));
    };
    setFooterText(QStringList{count(n.routes, tr("1 route"), tr("%1 routes")),
                              count(n.hooks, tr("1 hook"), tr("%1 hooks")),
                              count(n.handlers, tr("1 handler"), tr("%1 handlers"))}
                      .join(QStringLiteral(" · ")));
    // The tree was quiet while filled: show what is selected now.
    selectionChanged();
}

bool RoutesPage::openScript(const QString &key)
{
    return m_tree->select(key);
}

bool RoutesPage::selectRoute(const QString &path)
{
    return m_tree->selectPath(path);
}

QJsonObject RoutesPage::route(qint64 id) const
{
    for (const QJsonValue &r : m_routes)
        if (r[u"id"].toInteger() == id)
            return r.toObject();
    return {};
}

void RoutesPage::selectionChanged()
{
    const QString key = m_tree->currentKey();
    showScript(m_scripts.contains(key) ? key : QString());
    updateActions();
}

// --- the script open ---

void RoutesPage::showScript(const QString &key)
{
    if (key == m_currentKey && !key.isEmpty()) {
        // The same script after a reload: edits, undo history and the last run stay; only
        // what was stored meanwhile (by a save, or elsewhere) is shown when there are no edits.
        if (!m_drafts.contains(key)) {
            const QJsonObject &row = m_scripts[key].row;
            m_filling = true;
            m_form->setScript(m_scripts[key].kind, row);
            if (m_editor->text() != row.value(u"sourceCode").toString())
                m_editor->setText(row.value(u"sourceCode").toString());
            m_filling = false;
        }
        updateTitle();
        updateDirty();
        return;
    }
    m_currentKey = key;
    if (key.isEmpty()) {
        m_stack->setCurrentIndex(0);
        m_placeholder->setText(
            hasLoaded() && m_tree->topLevelItemCount() == 0
                ? tr("No custom routes yet.\nCreate one with New Route…, or show the system routes.")
            : m_tree->currentItem() ? tr("Choose a hook or a handler of this route,\nor add one with Add.")
                                    : tr("Choose a route, then a hook or a handler to edit it."));
        m_runPanel->setRunEnabled(false);
        return;
    }
    const StoredScript &s = m_scripts[key];
    QJsonObject shown = s.row;
    const QJsonObject draft = m_drafts.value(key);
    for (auto it = draft.begin(); it != draft.end(); ++it)
        shown.insert(it.key(), it.value());

    m_filling = true;
    m_form->setScript(s.kind, shown);
    m_editor->setText(shown.value(u"sourceCode").toString());
    m_editor->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
    m_editor->SendScintilla(QsciScintillaBase::SCI_SETXOFFSET, 0L);
    m_editor->markErrorLine(0);
    m_filling = false;

    updateTitle();
    const QJsonObject r = route(scriptRouteId(s.row));
    // Run as the method the script answers: the handler's, the hook's first, or the route's first.
    QStringList methods = s.kind == ScriptKind::Handler ? QStringList{s.row.value(u"method").toString()}
                                                        : stringList(shown.value(u"methods"));
    if (methods.isEmpty())
        methods = stringList(r.value(u"availableMethods"));
    if (!methods.isEmpty())
        m_runPanel->setMethod(methods.first());
    m_runPanel->setDataVisible(s.kind == ScriptKind::PostHook);
    m_runPanel->clearOutput();
    m_runPanel->setRunEnabled(true);
    m_stack->setCurrentIndex(1);
    updateDirty();
}

void RoutesPage::updateTitle()
{
    m_scriptTitle->setText(scriptTitle(m_currentKey));
}

QString RoutesPage::scriptTitle(const QString &key) const
{
    const StoredScript s = m_scripts.value(key);
    const QJsonObject r = route(scriptRouteId(s.row));
    const QString where = r.isEmpty() ? tr("every route") : r.value(u"path").toString();
    return s.kind == ScriptKind::Handler
               ? tr("%1 handler of %2").arg(s.row.value(u"method").toString(), where)
               : tr("%1 “%2” on %3").arg(kindTitle(s.kind), s.row.value(u"name").toString(), where);
}

QStringList RoutesPage::unsavedChanges() const
{
    QStringList scripts;
    for (auto it = m_drafts.begin(); it != m_drafts.end(); ++it)
        scripts << scriptTitle(it.key());
    scripts.sort();
    return scripts;
}

QJsonObject RoutesPage::editedScript() const
{
    QJsonObject edited = m_form->values();
    edited.insert(QStringLiteral("sourceCode"), m_editor->text());
    return edited;
}

void RoutesPage::updateDirty()
{
    if (m_filling || m_currentKey.isEmpty())
        return;
    const QJsonObject edited = editedScript();
    const QJsonObject &saved = m_scripts[m_currentKey].row;
    bool changed = false;
    for (auto it = edited.begin(); it != edited.end() && !changed; ++it)
        changed = !sameValue(it.value(), saved.value(it.key()));
    const bool was = m_drafts.contains(m_currentKey);
    if (changed)
        m_drafts.insert(m_currentKey, edited);
    else
        m_drafts.remove(m_currentKey);
    m_scriptState->setText(changed ? tr("● Unsaved changes") : tr("Saved"));
    QPalette p = m_scriptState->palette();
    p.setColor(QPalette::WindowText, changed ? Theme::warning() : Theme::muted());
    m_scriptState->setPalette(p);
    m_saveButton->setEnabled(changed);
    if (was != changed)
        m_tree->setModified(QSet<QString>(m_drafts.keyBegin(), m_drafts.keyEnd()));
}

void RoutesPage::updateActions()
{
    const QJsonObject r = route(m_tree->currentRouteId());
    const bool routeChosen = !r.isEmpty();
    const bool globalsChosen = m_tree->globalsChosen();
    m_editRoute->setEnabled(routeChosen && !r.value(u"isSystem").toBool());
    m_deleteRoute->setEnabled(routeChosen && !r.value(u"isSystem").toBool());
    m_addPreHook->setEnabled(routeChosen || globalsChosen);
    m_addPostHook->setEnabled(routeChosen || globalsChosen);
    m_handlerMenu->menuAction()->setEnabled(routeChosen);
    for (QAction *a : m_handlerMenu->actions()) {
        bool taken = false;
        for (const StoredScript &s : std::as_const(m_scripts))
            taken = taken ||
                    (s.kind == ScriptKind::Handler && scriptRouteId(s.row) == r.value(u"id").toInteger() &&
                     s.row.value(u"method").toString() == a->text());
        a->setEnabled(routeChosen && !taken);
    }
    m_deleteScript->setEnabled(!m_currentKey.isEmpty());
}

// --- actions ---

void RoutesPage::save()
{
    if (m_currentKey.isEmpty()) {
        showMessage(tr("Choose a hook or a handler to save."), MessageBar::Info);
        return;
    }
    const QString key = m_currentKey;
    const StoredScript s = m_scripts[key];
    const QJsonObject edited = editedScript();
    if (s.kind != ScriptKind::Handler && edited.value(u"name").toString().trimmed().isEmpty()) {
        showMessage(tr("A hook needs a name."), MessageBar::Warning);
        return;
    }
    call(
        "PATCH", scriptTablePath(s.kind) + u'/' + QString::number(s.row.value(u"id").toInteger()), edited,
        [this, key, edited](const ApiResult &) {
            if (!m_scripts.contains(key))
                return;
            StoredScript &stored = m_scripts[key];
            for (auto it = edited.begin(); it != edited.end(); ++it)
                stored.row.insert(it.key(), it.value());
            // The draft is saved unless the text changed again while the call was out.
            if (key == m_currentKey) {
                updateDirty();
                m_editor->markErrorLine(0);
            } else if (m_drafts.value(key) == edited) {
                m_drafts.remove(key);
            }
            rebuildTree();
            emit statusMessage(tr("Saved"));
            emit saved(key);
        },
        tr("Could not save the script"));
    // A failure (shown in the message bar) leaves the draft as it was: Save stays available.
}

void RoutesPage::run()
{
    if (m_currentKey.isEmpty() || !client()) {
        showMessage(tr("Choose a hook or a handler to run."), MessageBar::Info);
        return;
    }
    QString problem;
    QJsonObject request = m_runPanel->request(&problem);
    if (!problem.isEmpty()) {
        m_runPanel->showProblem(problem);
        return;
    }
    const StoredScript &s = m_scripts[m_currentKey];
    request.insert(QStringLiteral("kind"), scriptRunKind(s.kind));
    request.insert(QStringLiteral("sourceCode"), m_editor->text());
    if (const qint64 routeId = scriptRouteId(s.row))
        request.insert(QStringLiteral("route"), routeId);
    if (const QJsonValue timeout = m_form->values().value(u"timeout"); timeout.isDouble())
        request.insert(QStringLiteral("timeout"), timeout);
    m_editor->markErrorLine(0);
    m_runPanel->setRunning(true);
    const QString key = m_currentKey;
    client()->post(
        QStringLiteral("/admin/test/run"), request,
        [this, key](const ApiResult &result) {
            m_runPanel->setRunning(false);
            if (key != m_currentKey)
                return; // another script is open now: its panel is not this run's
            if (!result.ok()) {
                m_runPanel->showProblem(result.failure().message);
                return;
            }
            const QJsonObject outcome = result.json();
            m_runPanel->showOutcome(outcome);
            const QJsonObject error = outcome.value(u"error").toObject();
            if (error.value(u"line").toInt() > 0)
                m_editor->markErrorLine(error.value(u"line").toInt(), error.value(u"message").toString());
            emit ran(outcome);
        },
        this);
}

void RoutesPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void RoutesPage::openRouteDialog(const QJsonObject &row)
{
    if (m_routeDialog)
        m_routeDialog->close();
    auto *dialog = new RouteDialog(row, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_routeDialog = dialog;
    connect(dialog, &RouteDialog::submitted, this, [this, dialog](const QJsonObject &body) {
        if (!client())
            return;
        dialog->setBusy(true);
        const qint64 id = dialog->routeId();
        const QPointer<RouteDialog> alive = dialog;
        auto done = [this, alive](const ApiResult &result) {
            if (!alive)
                return;
            alive->setBusy(false);
            if (!result.ok()) {
                alive->setError(result.failure().message);
                return;
            }
            m_selectAfterLoad = RouteTree::routeKey(result.first().value(u"id").toInteger());
            emit statusMessage(tr("Route %1 saved").arg(result.first().value(u"path").toString()));
            alive->accept();
            refresh();
        };
        if (id)
            client()->patch(QStringLiteral("/hearth_route/%1").arg(id), body, done, this);
        else
            client()->post(QStringLiteral("/hearth_route"), body, done, this);
    });
    dialog->open();
}

void RoutesPage::addHook(ScriptKind kind)
{
    const qint64 routeId = m_tree->currentRouteId();
    int count = 1;
    for (const StoredScript &s : std::as_const(m_scripts))
        count += s.kind == kind && scriptRouteId(s.row) == routeId;
    QJsonObject row{
        {QStringLiteral("name"),
         (kind == ScriptKind::PreHook ? tr("preHook %1") : tr("postHook %1")).arg(count)},
        {QStringLiteral("sourceCode"),
         kind == ScriptKind::PreHook
             ? tr("// Runs before the handler. Return a value to answer with it instead.\n")
             : tr("// Runs after the handler: $ctx.$data is the answer, $ctx.$error the error if any.\n")}};
    if (routeId)
        row.insert(QStringLiteral("route"), routeId);
    else
        row.insert(QStringLiteral("isGlobal"), true);
    createScript(kind, row);
}

void RoutesPage::addHandler(const QString &method)
{
    const qint64 routeId = m_tree->currentRouteId();
    if (!routeId)
        return;
    createScript(ScriptKind::Handler, {{QStringLiteral("route"), routeId},
                                       {QStringLiteral("method"), method},
                                       {QStringLiteral("sourceCode"),
                                        tr("// Answers %1 %2 instead of the default CRUD.\nreturn {};\n")
                                            .arg(method, route(routeId).value(u"path").toString())}});
}

void RoutesPage::createScript(ScriptKind kind, const QJsonObject &row)
{
    call(
        "POST", scriptTablePath(kind), row,
        [this, kind](const ApiResult &result) {
            m_selectAfterLoad = scriptKey(kind, result.first().value(u"id").toInteger());
            refresh();
            emit statusMessage(tr("%1 added").arg(kindTitle(kind)));
        },
        tr("Could not add the %1").arg(kindTitle(kind).toLower()));
}

void RoutesPage::deleteRoute()
{
    const QJsonObject r = route(m_tree->currentRouteId());
    if (r.isEmpty())
        return;
    const qint64 id = r.value(u"id").toInteger();
    confirm(tr("Delete the route %1? Its hooks and handlers are deleted with it.")
                .arg(r.value(u"path").toString()),
            tr("Delete Route"), [this, id] {
                call(
                    "DELETE", QStringLiteral("/hearth_route/%1").arg(id), QJsonValue::Undefined,
                    [this](const ApiResult &) {
                        emit statusMessage(tr("Route deleted"));
                        refresh();
                    },
                    tr("Could not delete the route"));
            });
}

void RoutesPage::deleteScript()
{
    if (m_currentKey.isEmpty())
        return;
    const StoredScript s = m_scripts[m_currentKey];
    const QString what =
        s.kind == ScriptKind::Handler
            ? tr("the %1 handler").arg(s.row.value(u"method").toString())
            : tr("the %1 “%2”").arg(kindTitle(s.kind).toLower(), s.row.value(u"name").toString());
    const QString path = scriptTablePath(s.kind) + u'/' + QString::number(s.row.value(u"id").toInteger());
    const QString key = m_currentKey;
    confirm(tr("Delete %1? This cannot be undone.").arg(what), tr("Delete"), [this, path, key] {
        call(
            "DELETE", path, QJsonValue::Undefined,
            [this, key](const ApiResult &) {
                m_drafts.remove(key);
                emit statusMessage(tr("Deleted"));
                refresh();
            },
            tr("Could not delete the script"));
    });
}

void RoutesPage::confirm(const QString &text, const QString &action, std::function<void()> then)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete"), text, QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmDelete"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *yes = box->addButton(action, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [box, yes, then](QAbstractButton *clicked) {
        if (clicked == yes)
            then();
    });
    box->open();
}

void RoutesPage::paletteChanged()
{
    m_editor->applyPalette();
    QPalette muted = m_placeholder->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_placeholder->setPalette(muted);
    if (hasLoaded())
        rebuildTree(); // icons and muted rows
}

} // namespace Hearth
