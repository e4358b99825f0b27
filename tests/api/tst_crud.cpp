// The canonical routes of a user table (API.md "Tables and canonical routes")
// through real HTTP against a real server: list, get by id, create with
// nested relations, partial update, delete with onDelete, the success and
// error envelopes, status codes and validation messages.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <QUrl>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace Hearth;

namespace {

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QList<qint64> idsOf(const QJsonArray &rows)
{
    QList<qint64> ids;
    for (const QJsonValue &row : rows)
        ids << qint64(row.toObject().value(QLatin1String("id")).toDouble());
    return ids;
}

// Every problem with an error envelope (API.md "Envelopes"), or an empty string.
QString errorEnvelopeProblem(const HttpReply &r, int status, const QString &code, const QByteArray &method,
                             const QByteArray &path)
{
    if (!r.valid)
        return QStringLiteral("no response: ") + r.error;
    if (r.status != status)
        return QStringLiteral("status %1, expected %2: %3").arg(r.status).arg(status).arg(r.describe());
    if (r.header("content-type") != "application/json")
        return QStringLiteral("content type ") + QString::fromLatin1(r.header("content-type"));
    const QJsonObject o = r.object();
    if (!r.body.startsWith("{\"success\":false,\"statusCode\":"))
        return QStringLiteral("envelope does not start with success, statusCode: ") + r.describe();
    if (keysOf(o) != sorted({"success", "statusCode", "message", "error"}))
        return QStringLiteral("envelope keys: ") + keysOf(o).join(u',');
    if (o.value("success") != QJsonValue(false) || o.value("statusCode") != QJsonValue(status))
        return QStringLiteral("success/statusCode: ") + r.describe();
    if (!o.value("message").isString() && !o.value("message").isArray())
        return QStringLiteral("message is neither text nor array");
    const QJsonObject e = o.value("error").toObject();
    QStringList expectedKeys{"code", "message", "timestamp", "path", "method", "correlationId"};
    if (e.contains("details"))
        expectedKeys << "details";
    if (keysOf(e) != sorted(expectedKeys))
        return QStringLiteral("error keys: ") + keysOf(e).join(u',');
    if (e.value("code").toString() != code)
        return QStringLiteral("code %1, expected %2").arg(e.value("code").toString(), code);
    if (!e.value("message").isString() || e.value("message").toString().isEmpty())
        return QStringLiteral("error.message is not a non-empty string");
    if (e.value("message").toString() != r.message())
        return QStringLiteral("error.message %1 differs from message %2")
            .arg(e.value("message").toString(), r.message());
    const QDateTime ts = QDateTime::fromString(e.value("timestamp").toString(), Qt::ISODateWithMs);
    if (!ts.isValid() || qAbs(ts.secsTo(QDateTime::currentDateTimeUtc())) > 60)
        return QStringLiteral("timestamp ") + e.value("timestamp").toString();
    if (e.value("path").toString().toUtf8() != path)
        return QStringLiteral("path ") + e.value("path").toString();
    if (e.value("method").toString().toLatin1() != method)
        return QStringLiteral("method ") + e.value("method").toString();
    const QByteArray cid = r.header("x-correlation-id");
    if (cid.isEmpty() || e.value("correlationId").toString().toLatin1() != cid)
        return QStringLiteral("correlationId %1 vs header %2")
            .arg(e.value("correlationId").toString(), QString::fromLatin1(cid));
    return {};
}

QString successProblem(const HttpReply &r, int status)
{
    if (!r.valid)
        return QStringLiteral("no response: ") + r.error;
    if (r.status != status)
        return QStringLiteral("status %1, expected %2: %3").arg(r.status).arg(status).arg(r.describe());
    const QJsonObject o = r.object();
    if (!r.body.startsWith("{\"statusCode\":"))
        return QStringLiteral("success envelope does not start with statusCode: ") + r.describe();
    QStringList expected{"statusCode", "data", "message"};
    if (o.contains("meta"))
        expected << "meta";
    if (keysOf(o) != sorted(expected))
        return QStringLiteral("envelope keys: ") + keysOf(o).join(u',');
    if (o.value("statusCode") != QJsonValue(status) || o.value("message") != QJsonValue("Success") ||
        !o.value("data").isArray())
        return QStringLiteral("envelope: ") + r.describe();
    if (r.header("x-correlation-id").isEmpty())
        return QStringLiteral("no X-Correlation-Id");
    return {};
}

} // namespace

#define VERIFY_ERROR(reply, status, code, method, path)                                                      \
    do {                                                                                                     \
        const QString problem_ = errorEnvelopeProblem(reply, status, code, method, path);                    \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                                                  \
    } while (false)

#define VERIFY_SUCCESS(reply, status)                                                                        \
    do {                                                                                                     \
        const QString problem_ = successProblem(reply, status);                                              \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                                                  \
    } while (false)

