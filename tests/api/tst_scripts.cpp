// Handler scripts and $ctx through real HTTP against a real server (API.md
// "Scripts: hooks and handlers"): the handler's value is the body as it is,
// every $ctx member, $throw, script and syntax errors naming the script and
// its line, $repos (find with every option, the shapes of writes, trusted,
// secure and main with field permissions, refusals thrown into the script),
// the await patterns Enfyra scripts use, and macros.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace Hearth;

namespace {

const QString kPassword = QStringLiteral("script-pass-1");

QByteArray compact(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
}

QByteArray enc(const QByteArray &text)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(text));
}

QByteArray enc(const QJsonObject &object)
{
    return enc(compact(object));
}

QByteArray number(qint64 n)
{
    return QByteArray::number(n);
}

// The body as JSON of any kind (QJsonDocument reads only objects and arrays).
QJsonValue bodyValue(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + body + "]");
    return doc.isArray() && doc.array().size() == 1 ? doc.array().first() : QJsonValue(QJsonValue::Undefined);
}

struct Account
{
    QString email;
    QString id;
    QByteArray token;
};

} // namespace

class TestScripts : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    std::unique_ptr<TestHttpClient> m_client; // no default token
    QList<QByteArray> m_cleanup;              // rows removed after each test
    QHash<QString, qint64> m_routes;          // path -> id
    qint64 m_readerRole = 0;
    Account m_reader;
    qint64 m_secretColumn = 0; // sc_book.secret

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
        const HttpReply r =
            m_admin->get("/hearth_route?fields=id&filter=" + enc(QJsonObject{{"path", path}}));
        return r.data().at(0).toObject().value("id").toInteger();
    }
    // The route at path: a table's, or a custom one made on first use.
    qint64 route(const QString &path, const QJsonObject &extra = {})
    {
        if (m_routes.contains(path))
            return m_routes.value(path);
        qint64 id = routeIdOf(path);
        if (!id) {
            QJsonObject body = extra;
            body.insert("path", path);
            id = created(m_admin->post("/hearth_route", body));
        }
        m_routes.insert(path, id);
        return id;
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
    qint64 handler(const QString &path, const QString &method, const QString &source)
    {
        return handler(route(path), method, source);
    }
    Account makeUser(const QString &name, qint64 role)
    {
        Account a;
        a.email = name + QStringLiteral("@scripts.test");
        QJsonObject body{{"email", a.email}, {"password", kPassword}};
        if (role)
            body.insert("role", role);
        const HttpReply r = m_admin->post("/hearth_user", body);
        if (r.status != 201)
            qWarning("user %s: %s", qPrintable(name), qPrintable(r.describe()));
        a.id = r.data().at(0).toObject().value("id").toString();
        const HttpReply login =
            m_client->post("/auth/login", QJsonObject{{"email", a.email}, {"password", kPassword}});
        a.token = login.object().value("accessToken").toString().toUtf8();
        return a;
    }
    HttpReply as(const Account &who, const QByteArray &method, const QByteArray &path,
                 const QByteArray &body = {})
    {
        HttpHeaders headers{{"Authorization", "Bearer " + who.token}};
        if (!body.isEmpty())
            headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        return m_client->request(method, path, body, headers);
    }
    // The value a GET on path answers (after a 200).
    QJsonValue value(const QByteArray &path)
    {
        const HttpReply r = m_admin->get(path);
        if (r.status != 200)
            qWarning("GET %s: %s", path.constData(), qPrintable(r.describe()));
        return bodyValue(r.body);
    }

private slots:
    void initTestCase();
    void cleanup();

    void resultIsTheBodyAsIs_data();
    void resultIsTheBodyAsIs();
    void handlersPerMethod();
    void bodyThatIsNotJson();
    void params();
    void user();
    void reqAndApi();
    void envHasNoSecrets();
    void throwStatuses_data();
    void throwStatuses();
    void thrownErrorsCanBeCaught();
    void scriptErrorsNameTheScriptAndLine_data();
    void scriptErrorsNameTheScriptAndLine();
    void hookErrorsNameTheHook();
    void syntaxErrors_data();
    void syntaxErrors();
    void reposFindWithEveryOption_data();
    void reposFindWithEveryOption();
    void reposWriteShapes();
    void reposMainTakesOptionsFromTheQuery();
    void reposSecureAndMainApplyFieldPermissions();
    void reposRefusalsAreCatchable();
    void reposUncaughtRefusalsAnswerTheirError_data();
    void reposUncaughtRefusalsAnswerTheirError();
    void awaitPatterns_data();
    void awaitPatterns();
    void macros();
};

void TestScripts::initTestCase()
{
    qputenv("SC_PLAIN_SETTING", "visible");
    qputenv("SC_API_KEY", "leak-1");
    qputenv("SC_DB_PASSWORD", "leak-2");
    qputenv("SC_CLIENT_SECRET", "leak-3");
    qputenv("SC_GITHUB_TOKEN", "leak-4");
    qputenv("SC_AUTH_HEADER", "leak-5");
    qputenv("SC_PRIVATE_PEM", "leak-6");
    qputenv("sc_session_id", "leak-7");
    qputenv("SC_CREDENTIALS_FILE", "leak-8");
    qputenv("SC_PASSPHRASE", "leak-9");
    qputenv("SC_COOKIE_JAR", "leak-10");
    qputenv("HEARTH_ADMIN_EMAIL", "leak-11");
    qputenv("HEARTH_ADMIN_PASSWORD", "leak-12");

    m_server = std::make_unique<HearthTestServer>();
    QVERIFY(m_server->start());
    m_admin = m_server->adminClient();
    m_client = std::make_unique<TestHttpClient>(m_server->port());

    HttpReply r = m_admin->get("/hearth_setting?fields=id&filter=" + enc(QJsonObject{{"key", "bcryptCost"}}));
    CHECK_STATUS(
        m_admin->patch("/hearth_setting/" + number(r.data().at(0).toObject().value("id").toInteger()),
                       QJsonObject{{"value", 4}}),
        200);

    r = m_admin->post(
        "/hearth_table",
        QJsonObject{{"name", "sc_author"},
                    {"columns", QJsonArray{QJsonObject{{"name", "name"}, {"type", "varchar"}}}}});
    CHECK_STATUS(r, 201);
    r = m_admin->post(
        "/hearth_table",
        QJsonObject{
            {"name", "sc_book"},
            {"columns", QJsonArray{QJsonObject{{"name", "title"}, {"type", "varchar"}, {"isNullable", false}},
                                   QJsonObject{{"name", "pages"}, {"type", "int"}},
                                   QJsonObject{{"name", "secret"}, {"type", "text"}},
                                   QJsonObject{{"name", "isbn"}, {"type", "varchar"}, {"isUnique", true}}}},
            {"relations", QJsonArray{QJsonObject{{"propertyName", "author"},
                                                 {"type", "many-to-one"},
                                                 {"targetTable", "sc_author"},
                                                 {"inversePropertyName", "books"}}}}});
    CHECK_STATUS(r, 201);
    for (const QJsonValue &c : r.data().at(0).toObject().value("columns").toArray())
        if (c.toObject().value("name") == QJsonValue("secret"))
            m_secretColumn = c.toObject().value("id").toInteger();
    QVERIFY(m_secretColumn);

    const qint64 ann = created(m_admin->post("/sc_author", QJsonObject{{"name", "Ann"}}));
    const qint64 bob = created(m_admin->post("/sc_author", QJsonObject{{"name", "Bob"}}));
    QVERIFY(ann && bob);
    const struct
    {
        const char *title;
        int pages;
        qint64 author;
    } books[] = {{"Alpha", 120, ann}, {"Beta", 80, ann},     {"Gamma", 300, bob},
                 {"Delta", 45, bob},  {"Epsilon", 210, ann}, {"Zeta", 150, bob}};
    int n = 0;
    for (const auto &b : books)
        QVERIFY(created(
            m_admin->post("/sc_book", QJsonObject{{"title", b.title},
                                                  {"pages", b.pages},
                                                  {"secret", QStringLiteral("secret of %1").arg(b.title)},
                                                  {"isbn", QStringLiteral("isbn-%1").arg(++n)},
                                                  {"author", b.author}})));

    m_readerRole = created(m_admin->post("/hearth_role", QJsonObject{{"name", "reader"}}));
    QVERIFY(m_readerRole);
    m_reader = makeUser("reader", m_readerRole);
    QVERIFY(!m_reader.token.isEmpty());
    for (const QString &path : {QStringLiteral("/sc_book"), QStringLiteral("/sc_peek")}) {
        const qint64 id = route(path);
        QVERIFY(id);
        QVERIFY(created(m_admin->post("/hearth_route_permission",
                                      QJsonObject{{"route", id},
                                                  {"role", m_readerRole},
                                                  {"methods", QJsonArray{"GET", "POST", "PATCH"}}})));
    }
    QVERIFY(created(m_admin->post("/hearth_field_permission", QJsonObject{{"column", m_secretColumn},
                                                                          {"role", m_readerRole},
                                                                          {"action", "read"},
                                                                          {"effect", "deny"}})));
    QVERIFY(created(m_admin->post("/hearth_field_permission", QJsonObject{{"column", m_secretColumn},
                                                                          {"role", m_readerRole},
                                                                          {"action", "create"},
                                                                          {"effect", "deny"}})));
}

