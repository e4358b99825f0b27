// The console's shell against a real in-process server, offscreen: the API
// client (sign-in, envelopes, failures in plain words, busy count, token
// refresh), the main window (sidebar, pages, message bar, status bar), the
// embedded server's sign-in through ServerControl, and the secret store's
// 0600 file fallback.
#include "consoletestbed.h"

#include "client/apiclient.h"
#include "pages/recordlistpage.h"
#include "pages/tablespage.h"
#include "pages/userspage.h"
#include "secrets/secretstore.h"
#include "shell/mainwindow.h"
#include "shell/page.h"
#include "shell/servercontrol.h"
#include "shell/theme.h"
#include "widgets/jsontablemodel.h"
#include "widgets/messagebar.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace Hearth;

namespace {

// A ServerControl that reports what the test says: the window's embedded-server paths without the app.
class FakeServerControl : public ServerControl
{
public:
    State m_state = State::Stopped;
    QList<QUrl> m_urls;
    Credentials m_credentials;
    Credentials m_remembered;
    bool m_lan = false;
    qint64 m_total = 0;

    State state() const override { return m_state; }
    QString lastError() const override
    {
        return m_state == State::Failed ? QStringLiteral("port in use") : QString();
    }
    QList<QUrl> urls() const override { return m_state == State::Running ? m_urls : QList<QUrl>(); }
    QUrl consoleUrl() const override { return m_urls.value(0); }
    bool servesLan() const override { return m_lan; }
    QString dataDir() const override { return QStringLiteral("/tmp/hearth-fake"); }
    qint64 totalRequests() const override { return m_total; }
    Credentials credentials() const override { return m_credentials; }
    void rememberCredentials(const Credentials &credentials) override { m_remembered = credentials; }

    void start() override { setState(State::Running); }
    void stop() override { setState(State::Stopped); }
    void restart() override { setState(State::Running); }
    void setServeLan(bool lan) override { m_lan = lan; }

    void setState(State state)
    {
        m_state = state;
        emit stateChanged(state);
    }
};

} // namespace

class TestShell : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;

    QUrl serverUrl() const { return m_bed.serverUrl(); }
    std::unique_ptr<ApiClient> signedInClient() const { return m_bed.signedInClient(); }
    bool setSetting(const QString &key, const QJsonValue &value) const
    {
        return m_bed.setSetting(key, value);
    }
    static bool modelHas(const JsonTableModel *m, const QString &k, const QString &v)
    {
        return ConsoleTestBed::modelHas(m, k, v);
    }
    static QString text(QWidget *root, const char *name) { return ConsoleTestBed::labelText(root, name); }

