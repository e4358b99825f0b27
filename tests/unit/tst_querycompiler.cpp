// The query compiler against real SQLite: a schema built with SchemaBuilder,
// tables created with DdlBuilder, fixture rows inserted with plain SQL, and
// compiled finds run and their JSON checked.
#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/sqlerror.h"
#include "query/querycompiler.h"
#include "query/queryparams.h"
#include "query/queryrunner.h"
#include "schema/ddlbuilder.h"
#include "schema/schemabuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

using namespace Hearth;

// Unexpected errors are printed by the helpers; expected ones are quiet.
static int g_expectingError = 0;

struct ExpectingError
{
    ExpectingError() { ++g_expectingError; }
    ~ExpectingError() { --g_expectingError; }
};

#define QVERIFY_API_ERROR(expr, expectedStatus, text)                                                        \
    do {                                                                                                     \
        const ExpectingError expecting;                                                                      \
        try {                                                                                                \
            expr;                                                                                            \
            QFAIL("no ApiError: " #expr);                                                                    \
        } catch (const ApiError &e) {                                                                        \
            QCOMPARE(e.status(), expectedStatus);                                                            \
            QVERIFY2(e.messageText().contains(QString::fromUtf8(text)), qPrintable(e.messageText()));        \
        }                                                                                                    \
    } while (0)

namespace {

using Ids = QList<qint64>;

ColumnDef column(const QString &name, ColumnType type)
{
    ColumnDef c;
    c.name = name;
    c.type = type;
    return c;
}

RelationDef relation(const QString &property, RelationType type, const QString &target,
                     const QString &inverse)
{
    RelationDef r;
    r.propertyName = property;
    r.type = type;
    r.targetTable = target;
    r.inversePropertyName = inverse;
    return r;
}

TableDef table(const QString &name, QList<ColumnDef> columns, QList<RelationDef> relations = {})
{
    TableDef t;
    t.name = name;
    t.columns = std::move(columns);
    t.relations = std::move(relations);
    return t;
}

Schema buildSchema()
{
    ColumnDef email = column("email", ColumnType::Varchar);
    email.isUnique = true;
    ColumnDef status = column("status", ColumnType::Enum);
    status.options = {"draft", "published"};
    TableDef tags = table("tags", {column("name", ColumnType::Varchar)});
    tags.defaultFields = "name";
    TableDef documents = table("documents", {column("title", ColumnType::Varchar)},
                               {relation("owner", RelationType::ManyToOne, "users", "documents")});
    documents.primaryKeyType = PrimaryKeyType::Uuid;
    return SchemaBuilder::build({
        table("users", {column("name", ColumnType::Varchar), email, column("age", ColumnType::Int),
                        column("bio", ColumnType::Text)}),
        table("posts",
              {column("title", ColumnType::Varchar), column("description", ColumnType::Text), status,
               column("published", ColumnType::Boolean), column("price", ColumnType::Float),
               column("meta", ColumnType::SimpleJson), column("tagsList", ColumnType::ArraySelect),
               column("ref", ColumnType::Uuid), column("views", ColumnType::Int)},
              {relation("author", RelationType::ManyToOne, "users", "posts"),
               relation("tags", RelationType::ManyToMany, "tags", "posts")}),
        table("comments", {column("body", ColumnType::Text), column("approved", ColumnType::Boolean)},
              {relation("post", RelationType::ManyToOne, "posts", "comments")}),
        tags,
        table("profiles", {column("bio", ColumnType::Text)},
              {relation("user", RelationType::OneToOne, "users", "profile")}),
        documents,
    });
}

void createTables(SqlConnection &db, const Schema &schema)
{
    db.exec("PRAGMA foreign_keys=OFF");
    for (const TableDef &t : schema.tables()) {
        db.exec(DdlBuilder::createTable(t, schema));
        for (const QByteArray &sql : DdlBuilder::createIndexes(t))
            db.exec(sql);
    }
    for (const TableDef &t : schema.tables())
        for (const QByteArray &sql : DdlBuilder::createJunctionTables(t, schema))
            db.exec(sql);
    db.exec("PRAGMA foreign_keys=ON");
}

const char *kFixture = R"SQL(
INSERT INTO users (id, name, email, age, bio) VALUES
  (1, 'Ann', 'ann@example.com', 30, 'Line1
"quoted" \ é 😀'),
  (2, 'Bob', 'bob@example.com', 25, NULL),
  (3, 'Chloé', 'chloe@example.com', NULL, NULL);
INSERT INTO posts (id, title, description, status, published, price, meta, tagsList, ref, views, authorId, createdAt) VALUES
  (1, 'Hello World', 'First post', 'published', 1, 10.5, '{"a":1}', '["x","y"]', '11111111-1111-4111-8111-111111111111', 100, 1, '2024-01-05T00:00:00.000Z'),
  (2, 'Résumé tips', 'Second, with comma', 'draft', 0, 20, '[1,2]', NULL, NULL, 50, 1, '2024-01-04T00:00:00.000Z'),
  (3, '100% pure_fun', 'Third', 'published', 1, NULL, NULL, NULL, NULL, 0, 2, '2024-01-03T00:00:00.000Z'),
  (4, 'Zebra', NULL, 'draft', 1, 5.25, NULL, NULL, NULL, NULL, NULL, '2024-01-02T00:00:00.000Z'),
  (5, 'apple pie', 'Fifth', 'published', 0, 7, '{"b":[true]}', NULL, NULL, 10, 3, '2024-01-01T00:00:00.000Z');
INSERT INTO comments (id, body, approved, postId) VALUES
  (1, 'Great', 1, 1), (2, 'Meh', 0, 1), (3, 'Nice', 1, 1), (4, 'Wow', 1, 2), (5, 'Hmm', 0, 3);
INSERT INTO tags (id, name) VALUES (1, 'news'), (2, 'tech'), (3, 'empty');
INSERT INTO posts_tags_junction (sourceId, targetId) VALUES (1, 1), (1, 2), (2, 2);
INSERT INTO profiles (id, bio, userId) VALUES (1, 'Ann''s bio', 1), (2, 'Bob bio', 2);
INSERT INTO documents (id, title, ownerId) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000001', 'Doc A', 1), ('bbbbbbbb-0000-4000-8000-000000000002', 'Doc B', 2);
)SQL";

QByteArray enc(const QByteArray &text)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(text));
}

// Keys of the top-level JSON object in text order (QJsonObject sorts them).
QStringList keysInOrder(QByteArrayView json)
{
    QStringList keys;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"') {
                inString = false;
                if (depth == 1 && i + 1 < json.size() && json[i + 1] == ':')
                    keys << QString::fromUtf8(json.sliced(start, i - start));
            }
        } else if (c == '"') {
            inString = true;
            start = i + 1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return keys;
}

// The text of the first object of a JSON array text.
QByteArray firstObject(const QByteArray &array)
{
    int depth = 0;
    for (qsizetype i = 1; i < array.size(); ++i) {
        if (array[i] == '{')
            ++depth;
        if (array[i] == '}' && --depth == 0)
            return array.mid(1, i);
    }
    return {};
}

} // namespace

class TestQueryCompiler : public QObject
{
    Q_OBJECT

private:
    QByteArray raw(const char *tableName, const QByteArray &query, QByteArray *meta = nullptr,
                   const QueryLimits &limits = {});
    QJsonArray find(const char *tableName, const QByteArray &query, QJsonObject *meta = nullptr,
                    const QueryLimits &limits = {});
    Ids ids(const char *tableName, const QByteArray &filterJson, const QByteArray &more = {});
    QJsonObject aggregate(const QByteArray &query);
    QStringList plan(const CompiledSql &sql);
    const TableDef &tableDef(const char *name) { return *m_schema.table(QString::fromLatin1(name)); }

    Schema m_schema;
    std::unique_ptr<SqlConnection> m_db;

private slots:
    void initTestCase();

    void defaultFieldsAndTypes();
    void keyOrder();
    void fieldsInclude();
    void fieldsRelations();
    void fieldsNested();
    void fieldsExclude();
    void fieldsToMany();
    void fieldsOneToOneAndManyToMany();
    void fieldsUuidTable();
    void fieldsErrors();
    void textIsValidJson();

    void sortColumns();
    void sortRelations();
    void sortTieBreakerAndPaging();
    void sortErrors();

    void limitAndPage();
    void meta();

    void filterComparisons();
    void filterLists();
    void filterText();
    void filterBetweenAndNull();
    void filterImplicitAndTypes();
    void filterLogic();
    void filterManyToOne();
    void filterToMany();
    void filterManyToManyAndOneToOne();
    void filterNestedRelations();
    void filterUuid();
    void filterBracketForm();
    void filterErrors();
    void filterLimits();

    void deepToMany();
    void deepToOne();
    void deepNested();
    void deepErrors();

    void aggregateColumns();
    void aggregateRelations();
    void aggregateErrors();

    void existsAndCount();
    void injectionIsHarmless();
    void largestQueriesStayWithinSqliteLimits();
    void wideTables();
    void queryPlansUseIndexes();
    void compiledFindIsCheapToCopy();
};

void TestQueryCompiler::initTestCase()
{
    m_schema = buildSchema();
    m_db = SqlConnection::open(":memory:");
    createTables(*m_db, m_schema);
    m_db->exec(kFixture);
}

QByteArray TestQueryCompiler::raw(const char *tableName, const QByteArray &query, QByteArray *meta,
                                  const QueryLimits &limits)
{
    try {
        const QueryOptions options = parseQueryParams(query, limits);
        const CompiledFind find = QueryCompiler(m_schema, limits).compileFind(tableDef(tableName), options);
        return runFindToJson(*m_db, find, meta);
    } catch (const ApiError &e) {
        if (!g_expectingError)
            qWarning("%s?%s: ApiError %d %s", tableName, query.constData(), e.status(), e.what());
        throw;
    } catch (const SqlError &e) {
        qWarning("%s?%s: SqlError %s in %s", tableName, query.constData(), e.what(), e.sql().constData());
        return "SQL ERROR";
    }
}

