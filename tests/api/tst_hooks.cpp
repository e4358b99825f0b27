// The script lifecycle through real HTTP against a real server (API.md
// "Scripts: hooks and handlers"): stored scripts take effect on the next
// request on every worker, disabled hooks and the methods filter, global
// hooks, ordering (priority asc, globals first on ties), preHook
// short-circuit, $body/$query changed by preHooks reaching the default CRUD,
// postHooks with $data, $statusCode and $error (always run, each on its own),
// and after-response hooks.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>
#include <QtTest>

#include <functional>
#include <memory>
#include <vector>

using namespace Hearth;

namespace {

QByteArray compact(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
}

QByteArray enc(const QJsonObject &object)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(compact(object)));
}

QByteArray number(qint64 n)
{
    return QByteArray::number(n);
}

QStringList strings(const QJsonValue &array)
{
    QStringList out;
    for (const QJsonValue &v : array.toArray())
        out << v.toString();
    return out;
}

// A hook that records its name in $share.order and $logs, when the request
// carries x-order (so global ones stay out of other tests' requests).
QString recorder(const QString &name)
{
    return QStringLiteral("if (!$ctx.$req.headers['x-order']) return;\n"
                          "($ctx.$share.order = $ctx.$share.order || []).push('%1');\n"
                          "$ctx.$logs('%1');")
        .arg(name);
}

} // namespace

class TestHooks : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    QList<QByteArray> m_scripts; // "/hearth_pre_hook/3": removed after each test
    qint64 m_itemRoute = 0;      // route /hk_item (default CRUD)

    // --- setup helpers ---

    qint64 created(const HttpReply &r)
    {
        if (r.status != 201) {
            qWarning("create: %s", qPrintable(r.describe()));
            return 0;
        }
        return r.data().at(0).toObject().value("id").toInteger();
    }
    qint64 routeIdOf(const QString &path)
    {
        const HttpReply r = m_admin->get("/hearth_route?fields=id&filter=" + enc({{"path", path}}));
        return r.data().at(0).toObject().value("id").toInteger();
    }
    qint64 makeRoute(const QString &path, const QJsonObject &extra = {})
    {
        QJsonObject body = extra;
        body.insert("path", path);
        return created(m_admin->post("/hearth_route", body));
    }
    qint64 addScript(const QByteArray &table, QJsonObject body)
    {
        const qint64 id = created(m_admin->post("/" + table, body));
        if (id)
            m_scripts << "/" + table + "/" + number(id);
        return id;
    }
    qint64 handler(qint64 route, const QString &method, const QString &source, int timeout = 0)
    {
        QJsonObject body{{"route", route}, {"method", method}, {"sourceCode", source}};
        if (timeout)
            body.insert("timeout", timeout);
        return addScript("hearth_route_handler", body);
    }
    // A hook; hook holds name, sourceCode and any other field (route, methods, priority…).
    qint64 preHook(QJsonObject hook) { return addScript("hearth_pre_hook", hook); }
    qint64 postHook(QJsonObject hook) { return addScript("hearth_post_hook", hook); }
    static QJsonObject hook(const QString &name, qint64 route, const QString &source,
                            const QJsonObject &extra = {})
    {
        QJsonObject h = extra;
        h.insert("name", name);
        h.insert("sourceCode", source);
        if (route)
            h.insert("route", route);
        return h;
    }
    qint64 countItems(const QJsonObject &filter)
    {
        const HttpReply r = m_admin->get("/hk_item?limit=1&meta=filterCount&filter=" + enc(filter));
        return r.object().value("meta").toObject().value("filterCount").toInteger(-1);
    }
    QStringList logTexts()
    {
        const HttpReply r = m_admin->get("/hk_log?limit=0&sort=id&fields=text");
        QStringList out;
        for (const QJsonValue &row : r.data())
            out << row.toObject().value("text").toString();
        return out;
    }

private slots:
    void initTestCase();
    void cleanup();

    void scriptChangesApplyOnEveryWorker();
    void disabledHooksDoNotRun();
    void methodsFilter();
    void globalHooksRunOnEveryRoute();
    void orderByPriorityGlobalsFirstOnTies();
    void shareIsPerRequest();
    void preHookShortCircuits();
    void preHookReturningUndefinedGoesOn();
    void preHooksChangeBodyForDefaultCrud();
    void preHooksChangeQueryForDefaultCrud();
    void bodyReadButNotChangedGoesOnAsSent();
    void preHookChangesReachHandlerScripts();
    void postHooksSeeAndChangeDefaultCrudData();
    void postHooksReplaceHandlerData();
    void statusCodeFromHandlerAndPostHook();
    void postHooksRunAfterErrors();
    void postHookMayClearTheError();
    void failingPostHookChangesNothing();
    void failingPostHookAfterAnError();
    void afterResponseHooksRunAfterTheAnswer();
    void afterResponseHookFailuresAreNotReturned();
    void loginRateLimitedByIpInAPreHook();
};

void TestHooks::initTestCase()
{
    m_server = std::make_unique<HearthTestServer>();
    QVERIFY(m_server->start());
    m_admin = m_server->adminClient();
    HttpReply r =
        m_admin->post("/hearth_table",
                      QJsonObject{{"name", "hk_item"},
                                  {"columns", QJsonArray{QJsonObject{{"name", "title"}, {"type", "varchar"}},
                                                         QJsonObject{{"name", "views"}, {"type", "int"}},
                                                         QJsonObject{{"name", "note"}, {"type", "text"}}}}});
    CHECK_STATUS(r, 201);
    r = m_admin->post("/hearth_table",
                      QJsonObject{{"name", "hk_log"},
                                  {"columns", QJsonArray{QJsonObject{{"name", "text"}, {"type", "text"}}}}});
    CHECK_STATUS(r, 201);
    m_itemRoute = routeIdOf("/hk_item");
    QVERIFY(m_itemRoute > 0);
    for (int i = 1; i <= 5; ++i)
        CHECK_STATUS(
            m_admin->post("/hk_item", QJsonObject{{"title", QStringLiteral("item %1").arg(i)}, {"views", i}}),
            201);
}