void TestScripts::cleanup()
{
    // Newest first: handlers before the rows they made.
    for (auto it = m_cleanup.crbegin(); it != m_cleanup.crend(); ++it) {
        const HttpReply r = m_admin->del(*it);
        if (r.status != 200)
            qWarning("cleanup %s: %s", it->constData(), qPrintable(r.describe()));
    }
    m_cleanup.clear();
}

void TestScripts::resultIsTheBodyAsIs_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("object") << "return { a: 1, nested: { b: [1, 'x', null] } };"
                            << QByteArray(R"({"a":1,"nested":{"b":[1,"x",null]}})");
    QTest::newRow("array") << "return [1, 'two', { three: 3 }, null];"
                           << QByteArray(R"([1,"two",{"three":3},null])");
    QTest::newRow("string") << "return 'plain text';" << QByteArray(R"("plain text")");
    QTest::newRow("number") << "return 42.5;" << QByteArray("42.5");
    QTest::newRow("zero") << "return 0;" << QByteArray("0");
    QTest::newRow("false") << "return false;" << QByteArray("false");
    QTest::newRow("null") << "return null;" << QByteArray("null");
    QTest::newRow("undefined") << "return undefined;" << QByteArray("null");
    QTest::newRow("no return") << "const x = 1;" << QByteArray("null");
    QTest::newRow("empty object") << "return {};" << QByteArray("{}");
    QTest::newRow("empty array") << "return [];" << QByteArray("[]");
    QTest::newRow("envelope-like") << "return { statusCode: 299, data: [1], message: 'mine' };"
                                   << QByteArray(R"({"statusCode":299,"data":[1],"message":"mine"})");
    QTest::newRow("unicode") << "return { s: 'é \"q\" \\n ✓' };" << QByteArray(R"({"s":"é \"q\" \n ✓"})");
    QTest::newRow("object logs") << "$ctx.$logs('a', { b: 1 }, [2], 3, null); $ctx.$logs('second');\n"
                                    "return { x: 1 };"
                                 << QByteArray(R"({"x":1,"logs":["a {\"b\":1} [2] 3 null","second"]})");
    QTest::newRow("empty object logs")
        << "$ctx.$logs('only'); return {};" << QByteArray(R"({"logs":["only"]})");
    QTest::newRow("array no logs") << "$ctx.$logs('dropped'); return [1];" << QByteArray("[1]");
    QTest::newRow("string no logs") << "$ctx.$logs('dropped'); return 's';" << QByteArray(R"("s")");
    QTest::newRow("null no logs") << "$ctx.$logs('dropped'); return null;" << QByteArray("null");
    QTest::newRow("date") << "return { d: new Date(0) };"
                          << QByteArray(R"({"d":"1970-01-01T00:00:00.000Z"})");
    QTest::newRow("toJSON") << "return { v: { toJSON() { return 'custom'; } } };"
                            << QByteArray(R"({"v":"custom"})");
    QTest::newRow("find result")
        << "return await $ctx.$repos.sc_author.find({ fields: 'name', sort: 'name' });"
        << QByteArray(R"({"data":[{"id":1,"name":"Ann"},{"id":2,"name":"Bob"}]})");
    QTest::newRow("changed find result")
        << "const r = await $ctx.$repos.sc_author.find({ fields: 'name', sort: 'name' });\n"
           "r.data.push({ name: 'Cid' }); r.count = r.data.length; return r;"
        << QByteArray(R"({"data":[{"id":1,"name":"Ann"},{"id":2,"name":"Bob"},{"name":"Cid"}],"count":3})");
}

void TestScripts::resultIsTheBodyAsIs()
{
    QFETCH(QString, source);
    QFETCH(QByteArray, body);
    QVERIFY(handler("/sc_result", "GET", source));
    const HttpReply r = m_admin->get("/sc_result");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, body);
    QVERIFY(r.header("content-type").startsWith("application/json"));
    QVERIFY(!r.header("x-correlation-id").isEmpty());
}

void TestScripts::handlersPerMethod()
{
    const qint64 id = route("/sc_methods");
    QVERIFY(handler(id, "GET", "return 'get';"));
    QVERIFY(handler(id, "POST", "return 'post ' + $ctx.$body.n;"));
    QVERIFY(handler(id, "DELETE", "return 'delete';"));
    HttpReply r = m_admin->get("/sc_methods");
    QCOMPARE(r.body, QByteArray(R"("get")"));
    r = m_admin->post("/sc_methods", QJsonObject{{"n", 5}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"("post 5")"));
    r = m_admin->del("/sc_methods");
    QCOMPARE(r.body, QByteArray(R"("delete")"));
    // No handler for PATCH and no table behind the route.
    r = m_admin->patch("/sc_methods", QJsonObject{});
    CHECK_STATUS(r, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("NOT_FOUND"));
    // A handler on a table's route replaces its default CRUD for that method only.
    QVERIFY(handler("/sc_author", "POST", "return { replaced: $ctx.$body };"));
    r = m_admin->post("/sc_author", QJsonObject{{"name", "Not stored"}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"replaced":{"name":"Not stored"}})"));
    r = m_admin->get("/sc_author?filter=" + enc(QJsonObject{{"name", "Not stored"}}));
    CHECK_STATUS(r, 200);
    QCOMPARE(r.data().size(), 0);
}