QJsonArray TestQueryCompiler::find(const char *tableName, const QByteArray &query, QJsonObject *meta,
                                   const QueryLimits &limits)
{
    QByteArray metaJson;
    const QByteArray rows = raw(tableName, query, &metaJson, limits);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(rows, &error);
    if (error.error != QJsonParseError::NoError || !document.isArray())
        return QJsonArray{QStringLiteral("INVALID JSON: ") + QString::fromUtf8(rows)};
    if (meta)
        *meta = metaJson.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(metaJson).object();
    return document.array();
}

Ids TestQueryCompiler::ids(const char *tableName, const QByteArray &filterJson, const QByteArray &more)
{
    Ids out;
    const QJsonArray rows = find(tableName, "fields=id&limit=0&filter=" + enc(filterJson) + more);
    for (const QJsonValue &row : rows)
        out << row.toObject().value("id").toInteger(-1);
    return out;
}

QJsonObject TestQueryCompiler::aggregate(const QByteArray &query)
{
    QJsonObject meta;
    find("posts", "fields=id&" + query, &meta);
    return meta.value("aggregate").toObject();
}

// The query plan, one line per step; steps of the outermost query are marked "top: ".
QStringList TestQueryCompiler::plan(const CompiledSql &sql)
{
    QStringList details;
    SqlStatement statement = m_db->prepare("EXPLAIN QUERY PLAN " + sql.sql);
    statement.bindAll(sql.binds);
    while (statement.step())
        details << (statement.int64(1) == 0 ? QStringLiteral("top: ") : QString()) +
                       QString::fromUtf8(statement.text(3));
    return details;
}

// ---- fields --------------------------------------------------------------

void TestQueryCompiler::defaultFieldsAndTypes()
{
    const QJsonArray rows = find("posts", "");
    QCOMPARE(rows.size(), 5);
    const QJsonObject first = rows[0].toObject();
    QCOMPARE(first.value("id"), QJsonValue(1));
    QCOMPARE(first.value("title"), QJsonValue("Hello World"));
    QCOMPARE(first.value("status"), QJsonValue("published"));
    QCOMPARE(first.value("published"), QJsonValue(true));
    QCOMPARE(first.value("price"), QJsonValue(10.5));
    QCOMPARE(first.value("meta"), QJsonValue(QJsonObject{{"a", 1}})); // embedded JSON, not a string
    QCOMPARE(first.value("tagsList"), QJsonValue(QJsonArray{"x", "y"}));
    QCOMPARE(first.value("ref"), QJsonValue("11111111-1111-4111-8111-111111111111"));
    QCOMPARE(first.value("views"), QJsonValue(100));
    QCOMPARE(first.value("createdAt"), QJsonValue("2024-01-05T00:00:00.000Z"));
    QVERIFY(first.value("updatedAt").isString());
    QCOMPARE(first.value("author"), QJsonValue(QJsonObject{{"id", 1}}));
    QCOMPARE(first.value("tags"), QJsonValue(QJsonArray{QJsonObject{{"id", 1}}, QJsonObject{{"id", 2}}}));
    QCOMPARE(first.value("comments").toArray().size(), 3);
    QVERIFY(!first.contains("authorId")); // storage column, the relation is emitted instead

    const QJsonObject second = rows[1].toObject();
    QCOMPARE(second.value("published"), QJsonValue(false));
    QCOMPARE(second.value("price"), QJsonValue(20));
    QCOMPARE(second.value("meta"), QJsonValue(QJsonArray{1, 2}));

    const QJsonObject fourth = rows[3].toObject();
    QVERIFY(fourth.value("author").isNull());
    QVERIFY(fourth.value("description").isNull());
    QVERIFY(fourth.value("views").isNull());
    QVERIFY(fourth.value("meta").isNull());
    QCOMPARE(fourth.value("comments"), QJsonValue(QJsonArray()));
    QCOMPARE(fourth.value("tags"), QJsonValue(QJsonArray()));
    QCOMPARE(rows[4].toObject().value("meta"), QJsonValue(QJsonObject{{"b", QJsonArray{true}}}));

    // TableDef::defaultFields applies when fields is not given.
    const QJsonArray tags = find("tags", "");
    QCOMPARE(tags[0].toObject(), (QJsonObject{{"id", 1}, {"name", "news"}}));
    QCOMPARE(find("tags", "fields=*")[0].toObject().size(), 5); // id name createdAt updatedAt posts
}

void TestQueryCompiler::keyOrder()
{
    const QByteArray all = raw("posts", "limit=1");
    QCOMPARE(keysInOrder(firstObject(all)),
             (QStringList{"id", "title", "description", "status", "published", "price", "meta", "tagsList",
                          "ref", "views", "createdAt", "updatedAt", "author", "tags", "comments"}));
    QCOMPARE(keysInOrder(firstObject(raw("posts", "limit=1&fields=views,title,author,status"))),
             (QStringList{"id", "views", "title", "author", "status"}));
    // id first even when listed last, and listed once.
    QCOMPARE(keysInOrder(firstObject(raw("posts", "limit=1&fields=title,id,title"))),
             (QStringList{"id", "title"}));
    const QByteArray nested = firstObject(raw("posts", "limit=1&fields=author.email,author.name"));
    const qsizetype author = nested.indexOf("\"author\":") + 9;
    QCOMPARE(keysInOrder(nested.mid(author, nested.size() - author - 1)),
             (QStringList{"id", "email", "name"}));
}

void TestQueryCompiler::fieldsInclude()
{
    const QJsonArray rows = find("posts", "fields=title,views");
    QCOMPARE(rows.size(), 5);
    for (const QJsonValue &row : rows)
        QCOMPARE(row.toObject().keys(), (QStringList{"id", "title", "views"}));
    QCOMPARE(rows[2].toObject().value("title"), QJsonValue("100% pure_fun"));
    QCOMPARE(find("posts", "fields=id")[0].toObject(), (QJsonObject{{"id", 1}}));
    QCOMPARE(find("posts", "fields=%20title%20,,")[0].toObject().keys(), (QStringList{"id", "title"}));
}

void TestQueryCompiler::fieldsRelations()
{
    QJsonArray rows = find("posts", "fields=author");
    QCOMPARE(rows[0].toObject(), (QJsonObject{{"id", 1}, {"author", QJsonObject{{"id", 1}}}}));
    QVERIFY(rows[3].toObject().value("author").isNull());

    rows = find("posts", "fields=title,author.*");
    const QJsonObject author = rows[0].toObject().value("author").toObject();
    QCOMPARE(author.value("name"), QJsonValue("Ann"));
    QCOMPARE(author.value("age"), QJsonValue(30));
    QCOMPARE(author.value("posts"), QJsonValue(QJsonArray{QJsonObject{{"id", 1}}, QJsonObject{{"id", 2}}}));
    QCOMPARE(author.value("profile"), QJsonValue(QJsonObject{{"id", 1}}));
    QCOMPARE(author.value("documents").toArray().size(), 1);
    QVERIFY(rows[3].toObject().value("author").isNull());
    QCOMPARE(keysInOrder(firstObject(raw("users", "limit=1&fields=*"))),
             (QStringList{"id", "name", "email", "age", "bio", "createdAt", "updatedAt", "posts", "profile",
                          "documents"}));

    rows = find("posts", "fields=author.name,author.email");
    QCOMPARE(rows[2].toObject().value("author").toObject(),
             (QJsonObject{{"id", 2}, {"name", "Bob"}, {"email", "bob@example.com"}}));
    // A bare relation and a nested field of it merge.
    rows = find("posts", "fields=author,author.name");
    QCOMPARE(rows[0].toObject().value("author").toObject(), (QJsonObject{{"id", 1}, {"name", "Ann"}}));
}

void TestQueryCompiler::fieldsNested()
{
    QJsonArray rows = find("posts", "fields=author.posts.title");
    QCOMPARE(
        rows[2].toObject().value("author").toObject(),
        (QJsonObject{{"id", 2}, {"posts", QJsonArray{QJsonObject{{"id", 3}, {"title", "100% pure_fun"}}}}}));
    rows = find("comments", "fields=body,post.author.name&limit=1");
    QCOMPARE(
        rows[0].toObject(),
        (QJsonObject{{"id", 1},
                     {"body", "Great"},
                     {"post", QJsonObject{{"id", 1}, {"author", QJsonObject{{"id", 1}, {"name", "Ann"}}}}}}));
    // Seven hops are allowed, eight are not.
    rows = find("posts", "fields=author.posts.author.posts.author.posts.author.name&limit=1");
    QCOMPARE(rows.size(), 1);
    QVERIFY_API_ERROR(find("posts", "fields=author.posts.author.posts.author.posts.author.posts.title"), 400,
                      "Invalid fields: nesting deeper than 7");
    // A * at the deepest level still gives relations as {"id"} (not another level).
    rows = find("posts", "fields=author.posts.author.posts.author.posts.author.*&limit=1");
    QVERIFY(rows[0].toObject().contains("author"));
}

void TestQueryCompiler::fieldsExclude()
{
    QJsonObject row = find("posts", "fields=-description")[0].toObject();
    QVERIFY(!row.contains("description"));
    QVERIFY(row.contains("title") && row.contains("author") && row.contains("comments"));
    QCOMPARE(row.size(), 14);

    row = find("posts", "fields=-author,-comments,-tags,-meta")[0].toObject();
    QVERIFY(!row.contains("author") && !row.contains("comments") && !row.contains("meta"));
    QVERIFY(row.contains("title"));

    // Exclusion inside a relation: that level becomes "all but".
    row = find("posts", "fields=title,-author.email")[0].toObject();
    QCOMPARE(row.keys(), (QStringList{"author", "id", "title"}));
    const QJsonObject author = row.value("author").toObject();
    QVERIFY(!author.contains("email"));
    QVERIFY(author.contains("name") && author.contains("bio") && author.contains("posts"));
    QCOMPARE(find("posts", "fields=title,author.-email")[0].toObject(), row);
    // id is never removed.
    QVERIFY(find("posts", "fields=-id")[0].toObject().contains("id"));
}