void TestHooks::cleanup()
{
    for (const QByteArray &path : std::as_const(m_scripts)) {
        const HttpReply r = m_admin->del(path);
        if (r.status != 200)
            qWarning("cleanup %s: %s", path.constData(), qPrintable(r.describe()));
    }
    m_scripts.clear();
}

// A changed handler or hook answers from the next request on, on both
// workers, without a restart. Each worker has its own engine: the handler
// tells them apart by a tag it keeps in its engine's global object.
void TestHooks::scriptChangesApplyOnEveryWorker()
{
    const qint64 route = makeRoute("/hk_hot");
    QVERIFY(route);
    auto source = [](int version) {
        return QStringLiteral("const g = Function('return this')();\n"
                              "if (!g.__tag) g.__tag = String(Math.random());\n"
                              "return { engine: g.__tag, version: %1 };")
            .arg(version);
    };
    const qint64 id = handler(route, "GET", source(1));
    QVERIFY(id);

    // Connections go to the worker with the fewest: among a few, two land on different workers.
    std::vector<std::unique_ptr<TestHttpClient>> clients;
    QHash<QString, int> byEngine; // engine tag -> client index
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<TestHttpClient>(m_server->port()));
        clients.back()->setBearerToken(m_server->adminToken());
        const HttpReply r = clients.back()->get("/hk_hot");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.object().value("version").toInt(), 1);
        byEngine.insert(r.object().value("engine").toString(), i);
    }
    QVERIFY2(byEngine.size() >= 2, "every connection was served by the same worker");
    QList<TestHttpClient *> pair;
    for (int index : byEngine)
        pair << clients[index].get();
    pair = pair.mid(0, 2);

    auto everyoneSees = [&](const std::function<bool(const HttpReply &)> &check) {
        for (int round = 0; round < 3; ++round)
            for (TestHttpClient *client : pair) {
                const HttpReply r = client->get("/hk_hot");
                if (!check(r)) {
                    qWarning("unexpected: %s", qPrintable(r.describe()));
                    return false;
                }
            }
        return true;
    };

    for (int version = 2; version <= 4; ++version) {
        CHECK_STATUS(m_admin->patch("/hearth_route_handler/" + number(id),
                                    QJsonObject{{"sourceCode", source(version)}}),
                     200);
        QVERIFY(everyoneSees([version](const HttpReply &r) {
            return r.status == 200 && r.object().value("version").toInt() == version;
        }));
    }

    // A new preHook answers in place of the handler at once…
    const qint64 pre = preHook(hook("hot-pre", route, "return { version: 'pre' };"));
    QVERIFY(pre);
    QVERIFY(everyoneSees([](const HttpReply &r) {
        return r.status == 200 && r.object().value("version").toString() == u"pre";
    }));
    // …disabled, it is gone at once…
    CHECK_STATUS(m_admin->patch("/hearth_pre_hook/" + number(pre), QJsonObject{{"isEnabled", false}}), 200);
    QVERIFY(everyoneSees(
        [](const HttpReply &r) { return r.status == 200 && r.object().value("version").toInt() == 4; }));
    // …and a deleted handler leaves a route with no table and no script: not found.
    CHECK_STATUS(m_admin->del("/hearth_route_handler/" + number(id)), 200);
    m_scripts.removeAll("/hearth_route_handler/" + number(id));
    QVERIFY(
        everyoneSees([](const HttpReply &r) { return r.status == 404 && r.errorCode() == u"NOT_FOUND"; }));
}

void TestHooks::disabledHooksDoNotRun()
{
    const qint64 pre = preHook(hook("disabled-pre", m_itemRoute, "$ctx.$logs('pre ran');",
                                    {{"isEnabled", false}, {"methods", QJsonArray{"GET"}}}));
    const qint64 post = postHook(hook("disabled-post", m_itemRoute, "$ctx.$logs('post ran');",
                                      {{"isEnabled", false}, {"methods", QJsonArray{"GET"}}}));
    const qint64 global =
        preHook(hook("disabled-global", 0, "$ctx.$logs('global ran');",
                     {{"isEnabled", false}, {"isGlobal", true}, {"methods", QJsonArray{"GET"}}}));
    QVERIFY(pre && post && global);

    HttpReply r = m_admin->get("/hk_item?limit=1");
    CHECK_STATUS(r, 200);
    QVERIFY2(!r.object().contains("logs"), qPrintable(r.describe()));
    QCOMPARE(r.data().size(), 1);

    CHECK_STATUS(m_admin->patch("/hearth_pre_hook/" + number(pre), QJsonObject{{"isEnabled", true}}), 200);
    CHECK_STATUS(m_admin->patch("/hearth_post_hook/" + number(post), QJsonObject{{"isEnabled", true}}), 200);
    r = m_admin->get("/hk_item?limit=1");
    CHECK_STATUS(r, 200);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"pre ran", "post ran"}));

    CHECK_STATUS(m_admin->patch("/hearth_pre_hook/" + number(pre), QJsonObject{{"isEnabled", false}}), 200);
    r = m_admin->get("/hk_item?limit=1");
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"post ran"}));
}

void TestHooks::methodsFilter()
{
    QVERIFY(preHook(
        hook("only-post", m_itemRoute, "$ctx.$logs('only-post');", {{"methods", QJsonArray{"POST"}}})));
    QVERIFY(preHook(hook("get-delete", m_itemRoute, "$ctx.$logs('get-delete');",
                         {{"methods", QJsonArray{"GET", "DELETE"}}})));
    QVERIFY(preHook(hook("all", m_itemRoute, "$ctx.$logs('all');", {{"methods", QJsonArray()}})));
    QVERIFY(postHook(
        hook("post-patch", m_itemRoute, "$ctx.$logs('post-patch');", {{"methods", QJsonArray{"PATCH"}}})));

    HttpReply r = m_admin->get("/hk_item?limit=1");
    CHECK_STATUS(r, 200);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"get-delete", "all"}));

    r = m_admin->post("/hk_item", QJsonObject{{"title", "methods"}});
    CHECK_STATUS(r, 201);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"only-post", "all"}));
    const QByteArray item = "/hk_item/" + number(r.data().at(0).toObject().value("id").toInteger());

    r = m_admin->patch(item, QJsonObject{{"views", 9}});
    CHECK_STATUS(r, 200);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"all", "post-patch"}));

    r = m_admin->get(item);
    CHECK_STATUS(r, 200);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"get-delete", "all"}));

    r = m_admin->del(item);
    CHECK_STATUS(r, 200);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"get-delete", "all"}));
}