// $body of a body that is not JSON: 400 BAD_REQUEST as on the canonical
// routes (not a script error), catchable; a script that does not read it runs.
void TestScripts::bodyThatIsNotJson()
{
    QVERIFY(
        handler("/sc_body", "POST",
                "if ($ctx.$query.ignore) return 'not read';\n"
                "if ($ctx.$query.safe) {\n"
                "  try { return $ctx.$body; } catch (e) { return { caught: e.code, status: e.status }; }\n"
                "}\n"
                "return { body: $ctx.$body };"));
    for (const QByteArray &bad : {QByteArray("{bad json"), QByteArray("hello"), QByteArray("{\"a\":1,}")}) {
        const HttpReply r = m_admin->post("/sc_body", bad, "text/plain");
        CHECK_STATUS(r, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("BAD_REQUEST"));
        QCOMPARE(r.message(), QStringLiteral("Malformed JSON body"));
    }
    HttpReply r = m_admin->post("/sc_body?safe=1", QByteArray("{bad json"));
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"caught":"BAD_REQUEST","status":400})"));
    r = m_admin->post("/sc_body?ignore=1", QByteArray("{bad json"));
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"("not read")"));
    r = m_admin->post("/sc_body", QByteArray());
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"body":{}})"));
    r = m_admin->post("/sc_body", QByteArray("[1,\"two\"]"));
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"body":[1,"two"]})"));
}

void TestScripts::params()
{
    QVERIFY(handler("/sc_p/:group/items/:item", "GET", "return $ctx.$params;"));
    QCOMPARE(value("/sc_p/g1/items/42"), QJsonValue(QJsonObject{{"group", "g1"}, {"item", "42"}}));
    QCOMPARE(value("/sc_p/a%20b/items/%C3%A9"), QJsonValue(QJsonObject{{"group", "a b"}, {"item", "é"}}));
    CHECK_STATUS(m_admin->get("/sc_p/g1/items"), 404);
    CHECK_STATUS(m_admin->get("/sc_p/g1/other/42"), 404);

    // The canonical item route: $params.id; the collection: no params.
    QVERIFY(handler("/sc_author", "GET", "return { params: $ctx.$params, reqParams: $ctx.$req.params };"));
    QCOMPARE(value("/sc_author/17"), QJsonValue(QJsonObject{{"params", QJsonObject{{"id", "17"}}},
                                                            {"reqParams", QJsonObject{{"id", "17"}}}}));
    QCOMPARE(value("/sc_author"),
             QJsonValue(QJsonObject{{"params", QJsonObject{}}, {"reqParams", QJsonObject{}}}));
}

void TestScripts::user()
{
    const qint64 id = route("/sc_user", {{"publicMethods", QJsonArray{"GET"}}});
    QVERIFY(handler(id, "GET", "return { user: $ctx.$user };"));
    QVERIFY(handler(id, "POST", "return { user: $ctx.$user };"));

    HttpReply r = m_admin->get("/sc_user");
    CHECK_STATUS(r, 200);
    QJsonObject user = r.object().value("user").toObject();
    QCOMPARE(user.value("email").toString(), HearthTestServer::adminEmail());
    QCOMPARE(user.value("isRootAdmin").toBool(), true);
    QVERIFY(user.value("role").isNull());
    QVERIFY(!user.value("id").toString().isEmpty());
    QVERIFY(!user.contains("password"));

    QVERIFY(created(
        m_admin->post("/hearth_route_permission",
                      QJsonObject{{"route", id}, {"role", m_readerRole}, {"methods", QJsonArray{"POST"}}})));
    r = as(m_reader, "POST", "/sc_user", "{}");
    CHECK_STATUS(r, 200);
    user = r.object().value("user").toObject();
    QCOMPARE(user, (QJsonObject{{"id", m_reader.id},
                                {"email", m_reader.email},
                                {"isRootAdmin", false},
                                {"role", QJsonObject{{"id", m_readerRole}, {"name", "reader"}}}}));

    // Anonymous on a public route, also with a token that is not valid.
    r = m_client->get("/sc_user");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"user":null})"));
    r = m_client->get("/sc_user", {{"Authorization", "Bearer not-a-token"}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, QByteArray(R"({"user":null})"));
    // The POST is not public.
    CHECK_STATUS(m_client->post("/sc_user", QJsonObject{}), 401);
}