void TestQueryCompiler::fieldsToMany()
{
    const QJsonArray rows = find("posts", "fields=title,comments.body");
    QCOMPARE(rows[0].toObject().value("comments"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 1}, {"body", "Great"}},
                                   QJsonObject{{"id", 2}, {"body", "Meh"}},
                                   QJsonObject{{"id", 3}, {"body", "Nice"}}}));
    QCOMPARE(rows[4].toObject().value("comments"), QJsonValue(QJsonArray()));
    // No limit on related rows unless deep gives one: more than the default 10.
    m_db->exec("BEGIN");
    for (int i = 0; i < 15; ++i)
        m_db->exec("INSERT INTO comments (body, approved, postId) VALUES ('extra', 0, 4)");
    QCOMPARE(find("posts", "fields=comments&filter=" + enc(R"({"id":4})"))[0]
                 .toObject()
                 .value("comments")
                 .toArray()
                 .size(),
             15);
    m_db->exec("ROLLBACK");
}

void TestQueryCompiler::fieldsOneToOneAndManyToMany()
{
    QJsonArray rows = find("posts", "fields=tags.name");
    QCOMPARE(rows[0].toObject().value("tags"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 1}, {"name", "news"}},
                                   QJsonObject{{"id", 2}, {"name", "tech"}}}));
    QCOMPARE(rows[2].toObject().value("tags"), QJsonValue(QJsonArray()));
    rows = find("tags", "fields=name,posts.title");
    QCOMPARE(rows[1].toObject().value("posts"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 1}, {"title", "Hello World"}},
                                   QJsonObject{{"id", 2}, {"title", "Résumé tips"}}}));
    QCOMPARE(rows[2].toObject().value("posts"), QJsonValue(QJsonArray()));

    rows = find("users", "fields=profile.bio");
    QCOMPARE(rows[0].toObject().value("profile"), QJsonValue(QJsonObject{{"id", 1}, {"bio", "Ann's bio"}}));
    QVERIFY(rows[2].toObject().value("profile").isNull());
    QCOMPARE(find("users", "fields=profile")[1].toObject().value("profile"),
             QJsonValue(QJsonObject{{"id", 2}}));
    rows = find("profiles", "fields=user.name");
    QCOMPARE(rows[1].toObject().value("user"), QJsonValue(QJsonObject{{"id", 2}, {"name", "Bob"}}));
}

void TestQueryCompiler::fieldsUuidTable()
{
    QJsonArray rows = find("documents", "fields=title,owner.name");
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].toObject(), (QJsonObject{{"id", "aaaaaaaa-0000-4000-8000-000000000001"},
                                              {"title", "Doc A"},
                                              {"owner", QJsonObject{{"id", 1}, {"name", "Ann"}}}}));
    rows = find("users", "fields=documents&limit=1");
    QCOMPARE(rows[0].toObject().value("documents"),
             QJsonValue(QJsonArray{QJsonObject{{"id", "aaaaaaaa-0000-4000-8000-000000000001"}}}));
}

void TestQueryCompiler::fieldsErrors()
{
    QVERIFY_API_ERROR(find("posts", "fields=nope"), 400, "Invalid fields: unknown field nope on posts");
    QVERIFY_API_ERROR(find("posts", "fields=author.nope"), 400,
                      "Invalid fields: unknown field nope on users");
    QVERIFY_API_ERROR(find("posts", "fields=-nope"), 400, "unknown field nope on posts");
    QVERIFY_API_ERROR(find("posts", "fields=title.x"), 400, "title is not a relation on posts");
    QVERIFY_API_ERROR(find("posts", "fields=authorId"), 400, "unknown field authorId on posts");
    QVERIFY_API_ERROR(find("posts", "fields=author..name"), 400, "Invalid fields");
    QVERIFY_API_ERROR(find("posts", "fields=-*"), 400, "Invalid fields");
    QVERIFY_API_ERROR(find("posts", "fields=*.title"), 400, "Invalid fields");
}

void TestQueryCompiler::textIsValidJson()
{
    const QJsonArray rows = find("users", "fields=bio,name");
    QCOMPARE(rows[0].toObject().value("bio").toString(), QString::fromUtf8("Line1\n\"quoted\" \\ é 😀"));
    QCOMPARE(rows[2].toObject().value("name").toString(), QString::fromUtf8("Chloé"));
}

// ---- sort ----------------------------------------------------------------

void TestQueryCompiler::sortColumns()
{
    QCOMPARE(ids("posts", "{}", "&sort=-views"), (Ids{1, 2, 5, 3, 4}));
    QCOMPARE(ids("posts", "{}", "&sort=views"), (Ids{4, 3, 5, 2, 1}));
    QCOMPARE(ids("posts", "{}", "&sort=title"), (Ids{3, 1, 2, 4, 5}));
    QCOMPARE(ids("posts", "{}", "&sort=createdAt"), (Ids{5, 4, 3, 2, 1}));
    QCOMPARE(ids("posts", "{}", "&sort=-createdAt"), (Ids{1, 2, 3, 4, 5}));
    QCOMPARE(ids("posts", "{}", "&sort=-id"), (Ids{5, 4, 3, 2, 1}));
    QCOMPARE(ids("posts", "{}", "&sort=authorId"), (Ids{4, 1, 2, 3, 5}));
    QCOMPARE(ids("posts", "{}", "&sort=-createdAt,title"), (Ids{1, 2, 3, 4, 5}));
    QCOMPARE(ids("posts", "{}", "&sort=status&sort=-views"), (Ids{2, 4, 1, 5, 3}));
    // The rows come back with their fields in that order, not just the ids.
    const QJsonArray rows = find("posts", "fields=title,comments&sort=-views&limit=2");
    QCOMPARE(rows[1].toObject().value("title"), QJsonValue("Résumé tips"));
    QCOMPARE(rows[1].toObject().value("comments").toArray().size(), 1);
}

void TestQueryCompiler::sortRelations()
{
    QCOMPARE(ids("posts", "{}", "&sort=author.name"), (Ids{4, 1, 2, 3, 5}));
    QCOMPARE(ids("posts", "{}", "&sort=-author.name,-id"), (Ids{5, 3, 2, 1, 4}));
    QCOMPARE(ids("posts", "{}", "&sort=-author"), (Ids{5, 3, 1, 2, 4}));
    QCOMPARE(ids("comments", "{}", "&sort=-post.author.name"), (Ids{5, 1, 2, 3, 4}));
    QCOMPARE(ids("comments", "{}", "&sort=-post.views"), (Ids{1, 2, 3, 4, 5}));
    QCOMPARE(ids("users", "{}", "&sort=profile.bio"), (Ids{3, 1, 2}));
    QCOMPARE(ids("profiles", "{}", "&sort=-user.name"), (Ids{2, 1}));
    QCOMPARE(ids("documents", "{}", "&sort=-owner.name").size(), 2);
}

void TestQueryCompiler::sortTieBreakerAndPaging()
{
    QCOMPARE(ids("posts", "{}", "&sort=published"), (Ids{2, 5, 1, 3, 4}));
    QCOMPARE(ids("posts", "{}", "&sort=-published"), (Ids{1, 3, 4, 2, 5}));
    QCOMPARE(find("posts", "fields=id&sort=published&limit=2&page=2"),
             (QJsonArray{QJsonObject{{"id", 1}}, QJsonObject{{"id", 3}}}));
    QCOMPARE(find("posts", "fields=id&sort=published&limit=2&page=3"), (QJsonArray{QJsonObject{{"id", 4}}}));
    const CompiledFind compiled =
        QueryCompiler(m_schema).compileFind(tableDef("posts"), parseQueryParams("sort=title"));
    QVERIFY2(compiled.rows.sql.contains("t0.\"id\" ASC"), compiled.rows.sql.constData());
}

void TestQueryCompiler::sortErrors()
{
    QVERIFY_API_ERROR(find("posts", "sort=comments.body"), 400,
                      "Invalid sort: cannot sort through to-many relation comments");
    QVERIFY_API_ERROR(find("posts", "sort=tags"), 400, "cannot sort through to-many relation tags");
    QVERIFY_API_ERROR(find("users", "sort=posts.title"), 400, "to-many");
    QVERIFY_API_ERROR(find("posts", "sort=nope"), 400, "Invalid sort: unknown field nope on posts");
    QVERIFY_API_ERROR(find("posts", "sort=author.nope"), 400, "unknown field nope on users");
    QVERIFY_API_ERROR(find("posts", "sort=title.x"), 400, "title is not a relation");
    QVERIFY_API_ERROR(find("posts", "sort=--title"), 400, "Invalid sort");
}

// ---- limit, page, meta ---------------------------------------------------

