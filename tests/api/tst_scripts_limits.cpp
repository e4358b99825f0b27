// Script limits through real HTTP against a real server (API.md "Scripts",
// DESIGN.md "Limits"): a script spinning past its timeout is interrupted
// (408 SCRIPT_TIMEOUT) while the other worker keeps answering, and the
// worker's next request runs on a new engine; one that awaits past its
// timeout ends the same way and stops running; one that allocates without
// bound is stopped at scriptMemoryLimitMb and the server goes on answering.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QUrl>
#include <QtTest>

#include <ctime>
#include <memory>
#include <unistd.h>
#include <vector>

using namespace Hearth;

namespace {

QByteArray enc(const QJsonObject &object)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

QByteArray number(qint64 n)
{
    return QByteArray::number(n);
}

// The server runs in this process: its resident memory and CPU time are ours.
qint64 residentMb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) / (1024 * 1024) : 0;
}

qint64 cpuTimeMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// Names the engine that answers: a tag kept in the engine's global object.
const char *const kWho = "const g = Function('return this')();\n"
                         "if (!g.__tag) g.__tag = String(Math.random());\n"
                         "return g.__tag;";

} // namespace

class TestScriptLimits : public QObject
{
    Q_OBJECT

private:
    void expectHandlerTimeout(const QString &source);
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    QList<QByteArray> m_cleanup;
    qint64 m_memorySetting = 0;
    int m_serial = 0;
    std::vector<std::unique_ptr<TestHttpClient>> m_clients;

    qint64 created(const HttpReply &r)
    {
        if (r.status != 201) {
            qWarning("create: %s", qPrintable(r.describe()));
            return 0;
        }
        return r.data().at(0).toObject().value("id").toInteger();
    }
    qint64 route(const QString &path)
    {
        return created(m_admin->post("/hearth_route", QJsonObject{{"path", path}}));
    }
    qint64 addRow(const QByteArray &table, const QJsonObject &body)
    {
        const qint64 id = created(m_admin->post("/" + table, body));
        if (id)
            m_cleanup << "/" + table + "/" + number(id);
        return id;
    }
    qint64 handler(qint64 routeId, const QString &method, const QString &source, int timeout = 0)
    {
        QJsonObject body{{"route", routeId}, {"method", method}, {"sourceCode", source}};
        if (timeout)
            body.insert("timeout", timeout);
        return addRow("hearth_route_handler", body);
    }
    // A new route /lim_<n> whose handler runs source; its path.
    QByteArray scripted(const QString &source, int timeout, qint64 *script = nullptr)
    {
        const QString path = QStringLiteral("/lim_%1").arg(++m_serial);
        const qint64 id = handler(route(path), "GET", source, timeout);
        if (script)
            *script = id;
        return id ? path.toUtf8() : QByteArray();
    }
    QString who(TestHttpClient &client)
    {
        const HttpReply r = client.get("/lim_who");
        if (r.status != 200)
            qWarning("who: %s", qPrintable(r.describe()));
        return QString::fromUtf8(r.body);
    }
    // Two connections served by the same worker.
    bool sameWorker(TestHttpClient **first, TestHttpClient **second)
    {
        QHash<QString, TestHttpClient *> byEngine;
        for (int i = 0; i < 8; ++i) {
            if (size_t(i) == m_clients.size()) {
                m_clients.push_back(std::make_unique<TestHttpClient>(m_server->port()));
                m_clients.back()->setBearerToken(m_server->adminToken());
            }
            TestHttpClient *client = m_clients[i].get();
            const QString engine = who(*client);
            if (byEngine.contains(engine)) {
                *first = byEngine.value(engine);
                *second = client;
                return true;
            }
            byEngine.insert(engine, client);
        }
        return false;
    }
    // Two connections served by different workers (each worker has its own engine).
    bool twoWorkers(TestHttpClient **first, TestHttpClient **second)
    {
        QHash<QString, TestHttpClient *> byEngine;
        for (const auto &client : m_clients)
            byEngine.insert(who(*client), client.get());
        while (byEngine.size() < 2 && m_clients.size() < 8) {
            m_clients.push_back(std::make_unique<TestHttpClient>(m_server->port()));
            m_clients.back()->setBearerToken(m_server->adminToken());
            byEngine.insert(who(*m_clients.back()), m_clients.back().get());
        }
        if (byEngine.size() < 2)
            return false;
        *first = byEngine.begin().value();
        *second = std::next(byEngine.begin()).value();
        return true;
    }
    QByteArray rawGet(const QByteArray &target)
    {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
               m_server->adminToken() + "\r\n\r\n";
    }
    bool setMemoryLimit(qint64 megabytes)
    {
        return m_admin->patch("/hearth_setting/" + number(m_memorySetting), QJsonObject{{"value", megabytes}})
                   .status == 200;
    }

private slots:
    void initTestCase();
    void cleanup();

