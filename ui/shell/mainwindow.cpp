#include "shell/mainwindow.h"

#include "client/apiclient.h"
#include "secrets/secretstore.h"
#include "shell/connectdialog.h"
#include "shell/consolesettings.h"
#include "shell/icons.h"
#include "shell/lanaddresses.h"
#include "shell/page.h"
#include "shell/serverbook.h"
#include "shell/theme.h"
#include "widgets/busyindicator.h"
#include "widgets/messagebar.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hearth {

namespace {

// The requests/s figure of an /admin/runtime answer, wherever the server puts it; -1 when absent.
double requestsPerSecond(const QJsonObject &object)
{
    for (const char *key : {"requestsPerSecond", "requestsPerSec", "rps"}) {
        const QJsonValue v = object.value(QLatin1StringView(key));
        if (v.isDouble())
            return v.toDouble();
    }
    for (const char *nested : {"requests", "http"}) {
        const QJsonObject inner = object.value(QLatin1StringView(nested)).toObject();
        for (const char *key : {"perSecond", "requestsPerSecond", "rate"}) {
            const QJsonValue v = inner.value(QLatin1StringView(key));
            if (v.isDouble())
                return v.toDouble();
        }
    }
    return -1;
}

QString stateWord(ServerControl::State state)
{
    switch (state) {
    case ServerControl::State::Stopped:
        return MainWindow::tr("Stopped");
    case ServerControl::State::Starting:
        return MainWindow::tr("Starting…");
    case ServerControl::State::Running:
        return MainWindow::tr("Running");
    case ServerControl::State::Stopping:
        return MainWindow::tr("Stopping…");
    case ServerControl::State::Failed:
        return MainWindow::tr("Stopped");
    }
    return {};
}

QString hostAndPort(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

} // namespace

MainWindow::MainWindow(ServerControl *embedded, SecretStore *secrets, const PageRegistry &registry,
                       QWidget *parent)
    : QMainWindow(parent), m_embedded(embedded), m_secrets(secrets ? secrets : new SecretStore(this)),
      m_pollTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(Icons::app());
    setMinimumSize(760, 480);

    auto *central = new QWidget(this);
    auto *row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);

    // Sidebar: the brand and the server shown, then the pages.
    m_sidebarPanel = new QWidget(central);
    m_sidebarPanel->setObjectName(QStringLiteral("sidebarPanel"));
    m_sidebarPanel->setFixedWidth(214);
    auto *side = new QVBoxLayout(m_sidebarPanel);
    side->setContentsMargins(0, 14, 0, 10);
    side->setSpacing(10);
    auto *brand = new QHBoxLayout;
    brand->setContentsMargins(16, 0, 12, 0);
    brand->setSpacing(10);
    m_brandIcon = new QLabel(m_sidebarPanel);
    m_brandIcon->setPixmap(Icons::app().pixmap(32, 32));
    brand->addWidget(m_brandIcon);
    auto *names = new QVBoxLayout;
    names->setSpacing(0);
    auto *appName = new QLabel(QStringLiteral("Hearth"), m_sidebarPanel);
    appName->setObjectName(QStringLiteral("brandName"));
    QFont brandFont = appName->font();
    brandFont.setPointSizeF(brandFont.pointSizeF() * 1.25);
    brandFont.setWeight(QFont::Bold);
    appName->setFont(brandFont);
    m_serverName = new QLabel(m_sidebarPanel);
    m_serverName->setObjectName(QStringLiteral("serverName"));
    names->addWidget(appName);
    names->addWidget(m_serverName);
    brand->addLayout(names, 1);
    side->addLayout(brand);

    m_sidebar = new QListWidget(m_sidebarPanel);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_sidebar->setUniformItemSizes(true);
    side->addWidget(m_sidebar, 1);
    row->addWidget(m_sidebarPanel);

    auto *main = new QWidget(central);
    auto *column = new QVBoxLayout(main);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    m_messageBar = new MessageBar(main);
    m_messageBar->setObjectName(QStringLiteral("messageBar"));
    auto *barHolder = new QVBoxLayout;
    barHolder->setContentsMargins(24, 12, 24, 0);
    barHolder->addWidget(m_messageBar);
    column->addLayout(barHolder);
    m_stack = new QStackedWidget(main);
    column->addWidget(m_stack, 1);
    row->addWidget(main, 1);
    setCentralWidget(central);

    buildPages(registry);
    buildActions();
    buildMenus();
    buildToolBar();
    buildStatusBar();
    buildTray();
    applyStyle();

    connect(m_sidebar, &QListWidget::currentRowChanged, this, &MainWindow::pageChanged);
    connect(m_pollTimer, &QTimer::timeout, this, &MainWindow::poll);
    m_pollTimer->start(1000);

    connect(m_secrets, &SecretStore::fallbackActivated, this, &MainWindow::showKeychainNotice);
    if (m_secrets->usingFallback())
        showKeychainNotice(m_secrets->fallbackReason());

    if (m_embedded) {
        connect(m_embedded, &ServerControl::stateChanged, this, &MainWindow::embeddedStateChanged);
        connect(m_embedded, &ServerControl::notice, this,
                [this](const QString &text) { m_messageBar->showMessage(text, MessageBar::Warning); });
        for (Page *p : std::as_const(m_pages))
            p->setServerControl(m_embedded);
        if (m_embedded->state() == ServerControl::State::Running)
            signInEmbedded();
    }
    restoreWindowState();
    updateServerActions();
    updateStatus();
    updateTitle();
}

