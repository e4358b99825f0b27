// The query language of GET lists (API.md "Query parameters" and "Filter
// operators") through real HTTP: every filter operator and implicit form,
// relation filters, fields, sort, limit/page, meta, deep, aggregate, the
// bracket form and URL-encoding. The data is seeded once; every expectation
// is the exact list of ids.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace Hearth;

using Ids = QList<qint64>;

namespace {

QByteArray pct(const QByteArray &text)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(text));
}

Ids idsOf(const QJsonArray &rows)
{
    Ids ids;
    for (const QJsonValue &row : rows)
        ids << qint64(row.toObject().value(QLatin1String("id")).toDouble());
    return ids;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QString badRequestProblem(const HttpReply &r, const QByteArray &path)
{
    if (r.status != 400)
        return QStringLiteral("expected 400: ") + r.describe();
    const QJsonObject o = r.object();
    const QJsonObject e = o.value("error").toObject();
    if (o.value("success") != QJsonValue(false) || o.value("statusCode") != QJsonValue(400) ||
        e.value("code") != QJsonValue("BAD_REQUEST") || e.value("path").toString().toUtf8() != path ||
        e.value("method") != QJsonValue("GET") || e.value("correlationId").toString().toLatin1().isEmpty() ||
        e.value("correlationId").toString().toLatin1() != r.header("x-correlation-id") ||
        !o.value("message").isString() || o.value("message").toString().isEmpty())
        return QStringLiteral("bad error envelope: ") + r.describe();
    return {};
}

QJsonObject aggregateOf(const HttpReply &r)
{
    return r.object().value("meta").toObject().value("aggregate").toObject();
}

} // namespace

#define VERIFY_BAD_REQUEST(reply, path)                                                                      \
    do {                                                                                                     \
        const QString problem_ = badRequestProblem(reply, path);                                             \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                                                  \
    } while (false)

