// The console's embedded server (app/embeddedserver.cpp, compiled into this
// test): first start creates the root admin with a generated password kept in
// the secret store, the console signs in with it, later starts find it again;
// stop, restart, the LAN switch and a port already in use; shutdown.
#include "embeddedserver.h"

#include "client/apiclient.h"
#include "secrets/secretstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace Hearth;

namespace {

HttpServerConfig testConfig(quint16 port = 0)
{
    HttpServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = port;
    config.workerCount = 2;
    config.logRequests = false;
    config.shutdownGraceMs = 2000;
    return config;
}

// Signs in with the server's credentials; the result, or a failure message.
QString signIn(EmbeddedServer &server)
{
    ApiClient client(server.consoleUrl());
    std::optional<ApiResult> answer;
    client.signIn(server.credentials().email, server.credentials().password,
                  [&](const ApiResult &r) { answer = r; });
    QDeadlineTimer deadline(10'000);
    while (!answer && !deadline.hasExpired())
        QTest::qWait(10);
    if (!answer)
        return QStringLiteral("no answer");
    return answer->ok() ? QString() : answer->failure().message;
}

// GET /admin/runtime as the console's admin: the figures the Server view shows.
QJsonObject runtimeOf(EmbeddedServer &server)
{
    ApiClient client(server.consoleUrl());
    std::optional<ApiResult> answer;
    client.signIn(server.credentials().email, server.credentials().password, [&](const ApiResult &r) {
        if (!r.ok())
            answer = r;
        else
            client.get(QStringLiteral("/admin/runtime"), [&](const ApiResult &runtime) { answer = runtime; });
    });
    QDeadlineTimer deadline(10'000);
    while (!answer && !deadline.hasExpired())
        QTest::qWait(10);
    return answer && answer->ok() ? answer->first() : QJsonObject();
}

} // namespace

class TestEmbeddedServer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    QString secretsFile() const { return m_dir.filePath(QStringLiteral("config/secrets.json")); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qunsetenv("HEARTH_ADMIN_EMAIL");
        qunsetenv("HEARTH_ADMIN_PASSWORD");
        qunsetenv("HEARTH_SECRET_KEY");
    }

    void firstStartCreatesTheConsolesAdmin()
    {
        SecretStore secrets(QStringLiteral("HearthTest"), secretsFile());
        secrets.setKeychainEnabled(false); // no Secret Service here: the 0600 file
        EmbeddedServer server(dataDir(), testConfig(), &secrets);
        QSignalSpy states(&server, &ServerControl::stateChanged);
        QCOMPARE(server.state(), ServerControl::State::Stopped);
        server.start();
        QCOMPARE(server.state(), ServerControl::State::Starting);
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Running, 15'000);
        QVERIFY2(server.lastError().isEmpty(), qPrintable(server.lastError()));

        QCOMPARE(server.credentials().email, QStringLiteral("admin@localhost"));
        QCOMPARE(server.credentials().password.size(), 24);
        QCOMPARE(server.consoleUrl().host(), QStringLiteral("127.0.0.1"));
        QVERIFY(server.consoleUrl().port() > 0);
        QCOMPARE(server.urls(), QList<QUrl>{server.consoleUrl()});
        QVERIFY(!server.servesLan());
        QCOMPARE(server.dataDir(), QDir(dataDir()).absolutePath());
        QVERIFY(QFile::exists(QDir(dataDir()).filePath(QStringLiteral("data.db"))));
        // Without a keychain the signing key stays the data folder's 0600 file.
        QVERIFY(QFile::exists(QDir(dataDir()).filePath(QStringLiteral("secret.key"))));

        QCOMPARE(signIn(server), QString());
        QTRY_VERIFY(server.totalRequests() >= 1);

        // The credentials are kept for the next start (here in the fallback file).
        QFile file(secretsFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject stored = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject credentials =
            QJsonDocument::fromJson(
                stored.value(QStringLiteral("console-admin:") + server.dataDir()).toString().toUtf8())
                .object();
        QCOMPARE(credentials.value(u"password").toString(), server.credentials().password);
        server.shutdown();
        QCOMPARE(server.state(), ServerControl::State::Stopped);
    }

    void laterStartsSignInWithTheKeptPassword()
    {
        SecretStore secrets(QStringLiteral("HearthTest"), secretsFile());
        secrets.setKeychainEnabled(false);
        EmbeddedServer server(dataDir(), testConfig(), &secrets);
        server.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Running, 15'000);
        QCOMPARE(server.credentials().password.size(), 24);
        QCOMPARE(signIn(server), QString());

        // The Server view's workers and connections come from the embedded HttpServer.
        const QJsonObject runtime = runtimeOf(server);
        QCOMPARE(runtime.value(u"workers").toInt(), testConfig().workerCount);
        QVERIFY2(runtime.value(u"totalRequests").toInteger() >= 2,
                 qPrintable(QJsonDocument(runtime).toJson()));
        QVERIFY(runtime.value(u"totalConnections").toInteger() >= 1);
    }

    void stopRestartAndTheLan()
    {
        SecretStore secrets(QStringLiteral("HearthTest"), secretsFile());
        secrets.setKeychainEnabled(false);
        EmbeddedServer server(dataDir(), testConfig(), &secrets);
        server.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Running, 15'000);

        server.stop();
        QCOMPARE(server.state(), ServerControl::State::Stopping);
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Stopped, 15'000);
        QVERIFY(server.urls().isEmpty());

        server.restart(); // from stopped: starts
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Running, 15'000);
        QCOMPARE(signIn(server), QString());

        QSignalSpy states(&server, &ServerControl::stateChanged);
        server.setServeLan(true); // restarts on every interface
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Running, 15'000);
        QTRY_VERIFY(states.count() >= 3); // stopping, stopped, starting, running
        QVERIFY(server.servesLan());
        QCOMPARE(server.consoleUrl().host(), QStringLiteral("127.0.0.1")); // the console stays on loopback
        QCOMPARE(server.urls().first(), server.consoleUrl());
        QCOMPARE(signIn(server), QString());

        server.setServeLan(false);
        QTRY_VERIFY_WITH_TIMEOUT(server.state() == ServerControl::State::Running && !server.servesLan() &&
                                     server.urls().size() == 1,
                                 15'000);
    }

    void aPortInUseFailsInPlainWords()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        SecretStore secrets(QStringLiteral("HearthTest"), secretsFile());
        secrets.setKeychainEnabled(false);
        EmbeddedServer server(dataDir(), testConfig(squatter.serverPort()), &secrets);
        server.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Failed, 15'000);
        QVERIFY2(server.lastError().contains(QStringLiteral("Cannot listen")),
                 qPrintable(server.lastError()));
        QVERIFY(server.urls().isEmpty());
        // Once the port is free, starting again works.
        squatter.close();
        server.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), ServerControl::State::Running, 15'000);
    }
};

QTEST_MAIN(TestEmbeddedServer)
#include "tst_embeddedserver.moc"