MainWindow::~MainWindow()
{
    // The clients' signals must not reach a window half torn down.
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = nullptr;
    for (Page *p : std::as_const(m_pages))
        p->setClient(nullptr);
    delete m_embeddedClient;
    delete m_remoteClient;
}

// --- construction ---

void MainWindow::buildPages(const PageRegistry &registry)
{
    for (const PageInfo &info : registry.pages()) {
        Page *p = info.create();
        p->setParent(m_stack);
        p->setObjectName(info.id + QStringLiteral("Page"));
        if (p->title().isEmpty())
            p->setTitle(info.title);
        if (!info.subtitle.isEmpty())
            p->setSubtitle(info.subtitle);
        m_stack->addWidget(p);
        m_pages.append(p);
        m_pageIds.append(info.id);
        m_pageIcons.append(info.icon);
        auto *item = new QListWidgetItem(Icons::own(info.icon), info.title, m_sidebar);
        item->setData(Qt::UserRole, info.id);
        item->setSizeHint(QSize(0, 36));
        connect(p, &Page::actionsChanged, this, [this, p] {
            if (p == currentPage())
                updatePageActions();
        });
        connect(p, &Page::statusMessage, this,
                [this](const QString &text, int ms) { statusBar()->showMessage(text, ms); });
    }
}