class TestCrud : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_client;
    qint64 m_ann = 0;
    qint64 m_bob = 0;

    TestHttpClient &client() { return *m_client; }

    QByteArray authorization() { return "Authorization: Bearer " + m_server->adminToken() + "\r\n"; }

    HttpReply createTable(const QByteArray &json)
    {
        return client().post("/hearth_table", parseObject(json));
    }

    // Creates a row, failing the test (returning 0) when that does not answer 201.
    qint64 create(const QByteArray &table, const QByteArray &json)
    {
        const HttpReply r = client().post("/" + table, parseObject(json));
        if (r.status != 201) {
            qWarning("create %s %s: %s", table.constData(), json.constData(), qPrintable(r.describe()));
            return 0;
        }
        return qint64(r.data().at(0).toObject().value("id").toDouble());
    }

    QJsonObject row(const QByteArray &table, qint64 id, const QByteArray &query = {})
    {
        const HttpReply r =
            client().get("/" + table + '/' + QByteArray::number(id) + (query.isEmpty() ? "" : "?" + query));
        return r.status == 200 ? r.data().at(0).toObject() : QJsonObject();
    }

    QJsonArray all(const QByteArray &table, const QByteArray &query = {})
    {
        const HttpReply r = client().get("/" + table + "?limit=0" + (query.isEmpty() ? "" : "&" + query));
        return r.status == 200 ? r.data() : QJsonArray();
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_client = m_server->adminClient();

        HttpReply r = createTable(R"({"name":"users","columns":[
            {"name":"name","type":"varchar","length":100,"isNullable":false},
            {"name":"email","type":"varchar","length":200,"isUnique":true},
            {"name":"age","type":"int"},
            {"name":"role","type":"varchar","isNullable":false,"defaultValue":"member"}]})");
        QCOMPARE(r.status, 201);
        r = createTable(R"({"name":"tags","columns":[
            {"name":"label","type":"varchar","isNullable":false,"isUnique":true}]})");
        QCOMPARE(r.status, 201);
        r = createTable(R"({"name":"posts","columns":[
            {"name":"title","type":"varchar","length":200,"isNullable":false},
            {"name":"body","type":"text"},
            {"name":"price","type":"float"},
            {"name":"published","type":"boolean","defaultValue":false},
            {"name":"kind","type":"enum","options":["news","blog"]},
            {"name":"code","type":"varchar","isUpdatable":false}],
            "relations":[
            {"propertyName":"author","type":"many-to-one","targetTable":"users","inversePropertyName":"posts","onDelete":"CASCADE"},
            {"propertyName":"editor","type":"many-to-one","targetTable":"users","inversePropertyName":"edited","onDelete":"SET NULL"},
            {"propertyName":"tags","type":"many-to-many","targetTable":"tags","inversePropertyName":"posts"}]})");
        QCOMPARE(r.status, 201);
        r = createTable(R"({"name":"comments","columns":[
            {"name":"text","type":"text","isNullable":false}],
            "relations":[
            {"propertyName":"post","type":"many-to-one","targetTable":"posts","inversePropertyName":"comments","onDelete":"CASCADE"}]})");
        QCOMPARE(r.status, 201);
        r = createTable(R"({"name":"categories","columns":[{"name":"name","type":"varchar"}]})");
        QCOMPARE(r.status, 201);
        r = createTable(R"({"name":"items","columns":[{"name":"name","type":"varchar"}],
            "relations":[{"propertyName":"category","type":"many-to-one","targetTable":"categories",
                          "inversePropertyName":"items","onDelete":"RESTRICT"}]})");
        QCOMPARE(r.status, 201);

        m_ann = create("users", R"({"name":"Ann","email":"ann@example.com","age":30})");
        m_bob = create("users", R"({"name":"Bob","email":"bob@example.com"})");
        QVERIFY(m_ann > 0 && m_bob > 0);
        QVERIFY(create("tags", R"({"label":"seed-a"})") > 0);
        QVERIFY(create("posts", R"({"title":"First","price":1.5,"author":)" + QByteArray::number(m_ann) +
                                    R"(,"tags":[{"label":"seed-b"}],"comments":[{"text":"c1"}]})") > 0);
        const qint64 category = create("categories", R"({"name":"tools"})");
        QVERIFY(create("items", R"({"name":"hammer","category":)" + QByteArray::number(category) + "}") > 0);
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_server.reset();
    }

    // --- list and get, for every table ------------------------------------------

    void everyTableHasCanonicalRoutes_data()
    {
        QTest::addColumn<QByteArray>("table");
        for (const char *t : {"users", "tags", "posts", "comments", "categories", "items"})
            QTest::newRow(t) << QByteArray(t);
    }

    void everyTableHasCanonicalRoutes()
    {
        QFETCH(QByteArray, table);
        const HttpReply list = client().get("/" + table);
        VERIFY_SUCCESS(list, 200);
        QVERIFY(!list.data().isEmpty());
        const QJsonObject first = list.data().at(0).toObject();
        QVERIFY(first.value("id").isDouble());
        QVERIFY(first.value("createdAt").isString());
        QVERIFY(first.value("updatedAt").isString());

        // get by id: the same row, data:[row]
        const QByteArray idPath = "/" + table + "/" + QByteArray::number(first.value("id").toInteger());
        const HttpReply one = client().get(idPath);
        VERIFY_SUCCESS(one, 200);
        QCOMPARE(one.data().size(), 1);
        QCOMPARE(one.data().at(0).toObject(), first);
        // a trailing slash names the same resource
        QCOMPARE(client().get(idPath + "/").data(), one.data());

        const HttpReply absent = client().get("/" + table + "/987654");
        VERIFY_ERROR(absent, 404, "RESOURCE_NOT_FOUND", "GET", "/" + table + "/987654");
    }

    void listShape()
    {
        const HttpReply r = client().get("/posts");
        VERIFY_SUCCESS(r, 200);
        QVERIFY(!r.object().contains("meta"));
        const QJsonObject post = r.data().at(0).toObject();
        // all columns, the storage column of a relation is not shown, relations as ids
        QCOMPARE(keysOf(post), sorted({"id", "title", "body", "price", "published", "kind", "code",
                                       "createdAt", "updatedAt", "author", "editor", "tags", "comments"}));
        QCOMPARE(post.value("title").toString(), QStringLiteral("First"));
        QCOMPARE(post.value("price").toDouble(), 1.5);
        QCOMPARE(post.value("published"), QJsonValue(false)); // defaultValue
        QCOMPARE(post.value("author").toObject(), QJsonObject({{"id", m_ann}}));
        QVERIFY(post.value("editor").isNull());
        const QJsonArray tags = post.value("tags").toArray();
        QCOMPARE(tags.size(), 1);
        QCOMPARE(keysOf(tags.at(0).toObject()), QStringList{"id"});
        QCOMPARE(post.value("comments").toArray().size(), 1);
        QCOMPARE(keysOf(post.value("comments").toArray().at(0).toObject()), QStringList{"id"});

        // the inverse side of a many-to-one is a to-many list of ids
        const QJsonObject ann = row("users", m_ann);
        QVERIFY(ann.value("posts").isArray());
        QVERIFY(ann.value("edited").isArray());
        QCOMPARE(ann.value("role").toString(), QStringLiteral("member"));

        // id is always included, even when not asked for
        const HttpReply titles = client().get("/posts?fields=title");
        VERIFY_SUCCESS(titles, 200);
        QCOMPARE(keysOf(titles.data().at(0).toObject()), sorted({"id", "title"}));
    }

    void listDefaultsToTenSortedById()
    {
        for (int i = 0; i < 12; ++i)
            QVERIFY(create("tags", "{\"label\":\"bulk-" + QByteArray::number(i) + "\"}") > 0);
        const HttpReply r = client().get("/tags");
        VERIFY_SUCCESS(r, 200);
        const QList<qint64> ids = idsOf(r.data());
        QCOMPARE(ids.size(), 10);
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
        QCOMPARE(idsOf(all("tags")).mid(0, 10), ids);
    }

    void getByIdWithQuery()
    {
        const qint64 id = create("posts", R"({"title":"With query","body":"b","author":)" +
                                              QByteArray::number(m_bob) + "}");
        QVERIFY(id > 0);
        const QJsonObject r = row("posts", id, "fields=title,author.name");
        QCOMPARE(r, parseObject(R"({"id":)" + QByteArray::number(id) +
                                R"(,"title":"With query","author":{"id":)" + QByteArray::number(m_bob) +
                                R"(,"name":"Bob"}})"));
        // a filter that excludes the row makes it not found
        const HttpReply hidden =
            client().get("/posts/" + QByteArray::number(id) + "?filter=%7B%22title%22%3A%22other%22%7D");
        VERIFY_ERROR(hidden, 404, "RESOURCE_NOT_FOUND", "GET", "/posts/" + QByteArray::number(id));
        // an id that is not an integer
        VERIFY_ERROR(client().get("/posts/abc"), 400, "BAD_REQUEST", "GET", "/posts/abc");
    }

    // --- create --------------------------------------------------------------

    void createAnswers201WithReReadRow()
    {
        const HttpReply r = client().post("/posts", parseObject(R"({"title":"Created","body":"text",
            "price":9.25,"published":true,"kind":"blog","code":"C-1","author":{"id":)" +
                                                                QByteArray::number(m_ann) + "}}"));
        VERIFY_SUCCESS(r, 201);
        QCOMPARE(r.data().size(), 1);
        const QJsonObject created = r.data().at(0).toObject();
        QVERIFY(created.value("id").toInteger() > 0);
        QCOMPARE(created.value("title").toString(), QStringLiteral("Created"));
        QCOMPARE(created.value("body").toString(), QStringLiteral("text"));
        QCOMPARE(created.value("price").toDouble(), 9.25);
        QCOMPARE(created.value("published"), QJsonValue(true));
        QCOMPARE(created.value("kind").toString(), QStringLiteral("blog"));
        QCOMPARE(created.value("code").toString(), QStringLiteral("C-1"));
        QCOMPARE(created.value("author").toObject(), QJsonObject({{"id", m_ann}}));
        QCOMPARE(created.value("tags").toArray(), QJsonArray());
        QCOMPARE(created.value("createdAt"), created.value("updatedAt"));
        QVERIFY(QDateTime::fromString(created.value("createdAt").toString(), Qt::ISODateWithMs).isValid());
        // the answer is the row as it is stored (re-read)
        QCOMPARE(row("posts", created.value("id").toInteger()), created);
        // the re-read follows fields
        const HttpReply shaped =
            client().post("/posts?fields=title,author.name",
                          parseObject(R"({"title":"Shaped","author":)" + QByteArray::number(m_bob) + "}"));
        VERIFY_SUCCESS(shaped, 201);
        QCOMPARE(keysOf(shaped.data().at(0).toObject()), sorted({"id", "title", "author"}));
        QCOMPARE(shaped.data().at(0).toObject().value("author").toObject().value("name").toString(),
                 QStringLiteral("Bob"));
    }

    void createRelationForms()
    {
        // by id, by {"id"}, by storage column, by nested object (created too)
        const QByteArray ann = QByteArray::number(m_ann);
        const qint64 byId = create("posts", R"({"title":"by id","author":)" + ann + "}");
        const qint64 byObject = create("posts", R"({"title":"by object","author":{"id":)" + ann + "}}");
        const qint64 byColumn = create("posts", R"({"title":"by column","authorId":)" + ann + "}");
        QVERIFY(byId && byObject && byColumn);
        for (qint64 id : {byId, byObject, byColumn})
            QCOMPARE(row("posts", id).value("author").toObject(), QJsonObject({{"id", m_ann}}));

        const int usersBefore = all("users").size();
        const HttpReply nested = client().post(
            "/posts?fields=*,author.*",
            parseObject(
                R"({"title":"nested","author":{"name":"Nested Author","email":"nested@example.com"}})"));
        VERIFY_SUCCESS(nested, 201);
        const QJsonObject author = nested.data().at(0).toObject().value("author").toObject();
        QCOMPARE(author.value("name").toString(), QStringLiteral("Nested Author"));
        QCOMPARE(author.value("role").toString(), QStringLiteral("member"));
        QCOMPARE(all("users").size(), usersBefore + 1);
        QCOMPARE(row("users", author.value("id").toInteger()).value("email").toString(),
                 QStringLiteral("nested@example.com"));

        // null unlinks / leaves the relation empty
        const qint64 orphan = create("posts", R"({"title":"orphan","author":null})");
        QVERIFY(orphan > 0);
        QVERIFY(row("posts", orphan).value("author").isNull());

        // a missing target is a validation error, nothing is created
        const int postsBefore = all("posts").size();
        const HttpReply missing = client().post("/posts", parseObject(R"({"title":"x","author":987654})"));
        VERIFY_ERROR(missing, 400, "VALIDATION_ERROR", "POST", "/posts");
        QVERIFY(missing.object().value("message").isArray());
        QCOMPARE(all("posts").size(), postsBefore);
    }

    void createToManyAndManyToMany()
    {
        // a user with a to-many array of new posts, each with many-to-many tags
        const qint64 seedTag = create("tags", R"({"label":"m2m-existing"})");
        QVERIFY(seedTag > 0);
        const QByteArray tag = QByteArray::number(seedTag);
        const HttpReply r = client().post("/users?fields=*,posts.title,posts.tags.label",
                                          parseObject(R"({"name":"Carol","posts":[
                {"title":"p1","tags":[)" + tag + R"(,{"label":"m2m-new"}]},
                {"title":"p2","tags":[{"id":)" + tag + R"(}]}]})"));
        VERIFY_SUCCESS(r, 201);
        const QJsonObject carol = r.data().at(0).toObject();
        const QJsonArray posts = carol.value("posts").toArray();
        QCOMPARE(posts.size(), 2);
        QCOMPARE(posts.at(0).toObject().value("title").toString(), QStringLiteral("p1"));
        QCOMPARE(posts.at(1).toObject().value("title").toString(), QStringLiteral("p2"));
        QStringList p1Tags;
        for (const QJsonValue &t : posts.at(0).toObject().value("tags").toArray())
            p1Tags << t.toObject().value("label").toString();
        QCOMPARE(sorted(p1Tags), sorted({"m2m-existing", "m2m-new"}));
        QCOMPARE(posts.at(1).toObject().value("tags").toArray().size(), 1);

        // the inverse many-to-many side shows the links
        const QJsonArray tagPosts = row("tags", seedTag).value("posts").toArray();
        QCOMPARE(idsOf(tagPosts).size(), 2);
        for (const QJsonValue &p : posts)
            QVERIFY(idsOf(tagPosts).contains(p.toObject().value("id").toInteger()));
        // each post points back to its author
        for (const QJsonValue &p : posts)
            QCOMPARE(row("posts", p.toObject().value("id").toInteger()).value("author").toObject(),
                     QJsonObject({{"id", carol.value("id")}}));

        // linking existing rows from the to-many side
        const qint64 loose = create("posts", R"({"title":"loose"})");
        QVERIFY(loose > 0);
        const HttpReply dave = client().post(
            "/users", parseObject(R"({"name":"Dave","posts":[)" + QByteArray::number(loose) + "]}"));
        VERIFY_SUCCESS(dave, 201);
        QCOMPARE(idsOf(dave.data().at(0).toObject().value("posts").toArray()), QList<qint64>{loose});
        QCOMPARE(row("posts", loose).value("author").toObject().value("id"),
                 dave.data().at(0).toObject().value("id"));
        // tags of a post created from the tag side
        const HttpReply tagged =
            client().post("/tags", parseObject(R"({"label":"from-tag","posts":[{"title":"tagged post"}]})"));
        VERIFY_SUCCESS(tagged, 201);
        const qint64 taggedPost =
            tagged.data().at(0).toObject().value("posts").toArray().at(0)["id"].toInteger();
        QCOMPARE(idsOf(row("posts", taggedPost).value("tags").toArray()),
                 QList<qint64>{tagged.data().at(0).toObject().value("id").toInteger()});
    }

    void createIgnoresServerMaintainedFields()
    {
        const HttpReply r = client().post("/tags", parseObject(R"({"label":"ignored-fields","id":999999,
            "createdAt":"2000-01-01T00:00:00.000Z","updatedAt":"2000-01-01T00:00:00.000Z"})"));
        VERIFY_SUCCESS(r, 201);
        const QJsonObject created = r.data().at(0).toObject();
        QVERIFY(created.value("id").toInteger() != 999999);
        QVERIFY(!created.value("createdAt").toString().startsWith(u"2000"));
        QVERIFY(!created.value("updatedAt").toString().startsWith(u"2000"));
        VERIFY_ERROR(client().get("/tags/999999"), 404, "RESOURCE_NOT_FOUND", "GET", "/tags/999999");
    }

    // --- update ----------------------------------------------------------------

    void updateIsPartial()
    {
        const qint64 id = create("posts", R"({"title":"Before","body":"keep me","price":3,"kind":"news",
            "code":"K-1","author":)" + QByteArray::number(m_ann) +
                                              "}");
        QVERIFY(id > 0);
        const QJsonObject before = row("posts", id);
        QThread::msleep(5);
        const QByteArray path = "/posts/" + QByteArray::number(id);
        const HttpReply r = client().patch(path, parseObject(R"({"title":"After","price":4.5})"));
        VERIFY_SUCCESS(r, 200);
        QCOMPARE(r.data().size(), 1);
        const QJsonObject after = r.data().at(0).toObject();
        QCOMPARE(after, row("posts", id)); // re-read row
        QCOMPARE(after.value("title").toString(), QStringLiteral("After"));
        QCOMPARE(after.value("price").toDouble(), 4.5);
        // everything else as before
        for (const char *key : {"id", "body", "kind", "code", "published", "author", "tags", "createdAt"})
            QCOMPARE(after.value(key), before.value(key));
        QVERIFY(after.value("updatedAt").toString() > before.value("updatedAt").toString());

        // an empty body still bumps updatedAt, changes nothing else
        QThread::msleep(5);
        const HttpReply empty = client().patch(path, QJsonObject());
        VERIFY_SUCCESS(empty, 200);
        const QJsonObject touched = empty.data().at(0).toObject();
        QVERIFY(touched.value("updatedAt").toString() > after.value("updatedAt").toString());
        QCOMPARE(touched.value("createdAt"), before.value("createdAt"));
        QCOMPARE(touched.value("title"), after.value("title"));
    }

    void updateRelations()
    {
        const qint64 id = create("posts", R"({"title":"rel","author":)" + QByteArray::number(m_ann) + "}");
        QVERIFY(id > 0);
        const QByteArray path = "/posts/" + QByteArray::number(id);
        HttpReply r = client().patch(path, parseObject(R"({"author":{"id":)" + QByteArray::number(m_bob) +
                                                       R"(},"editor":)" + QByteArray::number(m_ann) + "}"));
        VERIFY_SUCCESS(r, 200);
        QCOMPARE(r.data().at(0)["author"].toObject(), QJsonObject({{"id", m_bob}}));
        QCOMPARE(r.data().at(0)["editor"].toObject(), QJsonObject({{"id", m_ann}}));
        r = client().patch(path, parseObject(R"({"authorId":null,"tags":[{"label":"patched-tag"}]})"));
        VERIFY_SUCCESS(r, 200);
        QVERIFY(r.data().at(0)["author"].isNull());
        QCOMPARE(r.data().at(0)["tags"].toArray().size(), 1);
        // a to-many list replaces the links
        r = client().patch(path, parseObject(R"({"tags":[]})"));
        VERIFY_SUCCESS(r, 200);
        QCOMPARE(r.data().at(0)["tags"].toArray(), QJsonArray());
    }

    void updateOfMissingRow()
    {
        const int before = all("posts").size();
        const HttpReply r = client().patch("/posts/987654", parseObject(R"({"title":"ghost"})"));
        VERIFY_ERROR(r, 400, "BAD_REQUEST", "PATCH", "/posts/987654");
        QCOMPARE(r.message(), QStringLiteral("id 987654 is not exists!"));
        QCOMPARE(all("posts").size(), before);
    }

    void updateDropsNonUpdatableAndServerFields()
    {
        const qint64 id = create("posts", R"({"title":"locked","code":"ORIGINAL"})");
        QVERIFY(id > 0);
        const QJsonObject before = row("posts", id);
        QThread::msleep(5);
        const HttpReply r = client().patch("/posts/" + QByteArray::number(id),
                                           parseObject(R"({"code":"CHANGED","title":"unlocked","id":424242,
                "createdAt":"2000-01-01T00:00:00.000Z","updatedAt":"2000-01-01T00:00:00.000Z"})"));
        VERIFY_SUCCESS(r, 200);
        const QJsonObject after = r.data().at(0).toObject();
        QCOMPARE(after.value("code").toString(), QStringLiteral("ORIGINAL"));
        QCOMPARE(after.value("title").toString(), QStringLiteral("unlocked"));
        QCOMPARE(after.value("id").toInteger(), id);
        QCOMPARE(after.value("createdAt"), before.value("createdAt"));
        QVERIFY(after.value("updatedAt").toString() > before.value("updatedAt").toString());
        QVERIFY(!after.value("updatedAt").toString().startsWith(u"2000"));
        VERIFY_ERROR(client().get("/posts/424242"), 404, "RESOURCE_NOT_FOUND", "GET", "/posts/424242");
    }

    // --- delete ----------------------------------------------------------------

    void deleteAnswersSuccess()
    {
        const qint64 id = create("tags", R"({"label":"to delete"})");
        QVERIFY(id > 0);
        const QByteArray path = "/tags/" + QByteArray::number(id);
        const HttpReply r = client().del(path);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object(), parseObject(R"({"statusCode":200,"message":"Success"})"));
        QCOMPARE(r.body, QByteArray(R"({"statusCode":200,"message":"Success"})"));
        VERIFY_ERROR(client().get(path), 404, "RESOURCE_NOT_FOUND", "GET", path);
        // a second delete: the row is absent
        const HttpReply again = client().del(path);
        VERIFY_ERROR(again, 400, "BAD_REQUEST", "DELETE", path);
        QCOMPARE(again.message(), QStringLiteral("id %1 is not exists!").arg(id));
    }

    void deleteFollowsOnDelete()
    {
        // CASCADE: the user's posts (and their comments) go; SET NULL: edited posts stay unlinked;
        // many-to-many links of removed posts go, the tags stay.
        const HttpReply u = client().post("/users", parseObject(R"({"name":"Leaving","posts":[
            {"title":"gone 1","tags":[{"label":"survivor"}],"comments":[{"text":"gone comment"}]},
            {"title":"gone 2"}]})"));
        VERIFY_SUCCESS(u, 201);
        const qint64 leaving = u.data().at(0)["id"].toInteger();
        const QList<qint64> gone = idsOf(u.data().at(0)["posts"].toArray());
        QCOMPARE(gone.size(), 2);
        const QJsonObject gone1 = row("posts", gone.at(0));
        const qint64 survivorTag = gone1.value("tags").toArray().at(0)["id"].toInteger();
        const qint64 goneComment = gone1.value("comments").toArray().at(0)["id"].toInteger();
        const qint64 edited = create("posts", R"({"title":"edited","author":)" + QByteArray::number(m_ann) +
                                                  R"(,"editor":)" + QByteArray::number(leaving) + "}");
        QVERIFY(edited > 0);

        const HttpReply r = client().del("/users/" + QByteArray::number(leaving));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object(), parseObject(R"({"statusCode":200,"message":"Success"})"));
        for (qint64 id : gone)
            QCOMPARE(client().get("/posts/" + QByteArray::number(id)).status, 404);
        QCOMPARE(client().get("/comments/" + QByteArray::number(goneComment)).status, 404);
        const QJsonObject editedNow = row("posts", edited);
        QVERIFY(editedNow.value("editor").isNull());
        QCOMPARE(editedNow.value("author").toObject(), QJsonObject({{"id", m_ann}}));
        QCOMPARE(row("tags", survivorTag).value("posts").toArray(), QJsonArray());

        // RESTRICT: 409 while referenced, nothing removed; allowed once unreferenced
        const qint64 category = create("categories", R"({"name":"restricted"})");
        const qint64 item =
            create("items", R"({"name":"held","category":)" + QByteArray::number(category) + "}");
        QVERIFY(category && item);
        const QByteArray path = "/categories/" + QByteArray::number(category);
        const HttpReply blocked = client().del(path);
        VERIFY_ERROR(blocked, 409, "CONFLICT", "DELETE", path);
        QCOMPARE(row("categories", category).value("name").toString(), QStringLiteral("restricted"));
        QCOMPARE(row("items", item).value("category").toObject(), QJsonObject({{"id", category}}));
        QCOMPARE(client().del("/items/" + QByteArray::number(item)).status, 200);
        QCOMPARE(client().del(path).status, 200);
    }

    void deleteUnlinksManyToMany()
    {
        const HttpReply p = client().post(
            "/posts", parseObject(R"({"title":"linked","tags":[{"label":"doomed"},{"label":"kept"}]})"));
        VERIFY_SUCCESS(p, 201);
        const qint64 post = p.data().at(0)["id"].toInteger();
        const QList<qint64> tags = idsOf(p.data().at(0)["tags"].toArray());
        QCOMPARE(tags.size(), 2);
        QCOMPARE(client().del("/tags/" + QByteArray::number(tags.at(0))).status, 200);
        QCOMPARE(idsOf(row("posts", post).value("tags").toArray()), QList<qint64>{tags.at(1)});
        QCOMPARE(row("posts", post).value("title").toString(), QStringLiteral("linked"));
    }

    void uuidPrimaryKey()
    {
        QCOMPARE(createTable(R"({"name":"things","primaryKeyType":"uuid","columns":[
            {"name":"name","type":"varchar","isNullable":false}]})")
                     .status,
                 201);
        HttpReply r = client().post(
            "/things", parseObject(R"({"name":"first","id":"00000000-0000-4000-8000-000000000000"})"));
        VERIFY_SUCCESS(r, 201);
        const QString id = r.data().at(0)["id"].toString();
        QVERIFY2(QUuid::fromString(id).version() != QUuid::VerUnknown, qPrintable(id));
        QVERIFY(id != u"00000000-0000-4000-8000-000000000000"); // ignored on input
        const QByteArray path = "/things/" + id.toLatin1();
        r = client().get(path);
        VERIFY_SUCCESS(r, 200);
        QCOMPARE(r.data().at(0)["name"].toString(), QStringLiteral("first"));
        QCOMPARE(client().get("/things/" + id.toUpper().toLatin1()).data(), r.data());
        r = client().patch(path, parseObject(R"({"name":"second"})"));
        VERIFY_SUCCESS(r, 200);
        QCOMPARE(r.data().at(0)["id"].toString(), id);
        QCOMPARE(r.data().at(0)["name"].toString(), QStringLiteral("second"));
        VERIFY_ERROR(client().get("/things/not-a-uuid"), 400, "BAD_REQUEST", "GET", "/things/not-a-uuid");
        const QByteArray absent = "/things/00000000-0000-4000-8000-000000000000";
        VERIFY_ERROR(client().get(absent), 404, "RESOURCE_NOT_FOUND", "GET", absent);
        VERIFY_ERROR(client().patch(absent, parseObject(R"({"name":"x"})")), 400, "BAD_REQUEST", "PATCH",
                     absent);
        VERIFY_ERROR(client().del(absent), 400, "BAD_REQUEST", "DELETE", absent);
        r = client().del(path);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object(), parseObject(R"({"statusCode":200,"message":"Success"})"));
        QCOMPARE(client().get(path).status, 404);
    }

    // --- validation ----------------------------------------------------------------

    void unknownKeyIsNotAllowed_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("post") << QByteArray("POST") << QByteArray(R"({"title":"t","nope":1})")
                              << QStringLiteral("nope is not allowed");
        QTest::newRow("post, nested")
            << QByteArray("POST") << QByteArray(R"({"title":"t","author":{"name":"x","bogus":true}})")
            << QStringLiteral("bogus is not allowed");
        QTest::newRow("patch") << QByteArray("PATCH") << QByteArray(R"({"Title":"case matters"})")
                               << QStringLiteral("Title is not allowed");
    }

    void unknownKeyIsNotAllowed()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const QJsonArray before = all("posts");
        const QByteArray path =
            method == "POST" ? QByteArray("/posts") : "/posts/" + QByteArray::number(idsOf(before).first());
        const HttpReply r = client().request(method, path, body, {{"Content-Type", "application/json"}});
        VERIFY_ERROR(r, 400, "BAD_REQUEST", method, path);
        QVERIFY2(r.message().endsWith(message), qPrintable(r.message()));
        QCOMPARE(all("posts"), before);
    }

    void validationErrors_data()
    {
        QTest::addColumn<QByteArray>("table");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("messages");
        QTest::newRow("missing required") << QByteArray("posts") << QByteArray(R"({"body":"no title"})")
                                          << QStringList{"title is required"};
        QTest::newRow("null required")
            << QByteArray("posts") << QByteArray(R"({"title":null})") << QStringList{"title"};
        QTest::newRow("empty body") << QByteArray("posts") << QByteArray("{}")
                                    << QStringList{"title is required"};
        QTest::newRow("string for float")
            << QByteArray("posts") << QByteArray(R"({"title":"t","price":"abc"})") << QStringList{"price"};
        QTest::newRow("number for varchar")
            << QByteArray("posts") << QByteArray(R"({"title":5})") << QStringList{"title"};
        QTest::newRow("string for boolean")
            << QByteArray("posts") << QByteArray(R"({"title":"t","published":"yes"})")
            << QStringList{"published"};
        QTest::newRow("not an enum option")
            << QByteArray("posts") << QByteArray(R"({"title":"t","kind":"other"})") << QStringList{"kind"};
        QTest::newRow("float for int")
            << QByteArray("users") << QByteArray(R"({"name":"n","age":1.5})") << QStringList{"age"};
        QTest::newRow("too long") << QByteArray("users")
                                  << QByteArray("{\"name\":\"" + QByteArray(101, 'x') + "\"}")
                                  << QStringList{"name"};
        QTest::newRow("object for column")
            << QByteArray("posts") << QByteArray(R"({"title":{"a":1}})") << QStringList{"title"};
        QTest::newRow("several at once") << QByteArray("posts") << QByteArray(R"({"price":"abc","kind":1})")
                                         << QStringList{"price", "kind", "title is required"};
        QTest::newRow("to-many not an array")
            << QByteArray("posts") << QByteArray(R"({"title":"t","tags":5})") << QStringList{"tags"};
        QTest::newRow("to-many null item")
            << QByteArray("posts") << QByteArray(R"({"title":"t","tags":[null]})") << QStringList{"tags"};
        QTest::newRow("nested row invalid")
            << QByteArray("posts") << QByteArray(R"({"title":"t","author":{"email":"x@y"}})")
            << QStringList{"name"};
    }

    void validationErrors()
    {
        QFETCH(QByteArray, table);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, messages);
        const QJsonArray before = all(table);
        const QJsonArray usersBefore = all("users");
        const HttpReply r = client().post("/" + table, body);
        VERIFY_ERROR(r, 400, "VALIDATION_ERROR", "POST", "/" + table);
        const QJsonValue message = r.object().value("message");
        QVERIFY2(message.isArray(), qPrintable(r.describe()));
        const QJsonArray list = message.toArray();
        QCOMPARE(list.size(), messages.size());
        for (const QString &expected : messages) {
            bool found = false;
            for (const QJsonValue &m : list)
                found = found || m.toString().contains(expected);
            QVERIFY2(found, qPrintable(expected + " not in " + r.describe()));
        }
        QCOMPARE(all(table), before);
        QCOMPARE(all("users"), usersBefore);
    }

    void patchValidation()
    {
        const qint64 id = create("users", R"({"name":"Patchy"})");
        QVERIFY(id > 0);
        const QByteArray path = "/users/" + QByteArray::number(id);
        const QJsonObject before = row("users", id);
        HttpReply r = client().patch(path, parseObject(R"({"name":null})"));
        VERIFY_ERROR(r, 400, "VALIDATION_ERROR", "PATCH", path);
        QVERIFY(r.object().value("message").isArray());
        r = client().patch(path, parseObject(R"({"age":"old"})"));
        VERIFY_ERROR(r, 400, "VALIDATION_ERROR", "PATCH", path);
        QCOMPARE(row("users", id), before);
        // a PATCH without the required column is fine
        r = client().patch(path, parseObject(R"({"age":41})"));
        VERIFY_SUCCESS(r, 200);
        QCOMPARE(r.data().at(0)["name"].toString(), QStringLiteral("Patchy"));
    }

    void uniqueViolationIsConflict()
    {
        const QJsonArray before = all("users");
        HttpReply r = client().post("/users", parseObject(R"({"name":"Copy","email":"ann@example.com"})"));
        VERIFY_ERROR(r, 409, "CONFLICT", "POST", "/users");
        QVERIFY2(r.message().contains(u"email"), qPrintable(r.message()));
        QCOMPARE(all("users"), before);
        const QByteArray path = "/users/" + QByteArray::number(m_bob);
        r = client().patch(path, parseObject(R"({"email":"ann@example.com"})"));
        VERIFY_ERROR(r, 409, "CONFLICT", "PATCH", path);
        QCOMPARE(all("users"), before);
        // a nested create that conflicts rolls the whole write back
        const QJsonArray posts = all("posts");
        r = client().post("/posts", parseObject(R"({"title":"rollback","tags":[{"label":"seed-a"}]})"));
        VERIFY_ERROR(r, 409, "CONFLICT", "POST", "/posts");
        QCOMPARE(all("posts"), posts);
    }

    // --- routing ----------------------------------------------------------------

    void unknownRouteIsNotFound_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("unknown table")
            << QByteArray("GET") << QByteArray("/nothing") << QByteArray("/nothing");
        QTest::newRow("unknown table item")
            << QByteArray("GET") << QByteArray("/nothing/1") << QByteArray("/nothing/1");
        QTest::newRow("post") << QByteArray("POST") << QByteArray("/nothing") << QByteArray("/nothing");
        QTest::newRow("below an item")
            << QByteArray("GET") << QByteArray("/posts/1/comments") << QByteArray("/posts/1/comments");
        QTest::newRow("with query") << QByteArray("GET") << QByteArray("/nothing?limit=1")
                                    << QByteArray("/nothing");
        QTest::newRow("case matters") << QByteArray("GET") << QByteArray("/Posts") << QByteArray("/Posts");
    }

    void unknownRouteIsNotFound()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, path);
        const HttpReply r =
            client().request(method, target, method == "POST" ? QByteArray("{}") : QByteArray());
        VERIFY_ERROR(r, 404, "NOT_FOUND", method, path);
    }

    void wrongMethod_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("allow");
        QTest::newRow("PUT list") << QByteArray("PUT") << QByteArray("/posts")
                                  << QByteArray("GET, HEAD, POST, OPTIONS");
        QTest::newRow("DELETE list") << QByteArray("DELETE") << QByteArray("/posts")
                                     << QByteArray("GET, HEAD, POST, OPTIONS");
        QTest::newRow("PATCH list") << QByteArray("PATCH") << QByteArray("/posts")
                                    << QByteArray("GET, HEAD, POST, OPTIONS");
        QTest::newRow("POST item") << QByteArray("POST") << QByteArray("/posts/1")
                                   << QByteArray("GET, HEAD, PATCH, DELETE, OPTIONS");
        QTest::newRow("unknown method")
            << QByteArray("FOO") << QByteArray("/posts") << QByteArray("GET, HEAD, POST, OPTIONS");
        QTest::newRow("lower-case method")
            << QByteArray("get") << QByteArray("/posts") << QByteArray("GET, HEAD, POST, OPTIONS");
        QTest::newRow("TRACE item") << QByteArray("TRACE") << QByteArray("/posts/1")
                                    << QByteArray("GET, HEAD, PATCH, DELETE, OPTIONS");
        QTest::newRow("PUT item") << QByteArray("PUT") << QByteArray("/posts/1")
                                  << QByteArray("GET, HEAD, PATCH, DELETE, OPTIONS");
    }

    void wrongMethod()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, allow);
        const QJsonArray before = all("posts");
        const HttpReply r = client().request(method, path, "{\"title\":\"x\"}");
        VERIFY_ERROR(r, 405, "METHOD_NOT_ALLOWED", method, path);
        QCOMPARE(r.header("allow"), allow);
        QCOMPARE(all("posts"), before);
    }

    void optionsAnswersAllow()
    {
        for (const auto &[path, allow] :
             {std::pair<QByteArray, QByteArray>{"/posts", "GET, HEAD, POST, OPTIONS"},
              std::pair<QByteArray, QByteArray>{"/posts/1", "GET, HEAD, PATCH, DELETE, OPTIONS"}}) {
            const HttpReply r = client().options(path);
            QVERIFY2(r.valid, qPrintable(r.error));
            QCOMPARE(r.status, 204);
            QCOMPARE(r.header("allow"), allow);
            QVERIFY(r.body.isEmpty());
            QVERIFY(!r.header("x-correlation-id").isEmpty());
        }
        VERIFY_ERROR(client().options("/nothing"), 404, "NOT_FOUND", "OPTIONS", "/nothing");
    }

    void availableMethodsOfARoute()
    {
        // a route limited to some methods refuses the others, and Allow says which it takes
        QCOMPARE(createTable(R"({"name":"limited","columns":[{"name":"name","type":"varchar"}]})").status,
                 201);
        const qint64 row = create("limited", R"({"name":"kept"})");
        QVERIFY(row > 0);
        HttpReply r = client().get("/hearth_route?fields=id&filter=%7B%22path%22%3A%22%2Flimited%22%7D");
        QCOMPARE(r.data().size(), 1);
        const QByteArray route = "/hearth_route/" + QByteArray::number(r.data().at(0)["id"].toInteger());
        r = client().patch(route, parseObject(R"({"availableMethods":["POST","DELETE"]})"));
        VERIFY_SUCCESS(r, 200);

        const QByteArray item = "/limited/" + QByteArray::number(row);
        r = client().get("/limited");
        VERIFY_ERROR(r, 405, "METHOD_NOT_ALLOWED", "GET", "/limited");
        QCOMPARE(r.header("allow"), QByteArray("POST, OPTIONS"));
        r = client().head("/limited");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("POST, OPTIONS"));
        QCOMPARE(client().head(item).status, 405);
        r = client().patch(item, parseObject(R"({"name":"changed"})"));
        VERIFY_ERROR(r, 405, "METHOD_NOT_ALLOWED", "PATCH", item);
        QCOMPARE(r.header("allow"), QByteArray("DELETE, OPTIONS"));
        r = client().options(item);
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("allow"), QByteArray("DELETE, OPTIONS"));
        // the allowed ones work
        VERIFY_SUCCESS(client().post("/limited", parseObject(R"({"name":"new"})")), 201);
        QCOMPARE(client().del(item).status, 200);

        // back to every method
        VERIFY_SUCCESS(client().patch(route, parseObject(R"({"availableMethods":[]})")), 200);
        VERIFY_SUCCESS(client().get("/limited"), 200);
        QCOMPARE(client().head("/limited").status, 200);
    }

    void headOnList()
    {
        const HttpReply get = client().get("/posts?fields=id,title");
        const HttpReply head = client().head("/posts?fields=id,title");
        QVERIFY2(head.valid, qPrintable(head.error));
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        QCOMPARE(head.header("content-type"), QByteArray("application/json"));
        QCOMPARE(head.header("content-length").toLongLong(), get.body.size());
        QVERIFY(!head.header("x-correlation-id").isEmpty());
        // the connection is still usable afterwards
        VERIFY_SUCCESS(client().get("/posts?limit=1"), 200);
        // HEAD on an item, and on an absent one
        QCOMPARE(client().head("/posts/" + QByteArray::number(idsOf(get.data()).first())).status, 200);
        const HttpReply absent = client().head("/posts/987654");
        QCOMPARE(absent.status, 404);
        QVERIFY(absent.body.isEmpty());
    }

    void concurrentWrites()
    {
        // several connections (spread over the workers) write at once: every write succeeds
        constexpr int connections = 6;
        constexpr int perConnection = 10;
        std::vector<std::unique_ptr<TestHttpClient>> clients;
        for (int c = 0; c < connections; ++c) {
            clients.push_back(m_server->adminClient());
            QByteArray pipelined;
            for (int i = 0; i < perConnection; ++i) {
                const QByteArray body =
                    "{\"label\":\"concurrent-" + QByteArray::number(c) + "-" + QByteArray::number(i) + "\"}";
                pipelined += "POST /tags?fields=label HTTP/1.1\r\nHost: test\r\n" + authorization() +
                             "Content-Type: application/json\r\n"
                             "Content-Length: " +
                             QByteArray::number(body.size()) + "\r\n\r\n" + body;
            }
            QVERIFY(clients.back()->sendRaw(pipelined));
        }
        QSet<qint64> ids;
        for (int c = 0; c < connections; ++c) {
            for (int i = 0; i < perConnection; ++i) {
                const HttpReply r = clients[c]->readResponse();
                VERIFY_SUCCESS(r, 201);
                QCOMPARE(r.data().at(0)["label"].toString(),
                         QStringLiteral("concurrent-%1-%2").arg(c).arg(i));
                ids.insert(r.data().at(0)["id"].toInteger());
            }
        }
        QCOMPARE(ids.size(), connections * perConnection);
        const HttpReply r =
            client().get("/tags?limit=0&meta=filterCount&fields=id&filter=" +
                         QUrl::toPercentEncoding(R"({"label":{"_starts_with":"concurrent-"}})"));
        QCOMPARE(r.object()["meta"].toObject()["filterCount"].toInteger(), connections * perConnection);
    }

    void correlationIds()
    {
        QSet<QByteArray> seen;
        for (const QByteArray &target :
             {QByteArray("/posts"), QByteArray("/posts/987654"), QByteArray("/nothing")}) {
            const HttpReply r = client().get(target);
            const QByteArray id = r.header("x-correlation-id");
            QVERIFY(!id.isEmpty());
            QVERIFY(!seen.contains(id));
            seen.insert(id);
            if (r.status >= 400)
                QCOMPARE(r.object()["error"].toObject()["correlationId"].toString().toLatin1(), id);
        }
    }
};

QTEST_GUILESS_MAIN(TestCrud)
#include "tst_crud.moc"