void TestHooks::globalHooksRunOnEveryRoute()
{
    const qint64 custom = makeRoute("/hk_custom");
    QVERIFY(custom);
    QVERIFY(handler(custom, "GET", "return { handled: true };"));
    QVERIFY(preHook(hook("global-pre", 0,
                         "if ($ctx.$req.headers['x-probe']) $ctx.$logs('global pre on ' + $ctx.$req.path);",
                         {{"isGlobal", true}})));
    QVERIFY(postHook(
        hook("global-post", 0,
             "if ($ctx.$req.headers['x-probe'])\n"
             "  $ctx.$logs('global post ' + ($ctx.$error ? $ctx.$error.statusCode : $ctx.$statusCode));",
             {{"isGlobal", true}})));
    const HttpHeaders probe{{"X-Probe", "1"}};

    const struct
    {
        QByteArray method;
        QByteArray path;
        int status;
    } cases[] = {
        {"GET", "/hk_item?limit=1", 200}, {"GET", "/hk_log", 200},  {"GET", "/hk_custom", 200},
        {"GET", "/hearth_role", 200},     {"POST", "/hk_log", 201}, {"GET", "/hk_item/999999", 404},
    };
    for (const auto &c : cases) {
        const QByteArray body = c.method == "POST" ? QByteArray("{\"text\":\"global\"}") : QByteArray();
        HttpHeaders headers = probe;
        if (!body.isEmpty())
            headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        const HttpReply r = m_admin->request(c.method, c.path, body, headers);
        QVERIFY2(r.status == c.status, qPrintable(r.describe()));
        const QString path = QString::fromLatin1(c.path.split('?').first());
        QCOMPARE(strings(r.object().value("logs")),
                 (QStringList{"global pre on " + path, QStringLiteral("global post %1").arg(c.status)}));
    }
    // A method the route does not have: still 405 with its Allow header.
    const HttpReply put =
        m_admin->request("PUT", "/hk_item", "{}", {{"X-Probe", "1"}, {"Content-Type", "application/json"}});
    CHECK_STATUS(put, 405);
    QCOMPARE(put.errorCode(), QStringLiteral("METHOD_NOT_ALLOWED"));
    QVERIFY2(put.header("allow").contains("GET") && put.header("allow").contains("POST"),
             qPrintable(put.describe()));
    QCOMPARE(strings(put.object().value("logs")), (QStringList{"global pre on /hk_item", "global post 405"}));
    // Without the header the same hooks run and log nothing.
    const HttpReply r = m_admin->get("/hk_custom");
    QCOMPARE(r.body, QByteArray(R"({"handled":true})"));
}

void TestHooks::orderByPriorityGlobalsFirstOnTies()
{
    const qint64 route = makeRoute("/hk_order");
    QVERIFY(route);
    // A copy: the postHooks go on adding to $share.order before the answer is made.
    QVERIFY(handler(route, "GET", "return { order: $ctx.$share.order.slice() };"));
    // Created in an order unlike the expected one; ties between the route's own
    // hooks keep their creation order.
    QVERIFY(preHook(hook("r5", route, recorder("r5"), {{"priority", 5}})));
    QVERIFY(preHook(hook("r0a", route, recorder("r0a"), {{"priority", 0}})));
    QVERIFY(preHook(hook("g0", 0, recorder("g0"), {{"priority", 0}, {"isGlobal", true}})));
    QVERIFY(preHook(hook("r0b", route, recorder("r0b"), {{"priority", 0}})));
    QVERIFY(preHook(hook("rm3", route, recorder("rm3"), {{"priority", -3}})));
    QVERIFY(preHook(hook("g5", 0, recorder("g5"), {{"priority", 5}, {"isGlobal", true}})));
    QVERIFY(preHook(hook("g9", 0, recorder("g9"), {{"priority", 9}, {"isGlobal", true}})));
    QVERIFY(postHook(hook("p1", route, recorder("p1"), {{"priority", 1}})));
    QVERIFY(postHook(hook("pg1", 0, recorder("pg1"), {{"priority", 1}, {"isGlobal", true}})));
    QVERIFY(postHook(hook("p0", route, recorder("p0"), {{"priority", 0}})));
    QVERIFY(postHook(hook("pm1", route, recorder("pm1"), {{"priority", -1}})));

    const QStringList pre{"rm3", "g0", "r0a", "r0b", "g5", "r5", "g9"};
    const QStringList post{"pm1", "p0", "pg1", "p1"};
    const HttpReply r = m_admin->get("/hk_order", {{"X-Order", "1"}});
    CHECK_STATUS(r, 200);
    QCOMPARE(strings(r.object().value("order")), pre);
    QCOMPARE(strings(r.object().value("logs")), pre + post);
}

void TestHooks::shareIsPerRequest()
{
    const qint64 route = makeRoute("/hk_share");
    QVERIFY(route);
    QVERIFY(preHook(hook("count", route,
                         "$ctx.$share.count = ($ctx.$share.count || 0) + 1;\n"
                         "$ctx.$share.seen = ($ctx.$share.seen || []).concat(['pre']);")));
    QVERIFY(preHook(hook("count-again", route, "$ctx.$share.count += 10;", {{"priority", 1}})));
    QVERIFY(handler(route, "GET",
                    "$ctx.$share.seen.push('handler');\n"
                    "return { count: $ctx.$share.count, seen: $ctx.$share.seen };"));
    QVERIFY(postHook(hook("post", route,
                          "$ctx.$share.seen.push('post');\n"
                          "$ctx.$data.seenByPost = $ctx.$share.seen.slice();")));
    for (int i = 0; i < 3; ++i) {
        const HttpReply r = m_admin->get("/hk_share");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.object().value("count").toInt(), 11);
        QCOMPARE(strings(r.object().value("seenByPost")), (QStringList{"pre", "handler", "post"}));
    }
}