void MainWindow::buildActions()
{
    m_connectAction = new QAction(Icons::themed(QStringLiteral("connect")), tr("&Connect to Server…"), this);
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::connectToServer);
    m_embeddedAction = new QAction(Icons::themed(QStringLiteral("server")), tr("&Embedded Server"), this);
    m_embeddedAction->setEnabled(m_embedded != nullptr);
    connect(m_embeddedAction, &QAction::triggered, this, &MainWindow::connectToEmbedded);
    m_signOutAction = new QAction(Icons::themed(QStringLiteral("signout")), tr("Sign &Out"), this);
    connect(m_signOutAction, &QAction::triggered, this, &MainWindow::signOut);
    m_quitAction = new QAction(Icons::themed(QStringLiteral("quit")), tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::quit);

    // The standard page actions: each calls the current page's slot of the same name.
    m_refreshAction = new QAction(Icons::themed(QStringLiteral("refresh")), tr("&Refresh"), this);
    m_refreshAction->setShortcuts({QKeySequence::Refresh, QKeySequence(Qt::CTRL | Qt::Key_R)});
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        if (Page *p = currentPage())
            p->refresh();
    });
    m_saveAction = new QAction(Icons::themed(QStringLiteral("save")), tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, [this] {
        if (Page *p = currentPage())
            p->save();
    });
    m_runAction = new QAction(Icons::themed(QStringLiteral("run")), tr("R&un"), this);
    m_runAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    connect(m_runAction, &QAction::triggered, this, [this] {
        if (Page *p = currentPage())
            p->run();
    });
    m_filterAction = new QAction(Icons::themed(QStringLiteral("search")), tr("&Filter"), this);
    m_filterAction->setShortcut(QKeySequence::Find);
    connect(m_filterAction, &QAction::triggered, this, [this] {
        if (Page *p = currentPage())
            p->focusFilter();
    });
    for (QAction *a : {m_refreshAction, m_saveAction, m_runAction, m_filterAction})
        a->setShortcutContext(Qt::WindowShortcut);

    m_startAction = new QAction(Icons::themed(QStringLiteral("start")), tr("&Start"), this);
    m_startAction->setToolTip(tr("Start the embedded server"));
    m_stopAction = new QAction(Icons::themed(QStringLiteral("stop")), tr("S&top"), this);
    m_stopAction->setToolTip(tr("Stop the embedded server: requests in flight finish first"));
    m_restartAction = new QAction(Icons::themed(QStringLiteral("restart")), tr("&Restart"), this);
    m_restartAction->setToolTip(tr("Restart the embedded server"));
    m_lanAction = new QAction(Icons::themed(QStringLiteral("lan")), tr("Serve the &LAN…"), this);
    m_lanAction->setCheckable(true);
    m_lanAction->setToolTip(
        tr("Listen on every interface so other devices on your network can use this server"));
    if (m_embedded) {
        connect(m_startAction, &QAction::triggered, m_embedded, &ServerControl::start);
        connect(m_stopAction, &QAction::triggered, m_embedded, &ServerControl::stop);
        connect(m_restartAction, &QAction::triggered, m_embedded, &ServerControl::restart);
    }
    connect(m_lanAction, &QAction::triggered, this, &MainWindow::toggleLan);

    for (int i = 0; i < m_pages.size(); ++i) {
        auto *go = new QAction(m_sidebar->item(i)->text(), this);
        if (i < 9)
            go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(go, &QAction::triggered, this, [this, i] { m_sidebar->setCurrentRow(i); });
        addAction(go);
        m_goToActions.append(go);
    }
    m_aboutAction = new QAction(Icons::themed(QStringLiteral("info")), tr("&About Hearth"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox box(this);
        box.setWindowTitle(tr("About Hearth"));
        box.setIconPixmap(Icons::app().pixmap(64, 64));
        box.setText(tr("<b>Hearth %1</b>").arg(QCoreApplication::applicationVersion()));
        box.setInformativeText(tr("A desktop backend: tables, a REST API, auth and JavaScript hooks in one "
                                  "native binary. Built with Qt %1.")
                                   .arg(QString::fromLatin1(qVersion())));
        box.exec();
    });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_connectAction);
    file->addAction(m_embeddedAction);
    file->addSeparator();
    file->addAction(m_signOutAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *page = menuBar()->addMenu(tr("&Page"));
    page->addAction(m_refreshAction);
    page->addAction(m_filterAction);
    page->addAction(m_saveAction);
    page->addAction(m_runAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QAction *go : std::as_const(m_goToActions))
        view->addAction(go);

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    server->addAction(m_startAction);
    server->addAction(m_stopAction);
    server->addAction(m_restartAction);
    server->addSeparator();
    server->addAction(m_lanAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void MainWindow::buildToolBar()
{
    QToolBar *bar = addToolBar(tr("Server"));
    m_toolBar = bar;
    bar->setObjectName(QStringLiteral("serverToolBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->setIconSize(QSize(18, 18));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_serverSwitch = new QToolButton(bar);
    m_serverSwitch->setObjectName(QStringLiteral("serverSwitch"));
    m_serverSwitch->setPopupMode(QToolButton::InstantPopup);
    m_serverSwitch->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_serverSwitch->setIcon(Icons::themed(QStringLiteral("server")));
    m_serverSwitch->setToolTip(tr("The server this console shows"));
    m_serverSwitchMenu = new QMenu(m_serverSwitch);
    m_serverSwitch->setMenu(m_serverSwitchMenu);
    connect(m_serverSwitchMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildServerMenu);
    bar->addWidget(m_serverSwitch);
    bar->addSeparator();
    bar->addAction(m_startAction);
    bar->addAction(m_stopAction);
    bar->addAction(m_restartAction);
    bar->addSeparator();
    bar->addAction(m_lanAction);
}

void MainWindow::buildStatusBar()
{
    QStatusBar *bar = statusBar();
    bar->setSizeGripEnabled(false);
    m_stateLabel = new QLabel(bar);
    m_stateLabel->setObjectName(QStringLiteral("serverState"));
    m_urlLabel = new QLabel(bar);
    m_urlLabel->setObjectName(QStringLiteral("serverUrls"));
    m_urlLabel->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_urlLabel->setOpenExternalLinks(true);
    m_rateLabel = new QLabel(bar);
    m_rateLabel->setObjectName(QStringLiteral("requestRate"));
    m_rateLabel->setToolTip(tr("Requests per second the server answered"));
    m_userLabel = new QLabel(bar);
    m_userLabel->setObjectName(QStringLiteral("signedInAs"));
    m_busy = new BusyIndicator(bar);
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    bar->addWidget(m_stateLabel);
    bar->addWidget(m_urlLabel, 1);
    bar->addPermanentWidget(m_busy);
    bar->addPermanentWidget(m_rateLabel);
    bar->addPermanentWidget(m_userLabel);
    showRate(-1);
}

void MainWindow::buildTray()
{
    if (!m_embedded || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(Icons::app(), this);
    m_tray->setToolTip(tr("Hearth"));
    auto *menu = new QMenu(this);
    QAction *show = menu->addAction(Icons::themed(QStringLiteral("show")), tr("&Show Hearth"));
    connect(show, &QAction::triggered, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addSeparator();
    menu->addAction(m_quitAction);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
            showNormal();
            raise();
            activateWindow();
        }
    });
    m_tray->show();
}

void MainWindow::applyStyle()
{
    const QPalette p = QApplication::palette();
    const QColor window = p.color(QPalette::Window);
    const QColor text = p.color(QPalette::WindowText);
    const QColor sidebar = Theme::mix(window, text, Theme::isDark() ? 0.05 : 0.035);
    const QColor border = Theme::mix(window, text, 0.14);
    const QColor hover = Theme::mix(sidebar, text, 0.07);
    // Style sheets on these widgets only: a widget under a style sheet keeps the palette it was
    // polished with, so the pages (which follow light/dark switches) must not be under one.
    m_sidebarPanel->setStyleSheet(
        QStringLiteral(
            "#sidebarPanel { background: %1; border-right: 1px solid %2; }"
            "#sidebar { background: transparent; border: none; outline: 0; }"
            "#sidebar::item { padding: 4px 10px; margin: 1px 10px; border-radius: 6px; color: %3; }"
            "#sidebar::item:hover:!selected { background: %4; }"
            "#sidebar::item:selected { background: %5; color: %6; }")
            .arg(sidebar.name(), border.name(), text.name(), hover.name(),
                 p.color(QPalette::Highlight).name(), p.color(QPalette::HighlightedText).name()));
    statusBar()->setStyleSheet(
        QStringLiteral("QStatusBar { border-top: 1px solid %1; } QStatusBar::item { border: none; }")
            .arg(border.name()));
    m_toolBar->setStyleSheet(
        QStringLiteral(
            "QToolBar { border: none; border-bottom: 1px solid %1; spacing: 4px; padding: 3px 8px; }")
            .arg(border.name()));
    QPalette muted = m_serverName->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_serverName->setPalette(muted);
    for (int i = 0; i < m_sidebar->count(); ++i)
        m_sidebar->item(i)->setIcon(Icons::own(m_pageIcons.value(i)));
    const QList<std::pair<QAction *, const char *>> icons{
        {m_connectAction, "connect"}, {m_embeddedAction, "server"}, {m_signOutAction, "signout"},
        {m_quitAction, "quit"},       {m_refreshAction, "refresh"}, {m_saveAction, "save"},
        {m_runAction, "run"},         {m_filterAction, "search"},   {m_startAction, "start"},
        {m_stopAction, "stop"},       {m_restartAction, "restart"}, {m_lanAction, "lan"},
        {m_aboutAction, "info"}};
    for (const auto &[action, name] : icons)
        action->setIcon(Icons::themed(QLatin1StringView(name)));
    m_serverSwitch->setIcon(Icons::themed(QStringLiteral("server")));
    m_urlLabel->clear(); // a link keeps the color it was laid out with: lay it out again
    updateStatus();
}

void MainWindow::restoreWindowState()
{
    auto settings = ConsoleSettings::open();
    const QByteArray geometry = settings->value(QStringLiteral("window/geometry")).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(QSize(1180, 760).boundedTo(available.size() * 0.9));
        move(available.center() - rect().center());
    }
    restoreState(settings->value(QStringLiteral("window/state")).toByteArray());
    const qsizetype last = m_pageIds.indexOf(settings->value(QStringLiteral("window/page")).toString());
    m_sidebar->setCurrentRow(last >= 0 ? int(last) : 0);
}

void MainWindow::saveWindowState()
{
    auto settings = ConsoleSettings::open();
    settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings->setValue(QStringLiteral("window/state"), saveState());
    settings->setValue(QStringLiteral("window/page"), currentPageId());
}

// --- pages ---

Page *MainWindow::page(const QString &id) const
{
    const qsizetype i = m_pageIds.indexOf(id);
    return i >= 0 ? m_pages.at(i) : nullptr;
}

Page *MainWindow::currentPage() const
{
    return m_currentPage >= 0 ? m_pages.value(m_currentPage) : nullptr;
}

QString MainWindow::currentPageId() const
{
    return m_pageIds.value(m_currentPage);
}

void MainWindow::showPage(const QString &id)
{
    const qsizetype i = m_pageIds.indexOf(id);
    if (i >= 0)
        m_sidebar->setCurrentRow(int(i));
}

void MainWindow::pageChanged(int row)
{
    if (row < 0 || row >= m_pages.size() || row == m_currentPage)
        return;
    if (Page *previous = currentPage())
        previous->deactivate();
    m_currentPage = row;
    m_stack->setCurrentIndex(row);
    m_pages.at(row)->activate();
    updatePageActions();
}

void MainWindow::updatePageActions()
{
    const Page *p = currentPage();
    const Page::Actions actions = p ? p->actions() : Page::NoAction;
    m_refreshAction->setEnabled(actions & Page::RefreshAction);
    m_saveAction->setEnabled(actions & Page::SaveAction);
    m_runAction->setEnabled(actions & Page::RunAction);
    m_filterAction->setEnabled(actions & Page::FilterAction);
}

// --- the server shown ---

bool MainWindow::showsEmbedded() const
{
    return m_embedded && m_client && m_client == m_embeddedClient;
}

void MainWindow::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    if (client) {
        connect(client, &ApiClient::busyChanged, this, [this](int count) { m_busy->setRunning(count > 0); });
        connect(client, &ApiClient::reachableChanged, this, [this](bool reachable) {
            m_reachable = reachable;
            updateStatus();
        });
        connect(client, &ApiClient::signedInChanged, this, [this] { updateStatus(); });
        connect(client, &ApiClient::sessionEnded, this, &MainWindow::sessionEnded);
        connect(client, &QObject::destroyed, this, [this] { setClient(nullptr); });
    }
    m_busy->setRunning(client && client->busyCount() > 0);
    m_runtime = Runtime::Unknown;
    m_lastTotal = -1;
    m_reachable = true;
    showRate(-1);
    const bool embedded = showsEmbedded();
    for (Page *p : std::as_const(m_pages)) {
        p->setServerControl(embedded || !client ? m_embedded : nullptr);
        p->setClient(client);
    }
    updateServerActions();
    updateStatus();
    updateTitle();
}

void MainWindow::updateTitle()
{
    QString name;
    if (showsEmbedded())
        name = tr("Embedded server");
    else if (m_client)
        name = hostAndPort(m_client->baseUrl());
    else if (m_embedded)
        name = tr("Embedded server");
    else
        name = tr("Not connected");
    m_serverName->setText(name);
    m_serverSwitch->setText(name);
    setWindowTitle(QStringLiteral("%1 — Hearth").arg(name));
}

void MainWindow::updateServerActions()
{
    const bool embeddedShown = m_embedded && (showsEmbedded() || !m_client);
    const ServerControl::State state = m_embedded ? m_embedded->state() : ServerControl::State::Stopped;
    const bool running = state == ServerControl::State::Running;
    const bool busy = state == ServerControl::State::Starting || state == ServerControl::State::Stopping;
    m_startAction->setEnabled(embeddedShown && !running && !busy);
    m_stopAction->setEnabled(embeddedShown && running);
    m_restartAction->setEnabled(embeddedShown && running);
    m_lanAction->setEnabled(embeddedShown && !busy);
    {
        const QSignalBlocker blocker(m_lanAction);
        m_lanAction->setChecked(m_embedded && m_embedded->servesLan());
    }
    for (QAction *a : {m_startAction, m_stopAction, m_restartAction, m_lanAction})
        a->setVisible(m_embedded != nullptr);
    m_embeddedAction->setEnabled(m_embedded && !showsEmbedded());
    m_signOutAction->setEnabled(m_client && m_client->isSignedIn());
}

void MainWindow::updateStatus()
{
    if (!m_stateLabel)
        return;
    QString state;
    QColor color = Theme::muted();
    QList<QUrl> urls;
    if (showsEmbedded() || (m_embedded && !m_client)) {
        const ServerControl::State s = m_embedded->state();
        state = stateWord(s);
        if (s == ServerControl::State::Running && m_client && !m_reachable) {
            state = tr("Unreachable");
            color = Theme::negative();
        } else if (s == ServerControl::State::Running) {
            color = Theme::positive();
        } else if (s == ServerControl::State::Failed) {
            color = Theme::negative();
        }
        urls = m_embedded->urls();
    } else if (m_client) {
        state = m_reachable ? tr("Running") : tr("Unreachable");
        color = m_reachable ? Theme::positive() : Theme::negative();
        urls = {m_client->baseUrl()};
    } else {
        state = tr("Not connected");
    }
    m_stateLabel->setText(
        QStringLiteral("<span style=\"color:%1\">●</span>&nbsp;%2").arg(color.name(), state.toHtmlEscaped()));
    QStringList links;
    for (qsizetype i = 0; i < urls.size(); ++i) {
        const QString url = urls.at(i).toString(QUrl::StripTrailingSlash);
        const QString prefix = i == 0 ? QString() : tr("LAN ");
        links << QStringLiteral("%1<a href=\"%2\">%2</a>").arg(prefix.toHtmlEscaped(), url.toHtmlEscaped());
    }
    m_urlLabel->setText(links.join(QStringLiteral("&nbsp;&nbsp;·&nbsp;&nbsp;")));
    m_urlLabel->setToolTip(urls.size() > 1 ? tr("Other devices on your network use the LAN addresses")
                                           : QString());
    m_userLabel->setText(m_client && m_client->isSignedIn() ? m_client->email() : tr("Signed out"));
    m_signOutAction->setEnabled(m_client && m_client->isSignedIn());
    if (m_tray && m_embedded) {
        const QList<QUrl> served = m_embedded->urls();
        m_tray->setToolTip(served.isEmpty() ? tr("Hearth — %1").arg(stateWord(m_embedded->state()))
                                            : tr("Hearth — serving %1").arg(served.first().toString()));
    }
}

void MainWindow::showRate(double requestsPerSecond)
{
    if (requestsPerSecond < 0) {
        m_rateLabel->setText(tr("— req/s"));
        return;
    }
    m_rateLabel->setText(
        tr("%1 req/s").arg(QLocale().toString(requestsPerSecond, 'f', requestsPerSecond < 10 ? 1 : 0)));
}

void MainWindow::poll()
{
    ++m_tick;
    // Without /admin/runtime the embedded server's own count still gives the rate.
    if (m_runtime != Runtime::Available) {
        if (showsEmbedded() && m_embedded->state() == ServerControl::State::Running) {
            const qint64 total = m_embedded->totalRequests();
            if (total >= 0 && m_lastTotal >= 0)
                showRate(double(qMax<qint64>(0, total - m_lastTotal)));
            m_lastTotal = total;
        } else {
            m_lastTotal = -1;
            showRate(-1);
        }
    }
    if (!m_client)
        return;
    const QPointer<ApiClient> client = m_client;
    if (m_client->isSignedIn() && m_runtime != Runtime::Missing) {
        m_client->get(
            QStringLiteral("/admin/runtime"),
            [this, client](const ApiResult &result) {
                if (client != m_client)
                    return;
                if (result.ok()) {
                    m_runtime = Runtime::Available;
                    const QJsonObject figures = result.data().isEmpty() ? result.json() : result.first();
                    showRate(requestsPerSecond(figures));
                } else if (result.failure().httpStatus == 404) {
                    m_runtime = Runtime::Missing;
                }
            },
            this, ApiClient::Background);
    } else if (!showsEmbedded() && (m_tick % 5 == 0 || !m_reachable)) {
        // A heartbeat for other servers: GET / is public and cheap, and tells whether the server answers.
        // (The embedded server's state is known without asking, and a heartbeat would show in its rate.)
        m_client->get(QStringLiteral("/"), {}, this, ApiClient::Background);
    }
}

// --- the embedded server ---

void MainWindow::embeddedStateChanged(ServerControl::State state)
{
    updateServerActions();
    updateStatus();
    if (state == ServerControl::State::Running) {
        m_lastTotal = -1;
        m_runtime = Runtime::Unknown; // a restarted server may answer /admin/runtime now
        if (m_messageBar->kind() == MessageBar::Error && m_messageBar->isShowing())
            m_messageBar->dismiss();
        if (!m_client || showsEmbedded())
            signInEmbedded();
    } else if (state == ServerControl::State::Failed) {
        m_messageBar->showMessage(tr("The embedded server could not start: %1").arg(m_embedded->lastError()),
                                  MessageBar::Error);
        m_messageBar->setAction(tr("Try Again"), [this] { m_embedded->start(); });
    }
}

void MainWindow::signInEmbedded()
{
    if (!m_embedded || m_embedded->state() != ServerControl::State::Running || m_signingIn)
        return;
    const QUrl url = m_embedded->consoleUrl();
    if (m_embeddedClient && m_embeddedClient->baseUrl() == url && m_embeddedClient->isSignedIn()) {
        setClient(m_embeddedClient);
        return;
    }
    if (m_embeddedClient) {
        if (m_client == m_embeddedClient)
            setClient(nullptr);
        m_embeddedClient->deleteLater();
    }
    m_embeddedClient = new ApiClient(url, this);
    const ServerControl::Credentials credentials = m_embedded->credentials();
    if (credentials.password.isEmpty()) {
        askEmbeddedSignIn(tr("The console has no password for this server's admin (it was set up outside the "
                             "console). Sign in once and the console remembers it."));
        return;
    }
    m_signingIn = true;
    const QPointer<ApiClient> client = m_embeddedClient;
    client->signIn(
        credentials.email, credentials.password,
        [this, client, credentials](const ApiResult &result) {
            m_signingIn = false;
            if (!client || client != m_embeddedClient)
                return;
            if (!result.ok()) {
                askEmbeddedSignIn(tr("Could not sign in to the embedded server as %1: %2")
                                      .arg(credentials.email, result.failure().message));
                return;
            }
            if (!m_client || m_client != m_remoteClient) // not while the user looks at another server
                setClient(client);
        },
        this);
}

void MainWindow::askEmbeddedSignIn(const QString &why)
{
    m_messageBar->showMessage(why, MessageBar::Warning);
    m_messageBar->setAction(tr("Sign In…"), [this] {
        ConnectDialog dialog(m_secrets, this);
        dialog.setFixedUrl(m_embedded->consoleUrl().toString());
        dialog.setServer(m_embedded->consoleUrl().toString(), m_embedded->credentials().email);
        if (dialog.exec() != QDialog::Accepted || !dialog.client())
            return;
        if (m_embeddedClient && m_embeddedClient != dialog.client())
            m_embeddedClient->deleteLater();
        m_embeddedClient = dialog.client();
        m_embeddedClient->setParent(this);
        if (dialog.rememberPassword())
            m_embedded->rememberCredentials({dialog.email(), dialog.password()});
        m_messageBar->dismiss();
        setClient(m_embeddedClient);
    });
}

void MainWindow::connectToEmbedded()
{
    if (!m_embedded)
        return;
    if (m_client && m_client != m_embeddedClient && !confirmDiscardUnsaved(tr("Switch servers")))
        return;
    if (m_embeddedClient && m_embeddedClient->isSignedIn()) {
        setClient(m_embeddedClient);
        return;
    }
    setClient(nullptr);
    if (m_embedded->state() == ServerControl::State::Running)
        signInEmbedded();
    else if (m_embedded->state() != ServerControl::State::Starting)
        m_embedded->start();
}

void MainWindow::toggleLan(bool on)
{
    if (!m_embedded)
        return;
    if (on) {
        const quint16 port = quint16(m_embedded->consoleUrl().port(1105));
        if (!confirmServeLan(this, port)) {
            const QSignalBlocker blocker(m_lanAction);
            m_lanAction->setChecked(false);
            return;
        }
    }
    m_embedded->setServeLan(on);
}

// --- other servers ---

void MainWindow::rebuildServerMenu()
{
    m_serverSwitchMenu->clear();
    auto *group = new QActionGroup(m_serverSwitchMenu);
    if (m_embedded) {
        QAction *embedded =
            m_serverSwitchMenu->addAction(Icons::themed(QStringLiteral("server")), tr("Embedded server"));
        embedded->setCheckable(true);
        embedded->setChecked(showsEmbedded() || !m_client);
        group->addAction(embedded);
        connect(embedded, &QAction::triggered, this, &MainWindow::connectToEmbedded);
    }
    const QList<KnownServer> known = ServerBook::load();
    if (!known.isEmpty())
        m_serverSwitchMenu->addSection(tr("Remembered servers"));
    for (const KnownServer &server : known) {
        QAction *a = m_serverSwitchMenu->addAction(QStringLiteral("%1  (%2)").arg(server.url, server.email));
        a->setCheckable(true);
        a->setChecked(!showsEmbedded() && m_client && m_client->displayUrl() == server.url);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, server] { connectToKnown(server.url, server.email); });
    }
    m_serverSwitchMenu->addSeparator();
    m_serverSwitchMenu->addAction(m_connectAction);
}

