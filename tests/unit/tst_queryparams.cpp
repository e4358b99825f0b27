// Query string -> QueryOptions: JSON and bracket forms, decoding, and every
// malformed input answered with a 400 (never a crash).
#include "core/apierror.h"
#include "query/queryparams.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrl>

using namespace Hearth;

#define QVERIFY_API_ERROR(expr, expectedStatus, text)                                                        \
    do {                                                                                                     \
        try {                                                                                                \
            expr;                                                                                            \
            QFAIL("no ApiError: " #expr);                                                                    \
        } catch (const ApiError &e) {                                                                        \
            QCOMPARE(e.status(), expectedStatus);                                                            \
            QVERIFY2(e.messageText().contains(QStringLiteral(text)), qPrintable(e.messageText()));           \
        }                                                                                                    \
    } while (0)

namespace {
QByteArray enc(const QByteArray &text)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(text));
}

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}
} // namespace

class TestQueryParams : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void jsonFilter();
    void bracketFilter();
    void jsonDeepAndAggregate();
    void decoding();
    void fieldsSortRepeatedAreJoined();
    void limitAndPage();
    void meta();
    void malformedJson();
    void hugeNestingIsRefused();
    void unknownParametersAreKeptForScripts();
    void optionsFromScriptValues();
};

void TestQueryParams::defaults()
{
    const QueryOptions o = parseQueryParams("");
    QVERIFY(o.filter.isUndefined());
    QCOMPARE(o.fields, QString());
    QCOMPARE(o.sort, QString());
    QVERIFY(!o.limit.has_value());
    QCOMPARE(o.page, 1);
    QVERIFY(!o.metaTotalCount && !o.metaFilterCount);
    QVERIFY(o.deep.isEmpty() && o.aggregate.isEmpty());
}

void TestQueryParams::jsonFilter()
{
    const QueryOptions o = parseQueryParams("filter=" + enc(R"({"price":{"_gte":10},"title":"a b"})"));
    QCOMPARE(o.filter.toObject(), obj(R"({"price":{"_gte":10},"title":"a b"})"));
}

void TestQueryParams::bracketFilter()
{
    QueryOptions o = parseQueryParams("filter[price][_gte]=10&filter[title][_eq]=a+b");
    QCOMPARE(o.filter.toObject(), obj(R"({"price":{"_gte":"10"},"title":{"_eq":"a b"}})"));

    o = parseQueryParams("filter[_or][0][title][_eq]=a&filter[_or][1][title][_eq]=b");
    QCOMPARE(o.filter.toObject(), obj(R"({"_or":[{"title":{"_eq":"a"}},{"title":{"_eq":"b"}}]})"));

    o = parseQueryParams("filter[id][_in][]=1&filter[id][_in][]=2");
    QCOMPARE(o.filter.toObject(), obj(R"({"id":{"_in":["1","2"]}})"));

    // Sparse indices close up, in index order; encoded brackets work too.
    o = parseQueryParams("filter[_and][5][a]=x&filter%5B_and%5D%5B2%5D%5Bb%5D=y");
    QCOMPARE(o.filter.toObject(), obj(R"({"_and":[{"b":"y"},{"a":"x"}]})"));

    o = parseQueryParams("deep[comments][limit]=3&deep[comments][sort]=-id&aggregate[price][sum]=true");
    QCOMPARE(o.deep, obj(R"({"comments":{"limit":"3","sort":"-id"}})"));
    QCOMPARE(o.aggregate, obj(R"({"price":{"sum":"true"}})"));
}

void TestQueryParams::jsonDeepAndAggregate()
{
    const QueryOptions o = parseQueryParams("deep=" + enc(R"({"comments":{"limit":3}})") +
                                            "&aggregate=" + enc(R"({"price":{"count":true}})"));
    QCOMPARE(o.deep, obj(R"({"comments":{"limit":3}})"));
    QCOMPARE(o.aggregate, obj(R"({"price":{"count":true}})"));
}