void TestQueryCompiler::limitAndPage()
{
    QueryLimits small;
    small.defaultLimit = 2;
    small.maxQueryLimit = 3;
    QCOMPARE(find("posts", "fields=id", nullptr, small).size(), 2);
    QCOMPARE(find("posts", "fields=id&limit=0", nullptr, small).size(), 3);
    QVERIFY_API_ERROR(find("posts", "limit=4", nullptr, small), 400, "Invalid limit: above the maximum of 3");
    QVERIFY_API_ERROR(find("posts", "limit=10001"), 400, "Invalid limit");
    QCOMPARE(find("posts", "limit=10000").size(), 5);
    QCOMPARE(find("posts", "fields=id&limit=2&page=2"),
             (QJsonArray{QJsonObject{{"id", 3}}, QJsonObject{{"id", 4}}}));
    QCOMPARE(find("posts", "fields=id&limit=2&page=3"), (QJsonArray{QJsonObject{{"id", 5}}}));
    QCOMPARE(find("posts", "fields=id&limit=2&page=4"), QJsonArray());
    QCOMPARE(find("posts", "fields=id&limit=0&page=2"), QJsonArray());
    QCOMPARE(find("posts", "fields=id&limit=1&page=999999999999"), QJsonArray());
    QVERIFY_API_ERROR(find("posts", "limit=-5"), 400, "Invalid limit");
    QVERIFY_API_ERROR(find("posts", "limit=2x"), 400, "Invalid limit");
    QVERIFY_API_ERROR(find("posts", "page=0"), 400, "Invalid page");
    QVERIFY_API_ERROR(find("posts", "page=1.5"), 400, "Invalid page");

    // Options given directly (scripts) are checked too.
    QueryOptions options;
    options.limit = -1;
    QVERIFY_API_ERROR(QueryCompiler(m_schema).compileFind(tableDef("posts"), options), 400, "Invalid limit");
    options.limit = 1;
    options.page = 0;
    QVERIFY_API_ERROR(QueryCompiler(m_schema).compileFind(tableDef("posts"), options), 400, "Invalid page");
}

void TestQueryCompiler::meta()
{
    const QByteArray draft = "&filter=" + enc(R"({"status":"draft"})");
    QByteArray metaJson;
    QByteArray rows = raw("posts", "fields=id&meta=totalCount" + draft, &metaJson);
    QCOMPARE(rows, QByteArray(R"([{"id":2},{"id":4}])"));
    QCOMPARE(metaJson, QByteArray(R"({"totalCount":5})"));
    raw("posts", "fields=id&meta=filterCount" + draft, &metaJson);
    QCOMPARE(metaJson, QByteArray(R"({"filterCount":2})"));
    raw("posts", "fields=id&meta=*&limit=1" + draft, &metaJson);
    QCOMPARE(metaJson, QByteArray(R"({"totalCount":5,"filterCount":2})"));
    raw("posts", "fields=id&meta=filterCount,totalCount", &metaJson);
    QCOMPARE(metaJson, QByteArray(R"({"totalCount":5,"filterCount":5})"));
    raw("posts", "fields=id", &metaJson);
    QVERIFY(metaJson.isEmpty());
    QVERIFY_API_ERROR(find("posts", "meta=count"), 400, "Invalid meta: unknown value count");
}

// ---- filter --------------------------------------------------------------

void TestQueryCompiler::filterComparisons()
{
    QCOMPARE(ids("posts", R"({"views":{"_eq":100}})"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"views":{"_neq":100}})"), (Ids{2, 3, 5})); // NULL is not "not 100" in SQL
    QCOMPARE(ids("posts", R"({"views":{"_gt":10}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"views":{"_gte":10}})"), (Ids{1, 2, 5}));
    QCOMPARE(ids("posts", R"({"views":{"_lt":10}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"views":{"_lte":10}})"), (Ids{3, 5}));
    QCOMPARE(ids("posts", R"({"price":{"_gt":7.5}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"title":{"_gt":"Z"}})"), (Ids{4, 5}));
    QCOMPARE(ids("posts", R"({"createdAt":{"_gte":"2024-01-04"}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"views":{"_eq":null}})"), (Ids{4}));
    QCOMPARE(ids("posts", R"({"views":{"_neq":null}})"), (Ids{1, 2, 3, 5}));
    QCOMPARE(ids("posts", R"({"id":{"_gt":1,"_lt":4}})"), (Ids{2, 3}));
    QCOMPARE(ids("posts", R"({"status":"published","published":true})"), (Ids{1, 3}));
    QCOMPARE(ids("posts", R"({"meta":{"_eq":"[1,2]"}})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"meta":{"_eq":[1,2]}})"), (Ids{2}));
}

void TestQueryCompiler::filterLists()
{
    QCOMPARE(ids("posts", R"({"status":{"_in":["draft"]}})"), (Ids{2, 4}));
    QCOMPARE(ids("posts", R"({"status":{"_in":"draft,published"}})"), (Ids{1, 2, 3, 4, 5}));
    QCOMPARE(ids("posts", R"({"views":{"_in":"100,0"}})"), (Ids{1, 3}));
    QCOMPARE(ids("posts", R"({"views":{"_in":[]}})"), Ids());
    QCOMPARE(ids("posts", R"({"views":{"_in":""}})"), Ids());
    QCOMPARE(ids("posts", R"({"views":{"_in":[null,0]}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"views":{"_not_in":[100,50]}})"), (Ids{3, 5})); // NULL does not match
    QCOMPARE(ids("posts", R"({"views":{"_nin":[100,50]}})"), (Ids{3, 5}));
    QCOMPARE(ids("posts", R"({"views":{"_not_in":[]}})"), (Ids{1, 2, 3, 5}));
    QCOMPARE(ids("posts", R"({"views":{"_not_in":[null]}})"), (Ids{1, 2, 3, 5}));

    // Long lists are bound as one JSON array.
    QByteArray many = "[";
    for (int i = 2; i <= 60; ++i)
        many += QByteArray::number(i) + ',';
    many += "3]";
    QCOMPARE(ids("posts", R"({"id":{"_in":)" + many + "}}"), (Ids{2, 3, 4, 5}));
    QCOMPARE(ids("posts", R"({"id":{"_not_in":)" + many + "}}"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"views":{"_not_in":)" + many + "}}"), (Ids{1, 3}));
    QByteArray titles = "[";
    for (int i = 0; i < 40; ++i)
        titles += "\"t" + QByteArray::number(i) + "\",";
    titles += "\"Zebra\"]";
    QCOMPARE(ids("posts", R"({"title":{"_in":)" + titles + "}}"), (Ids{4}));
    QCOMPARE(
        ids("posts", R"({"price":{"_in":[5.25,7,1,2,3,4,5,6,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,
        24,25,26,27,28,29,30,31,32,33]}})"),
        (Ids{2, 4, 5}));
}

void TestQueryCompiler::filterText()
{
    QCOMPARE(ids("posts", R"({"title":{"_contains":"resume"}})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"title":{"_contains":"RÉSUMÉ"}})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"title":{"_contains":"Résumé"}})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"title":{"_contains":"o w"}})"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"title":{"_starts_with":"hello"}})"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"title":{"_starts_with":"world"}})"), Ids());
    QCOMPARE(ids("posts", R"({"title":{"_ends_with":"PIE"}})"), (Ids{5}));
    QCOMPARE(ids("users", R"({"name":{"_ends_with":"oe"}})"), (Ids{3}));
    // Wildcards in the value are literal.
    QCOMPARE(ids("posts", R"({"title":{"_contains":"%"}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"title":{"_contains":"_"}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"title":{"_contains":"e_f"}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"title":{"_starts_with":"%"}})"), Ids());
    QCOMPARE(ids("posts", R"({"title":{"_contains":"\\"}})"), Ids());
    QCOMPARE(ids("posts", R"({"description":{"_contains":"second, with"}})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"views":{"_contains":5}})"), (Ids{2}));
}

void TestQueryCompiler::filterBetweenAndNull()
{
    QCOMPARE(ids("posts", R"({"views":{"_between":[10,50]}})"), (Ids{2, 5}));
    QCOMPARE(ids("posts", R"({"views":{"_between":"10,50"}})"), (Ids{2, 5}));
    QCOMPARE(ids("posts", R"({"price":{"_between":["5","10.5"]}})"), (Ids{1, 4, 5}));
    QCOMPARE(ids("posts", R"({"createdAt":{"_between":["2024-01-02","2024-01-04"]}})"), (Ids{3, 4}));
    QCOMPARE(ids("posts", R"({"price":{"_is_null":true}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"price":{"_is_null":"true"}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"price":{"_is_null":false}})"), (Ids{1, 2, 4, 5}));
    QCOMPARE(ids("posts", R"({"price":{"_is_not_null":true}})"), (Ids{1, 2, 4, 5}));
    QCOMPARE(ids("posts", R"({"price":{"_is_not_null":"false"}})"), (Ids{3}));
}

void TestQueryCompiler::filterImplicitAndTypes()
{
    QCOMPARE(ids("posts", R"({"status":"draft"})"), (Ids{2, 4}));
    QCOMPARE(ids("posts", R"({"price":null})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"published":true})"), (Ids{1, 3, 4}));
    QCOMPARE(ids("posts", R"({"published":"false"})"), (Ids{2, 5}));
    QCOMPARE(ids("posts", R"({"published":{"_eq":"1"}})"), (Ids{1, 3, 4}));
    QCOMPARE(ids("posts", R"({"published":0})"), (Ids{2, 5}));
    QCOMPARE(ids("posts", R"({"views":"100"})"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"views":" 50 "})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"price":"20"})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"price":20})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"id":"3"})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"ref":"11111111-1111-4111-8111-111111111111"})"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"title":{}})"), (Ids{1, 2, 3, 4, 5}));
    QCOMPARE(ids("posts", "{}"), (Ids{1, 2, 3, 4, 5}));
}