void TestHooks::preHookShortCircuits()
{
    // On the default CRUD: the POST does not create the row.
    QVERIFY(
        preHook(hook("block", m_itemRoute,
                     "if ($ctx.$body.title === 'blocked') return { blocked: true, title: $ctx.$body.title };",
                     {{"methods", QJsonArray{"POST"}}})));
    QVERIFY(preHook(hook("after-block", m_itemRoute, "$ctx.$logs('second preHook ran');",
                         {{"methods", QJsonArray{"POST"}}, {"priority", 1}})));
    QVERIFY(postHook(hook("post-sees", m_itemRoute,
                          "$ctx.$logs('post saw ' + JSON.stringify($ctx.$data) + ' ' + $ctx.$statusCode);",
                          {{"methods", QJsonArray{"POST"}}})));
    HttpReply r = m_admin->post("/hk_item", QJsonObject{{"title", "blocked"}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object(),
             (QJsonObject{{"blocked", true},
                          {"title", "blocked"},
                          {"logs", QJsonArray{R"(post saw {"blocked":true,"title":"blocked"} 200)"}}}));
    QCOMPARE(countItems({{"title", "blocked"}}), 0);
    // Not blocked: both preHooks, the CRUD and the postHook run.
    r = m_admin->post("/hk_item", QJsonObject{{"title", "passes"}});
    CHECK_STATUS(r, 201);
    QCOMPARE(strings(r.object().value("logs")).first(), QStringLiteral("second preHook ran"));
    QCOMPARE(countItems({{"title", "passes"}}), 1);

    // On a handler script: the handler does not run. Any value short-circuits, null and strings too.
    const qint64 route = makeRoute("/hk_short");
    QVERIFY(route);
    QVERIFY(handler(route, "POST",
                    "await $ctx.$repos.hk_item.create({ data: { title: 'handler ran' } });\n"
                    "return { handler: true };"));
    QVERIFY(preHook(hook("short", route,
                         "if ($ctx.$query.as === 'string') return 'short';\n"
                         "if ($ctx.$query.as === 'null') return null;\n"
                         "if ($ctx.$query.as === 'zero') return 0;\n"
                         "if ($ctx.$query.as === 'array') return [1, 2];")));
    QVERIFY(postHook(hook("short-post", route, "$ctx.$share.postRan = true; $ctx.$logs('post ran');")));
    const struct
    {
        QByteArray as;
        QByteArray body;
    } cases[] = {{"string", R"("short")"}, {"null", "null"}, {"zero", "0"}, {"array", "[1,2]"}};
    for (const auto &c : cases) {
        r = m_admin->post("/hk_short?as=" + c.as, QJsonObject{});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.body, c.body);
    }
    QCOMPARE(countItems({{"title", "handler ran"}}), 0);
    r = m_admin->post("/hk_short", QJsonObject{});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object(), (QJsonObject{{"handler", true}, {"logs", QJsonArray{"post ran"}}}));
    QCOMPARE(countItems({{"title", "handler ran"}}), 1);
    CHECK_STATUS(
        m_admin->del("/hk_item/" + number(m_admin->get("/hk_item?filter=" + enc({{"title", "handler ran"}}))
                                              .data()
                                              .at(0)
                                              .toObject()
                                              .value("id")
                                              .toInteger())),
        200);
}

void TestHooks::preHookReturningUndefinedGoesOn()
{
    const qint64 route = makeRoute("/hk_undefined");
    QVERIFY(route);
    QVERIFY(handler(route, "GET", "return { handler: true };"));
    QVERIFY(preHook(hook("bare-return", route, "return;")));
    QVERIFY(preHook(hook("return-undefined", route, "return undefined;", {{"priority", 1}})));
    QVERIFY(preHook(hook("no-return", route, "const x = 1;", {{"priority", 2}})));
    QVERIFY(preHook(
        hook("async-undefined", route, "await null; return (await Promise.resolve())", {{"priority", 3}})));
    const HttpReply r = m_admin->get("/hk_undefined");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"handler":true})"));
}

void TestHooks::preHooksChangeBodyForDefaultCrud()
{
    QVERIFY(preHook(hook("replace-body", m_itemRoute,
                         "if ($ctx.$body.replace) $ctx.$body = { title: 'replaced:' + $ctx.$body.title };",
                         {{"methods", QJsonArray{"POST", "PATCH"}}})));
    QVERIFY(preHook(hook("add-fields", m_itemRoute,
                         "$ctx.$body.views = 42;\n"
                         "$ctx.$body.note = 'from ' + $ctx.$req.method;",
                         {{"methods", QJsonArray{"POST", "PATCH"}}, {"priority", 1}})));

    // "replace" is no column: the canonical route would refuse it, the hook took it out.
    HttpReply r = m_admin->post("/hk_item", QJsonObject{{"title", "x"}, {"replace", true}});
    CHECK_STATUS(r, 201);
    QJsonObject row = r.data().at(0).toObject();
    QCOMPARE(row.value("title").toString(), QStringLiteral("replaced:x"));
    QCOMPARE(row.value("views").toInt(), 42);
    QCOMPARE(row.value("note").toString(), QStringLiteral("from POST"));
    const qint64 id = row.value("id").toInteger();

    r = m_admin->patch("/hk_item/" + number(id), QJsonObject{{"views", 1}});
    CHECK_STATUS(r, 200);
    row = m_admin->get("/hk_item/" + number(id)).data().at(0).toObject();
    QCOMPARE(row.value("views").toInt(), 42);
    QCOMPARE(row.value("note").toString(), QStringLiteral("from PATCH"));
    QCOMPARE(row.value("title").toString(), QStringLiteral("replaced:x"));

    // What the hooks left is validated like any body.
    QVERIFY(preHook(hook("bad-body", m_itemRoute, "if ($ctx.$body.bad) $ctx.$body.views = 'many';",
                         {{"methods", QJsonArray{"POST"}}, {"priority", 2}})));
    r = m_admin->post("/hk_item", QJsonObject{{"title", "y"}, {"bad", true}});
    QCOMPARE(r.status, 400);
    CHECK_STATUS(m_admin->del("/hk_item/" + number(id)), 200);
}

