// Makes docs/screenshots: starts the console on a fresh data folder with the
// sample project (sampleproject.json), some live traffic, then shows each page
// and grabs the window. Run it through make-screenshots.sh (under Xvfb).
//
//   hearth-screenshots --out docs/screenshots [--scheme light|dark] [--size 1360x860] [--only data]
#include "embeddedserver.h"
#include "sampleproject.h"

#include "client/apiclient.h"
#include "pages/datapage.h"
#include "pages/permissions/fieldgrid.h"
#include "pages/permissionspage.h"
#include "pages/routespage.h"
#include "pages/settingspage.h"
#include "pages/tablespage.h"
#include "secrets/secretstore.h"
#include "shell/icons.h"
#include "shell/mainwindow.h"
#include "shell/page.h"
#include "shell/theme.h"
#include "widgets/jsontablemodel.h"
#include "widgets/messagebar.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace Hearth;

namespace {

// Runs the event loop until done() or timeoutMs; false on timeout.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

void settle(int ms)
{
    waitFor([] { return false; }, ms);
}

int fail(const QString &why)
{
    std::fprintf(stderr, "hearth-screenshots: %s\n", qPrintable(why));
    return 1;
}

// Picks the first entry of combo whose text contains text.
void choose(QComboBox *combo, const QString &text)
{
    const int i = combo->findText(text, Qt::MatchContains);
    if (i >= 0)
        combo->setCurrentIndex(i);
}

// What a page shows in its screenshot, beyond its defaults (the page has loaded).
void prepare(Page *page)
{
    if (auto *tables = qobject_cast<TablesPage *>(page)) {
        for (int row = 0; row < tables->model()->rowCount(); ++row)
            if (tables->model()->row(row).value(u"name").toString() == u"posts")
                tables->view()->selectRow(row);
    } else if (auto *permissions = qobject_cast<PermissionsPage *>(page)) {
        // The field grid of posts for the reader role: a deny rule beside the baseline.
        permissions->tabs()->setCurrentWidget(permissions->fieldGrid());
        choose(permissions->fieldGrid()->tableCombo(), QStringLiteral("posts"));
        settle(800);
        choose(permissions->fieldGrid()->subjectCombo(), QStringLiteral("reader"));
    } else if (auto *settings = qobject_cast<SettingsPage *>(page)) {
        QAbstractItemModel *rows = settings->serverSettingsView()->model();
        for (int row = 0; row < rows->rowCount(); ++row)
            if (rows->index(row, 0).data().toString() == u"accessTokenTtl")
                settings->serverSettingsView()->selectRow(row);
    } else if (auto *data = qobject_cast<DataPage *>(page)) {
        data->showTable(QStringLiteral("posts"));
    } else if (auto *routes = qobject_cast<RoutesPage *>(page)) {
        // The sample's first pre-hook, run once: its logs and duration in the run panel.
        if (routes->openScript(QStringLiteral("pre:1")))
            routes->run();
    }
}

} // namespace

