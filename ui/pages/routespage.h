#pragma once

#include "pages/routes/scriptkind.h"
#include "shell/page.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;

namespace Hearth {

class RouteDialog;
class RouteTree;
class RunPanel;
class ScriptEditor;
class ScriptForm;

// Routes & Hooks: the script workbench. On the left the routes
// (/hearth_route), each with its preHooks, method handlers and postHooks;
// routes are created, edited and deleted here, hooks and handlers added and
// deleted. On the right the script chosen: its settings, a JavaScript editor
// (completion of $ctx and the project's tables), Save (Ctrl+S) and Run
// (Ctrl+Enter, through POST /admin/test/run) with its result, logs, error line
// and duration. Unsaved edits are kept per script until saved, also across
// reloads, and marked with a dot.
class RoutesPage : public Page
{
    Q_OBJECT
public:
    explicit RoutesPage(QWidget *parent = nullptr);

    Actions actions() const override { return RefreshAction | SaveAction | RunAction | FilterAction; }
    QStringList unsavedChanges() const override;

    RouteTree *tree() const { return m_tree; }
    ScriptEditor *editor() const { return m_editor; }
    RunPanel *runPanel() const { return m_runPanel; }
    // "pre:12", "post:3", "handler:7" for the script open in the editor; empty when none.
    QString currentScriptKey() const { return m_currentKey; }
    // Whether the script has edits not saved yet.
    bool isModified(const QString &key) const { return m_drafts.contains(key); }
    // Opens the script in the editor (selects its item); false when it is not loaded.
    bool openScript(const QString &key);
    // Selects the route with that path; false when it is not listed.
    bool selectRoute(const QString &path);

public slots:
    void refresh() override;
    void save() override;
    void run() override;
    void focusFilter() override;

signals:
    // Every list answered and the tree is rebuilt.
    void loaded();
    void saved(const QString &key);
    void ran(const QJsonObject &outcome);

protected:
    void reset() override;
    void paletteChanged() override;

private:
    void buildActions();
    void loadPart(const QString &path, int generation, std::function<void(const QJsonArray &)> take);
    void partLoaded(int generation);
    void rebuildTree();
    void selectionChanged();
    void showScript(const QString &key);
    void updateTitle();                            // of the script open, as stored
    QString scriptTitle(const QString &key) const; // "Pre-hook “Audit” on /posts"
    void updateDirty();
    void updateActions();
    QJsonObject route(qint64 id) const;
    QJsonObject editedScript() const; // the open script's settings and source as shown
    void openRouteDialog(const QJsonObject &row);
    void addHook(ScriptKind kind);
    void addHandler(const QString &method);
    void createScript(ScriptKind kind, const QJsonObject &row);
    void deleteRoute();
    void deleteScript();
    void confirm(const QString &text, const QString &action, std::function<void()> then);

    // loaded
    QJsonArray m_routes;
    QHash<QString, StoredScript> m_scripts;
    QHash<QString, QJsonObject> m_drafts; // key -> edited fields (settings and sourceCode)
    QStringList m_tables;
    int m_generation = 0;
    int m_pending = 0;
    QString m_currentKey;
    QString m_selectAfterLoad;
    bool m_filling = false; // the editor and form are being filled in: not an edit

    QLineEdit *m_filter;
    QCheckBox *m_showSystem;
    RouteTree *m_tree;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_scriptTitle;
    QLabel *m_scriptState;
    QPushButton *m_saveButton;
    ScriptForm *m_form;
    ScriptEditor *m_editor;
    RunPanel *m_runPanel;
    QSplitter *m_splitter;

    QAction *m_newRoute;
    QAction *m_editRoute;
    QAction *m_deleteRoute;
    QAction *m_addPreHook;
    QAction *m_addPostHook;
    QMenu *m_handlerMenu;
    QAction *m_deleteScript;
    QPointer<RouteDialog> m_routeDialog;
};

} // namespace Hearth