// A preHook that only reads $body does not change what the default CRUD
// stores: the client's text goes on (integers past 2^53 survive).
void TestHooks::bodyReadButNotChangedGoesOnAsSent()
{
    HttpReply r = m_admin->post(
        "/hearth_table",
        QJsonObject{{"name", "hk_big"},
                    {"columns", QJsonArray{QJsonObject{{"name", "v"}, {"type", "bigint"}},
                                           QJsonObject{{"name", "label"}, {"type", "varchar"}}}}});
    CHECK_STATUS(r, 201);
    const qint64 route = routeIdOf("/hk_big");
    QVERIFY(
        preHook(hook("reads", route, "$ctx.$logs(typeof $ctx.$body.v, JSON.stringify($ctx.$body).length);")));
    QVERIFY(preHook(hook("labels", route,
                         "if ($ctx.$body.relabel) { delete $ctx.$body.relabel; $ctx.$body.label = 'x'; }",
                         {{"priority", 1}})));
    r = m_admin->post("/hk_big", QByteArray(R"({ "v" : 9007199254740993, "label": "exact" })"));
    CHECK_STATUS(r, 201);
    QVERIFY2(r.body.contains(R"("v":9007199254740993)"), r.body.constData());
    const qint64 id = r.data().at(0).toObject().value("id").toInteger();
    QVERIFY2(m_admin->get("/hk_big/" + number(id)).body.contains(R"("v":9007199254740993)"), "stored");
    // Likewise the default CRUD's answer, read by a postHook but not changed.
    QVERIFY(postHook(hook("reads-data", route,
                          "if (!$ctx.$data.data.length) throw new Error('no rows');\n"
                          "if ($ctx.$query.mark) $ctx.$data.marked = true;",
                          {{"methods", QJsonArray{"GET"}}})));
    r = m_admin->get("/hk_big/" + number(id));
    CHECK_STATUS(r, 200);
    QVERIFY2(r.body.contains(R"("v":9007199254740993)"), r.body.constData());
    QVERIFY(!r.object().contains("marked"));
    r = m_admin->get("/hk_big/" + number(id) + "?mark=1");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object().value("marked").toBool(), true);
    // Changed by a hook: what the hook made of it is stored.
    r = m_admin->post("/hk_big", QByteArray(R"({"v": 5, "relabel": true})"));
    CHECK_STATUS(r, 201);
    QCOMPARE(r.data().at(0).toObject().value("label").toString(), QStringLiteral("x"));
    // An empty body stays empty (the canonical route's own answer).
    const HttpReply empty = m_admin->post("/hk_big", QByteArray());
    QCOMPARE(empty.status, 201);
}

void TestHooks::preHooksChangeQueryForDefaultCrud()
{
    QVERIFY(preHook(
        hook("force-query", m_itemRoute,
             "if ($ctx.$query.forced) {\n"
             "  delete $ctx.$query.forced;\n"
             "  $ctx.$query.limit = 2;\n"
             "  $ctx.$query.sort = ['-views'];\n"
             "  $ctx.$query.fields = ['id', 'title', 'views'];\n"
             "  $ctx.$query.meta = 'filterCount';\n"
             "  $ctx.$query.filter = { views: { _gte: 2, _lte: 5 } };\n"
             "}\n"
             "if ($ctx.$query.replaced)\n"
             "  $ctx.$query = { limit: 1, fields: 'title', sort: 'views', filter: { views: { _gte: 1 } } };",
             {{"methods", QJsonArray{"GET"}}})));

    HttpReply r = m_admin->get("/hk_item?forced=1&limit=50&sort=id");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.data().size(), 2);
    QCOMPARE(r.data().at(0).toObject().value("views").toInt(), 5);
    QCOMPARE(r.data().at(1).toObject().value("views").toInt(), 4);
    QCOMPARE(r.data().at(0).toObject().keys(), (QStringList{"id", "title", "views"}));
    QCOMPARE(r.object().value("meta").toObject().value("filterCount").toInt(), 4);

    r = m_admin->get("/hk_item?replaced=1&limit=50");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.data(), (QJsonArray{QJsonObject{{"id", 1}, {"title", "item 1"}}}));

    // The limit a hook forces also caps what the caller asked for, on every list.
    QVERIFY(preHook(hook("cap", m_itemRoute, "$ctx.$query.limit = 1;",
                         {{"methods", QJsonArray{"GET"}}, {"priority", 5}})));
    r = m_admin->get("/hk_item?limit=0");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.data().size(), 1);
}

void TestHooks::preHookChangesReachHandlerScripts()
{
    const qint64 route = makeRoute("/hk_echo/:name");
    QVERIFY(route);
    QVERIFY(preHook(hook("change", route,
                         "$ctx.$body.added = $ctx.$params.name;\n"
                         "$ctx.$query.page = '7';\n"
                         "$ctx.$share.by = 'pre';")));
    QVERIFY(handler(route, "POST", "return { body: $ctx.$body, query: $ctx.$query, share: $ctx.$share };"));
    const HttpReply r = m_admin->post("/hk_echo/ann?x=1", QJsonObject{{"given", 1}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object(), (QJsonObject{{"body", QJsonObject{{"given", 1}, {"added", "ann"}}},
                                      {"query", QJsonObject{{"x", "1"}, {"page", "7"}}},
                                      {"share", QJsonObject{{"by", "pre"}}}}));
}

void TestHooks::postHooksSeeAndChangeDefaultCrudData()
{
    QVERIFY(postHook(
        hook("inspect", m_itemRoute,
             "$ctx.$logs(Object.keys($ctx.$data).join(','), $ctx.$data.statusCode, $ctx.$statusCode,\n"
             "           Array.isArray($ctx.$data.data), $ctx.$error);\n"
             "if ($ctx.$req.method === 'GET') {\n"
             "  $ctx.$data.data.forEach(row => { row.title = row.title.toUpperCase(); });\n"
             "  $ctx.$data.extra = 'added';\n"
             "}")));
    QVERIFY(postHook(hook("replace-patch", m_itemRoute,
                          "$ctx.$data = { patched: $ctx.$data.data[0].id };\n"
                          "$ctx.$statusCode = 202;",
                          {{"methods", QJsonArray{"PATCH"}}, {"priority", 1}})));

    HttpReply r = m_admin->get("/hk_item?limit=2&sort=id&meta=totalCount");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.data().at(0).toObject().value("title").toString(), QStringLiteral("ITEM 1"));
    QCOMPARE(r.data().at(1).toObject().value("title").toString(), QStringLiteral("ITEM 2"));
    QCOMPARE(r.object().value("extra").toString(), QStringLiteral("added"));
    QVERIFY(r.object().value("meta").toObject().value("totalCount").toInt() >= 5);
    QCOMPARE(strings(r.object().value("logs")),
             (QStringList{"statusCode,data,meta,message 200 200 true null"}));

    r = m_admin->post("/hk_item", QJsonObject{{"title", "post data"}});
    CHECK_STATUS(r, 201);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"statusCode,data,message 201 201 true null"}));
    const qint64 id = r.data().at(0).toObject().value("id").toInteger();

    r = m_admin->patch("/hk_item/" + number(id), QJsonObject{{"views", 3}});
    QCOMPARE(r.status, 202);
    QCOMPARE(r.object().value("patched").toInteger(), id);
    // The write happened: a postHook changes the answer, not what was done.
    QCOMPARE(m_admin->get("/hk_item/" + number(id)).data().at(0).toObject().value("views").toInt(), 3);

    r = m_admin->del("/hk_item/" + number(id));
    CHECK_STATUS(r, 200);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"statusCode,message 200 200 false null"}));
}

