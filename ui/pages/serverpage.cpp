#include "pages/serverpage.h"

#include "pages/server/requestlogpanel.h"
#include "pages/server/runtimepanel.h"
#include "shell/icons.h"
#include "shell/lanaddresses.h"
#include "shell/theme.h"
#include "widgets/jsontablemodel.h"
#include "widgets/rowlist.h"

#include <QDesktopServices>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace Hearth {

namespace {

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setOpenExternalLinks(true);
    label->setWordWrap(true);
    return label;
}

// {"workers":2,"latency":{"p50":1}} → rows {name:"latency.p50", value:1}.
void flatten(const QJsonObject &object, const QString &prefix, QJsonArray *rows)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString name = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject())
            flatten(it.value().toObject(), name, rows);
        else if (it.value().isArray() && it.value().toArray().first().isObject())
            // A series (one entry per second…) is for a chart; here its length says enough.
            rows->append(QJsonObject{{QStringLiteral("name"), name},
                                     {QStringLiteral("value"),
                                      QObject::tr("%n entries", nullptr, int(it.value().toArray().size()))}});
        else
            rows->append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), it.value()}});
    }
}

QString stateText(ServerControl::State state)
{
    switch (state) {
    case ServerControl::State::Stopped:
        return QObject::tr("Stopped");
    case ServerControl::State::Starting:
        return QObject::tr("Starting…");
    case ServerControl::State::Running:
        return QObject::tr("Running");
    case ServerControl::State::Stopping:
        return QObject::tr("Stopping…");
    case ServerControl::State::Failed:
        return QObject::tr("Could not start");
    }
    return {};
}

} // namespace