void TestScripts::reqAndApi()
{
    QVERIFY(handler("/sc_req/:id", "GET", "return { req: $ctx.$req, api: $ctx.$api };"));
    QVERIFY(handler("/sc_req/:id", "POST", "return { req: $ctx.$req, api: $ctx.$api, body: $ctx.$body };"));
    const QByteArray target = "/sc_req/5?x=1&filter%5Ba%5D%5B_eq%5D=2&list=a,b";
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    HttpReply r = m_admin->get(target, {{"X-Custom", "hello"}, {"Cookie", "session=secret"}});
    CHECK_STATUS(r, 200);
    const QJsonObject req = r.object().value("req").toObject();
    QCOMPARE(req.value("method").toString(), QStringLiteral("GET"));
    QCOMPARE(req.value("url").toString(), QString::fromLatin1(target));
    QCOMPARE(req.value("path").toString(), QStringLiteral("/sc_req/5"));
    QCOMPARE(req.value("ip").toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(req.value("params").toObject(), (QJsonObject{{"id", "5"}}));
    QCOMPARE(req.value("query").toObject(),
             (QJsonObject{
                 {"x", "1"}, {"list", "a,b"}, {"filter", QJsonObject{{"a", QJsonObject{{"_eq", "2"}}}}}}));
    const QJsonObject headers = req.value("headers").toObject();
    QCOMPARE(headers.value("x-custom").toString(), QStringLiteral("hello"));
    QVERIFY(headers.contains("host"));
    for (const QString &name : headers.keys()) {
        QCOMPARE(name, name.toLower());
        QVERIFY2(name != u"authorization" && name != u"cookie", qPrintable(name));
    }

    const QJsonObject api = r.object().value("api").toObject().value("request").toObject();
    QCOMPARE(api.value("method").toString(), QStringLiteral("GET"));
    QCOMPARE(api.value("url").toString(), QString::fromLatin1(target));
    QCOMPARE(api.value("ip").toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(api.value("correlationId").toString().toLatin1(), r.header("x-correlation-id"));
    const QDateTime timestamp = QDateTime::fromString(api.value("timestamp").toString(), Qt::ISODateWithMs);
    QVERIFY2(timestamp.isValid() && timestamp >= before &&
                 timestamp <= QDateTime::currentDateTimeUtc().addSecs(1),
             qPrintable(api.value("timestamp").toString()));

    r = m_admin->post("/sc_req/abc", QJsonObject{{"k", "v"}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object().value("req").toObject().value("method").toString(), QStringLiteral("POST"));
    QCOMPARE(r.object().value("api").toObject().value("request").toObject().value("method").toString(),
             QStringLiteral("POST"));
    QCOMPARE(r.object().value("body").toObject(), (QJsonObject{{"k", "v"}}));
    QCOMPARE(r.object().value("req").toObject().value("query").toObject(), QJsonObject());
    QCOMPARE(r.object().value("req").toObject().value("headers").toObject().value("content-type").toString(),
             QStringLiteral("application/json"));
}

void TestScripts::envHasNoSecrets()
{
    QVERIFY(handler("/sc_env", "GET", "return $ctx.$env;"));
    const QJsonObject env = value("/sc_env").toObject();
    QCOMPARE(env.value("SC_PLAIN_SETTING").toString(), QStringLiteral("visible"));
    QVERIFY(env.contains("PATH"));
    const QRegularExpression secret(
        QStringLiteral(
            "KEY|SECRET|TOKEN|PASSWORD|PASS|CREDENTIAL|PRIVATE|AUTH|COOKIE|SESSION|^HEARTH_ADMIN_"),
        QRegularExpression::CaseInsensitiveOption);
    for (auto it = env.begin(); it != env.end(); ++it) {
        QVERIFY2(!secret.match(it.key()).hasMatch(), qPrintable(it.key()));
        QVERIFY2(!it.value().toString().startsWith(u"leak-"), qPrintable(it.key()));
    }
}

void TestScripts::throwStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QJsonValue>("details");

    for (int status : {400, 401, 403, 404, 409, 422, 429, 500, 503}) {
        const QString s = QString::number(status);
        QTest::addRow("%d with details", status)
            << status << QStringLiteral("$ctx.$throw['%1']('failed %1', { field: 'x', n: %1 })").arg(s)
            << "failed " + s << QJsonValue(QJsonObject{{"field", "x"}, {"n", status}});
        QTest::addRow("%d message only", status)
            << status << QStringLiteral("$ctx.$throw[%1]('only a message')").arg(s) << "only a message"
            << QJsonValue(QJsonValue::Undefined);
    }
    QTest::newRow("default message") << 404 << "$ctx.$throw['404']()"
                                     << "Not found" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("array details") << 422 << "$ctx.$throw['422']('bad', ['a', 'b'])"
                                   << "bad" << QJsonValue(QJsonArray{"a", "b"});
    QTest::newRow("from a nested async function")
        << 409
        << "async function check() { await null; $ctx.$throw['409']('exists', { id: 1 }); }\nawait check()"
        << "exists" << QJsonValue(QJsonObject{{"id", 1}});
    QTest::newRow("after awaits") << 429
                                  << "await null; await $ctx.$repos.sc_author.find({});\n"
                                     "$ctx.$throw['429']('slow down')"
                                  << "slow down" << QJsonValue(QJsonValue::Undefined);
}

void TestScripts::throwStatuses()
{
    QFETCH(int, status);
    QFETCH(QString, call);
    QFETCH(QString, message);
    QFETCH(QJsonValue, details);
    QVERIFY(handler("/sc_throw", "GET", call + ";\nreturn 'not reached';"));
    const HttpReply r = m_admin->get("/sc_throw");
    CHECK_STATUS(r, status);
    const QJsonObject envelope = r.object();
    QCOMPARE(envelope.value("success").toBool(true), false);
    QCOMPARE(envelope.value("statusCode").toInt(), status);
    QCOMPARE(envelope.value("message").toString(), message);
    const QJsonObject error = envelope.value("error").toObject();
    QCOMPARE(error.value("code").toString(), QStringLiteral("HTTP_ERROR"));
    QCOMPARE(error.value("message").toString(), message);
    QCOMPARE(error.value("path").toString(), QStringLiteral("/sc_throw"));
    QCOMPARE(error.value("method").toString(), QStringLiteral("GET"));
    if (details.isUndefined())
        QVERIFY(!error.contains("details") || error.value("details").isNull());
    else
        QCOMPARE(error.value("details"), details);
}

void TestScripts::thrownErrorsCanBeCaught()
{
    QVERIFY(handler("/sc_catch", "GET",
                    "const out = [];\n"
                    "try { $ctx.$throw['403']('nope', { why: 1 }); } catch (e) {\n"
                    "  out.push(e.message, e.status, e.details.why, e instanceof Error);\n"
                    "}\n"
                    "try { null.x; } catch (e) { out.push(e instanceof TypeError); }\n"
                    "try { await Promise.reject(new RangeError('r')); } catch (e) { out.push(e.name); }\n"
                    "return out;"));
    QCOMPARE(value("/sc_catch"), QJsonValue(QJsonArray{"nope", 403, 1, true, true, "RangeError"}));
}

void TestScripts::scriptErrorsNameTheScriptAndLine_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");

    QTest::newRow("line 1") << "undefinedFn();" << 1 << "ReferenceError: undefinedFn is not defined";
    QTest::newRow("line 5") << "const a = 1;\nconst b = 2;\n\n// a comment\nnull.x;\nreturn a + b;" << 5
                            << "TypeError";
    QTest::newRow("after awaits") << "const rows = await $ctx.$repos.sc_author.find({});\n"
                                     "for (let i = 0; i < 3; i++) {\n"
                                     "  await i;\n"
                                     "}\n"
                                     "rows.nothing.here;"
                                  << 5 << "TypeError";
    QTest::newRow("inside an awaited async helper") << "async function helper(x) {\n"
                                                       "  await 1;\n"
                                                       "  const y = await Promise.resolve(x);\n"
                                                       "  return y.foo.bar;\n"
                                                       "}\n"
                                                       "const r = await helper({});\n"
                                                       "return r;"
                                                    << 4 << "TypeError";
    QTest::newRow("inside an async arrow") << "const f = async (x) => {\n"
                                              "  await null;\n"
                                              "  return x.y.z;\n"
                                              "};\n"
                                              "return await f({});"
                                           << 3 << "TypeError";
    QTest::newRow("inside Promise.all") << "const items = [1, 2, 3];\n"
                                           "await Promise.all(items.map(async x => {\n"
                                           "  await x;\n"
                                           "  if (x === 2) notDefinedHere();\n"
                                           "  return x;\n"
                                           "}));"
                                        << 4 << "ReferenceError: notDefinedHere is not defined";
    QTest::newRow("thrown Error") << "await null;\nthrow new Error('custom failure');" << 2
                                  << "Error: custom failure";
    QTest::newRow("rejected promise") << "const p = new Promise((resolve, reject) => {\n"
                                         "  reject(new TypeError('rejected here'));\n"
                                         "});\n"
                                         "await p;"
                                      << 2 << "TypeError: rejected here";
    QTest::newRow("in a template after macros") << "const b = @BODY;\nconst q = @QUERY;\n"
                                                   "return `${b.missing.deep}`;"
                                                << 3 << "TypeError";
    QTest::newRow("thrown string") << "throw 'plain string';" << 0 << "plain string";
    QTest::newRow("thrown object") << "throw { reason: 'object' };" << 0 << R"({"reason":"object"})";
}

void TestScripts::scriptErrorsNameTheScriptAndLine()
{
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(QString, message);
    const qint64 id = handler("/sc_error", "GET", source);
    QVERIFY(id);
    const HttpReply r = m_admin->get("/sc_error");
    CHECK_STATUS(r, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("SCRIPT_EXECUTION_ERROR"));
    const QString label = QStringLiteral("handler GET (#%1)").arg(id);
    QVERIFY2(r.message().startsWith(label), qPrintable(r.message()));
    if (line > 0)
        QVERIFY2(r.message().contains(QStringLiteral("line %1: ").arg(line)), qPrintable(r.message()));
    QVERIFY2(r.message().contains(message), qPrintable(r.message()));
    const QJsonObject details = r.object().value("error").toObject().value("details").toObject();
    QCOMPARE(details.value("script").toString(), label);
    QCOMPARE(details.value("line").toInt(), line);
}

void TestScripts::hookErrorsNameTheHook()
{
    const qint64 id = route("/sc_hook_error");
    QVERIFY(handler(id, "GET", "return 'handler';"));
    const qint64 hook =
        addRow("hearth_pre_hook",
               QJsonObject{{"name", "audit"}, {"route", id}, {"sourceCode", "const a = 1;\n\na.b.c = 2;"}});
    QVERIFY(hook);
    HttpReply r = m_admin->get("/sc_hook_error");
    CHECK_STATUS(r, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("SCRIPT_EXECUTION_ERROR"));
    QVERIFY2(r.message().startsWith(QStringLiteral("preHook 'audit' (#%1), line 3: TypeError").arg(hook)),
             qPrintable(r.message()));
    CHECK_STATUS(
        m_admin->patch("/hearth_pre_hook/" + number(hook), QJsonObject{{"sourceCode", "\nlet x = {;"}}), 200);
    r = m_admin->get("/sc_hook_error");
    CHECK_STATUS(r, 400);
    QVERIFY2(
        r.message().startsWith(QStringLiteral("preHook 'audit' (#%1) does not compile, line 2").arg(hook)),
        qPrintable(r.message()));
    // Fixed: the next request runs the new source.
    CHECK_STATUS(
        m_admin->patch("/hearth_pre_hook/" + number(hook), QJsonObject{{"sourceCode", "return 'fixed';"}}),
        200);
    QCOMPARE(m_admin->get("/sc_hook_error").body, QByteArray(R"("fixed")"));
}

void TestScripts::syntaxErrors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");

    QTest::newRow("missing operand") << "const a = 1;\nconst b = ;\nreturn a;" << 2;
    QTest::newRow("line 1") << "if (x {\n}" << 1;
    QTest::newRow("await outside async")
        << "function f() {\n  return 1;\n}\nfunction g() {\n  await f();\n}" << 5;
    QTest::newRow("unclosed string") << "const a = 1;\nconst b = 2;\nconst s = 'abc;\nreturn s;" << 3;
    QTest::newRow("bad token late") << "const a = 1;\n\n\n\n\n\nconst b = a +* 2;" << 7;
}

