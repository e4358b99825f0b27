// The /admin endpoints through real HTTP against a real server (API.md "Admin
// endpoints"): root admin only; POST /admin/test/run (every kind, the $ctx it
// builds, results, logs, errors with the script's line, timeouts, running as
// another user, nothing stored); the cache monitor (overview counters, scans
// with patterns and cursors, get/set/delete/ttl of a key) and the cache
// budget (setting cacheLimitMb) evicting the least recently used keys.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QThread>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace Hearth;

namespace {

const QString kPassword = QStringLiteral("admin-test-pass-1");

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray enc(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

HttpHeaders bearer(const QByteArray &token)
{
    return {std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + token)};
}

} // namespace

class TestAdmin : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    std::unique_ptr<TestHttpClient> m_client;
    QString m_adminId;
    QString m_userId;
    QByteArray m_userToken;
    qint64 m_summaryRoute = 0; // /tr/:year/summary
    qint64 m_notesRoute = 0;   // /tr_note

    qint64 created(const HttpReply &r)
    {
        if (r.status != 201) {
            qWarning("create: %s", qPrintable(r.describe()));
            return 0;
        }
        return r.data().at(0).toObject().value("id").toInteger();
    }

    HttpReply testRun(const QJsonObject &body) { return m_admin->post("/admin/test/run", body); }
    // A test run that must answer 200: its {success, result, logs, error, durationMs}.
    QJsonObject outcome(const QJsonObject &body)
    {
        const HttpReply r = testRun(body);
        if (r.status != 200)
            qWarning("test run: %s", qPrintable(r.describe()));
        return r.object();
    }
    // The result of a handler run as the admin.
    QJsonValue script(const QString &source)
    {
        const QJsonObject o = outcome({{"kind", "handler"}, {"sourceCode", source}});
        if (!o.value("success").toBool())
            qWarning("script failed: %s", compact(o).constData());
        return o.value("result");
    }

    QJsonObject overview()
    {
        const HttpReply r = m_admin->get("/admin/cache/overview");
        if (r.status != 200 || r.data().size() != 1)
            qWarning("overview: %s", qPrintable(r.describe()));
        return r.data().at(0).toObject();
    }
    HttpReply setKey(const QString &key, const QJsonValue &value,
                     const QJsonValue &ttlMs = QJsonValue::Undefined)
    {
        QJsonObject body{{"key", key}, {"value", value}};
        if (!ttlMs.isUndefined())
            body.insert("ttlMs", ttlMs);
        return m_admin->post("/admin/cache/key", body);
    }
    HttpReply getKey(const QString &key) { return m_admin->get("/admin/cache/key?key=" + enc(key)); }

    qint64 count(const QByteArray &table)
    {
        return m_admin->get("/" + table + "?limit=1&meta=totalCount")
            .object()
            .value("meta")
            .toObject()
            .value("totalCount")
            .toInteger(-1);
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_admin = m_server->adminClient();
        m_client = std::make_unique<TestHttpClient>(m_server->port());
        m_adminId = m_admin->get("/me").data().at(0).toObject().value("id").toString();
        const HttpReply user =
            m_admin->post("/hearth_user", QJsonObject{{"email", "dora@admin.test"}, {"password", kPassword}});
        CHECK_STATUS(user, 201);
        m_userId = user.data().at(0).toObject().value("id").toString();
        m_userToken =
            m_client->post("/auth/login", QJsonObject{{"email", "dora@admin.test"}, {"password", kPassword}})
                .object()
                .value("accessToken")
                .toString()
                .toLatin1();
        QVERIFY(!m_userToken.isEmpty());
        CHECK_STATUS(m_admin->post("/hearth_table",
                                   QJsonObject{{"name", "tr_note"},
                                               {"columns", QJsonArray{QJsonObject{{"name", "title"},
                                                                                  {"type", "varchar"}}}}}),
                     201);
        CHECK_STATUS(m_admin->post("/tr_note", QJsonObject{{"title", "first"}}), 201);
        m_notesRoute = m_admin
                           ->get("/hearth_route?fields=id&filter=" +
                                 enc(QString::fromUtf8(compact({{"path", "/tr_note"}}))))
                           .data()
                           .at(0)
                           .toObject()
                           .value("id")
                           .toInteger();
        m_summaryRoute = created(m_admin->post("/hearth_route", QJsonObject{{"path", "/tr/:year/summary"}}));
        QVERIFY(m_notesRoute && m_summaryRoute);
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        m_client.reset();
        m_server.reset();
    }

    void adminRoutesAreRootOnly_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("test run") << QByteArray("POST") << QByteArray("/admin/test/run")
                                  << QByteArray(R"({"kind":"handler","sourceCode":"return 1;"})");
        QTest::newRow("overview") << QByteArray("GET") << QByteArray("/admin/cache/overview") << QByteArray();
        QTest::newRow("keys") << QByteArray("GET") << QByteArray("/admin/cache/keys") << QByteArray();
        QTest::newRow("get key") << QByteArray("GET") << QByteArray("/admin/cache/key?key=a") << QByteArray();
        QTest::newRow("set key") << QByteArray("POST") << QByteArray("/admin/cache/key")
                                 << QByteArray(R"({"key":"a","value":1})");
        QTest::newRow("delete key") << QByteArray("DELETE") << QByteArray("/admin/cache/key?key=a")
                                    << QByteArray();
        QTest::newRow("ttl") << QByteArray("PATCH") << QByteArray("/admin/cache/key/ttl")
                             << QByteArray(R"({"key":"a","ttlMs":null})");
        QTest::newRow("runtime") << QByteArray("GET") << QByteArray("/admin/runtime") << QByteArray();
        QTest::newRow("requests") << QByteArray("GET") << QByteArray("/admin/requests") << QByteArray();
    }

    // --- GET /admin/runtime and /admin/requests (the console's Server view)

    void runtimeShowsWorkersLoadAndMemory()
    {
        for (int i = 0; i < 5; ++i)
            CHECK_STATUS(m_admin->get("/tr_note?limit=1"), 200);
        const HttpReply r = m_admin->get("/admin/runtime");
        CHECK_STATUS(r, 200);
        const QJsonObject row = r.data().at(0).toObject();
        QCOMPARE(row.value("workers").toInt(), 2);
        QVERIFY(row.value("connections").toInt() >= 1);
        QVERIFY(row.value("totalRequests").toDouble() >= 5);
        QVERIFY(row.value("requestsLastMinute").toInt() >= 5);
        QVERIFY(row.value("latencyMs").toObject().value("p99").toDouble() > 0);
        QCOMPARE(row.value("series").toArray().size(), 60);
        QVERIFY(row.value("memory").toObject().value("rssMb").toDouble() > 1);
        QVERIFY(row.value("uptimeMs").toDouble() > 0);
        QCOMPARE(row.value("version").toString(), QStringLiteral(HEARTH_VERSION));
    }

    void requestsLogNewestFirstWithFilterAndCursor()
    {
        CHECK_STATUS(m_admin->get("/tr_note?limit=1&marker=one"), 200);
        CHECK_ERROR(m_admin->get("/no-such-route-xyz"), 404, "NOT_FOUND");
        HttpReply r = m_admin->get("/admin/requests?limit=50");
        CHECK_STATUS(r, 200);
        const QJsonArray rows = r.data();
        QVERIFY(rows.size() >= 2);
        QVERIFY(rows.at(0).toObject().value("id").toDouble() > rows.at(1).toObject().value("id").toDouble());
        const QJsonObject missing = rows.at(0).toObject().value("path").toString() == u"/no-such-route-xyz"
                                        ? rows.at(0).toObject()
                                        : rows.at(1).toObject();
        QCOMPARE(missing.value("status").toInt(), 404);
        QCOMPARE(missing.value("method").toString(), QStringLiteral("GET"));
        QCOMPARE(missing.value("user").toString(), HearthTestServer::adminEmail());
        r = m_admin->get("/admin/requests?q=no-such-route");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().size(), 1);
        const double newest = r.data().at(0).toObject().value("id").toDouble();
        r = m_admin->get("/admin/requests?after=" + QByteArray::number(qint64(newest)) + "&q=no-such-route");
        QCOMPARE(r.data().size(), 0);
        CHECK_ERROR(m_admin->get("/admin/requests?limit=5000"), 400, "BAD_REQUEST");
    }

    void adminRoutesAreRootOnly()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        CHECK_ERROR(m_client->request(method, path, body), 401, "UNAUTHORIZED");
        CHECK_ERROR(m_client->request(method, path, body, bearer("not.a.token")), 401, "INVALID_TOKEN");
        CHECK_ERROR(m_client->request(method, path, body, bearer(m_userToken)), 403, "FORBIDDEN");
        const HttpReply admin = m_admin->request(method, path, body);
        QVERIFY2(admin.status != 401 && admin.status != 403, qPrintable(admin.describe()));
    }

    // --- POST /admin/test/run

    void testRunHandler()
    {
        const HttpReply r = testRun(
            {{"kind", "handler"}, {"sourceCode", "$ctx.$logs('hi', { a: 1 });\nreturn { sum: 1 + 2 };"}});
        CHECK_STATUS(r, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value("success"), QJsonValue(true));
        QCOMPARE(o.value("result"), QJsonValue(QJsonObject{{"sum", 3}}));
        QCOMPARE(o.value("logs"), QJsonValue(QJsonArray{R"(hi {"a":1})"}));
        QVERIFY(o.value("durationMs").isDouble() && o.value("durationMs").toDouble() >= 0);
        QVERIFY(!o.contains("error"));
        // Plain values too, and a script with await.
        QCOMPARE(script("return 'text';"), QJsonValue("text"));
        QCOMPARE(script("return await Promise.resolve(7);"), QJsonValue(7));
        QCOMPARE(script("const x = 1;"), QJsonValue(QJsonValue::Null));
    }

    void testRunHooks()
    {
        // A preHook that returns nothing: its changes are in $ctx.
        QJsonObject o = outcome({{"kind", "preHook"},
                                 {"sourceCode", "$ctx.$body.title = $ctx.$body.title.toUpperCase();"},
                                 {"body", QJsonObject{{"title", "loud"}}}});
        QCOMPARE(o.value("success"), QJsonValue(true));
        QCOMPARE(o.value("result"), QJsonValue(QJsonValue::Null));
        o = outcome({{"kind", "preHook"},
                     {"sourceCode", "$ctx.$body.title = $ctx.$body.title.toUpperCase();\nreturn $ctx.$body;"},
                     {"body", QJsonObject{{"title", "loud"}}},
                     {"method", "post"}});
        QCOMPARE(o.value("result"), QJsonValue(QJsonObject{{"title", "LOUD"}}));
        // A postHook works on the $data it is given; returning nothing, its result is that $data.
        o = outcome({{"kind", "postHook"},
                     {"sourceCode", "$ctx.$data.data.push({ id: 9 });\n$ctx.$data.seen = true;"},
                     {"data", QJsonObject{{"data", QJsonArray{QJsonObject{{"id", 1}}}}}}});
        QCOMPARE(o.value("success"), QJsonValue(true));
        QCOMPARE(o.value("result"),
                 QJsonValue(QJsonObject{{"data", QJsonArray{QJsonObject{{"id", 1}}, QJsonObject{{"id", 9}}}},
                                        {"seen", true}}));
        o = outcome({{"kind", "postHook"}, {"sourceCode", "return { was: $ctx.$data };"}});
        QCOMPARE(o.value("result"), QJsonValue(QJsonObject{{"was", QJsonValue::Null}}));
    }

    void testRunContext()
    {
        // A route by a path a request could have: its params come from the path.
        QJsonObject o =
            outcome({{"kind", "handler"},
                     {"route", "/tr/2024/summary"},
                     {"method", "POST"},
                     {"query", QJsonObject{{"limit", 5}, {"filter", QJsonObject{{"title", "x"}}}}},
                     {"body", QJsonObject{{"n", 1}}},
                     {"sourceCode", R"JS(
return { params: $ctx.$params, path: $ctx.$req.path, url: $ctx.$req.url, method: $ctx.$req.method,
         limit: $ctx.$query.limit, filter: JSON.parse($ctx.$query.filter), body: $ctx.$body,
         main: $ctx.$repos.main === undefined };
)JS"}});
        QCOMPARE(o.value("success"), QJsonValue(true));
        QJsonObject r = o.value("result").toObject();
        QCOMPARE(r.value("params"), QJsonValue(QJsonObject{{"year", "2024"}}));
        QCOMPARE(r.value("path"), QJsonValue("/tr/2024/summary"));
        QVERIFY2(r.value("url").toString().startsWith(QLatin1String("/tr/2024/summary?")),
                 qPrintable(r.value("url").toString()));
        QCOMPARE(r.value("method"), QJsonValue("POST"));
        QCOMPARE(r.value("limit"), QJsonValue("5")); // as a request's query string gives it
        QCOMPARE(r.value("filter"), QJsonValue(QJsonObject{{"title", "x"}}));
        QCOMPARE(r.value("body"), QJsonValue(QJsonObject{{"n", 1}}));
        QCOMPARE(r.value("main"), QJsonValue(true));

        // A route by id, with params filling its path.
        o = outcome({{"kind", "preHook"},
                     {"route", m_summaryRoute},
                     {"params", QJsonObject{{"year", "2023"}}},
                     {"sourceCode", "return [$ctx.$req.path, $ctx.$params.year];"}});
        QCOMPARE(o.value("result"), QJsonValue(QJsonArray{"/tr/2023/summary", "2023"}));

        // A table's route: $repos.main is its table, read with the caller's rights.
        o = outcome(
            {{"kind", "handler"},
             {"route", m_notesRoute},
             {"sourceCode", "const r = await $ctx.$repos.main.find({ fields: 'title' });\nreturn r.data;"}});
        QCOMPARE(o.value("result"), QJsonValue(QJsonArray{QJsonObject{{"id", 1}, {"title", "first"}}}));
        o = outcome({{"kind", "handler"}, {"route", "/tr_note/1"}, {"sourceCode", "return $ctx.$params;"}});
        QCOMPARE(o.value("result"), QJsonValue(QJsonObject{{"id", "1"}}));

        // The helpers know the route: byIp counts on ip:{ip}:{route pattern}.
        o = outcome({{"kind", "preHook"}, {"route", "/tr/1999/summary"}, {"sourceCode", R"JS(
await $ctx.$helpers.$rateLimit.byIp({ maxRequests: 9, perSeconds: 60 });
return (await $ctx.$helpers.$rateLimit.status(`ip:${$ctx.$req.ip}:/tr/:year/summary`, { maxRequests: 9, perSeconds: 60 })).remaining;
)JS"}});
        QCOMPARE(o.value("result"), QJsonValue(8));
    }

    void testRunErrors()
    {
        // Whatever the script does, the test run itself answers 200.
        HttpReply r =
            testRun({{"kind", "handler"}, {"sourceCode", "const a = 1;\nconst b = 2;\nreturn a +;"}});
        CHECK_STATUS(r, 200);
        QJsonObject o = r.object();
        QCOMPARE(o.value("success"), QJsonValue(false));
        QCOMPARE(o.value("result"), QJsonValue(QJsonValue::Null));
        QJsonObject error = o.value("error").toObject();
        QCOMPARE(error.value("line"), QJsonValue(3));
        QCOMPARE(error.value("code"), QJsonValue("SCRIPT_EXECUTION_ERROR"));
        QCOMPARE(error.value("statusCode"), QJsonValue(400));
        QVERIFY2(error.value("message").toString().contains(QLatin1String("line 3")),
                 qPrintable(error.value("message").toString()));

        o = outcome({{"kind", "preHook"}, {"sourceCode", "$ctx.$logs('before');\nundefinedThing.call();"}});
        error = o.value("error").toObject();
        QCOMPARE(error.value("line"), QJsonValue(2));
        QVERIFY(error.value("message").toString().contains(QLatin1String("ReferenceError")));
        QCOMPARE(o.value("logs"), QJsonValue(QJsonArray{"before"})); // logs made before the error are kept

        o = outcome({{"kind", "handler"}, {"sourceCode", "$ctx.$throw['404']('No such report');"}});
        error = o.value("error").toObject();
        QCOMPARE(o.value("success"), QJsonValue(false));
        QCOMPARE(error.value("code"), QJsonValue("HTTP_ERROR"));
        QCOMPARE(error.value("statusCode"), QJsonValue(404));
        QCOMPARE(error.value("message"), QJsonValue("No such report"));

        // A refusal of $repos carries its own code.
        o = outcome({{"kind", "handler"},
                     {"sourceCode", "return await $ctx.$repos.tr_note.find({ fields: 'nope' });"}});
        QCOMPARE(o.value("error").toObject().value("statusCode"), QJsonValue(400));
        QCOMPARE(o.value("error").toObject().value("code"), QJsonValue("BAD_REQUEST"));
    }

    void testRunTimeouts()
    {
        QElapsedTimer timer;
        timer.start();
        QJsonObject o = outcome({{"kind", "handler"}, {"sourceCode", "while (true) {}"}, {"timeout", 300}});
        QCOMPARE(o.value("success"), QJsonValue(false));
        QCOMPARE(o.value("error").toObject().value("code"), QJsonValue("SCRIPT_TIMEOUT"));
        QCOMPARE(o.value("error").toObject().value("statusCode"), QJsonValue(408));
        QVERIFY2(o.value("durationMs").toDouble() >= 295, qPrintable(compact(o)));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        // The worker goes on with a fresh engine.
        QCOMPARE(script("return 'alive';"), QJsonValue("alive"));
        o = outcome(
            {{"kind", "preHook"}, {"sourceCode", "await $ctx.$helpers.$sleep(10000);"}, {"timeout", 300}});
        QCOMPARE(o.value("error").toObject().value("code"), QJsonValue("SCRIPT_TIMEOUT"));
        // Without a timeout a hook gets the hooks' default of 5 s.
        o = outcome({{"kind", "preHook"}, {"sourceCode", "await $ctx.$helpers.$sleep(8000);"}});
        QCOMPARE(o.value("error").toObject().value("code"), QJsonValue("SCRIPT_TIMEOUT"));
        QVERIFY2(o.value("error").toObject().value("message").toString().contains(QLatin1String("5000 ms")),
                 qPrintable(compact(o)));
    }

    void testRunAsAnotherUser()
    {
        const QString source =
            QStringLiteral("return [$ctx.$user.id, $ctx.$user.email, $ctx.$user.isRootAdmin];");
        QJsonObject o = outcome({{"kind", "handler"}, {"sourceCode", source}, {"userId", m_userId}});
        QCOMPARE(o.value("result"), QJsonValue(QJsonArray{m_userId, "dora@admin.test", false}));
        o = outcome({{"kind", "handler"}, {"sourceCode", source}});
        QCOMPARE(o.value("result").toArray().at(0), QJsonValue(m_adminId));
        QCOMPARE(o.value("result").toArray().at(2), QJsonValue(true));
        // As that user, byUser counts on the user's key.
        o = outcome({{"kind", "handler"},
                     {"route", m_summaryRoute},
                     {"userId", m_userId},
                     {"sourceCode", "return (await $ctx.$helpers.$rateLimit.byUser({ maxRequests: 5, "
                                    "perSeconds: 60 })).remaining;"}});
        QCOMPARE(o.value("result"), QJsonValue(4));
        QCOMPARE(script(QStringLiteral(
                            "return (await $ctx.$helpers.$rateLimit.status('user:%1:/tr/:year/summary', "
                            "{ maxRequests: 5, perSeconds: 60 })).remaining;")
                            .arg(m_userId)),
                 QJsonValue(4));
        CHECK_ERROR(testRun({{"kind", "handler"}, {"sourceCode", source}, {"userId", "no-such-user"}}), 400,
                    "VALIDATION_ERROR");
    }

    void testRunStoresNothing()
    {
        const qint64 pre = count("hearth_pre_hook");
        const qint64 post = count("hearth_post_hook");
        const qint64 handlers = count("hearth_route_handler");
        QVERIFY(pre >= 0 && post >= 0 && handlers >= 0);
        const qint64 routeId = created(m_admin->post("/hearth_route", QJsonObject{{"path", "/tr-empty"}}));
        QVERIFY(routeId);
        for (const char *kind : {"preHook", "postHook", "handler"})
            QCOMPARE(outcome({{"kind", kind}, {"route", routeId}, {"sourceCode", "return 'ran';"}})
                         .value("result"),
                     QJsonValue("ran"));
        QCOMPARE(count("hearth_pre_hook"), pre);
        QCOMPARE(count("hearth_post_hook"), post);
        QCOMPARE(count("hearth_route_handler"), handlers);
        // The route still has no script: nothing answers on it.
        CHECK_ERROR(m_admin->get("/tr-empty"), 404, "NOT_FOUND");
        // Each run runs the code it is given.
        QCOMPARE(script("return 1;"), QJsonValue(1));
        QCOMPARE(script("return 2;"), QJsonValue(2));
        QCOMPARE(script("return 1;"), QJsonValue(1));
    }

    void testRunRefusesBadRequests_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("no kind") << QByteArray(R"({"sourceCode":"return 1;"})") << "VALIDATION_ERROR"
                                 << "kind must be preHook, postHook or handler";
        QTest::newRow("bad kind") << QByteArray(R"({"kind":"flow","sourceCode":"return 1;"})")
                                  << "VALIDATION_ERROR"
                                  << "kind must be";
        QTest::newRow("no source") << QByteArray(R"({"kind":"handler"})")
                                   << QStringLiteral("VALIDATION_ERROR")
                                   << QStringLiteral("sourceCode is required");
        QTest::newRow("bad method") << QByteArray(R"({"kind":"handler","sourceCode":"","method":"TRACE"})")
                                    << QStringLiteral("VALIDATION_ERROR")
                                    << QStringLiteral("method must be one of");
        QTest::newRow("unknown route id")
            << QByteArray(R"({"kind":"handler","sourceCode":"","route":999999})")
            << QStringLiteral("VALIDATION_ERROR") << QStringLiteral("route 999999 does not exist");
        QTest::newRow("unknown route path")
            << QByteArray(R"({"kind":"handler","sourceCode":"","route":"/nowhere"})")
            << QStringLiteral("VALIDATION_ERROR") << QStringLiteral("does not exist");
        QTest::newRow("query not object")
            << QByteArray(R"({"kind":"handler","sourceCode":"","query":"a=1"})")
            << QStringLiteral("VALIDATION_ERROR") << QStringLiteral("query must be an object");
        QTest::newRow("bad timeout") << QByteArray(R"({"kind":"handler","sourceCode":"","timeout":0})")
                                     << QStringLiteral("VALIDATION_ERROR")
                                     << QStringLiteral("timeout must be");
        QTest::newRow("unknown key") << QByteArray(R"({"kind":"handler","sourceCode":"","name":"x"})")
                                     << QStringLiteral("BAD_REQUEST")
                                     << QStringLiteral("name is not allowed");
        QTest::newRow("malformed") << QByteArray(R"({"kind":)") << QStringLiteral("BAD_REQUEST")
                                   << QStringLiteral("Malformed JSON body");
    }

    void testRunRefusesBadRequests()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, message);
        const HttpReply r = m_admin->post("/admin/test/run", body);
        QVERIFY2(r.status == 400 && r.errorCode() == code && r.message().contains(message),
                 qPrintable(r.describe()));
    }

    void adminMethodsNotAllowed()
    {
        HttpReply r = m_admin->get("/admin/test/run");
        CHECK_ERROR(r, 405, "METHOD_NOT_ALLOWED");
        QCOMPARE(r.header("allow"), QByteArray("POST"));
        r = m_admin->del("/admin/cache/overview");
        CHECK_ERROR(r, 405, "METHOD_NOT_ALLOWED");
        r = m_admin->patch("/admin/cache/key", QJsonObject{});
        CHECK_ERROR(r, 405, "METHOD_NOT_ALLOWED");
        QCOMPARE(r.header("allow"), QByteArray("GET, HEAD, POST, DELETE"));
        // Only the built-in paths: others under /admin are routes like any other.
        CHECK_ERROR(m_admin->get("/admin/cache/nothing"), 404, "NOT_FOUND");
    }

    // --- the cache monitor

    void cacheKeyLifecycle()
    {
        HttpReply r = setKey(QStringLiteral("adm:a"), QJsonObject{{"x", 1}}, 60000);
        CHECK_STATUS(r, 201);
        QCOMPARE(r.object().value("statusCode"), QJsonValue(201));
        QJsonObject row = r.data().at(0).toObject();
        QCOMPARE(row.value("key"), QJsonValue("adm:a"));
        QCOMPARE(row.value("value"), QJsonValue(QJsonObject{{"x", 1}}));
        QCOMPARE(row.value("kind"), QJsonValue("user"));
        QCOMPARE(row.value("type"), QJsonValue("object"));
        QVERIFY(row.value("bytes").toInteger() > 7);
        QVERIFY(row.value("ttlMs").toInteger() > 55000 && row.value("ttlMs").toInteger() <= 60000);
        // Scripts see it: one store.
        QCOMPARE(script("return await $ctx.$cache.get('adm:a');"), QJsonValue(QJsonObject{{"x", 1}}));

        r = setKey(QStringLiteral("adm:a"), 2);
        CHECK_STATUS(r, 200); // overwritten, not created
        row = r.data().at(0).toObject();
        QCOMPARE(row.value("type"), QJsonValue("number"));
        QCOMPARE(row.value("ttlMs"), QJsonValue(QJsonValue::Null)); // no ttlMs: no expiry
        r = getKey(QStringLiteral("adm:a"));
        CHECK_STATUS(r, 200);
        row = r.data().at(0).toObject();
        QCOMPARE(row.value("value"), QJsonValue(2));
        QVERIFY(row.contains("idleMs"));

        r = m_admin->patch("/admin/cache/key/ttl", QJsonObject{{"key", "adm:a"}, {"ttlMs", 5000}});
        CHECK_STATUS(r, 200);
        QVERIFY(r.data().at(0).toObject().value("ttlMs").toInteger() > 4000);
        r = m_admin->patch("/admin/cache/key/ttl",
                           QJsonObject{{"key", "adm:a"}, {"ttlMs", QJsonValue::Null}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("ttlMs"), QJsonValue(QJsonValue::Null));

        CHECK_STATUS(m_admin->del("/admin/cache/key?key=adm:a"), 200);
        CHECK_ERROR(getKey(QStringLiteral("adm:a")), 404, "NOT_FOUND");
        CHECK_ERROR(m_admin->del("/admin/cache/key?key=adm:a"), 404, "NOT_FOUND");
        CHECK_ERROR(m_admin->patch("/admin/cache/key/ttl", QJsonObject{{"key", "adm:a"}, {"ttlMs", 10}}), 404,
                    "NOT_FOUND");
        QCOMPARE(script("return await $ctx.$cache.get('adm:a');"), QJsonValue(QJsonValue::Null));

        // Any key, any JSON value.
        const QString odd = QStringLiteral("a b/ü?&=#%");
        CHECK_STATUS(setKey(odd, QJsonValue::Null), 201);
        r = getKey(odd);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("key"), QJsonValue(odd));
        QCOMPARE(r.data().at(0).toObject().value("type"), QJsonValue("null"));
        CHECK_STATUS(m_admin->del("/admin/cache/key?key=" + enc(odd)), 200);
    }

    void cacheKeyRefusesBadInput()
    {
        CHECK_ERROR(m_admin->post("/admin/cache/key", QJsonObject{{"key", "k"}}), 400, "VALIDATION_ERROR");
        CHECK_ERROR(m_admin->post("/admin/cache/key", QJsonObject{{"value", 1}}), 400, "VALIDATION_ERROR");
        CHECK_ERROR(m_admin->post("/admin/cache/key", QJsonObject{{"key", ""}, {"value", 1}}), 400,
                    "VALIDATION_ERROR");
        for (const QJsonValue &ttl : {QJsonValue(0), QJsonValue(-1), QJsonValue(1.5), QJsonValue("60000")})
            CHECK_ERROR(setKey(QStringLiteral("k"), 1, ttl), 400, "VALIDATION_ERROR");
        CHECK_ERROR(m_admin->post("/admin/cache/key", QJsonObject{{"key", "k"}, {"value", 1}, {"extra", 1}}),
                    400, "BAD_REQUEST");
        CHECK_ERROR(m_admin->post("/admin/cache/key",
                                  QJsonObject{{"key", QString(9000, QLatin1Char('k'))}, {"value", 1}}),
                    400, "BAD_REQUEST");
        CHECK_ERROR(m_admin->get("/admin/cache/key"), 400, "VALIDATION_ERROR");
        CHECK_ERROR(m_admin->del("/admin/cache/key"), 400, "VALIDATION_ERROR");
        CHECK_ERROR(m_admin->patch("/admin/cache/key/ttl", QJsonObject{{"key", "k"}}), 400,
                    "VALIDATION_ERROR");
        CHECK_ERROR(m_admin->patch("/admin/cache/key/ttl", QJsonObject{{"key", "k"}, {"ttlMs", "soon"}}), 400,
                    "VALIDATION_ERROR");
        CHECK_ERROR(getKey(QStringLiteral("k")), 404, "NOT_FOUND"); // nothing was stored
    }

    void cacheKeysScan()
    {
        for (int i = 0; i < 25; ++i)
            CHECK_STATUS(setKey(QStringLiteral("scan:%1").arg(i), i, 600000), 201);
        for (int i = 0; i < 3; ++i)
            CHECK_STATUS(setKey(QStringLiteral("other:%1").arg(i), QStringLiteral("v%1").arg(i)), 201);
        QCOMPARE(script("return await $ctx.$cache.acquire('scan-lock', 1, 60000);"), QJsonValue(true));

        QSet<QString> seen;
        quint64 cursor = 0;
        int pages = 0;
        do {
            const HttpReply r = m_admin->get("/admin/cache/keys?pattern=" + enc(QStringLiteral("scan:*")) +
                                             "&count=10&cursor=" + QByteArray::number(cursor));
            CHECK_STATUS(r, 200);
            QVERIFY(r.data().size() <= 10);
            for (const QJsonValue &v : r.data()) {
                const QJsonObject row = v.toObject();
                QVERIFY(row.value("key").toString().startsWith(QLatin1String("scan:")));
                QCOMPARE(row.value("kind"), QJsonValue("user"));
                QCOMPARE(row.value("type"), QJsonValue("number"));
                QVERIFY(row.value("bytes").toInteger() > 0);
                QVERIFY(row.value("ttlMs").toInteger() > 0);
                QVERIFY(!seen.contains(row.value("key").toString()));
                seen.insert(row.value("key").toString());
            }
            cursor = quint64(r.object().value("meta").toObject().value("nextCursor").toDouble());
            QVERIFY(++pages <= 10);
        } while (cursor != 0);
        QCOMPARE(seen.size(), 25);
        QVERIFY(pages >= 3);

        // A single-character glob; no pattern is every key.
        HttpReply r =
            m_admin->get("/admin/cache/keys?pattern=" + enc(QStringLiteral("scan:?")) + "&count=1000");
        QCOMPARE(r.data().size(), 10);
        r = m_admin->get("/admin/cache/keys?count=1000");
        QSet<QString> all;
        for (const QJsonValue &v : r.data())
            all.insert(v.toObject().value("key").toString());
        QVERIFY(all.contains(QStringLiteral("other:2")) && all.contains(QStringLiteral("scan:24")));
        // A lock is a system key.
        r = m_admin->get("/admin/cache/keys?pattern=scan-lock");
        QCOMPARE(r.data().size(), 1);
        QCOMPARE(r.data().at(0).toObject().value("kind"), QJsonValue("system"));

        CHECK_ERROR(m_admin->get("/admin/cache/keys?count=0"), 400, "BAD_REQUEST");
        CHECK_ERROR(m_admin->get("/admin/cache/keys?count=1001"), 400, "BAD_REQUEST");
        CHECK_ERROR(m_admin->get("/admin/cache/keys?count=ten"), 400, "BAD_REQUEST");
        CHECK_ERROR(m_admin->get("/admin/cache/keys?cursor=-1"), 400, "BAD_REQUEST");
    }

    void cacheOverviewCounts()
    {
        QJsonObject before = overview();
        QCOMPARE(before.value("limitBytes").toInteger(), 30LL * 1024 * 1024); // the default budget
        QCOMPARE(before.value("keyCount").toInteger(),
                 before.value("userKeys").toInteger() + before.value("systemKeys").toInteger());
        QVERIFY(script(R"JS(
await $ctx.$cache.setNoExpire('ov:present', 'here');
await $ctx.$cache.get('ov:present');
await $ctx.$cache.get('ov:present');
await $ctx.$cache.get('ov:absent');
return await $ctx.$cache.acquire('ov:lock', 'me', 60000);
)JS")
                    .toBool());
        QJsonObject after = overview();
        QCOMPARE(after.value("hits").toInteger(), before.value("hits").toInteger() + 2);
        QCOMPARE(after.value("misses").toInteger(), before.value("misses").toInteger() + 1);
        QCOMPARE(after.value("userKeys").toInteger(), before.value("userKeys").toInteger() + 1);
        QCOMPARE(after.value("systemKeys").toInteger(), before.value("systemKeys").toInteger() + 1);
        QCOMPARE(after.value("keyCount").toInteger(), before.value("keyCount").toInteger() + 2);
        QVERIFY(after.value("usedBytes").toInteger() > before.value("usedBytes").toInteger());
        const double hits = after.value("hits").toDouble();
        const double misses = after.value("misses").toDouble();
        QVERIFY(qAbs(after.value("hitRatio").toDouble() - hits / (hits + misses)) < 1e-9);

        // An expired key is counted when it goes.
        QVERIFY(script("await $ctx.$cache.set('ov:brief', 1, 50); return true;").toBool());
        QThread::msleep(150);
        QCOMPARE(script("return await $ctx.$cache.get('ov:brief');"), QJsonValue(QJsonValue::Null));
        const QJsonObject expired = overview();
        QCOMPARE(expired.value("expirations").toInteger(), after.value("expirations").toInteger() + 1);
        QCOMPARE(expired.value("misses").toInteger(), after.value("misses").toInteger() + 1);
        for (const char *key : {"evictions", "expirations", "hits", "misses", "usedBytes"})
            QVERIFY2(expired.value(QLatin1String(key)).isDouble(), key);
    }

    // The engine sweeps expired keys every few seconds, also those nobody reads again.
    void expiredKeysAreSwept()
    {
        const QJsonObject before = overview();
        CHECK_STATUS(setKey(QStringLiteral("sweep:a"), 1, 50), 201);
        CHECK_STATUS(setKey(QStringLiteral("sweep:b"), 2, 50), 201);
        QDeadlineTimer deadline(15'000);
        QJsonObject now = overview();
        while (now.value("expirations").toInteger() < before.value("expirations").toInteger() + 2 &&
               !deadline.hasExpired()) {
            QThread::msleep(200);
            now = overview();
        }
        QVERIFY2(now.value("expirations").toInteger() >= before.value("expirations").toInteger() + 2,
                 qPrintable(compact(now)));
        QVERIFY(now.value("userKeys").toInteger() <= before.value("userKeys").toInteger());
    }

    // The budget (setting cacheLimitMb) evicts the least recently used user keys.
    void cacheBudgetEvictsLeastRecentlyUsed()
    {
        QVERIFY(m_server->setSetting(QStringLiteral("cacheLimitMb"), 0.05));
        const QJsonObject before = overview();
        QCOMPARE(before.value("limitBytes").toInteger(), qint64(0.05 * 1024 * 1024));
        const QString chunk(8000, QLatin1Char('x'));
        for (int i = 0; i < 10; ++i) {
            CHECK_STATUS(setKey(QStringLiteral("lru:%1").arg(i), chunk), 201);
            // lru:0 is read after every write: the most recently used.
            QCOMPARE(script("return (await $ctx.$cache.get('lru:0')) !== null;"), QJsonValue(true));
        }
        const QJsonObject after = overview();
        QVERIFY2(after.value("evictions").toInteger() >= before.value("evictions").toInteger() + 4,
                 qPrintable(compact(after)));
        QVERIFY(after.value("usedBytes").toInteger() <= after.value("limitBytes").toInteger());
        CHECK_STATUS(getKey(QStringLiteral("lru:0")), 200);
        CHECK_ERROR(getKey(QStringLiteral("lru:1")), 404, "NOT_FOUND"); // the least recently used
        CHECK_STATUS(getKey(QStringLiteral("lru:9")), 200);
        // Locks are not evicted.
        HttpReply lock = m_admin->get("/admin/cache/keys?pattern=ov:lock");
        QCOMPARE(lock.data().size(), 1);
        // A value larger than the whole budget is refused.
        CHECK_ERROR(setKey(QStringLiteral("too-big"), QString(60000, QLatin1Char('y'))), 413,
                    "PAYLOAD_TOO_LARGE");
        QCOMPARE(script("try { await $ctx.$cache.setNoExpire('too-big', 'y'.repeat(60000)); } catch (e) { "
                        "return e.name; }"),
                 QJsonValue("RangeError"));

        QVERIFY(m_server->setSetting(QStringLiteral("cacheLimitMb"), 30));
        QCOMPARE(overview().value("limitBytes").toInteger(), 30LL * 1024 * 1024);
        // Not a positive number: refused, the budget stays.
        QVERIFY(!m_server->setSetting(QStringLiteral("cacheLimitMb"), -4));
        QCOMPARE(overview().value("limitBytes").toInteger(), 30LL * 1024 * 1024);
    }
};

QTEST_GUILESS_MAIN(TestAdmin)
#include "tst_admin.moc"