void TestQueryParams::decoding()
{
    QCOMPARE(parseQueryParams("fields=a+b%20c").fields, QStringLiteral("a b c"));
    QCOMPARE(parseQueryParams("filter=" + enc(R"({"t":"Résumé"})")).filter.toObject(),
             obj(R"({"t":"Résumé"})"));
    QVERIFY_API_ERROR(parseQueryParams("fields=%zz"), 400, "percent-encoding");
    QVERIFY_API_ERROR(parseQueryParams("fields=%4"), 400, "percent-encoding");
    QVERIFY_API_ERROR(parseQueryParams("fields=%"), 400, "percent-encoding");
    QVERIFY_API_ERROR(parseQueryParams("fields=%C3%28"), 400, "UTF-8");
    QVERIFY_API_ERROR(parseQueryParams("fields=%FF"), 400, "UTF-8");
}

void TestQueryParams::fieldsSortRepeatedAreJoined()
{
    const QueryOptions o = parseQueryParams("fields=id&fields=title&sort=-id&sort=title");
    QCOMPARE(o.fields, QStringLiteral("id,title"));
    QCOMPARE(o.sort, QStringLiteral("-id,title"));
}

void TestQueryParams::limitAndPage()
{
    QCOMPARE(parseQueryParams("limit=0").limit, std::optional<qint64>(0));
    QCOMPARE(parseQueryParams("limit=25&page=3").limit, std::optional<qint64>(25));
    QCOMPARE(parseQueryParams("limit=25&page=3").page, 3);
    QVERIFY(!parseQueryParams("limit=").limit.has_value());
    QVERIFY_API_ERROR(parseQueryParams("limit=-1"), 400, "Invalid limit");
    QVERIFY_API_ERROR(parseQueryParams("limit=abc"), 400, "Invalid limit");
    QVERIFY_API_ERROR(parseQueryParams("limit=1.5"), 400, "Invalid limit");
    QVERIFY_API_ERROR(parseQueryParams("limit=1e3"), 400, "Invalid limit");
    QVERIFY_API_ERROR(parseQueryParams("limit=1&limit=2"), 400, "Invalid limit");
    QVERIFY_API_ERROR(parseQueryParams("page=0"), 400, "Invalid page");
    QVERIFY_API_ERROR(parseQueryParams("page=-2"), 400, "Invalid page");
    QVERIFY_API_ERROR(parseQueryParams("page=x"), 400, "Invalid page");
    QVERIFY_API_ERROR(parseQueryParams("page=99999999999999999999999"), 400, "Invalid page");
}

void TestQueryParams::meta()
{
    QueryOptions o = parseQueryParams("meta=totalCount");
    QVERIFY(o.metaTotalCount && !o.metaFilterCount);
    o = parseQueryParams("meta=filterCount,totalCount");
    QVERIFY(o.metaTotalCount && o.metaFilterCount);
    o = parseQueryParams("meta=*");
    QVERIFY(o.metaTotalCount && o.metaFilterCount);
    o = parseQueryParams("meta=filterCount&meta=totalCount");
    QVERIFY(o.metaTotalCount && o.metaFilterCount);
    QVERIFY_API_ERROR(parseQueryParams("meta=everything"), 400, "Invalid meta: unknown value everything");
}

void TestQueryParams::malformedJson()
{
    QVERIFY_API_ERROR(parseQueryParams("filter=" + enc("{\"a\":")), 400, "Invalid filter: ");
    QVERIFY_API_ERROR(parseQueryParams("filter=" + enc("[1,2]")), 400, "Invalid filter: expected an object");
    QVERIFY_API_ERROR(parseQueryParams("filter=12"), 400, "Invalid filter");
    QVERIFY_API_ERROR(parseQueryParams("deep=" + enc("{x")), 400, "Invalid deep: ");
    QVERIFY_API_ERROR(parseQueryParams("aggregate=" + enc("nope")), 400, "Invalid aggregate: ");
    QVERIFY_API_ERROR(parseQueryParams("filter=%7B%7D&filter=%7B%7D"), 400, "more than once");
    QVERIFY_API_ERROR(parseQueryParams("filter=" + enc("{}") + "&filter[a]=1"), 400, "both");
    QVERIFY(parseQueryParams("filter=null").filter.isUndefined());
    QVERIFY(parseQueryParams("filter=").filter.isUndefined());
}

