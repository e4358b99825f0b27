#pragma once

#include "client/apiclient.h"
#include "shell/pageregistry.h"
#include "shell/servercontrol.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QActionGroup;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QSystemTrayIcon;
class QTimer;
class QToolBar;
class QToolButton;

namespace Hearth {

class BusyIndicator;
class MessageBar;
class Page;
class SecretStore;

// The console's window: a sidebar of pages (PageRegistry) beside a stack of
// them, a window-wide message bar, menus and a toolbar for the server, and a
// status bar with the server's state, its URLs, requests/s and a busy spinner.
//
// It shows one server at a time: the embedded one (ServerControl, signed in
// with the credentials the app kept for it) or one chosen with "Connect to
// server…". setClient() points it at any signed-in ApiClient (tests do).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // embedded and secrets may be null (no embedded server; a SecretStore of its own).
    explicit MainWindow(ServerControl *embedded = nullptr, SecretStore *secrets = nullptr,
                        const PageRegistry &registry = PageRegistry::builtin(), QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows the server client talks to (not owned; null: none). Every page gets it.
    void setClient(ApiClient *client);
    ApiClient *client() const { return m_client; }
    bool showsEmbedded() const;

    QList<Page *> pages() const { return m_pages; }
    Page *page(const QString &id) const;
    QStringList pageIds() const { return m_pageIds; }
    Page *currentPage() const;
    QString currentPageId() const;
    void showPage(const QString &id);

    MessageBar *messageBar() const { return m_messageBar; }
    QListWidget *sidebar() const { return m_sidebar; }

public slots:
    void connectToServer();   // the dialog
    void connectToEmbedded(); // back to the embedded server
    void signOut();
    void quit(); // stops serving (the app stops the server after the event loop) and quits

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildPages(const PageRegistry &registry);
    void buildActions();
    void buildMenus();
    void buildToolBar();
    void buildStatusBar();
    void buildTray();
    void applyStyle();
    void restoreWindowState();
    void saveWindowState();

    void pageChanged(int row);
    void updatePageActions();
    void updateServerActions();
    void updateStatus();
    void updateTitle();
    void rebuildServerMenu();
    void poll();
    void showRate(double requestsPerSecond);

    void embeddedStateChanged(ServerControl::State state);
    void signInEmbedded();
    void askEmbeddedSignIn(const QString &why);
    void connectToKnown(const QString &url, const QString &email);
    void useRemoteClient(ApiClient *client);
    void sessionEnded(const ApiFailure &why);
    void showKeychainNotice(const QString &reason);
    void toggleLan(bool on);
    // True when no page holds unsaved changes, or the user agreed to drop them before action ("Quit").
    bool confirmDiscardUnsaved(const QString &action);

    ServerControl *m_embedded;
    SecretStore *m_secrets;
    QPointer<ApiClient> m_client;
    QPointer<ApiClient> m_embeddedClient; // owned
    QPointer<ApiClient> m_remoteClient;   // owned
    bool m_signingIn = false;

    QListWidget *m_sidebar = nullptr;
    QWidget *m_sidebarPanel = nullptr;
    QLabel *m_brandIcon = nullptr;
    QLabel *m_serverName = nullptr;
    QStackedWidget *m_stack = nullptr;
    MessageBar *m_messageBar = nullptr;
    QList<Page *> m_pages;
    QStringList m_pageIds;
    QStringList m_pageIcons;
    int m_currentPage = -1;

    QLabel *m_stateLabel = nullptr;
    QLabel *m_urlLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_userLabel = nullptr;
    BusyIndicator *m_busy = nullptr;
    QTimer *m_pollTimer = nullptr;
    enum class Runtime
    {
        Unknown,
        Available,
        Missing
    } m_runtime = Runtime::Unknown;
    int m_tick = 0;
    qint64 m_lastTotal = -1;
    bool m_reachable = true;

    QAction *m_connectAction = nullptr;
    QAction *m_embeddedAction = nullptr;
    QAction *m_signOutAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_filterAction = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_restartAction = nullptr;
    QAction *m_lanAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QList<QAction *> m_goToActions;
    QMenu *m_serverSwitchMenu = nullptr;
    QToolButton *m_serverSwitch = nullptr;
    QToolBar *m_toolBar = nullptr;

    QSystemTrayIcon *m_tray = nullptr;
    bool m_trayNoticeShown = false;
    bool m_keychainNoticeShown = false;
    bool m_quitting = false;
    bool m_restyling = false;
};

} // namespace Hearth