void TestHooks::postHooksReplaceHandlerData()
{
    const qint64 route = makeRoute("/hk_replace");
    QVERIFY(route);
    QVERIFY(handler(route, "GET", "return [1, 2, 3];"));
    QVERIFY(postHook(hook("sum", route,
                          "if ($ctx.$query.keep) return 'ignored';\n"
                          "$ctx.$data = { sum: $ctx.$data.reduce((a, b) => a + b, 0) };")));
    HttpReply r = m_admin->get("/hk_replace");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"sum":6})"));
    // What a postHook returns is not the answer: $data is.
    r = m_admin->get("/hk_replace?keep=1");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray("[1,2,3]"));
}

void TestHooks::statusCodeFromHandlerAndPostHook()
{
    const qint64 route = makeRoute("/hk_status");
    QVERIFY(route);
    QVERIFY(handler(route, "GET",
                    "if ($ctx.$query.s) $ctx.$statusCode = Number($ctx.$query.s);\n"
                    "return { status: $ctx.$statusCode };"));
    QVERIFY(postHook(hook("override", route,
                          "if ($ctx.$query.post) $ctx.$statusCode = $ctx.$query.post === 'text' ? 'abc' : "
                          "Number($ctx.$query.post);")));
    HttpReply r = m_admin->get("/hk_status");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"status":200})"));
    r = m_admin->get("/hk_status?s=201");
    CHECK_STATUS(r, 201);
    QCOMPARE(r.body, QByteArray(R"({"status":201})"));
    r = m_admin->get("/hk_status?s=201&post=203");
    CHECK_STATUS(r, 203);
    r = m_admin->get("/hk_status?post=404");
    CHECK_STATUS(r, 404);
    QCOMPARE(r.body, QByteArray(R"({"status":200})")); // the status only, the body stays
    // Out of range or not a number: ignored.
    r = m_admin->get("/hk_status?s=42");
    CHECK_STATUS(r, 200);
    r = m_admin->get("/hk_status?s=201&post=text");
    CHECK_STATUS(r, 200);
}