void TestScripts::syntaxErrors()
{
    QFETCH(QString, source);
    QFETCH(int, line);
    const qint64 id = handler("/sc_syntax", "GET", source);
    QVERIFY(id);
    for (int i = 0; i < 2; ++i) { // the failure is not cached as a success
        const HttpReply r = m_admin->get("/sc_syntax");
        CHECK_STATUS(r, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("SCRIPT_EXECUTION_ERROR"));
        QVERIFY2(r.message().startsWith(
                     QStringLiteral("handler GET (#%1) does not compile, line %2").arg(id).arg(line)),
                 qPrintable(r.message()));
        QCOMPARE(r.object().value("error").toObject().value("details").toObject().value("line").toInt(),
                 line);
    }
}

void TestScripts::reposFindWithEveryOption_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QJsonObject>("options");

    QTest::newRow("filter fields sort limit page meta")
        << "sc_book"
        << QJsonObject{{"filter", QJsonObject{{"pages", QJsonObject{{"_gte", 80}}}}},
                       {"fields", "id,title,pages"},
                       {"sort", "-pages"},
                       {"limit", 2},
                       {"page", 2},
                       {"meta", "totalCount,filterCount"}};
    QTest::newRow("relation filter and fields")
        << "sc_book"
        << QJsonObject{
               {"filter", QJsonObject{{"author", QJsonObject{{"name", QJsonObject{{"_eq", "Ann"}}}}}}},
               {"fields", "title,author.name"},
               {"sort", "title"}};
    QTest::newRow("logic operators")
        << "sc_book"
        << QJsonObject{{"filter",
                        QJsonObject{{"_or", QJsonArray{QJsonObject{{"pages", QJsonObject{{"_lt", 50}}}},
                                                       QJsonObject{{"title",
                                                                    QJsonObject{{"_starts_with", "ze"}}}}}}}},
                       {"fields", "title"}};
    QTest::newRow("exclude fields limit 0")
        << "sc_book" << QJsonObject{{"fields", "-secret,-isbn"}, {"limit", 0}, {"sort", "id"}};
    QTest::newRow("deep")
        << "sc_author"
        << QJsonObject{
               {"fields", "name,books.title"},
               {"sort", "name"},
               {"deep",
                QJsonObject{
                    {"books", QJsonObject{{"fields", "title,pages"},
                                          {"sort", "-pages"},
                                          {"limit", 2},
                                          {"filter", QJsonObject{{"pages", QJsonObject{{"_gt", 50}}}}}}}}}};
    QTest::newRow("aggregate") << "sc_book"
                               << QJsonObject{
                                      {"limit", 1},
                                      {"fields", "id"},
                                      {"aggregate", QJsonObject{{"pages", QJsonObject{{"count", true},
                                                                                      {"sum", true},
                                                                                      {"avg", true},
                                                                                      {"min", true},
                                                                                      {"max", true}}}}}};
    QTest::newRow("strings for objects")
        << "sc_book"
        << QJsonObject{
               {"filter", R"({"pages":{"_between":[100,250]}})"}, {"fields", "title"}, {"sort", "pages"}};
}

// find() in a script answers what the canonical GET answers for the same
// options (as root, so no field permissions in the way).
void TestScripts::reposFindWithEveryOption()
{
    QFETCH(QString, table);
    QFETCH(QJsonObject, options);
    QVERIFY(
        handler("/sc_find", "POST", "return await $ctx.$repos[$ctx.$body.table].find($ctx.$body.options);"));
    const HttpReply r = m_admin->post("/sc_find", QJsonObject{{"table", table}, {"options", options}});
    CHECK_STATUS(r, 200);
    const QJsonObject result = r.object();

    QByteArray query;
    for (auto it = options.begin(); it != options.end(); ++it) {
        const QByteArray text = it.value().isString()   ? it.value().toString().toUtf8()
                                : it.value().isObject() ? compact(it.value())
                                                        : QByteArray::number(it.value().toInteger());
        query += (query.isEmpty() ? "" : "&") + it.key().toLatin1() + "=" + enc(text);
    }
    const HttpReply canonical = m_admin->get("/" + table.toLatin1() + "?" + query);
    CHECK_STATUS(canonical, 200);
    QVERIFY(!canonical.data().isEmpty());
    QCOMPARE(result.value("data").toArray(), canonical.data());
    QCOMPARE(result.value("meta"), canonical.object().value("meta"));
    const QStringList keys =
        canonical.object().contains("meta") ? QStringList{"data", "meta"} : QStringList{"data"};
    QCOMPARE(result.keys(), keys);
}