void TestQueryParams::hugeNestingIsRefused()
{
    for (char open : {'[', '{'}) {
        const QByteArray deep(100000, open);
        QVERIFY_API_ERROR(parseQueryParams("filter=" + enc(deep)), 400,
                          "Invalid filter: nesting deeper than 32");
        QVERIFY_API_ERROR(parseQueryParams("deep=" + enc(deep)), 400, "Invalid deep: nesting deeper");
        QVERIFY_API_ERROR(parseQueryParams("aggregate=" + enc(deep)), 400, "nesting deeper");
    }
    // Nested brackets inside strings do not count.
    const QByteArray inString = "{\"t\":\"" + QByteArray(100, '[') + "\"}";
    QCOMPARE(parseQueryParams("filter=" + enc(inString)).filter.toObject().value("t").toString().size(), 100);

    QByteArray brackets = "filter";
    for (int i = 0; i < 100000; ++i)
        brackets += "[a]";
    QVERIFY_API_ERROR(parseQueryParams(brackets + "=1"), 400, "nesting deeper");
    // Exactly the limit is fine.
    QByteArray json;
    for (int i = 0; i < 31; ++i)
        json += "{\"a\":";
    json += "{}";
    for (int i = 0; i < 31; ++i)
        json += "}";
    QVERIFY(parseQueryParams("filter=" + enc(json)).filter.isObject());
    QVERIFY_API_ERROR(parseQueryParams("filter=" + enc("{\"a\":" + json + "}")), 400,
                      "nesting deeper than 32");
}

void TestQueryParams::unknownParametersAreKeptForScripts()
{
    const QJsonObject all = queryParamsToJson("x=1&x=2&y[a][]=b&y[a][]=c&z&fields=id&q=a%26b");
    QCOMPARE(all.value("x").toArray(), (QJsonArray{"1", "2"}));
    QCOMPARE(all.value("y").toObject(), obj(R"({"a":["b","c"]})"));
    QCOMPARE(all.value("z").toString(), QString());
    QCOMPARE(all.value("q").toString(), QStringLiteral("a&b"));
    QCOMPARE(all.value("fields").toString(), QStringLiteral("id"));
    // Malformed brackets stay a plain key.
    QCOMPARE(queryParamsToJson("a[b=1").value("a[b").toString(), QStringLiteral("1"));
    QCOMPARE(queryParamsToJson("a[b]c=1").value("a[b]c").toString(), QStringLiteral("1"));
    const QueryOptions o = parseQueryParams("x=1&utm_source=mail&limit=5");
    QCOMPARE(o.limit, std::optional<qint64>(5));
}

void TestQueryParams::optionsFromScriptValues()
{
    const QJsonObject params = obj(R"({"filter":{"a":1},"fields":["id","title"],"sort":"-id","limit":5,
        "page":2,"meta":"totalCount","deep":{"c":{"limit":1}},"aggregate":"{\"p\":{\"count\":true}}"})");
    const QueryOptions o = queryOptionsFromJson(params);
    QCOMPARE(o.filter.toObject(), obj(R"({"a":1})"));
    QCOMPARE(o.fields, QStringLiteral("id,title"));
    QCOMPARE(o.sort, QStringLiteral("-id"));
    QCOMPARE(o.limit, std::optional<qint64>(5));
    QCOMPARE(o.page, 2);
    QVERIFY(o.metaTotalCount);
    QCOMPARE(o.deep, obj(R"({"c":{"limit":1}})"));
    QCOMPARE(o.aggregate, obj(R"({"p":{"count":true}})"));
    QVERIFY_API_ERROR(queryOptionsFromJson(obj(R"({"limit":-1})")), 400, "Invalid limit");
    QVERIFY_API_ERROR(queryOptionsFromJson(obj(R"({"limit":2.5})")), 400, "Invalid limit");
    QVERIFY_API_ERROR(queryOptionsFromJson(obj(R"({"filter":[1]})")), 400, "Invalid filter");
    QVERIFY_API_ERROR(queryOptionsFromJson(obj(R"({"fields":3})")), 400, "Invalid fields");
}

QTEST_APPLESS_MAIN(TestQueryParams)
#include "tst_queryparams.moc"