ServerPage::ServerPage(QWidget *parent)
    : Page(parent), m_state(valueLabel(this)), m_urls(valueLabel(this)), m_dataDir(valueLabel(this)),
      m_version(valueLabel(this)), m_account(valueLabel(this)), m_start(new QPushButton(tr("Start"), this)),
      m_stop(new QPushButton(tr("Stop"), this)), m_restart(new QPushButton(tr("Restart"), this)),
      m_lan(new QPushButton(tr("Serve the LAN"), this)), m_runtimeNote(new QLabel(this)),
      m_runtimePanel(new RuntimePanel(this)), m_log(new RequestLogPanel(this)),
      m_runtimeView(new QTableView(this)), m_runtime(new JsonTableModel(this)), m_poll(new QTimer(this))
{
    setSubtitle(tr("The server this console manages: where it answers and how it is doing."));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);

    // Two columns of facts, so the live figures below get the height.
    auto *facts = new QGroupBox(tr("Server"), content);
    auto *factsLayout = new QVBoxLayout(facts);
    factsLayout->setSpacing(8);
    auto *columns = new QHBoxLayout;
    columns->setSpacing(32);
    auto *where = new QFormLayout;
    auto *who = new QFormLayout;
    for (QFormLayout *form : {where, who}) {
        form->setLabelAlignment(Qt::AlignRight);
        form->setHorizontalSpacing(16);
        form->setVerticalSpacing(8);
        columns->addLayout(form, 1);
    }
    where->addRow(tr("State:"), m_state);
    where->addRow(tr("Addresses:"), m_urls);
    where->addRow(tr("Data folder:"), m_dataDir);
    who->addRow(tr("Version:"), m_version);
    who->addRow(tr("Signed in as:"), m_account);
    factsLayout->addLayout(columns);
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(8);
    paletteChanged();
    m_lan->setCheckable(true);
    m_lan->setToolTip(tr("Listen on every interface, so other devices on your network can use this server"));
    for (QPushButton *b : {m_start, m_stop, m_restart, m_lan})
        buttons->addWidget(b);
    buttons->addStretch(1);
    factsLayout->addLayout(buttons);
    layout->addWidget(facts);

    connect(m_start, &QPushButton::clicked, this, [this] {
        if (serverControl())
            serverControl()->start();
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (serverControl())
            serverControl()->stop();
    });
    connect(m_restart, &QPushButton::clicked, this, [this] {
        if (serverControl())
            serverControl()->restart();
    });
    connect(m_lan, &QPushButton::clicked, this, [this](bool checked) {
        ServerControl *control = serverControl();
        if (!control)
            return;
        const quint16 port = control->consoleUrl().port(1105);
        if (checked && !confirmServeLan(this, port)) {
            m_lan->setChecked(false);
            return;
        }
        control->setServeLan(checked);
    });

    // Below the facts, resizable: the load (cards and chart) over the requests and all figures.
    auto *splitter = new QSplitter(Qt::Vertical, content);
    splitter->setObjectName(QStringLiteral("serverSplitter"));
    splitter->setChildrenCollapsible(false);
    auto *load = new QGroupBox(tr("Load"), splitter);
    auto *loadLayout = new QVBoxLayout(load);
    m_runtimeNote->setObjectName(QStringLiteral("runtimeNote"));
    m_runtimeNote->setWordWrap(true);
    m_runtimeNote->hide();
    loadLayout->addWidget(m_runtimeNote);
    m_runtimePanel->setObjectName(QStringLiteral("runtimePanel"));
    loadLayout->addWidget(m_runtimePanel, 1);
    splitter->addWidget(load);

    auto *tabs = new QTabWidget(splitter);
    tabs->setObjectName(QStringLiteral("serverTabs"));
    tabs->setDocumentMode(true);
    m_log->setObjectName(QStringLiteral("requestLog"));
    tabs->addTab(m_log, tr("Recent requests"));
    m_runtime->setColumns({{QStringLiteral("name"), tr("Figure")}, {QStringLiteral("value"), tr("Value")}});
    m_runtimeView->setObjectName(QStringLiteral("runtimeTable"));
    m_runtimeView->setModel(m_runtime);
    setUpRowList(m_runtimeView);
    m_runtimeView->horizontalHeader()->setStretchLastSection(true);
    tabs->addTab(m_runtimeView, tr("All figures"));
    splitter->addWidget(tabs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    setContentWidget(content);

    connect(m_log, &RequestLogPanel::failed, this, [this](const ApiFailure &failure) {
        if (m_logFailing) // said once, not every second
            return;
        m_logFailing = true;
        if (failure.httpStatus == 404)
            showMessage(tr("This server does not list its recent requests (no /admin/requests)."));
        else
            showError(failure, tr("Could not read the recent requests"));
    });
    connect(m_log, &RequestLogPanel::polled, this, [this] {
        if (m_logFailing && messageBar()->isShowing())
            clearMessage();
        m_logFailing = false;
    });

    m_poll->setInterval(1000); // the series has one point per second
    connect(m_poll, &QTimer::timeout, this, &ServerPage::poll);
    updateControls();
}

void ServerPage::paletteChanged()
{
    m_start->setIcon(Icons::themed(QStringLiteral("start")));
    m_stop->setIcon(Icons::themed(QStringLiteral("stop")));
    m_restart->setIcon(Icons::themed(QStringLiteral("restart")));
    m_lan->setIcon(Icons::themed(QStringLiteral("lan")));
    // Links keep the color they were laid out with: setting the same text again would be a no-op.
    m_urls->clear();
    m_dataDir->clear();
    updateControls(); // the state dot's color, the links
}

void ServerPage::activate()
{
    const bool refreshes = client() && !hasLoaded(); // refresh() polls as well
    Page::activate();
    updateControls();
    if (!refreshes)
        poll();
    m_poll->start();
}

void ServerPage::deactivate()
{
    Page::deactivate();
    m_poll->stop();
}

void ServerPage::serverControlChanged()
{
    disconnect(m_stateConnection);
    if (serverControl())
        m_stateConnection =
            connect(serverControl(), &ServerControl::stateChanged, this, [this] { updateControls(); });
    updateControls();
}