void TestScripts::reposWriteShapes()
{
    QVERIFY(handler(
        "/sc_write", "POST",
        "const repo = $ctx.$repos.sc_book;\n"
        "const created = await repo.create({ data: { title: 'Written', pages: 10, author: { name: 'Nested' } "
        "} });\n"
        "const id = created.data[0].id;\n"
        "const updated = await repo.update({ id, data: { pages: 11 } });\n"
        "const updatedTwoArgs = await repo.update(id, { title: 'Rewritten' });\n"
        "const existsBefore = await repo.exists({ title: { _eq: 'Rewritten' } });\n"
        "const found = await repo.find({ filter: { id: { _eq: id } }, fields: 'title,pages,author.name' });\n"
        "const deleted = await repo.delete({ id });\n"
        "const existsAfter = await repo.exists({ id: { _eq: id } });\n"
        "await $ctx.$repos.sc_author.delete({ id: created.data[0].author.id || created.data[0].author });\n"
        "return { created, updated, updatedTwoArgs, existsBefore, found, deleted, existsAfter, id };"));
    const HttpReply r = m_admin->post("/sc_write", QJsonObject{});
    CHECK_STATUS(r, 200);
    const QJsonObject o = r.object();
    const qint64 id = o.value("id").toInteger();
    QVERIFY(id > 0);

    const QJsonObject created = o.value("created").toObject();
    QCOMPARE(created.keys(), QStringList{"data"});
    QCOMPARE(created.value("data").toArray().size(), 1);
    const QJsonObject row = created.value("data").toArray().at(0).toObject();
    QCOMPARE(row.value("id").toInteger(), id);
    QCOMPARE(row.value("title").toString(), QStringLiteral("Written"));
    QCOMPARE(row.value("pages").toInt(), 10);
    QVERIFY(!row.value("createdAt").toString().isEmpty());
    QVERIFY(!row.value("updatedAt").toString().isEmpty());

    const QJsonObject updated = o.value("updated").toObject();
    QCOMPARE(updated.keys(), QStringList{"data"});
    QCOMPARE(updated.value("data").toArray().at(0).toObject().value("pages").toInt(), 11);
    QCOMPARE(updated.value("data").toArray().at(0).toObject().value("title").toString(),
             QStringLiteral("Written"));
    QCOMPARE(o.value("updatedTwoArgs")
                 .toObject()
                 .value("data")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("title")
                 .toString(),
             QStringLiteral("Rewritten"));
    QCOMPARE(o.value("existsBefore"), QJsonValue(true));
    const QJsonObject author =
        o.value("found").toObject().value("data").toArray().at(0).toObject().value("author").toObject();
    QCOMPARE(o.value("found").toObject(),
             (QJsonObject{{"data", QJsonArray{QJsonObject{{"id", id},
                                                          {"title", "Rewritten"},
                                                          {"pages", 11},
                                                          {"author", QJsonObject{{"id", author.value("id")},
                                                                                 {"name", "Nested"}}}}}}}));
    QCOMPARE(o.value("deleted").toObject(), (QJsonObject{{"data", QJsonArray{QJsonObject{{"id", id}}}}}));
    QCOMPARE(o.value("existsAfter"), QJsonValue(false));
    CHECK_STATUS(m_admin->get("/sc_book/" + number(id)), 404);
    QCOMPARE(m_admin->get("/sc_author?filter=" + enc(QJsonObject{{"name", "Nested"}})).data().size(), 0);
}

void TestScripts::reposMainTakesOptionsFromTheQuery()
{
    QVERIFY(handler("/sc_book", "GET",
                    "const r = await $ctx.$repos.main.find({ fields: 'title' });\n"
                    "return { titles: r.data.map(b => b.title), meta: r.meta || null };"));
    QCOMPARE(value("/sc_book?limit=2&sort=-pages&fields=id,secret"),
             QJsonValue(QJsonObject{{"titles", QJsonArray{"Gamma", "Epsilon"}}, {"meta", QJsonValue::Null}}));
    QCOMPARE(value("/sc_book?filter=" + enc(QJsonObject{{"pages", QJsonObject{{"_lt", 100}}}}) +
                   "&sort=title&meta=filterCount"),
             QJsonValue(QJsonObject{{"titles", QJsonArray{"Beta", "Delta"}},
                                    {"meta", QJsonObject{{"filterCount", 2}}}}));
    // On a route without a table there is no main.
    QVERIFY(handler("/sc_nomain", "GET",
                    "return { main: $ctx.$repos.main === undefined, other: typeof $ctx.$repos.nope };"));
    QCOMPARE(value("/sc_nomain"), QJsonValue(QJsonObject{{"main", true}, {"other", "undefined"}}));
}

// A field permission denies sc_book.secret to the reader role: trusted
// $repos.<t> shows it, $repos.secure.<t> and $repos.main do not.
void TestScripts::reposSecureAndMainApplyFieldPermissions()
{
    QVERIFY(handler(
        "/sc_peek", "GET",
        "const one = { filter: { title: { _eq: 'Alpha' } }, fields: 'title,secret', limit: 1 };\n"
        "return {\n"
        "  trusted: (await $ctx.$repos.sc_book.find(one)).data[0],\n"
        "  secure: (await $ctx.$repos.secure.sc_book.find(one)).data[0],\n"
        "  trustedAll: (await $ctx.$repos.sc_book.find({ filter: one.filter })).data[0].secret,\n"
        "  secureAll: Object.keys((await $ctx.$repos.secure.sc_book.find({ filter: one.filter })).data[0]),\n"
        "};"));
    HttpReply r = as(m_reader, "GET", "/sc_peek");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object().value("trusted").toObject(),
             (QJsonObject{{"id", 1}, {"title", "Alpha"}, {"secret", "secret of Alpha"}}));
    QCOMPARE(r.object().value("secure").toObject(), (QJsonObject{{"id", 1}, {"title", "Alpha"}}));
    QCOMPARE(r.object().value("trustedAll").toString(), QStringLiteral("secret of Alpha"));
    QVERIFY(!r.object().value("secureAll").toArray().contains(QJsonValue("secret")));
    QVERIFY(r.object().value("secureAll").toArray().contains(QJsonValue("title")));
    // The root admin bypasses field permissions.
    r = m_admin->get("/sc_peek");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object().value("secure").toObject(),
             (QJsonObject{{"id", 1}, {"title", "Alpha"}, {"secret", "secret of Alpha"}}));

    // main is the route's table with the caller's field permissions.
    QVERIFY(handler("/sc_book", "GET",
                    "return await $ctx.$repos.main.find({ filter: { title: { _eq: 'Beta' } } });"));
    r = as(m_reader, "GET", "/sc_book");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.data().size(), 1);
    QCOMPARE(r.data().at(0).toObject().value("title").toString(), QStringLiteral("Beta"));
    QVERIFY(!r.data().at(0).toObject().contains("secret"));
    r = m_admin->get("/sc_book");
    QCOMPARE(r.data().at(0).toObject().value("secret").toString(), QStringLiteral("secret of Beta"));

    // Using or writing the hidden field: refused through secure, allowed through trusted.
    QVERIFY(handler(
        "/sc_peek", "POST",
        "const out = {};\n"
        "try { await $ctx.$repos.secure.sc_book.find({ filter: { secret: { _eq: 'x' } } }); out.filter = "
        "'allowed'; }\n"
        "catch (e) { out.filter = e.status + ' ' + e.code; }\n"
        "try { await $ctx.$repos.secure.sc_book.create({ data: { title: 'S', secret: 'mine' } }); out.write "
        "= 'allowed'; }\n"
        "catch (e) { out.write = e.status + ' ' + e.code; }\n"
        "const made = await $ctx.$repos.sc_book.create({ data: { title: 'T', secret: 'trusted' } });\n"
        "out.trustedWrite = made.data[0].secret;\n"
        "await $ctx.$repos.sc_book.delete({ id: made.data[0].id });\n"
        "out.stored = await $ctx.$repos.sc_book.exists({ title: { _eq: 'S' } });\n"
        "return out;"));
    r = as(m_reader, "POST", "/sc_peek", "{}");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object(), (QJsonObject{{"filter", "403 FORBIDDEN"},
                                      {"write", "403 FORBIDDEN"},
                                      {"trustedWrite", "trusted"},
                                      {"stored", false}}));
}

