#pragma once

#include "client/apiclient.h"
#include "shell/servercontrol.h"
#include "widgets/messagebar.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QAction;
class QHBoxLayout;
class QLabel;
class QToolButton;
class QVBoxLayout;

namespace Hearth {

// One view of the console (Tables, Data, Users, …), shown in the main
// window's stack when its sidebar entry is chosen. A page:
//
// - talks to the server through client() (set by the window: the server the
//   console is signed in to, or null while there is none) and, for the
//   embedded server, may use serverControl();
// - loads in refresh(); the window calls activate() each time the page is
//   shown, which refreshes the first time and after markStale();
// - reports problems with showError(failure) in its message bar, in the
//   server's plain words;
// - answers the standard actions it lists in actions(): F5 refresh(),
//   Ctrl+S save(), Ctrl+Enter run(), Ctrl+F focusFilter();
// - builds its view inside the standard frame: a header (title, subtitle,
//   header widgets and the refresh button), the message bar, the content
//   (setContentWidget) and a footer line (setFooterText).
//
// Register a page in ui/pages/builtinpages.cpp (one line) to give it a sidebar entry.
class Page : public QWidget
{
    Q_OBJECT
public:
    enum Action
    {
        NoAction = 0,
        RefreshAction = 0x1,
        SaveAction = 0x2,
        RunAction = 0x4,
        FilterAction = 0x8,
    };
    Q_DECLARE_FLAGS(Actions, Action)

    explicit Page(QWidget *parent = nullptr);

    QString title() const;
    void setTitle(const QString &title);
    QString subtitle() const;
    void setSubtitle(const QString &subtitle);

    // The server this page shows (not owned). Changing it calls reset(), and refresh() when shown.
    void setClient(ApiClient *client);
    ApiClient *client() const { return m_client; }
    // The embedded server's control while the console shows the embedded server, else null.
    void setServerControl(ServerControl *control);
    ServerControl *serverControl() const { return m_serverControl; }

    // Which standard actions the page answers; the window enables the menu
    // items and shortcuts accordingly. Default: RefreshAction. Emit actionsChanged() when it changes.
    virtual Actions actions() const { return RefreshAction; }

    // What the page holds that is not saved yet, in words for a question
    // ("table “posts”", "pre-hook “Audit”"); empty when nothing would be lost.
    // The window asks before closing or switching servers when any page has some.
    virtual QStringList unsavedChanges() const { return {}; }

    // Called by the window when the page is shown / hidden by the sidebar.
    // Default activate(): refresh() when never loaded or stale (and a client is set).
    virtual void activate();
    virtual void deactivate();
    bool isActive() const { return m_active; }

    MessageBar *messageBar() const { return m_messageBar; }

public slots:
    virtual void refresh() {}
    virtual void save() {}
    virtual void run() {}
    virtual void focusFilter() {}

    // "context: message" (context optional) as an error in the message bar;
    // details (code, HTTP status, correlation id) go to its tooltip.
    void showError(const Hearth::ApiFailure &failure, const QString &context = {});
    void showMessage(const QString &text, Hearth::MessageBar::Kind kind = MessageBar::Info);
    void clearMessage();
    // The next activate() (or now, when shown) loads again.
    void markStale();

signals:
    void actionsChanged();
    // A short note for the window's status bar.
    void statusMessage(const QString &text, int timeoutMs = 4000);

protected:
    // The server changed: drop what was loaded from the previous one. Default: nothing.
    virtual void reset() {}
    virtual void serverControlChanged() {}
    // The console's colors changed (light/dark): redraw icons or colors the page set itself.
    virtual void paletteChanged() {}

    // The page's view, below the header and the message bar (replaces any earlier one).
    void setContentWidget(QWidget *widget);
    // Widgets and actions at the right of the header, before the refresh button.
    void addHeaderWidget(QWidget *widget);
    QToolButton *addHeaderAction(QAction *action);
    void setFooterText(const QString &text);

    // GET path; on success the message bar's earlier load error is cleared and
    // onSuccess runs; on failure showError(failure, errorContext). Dropped if the page is gone.
    void load(const QString &path, std::function<void(const ApiResult &)> onSuccess,
              const QString &errorContext = {});
    // Any method, same error handling.
    void call(const QByteArray &method, const QString &path, const QJsonValue &body,
              std::function<void(const ApiResult &)> onSuccess, const QString &errorContext = {});

    bool hasLoaded() const { return m_loaded; }
    void setLoaded(bool loaded) { m_loaded = loaded; }

    void changeEvent(QEvent *event) override;

private:
    void updateHeaderStyle();

    QPointer<ApiClient> m_client;
    QPointer<ServerControl> m_serverControl;
    bool m_active = false;
    bool m_loaded = false;
    bool m_stale = false;
    bool m_errorFromLoad = false;
    QLabel *m_title;
    QLabel *m_subtitle;
    QHBoxLayout *m_headerActions;
    QToolButton *m_refreshButton;
    MessageBar *m_messageBar;
    QVBoxLayout *m_body;
    QWidget *m_content = nullptr;
    QLabel *m_footer;
};

} // namespace Hearth

Q_DECLARE_OPERATORS_FOR_FLAGS(Hearth::Page::Actions)