void MainWindow::connectToServer()
{
    if (!confirmDiscardUnsaved(tr("Switch servers")))
        return;
    ConnectDialog dialog(m_secrets, this);
    if (dialog.exec() == QDialog::Accepted && dialog.client())
        useRemoteClient(dialog.client());
}

void MainWindow::connectToKnown(const QString &url, const QString &email)
{
    if (!confirmDiscardUnsaved(tr("Switch servers")))
        return;
    const KnownServer server{url, email};
    m_secrets->read(
        ServerBook::passwordKey(server),
        [this, server](bool found, const QString &password) {
            if (!found) {
                ConnectDialog dialog(m_secrets, this);
                dialog.setServer(server.url, server.email);
                if (dialog.exec() == QDialog::Accepted && dialog.client())
                    useRemoteClient(dialog.client());
                return;
            }
            auto *client = new ApiClient(QUrl(server.url), this);
            client->signIn(
                server.email, password,
                [this, client, server](const ApiResult &result) {
                    if (result.ok()) {
                        ServerBook::remember(server);
                        useRemoteClient(client);
                        return;
                    }
                    client->deleteLater();
                    m_messageBar->showMessage(
                        tr("Could not sign in to %1: %2").arg(server.url, result.failure().message),
                        MessageBar::Error);
                    m_messageBar->setAction(tr("Sign In…"), [this, server] {
                        ConnectDialog dialog(m_secrets, this);
                        dialog.setServer(server.url, server.email);
                        if (dialog.exec() == QDialog::Accepted && dialog.client())
                            useRemoteClient(dialog.client());
                    });
                },
                this);
        },
        this);
}