void TestScripts::reposRefusalsAreCatchable()
{
    QVERIFY(handler(
        "/sc_refuse", "GET",
        "const out = {};\n"
        "async function attempt(name, f) {\n"
        "  try { await f(); out[name] = 'no error'; }\n"
        "  catch (e) { out[name] = { status: e.status, code: e.code, message: String(e.message) }; }\n"
        "}\n"
        "await attempt('missing', () => $ctx.$repos.sc_book.create({ data: { pages: 'many' } }));\n"
        "await attempt('unknownKey', () => $ctx.$repos.sc_book.create({ data: { title: 'x', nope: 1 } }));\n"
        "await attempt('unique', () => $ctx.$repos.sc_book.create({ data: { title: 'x', isbn: 'isbn-1' } "
        "}));\n"
        "await attempt('absent', () => $ctx.$repos.sc_book.update({ id: 999999, data: { pages: 1 } }));\n"
        "await attempt('deleteAbsent', () => $ctx.$repos.sc_book.delete({ id: 999999 }));\n"
        "await attempt('badFilter', () => $ctx.$repos.sc_book.find({ filter: { nope: { _eq: 1 } } }));\n"
        "await attempt('badOperator', () => $ctx.$repos.sc_book.find({ filter: { pages: { _like: 1 } } }));\n"
        "return out;"));
    const QJsonObject o = value("/sc_refuse").toObject();
    const QJsonObject missing = o.value("missing").toObject();
    QCOMPARE(missing.value("status").toInt(), 400);
    QCOMPARE(missing.value("code").toString(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(missing.value("message").toString().contains("title"),
             qPrintable(missing.value("message").toString()));
    QCOMPARE(o.value("unknownKey").toObject().value("status").toInt(), 400);
    QVERIFY(o.value("unknownKey").toObject().value("message").toString().contains("nope is not allowed"));
    QCOMPARE(o.value("unique").toObject().value("status").toInt(), 409);
    QCOMPARE(o.value("unique").toObject().value("code").toString(), QStringLiteral("CONFLICT"));
    QCOMPARE(o.value("absent").toObject().value("status").toInt(), 400);
    QCOMPARE(o.value("absent").toObject().value("message").toString(),
             QStringLiteral("id 999999 is not exists!"));
    QCOMPARE(o.value("deleteAbsent").toObject().value("status").toInt(), 400);
    QCOMPARE(o.value("badFilter").toObject().value("status").toInt(), 400);
    QCOMPARE(o.value("badOperator").toObject().value("status").toInt(), 400);
    // Nothing half-written.
    QCOMPARE(m_admin->get("/sc_book?limit=0&filter=" + enc(QJsonObject{{"title", "x"}})).data().size(), 0);
}

void TestScripts::reposUncaughtRefusalsAnswerTheirError_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QJsonValue>("message");

    QTest::newRow("validation") << "$ctx.$repos.sc_book.create({ data: { pages: 'many' } })" << 400
                                << "VALIDATION_ERROR"
                                << QJsonValue(QJsonArray{"pages must be an integer", "title is required"});
    QTest::newRow("unknown key") << "$ctx.$repos.sc_book.create({ data: { title: 'x', nope: 1 } })" << 400
                                 << "BAD_REQUEST" << QJsonValue("nope is not allowed");
    QTest::newRow("unique") << "$ctx.$repos.sc_book.create({ data: { title: 'x', isbn: 'isbn-2' } })" << 409
                            << "CONFLICT" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("absent") << "$ctx.$repos.sc_book.update({ id: 999999, data: { pages: 1 } })" << 400
                            << "BAD_REQUEST" << QJsonValue("id 999999 is not exists!");
    QTest::newRow("secure write")
        << "$ctx.$repos.secure.sc_book.create({ data: { title: 'x', secret: 's' } })" << 403 << "FORBIDDEN"
        << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("unknown table") << "$ctx.$repos.nope.find({})" << 400 << "SCRIPT_EXECUTION_ERROR"
                                   << QJsonValue(QJsonValue::Undefined);
}

void TestScripts::reposUncaughtRefusalsAnswerTheirError()
{
    QFETCH(QString, call);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QJsonValue, message);
    QVERIFY(handler("/sc_peek", "GET", "await null;\nconst r = await " + call + ";\nreturn r;"));
    const HttpReply r = as(m_reader, "GET", "/sc_peek");
    CHECK_STATUS(r, status);
    QCOMPARE(r.errorCode(), code);
    if (!message.isUndefined())
        QCOMPARE(r.object().value("message"), message);
    QCOMPARE(m_admin->get("/sc_book?limit=0&filter=" + enc(QJsonObject{{"title", "x"}})).data().size(), 0);
}