    void spinningHookTimesOutWhileTheOtherWorkerAnswers();
    void spinningHandlerTimesOut_data();
    void spinningHandlerTimesOut();
    void awaitingHandlerTimesOut_data();
    void awaitingHandlerTimesOut();
    void timedOutScriptStopsRunning();
    void scriptsWithinTheirTimeoutFinish();
    void memoryLimitStopsTheScript();
    void deeplyBuiltStringsDoNotCrash();
    void otherRequestsOnAStoppedEngineEndAtOnce();
};

void TestScriptLimits::initTestCase()
{
    m_server = std::make_unique<HearthTestServer>();
    QVERIFY(m_server->start());
    m_admin = m_server->adminClient();
    const HttpReply r = m_admin->get("/hearth_setting?fields=id,value&filter=" +
                                     enc(QJsonObject{{"key", "scriptMemoryLimitMb"}}));
    CHECK_STATUS(r, 200);
    m_memorySetting = r.data().at(0).toObject().value("id").toInteger();
    QVERIFY(m_memorySetting);
    QCOMPARE(r.data().at(0).toObject().value("value").toInt(), 1024);
    const qint64 whoRoute = route("/lim_who");
    QVERIFY(whoRoute);
    QVERIFY(created(m_admin->post(
        "/hearth_route_handler", QJsonObject{{"route", whoRoute}, {"method", "GET"}, {"sourceCode", kWho}})));
}

void TestScriptLimits::cleanup()
{
    for (auto it = m_cleanup.crbegin(); it != m_cleanup.crend(); ++it)
        m_admin->del(*it);
    m_cleanup.clear();
    QVERIFY(setMemoryLimit(1024));
}

// A preHook spinning in while (true) {} past its 300 ms: 408 within about a
// second. Meanwhile a request on a connection of the other worker is
// answered; afterwards the spinning worker answers again, on a new engine.
void TestScriptLimits::spinningHookTimesOutWhileTheOtherWorkerAnswers()
{
    const qint64 id = route("/lim_spin");
    QVERIFY(id);
    QVERIFY(handler(id, "GET", "return 'handler';"));
    const qint64 hook = addRow("hearth_pre_hook", QJsonObject{{"name", "spin"},
                                                              {"route", id},
                                                              {"timeout", 300},
                                                              {"sourceCode", "if ($ctx.$query.spin) {\n"
                                                                             "  while (true) {}\n"
                                                                             "}"}});
    QVERIFY(hook);

    TestHttpClient *spinning = nullptr;
    TestHttpClient *other = nullptr;
    QVERIFY(twoWorkers(&spinning, &other));
    const QString engineBefore = who(*spinning);

    QElapsedTimer timer;
    timer.start();
    QVERIFY(spinning->sendRaw(rawGet("/lim_spin?spin=1")));
    QThread::msleep(50);
    const HttpReply meanwhile = other->get("/lim_who");
    CHECK_STATUS(meanwhile, 200);
    CHECK_STATUS(other->get("/lim_spin"), 200);
    QVERIFY(spinning->receivesNothingWithin(1)); // answered while the hook still spins

    const HttpReply r = spinning->readResponse();
    const qint64 elapsed = timer.elapsed();
    CHECK_STATUS(r, 408);
    QCOMPARE(r.errorCode(), QStringLiteral("SCRIPT_TIMEOUT"));
    QVERIFY2(r.message().contains(QStringLiteral("preHook 'spin' (#%1)").arg(hook)), qPrintable(r.message()));
    QVERIFY2(r.message().contains("300 ms"), qPrintable(r.message()));
    QVERIFY2(elapsed >= 300 && elapsed < 1500, qPrintable(QString::number(elapsed)));
    QVERIFY(!r.closesConnection());

    // The next request on that worker works, on a new engine.
    timer.restart();
    const HttpReply next = spinning->get("/lim_spin");
    CHECK_STATUS(next, 200);
    QCOMPARE(next.body, QByteArray(R"("handler")"));
    QVERIFY(timer.elapsed() < 1000);
    QVERIFY(who(*spinning) != engineBefore);
    CHECK_STATUS(other->get("/lim_spin"), 200);
}