void MainWindow::useRemoteClient(ApiClient *client)
{
    client->setParent(this);
    ApiClient *previous = m_remoteClient;
    m_remoteClient = client;
    m_messageBar->dismiss();
    setClient(client);
    if (previous && previous != client)
        previous->deleteLater();
}

void MainWindow::signOut()
{
    ApiClient *client = m_client;
    if (!client || !client->isSignedIn() || !confirmDiscardUnsaved(tr("Sign out")))
        return;
    const bool embedded = showsEmbedded();
    const QString where = embedded ? tr("the embedded server") : client->displayUrl();
    client->signOut({}, this);
    setClient(nullptr);
    m_messageBar->showMessage(tr("Signed out of %1.").arg(where), MessageBar::Info);
    m_messageBar->setAction(tr("Sign In…"), [this, embedded, client] {
        if (embedded) {
            signInEmbedded();
            return;
        }
        ConnectDialog dialog(m_secrets, this);
        dialog.setServer(client ? client->displayUrl() : QString(), client ? client->email() : QString());
        if (dialog.exec() == QDialog::Accepted && dialog.client())
            useRemoteClient(dialog.client());
    });
}

void MainWindow::sessionEnded(const ApiFailure &why)
{
    m_messageBar->showMessage(why.message, MessageBar::Warning);
    if (showsEmbedded()) {
        m_messageBar->setAction(tr("Sign In Again"), [this] { signInEmbedded(); });
        return;
    }
    const QPointer<ApiClient> client = m_client;
    m_messageBar->setAction(tr("Sign In…"), [this, client] {
        ConnectDialog dialog(m_secrets, this);
        if (client)
            dialog.setServer(client->displayUrl(), client->email());
        if (dialog.exec() == QDialog::Accepted && dialog.client())
            useRemoteClient(dialog.client());
    });
}