void TestQueryCompiler::filterLogic()
{
    QCOMPARE(ids("posts", R"({"_and":[{"status":"published"},{"views":{"_gt":5}}]})"), (Ids{1, 5}));
    QCOMPARE(ids("posts", R"({"_or":[{"views":0},{"price":20}]})"), (Ids{2, 3}));
    QCOMPARE(ids("posts", R"({"_not":{"status":"draft"}})"), (Ids{1, 3, 5}));
    QCOMPARE(ids("posts", R"({"_or":[{"_and":[{"status":"draft"},{"published":true}]},{"id":1}]})"),
             (Ids{1, 4}));
    QCOMPARE(ids("posts", R"({"views":{"_or":[{"_lt":5},{"_gt":60}]}})"), (Ids{1, 3}));
    QCOMPARE(ids("posts", R"({"views":{"_not":{"_eq":100}}})"), (Ids{2, 3, 5}));
    QCOMPARE(ids("posts", R"({"_and":[]})"), (Ids{1, 2, 3, 4, 5}));
    QCOMPARE(ids("posts", R"({"_or":[]})"), Ids());
    QCOMPARE(ids("posts", R"({"_or":[{},{"id":1}]})"), (Ids{1, 2, 3, 4, 5}));
    QCOMPARE(ids("posts", R"({"_not":{}})"), Ids());
    QCOMPARE(ids("posts", R"({"_or":[{"id":1}],"status":"draft"})"), Ids());
}

void TestQueryCompiler::filterManyToOne()
{
    QCOMPARE(ids("posts", R"({"author":{"name":{"_eq":"Ann"}}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"author":{"name":{"_contains":"chloe"}}})"), (Ids{5}));
    QCOMPARE(ids("posts", R"({"author":{"_eq":2}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"author":2})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"author":"2"})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"author":{"_in":[1,2]}})"), (Ids{1, 2, 3}));
    QCOMPARE(ids("posts", R"({"author":{"_neq":1}})"), (Ids{3, 5}));
    QCOMPARE(ids("posts", R"({"author":{"_is_null":true}})"), (Ids{4}));
    QCOMPARE(ids("posts", R"({"author":null})"), (Ids{4}));
    QCOMPARE(ids("posts", R"({"author":{"_is_null":false}})"), (Ids{1, 2, 3, 5}));
    QCOMPARE(ids("posts", R"({"author":{"_is_not_null":true}})"), (Ids{1, 2, 3, 5}));
    QCOMPARE(ids("posts", R"({"author":{"_is_null":false,"age":{"_gt":26}}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"author":{"_or":[{"name":"Bob"},{"age":{"_is_null":true}}]}})"), (Ids{3, 5}));
    QCOMPARE(ids("posts", R"({"authorId":{"_eq":1}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"authorId":null})"), (Ids{4}));
    QCOMPARE(ids("comments", R"({"post":{"status":"draft"}})"), (Ids{4}));
    QCOMPARE(ids("posts", R"({"_not":{"author":{"name":"Ann"}}})"), (Ids{3, 4, 5}));
}

void TestQueryCompiler::filterToMany()
{
    // Any related row matching.
    QCOMPARE(ids("posts", R"({"comments":{"approved":true}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"comments":{"approved":false}})"), (Ids{1, 3}));
    QCOMPARE(ids("posts", R"({"comments":{"body":{"_eq":"Hmm"}}})"), (Ids{3}));
    QCOMPARE(ids("posts", R"({"comments":{"body":"Great","approved":false}})"), Ids()); // the same row
    QCOMPARE(ids("posts", R"({"comments":{"_is_null":true}})"), (Ids{4, 5}));
    QCOMPARE(ids("posts", R"({"comments":{"_is_null":false}})"), (Ids{1, 2, 3}));
    QCOMPARE(ids("posts", R"({"comments":{"_eq":4}})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"comments":4})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"comments":{"_in":[4,5]}})"), (Ids{2, 3}));
    QCOMPARE(ids("posts", R"({"comments":{"_in":"4,5","body":"Wow"}})"), (Ids{2}));
    QCOMPARE(ids("posts", R"({"comments":null})"), (Ids{4, 5}));
    QCOMPARE(ids("users", R"({"posts":{"views":{"_gte":50}}})"), (Ids{1}));
    QCOMPARE(ids("users", R"({"posts":{"_is_null":true}})"), Ids());
}

void TestQueryCompiler::filterManyToManyAndOneToOne()
{
    QCOMPARE(ids("posts", R"({"tags":{"name":"tech"}})"), (Ids{1, 2}));
    QCOMPARE(ids("posts", R"({"tags":{"_eq":1}})"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"tags":{"_in":[1,3]}})"), (Ids{1}));
    QCOMPARE(ids("posts", R"({"tags":{"_is_null":true}})"), (Ids{3, 4, 5}));
    QCOMPARE(ids("posts", R"({"tags":{"_is_null":false}})"), (Ids{1, 2}));
    QCOMPARE(ids("tags", R"({"posts":{"title":{"_starts_with":"hello"}}})"), (Ids{1, 2}));
    QCOMPARE(ids("tags", R"({"posts":{"_is_null":true}})"), (Ids{3}));
    QCOMPARE(ids("tags", R"({"posts":2})"), (Ids{2}));

    QCOMPARE(ids("users", R"({"profile":{"bio":{"_contains":"ann"}}})"), (Ids{1}));
    QCOMPARE(ids("users", R"({"profile":{"_is_null":true}})"), (Ids{3}));
    QCOMPARE(ids("users", R"({"profile":2})"), (Ids{2}));
    QCOMPARE(ids("profiles", R"({"user":{"name":"Bob"}})"), (Ids{2}));
    QCOMPARE(ids("profiles", R"({"user":1})"), (Ids{1}));
}

void TestQueryCompiler::filterNestedRelations()
{
    QCOMPARE(ids("comments", R"({"post":{"author":{"name":"Ann"}}})"), (Ids{1, 2, 3, 4}));
    QCOMPARE(ids("users", R"({"posts":{"comments":{"body":"Wow"}}})"), (Ids{1}));
    QCOMPARE(ids("tags", R"({"posts":{"author":{"profile":{"bio":{"_starts_with":"bob"}}}}})"), Ids());
    QCOMPARE(ids("tags", R"({"posts":{"author":{"profile":{"bio":{"_starts_with":"ann"}}}}})"), (Ids{1, 2}));
    QCOMPARE(ids("comments", R"({"post":{"tags":{"name":"news"}}})"), (Ids{1, 2, 3}));
}

void TestQueryCompiler::filterUuid()
{
    const QJsonArray rows =
        find("documents", "fields=id&filter=" + enc(R"({"id":"bbbbbbbb-0000-4000-8000-000000000002"})"));
    QCOMPARE(rows, (QJsonArray{QJsonObject{{"id", "bbbbbbbb-0000-4000-8000-000000000002"}}}));
    QCOMPARE(find("documents", "fields=id&filter=" + enc(R"({"owner":{"name":"Ann"}})")).size(), 1);
    QCOMPARE(ids("users", R"({"documents":{"title":"Doc B"}})"), (Ids{2}));
    QCOMPARE(ids("users", R"({"documents":"aaaaaaaa-0000-4000-8000-000000000001"})"), (Ids{1}));
    QCOMPARE(ids("users", R"({"documents":{"_is_null":true}})"), (Ids{3}));
}

void TestQueryCompiler::filterBracketForm()
{
    auto bracketIds = [&](const char *table, const QByteArray &query) {
        Ids out;
        for (const QJsonValue &row : find(table, "fields=id&limit=0&" + query))
            out << row.toObject().value("id").toInteger();
        return out;
    };
    QCOMPARE(bracketIds("posts", "filter[views][_gte]=10"), (Ids{1, 2, 5}));
    QCOMPARE(bracketIds("posts", "filter[price][_lt]=10.5"), (Ids{4, 5}));
    QCOMPARE(bracketIds("posts", "filter[published][_eq]=true"), (Ids{1, 3, 4}));
    QCOMPARE(bracketIds("posts", "filter[published]=false"), (Ids{2, 5}));
    QCOMPARE(bracketIds("posts", "filter[_or][0][title][_eq]=Zebra&filter[_or][1][title][_eq]=apple+pie"),
             (Ids{4, 5}));
    QCOMPARE(bracketIds("posts", "filter[id][_in][]=1&filter[id][_in][]=3"), (Ids{1, 3}));
    QCOMPARE(bracketIds("posts", "filter[id][_in]=1,3"), (Ids{1, 3}));
    QCOMPARE(bracketIds("posts", "filter[views][_between]=10,50"), (Ids{2, 5}));
    QCOMPARE(bracketIds("posts", "filter[price][_is_null]=true"), (Ids{3}));
    QCOMPARE(bracketIds("posts", "filter[author][name][_eq]=Ann"), (Ids{1, 2}));
    QCOMPARE(bracketIds("posts", "filter[author]=2"), (Ids{3}));
    QCOMPARE(bracketIds("posts", "filter[title][_contains]=R%C3%A9SUM"), (Ids{2}));
    QCOMPARE(bracketIds("posts", "filter[_not][status]=draft"), (Ids{1, 3, 5}));
    QVERIFY_API_ERROR(find("posts", "filter[views][_gt]=ten"), 400,
                      "Invalid filter: views expects an integer");
}