void TestScriptLimits::spinningHandlerTimesOut_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("while true") << "while (true) {}";
    QTest::newRow("after awaits") << "await null;\nawait $ctx.$repos.hearth_role.find({});\nfor (;;) {}";
    QTest::newRow("catch cannot stop it") << "try {\n  while (true) {}\n} catch (e) {\n  return 'caught';\n}";
    QTest::newRow("finally cannot stop it") << "try {\n  while (true) {}\n} finally {\n  while (true) {}\n}";
    QTest::newRow("in an async helper")
        << "async function spin() { await null; while (true) {} }\nawait spin();";
    QTest::newRow("busy work")
        << "let s = '';\nwhile (true) { s = String(Math.random()) + s.slice(0, 100); }";
}

// The handler running source (timeout 400 ms) answers 408 SCRIPT_TIMEOUT naming
// itself, in time, and the same connection (same worker) answers at once afterwards.
void TestScriptLimits::expectHandlerTimeout(const QString &source)
{
    qint64 script = 0;
    const QByteArray path = scripted(source, 400, &script);
    QVERIFY(!path.isEmpty());
    QElapsedTimer timer;
    timer.start();
    const HttpReply r = m_admin->get(path);
    CHECK_STATUS(r, 408);
    QCOMPARE(r.errorCode(), QStringLiteral("SCRIPT_TIMEOUT"));
    QVERIFY2(r.message().contains(QStringLiteral("handler GET (#%1)").arg(script)), qPrintable(r.message()));
    QVERIFY2(timer.elapsed() >= 400 && timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
    timer.restart();
    CHECK_STATUS(m_admin->get("/lim_who"), 200);
    QVERIFY(timer.elapsed() < 1000);
}

void TestScriptLimits::spinningHandlerTimesOut()
{
    QFETCH(QString, source);
    expectHandlerTimeout(source);
    if (QTest::currentTestFailed())
        return;
    CHECK_STATUS(m_admin->get("/hearth_role"), 200);
}

void TestScriptLimits::awaitingHandlerTimesOut_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("awaits for 3 s") << "const until = Date.now() + 3000;\n"
                                       "while (Date.now() < until) await null;\n"
                                       "return 'too late';";
    QTest::newRow("awaits forever") << "let n = 0;\nwhile (true) { await n; n++; }";
    QTest::newRow("a promise that never settles") << "await new Promise(() => {});";
    QTest::newRow("repos calls in a loop") << "while (true) await $ctx.$repos.hearth_role.exists({});";
    QTest::newRow("async helpers in a loop") << "const tick = async (n) => (await n) + 1;\n"
                                                "let n = 0;\n"
                                                "for (;;) n = await tick(n);";
}

// A handler that keeps awaiting past its timeout: 408 as well.
void TestScriptLimits::awaitingHandlerTimesOut()
{
    QFETCH(QString, source);
    expectHandlerTimeout(source);
}

// A script answered with 408 does not go on running in the background: the
// (otherwise idle) server uses next to no CPU afterwards.
void TestScriptLimits::timedOutScriptStopsRunning()
{
    const QByteArray path = scripted("let n = 0;\nwhile (true) { await n; n++; }", 300);
    QVERIFY(!path.isEmpty());
    CHECK_STATUS(m_admin->get(path), 408);
    QThread::msleep(100);
    const qint64 cpuBefore = cpuTimeMs();
    QElapsedTimer timer;
    timer.start();
    QThread::msleep(600);
    const qint64 cpu = cpuTimeMs() - cpuBefore;
    QVERIFY2(cpu < timer.elapsed() / 3,
             qPrintable(QStringLiteral("%1 ms of CPU in %2 ms").arg(cpu).arg(timer.elapsed())));
    CHECK_STATUS(m_admin->get("/lim_who"), 200);
}

void TestScriptLimits::scriptsWithinTheirTimeoutFinish()
{
    // Awaiting and spinning for less than the timeout is fine.
    QByteArray path = scripted("const until = Date.now() + 300;\n"
                               "while (Date.now() < until) await null;\n"
                               "const again = Date.now() + 200;\n"
                               "while (Date.now() < again) {}\n"
                               "return 'done';",
                               1500);
    HttpReply r = m_admin->get(path);
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"("done")"));
    // The timeout is per script: a preHook and the handler each get theirs.
    const qint64 id = route("/lim_each");
    QVERIFY(handler(id, "GET",
                    "const until = Date.now() + 250;\nwhile (Date.now() < until) await null;\nreturn 'ok';",
                    400));
    QVERIFY(addRow("hearth_pre_hook", QJsonObject{{"name", "wait"},
                                                  {"route", id},
                                                  {"timeout", 400},
                                                  {"sourceCode", "const until = Date.now() + 250;\n"
                                                                 "while (Date.now() < until) await null;"}}));
    r = m_admin->get("/lim_each");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"("ok")"));
}