void MainWindow::showKeychainNotice(const QString &reason)
{
    if (m_keychainNoticeShown)
        return;
    m_keychainNoticeShown = true;
    m_messageBar->showMessage(
        tr("No desktop keychain is available, so the console keeps its admin password in %1 and the server's "
           "signing key in the data folder's secret.key, both readable only by you.")
            .arg(QDir::toNativeSeparators(m_secrets->fallbackFile())),
        MessageBar::Warning, tr("The keychain said: %1").arg(reason));
}

// --- window events ---

bool MainWindow::confirmDiscardUnsaved(const QString &action)
{
    QStringList unsaved;
    for (const Page *page : std::as_const(m_pages))
        for (const QString &what : page->unsavedChanges())
            unsaved << tr("%1 (%2)").arg(what, page->title());
    if (unsaved.isEmpty())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                    tr("Some changes are not saved yet. %1 anyway and lose them?").arg(action),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("confirmDiscardUnsaved"));
    box.setInformativeText(QStringLiteral("• ") + unsaved.join(QStringLiteral("\n• ")));
    QPushButton *discard =
        box.addButton(tr("Discard and %1").arg(action.toLower()), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == discard;
}

void MainWindow::quit()
{
    if (!confirmDiscardUnsaved(tr("Quit")))
        return;
    m_quitting = true;
    saveWindowState();
    if (m_tray)
        m_tray->hide();
    QCoreApplication::quit();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    const bool serving = m_embedded && m_embedded->state() == ServerControl::State::Running;
    if (!m_quitting && serving && m_tray && m_tray->isVisible() &&
        ConsoleSettings::instance().keepServingInTray()) {
        // The server keeps answering; the tray icon brings the window back or quits.
        hide();
        event->ignore();
        if (!m_trayNoticeShown) {
            m_trayNoticeShown = true;
            const QList<QUrl> urls = m_embedded->urls();
            m_tray->showMessage(tr("Hearth keeps serving"),
                                tr("The server still answers at %1. Quit from this icon's menu.")
                                    .arg(urls.isEmpty() ? QString() : urls.first().toString()),
                                Icons::app(), 6000);
        }
        return;
    }
    if (!m_quitting && !confirmDiscardUnsaved(tr("Close"))) {
        event->ignore();
        return;
    }
    event->accept();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    // A new application palette reaches the window as PaletteChange. applyStyle() only restyles
    // children, so it causes no further PaletteChange here.
    if ((event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) &&
        m_sidebar && !m_restyling) {
        m_restyling = true;
        applyStyle();
        m_restyling = false;
    }
}

} // namespace Hearth