void TestScripts::awaitPatterns_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QByteArray>("result");

    QTest::newRow("sequential")
        << "const a = await 1;\n"
           "const b = await Promise.resolve(2);\n"
           "const c = await $ctx.$repos.sc_author.find({ sort: 'name', limit: 1, fields: 'name' });\n"
           "return [a, b, c.data[0].name];"
        << QByteArray(R"([1,2,"Ann"])");
    QTest::newRow("in if")
        << "if (await $ctx.$repos.sc_author.exists({ name: { _eq: 'Ann' } })) return 'yes';\n"
           "return 'no';"
        << QByteArray(R"("yes")");
    QTest::newRow("in else if")
        << "if (await false) return 1;\nelse if (await 0) return 2;\nelse return await 3;" << QByteArray("3");
    QTest::newRow("in for") << "let total = 0;\nfor (let i = 1; i <= 5; i++) total += await i;\nreturn total;"
                            << QByteArray("15");
    QTest::newRow("in for of")
        << "const out = [];\n"
           "for (const name of ['Ann', 'Bob', 'Nobody']) {\n"
           "  const r = await $ctx.$repos.sc_author.find({ filter: { name: { _eq: name } } });\n"
           "  out.push(r.data.length);\n"
           "}\n"
           "return out;"
        << QByteArray("[1,1,0]");
    QTest::newRow("in while condition")
        << "let n = 0;\nwhile (await (n < 4)) n++;\nreturn n;" << QByteArray("4");
    QTest::newRow("in do while") << "let n = 0;\ndo { n = (await n) + 2; } while (n < 7);\nreturn n;"
                                 << QByteArray("8");
    QTest::newRow("in switch") << "switch (await 'b') {\ncase 'a': return 1;\ncase 'b': return await 2;\n}"
                               << QByteArray("2");
    QTest::newRow("try catch finally") << "const log = [];\n"
                                          "try {\n"
                                          "  log.push(await 1);\n"
                                          "  await Promise.reject(new Error('no'));\n"
                                          "  log.push('unreached');\n"
                                          "} catch (e) {\n"
                                          "  log.push(e.message);\n"
                                          "  log.push(await 'in catch');\n"
                                          "} finally {\n"
                                          "  log.push(await 'finally');\n"
                                          "}\n"
                                          "return log;"
                                       << QByteArray(R"([1,"no","in catch","finally"])");
    QTest::newRow("finally after return")
        << "const log = [];\n"
           "async function f() {\n"
           "  try { return await 'value'; } finally { log.push(await 'cleanup'); }\n"
           "}\n"
           "const v = await f();\n"
           "return [v, log];"
        << QByteArray(R"(["value",["cleanup"]])");
    QTest::newRow("caught rejection from repos") << "try {\n"
                                                    "  await $ctx.$repos.sc_book.create({ data: {} });\n"
                                                    "  return 'created';\n"
                                                    "} catch (e) {\n"
                                                    "  return e.code;\n"
                                                    "}"
                                                 << QByteArray(R"("VALIDATION_ERROR")");
    QTest::newRow("catch without binding")
        << "try { await Promise.reject(1); } catch { return 'caught'; }" << QByteArray(R"("caught")");
    QTest::newRow("async function") << "async function twice(x) { const y = await x; return y * 2; }\n"
                                       "return await twice(await twice(3));"
                                    << QByteArray("12");
    QTest::newRow("async arrow") << "const add = async (a, b) => (await a) + (await b);\n"
                                    "return await add(1, Promise.resolve(2));"
                                 << QByteArray("3");
    QTest::newRow("async arrow one param")
        << "const inc = async x => await x + 1;\nreturn await inc(1);" << QByteArray("2");
    QTest::newRow("async method") << "const o = { async get(k) { return (await k) + '!'; } };\n"
                                     "return await o.get('hi');"
                                  << QByteArray(R"("hi!")");
    QTest::newRow("Promise.all over map") << "const items = [1, 2, 3];\n"
                                             "return await Promise.all(items.map(async x => {\n"
                                             "  await null;\n"
                                             "  return x * 10;\n"
                                             "}));"
                                          << QByteArray("[10,20,30]");
    QTest::newRow("Promise.all with repos") << "const names = ['Bob', 'Ann'];\n"
                                               "const rows = await Promise.all(names.map(async n =>\n"
                                               "  (await $ctx.$repos.sc_author.find({ filter: { name: { _eq: "
                                               "n } }, fields: 'name' })).data[0].name));\n"
                                               "return rows;"
                                            << QByteArray(R"(["Bob","Ann"])");
    QTest::newRow("Promise.allSettled")
        << "const r = await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('x')), 3]);\n"
           "return r.map(x => x.status);"
        << QByteArray(R"(["fulfilled","rejected","fulfilled"])");
    QTest::newRow("Promise.any")
        << "const first = await Promise.any([Promise.reject(1), Promise.resolve(2), 3]);\n"
           "try { await Promise.any([Promise.reject(4), Promise.reject(5)]); }\n"
           "catch (e) { return [first, e.name, e.errors]; }"
        << QByteArray(R"([2,"AggregateError",[4,5]])");
    QTest::newRow("globalThis") << "globalThis.__seen = 1;\nreturn [typeof globalThis.JSON, typeof __seen];"
                                << QByteArray(R"(["object","number"])");
    QTest::newRow("Promise.race")
        << "return await Promise.race([new Promise(() => {}), Promise.resolve('first')]);"
        << QByteArray(R"("first")");
    QTest::newRow("new Promise") << "const v = await new Promise(resolve => resolve(9));\nreturn v;"
                                 << QByteArray("9");
    QTest::newRow("plain values") << "const a = await 5;\nconst b = await undefined;\nconst c = await null;\n"
                                     "return [a, b === undefined, c];"
                                  << QByteArray("[5,true,null]");
    QTest::newRow("template literal")
        << "return `n=${await 7}, m=${await Promise.resolve('x')}`;" << QByteArray(R"("n=7, m=x")");
    QTest::newRow("object literal")
        << "return { a: await 1, b: { c: await Promise.resolve([2]) }, d: [await 3] };"
        << QByteArray(R"({"a":1,"b":{"c":[2]},"d":[3]})");
    QTest::newRow("arguments") << "return Math.max(await 2, await Promise.resolve(5), 1);" << QByteArray("5");
    QTest::newRow("logical and ternary") << "const v = (await false) || (await 'fallback');\n"
                                            "return (await true) ? v : 'no';"
                                         << QByteArray(R"("fallback")");
    QTest::newRow("member of awaited")
        << "return (await $ctx.$repos.sc_author.find({ sort: '-name' })).data[0].name;"
        << QByteArray(R"("Bob")");
    QTest::newRow("returned promise") << "return Promise.resolve({ p: 1 });" << QByteArray(R"({"p":1})");
    QTest::newRow("spread and rest") << "const { a, ...rest } = await { a: 1, b: 2, c: 3 };\n"
                                        "return { ...rest, a2: a * 2 };"
                                     << QByteArray(R"({"b":2,"c":3,"a2":2})");
    QTest::newRow("many awaits") << "let n = 0;\nfor (let i = 0; i < 2000; i++) n += await 1;\nreturn n;"
                                 << QByteArray("2000");
    QTest::newRow("then chains")
        << "return await Promise.resolve(1).then(x => x + 1).then(async x => (await x) * 3);"
        << QByteArray("6");
}

void TestScripts::awaitPatterns()
{
    QFETCH(QString, source);
    QFETCH(QByteArray, result);
    QVERIFY(handler("/sc_await", "GET", source));
    const HttpReply r = m_admin->get("/sc_await");
    CHECK_STATUS(r, 200);
    QCOMPARE(r.body, result);
}

void TestScripts::macros()
{
    QVERIFY(handler("/sc_macro/:id", "POST",
                    "const body = @BODY;\n"
                    "const user = @USER;\n"
                    "@LOGS('via macro');\n"
                    "@SHARE.x = 1;\n"
                    "const found = await #sc_author.find({ filter: { name: { _eq: body.name } } });\n"
                    "if (!found.data.length) @THROW404('no author ' + body.name);\n"
                    "if (body.name === 'Bob') @THROW['422']('not Bob');\n"
                    "if (@QUERY.status) @STATUS = 202;\n"
                    "return { name: found.data[0].name, email: user.email, id: @PARAMS.id, q: @QUERY.q,\n"
                    "  method: @REQ.method, share: @SHARE.x, status: @STATUS, error: @ERROR,\n"
                    "  correlation: typeof @API.request.correlationId, env: typeof @ENV,\n"
                    "  count: (await @REPOS.sc_book.find({ limit: 0 })).data.length,\n"
                    "  text: '@BODY #sc_author', other: \"@USER\" };"));
    HttpReply r = m_admin->post("/sc_macro/3?q=w", QJsonObject{{"name", "Ann"}});
    CHECK_STATUS(r, 200);
    QCOMPARE(r.object(), (QJsonObject{{"name", "Ann"},
                                      {"email", HearthTestServer::adminEmail()},
                                      {"id", "3"},
                                      {"q", "w"},
                                      {"method", "POST"},
                                      {"share", 1},
                                      {"status", 200},
                                      {"error", QJsonValue::Null},
                                      {"correlation", "string"},
                                      {"env", "object"},
                                      {"count", 6},
                                      {"text", "@BODY #sc_author"},
                                      {"other", "@USER"},
                                      {"logs", QJsonArray{"via macro"}}}));
    r = m_admin->post("/sc_macro/3?status=1", QJsonObject{{"name", "Ann"}});
    CHECK_STATUS(r, 202);
    r = m_admin->post("/sc_macro/3", QJsonObject{{"name", "Nobody"}});
    CHECK_STATUS(r, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("HTTP_ERROR"));
    QCOMPARE(r.message(), QStringLiteral("no author Nobody"));
    r = m_admin->post("/sc_macro/3", QJsonObject{{"name", "Bob"}});
    CHECK_STATUS(r, 422);
    QCOMPARE(r.message(), QStringLiteral("not Bob"));
}

QTEST_GUILESS_MAIN(TestScripts)
#include "tst_scripts.moc"