// With scriptMemoryLimitMb a little above what the process uses, a script
// that allocates without bound is stopped with an error answer, and both
// workers go on answering scripts right after.
void TestScriptLimits::memoryLimitStopsTheScript()
{
    TestHttpClient *first = nullptr;
    TestHttpClient *second = nullptr;
    QVERIFY(twoWorkers(&first, &second));
    const qint64 limit = residentMb() + 150;
    QVERIFY(setMemoryLimit(limit));
    const QByteArray path = scripted("const hoard = [];\n"
                                     "while (true) hoard.push(new Array(100000).fill(hoard.length));",
                                     0);
    QVERIFY(!path.isEmpty());
    first->setTimeout(20'000);
    const HttpReply r = first->get(path);
    QVERIFY2(r.status >= 400 && r.status < 600, qPrintable(r.describe()));
    QCOMPARE(r.errorCode(), QStringLiteral("SCRIPT_EXECUTION_ERROR"));
    QVERIFY2(r.message().contains("memory"), qPrintable(r.message()));

    // Scripts on either worker run again at once (also ones that take a
    // while, so the watchdog looks at the memory meanwhile): the stopped
    // engine and its memory are gone.
    QTRY_VERIFY_WITH_TIMEOUT(residentMb() < limit - 50, 3000);
    const QByteArray slow = scripted("const until = Date.now() + 200;\n"
                                     "while (Date.now() < until) await null;\n"
                                     "return 'slow';",
                                     0);
    for (int i = 0; i < 2; ++i) {
        for (TestHttpClient *client : {second, first}) {
            const HttpReply ok = client->get(slow);
            QVERIFY2(ok.status == 200, qPrintable(ok.describe()));
            CHECK_STATUS(client->get("/lim_who"), 200);
        }
    }
    CHECK_STATUS(first->get("/hearth_role"), 200);

    // An awaiting script is stopped as well.
    const QByteArray awaiting =
        scripted("const hoard = [];\n"
                 "while (true) { hoard.push(new Array(100000).fill(1)); await null; }",
                 0);
    const HttpReply stopped = second->get(awaiting);
    QVERIFY2(stopped.status >= 400 && stopped.status < 600, qPrintable(stopped.describe()));
    for (TestHttpClient *client : {first, second})
        CHECK_STATUS(client->get("/lim_who"), 200);
}

// A string built by prepending in a loop is a deep chain for the engine's
// garbage collector, which used to abort the whole process ("GC mark stack
// overrun") after some hundred thousand steps.
void TestScriptLimits::deeplyBuiltStringsDoNotCrash()
{
    const QByteArray path = scripted("let s = '';\n"
                                     "for (let i = 0; i < 1500000; i++) s = String(i) + s;\n"
                                     "return s.length;",
                                     20'000);
    QVERIFY(!path.isEmpty());
    m_admin->setTimeout(30'000);
    const HttpReply r = m_admin->get(path);
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray("9388890"));
    CHECK_STATUS(m_admin->get("/lim_who"), 200);
}

// A spinning script stops its worker's engine. Another request of that
// worker suspended on the same engine cannot go on either: it ends at once
// (408) instead of waiting for its own, much later, timeout.
void TestScriptLimits::otherRequestsOnAStoppedEngineEndAtOnce()
{
    TestHttpClient *waiting = nullptr;
    TestHttpClient *spinning = nullptr;
    QVERIFY(sameWorker(&waiting, &spinning));
    const QByteArray slow = scripted("const until = Date.now() + 3000;\n"
                                     "while (Date.now() < until) await null;\n"
                                     "return 'finished';",
                                     20'000);
    const QByteArray spin = scripted("while (true) {}", 300);
    QVERIFY(!slow.isEmpty() && !spin.isEmpty());

    QElapsedTimer timer;
    timer.start();
    QVERIFY(waiting->sendRaw(rawGet(slow)));
    QThread::msleep(100);
    const HttpReply stopped = spinning->get(spin);
    CHECK_STATUS(stopped, 408);
    waiting->setTimeout(25'000);
    const HttpReply collateral = waiting->readResponse();
    CHECK_STATUS(collateral, 408);
    QCOMPARE(collateral.errorCode(), QStringLiteral("SCRIPT_TIMEOUT"));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    // Both connections are served again, on a new engine.
    CHECK_STATUS(waiting->get("/lim_who"), 200);
    CHECK_STATUS(spinning->get("/lim_who"), 200);
}

QTEST_GUILESS_MAIN(TestScriptLimits)
#include "tst_scripts_limits.moc"