void TestQueryCompiler::filterErrors()
{
    QVERIFY_API_ERROR(ids("posts", R"({"nope":1})"), 400, "Invalid filter: unknown field nope on posts");
    QVERIFY_API_ERROR(ids("posts", R"({"author":{"nope":1}})"), 400,
                      "Invalid filter: unknown field nope on users");
    QVERIFY_API_ERROR(ids("posts", R"({"title":{"_like":"x"}})"), 400,
                      "Invalid filter: unknown operator _like");
    QVERIFY_API_ERROR(ids("posts", R"({"title":{"name":"x"}})"), 400,
                      "Invalid filter: unknown operator name");
    QVERIFY_API_ERROR(ids("posts", R"({"price":{"_eq":"abc"}})"), 400,
                      "Invalid filter: price expects a number");
    QVERIFY_API_ERROR(ids("posts", R"({"price":{"_gt":true}})"), 400,
                      "Invalid filter: price expects a number");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_eq":1.5}})"), 400,
                      "Invalid filter: views expects an integer");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_in":[1,"x"]}})"), 400, "views expects an integer");
    QVERIFY_API_ERROR(ids("posts", R"({"published":"yes"})"), 400, "published expects a boolean");
    QVERIFY_API_ERROR(ids("posts", R"({"title":true})"), 400, "title expects a string");
    QVERIFY_API_ERROR(ids("posts", R"({"author":"x"})"), 400, "author expects an integer");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_gt":null}})"), 400, "_gt expects a value");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_gt":[1]}})"), 400, "_gt expects a value");
    QVERIFY_API_ERROR(ids("posts", R"({"_and":{"id":1}})"), 400, "_and expects an array of objects");
    QVERIFY_API_ERROR(ids("posts", R"({"_or":[1]})"), 400, "_or expects an array of objects");
    QVERIFY_API_ERROR(ids("posts", R"({"_not":[]})"), 400, "_not expects an object");
    QVERIFY_API_ERROR(ids("posts", R"({"_eq":1})"), 400, "_eq needs a field");
    QVERIFY_API_ERROR(ids("posts", R"({"_like":1})"), 400, "unknown field _like on posts");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_between":[1]}})"), 400, "_between expects two values");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_between":"1,2,3"}})"), 400, "_between expects two values");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_in":{}}})"), 400, "_in expects an array");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_in":[[1]]}})"), 400, "_in expects a list of values");
    QVERIFY_API_ERROR(ids("posts", R"({"views":{"_is_null":"maybe"}})"), 400,
                      "_is_null expects true or false");
    QVERIFY_API_ERROR(ids("posts", R"({"title":{"_contains":{}}})"), 400, "_contains expects a string");
    QVERIFY_API_ERROR(ids("posts", R"({"published":{"_contains":"t"}})"), 400, "needs a text field");
    QVERIFY_API_ERROR(ids("posts", R"({"title":["a"]})"), 400, "title expects an operator object or a value");
    QVERIFY_API_ERROR(ids("posts", R"({"author":[1]})"), 400, "author expects an operator object or an id");
    QVERIFY_API_ERROR(ids("posts", R"({"author":{"_contains":"x"}})"), 400,
                      "_contains cannot be used on relation author");

    QueryOptions options;
    options.filter = QJsonArray{1};
    QVERIFY_API_ERROR(QueryCompiler(m_schema).compileFind(tableDef("posts"), options), 400,
                      "Invalid filter: expected an object");
}

void TestQueryCompiler::filterLimits()
{
    // 32 levels of JSON nesting pass, 33 do not.
    auto nestedNot = [](int levels) {
        QByteArray json = R"({"id":1})";
        for (int i = 1; i < levels; ++i)
            json = R"({"_not":)" + json + '}';
        return json;
    };
    QCOMPARE(ids("posts", nestedNot(32)), (Ids{2, 3, 4, 5}));
    QCOMPARE(ids("posts", nestedNot(31)), (Ids{1}));
    QVERIFY_API_ERROR(ids("posts", nestedNot(33)), 400, "nesting deeper than 32");
    QueryOptions options;
    options.filter = QJsonDocument::fromJson(nestedNot(33)).object();
    QVERIFY_API_ERROR(QueryCompiler(m_schema).compileFind(tableDef("posts"), options), 400,
                      "Invalid filter: nesting deeper than 32");
    QueryLimits shallow;
    shallow.maxFilterDepth = 3;
    options.filter = QJsonDocument::fromJson(R"({"author":{"posts":{"id":{"_eq":1}}}})").object();
    QVERIFY_API_ERROR(QueryCompiler(m_schema, shallow).compileFind(tableDef("posts"), options), 400,
                      "nesting deeper than 3");
    options.filter = QJsonDocument::fromJson(R"({"author":{"posts":{"id":1}}})").object();
    QueryCompiler(m_schema, shallow).compileFind(tableDef("posts"), options);

    auto manyConditions = [](int count) {
        QByteArray json = R"({"_or":[)";
        for (int i = 0; i < count; ++i)
            json += (i ? "," : "") + QByteArray(R"({"id":)") + QByteArray::number(i) + '}';
        return json + "]}";
    };
    QCOMPARE(ids("posts", manyConditions(500)).size(), 5);
    QVERIFY_API_ERROR(ids("posts", manyConditions(501)), 400, "Invalid filter: more than 500 conditions");
    QueryLimits few;
    few.maxFilterConditions = 2;
    options.filter = QJsonDocument::fromJson(R"({"id":{"_in":[1,2],"_gt":0,"_lt":9}})").object();
    QVERIFY_API_ERROR(QueryCompiler(m_schema, few).compileFind(tableDef("posts"), options), 400,
                      "more than 2 conditions");
}

// ---- deep ----------------------------------------------------------------

void TestQueryCompiler::deepToMany()
{
    QJsonArray rows = find("posts", "fields=title&deep=" + enc(R"({"comments":{"limit":2,"sort":"-id"}})"));
    const QJsonArray comments = rows[0].toObject().value("comments").toArray();
    QCOMPARE(comments.size(), 2);
    QCOMPARE(comments[0].toObject().value("id"), QJsonValue(3));
    QCOMPARE(comments[0].toObject().value("body"), QJsonValue("Nice"));
    QCOMPARE(comments[0].toObject().value("approved"), QJsonValue(true));
    QCOMPARE(comments[0].toObject().value("post"), QJsonValue(QJsonObject{{"id", 1}}));
    QCOMPARE(rows[4].toObject().value("comments"), QJsonValue(QJsonArray()));

    rows = find("posts",
                "fields=title&deep=" + enc(R"({"comments":{"fields":"body","filter":{"approved":true}}})"));
    QCOMPARE(rows[0].toObject().value("comments"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 1}, {"body", "Great"}},
                                   QJsonObject{{"id", 3}, {"body", "Nice"}}}));
    QCOMPARE(rows[2].toObject().value("comments"), QJsonValue(QJsonArray()));

    rows = find("posts", "fields=id&deep=" + enc(R"({"comments":{"fields":["body"],"limit":1,"page":2}})"));
    QCOMPARE(rows[0].toObject().value("comments"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 2}, {"body", "Meh"}}}));
    rows =
        find("posts", "fields=id&deep[comments][limit]=1&deep[comments][sort]=-id&deep[comments][fields]=id");
    QCOMPARE(rows[0].toObject().value("comments"), QJsonValue(QJsonArray{QJsonObject{{"id", 3}}}));
    rows = find("posts", "fields=id&deep[comments][sort]=-approved,body&deep[comments][fields]=id");
    QCOMPARE(rows[0].toObject().value("comments"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 1}}, QJsonObject{{"id", 3}}, QJsonObject{{"id", 2}}}));
    // Deep fields merge with the fields given through the main fields parameter.
    rows =
        find("posts", "fields=comments.body&deep=" + enc(R"({"comments":{"fields":"approved","limit":1}})"));
    QCOMPARE(rows[0].toObject().value("comments"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 1}, {"body", "Great"}, {"approved", true}}}));
    // Many-to-many with deep options.
    rows = find("posts",
                "fields=id&deep=" + enc(R"({"tags":{"sort":"-name","filter":{"name":{"_neq":"zzz"}}}})"));
    QCOMPARE(rows[0].toObject().value("tags"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 2}, {"name", "tech"}},
                                   QJsonObject{{"id", 1}, {"name", "news"}}}));
}

void TestQueryCompiler::deepToOne()
{
    const QJsonArray rows =
        find("posts", "fields=title&deep=" + enc(R"({"author":{"filter":{"name":"Bob"}}})"));
    QVERIFY(rows[0].toObject().value("author").isNull());
    const QJsonObject bob = rows[2].toObject().value("author").toObject();
    QCOMPARE(bob.value("name"), QJsonValue("Bob"));
    QCOMPARE(bob.value("email"), QJsonValue("bob@example.com"));
    QVERIFY(rows[3].toObject().value("author").isNull());
    // A filter on a bare to-one relation keeps the {"id"} form but applies the filter.
    const QJsonArray bare = find("posts", "fields=author.id&deep=" +
                                              enc(R"({"author":{"filter":{"name":"Ann"},"fields":"id"}})"));
    QCOMPARE(bare[0].toObject().value("author"), QJsonValue(QJsonObject{{"id", 1}}));
    QVERIFY(bare[2].toObject().value("author").isNull());
    // Inverse one-to-one.
    const QJsonArray users = find("users", "fields=name&deep=" + enc(R"({"profile":{"fields":"bio"}})"));
    QCOMPARE(users[0].toObject().value("profile"), QJsonValue(QJsonObject{{"id", 1}, {"bio", "Ann's bio"}}));
}

void TestQueryCompiler::deepNested()
{
    const QJsonArray rows = find(
        "posts",
        "fields=title&limit=1&deep=" +
            enc(R"({"comments":{"fields":"body","limit":1,"deep":{"post":{"fields":"title","deep":{"author":{"fields":"name"}}}}}})"));
    QCOMPARE(rows[0].toObject().value("comments"),
             QJsonValue(QJsonArray{
                 QJsonObject{{"id", 1},
                             {"body", "Great"},
                             {"post", QJsonObject{{"id", 1},
                                                  {"title", "Hello World"},
                                                  {"author", QJsonObject{{"id", 1}, {"name", "Ann"}}}}}}}));
    // Seven levels are allowed, eight are not.
    auto chain = [](int levels) {
        QByteArray json = "{}";
        for (int level = levels - 1; level >= 0; --level) // posts -> author -> posts -> …
            json = (level % 2 == 0 ? R"({"author":{"fields":"id","deep":)"
                                   : R"({"posts":{"fields":"id","deep":)") +
                   json + "}}";
        return json;
    };
    QCOMPARE(find("posts", "limit=1&fields=id&deep=" + enc(chain(7))).size(), 1);
    QVERIFY_API_ERROR(find("posts", "limit=1&deep=" + enc(chain(8))), 400,
                      "Invalid deep: nesting deeper than 7");
}