int main(int argc, char **argv)
{
    // Settings, secrets and data go to a throwaway home: the user's console is never touched.
    QTemporaryDir home(QDir::tempPath() + QStringLiteral("/hearth-sample-XXXXXX"));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(home.filePath(QStringLiteral("data"))));

    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Hearth"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Hearth"));
    QGuiApplication::setWindowIcon(Icons::app());

    QCommandLineParser options;
    options.addHelpOption();
    options.addOption({QStringLiteral("out"), QStringLiteral("Where the PNGs go."), QStringLiteral("dir")});
    options.addOption({QStringLiteral("scheme"), QStringLiteral("light or dark."), QStringLiteral("scheme"),
                       QStringLiteral("light")});
    options.addOption({QStringLiteral("size"), QStringLiteral("Window size WxH."), QStringLiteral("size"),
                       QStringLiteral("1360x860")});
    options.addOption({QStringLiteral("only"), QStringLiteral("Only this page id."), QStringLiteral("id")});
    options.addOption(
        {QStringLiteral("suffix"), QStringLiteral("Added to each file name."), QStringLiteral("text")});
    options.addOption({QStringLiteral("sample"), QStringLiteral("The sample project."),
                       QStringLiteral("file"), QStringLiteral(HEARTH_SAMPLE_PROJECT)});
    options.process(app);
    const QString outDir = options.value(QStringLiteral("out"));
    if (outDir.isEmpty() || !QDir().mkpath(outDir))
        return fail(QStringLiteral("give --out DIR"));
    const QStringList size = options.value(QStringLiteral("size")).split(u'x');

    Theme::captureSystemPalette();
    Theme::apply(options.value(QStringLiteral("scheme")) == u"dark" ? Theme::ColorScheme::Dark
                                                                    : Theme::ColorScheme::Light);

    SecretStore secrets;
    secrets.setKeychainEnabled(false);
    HttpServerConfig config;
    config.port = 0;
    config.logRequests = false;
    EmbeddedServer server(home.filePath(QStringLiteral("project")), config, &secrets);
    MainWindow window(&server, &secrets);
    window.resize(size.value(0).toInt(), size.value(1).toInt());
    window.show();
    server.start();
    if (!waitFor(
            [&] {
                return server.state() == ServerControl::State::Running &&
                       !server.credentials().email.isEmpty();
            },
            30'000))
        return fail(QStringLiteral("the embedded server did not start: %1").arg(server.lastError()));

    ApiClient client(server.consoleUrl());
    bool signedIn = false;
    client.signIn(server.credentials().email, server.credentials().password,
                  [&](const ApiResult &r) { signedIn = r.ok(); });
    if (!waitFor([&] { return signedIn; }, 15'000))
        return fail(QStringLiteral("could not sign in to the embedded server"));

    SampleProject project(&client);
    QString error;
    if (!project.load(options.value(QStringLiteral("sample")), &error))
        return fail(error);
    std::optional<QString> played;
    project.play([&](const QString &e) { played = e; });
    if (!waitFor([&] { return played.has_value(); }, 60'000) || !played->isEmpty())
        return fail(QStringLiteral("sample project: %1").arg(played.value_or(QStringLiteral("timed out"))));

    // Live traffic for the charts and the request log: a few requests every 100 ms.
    QTimer traffic;
    int tick = 0;
    QObject::connect(&traffic, &QTimer::timeout, [&] {
        static const QStringList paths = {QStringLiteral("/posts?limit=20"), QStringLiteral("/stats/news"),
                                          QStringLiteral("/authors?fields=name,posts.title"),
                                          QStringLiteral("/posts?filter=%7B%22kind%22%3A%22guide%22%7D"),
                                          QStringLiteral("/nothing-here")};
        for (int i = 0; i < 1 + tick % 4; ++i)
            client.get(
                paths.at((tick + i) % paths.size()), [](const ApiResult &) {}, &client,
                ApiClient::Background);
        ++tick;
    });
    traffic.start(100);
    settle(6000);

    const QString only = options.value(QStringLiteral("only"));
    const QString suffix = options.value(QStringLiteral("suffix"));
    for (const QString &id : window.pageIds()) {
        if (!only.isEmpty() && id != only)
            continue;
        Page *page = window.page(id);
        window.showPage(id);
        page->refresh();                      // shown before the sample project was played
        settle(id == u"cache" ? 8000 : 1500); // the cache chart fills while shown
        prepare(page);
        settle(2000);
        // The window's own notices (no keychain under Xvfb) are not what the picture is about.
        for (MessageBar *bar : window.findChildren<MessageBar *>())
            if (!page->isAncestorOf(bar))
                bar->dismiss();
        settle(300);
        const QString file = QDir(outDir).filePath(id + suffix + QStringLiteral(".png"));
        if (!window.grab().save(file))
            return fail(QStringLiteral("cannot write %1").arg(file));
        std::printf("%s\n", qPrintable(file));
    }
    traffic.stop();
    window.close();
    server.shutdown();
    return 0;
}
