// The `hearth` binary as a user runs it: command line, headless serve,
// request log, restart, clean shutdown on SIGINT/SIGTERM.
#include "testhttpclient.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace Hearth;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// A `hearth serve` child process with its output collected.
class ServeProcess
{
public:
    ServeProcess(const QString &workingDir, const QStringList &arguments,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        m_process.setWorkingDirectory(workingDir);
        m_process.setProcessEnvironment(environment);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(HEARTH_BINARY), arguments);
    }
    ~ServeProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    // Waits until the log contains text (or the process ends).
    bool waitForOutput(const QString &text, int ms = 10'000)
    {
        QDeadlineTimer deadline(ms);
        while (!m_output.contains(text)) {
            if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(50);
            m_output += QString::fromUtf8(m_process.readAll());
        }
        return true;
    }
    bool stopWith(int signalNumber, int *exitCode)
    {
        ::kill(pid_t(m_process.processId()), signalNumber);
        if (!m_process.waitForFinished(10'000))
            return false;
        m_output += QString::fromUtf8(m_process.readAll());
        *exitCode = m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
        return true;
    }
    const QString &output() const { return m_output; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QString m_output;
};

QProcessEnvironment withAdmin(const QString &email, const QString &password)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HEARTH_ADMIN_EMAIL"), email);
    environment.insert(QStringLiteral("HEARTH_ADMIN_PASSWORD"), password);
    return environment;
}

QByteArray login(quint16 port, const QString &email, const QString &password)
{
    TestHttpClient client(port);
    return client.post("/auth/login", QJsonObject{{"email", email}, {"password", password}})
        .object()
        .value("accessToken")
        .toString()
        .toLatin1();
}

QByteArray runOnce(const QStringList &arguments, int *exitCode, const QByteArray &input = {})
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(HEARTH_BINARY), arguments);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(10'000);
    *exitCode = p.exitCode();
    return p.readAll();
}

} // namespace

class TestServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelp()
    {
        int code = -1;
        QVERIFY(runOnce({QStringLiteral("--version")}, &code).startsWith("hearth " HEARTH_VERSION));
        QCOMPARE(code, 0);
        const QByteArray help = runOnce({QStringLiteral("--help")}, &code);
        QCOMPARE(code, 0);
        for (const char *option :
             {"serve", "--data", "--listen", "--workers", "--log-level", "--cors-origins"})
            QVERIFY2(help.contains(option), option);
    }

    void badArgumentsExitWithUsageError()
    {
        int code = -1;
        QVERIFY(runOnce({QStringLiteral("serve"), QStringLiteral("--bogus")}, &code)
                    .contains("unknown argument"));
        QCOMPARE(code, 2);
        QVERIFY(runOnce({QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("nope")}, &code)
                    .contains("--listen"));
        QCOMPARE(code, 2);
        QVERIFY(runOnce({QStringLiteral("serve"), QStringLiteral("--workers"), QStringLiteral("0")}, &code)
                    .contains("--workers"));
        QCOMPARE(code, 2);
    }

    void defaultsServeLoopback1105WithDataInWorkingFolder()
    {
        QTemporaryDir cwd;
        ServeProcess serve(cwd.path(), {QStringLiteral("serve")});
        QVERIFY2(serve.waitForOutput(QStringLiteral("serving http://127.0.0.1:1105")),
                 qPrintable(serve.output()));
        QVERIFY(QFileInfo::exists(cwd.filePath(QStringLiteral("hearth-data/data.db"))));
        TestHttpClient client(1105);
        QCOMPARE(client.get("/").status, 200);
        int code = -1;
        QVERIFY(serve.stopWith(SIGINT, &code));
        QCOMPARE(code, 0);
    }

    void logsOneLinePerRequestAndHonoursWorkers()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        ServeProcess serve(dir.path(), {QStringLiteral("serve"), QStringLiteral("--data"),
                                        dir.filePath(QStringLiteral("d")), QStringLiteral("--listen"),
                                        QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--workers"),
                                        QStringLiteral("3")});
        QVERIFY2(serve.waitForOutput(QStringLiteral("with 3 workers")), qPrintable(serve.output()));
        TestHttpClient client(port);
        QCOMPARE(client.get("/nowhere").status, 404);
        QVERIFY2(serve.waitForOutput(QStringLiteral("GET /nowhere 404 ")), qPrintable(serve.output()));
        QVERIFY(QRegularExpression(QStringLiteral("GET /nowhere 404 \\d+\\.\\dms"))
                    .match(serve.output())
                    .hasMatch());
        int code = -1;
        QVERIFY(serve.stopWith(SIGTERM, &code));
        QCOMPARE(code, 0);
    }

    void quietLogLevelDropsRequestLines()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        ServeProcess serve(dir.path(), {QStringLiteral("serve"), QStringLiteral("--data"),
                                        dir.filePath(QStringLiteral("d")), QStringLiteral("--listen"),
                                        QStringLiteral("127.0.0.1:%1").arg(port),
                                        QStringLiteral("--log-level"), QStringLiteral("warning")});
        TestHttpClient client(port);
        QDeadlineTimer deadline(10'000);
        while (!client.connectToServer() && !deadline.hasExpired())
            QThread::msleep(50);
        QCOMPARE(client.get("/").status, 200);
        int code = -1;
        QVERIFY(serve.stopWith(SIGTERM, &code));
        QVERIFY2(!serve.output().contains(QStringLiteral("GET / 200")), qPrintable(serve.output()));
    }

    void sigtermClosesTheDatabaseAndTheSchemaSurvivesARestart()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("d"));
        const quint16 port = freePort();
        const QStringList arguments{QStringLiteral("serve"), QStringLiteral("--data"), data,
                                    QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)};
        const QProcessEnvironment admin =
            withAdmin(QStringLiteral("owner@example.com"), QStringLiteral("owner-password"));
        {
            ServeProcess serve(dir.path(), arguments, admin);
            QVERIFY2(serve.waitForOutput(QStringLiteral("serving")), qPrintable(serve.output()));
            QVERIFY2(!serve.output().contains(QStringLiteral("Created the root admin")),
                     qPrintable(serve.output()));
            TestHttpClient client(port);
            client.setBearerToken(
                login(port, QStringLiteral("owner@example.com"), QStringLiteral("owner-password")));
            const HttpReply created = client.post(
                "/hearth_table",
                QJsonObject{{"name", "notes"},
                            {"columns", QJsonArray{QJsonObject{{"name", "body"}, {"type", "text"}}}}});
            QCOMPARE(created.status, 201);
            QCOMPARE(client.post("/notes", QJsonObject{{"body", "kept"}}).status, 201);
            int code = -1;
            QVERIFY(serve.stopWith(SIGTERM, &code));
            QCOMPARE(code, 0);
            QVERIFY(serve.output().contains(QStringLiteral("stopped")));
        }
        // A clean close checkpoints the write-ahead log and removes it.
        QVERIFY(!QFileInfo::exists(data + QStringLiteral("/data.db-wal")));

        ServeProcess again(dir.path(), arguments, admin);
        QVERIFY2(again.waitForOutput(QStringLiteral("serving")), qPrintable(again.output()));
        TestHttpClient client(port);
        client.setBearerToken(
            login(port, QStringLiteral("owner@example.com"), QStringLiteral("owner-password")));
        const HttpReply list = client.get("/notes");
        QCOMPARE(list.status, 200);
        QCOMPARE(list.data().size(), 1);
        QCOMPARE(list.data().first().toObject().value("body").toString(), QStringLiteral("kept"));
    }

    // Without HEARTH_ADMIN_*, the first start makes admin@localhost with a random
    // password, prints it once, and never again.
    void firstRunPrintsTheGeneratedAdminPasswordOnce()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        QProcessEnvironment clean = QProcessEnvironment::systemEnvironment();
        clean.remove(QStringLiteral("HEARTH_ADMIN_EMAIL"));
        clean.remove(QStringLiteral("HEARTH_ADMIN_PASSWORD"));
        const QStringList arguments{QStringLiteral("serve"), QStringLiteral("--data"),
                                    dir.filePath(QStringLiteral("d")), QStringLiteral("--listen"),
                                    QStringLiteral("127.0.0.1:%1").arg(port)};
        QString password;
        {
            ServeProcess serve(dir.path(), arguments, clean);
            QVERIFY2(serve.waitForOutput(QStringLiteral("serving")), qPrintable(serve.output()));
            const QRegularExpressionMatch m =
                QRegularExpression(
                    QStringLiteral("Created the root admin admin@localhost with password:\\s+(\\S+)"))
                    .match(serve.output());
            QVERIFY2(m.hasMatch(), qPrintable(serve.output()));
            password = m.captured(1);
            QVERIFY(password.size() >= 12);
            QVERIFY(!login(port, QStringLiteral("admin@localhost"), password).isEmpty());
            int code = -1;
            QVERIFY(serve.stopWith(SIGTERM, &code));
        }
        ServeProcess again(dir.path(), arguments, clean);
        QVERIFY2(again.waitForOutput(QStringLiteral("serving")), qPrintable(again.output()));
        QVERIFY2(!again.output().contains(password), qPrintable(again.output()));
        QVERIFY(!again.output().contains(QStringLiteral("Created the root admin")));
        QVERIFY(!login(port, QStringLiteral("admin@localhost"), password).isEmpty());
    }

    // A locked-out owner resets the password from the command line, while the
    // server runs: the new one works, the old one and the old sessions do not.
    void adminResetPassword()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("d"));
        const quint16 port = freePort();
        ServeProcess serve(
            dir.path(),
            {QStringLiteral("serve"), QStringLiteral("--data"), data, QStringLiteral("--listen"),
             QStringLiteral("127.0.0.1:%1").arg(port)},
            withAdmin(QStringLiteral("owner@example.com"), QStringLiteral("forgotten-password")));
        QVERIFY2(serve.waitForOutput(QStringLiteral("serving")), qPrintable(serve.output()));
        const QByteArray oldToken =
            login(port, QStringLiteral("owner@example.com"), QStringLiteral("forgotten-password"));
        QVERIFY(!oldToken.isEmpty());

        const QStringList reset{QStringLiteral("admin"),   QStringLiteral("reset-password"),
                                QStringLiteral("--email"), QStringLiteral("OWNER@example.com"),
                                QStringLiteral("--data"),  data};
        int code = -1;
        QByteArray out = runOnce(reset, &code, "short\n");
        QCOMPARE(code, 1);
        QVERIFY2(out.contains("at least 8"), out.constData());
        out = runOnce({QStringLiteral("admin"), QStringLiteral("reset-password"), QStringLiteral("--email"),
                       QStringLiteral("nobody@example.com"), QStringLiteral("--data"), data},
                      &code, "a-new-password\n");
        QCOMPARE(code, 1);
        QVERIFY2(out.contains("no user"), out.constData());
        out = runOnce(reset, &code, "a-new-password\n");
        QCOMPARE(code, 0);
        QVERIFY2(!out.contains("a-new-password"), out.constData());

        QVERIFY(
            login(port, QStringLiteral("owner@example.com"), QStringLiteral("forgotten-password")).isEmpty());
        QVERIFY(
            !login(port, QStringLiteral("owner@example.com"), QStringLiteral("a-new-password")).isEmpty());
        TestHttpClient client(port);
        client.setBearerToken(oldToken);
        QCOMPARE(client.get("/me").status, 401);
    }

    void refusesAPortInUse()
    {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        int code = -1;
        const QByteArray out =
            runOnce({QStringLiteral("serve"), QStringLiteral("--data"), dir.path(),
                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(holder.serverPort())},
                    &code);
        QCOMPARE(code, 1);
        QVERIFY2(out.contains("cannot listen"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