void TestQueryCompiler::deepErrors()
{
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"nope":{}})")), 400,
                      "Invalid deep: unknown relation nope on posts");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"title":{}})")), 400,
                      "Invalid deep: unknown relation title");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"nope":1}})")), 400,
                      "Invalid deep: unknown key nope");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":3})")), 400,
                      "Invalid deep: comments expects an object");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"limit":-1}})")), 400,
                      "Invalid deep limit");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"limit":10001}})")), 400,
                      "Invalid deep: limit");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"page":0}})")), 400, "Invalid deep page");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"filter":[1]}})")), 400,
                      "Invalid deep: filter");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"filter":{"nope":1}}})")), 400,
                      "Invalid filter: unknown field nope on comments");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"fields":"nope"}})")), 400,
                      "Invalid fields: unknown field nope on comments");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"sort":"post.comments"}})")), 400,
                      "Invalid sort: cannot sort through to-many");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"deep":{"nope":{}}}})")), 400,
                      "Invalid deep: unknown relation nope on comments");
}

// ---- aggregate -----------------------------------------------------------

void TestQueryCompiler::aggregateColumns()
{
    QJsonObject price =
        aggregate("aggregate=" +
                  enc(R"({"price":{"count":true,"sum":true,"avg":true,"min":true,"max":true}})"))
            .value("price")
            .toObject();
    QCOMPARE(price,
             (QJsonObject{{"count", 4}, {"sum", 42.75}, {"avg", 10.6875}, {"min", 5.25}, {"max", 20}}));

    const QByteArray published = "&filter=" + enc(R"({"status":"published"})") + "&limit=1";
    price =
        aggregate("aggregate=" +
                  enc(R"({"price":{"count":true,"sum":true,"avg":true,"min":true,"max":true}})") + published)
            .value("price")
            .toObject();
    QCOMPARE(price, (QJsonObject{{"count", 2}, {"sum", 17.5}, {"avg", 8.75}, {"min", 7}, {"max", 10.5}}));

    const QJsonObject views =
        aggregate("aggregate=" + enc(R"({"views":{"sum":true,"avg":true,"count":true}})"));
    QCOMPARE(views, (QJsonObject{{"views", QJsonObject{{"sum", 160}, {"avg", 40}, {"count", 4}}}}));
    const QJsonObject titles =
        aggregate("aggregate=" + enc(R"({"title":{"min":true,"max":true,"count":false}})"));
    QCOMPARE(titles.value("title").toObject(), (QJsonObject{{"min", "100% pure_fun"}, {"max", "apple pie"}}));
    const QJsonObject none =
        aggregate("aggregate=" + enc(R"({"price":{"count":true,"sum":true,"max":true}})") +
                  "&filter=" + enc(R"({"id":99})"));
    QCOMPARE(none.value("price").toObject(),
             (QJsonObject{{"count", 0}, {"sum", QJsonValue::Null}, {"max", QJsonValue::Null}}));
    // Bracket form, and the meta text itself.
    QByteArray metaJson;
    raw("posts", "fields=id&aggregate[views][max]=true&aggregate[id][count]=true", &metaJson);
    QCOMPARE(metaJson, QByteArray(R"({"aggregate":{"id":{"count":5},"views":{"max":100}}})"));
    raw("posts", "fields=id&meta=totalCount&aggregate[views][min]=true", &metaJson);
    QCOMPARE(metaJson, QByteArray(R"({"totalCount":5,"aggregate":{"views":{"min":0}}})"));
}

void TestQueryCompiler::aggregateRelations()
{
    QCOMPARE(aggregate("aggregate=" + enc(R"({"comments":{"countRecords":true}})")),
             (QJsonObject{{"comments", QJsonObject{{"countRecords", 5}}}}));
    QCOMPARE(
        aggregate("aggregate=" + enc(R"({"comments":{"countRecords":{}}})")).value("comments").toObject(),
        (QJsonObject{{"countRecords", 5}}));
    QCOMPARE(aggregate("aggregate=" + enc(R"({"comments":{"countRecords":{"approved":{"_eq":true}}}})"))
                 .value("comments")
                 .toObject(),
             (QJsonObject{{"countRecords", 3}}));
    const QByteArray published = "&filter=" + enc(R"({"status":"published"})");
    QCOMPARE(aggregate("aggregate=" + enc(R"({"comments":{"countRecords":true}})") + published),
             (QJsonObject{{"comments", QJsonObject{{"countRecords", 4}}}}));
    QCOMPARE(aggregate("aggregate=" + enc(R"({"comments":{"countRecords":{"approved":true}}})") + published),
             (QJsonObject{{"comments", QJsonObject{{"countRecords", 2}}}}));
    QCOMPARE(aggregate("aggregate=" + enc(R"({"tags":{"countRecords":true}})")),
             (QJsonObject{{"tags", QJsonObject{{"countRecords", 3}}}}));
    QCOMPARE(aggregate("aggregate=" + enc(R"({"author":{"countRecords":{"name":"Ann"}}})")),
             (QJsonObject{{"author", QJsonObject{{"countRecords", 2}}}}));
    QCOMPARE(aggregate("aggregate[comments][countRecords][approved][_eq]=false"),
             (QJsonObject{{"comments", QJsonObject{{"countRecords", 2}}}}));
    QCOMPARE(
        aggregate("aggregate=" + enc(R"({"comments":{"countRecords":true},"price":{"max":true}})")),
        (QJsonObject{{"comments", QJsonObject{{"countRecords", 5}}}, {"price", QJsonObject{{"max", 20}}}}));
}

void TestQueryCompiler::aggregateErrors()
{
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"title":{"sum":true}})")), 400,
                      "Invalid aggregate: sum needs a numeric field");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"published":{"avg":true}})")), 400,
                      "avg needs a numeric");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"price":{"median":true}})")), 400,
                      "Invalid aggregate: unknown operation median on price");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"nope":{"count":true}})")), 400,
                      "Invalid aggregate: unknown field nope on posts");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"comments":{"sum":true}})")), 400,
                      "unknown operation sum on comments");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"price":true})")), 400, "price expects an object");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"price":{"sum":1}})")), 400,
                      "sum expects true or false");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"comments":{"countRecords":{"nope":1}}})")), 400,
                      "Invalid filter: unknown field nope on comments");
    QVERIFY_API_ERROR(aggregate("aggregate=" + enc(R"({"comments":{"countRecords":[1]}})")), 400,
                      "countRecords expects true or a filter object");
}

// ---- the rest ------------------------------------------------------------

void TestQueryCompiler::existsAndCount()
{
    const QueryCompiler compiler(m_schema);
    const TableDef &posts = tableDef("posts");
    const QJsonObject draft{{"status", "draft"}};
    QCOMPARE(runCount(*m_db, compiler.compileCount(posts, draft)), 2);
    QCOMPARE(runCount(*m_db, compiler.compileCount(posts, QJsonValue())), 5);
    QCOMPARE(runCount(*m_db, compiler.compileCount(posts, QJsonObject{{"id", 99}})), 0);
    QVERIFY(runExists(*m_db, compiler.compileExists(posts, draft)));
    QVERIFY(!runExists(*m_db, compiler.compileExists(posts, QJsonObject{{"id", 99}})));
    QVERIFY(runExists(*m_db, compiler.compileExists(posts, QJsonValue())));
    QVERIFY(runExists(
        *m_db, compiler.compileExists(posts, QJsonObject{{"comments", QJsonObject{{"body", "Wow"}}}})));
    QVERIFY_API_ERROR(compiler.compileExists(posts, QJsonObject{{"nope", 1}}), 400, "unknown field nope");
    QVERIFY_API_ERROR(compiler.compileCount(posts, QJsonObject{{"title", QJsonObject{{"_like", 1}}}}), 400,
                      "unknown operator _like");
}