private slots:
    void initTestCase() { QVERIFY(m_bed.start()); }

    void queryStringEncodesJson()
    {
        const QString query = ApiClient::queryString(
            {.filter = {{QStringLiteral("title"),
                         QJsonObject{{QStringLiteral("_contains"), QStringLiteral("a&b é")}}}},
             .fields = QStringLiteral("id,title,author.name"),
             .sort = QStringLiteral("-createdAt"),
             .limit = 0,
             .page = 2,
             .meta = QStringLiteral("totalCount,filterCount")});
        QCOMPARE(query,
                 QStringLiteral("?filter=%7B%22title%22%3A%7B%22_contains%22%3A%22a%26b%20%C3%A9%22%7D%7D"
                                "&fields=id,title,author.name&sort=-createdAt&limit=0&page=2"
                                "&meta=totalCount,filterCount"));
        QCOMPARE(ApiClient::queryString({}), QString());
    }

    void listsShowTimestampsInLocalTime()
    {
        const QString stored = QStringLiteral("2026-11-22T02:28:40.453Z");
        const QString local =
            QLocale::c().toString(QDateTime::fromString(stored, Qt::ISODateWithMs).toLocalTime(),
                                  QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        QCOMPARE(JsonTableModel::displayText(stored), local);
        // Other text, and dates without a time, stay as they are.
        QCOMPARE(JsonTableModel::displayText(QStringLiteral("2026-11-22")), QStringLiteral("2026-11-22"));
        QCOMPARE(JsonTableModel::displayText(QStringLiteral("Tuesday at noonZ")),
                 QStringLiteral("Tuesday at noonZ"));
    }

    void signInAndEnvelope()
    {
        auto client = signedInClient();
        QVERIFY(client->isSignedIn());
        QCOMPARE(client->email(), HearthTestServer::adminEmail());
        QVERIFY(client->accessTokenExpiry() > QDateTime::currentMSecsSinceEpoch());

        std::optional<ApiResult> answer;
        client->get(
            QStringLiteral("/hearth_table") +
                ApiClient::queryString(
                    {.fields = QStringLiteral("id,name"), .limit = 0, .meta = QStringLiteral("totalCount")}),
            [&](const ApiResult &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QVERIFY2(answer->ok(), qPrintable(answer->failure().message));
        QCOMPARE(answer->httpStatus(), 200);
        QVERIFY(!answer->data().isEmpty());
        QVERIFY(answer->meta().value(u"totalCount").toInt() >= answer->data().size());
        QVERIFY(answer->first().contains(u"name"));
    }

    void wrongPasswordIsPlainWords()
    {
        ApiClient client(serverUrl());
        std::optional<ApiResult> answer;
        client.signIn(HearthTestServer::adminEmail(), QStringLiteral("not-the-password"),
                      [&](const ApiResult &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QVERIFY(!answer->ok());
        QCOMPARE(answer->failure().httpStatus, 400);
        QCOMPARE(answer->failure().message, QStringLiteral("Invalid email or password"));
        QVERIFY(!client.isSignedIn());
    }

    void validationMessagesAreJoined()
    {
        auto client = signedInClient();
        std::optional<ApiResult> answer;
        client->post(QStringLiteral("/auth/login"), QJsonObject{}, [&](const ApiResult &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QVERIFY(!answer->ok());
        QCOMPARE(answer->failure().code, QStringLiteral("VALIDATION_ERROR"));
        QCOMPARE(answer->failure().message, QStringLiteral("email is required; password is required"));
    }

    void unreachableServerIsPlainWords()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closedPort = probe.serverPort();
        probe.close();
        ApiClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort)));
        QSignalSpy reachable(&client, &ApiClient::reachableChanged);
        std::optional<ApiResult> answer;
        client.get(QStringLiteral("/"), [&](const ApiResult &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QVERIFY(!answer->ok());
        QVERIFY(answer->failure().isNetworkError());
        QCOMPARE(answer->failure().message,
                 QStringLiteral("Cannot reach http://127.0.0.1:%1: connection refused").arg(closedPort));
        QCOMPARE(reachable.count(), 1);
        QCOMPARE(reachable.at(0).at(0).toBool(), false);
    }

    void busyCountGoesUpAndBackToZero()
    {
        auto client = signedInClient();
        QSignalSpy busy(client.get(), &ApiClient::busyChanged);
        int answers = 0;
        for (int i = 0; i < 3; ++i)
            client->get(QStringLiteral("/hearth_table"), [&](const ApiResult &) { ++answers; });
        QCOMPARE(client->busyCount(), 3);
        QTRY_COMPARE(answers, 3);
        QCOMPARE(client->busyCount(), 0);
        QCOMPARE(busy.first().at(0).toInt(), 1);
        QCOMPARE(busy.last().at(0).toInt(), 0);
        // Background calls (polling) are not the user's wait.
        busy.clear();
        bool done = false;
        client->get(
            QStringLiteral("/"), [&](const ApiResult &) { done = true; }, nullptr, ApiClient::Background);
        QCOMPARE(client->busyCount(), 0);
        QTRY_VERIFY(done);
        QCOMPARE(busy.count(), 0);
    }

    void callbackDroppedWithItsContext()
    {
        auto client = signedInClient();
        bool called = false;
        auto *context = new QObject;
        client->get(
            QStringLiteral("/hearth_table"), [&](const ApiResult &) { called = true; }, context);
        delete context;
        QTRY_COMPARE(client->busyCount(), 0);
        QVERIFY(!called);
    }

    void expiredTokenIsRefreshedOnce()
    {
        QVERIFY(setSetting(QStringLiteral("accessTokenTtl"), QStringLiteral("1s")));
        auto restore =
            qScopeGuard([&] { setSetting(QStringLiteral("accessTokenTtl"), QStringLiteral("15m")); });
        auto client = signedInClient();
        const QByteArray firstToken = client->accessToken();
        const QByteArray firstRefresh = client->refreshToken();
        QVERIFY(!firstToken.isEmpty());
        // Until the token's expiry (whole seconds) has passed.
        const qint64 expiry = client->accessTokenExpiry();
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() > expiry + 50, 5000);

        QSignalSpy refreshed(client.get(), &ApiClient::tokensRefreshed);
        QSignalSpy ended(client.get(), &ApiClient::sessionEnded);
        std::optional<ApiResult> me;
        client->get(QStringLiteral("/me"), [&](const ApiResult &r) { me = r; });
        QTRY_VERIFY(me.has_value());
        QVERIFY2(me->ok(), qPrintable(me->failure().message));
        QCOMPARE(me->first().value(u"email").toString(), HearthTestServer::adminEmail());
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(ended.count(), 0);
        QVERIFY(client->accessToken() != firstToken);
        QVERIFY(client->refreshToken() != firstRefresh);
        QCOMPARE(client->busyCount(), 0);
    }

    void refusedRefreshEndsTheSession()
    {
        QVERIFY(setSetting(QStringLiteral("accessTokenTtl"), QStringLiteral("1s")));
        auto restore =
            qScopeGuard([&] { setSetting(QStringLiteral("accessTokenTtl"), QStringLiteral("15m")); });
        auto client = signedInClient();
        // Another holder of the same refresh token spends it first.
        const HttpReply spent = m_bed.admin().post(
            "/auth/refresh-token",
            QJsonObject{{QStringLiteral("refreshToken"), QString::fromLatin1(client->refreshToken())}});
        QCOMPARE(spent.status, 200);
        const qint64 expiry = client->accessTokenExpiry();
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() > expiry + 50, 5000);

        QSignalSpy ended(client.get(), &ApiClient::sessionEnded);
        std::optional<ApiResult> me;
        client->get(QStringLiteral("/me"), [&](const ApiResult &r) { me = r; });
        QTRY_VERIFY(me.has_value());
        QVERIFY(!me->ok());
        QCOMPARE(me->failure().code, QStringLiteral("SESSION_ENDED"));
        QVERIFY2(me->failure().message.contains(QStringLiteral("Sign in again")),
                 qPrintable(me->failure().message));
        QCOMPARE(ended.count(), 1);
        QVERIFY(!client->isSignedIn());
        QCOMPARE(client->busyCount(), 0);
    }

    void sidebarSwitchesPages()
    {
        auto client = signedInClient();
        MainWindow window;
        window.setClient(client.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QListWidget *sidebar = window.sidebar();
        auto *stack = window.findChild<QStackedWidget *>();
        QVERIFY(stack);
        QCOMPARE(sidebar->count(), 8);
        const QStringList titles{QStringLiteral("Tables"),         QStringLiteral("Data"),
                                 QStringLiteral("Routes & Hooks"), QStringLiteral("Permissions"),
                                 QStringLiteral("Users"),          QStringLiteral("Cache"),
                                 QStringLiteral("Server"),         QStringLiteral("Settings")};
        for (int i = 0; i < titles.size(); ++i) {
            QCOMPARE(sidebar->item(i)->text(), titles.at(i));
            QVERIFY(!sidebar->item(i)->icon().isNull());
        }
        window.showPage(QStringLiteral("users"));
        QCOMPARE(window.currentPageId(), QStringLiteral("users"));
        QCOMPARE(stack->currentWidget(), window.page(QStringLiteral("users")));
        QVERIFY(window.page(QStringLiteral("users"))->isActive());

        // The keyboard moves through the sidebar.
        sidebar->setFocus();
        QTest::keyClick(sidebar, Qt::Key_Down);
        QCOMPARE(window.currentPageId(), QStringLiteral("cache"));
        QCOMPARE(stack->currentWidget(), window.page(QStringLiteral("cache")));
        QVERIFY(!window.page(QStringLiteral("users"))->isActive());
        QTest::keyClick(sidebar, Qt::Key_Home);
        QCOMPARE(window.currentPageId(), QStringLiteral("tables"));
        // Ctrl+2 goes to the second page.
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.currentPageId(), QStringLiteral("data"));

        // The Users page lists the server's users.
        window.showPage(QStringLiteral("users"));
        auto *users = qobject_cast<UsersPage *>(window.page(QStringLiteral("users")));
        QVERIFY(users);
        QTRY_VERIFY(modelHas(users->model(), QStringLiteral("email"), HearthTestServer::adminEmail()));
    }

    void tablesPageListsACreatedTable()
    {
        const HttpReply created = m_bed.admin().post(
            "/hearth_table",
            QJsonObject{{QStringLiteral("name"), QStringLiteral("ui_books")},
                        {QStringLiteral("description"), QStringLiteral("Books on the shelf")},
                        {QStringLiteral("columns"),
                         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("title")},
                                                {QStringLiteral("type"), QStringLiteral("varchar")}}}}});
        QVERIFY2(created.status == 201, qPrintable(created.describe()));

        auto client = signedInClient();
        MainWindow window;
        window.setClient(client.get());
        window.show();
        window.showPage(QStringLiteral("tables"));
        auto *tables = qobject_cast<TablesPage *>(window.page(QStringLiteral("tables")));
        QVERIFY(tables);
        QTRY_VERIFY(modelHas(tables->model(), QStringLiteral("name"), QStringLiteral("ui_books")));
        QVERIFY(
            modelHas(tables->model(), QStringLiteral("description"), QStringLiteral("Books on the shelf")));
        // System tables only on demand.
        QVERIFY(!modelHas(tables->model(), QStringLiteral("name"), QStringLiteral("hearth_user")));
        tables->findChild<QCheckBox *>(QStringLiteral("showSystemRows"))->setChecked(true);
        QVERIFY(modelHas(tables->model(), QStringLiteral("name"), QStringLiteral("hearth_user")));
        QVERIFY(!tables->messageBar()->isShowing());

        // A table made while the page is shown appears on refresh (F5).
        QCOMPARE(
            m_bed.admin()
                .post("/hearth_table", QJsonObject{{QStringLiteral("name"), QStringLiteral("ui_shelves")}})
                .status,
            201);
        QTest::keyClick(&window, Qt::Key_F5);
        QTRY_VERIFY(modelHas(tables->model(), QStringLiteral("name"), QStringLiteral("ui_shelves")));

        // Ctrl+F puts the cursor in the filter, which narrows the rows.
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(tables->filterEdit()->hasFocus());
        QTest::keyClicks(tables->filterEdit(), QStringLiteral("shelves"));
        QCOMPARE(tables->view()->model()->rowCount(), 1);
    }

    void serverErrorShowsInTheMessageBar()
    {
        auto client = signedInClient();
        RecordListPage page;
        page.setSource(QStringLiteral("/no_such_table"));
        page.setErrorContext(QStringLiteral("Could not load the rows"));
        page.setClient(client.get());
        page.activate();
        QTRY_VERIFY(page.messageBar()->isShowing());
        QCOMPARE(page.messageBar()->kind(), MessageBar::Error);
        QCOMPARE(page.messageBar()->text(),
                 QStringLiteral("Could not load the rows: Cannot GET /no_such_table"));
        QVERIFY(page.messageBar()->toolTip().contains(QStringLiteral("HTTP 404 NOT_FOUND")));
        // Loading something that exists clears the error.
        page.setSource(QStringLiteral("/hearth_role"));
        page.refresh();
        QTRY_VERIFY(!page.messageBar()->isShowing());
    }

    void statusBarShowsTheServer()
    {
        auto client = signedInClient();
        MainWindow window;
        window.setClient(client.get());
        window.show();
        QVERIFY(text(&window, "serverUrls").contains(serverUrl().toString()));
        QVERIFY(text(&window, "serverState").contains(QStringLiteral("Running")));
        QCOMPARE(text(&window, "signedInAs"), HearthTestServer::adminEmail());
        QVERIFY(window.windowTitle().contains(QStringLiteral("127.0.0.1:%1").arg(m_bed.server().port())));
        // Requests/s: "—" while the server has no /admin/runtime.
        QTRY_VERIFY(text(&window, "requestRate").contains(QStringLiteral("req/s")));
    }

    void embeddedServerSignsInByItself()
    {
        FakeServerControl embedded;
        embedded.m_urls = {serverUrl(),
                           QUrl(QStringLiteral("http://192.0.2.10:%1").arg(m_bed.server().port()))};
        embedded.m_credentials = {HearthTestServer::adminEmail(), HearthTestServer::adminPassword()};
        MainWindow window(&embedded);
        window.show();
        QVERIFY(text(&window, "serverState").contains(QStringLiteral("Stopped")));
        embedded.setState(ServerControl::State::Running);
        QTRY_VERIFY(window.client() && window.client()->isSignedIn());
        QVERIFY(window.showsEmbedded());
        QVERIFY(text(&window, "serverState").contains(QStringLiteral("Running")));
        QVERIFY(text(&window, "serverUrls").contains(serverUrl().toString()));
        QVERIFY(text(&window, "serverUrls").contains(QStringLiteral("LAN")));
        QVERIFY(text(&window, "serverUrls").contains(QStringLiteral("192.0.2.10")));
        QVERIFY(window.page(QStringLiteral("server"))->serverControl() == &embedded);
        QVERIFY(window.windowTitle().contains(QStringLiteral("Embedded server")));

        embedded.setState(ServerControl::State::Failed);
        QVERIFY(window.messageBar()->isShowing());
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("could not start: port in use")));
    }

    void embeddedServerWithoutPasswordAsksToSignIn()
    {
        FakeServerControl embedded;
        embedded.m_urls = {serverUrl()};
        embedded.m_credentials = {HearthTestServer::adminEmail(), QString()};
        embedded.m_state = ServerControl::State::Running;
        MainWindow window(&embedded);
        QVERIFY(window.messageBar()->isShowing());
        QCOMPARE(window.messageBar()->kind(), MessageBar::Warning);
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("Sign in once")));
        QVERIFY(!window.client());
    }

    void colorSchemeSwitchesLive()
    {
        auto client = signedInClient();
        MainWindow window;
        window.setClient(client.get());
        window.show();
        Theme::apply(Theme::ColorScheme::Dark);
        QVERIFY(Theme::isDark());
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() < 100);
        window.showPage(QStringLiteral("tables"));
        QTRY_VERIFY(window.page(QStringLiteral("tables"))->palette().color(QPalette::Base).lightness() < 100);
        Theme::apply(Theme::ColorScheme::Light);
        QVERIFY(!Theme::isDark());
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() > 200);
        QCOMPARE(Theme::toString(Theme::fromString(QStringLiteral("dark"))), QStringLiteral("dark"));
        QVERIFY(Theme::fromString(QStringLiteral("anything")) == Theme::ColorScheme::System);
    }

    void secretStoreFallbackFileIsPrivate()
    {
        const QString file = m_bed.homePath(QStringLiteral("secrets/secrets.json"));
        SecretStore store(QStringLiteral("HearthTest"), file);
        QSignalSpy fallback(&store, &SecretStore::fallbackActivated);
        store.setKeychainEnabled(false);
        QVERIFY(store.usingFallback());
        QCOMPARE(fallback.count(), 1);

        std::optional<bool> written;
        store.write(QStringLiteral("a"), QStringLiteral("secret 1"),
                    [&](bool ok, const QString &) { written = ok; });
        QTRY_VERIFY(written.has_value());
        QVERIFY(*written);
        const QFile::Permissions permissions = QFile::permissions(file);
        QVERIFY(permissions.testFlags(QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(
            !(permissions & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther)));

        std::optional<QString> read;
        store.read(QStringLiteral("a"), [&](bool found, const QString &value) {
            read = found ? value : QStringLiteral("<none>");
        });
        QTRY_VERIFY(read.has_value());
        QCOMPARE(*read, QStringLiteral("secret 1"));

        written.reset();
        store.remove(QStringLiteral("a"), [&](bool ok, const QString &) { written = ok; });
        QTRY_VERIFY(written.has_value());
        read.reset();
        store.read(QStringLiteral("a"), [&](bool found, const QString &value) {
            read = found ? value : QStringLiteral("<none>");
        });
        QTRY_VERIFY(read.has_value());
        QCOMPARE(*read, QStringLiteral("<none>"));
    }

    void cleanupTestCase() { m_bed.stop(); }
};

QTEST_MAIN(TestShell)
#include "tst_shell.moc"