void TestHooks::postHooksRunAfterErrors()
{
    const qint64 route = makeRoute("/hk_fail");
    QVERIFY(route);
    QVERIFY(handler(route, "GET",
                    "$ctx.$logs('handler ran');\n"
                    "if ($ctx.$query.kind === 'throw') $ctx.$throw['404']('nothing here', { id: 7 });\n"
                    "if ($ctx.$query.kind === 'error') null.x;\n"
                    "return { fine: true };"));
    QVERIFY(
        preHook(hook("pre-fail", route, "if ($ctx.$query.kind === 'pre') $ctx.$throw['403']('no way');")));
    const QString report = QStringLiteral(
        "$ctx.$logs(JSON.stringify({ data: $ctx.$data, status: $ctx.$error && $ctx.$error.statusCode,\n"
        "  code: $ctx.$error && $ctx.$error.code, message: $ctx.$error && $ctx.$error.message,\n"
        "  details: $ctx.$error && $ctx.$error.details }));");
    QVERIFY(postHook(hook("report", route, report)));
    QVERIFY(postHook(hook("second", route, "$ctx.$logs('second postHook ran');", {{"priority", 1}})));

    HttpReply r = m_admin->get("/hk_fail?kind=throw");
    CHECK_STATUS(r, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("HTTP_ERROR"));
    QCOMPARE(r.message(), QStringLiteral("nothing here"));
    QCOMPARE(r.object().value("error").toObject().value("details").toObject(), (QJsonObject{{"id", 7}}));
    QStringList logs = strings(r.object().value("logs"));
    QCOMPARE(logs.size(), 3);
    QCOMPARE(logs.at(0), QStringLiteral("handler ran"));
    QCOMPARE(QJsonDocument::fromJson(logs.at(1).toUtf8()).object(),
             (QJsonObject{{"data", QJsonValue::Null},
                          {"status", 404},
                          {"code", "HTTP_ERROR"},
                          {"message", "nothing here"},
                          {"details", QJsonObject{{"id", 7}}}}));
    QCOMPARE(logs.at(2), QStringLiteral("second postHook ran"));

    r = m_admin->get("/hk_fail?kind=error");
    CHECK_STATUS(r, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("SCRIPT_EXECUTION_ERROR"));
    logs = strings(r.object().value("logs"));
    QCOMPARE(logs.size(), 3);
    QJsonObject seen = QJsonDocument::fromJson(logs.at(1).toUtf8()).object();
    QCOMPARE(seen.value("code").toString(), QStringLiteral("SCRIPT_EXECUTION_ERROR"));
    QCOMPARE(seen.value("status").toInt(), 400);
    QVERIFY(seen.value("data").isNull());

    // A preHook that throws: the handler does not run, the postHooks do.
    r = m_admin->get("/hk_fail?kind=pre");
    CHECK_STATUS(r, 403);
    QCOMPARE(r.errorCode(), QStringLiteral("HTTP_ERROR"));
    logs = strings(r.object().value("logs"));
    QCOMPARE(logs.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(logs.at(0).toUtf8()).object().value("status").toInt(), 403);
    QCOMPARE(logs.at(1), QStringLiteral("second postHook ran"));

    // The default CRUD's errors too.
    QVERIFY(postHook(hook("crud-report", m_itemRoute, report, {{"methods", QJsonArray{"GET", "PATCH"}}})));
    r = m_admin->get("/hk_item/999999");
    CHECK_STATUS(r, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("RESOURCE_NOT_FOUND"));
    seen = QJsonDocument::fromJson(strings(r.object().value("logs")).value(0).toUtf8()).object();
    QCOMPARE(seen.value("code").toString(), QStringLiteral("RESOURCE_NOT_FOUND"));
    QCOMPARE(seen.value("status").toInt(), 404);
    QVERIFY(seen.value("data").isNull());
    r = m_admin->patch("/hk_item/1", QJsonObject{{"views", "many"}});
    CHECK_STATUS(r, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    seen = QJsonDocument::fromJson(strings(r.object().value("logs")).value(0).toUtf8()).object();
    QCOMPARE(seen.value("code").toString(), QStringLiteral("VALIDATION_ERROR"));
}

void TestHooks::postHookMayClearTheError()
{
    const qint64 route = makeRoute("/hk_recover");
    QVERIFY(route);
    QVERIFY(handler(route, "GET", "$ctx.$throw['503']('backend down');"));
    QVERIFY(postHook(hook("recover", route,
                          "if ($ctx.$error && $ctx.$error.statusCode === 503) {\n"
                          "  $ctx.$data = { fallback: true, reason: $ctx.$error.message };\n"
                          "  $ctx.$error = null;\n"
                          "  $ctx.$statusCode = 200;\n"
                          "}")));
    QVERIFY(postHook(hook("later", route, "$ctx.$data.checkedBy = 'later';", {{"priority", 1}})));
    HttpReply r = m_admin->get("/hk_recover");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object(),
             (QJsonObject{{"fallback", true}, {"reason", "backend down"}, {"checkedBy", "later"}}));

    // On the default CRUD as well.
    QVERIFY(postHook(hook("not-found-is-empty", m_itemRoute,
                          "if ($ctx.$error && $ctx.$error.code === 'RESOURCE_NOT_FOUND') {\n"
                          "  $ctx.$error = null; $ctx.$statusCode = 200; $ctx.$data = { data: [] };\n"
                          "}",
                          {{"methods", QJsonArray{"GET"}}})));
    r = m_admin->get("/hk_item/999999");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"data":[]})"));

    // $statusCode is the status of a normal answer: after an error it is left
    // as it was (the error's own is $error.statusCode), so clearing $error
    // without setting it answers 200, or what a script set before the error.
    const qint64 other = makeRoute("/hk_recover_status");
    QVERIFY(other);
    QVERIFY(handler(other, "GET",
                    "if ($ctx.$query.created) $ctx.$statusCode = 201;\n"
                    "$ctx.$throw['400']('bad');"));
    QVERIFY(postHook(hook("clear", other,
                          "$ctx.$logs('status ' + $ctx.$statusCode + ', error ' + $ctx.$error.statusCode);\n"
                          "if ($ctx.$query.clear) { $ctx.$error = null; $ctx.$data = 'cleared'; }")));
    r = m_admin->get("/hk_recover_status");
    CHECK_STATUS(r, 400);
    QCOMPARE(strings(r.object().value("logs")), (QStringList{"status 200, error 400"}));
    r = m_admin->get("/hk_recover_status?clear=1");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"("cleared")"));
    r = m_admin->get("/hk_recover_status?clear=1&created=1");
    CHECK_STATUS(r, 201);
}

// One postHook that throws (or does not compile) is logged, the others still
// run, and the answer is what it would have been without it.
void TestHooks::failingPostHookChangesNothing()
{
    const qint64 route = makeRoute("/hk_isolated");
    QVERIFY(route);
    QVERIFY(handler(route, "GET", "return { base: 1 };"));
    QVERIFY(postHook(hook("first", route, "$ctx.$data.first = true;", {{"priority", 0}})));
    const qint64 broken = postHook(hook("broken", route,
                                        "$ctx.$data = { hijacked: true };\n"
                                        "$ctx.$statusCode = 500;\n"
                                        "throw new Error('broken hook');",
                                        {{"priority", 1}}));
    QVERIFY(broken);
    QVERIFY(postHook(
        hook("third", route, "$ctx.$data.third = true; $ctx.$logs('third ran');", {{"priority", 2}})));

    HttpReply r = m_admin->get("/hk_isolated");
    CHECK_STATUS(r, 200);
    QJsonObject body = r.object();
    QStringList logs = strings(body.take("logs"));
    QCOMPARE(body, (QJsonObject{{"base", 1}, {"first", true}, {"third", true}}));
    QCOMPARE(logs.size(), 2);
    QVERIFY2(logs.at(0).contains("broken") && logs.at(0).contains("broken hook"), qPrintable(logs.at(0)));
    QCOMPARE(logs.at(1), QStringLiteral("third ran"));

    // Other ways to fail: $throw, a syntax error, an awaited rejection.
    for (const char *source :
         {"$ctx.$data = null; $ctx.$throw['500']('thrown');", "const x = ;",
          "$ctx.$error = { statusCode: 418 }; await Promise.reject(new Error('rejected'));"}) {
        CHECK_STATUS(m_admin->patch("/hearth_post_hook/" + number(broken),
                                    QJsonObject{{"sourceCode", QString::fromLatin1(source)}}),
                     200);
        r = m_admin->get("/hk_isolated");
        CHECK_STATUS(r, 200);
        body = r.object();
        body.remove("logs");
        QCOMPARE(body, (QJsonObject{{"base", 1}, {"first", true}, {"third", true}}));
    }

    // The default CRUD's answer is kept as well.
    QVERIFY(postHook(hook("crud-broken", m_itemRoute, "$ctx.$data = 'hijacked'; null.x;",
                          {{"methods", QJsonArray{"GET"}}})));
    r = m_admin->get("/hk_item?limit=2&sort=id&fields=id");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.data(), (QJsonArray{QJsonObject{{"id", 1}}, QJsonObject{{"id", 2}}}));
    QCOMPARE(r.object().value("statusCode").toInt(), 200);
}