void TestQueryCompiler::injectionIsHarmless()
{
    auto snapshot = [&]() {
        QByteArray out;
        SqlStatement s = m_db->prepare(
            "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master ORDER BY name)");
        s.step();
        out += s.text(0);
        for (const char *t : {"users", "posts", "comments", "tags", "profiles", "documents"}) {
            SqlStatement c = m_db->prepare("SELECT count(*) FROM " + QByteArray(t));
            c.step();
            out += ' ' + QByteArray::number(c.int64(0));
        }
        return out;
    };
    const QByteArray before = snapshot();

    // Keys: never SQL, so unknown.
    QVERIFY_API_ERROR(ids("posts", R"({"title\" OR 1=1 --":"x"})"), 400, "unknown field");
    QVERIFY_API_ERROR(ids("posts", R"({"id = id; DROP TABLE posts; --":1})"), 400, "unknown field");
    QVERIFY_API_ERROR(ids("posts", R"({"title":{"_eq') OR 1=1 --":"x"}})"), 400, "unknown operator");
    // Values: bound, so plain values.
    QCOMPARE(ids("posts", R"({"title":"x' OR '1'='1"})"), Ids());
    QCOMPARE(ids("posts", R"({"title":{"_contains":"'; DROP TABLE posts; --"}})"), Ids());
    QCOMPARE(ids("posts", R"({"title":{"_in":["Zebra","') OR 1=1 --"]}})"), (Ids{4}));
    QCOMPARE(ids("posts", R"({"title":{"_starts_with":"\" OR \"\"=\""}})"), Ids());
    QVERIFY_API_ERROR(ids("posts", R"({"views":"1; DELETE FROM posts"})"), 400, "views expects an integer");
    QCOMPARE(ids("posts", R"({"author":{"name":"Ann'); DELETE FROM users; --"}})"), Ids());
    // Sort and fields: names from the schema only.
    QVERIFY_API_ERROR(find("posts", "sort=" + enc("title; DROP TABLE posts")), 400, "Invalid sort");
    QVERIFY_API_ERROR(find("posts", "sort=" + enc("(SELECT 1)")), 400, "Invalid sort");
    QVERIFY_API_ERROR(find("posts", "sort=" + enc("title DESC, (DELETE FROM posts)")), 400, "Invalid sort");
    QVERIFY_API_ERROR(find("posts", "fields=" + enc("title,\"x\"")), 400, "Invalid fields");
    QVERIFY_API_ERROR(find("posts", "fields=" + enc("*;DELETE FROM posts")), 400, "Invalid fields");
    QVERIFY_API_ERROR(find("posts", "fields=" + enc("title FROM posts; --")), 400, "Invalid fields");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments\"; DROP TABLE comments; --":{}})")), 400,
                      "Invalid deep");
    QVERIFY_API_ERROR(find("posts", "aggregate=" + enc(R"({"price\"); DROP TABLE posts; --":{"sum":true}})")),
                      400, "Invalid aggregate");
    QVERIFY_API_ERROR(find("posts", "limit=" + enc("1; DROP TABLE posts")), 400, "Invalid limit");
    QVERIFY_API_ERROR(find("posts", "filter[title][_eq]=x&filter[" + enc("title\" OR 1=1") + "]=1"), 400,
                      "unknown field");
    QCOMPARE(find("posts", "fields=id&filter[title][_eq]=" + enc("Zebra' --")), QJsonArray());

    QCOMPARE(snapshot(), before);
}

void TestQueryCompiler::largestQueriesStayWithinSqliteLimits()
{
    // SQLite's parser overflows at about six nested subqueries; relation levels are CTEs instead.
    QJsonArray rows = find("posts", "limit=1&fields=tags.posts.tags.posts.tags.posts.tags.*");
    QJsonObject level = rows[0].toObject();
    for (const char *name : {"tags", "posts", "tags", "posts", "tags", "posts", "tags"})
        level = level.value(name).toArray()[0].toObject();
    QCOMPARE(level.value("name"), QJsonValue("news"));
    QCOMPARE(level.value("posts"), QJsonValue(QJsonArray{QJsonObject{{"id", 1}}}));
    rows = find("posts", "limit=1&fields=comments.post.comments.post.comments.post.comments.*");
    QCOMPARE(rows.size(), 1);
    QVERIFY(rows[0].toObject().value("comments").isArray());

    // Seven deep levels, each filtered, sorted and limited, with a deeply nested filter at the bottom.
    QByteArray bottomFilter = R"({"id":{"_gt":0}})";
    for (int i = 0; i < 14; ++i)
        bottomFilter = R"({"_or":[)" + bottomFilter + R"(,{"id":-1}]})";
    QByteArray deep = R"({"tags":{"fields":"id,name","filter":)" + bottomFilter + "}}";
    for (int level = 5; level >= 0; --level)
        deep = QByteArray(level % 2 == 0 ? R"({"tags":{)" : R"({"posts":{)") +
               R"("fields":"id","sort":"-id","limit":5,"filter":{"id":{"_gt":0}},"deep":)" + deep + "}}";
    rows = find("posts", "limit=1&fields=id&deep=" + enc(deep));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].toObject().value("tags").toArray()[0].toObject().value("id"), QJsonValue(2));

    // Relations nested to the filter depth limit.
    QByteArray chain = R"({"id":1})";
    for (int i = 0; i < 30; ++i)
        chain = (i % 2 == 0 ? R"({"tags":)" : R"({"posts":)") + chain + '}';
    QCOMPARE(ids("posts", R"({"tags":)" + chain + "}"), (Ids{1, 2}));
    // Logic nested to the filter depth limit.
    QByteArray logic = R"({"id":1})";
    for (int i = 0; i < 15; ++i)
        logic = (i % 2 ? R"({"_and":[)" : R"({"_or":[)") + logic + "]}";
    QCOMPARE(ids("posts", logic), (Ids{1}));
    // A long to-one sort chain, through the two-step paging query.
    QCOMPARE(ids("comments", "{}", "&sort=-post.author.profile.user.profile.bio,-id"), (Ids{5, 4, 3, 2, 1}));
    // Everything at once.
    QByteArray metaJson;
    raw("posts",
        "meta=*&sort=-author.profile.user.name&fields=*,author.posts.comments.post.tags.posts.author.*&"
        "filter=" +
            enc(R"({"tags":)" + chain + "}") + "&deep=" + enc(deep) +
            "&aggregate=" + enc(R"({"comments":{"countRecords":)" + logic + R"(},"price":{"sum":true}})"),
        &metaJson);
    QCOMPARE(
        metaJson,
        QByteArray(
            R"({"totalCount":5,"filterCount":2,"aggregate":{"comments":{"countRecords":1},"price":{"sum":30.5}}})"));
}

void TestQueryCompiler::wideTables()
{
    for (int width : {80, 400}) {
        QList<ColumnDef> columns;
        for (int i = 0; i < width; ++i)
            columns << column(QStringLiteral("c%1").arg(i),
                              i % 3 == 0 ? ColumnType::Int : ColumnType::Varchar);
        const QString name = QStringLiteral("wide%1").arg(width);
        const Schema schema = SchemaBuilder::build({table(name, columns)});
        const TableDef &wide = *schema.table(name);
        m_db->exec(DdlBuilder::createTable(wide, schema));
        QByteArray insert = "INSERT INTO " + name.toUtf8() + " (";
        QByteArray values;
        for (int i = 0; i < width; ++i) {
            insert += (i ? ",c" : "c") + QByteArray::number(i);
            values +=
                (i ? "," : "") + (i % 3 == 0 ? QByteArray::number(i) : "'v" + QByteArray::number(i) + "'");
        }
        m_db->exec(insert + ") VALUES (" + values + "),(" + values + ")");

        QByteArray metaJson;
        const QueryOptions options = parseQueryParams("meta=filterCount&filter[c1][_eq]=v1&sort=-c2");
        const QByteArray rows =
            runFindToJson(*m_db, QueryCompiler(schema).compileFind(wide, options), &metaJson);
        const QJsonArray parsed = QJsonDocument::fromJson(rows).array();
        QCOMPARE(parsed.size(), 2);
        const QJsonObject row = parsed[0].toObject();
        QCOMPARE(row.size(), width + 3);
        QCOMPARE(row.value("c0"), QJsonValue(0));
        QCOMPARE(row.value("c3"), QJsonValue(3));
        const int lastText = (width - 1) % 3 == 0 ? width - 2 : width - 1;
        QCOMPARE(row.value(QStringLiteral("c%1").arg(lastText)),
                 QJsonValue(QStringLiteral("v%1").arg(lastText)));
        const QStringList keys = keysInOrder(firstObject(rows));
        QCOMPARE(keys.size(), width + 3);
        QCOMPARE(keys.front(), QStringLiteral("id"));
        for (int i = 0; i < width; ++i)
            QCOMPARE(keys[i + 1], QStringLiteral("c%1").arg(i));
        QCOMPARE(metaJson, QByteArray(R"({"filterCount":2})"));
    }
}

void TestQueryCompiler::queryPlansUseIndexes()
{
    const QueryCompiler compiler(m_schema);
    const TableDef &posts = tableDef("posts");

    // Paging by id walks the primary key: no sorting of the whole table.
    CompiledFind find = compiler.compileFind(posts, parseQueryParams("limit=20"));
    QStringList details = plan(find.rows);
    QVERIFY2(!details.join('\n').contains("top: USE TEMP B-TREE"), qPrintable(details.join('\n')));
    find = compiler.compileFind(posts, parseQueryParams("limit=20&sort=-id&fields=title,author.name"));
    details = plan(find.rows);
    QVERIFY2(!details.join('\n').contains("top: USE TEMP B-TREE"), qPrintable(details.join('\n')));

    // A filter on an owning relation's id uses the foreign-key index, and still needs no sort.
    for (const char *filter :
         {R"({"author":{"_eq":1}})", R"({"author":1})", R"({"authorId":1})", R"({"author":{"_in":[1,2]}})"}) {
        find = compiler.compileFind(posts, parseQueryParams("limit=20&filter=" + enc(filter)));
        details = plan(find.rows);
        QVERIFY2(details.join('\n').contains("ix_posts_authorId"), qPrintable(details.join('\n')));
    }
    // Related rows are reached through their indexes.
    find = compiler.compileFind(posts, parseQueryParams("limit=20&fields=comments.body,tags.name"));
    details = plan(find.rows);
    QVERIFY2(details.join('\n').contains("ix_comments_postId"), qPrintable(details.join('\n')));
    for (const QString &step : std::as_const(details)) // only the main table is scanned
        QVERIFY2(!step.startsWith(QStringLiteral("SCAN t")), qPrintable(details.join('\n')));
    find = compiler.compileFind(posts,
                                parseQueryParams("limit=20&filter=" + enc(R"({"comments":{"body":"x"}})")));
    details = plan(find.rows);
    QVERIFY2(details.join('\n').contains("ix_comments_postId"), qPrintable(details.join('\n')));
}

void TestQueryCompiler::compiledFindIsCheapToCopy()
{
    const CompiledFind find = QueryCompiler(m_schema).compileFind(
        tableDef("posts"), parseQueryParams("filter[title]=Zebra&meta=*"));
    const CompiledFind copy = find; // a cache hands out copies: they share the text and the binds
    QCOMPARE(copy.rows.sql.constData(), find.rows.sql.constData());
    QVERIFY(copy.rows.binds.constData() == find.rows.binds.constData());
    QByteArray meta;
    QCOMPARE(QJsonDocument::fromJson(runFindToJson(*m_db, copy, &meta)).array().size(), 1);
    QCOMPARE(meta, QByteArray(R"({"totalCount":5,"filterCount":1})"));
    // Running it twice gives the same text (the statement is reset between runs).
    QCOMPARE(runFindToJson(*m_db, copy), runFindToJson(*m_db, find));
}

QTEST_APPLESS_MAIN(TestQueryCompiler)
#include "tst_querycompiler.moc"