class TestQueryLanguage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_client;

    TestHttpClient &client() { return *m_client; }

    qint64 create(const QByteArray &table, const QByteArray &json)
    {
        const HttpReply r = client().post("/" + table, parseObject(json));
        if (r.status != 201) {
            qWarning("create %s %s: %s", table.constData(), json.constData(), qPrintable(r.describe()));
            return 0;
        }
        return qint64(r.data().at(0).toObject().value("id").toDouble());
    }

    HttpReply list(const QByteArray &table, const QByteArray &query)
    {
        return client().get("/" + table + "?" + query);
    }

    // The ids a list answers (all rows unless the query limits them); {-status} when it is not 200.
    Ids ids(const QByteArray &table, const QByteArray &query)
    {
        const HttpReply r = list(table, "limit=0&fields=id&" + query);
        if (r.status != 200) {
            qWarning("%s?%s: %s", table.constData(), query.constData(), qPrintable(r.describe()));
            return {-r.status};
        }
        return idsOf(r.data());
    }

    Ids filtered(const QByteArray &table, const QByteArray &filterJson)
    {
        return ids(table, "filter=" + pct(filterJson));
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_client = m_server->adminClient();

        const QList<QByteArray> tables{
            R"({"name":"users","columns":[
                {"name":"name","type":"varchar","isNullable":false},
                {"name":"age","type":"int"},
                {"name":"bio","type":"text"}]})",
            R"({"name":"tags","columns":[{"name":"label","type":"varchar","isNullable":false}]})",
            R"({"name":"posts","columns":[
                {"name":"title","type":"varchar","length":200,"isNullable":false},
                {"name":"price","type":"float"},
                {"name":"views","type":"int"},
                {"name":"published","type":"boolean"},
                {"name":"kind","type":"enum","options":["news","blog"]}],
              "relations":[
                {"propertyName":"author","type":"many-to-one","targetTable":"users","inversePropertyName":"posts","onDelete":"CASCADE"},
                {"propertyName":"tags","type":"many-to-many","targetTable":"tags","inversePropertyName":"posts"}]})",
            R"({"name":"comments","columns":[
                {"name":"text","type":"text","isNullable":false},
                {"name":"approved","type":"boolean"}],
              "relations":[
                {"propertyName":"post","type":"many-to-one","targetTable":"posts","inversePropertyName":"comments","onDelete":"CASCADE"}]})",
            R"({"name":"nums","columns":[{"name":"n","type":"int"}]})",
            R"({"name":"notes","columns":[{"name":"text","type":"varchar"}]})",
        };
        for (const QByteArray &definition : tables) {
            const HttpReply r = client().post("/hearth_table", parseObject(definition));
            QVERIFY2(r.status == 201, qPrintable(r.describe()));
        }

        // users 1..4
        QCOMPARE(create("users", R"({"name":"Ann","age":30,"bio":"Writes Résumé guides"})"), 1);
        QCOMPARE(create("users", R"({"name":"Bob","age":40})"), 2);
        QCOMPARE(create("users", R"({"name":"Cid","bio":"École teacher"})"), 3);
        QCOMPARE(create("users", R"({"name":"Dee","age":25,"bio":"quiet"})"), 4);
        // tags 1..3
        QCOMPARE(create("tags", R"({"label":"cpp"})"), 1);
        QCOMPARE(create("tags", R"({"label":"qt"})"), 2);
        QCOMPARE(create("tags", R"({"label":"sql"})"), 3);
        // posts 1..6
        QCOMPARE(create("posts", R"({"title":"Résumé tips","price":10,"views":100,"published":true,
            "kind":"news","author":1,"tags":[1,2]})"),
                 1);
        QCOMPARE(create("posts", R"({"title":"ÉCOLE guide","price":20,"views":50,"published":false,
            "kind":"blog","author":1,"tags":[2]})"),
                 2);
        QCOMPARE(create("posts", R"({"title":"Hello world","price":5.5,"views":0,"published":true,
            "kind":"blog","author":2})"),
                 3);
        QCOMPARE(create("posts", R"({"title":"Zebra notes","views":10,"published":false,
            "author":3,"tags":[3]})"),
                 4);
        QCOMPARE(create("posts", R"({"title":"alpha","price":30,"views":300,"published":true,
            "kind":"news","tags":[1]})"),
                 5);
        QCOMPARE(create("posts", R"({"title":"Sale notice","price":15,"views":7,"published":false,
            "kind":"news","author":2})"),
                 6);
        // comments 1..4
        QCOMPARE(create("comments", R"({"text":"great","approved":true,"post":1})"), 1);
        QCOMPARE(create("comments", R"({"text":"meh","approved":false,"post":1})"), 2);
        QCOMPARE(create("comments", R"({"text":"nice","approved":true,"post":2})"), 3);
        QCOMPARE(create("comments", R"({"text":"ok","approved":false,"post":5})"), 4);
        // nums 1..25 (n = id)
        for (int i = 1; i <= 25; ++i)
            QCOMPARE(create("nums", "{\"n\":" + QByteArray::number(i) + "}"), i);
        // notes 1..12: text that needs URL-encoding, and LIKE wildcards
        const QList<QByteArray> notes{
            "a+b",
            "a b",
            "x&y=z",
            "50% off",
            "under_score",
            "#hash",
            "what?",
            "Ünïcödé ✓",
            "it's \"quoted\"",
            "back\\slash",
            "500 off",
            "underXscore",
            // 13..16: other scripts for the case- and accent-insensitive text operators
            "ΣΟΦΙΑ",
            "Москва",
            "Ångström",
            "naïve CAFÉ",
        };
        for (qsizetype i = 0; i < notes.size(); ++i) {
            const QByteArray body = QJsonDocument(QJsonObject{{"text", QString::fromUtf8(notes[i])}})
                                        .toJson(QJsonDocument::Compact);
            QCOMPARE(create("notes", body), i + 1);
        }
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_server.reset();
    }

    // --- filter operators ----------------------------------------------------

    void filterOperators_data()
    {
        QTest::addColumn<QByteArray>("table");
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<Ids>("expected");
        auto row = [](const char *name, const char *table, const char *filter, Ids expected) {
            QTest::newRow(name) << QByteArray(table) << QByteArray(filter) << expected;
        };
        // comparisons
        row("_eq text", "posts", R"({"title":{"_eq":"alpha"}})", {5});
        row("_eq number", "posts", R"({"price":{"_eq":10}})", {1});
        row("_eq float", "posts", R"({"price":{"_eq":5.5}})", {3});
        row("_eq boolean", "posts", R"({"published":{"_eq":false}})", {2, 4, 6});
        row("_eq enum", "posts", R"({"kind":{"_eq":"blog"}})", {2, 3});
        row("_eq id", "posts", R"({"id":{"_eq":4}})", {4});
        row("_eq no match", "posts", R"({"title":{"_eq":"nothing"}})", {});
        row("_neq", "posts", R"({"views":{"_neq":100}})", {2, 3, 4, 5, 6});
        row("_neq skips null", "posts", R"({"kind":{"_neq":"news"}})", {2, 3});
        row("_gt", "posts", R"({"price":{"_gt":10}})", {2, 5, 6});
        row("_gte", "posts", R"({"price":{"_gte":10}})", {1, 2, 5, 6});
        row("_lt", "posts", R"({"price":{"_lt":10}})", {3});
        row("_lte", "posts", R"({"price":{"_lte":10}})", {1, 3});
        row("_gt int", "posts", R"({"views":{"_gt":50}})", {1, 5});
        row("_lt and _gt together", "posts", R"({"views":{"_gt":5,"_lt":100}})", {2, 4, 6});
        // implicit forms
        row("implicit _eq", "posts", R"({"title":"alpha"})", {5});
        row("implicit _eq number", "posts", R"({"views":0})", {3});
        row("implicit _eq boolean", "posts", R"({"published":true})", {1, 3, 5});
        row("implicit null", "posts", R"({"price":null})", {4});
        row("implicit null enum", "posts", R"({"kind":null})", {4});
        row("several keys ANDed", "posts", R"({"published":true,"kind":"news"})", {1, 5});
        row("several keys, none match", "posts", R"({"published":false,"title":"alpha"})", {});
        row("empty filter", "posts", "{}", {1, 2, 3, 4, 5, 6});
        // lists
        row("_in", "posts", R"({"kind":{"_in":["blog"]}})", {2, 3});
        row("_in ids", "posts", R"({"id":{"_in":[1,3,99]}})", {1, 3});
        row("_in empty", "posts", R"({"id":{"_in":[]}})", {});
        row("_not_in", "posts", R"({"kind":{"_not_in":["news"]}})", {2, 3});
        row("_nin", "posts", R"({"kind":{"_nin":["news"]}})", {2, 3});
        row("_not_in numbers", "posts", R"({"views":{"_not_in":[0,10,7]}})", {1, 2, 5});
        // text: case- and accent-insensitive
        row("_contains", "posts", R"({"title":{"_contains":"o"}})", {2, 3, 4, 6});
        row("_contains accent", "posts", R"({"title":{"_contains":"resume"}})", {1});
        row("_contains accented needle", "posts", R"({"title":{"_contains":"RÉSUMÉ"}})", {1});
        row("_contains case", "posts", R"({"title":{"_contains":"ecole"}})", {2});
        row("_contains middle", "posts", R"({"title":{"_contains":"LO WO"}})", {3});
        row("_starts_with", "posts", R"({"title":{"_starts_with":"hello"}})", {3});
        row("_starts_with accent", "posts", R"({"title":{"_starts_with":"ecole"}})", {2});
        row("_starts_with not inside", "posts", R"({"title":{"_starts_with":"world"}})", {});
        row("_ends_with", "posts", R"({"title":{"_ends_with":"TIPS"}})", {1});
        row("_ends_with accent", "posts", R"({"title":{"_ends_with":"sume tips"}})", {1});
        row("_ends_with not inside", "posts", R"({"title":{"_ends_with":"hello"}})", {});
        // between
        row("_between array", "posts", R"({"price":{"_between":[10,20]}})", {1, 2, 6});
        row("_between text", "posts", R"({"price":{"_between":"10,20"}})", {1, 2, 6});
        row("_between int", "posts", R"({"views":{"_between":[0,10]}})", {3, 4, 6});
        // null tests
        row("_is_null true", "posts", R"({"price":{"_is_null":true}})", {4});
        row("_is_null false", "posts", R"({"price":{"_is_null":false}})", {1, 2, 3, 5, 6});
        row("_is_not_null true", "posts", R"({"price":{"_is_not_null":true}})", {1, 2, 3, 5, 6});
        row("_is_not_null false", "posts", R"({"price":{"_is_not_null":false}})", {4});
        // logic
        row("_and", "posts", R"({"_and":[{"price":{"_gte":10}},{"kind":"news"}]})", {1, 5, 6});
        row("_or", "posts", R"({"_or":[{"price":{"_lt":6}},{"title":"alpha"}]})", {3, 5});
        row("_not", "posts", R"({"_not":{"kind":"news"}})", {2, 3});
        row("_not _or", "posts", R"({"_not":{"_or":[{"kind":"news"},{"kind":null}]}})", {2, 3});
        row("_and of _or", "posts",
            R"({"_and":[{"_or":[{"id":1},{"id":2},{"id":3}]},{"_or":[{"id":3},{"id":4},{"id":1}]}]})",
            {1, 3});
        row("_or beside a key", "posts", R"({"published":true,"_or":[{"kind":"blog"},{"views":300}]})",
            {3, 5});
        row("_not _not", "posts", R"({"_not":{"_not":{"title":"alpha"}}})", {5});
        row("_and empty", "posts", R"({"_and":[]})", {1, 2, 3, 4, 5, 6});
    }

    void filterOperators()
    {
        QFETCH(QByteArray, table);
        QFETCH(QByteArray, filter);
        QFETCH(Ids, expected);
        QCOMPARE(filtered(table, filter), expected);
    }

    void relationFilters_data()
    {
        QTest::addColumn<QByteArray>("table");
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<Ids>("expected");
        auto row = [](const char *name, const char *table, const char *filter, Ids expected) {
            QTest::newRow(name) << QByteArray(table) << QByteArray(filter) << expected;
        };
        // to-one
        row("to-one field", "posts", R"({"author":{"name":{"_eq":"Ann"}}})", {1, 2});
        row("to-one implicit", "posts", R"({"author":{"name":"Bob"}})", {3, 6});
        row("to-one text op, accent", "posts", R"({"author":{"bio":{"_contains":"ecole"}}})", {4});
        row("to-one two fields", "posts", R"({"author":{"name":"Ann","age":{"_gte":30}}})", {1, 2});
        row("to-one no match", "posts", R"({"author":{"name":"Nobody"}})", {});
        row("to-one and own column", "posts", R"({"author":{"name":"Ann"},"published":true})", {1});
        // to-many: any related row matches
        row("to-many", "posts", R"({"comments":{"approved":true}})", {1, 2});
        row("to-many text", "posts", R"({"comments":{"text":{"_contains":"E"}}})", {1, 2});
        row("to-many two conditions on one row", "posts", R"({"comments":{"text":"meh","approved":false}})",
            {1});
        row("inverse to-many", "users", R"({"posts":{"published":true}})", {1, 2});
        // many-to-many
        row("many-to-many", "posts", R"({"tags":{"label":"qt"}})", {1, 2});
        row("many-to-many _in", "posts", R"({"tags":{"label":{"_in":["cpp","sql"]}}})", {1, 4, 5});
        row("many-to-many inverse", "tags", R"({"posts":{"title":{"_contains":"résumé"}}})", {1, 2});
        // two hops
        row("two hops", "users", R"({"posts":{"tags":{"label":"sql"}}})", {3});
        row("two hops to-many", "users", R"({"posts":{"comments":{"approved":false}}})", {1});
        row("two hops to-one", "comments", R"({"post":{"author":{"name":"Ann"}}})", {1, 2, 3});
        // existence
        row("to-one absent", "posts", R"({"author":{"_is_null":true}})", {5});
        row("to-one present", "posts", R"({"author":{"_is_null":false}})", {1, 2, 3, 4, 6});
        row("to-one present, _is_not_null", "posts", R"({"author":{"_is_not_null":true}})", {1, 2, 3, 4, 6});
        row("to-many absent", "posts", R"({"comments":{"_is_null":true}})", {3, 4, 6});
        row("to-many present", "posts", R"({"comments":{"_is_null":false}})", {1, 2, 5});
        row("many-to-many present", "posts", R"({"tags":{"_is_not_null":true}})", {1, 2, 4, 5});
        row("many-to-many absent", "posts", R"({"tags":{"_is_null":true}})", {3, 6});
        row("inverse absent", "users", R"({"posts":{"_is_null":true}})", {4});
        row("implicit null relation", "posts", R"({"author":null})", {5});
        // id comparisons
        row("to-one _eq id", "posts", R"({"author":{"_eq":1}})", {1, 2});
        row("to-one implicit id", "posts", R"({"author":2})", {3, 6});
        row("to-one _in ids", "posts", R"({"author":{"_in":[2,3]}})", {3, 4, 6});
        row("to-one _neq id", "posts", R"({"author":{"_neq":1}})", {3, 4, 6});
        row("to-one id field", "posts", R"({"author":{"id":{"_eq":1}}})", {1, 2});
        row("storage column", "posts", R"({"authorId":{"_eq":2}})", {3, 6});
        row("storage column null", "posts", R"({"authorId":{"_is_null":true}})", {5});
        row("to-many _eq id", "posts", R"({"tags":{"_eq":2}})", {1, 2});
        row("to-many _in ids", "posts", R"({"comments":{"_in":[3,4]}})", {2, 5});
        row("inverse _eq id", "users", R"({"posts":{"_eq":4}})", {3});
        // logic around relations
        row("_or of relations", "posts", R"({"_or":[{"author":{"name":"Cid"}},{"tags":{"label":"cpp"}}]})",
            {1, 4, 5});
        row("_not relation", "posts", R"({"_not":{"tags":{"label":"qt"}}})", {3, 4, 5, 6});
        row("_and in relation", "posts", R"({"author":{"_and":[{"name":"Ann"},{"age":30}]}})", {1, 2});
        row("_or in relation", "posts", R"({"author":{"_or":[{"name":"Bob"},{"name":"Cid"}]}})", {3, 4, 6});
    }

    void relationFilters()
    {
        QFETCH(QByteArray, table);
        QFETCH(QByteArray, filter);
        QFETCH(Ids, expected);
        QCOMPARE(filtered(table, filter), expected);
    }

    void bracketForm_data()
    {
        QTest::addColumn<QByteArray>("table");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<Ids>("expected");
        auto row = [](const char *name, const char *table, const char *query, Ids expected) {
            QTest::newRow(name) << QByteArray(table) << QByteArray(query) << expected;
        };
        row("operator", "posts", "filter[price][_gte]=10", {1, 2, 5, 6});
        row("encoded brackets", "posts", "filter%5Bprice%5D%5B_gte%5D=10", {1, 2, 5, 6});
        row("implicit _eq", "posts", "filter[title]=alpha", {5});
        row("two keys", "posts", "filter[published]=true&filter[kind]=news", {1, 5});
        row("_or with indices", "posts", "filter[_or][0][title]=alpha&filter[_or][1][price][_lt]=6", {3, 5});
        row("_or in any order", "posts", "filter[_or][1][price][_lt]=6&filter[_or][0][title]=alpha", {3, 5});
        row("_and", "posts", "filter[_and][0][price][_gte]=10&filter[_and][1][kind][_eq]=news", {1, 5, 6});
        row("_not", "posts", "filter[_not][kind]=news", {2, 3});
        row("_in with []", "posts", "filter[id][_in][]=1&filter[id][_in][]=3", {1, 3});
        row("_in with indices", "posts", "filter[id][_in][0]=4&filter[id][_in][1]=2", {2, 4});
        row("_in comma-separated", "posts", "filter[id][_in]=1,3", {1, 3});
        row("_between", "posts", "filter[price][_between]=10,20", {1, 2, 6});
        row("_between indices", "posts", "filter[views][_between][0]=0&filter[views][_between][1]=10",
            {3, 4, 6});
        row("_is_null", "posts", "filter[price][_is_null]=true", {4});
        row("_is_null false", "posts", "filter[price][_is_null]=false", {1, 2, 3, 5, 6});
        row("_contains", "posts", "filter[title][_contains]=RESUME", {1});
        row("relation", "posts", "filter[author][name]=Ann", {1, 2});
        row("relation id", "posts", "filter[author][_eq]=2", {3, 6});
        row("many-to-many", "posts", "filter[tags][label][_eq]=sql", {4});
        row("to-many existence", "posts", "filter[comments][_is_null]=true", {3, 4, 6});
        row("with other params", "posts", "sort=-id&filter[views][_lt]=50&page=1", {6, 4, 3});
    }

    void bracketForm()
    {
        QFETCH(QByteArray, table);
        QFETCH(QByteArray, query);
        QFETCH(Ids, expected);
        QCOMPARE(ids(table, query), expected);
    }

    void urlEncoding_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<Ids>("expected");
        auto row = [](const char *name, const char *query, Ids expected) {
            QTest::newRow(name) << QByteArray(query) << expected;
        };
        // JSON filters, percent-encoded by hand
        row("%2B is a plus", "filter=%7B%22text%22%3A%22a%2Bb%22%7D", {1});
        row("+ is a space", "filter=%7B%22text%22%3A%22a+b%22%7D", {2});
        row("%20 is a space", "filter=%7B%22text%22%3A%22a%20b%22%7D", {2});
        row("& and = encoded", "filter=%7B%22text%22%3A%22x%26y%3Dz%22%7D", {3});
        row("# encoded", "filter=%7B%22text%22%3A%22%23hash%22%7D", {6});
        row("? encoded", "filter=%7B%22text%22%3A%22what%3F%22%7D", {7});
        row("raw ? in the query", "filter={\"text\":\"what?\"}", {7});
        row("UTF-8 percent-encoded",
            "filter=%7B%22text%22%3A%22%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20%E2%9C%93%22%7D", {8});
        row("lower-case hex", "filter=%7b%22text%22%3a%22%c3%9cn%c3%afc%c3%b6d%c3%a9%20%e2%9c%93%22%7d", {8});
        row("JSON escapes", "filter=%7B%22text%22%3A%22it's%20%5C%22quoted%5C%22%22%7D", {9});
        row("JSON unicode escape",
            "filter=%7B%22text%22%3A%22%5Cu00dcn%C3%AFc%C3%B6d%C3%A9%20%E2%9C%93%22%7D", {8});
        row("backslash", "filter=%7B%22text%22%3A%22back%5C%5Cslash%22%7D", {10});
        row("raw JSON characters", "filter={\"text\":{\"_eq\":\"a%2Bb\"}}", {1});
        // bracket form values
        row("bracket %2B", "filter[text]=a%2Bb", {1});
        row("bracket +", "filter[text]=a+b", {2});
        row("bracket & encoded", "filter[text]=x%26y%3Dz", {3});
        row("bracket UTF-8", "filter[text]=%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20%E2%9C%93", {8});
        row("bracket quote", "filter[text]=it's%20%22quoted%22", {9});
        row("bracket empty value", "filter[text]=", {});
        // LIKE wildcards are plain characters in text operators
        row("_contains %", "filter[text][_contains]=50%25", {4});
        row("_contains _", "filter[text][_contains]=under_", {5});
        row("_starts_with %", "filter[text][_starts_with]=%25", {});
        row("_ends_with _", "filter[text][_ends_with]=_", {});
        row("_contains backslash", "filter[text][_contains]=%5C", {10});
        row("_contains quote", "filter[text][_contains]=%22", {9});
        row("_contains apostrophe", "filter[text][_contains]='", {9});
        row("_contains check mark", "filter[text][_contains]=%E2%9C%93", {8});
        row("_contains case folded non-ASCII", "filter[text][_contains]=%C3%BCNICODE", {8});
        // empty and repeated separators
        row("empty pairs", "&&filter[text]=a%2Bb&&", {1});
    }

    void urlEncoding()
    {
        QFETCH(QByteArray, query);
        QFETCH(Ids, expected);
        QCOMPARE(ids("notes", query), expected);
    }

    void textFolding_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<Ids>("expected");
        auto row = [](const char *name, const char *filter, Ids expected) {
            QTest::newRow(name) << QByteArray(filter) << expected;
        };
        row("Greek lower", R"({"text":{"_contains":"σοφια"}})", {13});
        row("Greek with tonos, _starts_with", R"({"text":{"_starts_with":"ΣΟΦΊΑ"}})", {13});
        row("Cyrillic upper", R"({"text":{"_ends_with":"МОСКВА"}})", {14});
        row("ring and umlaut", R"({"text":{"_contains":"angstrom"}})", {15});
        row("both sides accented", R"({"text":{"_starts_with":"ÅNGSTRÖ"}})", {15});
        row("two words", R"({"text":{"_contains":"NAIVE cafe"}})", {16});
        row("accent on the needle only", R"({"text":{"_ends_with":"cafë"}})", {16});
        row("no partial letters", R"({"text":{"_contains":"cafx"}})", {});
    }

    void textFolding()
    {
        QFETCH(QByteArray, filter);
        QFETCH(Ids, expected);
        QCOMPARE(filtered("notes", filter), expected);
    }

    void unknownFilterParts_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::newRow("unknown operator") << QByteArray(R"({"title":{"_like":"a"}})");
        QTest::newRow("unknown field") << QByteArray(R"({"nope":1})");
        QTest::newRow("unknown field in relation") << QByteArray(R"({"author":{"nope":1}})");
        QTest::newRow("unknown top-level operator") << QByteArray(R"({"_xor":[]})");
        QTest::newRow("_and not an array") << QByteArray(R"({"_and":{"id":1}})");
        QTest::newRow("_or not an array") << QByteArray(R"({"_or":5})");
        QTest::newRow("_not not an object") << QByteArray(R"({"_not":[{"id":1}]})");
        QTest::newRow("_in an object") << QByteArray(R"({"id":{"_in":{"a":1}}})");
        QTest::newRow("_in nested list") << QByteArray(R"({"id":{"_in":[[1]]}})");
        QTest::newRow("_eq a list") << QByteArray(R"({"id":{"_eq":[1]}})");
        QTest::newRow("_eq an object") << QByteArray(R"({"id":{"_eq":{"a":1}}})");
        QTest::newRow("text for a number") << QByteArray(R"({"price":{"_gt":"abc"}})");
        QTest::newRow("_between one value") << QByteArray(R"({"price":{"_between":[1]}})");
        QTest::newRow("_between three values") << QByteArray(R"({"price":{"_between":[1,2,3]}})");
        QTest::newRow("_is_null not a boolean") << QByteArray(R"({"price":{"_is_null":"maybe"}})");
        QTest::newRow("operator on relation") << QByteArray(R"({"tags":{"_contains":"a"}})");
        QTest::newRow("filter not an object") << QByteArray("[1,2]");
        QTest::newRow("filter a number") << QByteArray("5");
        QTest::newRow("malformed JSON") << QByteArray(R"({"title":)");
        QTest::newRow("operator at top") << QByteArray(R"({"_eq":1})");
    }

    void unknownFilterParts()
    {
        QFETCH(QByteArray, filter);
        VERIFY_BAD_REQUEST(list("posts", "filter=" + pct(filter)), "/posts");
    }

    // --- fields ------------------------------------------------------------------

    void fields_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("expected"); // post 1 as JSON
        QTest::newRow("include") << QByteArray("fields=id,title")
                                 << QByteArray(R"({"id":1,"title":"Résumé tips"})");
        QTest::newRow("id always included")
            << QByteArray("fields=views") << QByteArray(R"({"id":1,"views":100})");
        QTest::newRow("repeated key") << QByteArray("fields=title&fields=views")
                                      << QByteArray(R"({"id":1,"title":"Résumé tips","views":100})");
        QTest::newRow("spaces") << QByteArray("fields=title,%20views")
                                << QByteArray(R"({"id":1,"title":"Résumé tips","views":100})");
        QTest::newRow("to-one dotted")
            << QByteArray("fields=title,author.name")
            << QByteArray(R"({"id":1,"title":"Résumé tips","author":{"id":1,"name":"Ann"}})");
        QTest::newRow("relation alone is ids")
            << QByteArray("fields=author,tags,comments")
            << QByteArray(R"({"id":1,"author":{"id":1},"tags":[{"id":1},{"id":2}],
                                                                 "comments":[{"id":1},{"id":2}]})");
        QTest::newRow("to-many dotted")
            << QByteArray("fields=tags.label,comments.text")
            << QByteArray(R"({"id":1,"tags":[{"id":1,"label":"cpp"},{"id":2,"label":"qt"}],
                                                          "comments":[{"id":1,"text":"great"},{"id":2,"text":"meh"}]})");
        QTest::newRow("two hops") << QByteArray("fields=author.posts.title")
                                  << QByteArray(
                                         R"({"id":1,"author":{"id":1,"posts":[{"id":1,"title":"Résumé tips"},
                                                                                     {"id":2,"title":"ÉCOLE guide"}]}})");
        QTest::newRow("exclude") << QByteArray("fields=-title,-createdAt,-updatedAt,-tags,-comments,-author")
                                 << QByteArray(
                                        R"({"id":1,"price":10,"views":100,"published":true,"kind":"news"})");
        QTest::newRow("one minus makes exclude-mode")
            << QByteArray("fields=title,-createdAt,-updatedAt,-tags,-comments,-author,-price")
            << QByteArray(R"({"id":1,"title":"Résumé tips","views":100,"published":true,"kind":"news"})");
        QTest::newRow("exclude in a relation")
            << QByteArray("fields=id,author.-createdAt,author.-updatedAt,author.-posts,author.-bio")
            << QByteArray(R"({"id":1,"author":{"id":1,"name":"Ann","age":30}})");
        QTest::newRow("excluding id keeps id") << QByteArray("fields=title,-id,-createdAt,-updatedAt,-price,-"
                                                             "views,-published,-kind,-author,-tags,-comments")
                                               << QByteArray(R"({"id":1,"title":"Résumé tips"})");
    }

    void fields()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, expected);
        const HttpReply r = list("posts", "filter=%7B%22id%22%3A1%7D&" + query);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.data().size(), 1);
        QCOMPARE(r.data().at(0).toObject(), parseObject(expected));
    }

    void fieldsStar()
    {
        // rel.* : every column of the related row, its relations as ids
        HttpReply r = list("posts", "filter=%7B%22id%22%3A1%7D&fields=id,author.*");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QJsonObject author = r.data().at(0)["author"].toObject();
        QCOMPARE(keysOf(author), sorted({"id", "name", "age", "bio", "createdAt", "updatedAt", "posts"}));
        QCOMPARE(author.value("name").toString(), QStringLiteral("Ann"));
        QCOMPARE(author.value("bio").toString(), QStringLiteral("Writes Résumé guides"));
        QCOMPARE(idsOf(author.value("posts").toArray()), Ids({1, 2}));

        // * and the default are the same
        const HttpReply star = list("posts", "fields=*");
        const HttpReply byDefault = list("posts", "");
        QCOMPARE(star.data(), byDefault.data());
        QCOMPARE(keysOf(star.data().at(0).toObject()),
                 sorted({"id", "title", "price", "views", "published", "kind", "createdAt", "updatedAt",
                         "author", "tags", "comments"}));

        // *,rel.* : all own columns plus an expanded relation
        r = list("posts", "filter=%7B%22id%22%3A1%7D&fields=*,tags.*");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.data().at(0)["title"].toString(), QStringLiteral("Résumé tips"));
        QCOMPARE(keysOf(r.data().at(0)["tags"].toArray().at(0).toObject()),
                 sorted({"id", "label", "createdAt", "updatedAt", "posts"}));
        // a post without author: null, without tags: []
        r = list("posts", "filter=%7B%22id%22%3A5%7D&fields=author.name,comments.text");
        QCOMPARE(r.data().at(0).toObject(),
                 parseObject(R"({"id":5,"author":null,"comments":[{"id":4,"text":"ok"}]})"));
        r = list("posts", "filter=%7B%22id%22%3A3%7D&fields=tags.label");
        QCOMPARE(r.data().at(0).toObject(), parseObject(R"({"id":3,"tags":[]})"));
    }

    void badFields_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::newRow("unknown") << QByteArray("nope");
        QTest::newRow("unknown beside known") << QByteArray("id,title,nope");
        QTest::newRow("unknown excluded") << QByteArray("-nope");
        QTest::newRow("unknown in relation") << QByteArray("author.nope");
        QTest::newRow("unknown relation") << QByteArray("nope.name");
        QTest::newRow("unknown relation star") << QByteArray("nope.*");
        QTest::newRow("dotted column") << QByteArray("title.name");
        QTest::newRow("storage column path") << QByteArray("authorId.name");
        QTest::newRow("too deep") << QByteArray("author.posts.author.posts.author.posts.author.posts.id");
        QTest::newRow("case matters") << QByteArray("Title");
    }

    void badFields()
    {
        QFETCH(QByteArray, fields);
        VERIFY_BAD_REQUEST(list("posts", "fields=" + pct(fields)), "/posts");
    }

    void fieldsDepthSeven()
    {
        // seven relation hops are allowed
        const HttpReply r = list(
            "posts", "filter=%7B%22id%22%3A1%7D&fields=author.posts.author.posts.author.posts.author.name");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(
            r.data()
                .at(0)["author"]["posts"][0]["author"]["posts"][0]["author"]["posts"][0]["author"]["name"]
                .toString(),
            QStringLiteral("Ann"));
    }

    // --- sort --------------------------------------------------------------------

    void sort_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<Ids>("expected");
        QTest::newRow("default id") << QByteArray("") << Ids{1, 2, 3, 4, 5, 6};
        QTest::newRow("-id") << QByteArray("sort=-id") << Ids{6, 5, 4, 3, 2, 1};
        QTest::newRow("column") << QByteArray("sort=views") << Ids{3, 6, 4, 2, 1, 5};
        QTest::newRow("descending") << QByteArray("sort=-views") << Ids{5, 1, 2, 4, 6, 3};
        QTest::newRow("float, nulls filtered")
            << QByteArray("sort=-price&filter[price][_is_null]=false") << Ids{5, 2, 6, 1, 3};
        QTest::newRow("multi") << QByteArray("sort=kind,-views&filter[kind][_is_null]=false")
                               << Ids{2, 3, 5, 1, 6};
        QTest::newRow("multi boolean") << QByteArray("sort=published,-id") << Ids{6, 4, 2, 5, 3, 1};
        QTest::newRow("repeated key") << QByteArray("sort=published&sort=-id") << Ids{6, 4, 2, 5, 3, 1};
        QTest::newRow("relation") << QByteArray("sort=author.name,id&filter[author][_is_null]=false")
                                  << Ids{1, 2, 3, 6, 4};
        QTest::newRow("relation descending")
            << QByteArray("sort=-author.name,id&filter[author][_is_null]=false") << Ids{4, 3, 6, 1, 2};
        QTest::newRow("relation then column")
            << QByteArray("sort=author.name,-views&filter[author][_is_null]=false") << Ids{1, 2, 6, 3, 4};
        QTest::newRow("storage column")
            << QByteArray("sort=-authorId,id&filter[author][_is_null]=false") << Ids{4, 3, 6, 1, 2};
        QTest::newRow("with limit and page") << QByteArray("sort=-views&limit=2&page=2") << Ids{2, 4};
    }

    void sort()
    {
        QFETCH(QByteArray, query);
        QFETCH(Ids, expected);
        const HttpReply r = list("posts", "fields=id&" + query);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), expected);
    }

    void sortText()
    {
        // text sorts by its stored characters; the ids of users by name are stable
        const HttpReply r = list("users", "fields=id&sort=-name");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), Ids({4, 3, 2, 1}));
    }

    void badSort_data()
    {
        QTest::addColumn<QByteArray>("sort");
        QTest::newRow("unknown") << QByteArray("nope");
        QTest::newRow("unknown descending") << QByteArray("-nope");
        QTest::newRow("unknown beside known") << QByteArray("title,nope");
        QTest::newRow("unknown relation field") << QByteArray("author.nope");
        QTest::newRow("unknown relation") << QByteArray("nope.name");
        QTest::newRow("double minus") << QByteArray("--title");
        QTest::newRow("case matters") << QByteArray("Title");
    }

    void badSort()
    {
        QFETCH(QByteArray, sort);
        VERIFY_BAD_REQUEST(list("posts", "sort=" + pct(sort)), "/posts");
    }

    // --- limit and page ----------------------------------------------------------

    void limitAndPage_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<Ids>("expected");
        Ids all;
        for (int i = 1; i <= 25; ++i)
            all << i;
        QTest::newRow("default 10") << QByteArray("") << all.mid(0, 10);
        QTest::newRow("default 10, page 2") << QByteArray("page=2") << all.mid(10, 10);
        QTest::newRow("default 10, page 3") << QByteArray("page=3") << all.mid(20);
        QTest::newRow("limit 5") << QByteArray("limit=5") << all.mid(0, 5);
        QTest::newRow("limit 5 page 2") << QByteArray("limit=5&page=2") << all.mid(5, 5);
        QTest::newRow("limit 0 is all") << QByteArray("limit=0") << all;
        QTest::newRow("at the maximum") << QByteArray("limit=10000") << all;
        QTest::newRow("page past the end") << QByteArray("limit=10&page=4") << Ids{};
        QTest::newRow("page 1") << QByteArray("limit=3&page=1") << Ids{1, 2, 3};
        QTest::newRow("limit with filter") << QByteArray("limit=2&page=2&filter[n][_gt]=20") << Ids{23, 24};
        QTest::newRow("limit with sort") << QByteArray("limit=3&sort=-n") << Ids{25, 24, 23};
        QTest::newRow("empty limit is default") << QByteArray("limit=") << all.mid(0, 10);
    }

    void limitAndPage()
    {
        QFETCH(QByteArray, query);
        QFETCH(Ids, expected);
        const HttpReply r = list("nums", "fields=id&" + query);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), expected);
    }

    void badLimitAndPage_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::newRow("above maxQueryLimit") << QByteArray("limit=10001");
        QTest::newRow("far above") << QByteArray("limit=99999999999999999999");
        QTest::newRow("negative limit") << QByteArray("limit=-1");
        QTest::newRow("text limit") << QByteArray("limit=ten");
        QTest::newRow("fractional limit") << QByteArray("limit=1.5");
        QTest::newRow("limit with sign") << QByteArray("limit=%2B5");
        QTest::newRow("limit twice") << QByteArray("limit=1&limit=2");
        QTest::newRow("page 0") << QByteArray("page=0");
        QTest::newRow("page too large") << QByteArray("limit=10000&page=999999999999999999");
        QTest::newRow("negative page") << QByteArray("page=-1");
        QTest::newRow("text page") << QByteArray("page=first");
    }

    void badLimitAndPage()
    {
        QFETCH(QByteArray, query);
        VERIFY_BAD_REQUEST(list("nums", query), "/nums");
    }

    // --- meta --------------------------------------------------------------------

    void meta_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray filter = "&filter=" + pct(R"({"n":{"_lte":5}})");
        QTest::newRow("totalCount ignores the filter")
            << "meta=totalCount" + filter << QByteArray(R"({"totalCount":25})");
        QTest::newRow("filterCount") << "meta=filterCount" + filter << QByteArray(R"({"filterCount":5})");
        QTest::newRow("both") << "meta=totalCount,filterCount" + filter
                              << QByteArray(R"({"totalCount":25,"filterCount":5})");
        QTest::newRow("both, other order")
            << "meta=filterCount,totalCount" + filter << QByteArray(R"({"totalCount":25,"filterCount":5})");
        QTest::newRow("counts ignore limit and page") << "meta=totalCount,filterCount&limit=2&page=2" + filter
                                                      << QByteArray(R"({"totalCount":25,"filterCount":5})");
        QTest::newRow("without filter")
            << QByteArray("meta=filterCount") << QByteArray(R"({"filterCount":25})");
        QTest::newRow("filter matching nothing") << QByteArray("meta=filterCount,totalCount&filter[n]=99")
                                                 << QByteArray(R"({"totalCount":25,"filterCount":0})");
    }

    void meta()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, expected);
        const HttpReply r = list("nums", "fields=id&" + query);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.object().value("meta").toObject(), parseObject(expected));
        QVERIFY(r.body.startsWith("{\"statusCode\":200,\"data\":["));
        QVERIFY(r.body.endsWith(",\"message\":\"Success\"}"));
    }

    void metaWithRelationFilter()
    {
        HttpReply r = list("posts", "fields=id&meta=totalCount,filterCount&limit=1&filter[author][name]=Ann");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), Ids{1});
        QCOMPARE(r.object().value("meta").toObject(), parseObject(R"({"totalCount":6,"filterCount":2})"));
        // a to-many filter matching several related rows counts (and lists) each row once
        r = list("posts",
                 "fields=id&meta=filterCount&filter=" + pct(R"({"comments":{"text":{"_contains":"e"}}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), Ids({1, 2}));
        QCOMPARE(r.object().value("meta").toObject(), parseObject(R"({"filterCount":2})"));
        r = list("users",
                 "fields=id&meta=filterCount&filter=" + pct(R"({"posts":{"tags":{"_is_null":false}}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), Ids({1, 3}));
        QCOMPARE(r.object().value("meta").toObject(), parseObject(R"({"filterCount":2})"));
        // no meta key unless asked
        QVERIFY(!list("posts", "fields=id").object().contains("meta"));
    }

    void badMeta()
    {
        VERIFY_BAD_REQUEST(list("nums", "meta=nope"), "/nums");
        VERIFY_BAD_REQUEST(list("nums", "meta=totalCount,nope"), "/nums");
    }

    // --- deep --------------------------------------------------------------------

    void deep_data()
    {
        QTest::addColumn<QByteArray>("deep");
        QTest::addColumn<QByteArray>("expected"); // user 1 (Ann) as JSON, fields=id,posts
        QTest::newRow("fields, sort, limit")
            << QByteArray(R"({"posts":{"fields":"id,title","sort":"-id","limit":1}})")
            << QByteArray(R"({"id":1,"posts":[{"id":2,"title":"ÉCOLE guide"}]})");
        QTest::newRow("page") << QByteArray(R"({"posts":{"fields":"id","sort":"id","limit":1,"page":2}})")
                              << QByteArray(R"({"id":1,"posts":[{"id":2}]})");
        QTest::newRow("filter") << QByteArray(R"({"posts":{"fields":"id","filter":{"published":true}}})")
                                << QByteArray(R"({"id":1,"posts":[{"id":1}]})");
        QTest::newRow("relation filter")
            << QByteArray(R"({"posts":{"fields":"id","filter":{"tags":{"label":"qt"}},"sort":"-id"}})")
            << QByteArray(R"({"id":1,"posts":[{"id":2},{"id":1}]})");
        QTest::newRow("filter matching nothing")
            << QByteArray(R"({"posts":{"filter":{"title":"none"}}})") << QByteArray(R"({"id":1,"posts":[]})");
        QTest::newRow("nested deep")
            << QByteArray(
                   R"({"posts":{"fields":"id","deep":{"comments":{"fields":"text","filter":{"approved":true}}}}})")
            << QByteArray(R"({"id":1,"posts":[{"id":1,"comments":[{"id":1,"text":"great"}]},
                                             {"id":2,"comments":[{"id":3,"text":"nice"}]}]})");
        QTest::newRow("nested deep, sort and limit")
            << QByteArray(
                   R"({"posts":{"fields":"id","limit":1,"deep":{"comments":{"fields":"text","sort":"-id","limit":1}}}})")
            << QByteArray(R"({"id":1,"posts":[{"id":1,"comments":[{"id":2,"text":"meh"}]}]})");
        QTest::newRow("nested deep to many-to-many")
            << QByteArray(
                   R"({"posts":{"fields":"id","sort":"-id","deep":{"tags":{"fields":"label","sort":"-label"}}}})")
            << QByteArray(R"({"id":1,"posts":[{"id":2,"tags":[{"id":2,"label":"qt"}]},
                                             {"id":1,"tags":[{"id":2,"label":"qt"},{"id":1,"label":"cpp"}]}]})");
        QTest::newRow("deep with dotted fields")
            << QByteArray(R"({"posts":{"fields":"id,tags.label","filter":{"id":2}}})")
            << QByteArray(R"({"id":1,"posts":[{"id":2,"tags":[{"id":2,"label":"qt"}]}]})");
    }

    void deep()
    {
        QFETCH(QByteArray, deep);
        QFETCH(QByteArray, expected);
        const HttpReply r = list("users", "fields=id,posts&filter[id]=1&deep=" + pct(deep));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.data().size(), 1);
        QCOMPARE(r.data().at(0).toObject(), parseObject(expected));
    }

    void deepToOne()
    {
        const HttpReply r =
            list("comments", "fields=id,post&sort=id&limit=2&deep=" +
                                 pct(R"({"post":{"fields":"title","deep":{"author":{"fields":"name"}}}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QJsonObject first = r.data().at(0).toObject();
        QCOMPARE(
            first,
            parseObject(R"({"id":1,"post":{"id":1,"title":"Résumé tips","author":{"id":1,"name":"Ann"}}})"));
    }

    void deepDepth()
    {
        // seven levels are allowed, eight are refused
        auto nest = [](int levels) {
            QByteArray deep = "{}";
            for (int i = levels; i >= 1; --i)
                deep = "{\"" + QByteArray(i % 2 ? "author" : "posts") + "\":{\"fields\":\"id\"" +
                       (deep == "{}" ? QByteArray() : ",\"deep\":" + deep) + "}}";
            return deep;
        };
        HttpReply r = list("posts", "filter[id]=1&fields=id&deep=" + pct(nest(7)));
        QVERIFY2(r.status == 200, qPrintable(r.describe() + nest(7)));
        QCOMPARE(r.data()
                     .at(0)["author"]["posts"][0]["author"]["posts"][0]["author"]["posts"][0]["author"]["id"]
                     .toInteger(),
                 1);
        VERIFY_BAD_REQUEST(list("posts", "filter[id]=1&fields=id&deep=" + pct(nest(8))), "/posts");
    }

    void badDeep_data()
    {
        QTest::addColumn<QByteArray>("deep");
        QTest::newRow("unknown relation") << QByteArray(R"({"nope":{}})");
        QTest::newRow("a column") << QByteArray(R"({"title":{}})");
        QTest::newRow("bad nested filter") << QByteArray(R"({"comments":{"filter":{"nope":1}}})");
        QTest::newRow("bad nested sort") << QByteArray(R"({"comments":{"sort":"nope"}})");
        QTest::newRow("bad nested fields") << QByteArray(R"({"comments":{"fields":"nope"}})");
        QTest::newRow("bad nested limit") << QByteArray(R"({"comments":{"limit":-1}})");
        QTest::newRow("bad nested page") << QByteArray(R"({"comments":{"page":0}})");
        QTest::newRow("unknown option") << QByteArray(R"({"comments":{"bogus":1}})");
        QTest::newRow("bad nested deep") << QByteArray(R"({"comments":{"deep":{"nope":{}}}})");
        QTest::newRow("not an object") << QByteArray(R"({"comments":5})");
        QTest::newRow("deep is an array") << QByteArray("[]");
        QTest::newRow("malformed") << QByteArray(R"({"comments":)");
    }

    void badDeep()
    {
        QFETCH(QByteArray, deep);
        VERIFY_BAD_REQUEST(list("posts", "deep=" + pct(deep)), "/posts");
    }

    // --- aggregate ---------------------------------------------------------------

    void aggregate()
    {
        HttpReply r =
            list("posts", "fields=id&limit=1&aggregate=" +
                              pct(R"({"price":{"count":true,"sum":true,"avg":true,"min":true,"max":true},
                                                "views":{"sum":true,"max":true}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), Ids{1});
        const QJsonObject aggregate = aggregateOf(r);
        QCOMPARE(keysOf(aggregate), sorted({"price", "views"}));
        const QJsonObject price = aggregate["price"].toObject();
        QCOMPARE(keysOf(price), sorted({"count", "sum", "avg", "min", "max"}));
        QCOMPARE(price["count"].toInteger(), 5); // null price not counted
        QCOMPARE(price["sum"].toDouble(), 80.5);
        QCOMPARE(price["avg"].toDouble(), 16.1);
        QCOMPARE(price["min"].toDouble(), 5.5);
        QCOMPARE(price["max"].toDouble(), 30.0);
        QCOMPARE(aggregate["views"].toObject(), parseObject(R"({"sum":467,"max":300})"));

        // countRecords on a relation, with and without a filter
        r = list("posts",
                 "fields=id&aggregate=" + pct(R"({"comments":{"countRecords":{"approved":{"_eq":true}}}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(aggregateOf(r), parseObject(R"({"comments":{"countRecords":2}})"));
        r = list("users", "fields=id&aggregate=" + pct(R"({"posts":{"countRecords":{"tags":{"label":"qt"}}},
                                                           "age":{"count":true,"min":true}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(aggregateOf(r), parseObject(R"({"posts":{"countRecords":2},"age":{"count":3,"min":25}})"));
        // the aggregate covers the filtered rows, not only the page
        r = list("posts",
                 "fields=id&limit=1&filter[published]=true&aggregate=" +
                     pct(R"({"price":{"count":true,"sum":true,"min":true},"comments":{"countRecords":{}}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(aggregateOf(r),
                 parseObject(R"({"price":{"count":3,"sum":45.5,"min":5.5},"comments":{"countRecords":3}})"));
        // aggregate beside meta counts
        r = list("nums", "fields=id&limit=1&meta=totalCount&aggregate=" + pct(R"({"n":{"sum":true}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.object()["meta"].toObject(),
                 parseObject(R"({"totalCount":25,"aggregate":{"n":{"sum":325}}})"));
    }

    void badAggregate_data()
    {
        QTest::addColumn<QByteArray>("aggregate");
        QTest::newRow("unknown field") << QByteArray(R"({"nope":{"count":true}})");
        QTest::newRow("unknown function") << QByteArray(R"({"price":{"median":true}})");
        QTest::newRow("countRecords on a column") << QByteArray(R"({"price":{"countRecords":{}}})");
        QTest::newRow("bad countRecords filter") << QByteArray(R"({"comments":{"countRecords":{"nope":1}}})");
        QTest::newRow("not an object") << QByteArray(R"({"price":true})");
        QTest::newRow("array") << QByteArray("[]");
    }

    void badAggregate()
    {
        QFETCH(QByteArray, aggregate);
        VERIFY_BAD_REQUEST(list("posts", "aggregate=" + pct(aggregate)), "/posts");
    }

    void limitSettings()
    {
        // maxQueryLimit and defaultQueryLimit come from /hearth_setting and apply at once
        const HttpReply settings = client().get("/hearth_setting?limit=0&fields=id,key,value");
        QVERIFY2(settings.status == 200, qPrintable(settings.describe()));
        QByteArray maxPath, defaultPath;
        for (const QJsonValue &s : settings.data()) {
            const QByteArray path = "/hearth_setting/" + QByteArray::number(s["id"].toInteger());
            if (s["key"] == QJsonValue("maxQueryLimit"))
                maxPath = path;
            else if (s["key"] == QJsonValue("defaultQueryLimit"))
                defaultPath = path;
        }
        QVERIFY(!maxPath.isEmpty() && !defaultPath.isEmpty());
        auto set = [&](const QByteArray &path, int value) {
            return client().patch(path, QJsonObject{{"value", value}}).status == 200;
        };
        const auto restore = qScopeGuard([&] {
            set(maxPath, 10000);
            set(defaultPath, 10);
        });

        QVERIFY(set(maxPath, 20));
        QCOMPARE(ids("nums", "").size(), 20); // limit=0: all, capped at 20
        QCOMPARE(idsOf(list("nums", "fields=id&limit=20").data()).size(), 20);
        VERIFY_BAD_REQUEST(list("nums", "limit=21"), "/nums");
        QCOMPARE(idsOf(list("nums", "fields=id").data()).size(), 10); // default unchanged

        QVERIFY(set(defaultPath, 3));
        QCOMPARE(idsOf(list("nums", "fields=id").data()), Ids({1, 2, 3}));
        QCOMPARE(idsOf(list("nums", "fields=id&page=2").data()), Ids({4, 5, 6}));

        // a maximum below the default: a list without limit= gets the maximum, not a 400
        QVERIFY(set(maxPath, 2));
        HttpReply r = list("nums", "fields=id");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(idsOf(r.data()), Ids({1, 2}));
        r = list("users", "fields=id,posts&filter[id]=1&deep=" + pct(R"({"posts":{"fields":"id"}})"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        VERIFY_BAD_REQUEST(list("nums", "limit=3"), "/nums");

        QVERIFY(set(maxPath, 10000));
        QVERIFY(set(defaultPath, 10));
        QCOMPARE(idsOf(list("nums", "fields=id").data()).size(), 10);
        QCOMPARE(ids("nums", "").size(), 25);
    }

    // --- everything together -------------------------------------------------------

    void combined()
    {
        const QByteArray query =
            "filter=" + pct(R"({"_or":[{"author":{"name":"Ann"}},{"tags":{"label":"cpp"}}]})") +
            "&fields=id,title,author.name,tags.label&sort=-views&limit=2&page=1"
            "&meta=totalCount,filterCount&deep=" +
            pct(R"({"tags":{"sort":"-label","limit":1}})");
        const HttpReply r = list("posts", query);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.object()["data"].toArray(),
                 QJsonDocument::fromJson(
                     R"([{"id":5,"title":"alpha","author":null,"tags":[{"id":1,"label":"cpp"}]},
                     {"id":1,"title":"Résumé tips","author":{"id":1,"name":"Ann"},"tags":[{"id":2,"label":"qt"}]}])")
                     .array());
        QCOMPARE(r.object()["meta"].toObject(), parseObject(R"({"totalCount":6,"filterCount":3})"));
        // the same URL twice (cached compile) answers the same
        QCOMPARE(list("posts", query).body, r.body);
    }
};

QTEST_GUILESS_MAIN(TestQueryLanguage)
#include "tst_querylanguage.moc"