void TestHooks::failingPostHookAfterAnError()
{
    const qint64 route = makeRoute("/hk_error_kept");
    QVERIFY(route);
    QVERIFY(handler(route, "GET", "$ctx.$throw['409']('taken', { field: 'name' });"));
    QVERIFY(postHook(hook("clears-then-fails", route,
                          "$ctx.$error = null; $ctx.$data = { ok: true }; $ctx.$statusCode = 200;\n"
                          "throw new Error('oops');")));
    const HttpReply r = m_admin->get("/hk_error_kept");
    CHECK_STATUS(r, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("HTTP_ERROR"));
    QCOMPARE(r.message(), QStringLiteral("taken"));
    QCOMPARE(r.object().value("error").toObject().value("details").toObject(),
             (QJsonObject{{"field", "name"}}));
}

// The answer is sent before the after-response hooks run: one that takes its
// time writes its row only later. It sees the final $data.
void TestHooks::afterResponseHooksRunAfterTheAnswer()
{
    const qint64 route = makeRoute("/hk_after");
    QVERIFY(route);
    QVERIFY(handler(route, "GET", "return { ok: true };"));
    QVERIFY(postHook(hook("normal-post", route, "$ctx.$data.post = true;")));
    QVERIFY(postHook(
        hook("slow-after", route,
             "const until = Date.now() + 600;\n"
             "while (Date.now() < until) await null;\n"
             "await $ctx.$repos.hk_log.create({ data: { text: 'after ' + JSON.stringify($ctx.$data) + "
             "' ' + $ctx.$statusCode } });\n"
             "$ctx.$data = { changedTooLate: true };",
             {{"runAfterResponse", true}})));
    QVERIFY(postHook(hook("spinning-after", route,
                          "const until = Date.now() + 300;\n"
                          "while (Date.now() < until) {}\n"
                          "await $ctx.$repos.hk_log.create({ data: { text: 'spun' } });",
                          {{"runAfterResponse", true}, {"priority", 1}})));

    const qsizetype before = logTexts().size();
    QElapsedTimer timer;
    timer.start();
    const HttpReply r = m_admin->get("/hk_after");
    const qint64 elapsed = timer.elapsed();
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"ok":true,"post":true})"));
    QVERIFY2(elapsed < 500, qPrintable(QString::number(elapsed)));

    TestHttpClient other(m_server->port()); // the admin's worker is busy with the hooks
    other.setBearerToken(m_server->adminToken());
    auto texts = [&other] {
        QStringList out;
        for (const QJsonValue &row : other.get("/hk_log?limit=0&sort=id&fields=text").data())
            out << row.toObject().value("text").toString();
        return out;
    };
    QCOMPARE(texts().size(), before);
    QTRY_COMPARE_WITH_TIMEOUT(texts().size(), before + 2, 5000);
    QCOMPARE(texts().mid(before), (QStringList{R"(after {"ok":true,"post":true} 200)", "spun"}));
    // The connection goes on as usual.
    CHECK_STATUS(m_admin->get("/hk_after"), 200);
}

void TestHooks::afterResponseHookFailuresAreNotReturned()
{
    const qint64 route = makeRoute("/hk_after_fail");
    QVERIFY(route);
    QVERIFY(handler(route, "POST", "return { saved: $ctx.$body.n };"));
    QVERIFY(
        postHook(hook("fails-after", route, "$ctx.$logs('failing after'); throw new Error('after failed');",
                      {{"runAfterResponse", true}})));
    QVERIFY(postHook(hook("bad-after", route, "const = 1;", {{"runAfterResponse", true}, {"priority", 1}})));
    QVERIFY(postHook(hook("still-after", route,
                          "await $ctx.$repos.hk_log.create({ data: { text: 'still ' + $ctx.$body.n } });",
                          {{"runAfterResponse", true}, {"priority", 2}})));
    const HttpReply r = m_admin->post("/hk_after_fail", QJsonObject{{"n", 41}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"saved":41})"));
    QTRY_VERIFY_WITH_TIMEOUT(logTexts().contains("still 41"), 5000);
}

QTEST_GUILESS_MAIN(TestHooks)
#include "tst_hooks.moc"

// Enfyra's documented example, unchanged: a preHook on POST /auth/login limits
// sign-in attempts per address with $rateLimit.byIp.
void TestHooks::loginRateLimitedByIpInAPreHook()
{
    const qint64 login = routeIdOf(QStringLiteral("/auth/login"));
    QVERIFY(login > 0);
    QVERIFY(preHook(hook("login rate limit", login, QStringLiteral(R"(
const result = await $ctx.$helpers.$rateLimit.byIp({
  maxRequests: 3,
  perSeconds: 60
});

if (!result.allowed) {
  $ctx.$throw['429'](`Too many login attempts. Try again in ${result.retryAfter}s`);
}
)"),
                         {{"methods", QJsonArray{"POST"}}})));
    TestHttpClient anonymous(m_server->port());
    const QJsonObject credentials{{"email", HearthTestServer::adminEmail()},
                                  {"password", HearthTestServer::adminPassword()}};
    for (int i = 0; i < 3; ++i) {
        const HttpReply r = anonymous.post("/auth/login", credentials);
        CHECK_STATUS(r, 200);
        QVERIFY(r.object().contains("accessToken"));
    }
    const HttpReply refused = anonymous.post("/auth/login", credentials);
    CHECK_STATUS(refused, 429);
    QVERIFY2(refused.message().startsWith(QStringLiteral("Too many login attempts. Try again in ")),
             qPrintable(refused.describe()));
}