void ServerPage::reset()
{
    m_version->clear();
    m_account->clear();
    m_runtime->clear();
    m_runtimePanel->clear();
    m_log->setClient(client());
    m_log->clear();
    m_logFailing = false;
    m_runtimeWaiting = false;
    updateControls();
}

void ServerPage::focusFilter()
{
    m_log->focusFilter();
}

void ServerPage::poll()
{
    if (!client())
        return;
    pollRuntime();
    m_log->poll();
}

void ServerPage::refresh()
{
    updateControls();
    if (!client())
        return;
    load(QStringLiteral("/"), [this](const ApiResult &result) {
        const QJsonObject info = result.first();
        m_version->setText(
            QStringLiteral("%1 %2").arg(info.value(u"name").toString(), info.value(u"version").toString()));
    });
    m_account->setText(client()->isSignedIn() ? client()->email() : tr("Not signed in"));
    poll();
}

void ServerPage::pollRuntime()
{
    if (m_runtimeWaiting) // a slow server gets one question at a time
        return;
    m_runtimeWaiting = true;
    // A Background call: a poll every second leaves the busy indicator still.
    client()->get(
        QStringLiteral("/admin/runtime"),
        [this, c = client()](const ApiResult &result) {
            if (c != client())
                return;
            m_runtimeWaiting = false;
            if (!result.ok()) {
                m_runtimePanel->hide();
                m_runtimeNote->setText(
                    result.failure().httpStatus == 404
                        ? tr("This server does not report runtime figures (no /admin/runtime).")
                        : result.failure().message);
                m_runtimeNote->show();
                return;
            }
            const QJsonObject runtime = result.data().isEmpty() ? result.json() : result.first();
            m_runtimePanel->setRuntime(runtime);
            m_runtimePanel->show();
            m_runtimeNote->hide();
            QJsonArray rows;
            flatten(runtime, QString(), &rows);
            m_runtime->setRows(rows);
            m_runtimeView->resizeColumnToContents(0);
            m_runtimeView->setColumnWidth(0, m_runtimeView->columnWidth(0) + 24);
        },
        this, ApiClient::Background);
}

void ServerPage::updateControls()
{
    ServerControl *control = serverControl();
    for (QPushButton *b : {m_start, m_stop, m_restart, m_lan})
        b->setVisible(control != nullptr);
    if (!control) {
        m_state->setText(client() ? tr("Remote server") : tr("Not connected"));
        m_urls->setText(client() ? QStringLiteral("<a href=\"%1\">%1</a>").arg(client()->displayUrl())
                                 : QString());
        m_dataDir->setText(tr("On the server's machine"));
        return;
    }
    const ServerControl::State state = control->state();
    QString text = stateText(state);
    if (state == ServerControl::State::Failed && !control->lastError().isEmpty())
        text += QStringLiteral(": ") + control->lastError();
    const QColor color = state == ServerControl::State::Running  ? Theme::positive()
                         : state == ServerControl::State::Failed ? Theme::negative()
                                                                 : Theme::muted();
    m_state->setText(
        QStringLiteral("<span style=\"color:%1\">●</span> %2").arg(color.name(), text.toHtmlEscaped()));
    QStringList links;
    for (const QUrl &url : control->urls())
        links << QStringLiteral("<a href=\"%1\">%1</a>").arg(url.toString());
    m_urls->setText(links.isEmpty() ? tr("None while stopped") : links.join(QStringLiteral("<br>")));
    const QString folder = QDir::toNativeSeparators(control->dataDir());
    m_dataDir->setText(QStringLiteral("<a href=\"%1\">%2</a>")
                           .arg(QUrl::fromLocalFile(control->dataDir()).toString(), folder.toHtmlEscaped()));
    const bool running = state == ServerControl::State::Running;
    const bool busy = state == ServerControl::State::Starting || state == ServerControl::State::Stopping;
    m_start->setEnabled(!running && !busy);
    m_stop->setEnabled(running);
    m_restart->setEnabled(running);
    m_lan->setEnabled(!busy);
    m_lan->setChecked(control->servesLan());
}

} // namespace Hearth
