// Field access in the query compiler: denied fields are left out of the
// output, conditional ones appear only on matching rows, and using either in
// a filter, sort, deep filter or aggregate is refused with 403.
#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "query/fieldaccess.h"
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

#define QVERIFY_API_ERROR(expr, expectedStatus, text)                                                        \
    do {                                                                                                     \
        try {                                                                                                \
            expr;                                                                                            \
            QFAIL("no ApiError: " #expr);                                                                    \
        } catch (const ApiError &e) {                                                                        \
            QCOMPARE(e.status(), expectedStatus);                                                            \
            if (expectedStatus == 403)                                                                       \
                QCOMPARE(e.code(), QByteArray("FORBIDDEN"));                                                 \
            QVERIFY2(e.messageText().contains(QString::fromUtf8(text)), qPrintable(e.messageText()));        \
        }                                                                                                    \
    } while (0)

namespace {

// Rules by "table.field"; anything not listed is allowed.
class FakeAccess : public IFieldAccess
{
public:
    FieldReadRule readRule(const TableDef &table, const QString &field) const override
    {
        ++calls;
        return rules.value(table.name + u'.' + field);
    }
    void deny(const QString &field) { rules.insert(field, FieldReadRule{FieldReadRule::Deny, {}}); }
    void allowWhen(const QString &field, const QJsonObject &condition)
    {
        rules.insert(field, FieldReadRule{FieldReadRule::Conditional, condition});
    }

    QHash<QString, FieldReadRule> rules;
    mutable int calls = 0;
};

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

QByteArray enc(const QByteArray &text)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(text));
}

} // namespace

class TestQueryAccess : public QObject
{
    Q_OBJECT

private:
    QJsonArray find(const char *tableName, const QByteArray &query, QJsonObject *meta = nullptr);

    Schema m_schema;
    std::unique_ptr<SqlConnection> m_db;
    FakeAccess m_access;

private slots:
    void initTestCase();
    void init() { m_access.rules.clear(); }

    void deniedColumnsAreLeftOut();
    void conditionalColumnsFollowTheirRow();
    void deniedRelationsAreLeftOut();
    void conditionalRelations();
    void usingHiddenFieldsIsForbidden();
    void idIsNeverStripped();
    void trustedModeAllowsEverything();
};

void TestQueryAccess::initTestCase()
{
    m_schema = SchemaBuilder::build({
        table("users", {column("name", ColumnType::Varchar), column("salary", ColumnType::Int)}),
        table("posts",
              {column("title", ColumnType::Varchar), column("status", ColumnType::Varchar),
               column("secret", ColumnType::Text), column("note", ColumnType::Text),
               column("price", ColumnType::Float)},
              {relation("author", RelationType::ManyToOne, "users", "posts")}),
        table("comments", {column("body", ColumnType::Text), column("hidden", ColumnType::Boolean)},
              {relation("post", RelationType::ManyToOne, "posts", "comments")}),
    });
    m_db = SqlConnection::open(":memory:");
    m_db->exec("PRAGMA foreign_keys=OFF");
    for (const TableDef &t : m_schema.tables())
        m_db->exec(DdlBuilder::createTable(t, m_schema));
    m_db->exec(R"SQL(
        INSERT INTO users (id, name, salary) VALUES (1, 'Ann', 5000), (2, 'Bob', 4000);
        INSERT INTO posts (id, title, status, secret, note, price, authorId) VALUES
          (1, 'One', 'published', 's1', 'n1', 10, 1),
          (2, 'Two', 'draft', 's2', 'n2', 20, 2),
          (3, 'Three', 'published', 's3', 'n3', 30, 2);
        INSERT INTO comments (id, body, hidden, postId) VALUES (1, 'a', 0, 1), (2, 'b', 1, 1), (3, 'c', 0, 2);
    )SQL");
}

QJsonArray TestQueryAccess::find(const char *tableName, const QByteArray &query, QJsonObject *meta)
{
    const QueryOptions options = parseQueryParams(query);
    const CompiledFind compiled = QueryCompiler(m_schema, {}, &m_access)
                                      .compileFind(*m_schema.table(QString::fromLatin1(tableName)), options);
    QByteArray metaJson;
    const QJsonArray rows = QJsonDocument::fromJson(runFindToJson(*m_db, compiled, &metaJson)).array();
    if (meta)
        *meta = QJsonDocument::fromJson(metaJson).object();
    return rows;
}

void TestQueryAccess::deniedColumnsAreLeftOut()
{
    m_access.deny("posts.secret");
    m_access.deny("users.salary");
    QJsonObject row = find("posts", "")[0].toObject();
    QVERIFY(!row.contains("secret"));
    QVERIFY(row.contains("title") && row.contains("note") && row.contains("author"));
    // Asked for by name: still silently left out.
    QCOMPARE(find("posts", "fields=title,secret")[0].toObject(), (QJsonObject{{"id", 1}, {"title", "One"}}));
    QCOMPARE(find("posts", "fields=-note")[0].toObject().contains("secret"), false);
    // Inside relations, nested fields and deep.
    row = find("posts", "fields=author.*")[0].toObject();
    QVERIFY(!row.value("author").toObject().contains("salary"));
    QVERIFY(row.value("author").toObject().contains("name"));
    QCOMPARE(find("posts", "fields=author.salary")[0].toObject().value("author"),
             QJsonValue(QJsonObject{{"id", 1}}));
    row = find("users", "fields=name&deep=" + enc(R"({"posts":{"fields":"title,secret"}})"))[0].toObject();
    QCOMPARE(row.value("posts"), QJsonValue(QJsonArray{QJsonObject{{"id", 1}, {"title", "One"}}}));
    row = find("comments", "fields=post.*")[0].toObject();
    QVERIFY(!row.value("post").toObject().contains("secret"));
    QVERIFY(m_access.calls > 0);
}

void TestQueryAccess::conditionalColumnsFollowTheirRow()
{
    m_access.allowWhen("posts.note", QJsonObject{{"status", "published"}});
    QJsonArray rows = find("posts", "fields=title,note");
    QCOMPARE(rows[0].toObject(), (QJsonObject{{"id", 1}, {"title", "One"}, {"note", "n1"}}));
    QCOMPARE(rows[1].toObject(), (QJsonObject{{"id", 2}, {"title", "Two"}}));
    QCOMPARE(rows[2].toObject().value("note"), QJsonValue("n3"));
    // Inside a relation, against the related row.
    rows = find("users", "fields=posts.note,posts.title");
    QCOMPARE(rows[1].toObject().value("posts"),
             QJsonValue(QJsonArray{QJsonObject{{"id", 2}, {"title", "Two"}},
                                   QJsonObject{{"id", 3}, {"note", "n3"}, {"title", "Three"}}}));
    rows = find("comments", "fields=post.note");
    QCOMPARE(rows[0].toObject().value("post"), QJsonValue(QJsonObject{{"id", 1}, {"note", "n1"}}));
    QCOMPARE(rows[2].toObject().value("post"), QJsonValue(QJsonObject{{"id", 2}}));
    // The condition may itself use fields the caller cannot read.
    m_access.deny("posts.status");
    m_access.allowWhen(
        "posts.secret",
        QJsonObject{{"status", "draft"}, {"author", QJsonObject{{"salary", QJsonObject{{"_lt", 4500}}}}}});
    rows = find("posts", "fields=secret");
    QCOMPARE(rows, (QJsonArray{QJsonObject{{"id", 1}}, QJsonObject{{"id", 2}, {"secret", "s2"}},
                               QJsonObject{{"id", 3}}}));
}

void TestQueryAccess::deniedRelationsAreLeftOut()
{
    m_access.deny("posts.author");
    QJsonObject row = find("posts", "")[0].toObject();
    QVERIFY(!row.contains("author"));
    QVERIFY(row.contains("comments"));
    QCOMPARE(find("posts", "fields=title,author.name")[0].toObject(),
             (QJsonObject{{"id", 1}, {"title", "One"}}));
    QCOMPARE(find("posts", "fields=title&deep=" + enc(R"({"author":{}})"))[0].toObject().size(), 2);
    // The inverse side is a relation of its own.
    QVERIFY(find("users", "fields=posts")[0].toObject().contains("posts"));
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"author":{"name":"Ann"}})")), 403, "posts.author");
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"author":1})")), 403, "posts.author");
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"authorId":1})")), 403, "posts.authorId");
    QVERIFY_API_ERROR(find("posts", "sort=author.name"), 403, "posts.author");
    QVERIFY_API_ERROR(find("posts", "sort=authorId"), 403, "Cannot sort on posts.authorId");
    QVERIFY_API_ERROR(find("posts", "aggregate=" + enc(R"({"author":{"countRecords":true}})")), 403,
                      "posts.author");
    QVERIFY_API_ERROR(find("comments", "filter=" + enc(R"({"post":{"author":{"name":"Ann"}}})")), 403,
                      "posts.author");
}

void TestQueryAccess::conditionalRelations()
{
    m_access.allowWhen("posts.comments", QJsonObject{{"status", "published"}});
    const QJsonArray rows = find("posts", "fields=comments.body");
    QCOMPARE(rows[0].toObject().value("comments").toArray().size(), 2);
    QVERIFY(!rows[1].toObject().contains("comments"));
    QCOMPARE(rows[2].toObject().value("comments"), QJsonValue(QJsonArray()));
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"comments":{"body":"a"}})")), 403, "posts.comments");
}

void TestQueryAccess::usingHiddenFieldsIsForbidden()
{
    m_access.deny("posts.secret");
    m_access.allowWhen("posts.note", QJsonObject{{"status", "published"}});
    m_access.deny("users.salary");
    m_access.deny("comments.hidden");
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"secret":"s1"})")), 403,
                      "Cannot filter on posts.secret");
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"note":{"_contains":"n"}})")), 403, "posts.note");
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"_or":[{"id":1},{"secret":"x"}]})")), 403,
                      "posts.secret");
    QVERIFY_API_ERROR(find("posts", "filter=" + enc(R"({"author":{"salary":{"_gt":1}}})")), 403,
                      "users.salary");
    QVERIFY_API_ERROR(find("users", "filter=" + enc(R"({"posts":{"secret":"s1"}})")), 403, "posts.secret");
    QVERIFY_API_ERROR(find("posts", "sort=-secret"), 403, "Cannot sort on posts.secret");
    QVERIFY_API_ERROR(find("posts", "sort=note"), 403, "posts.note");
    QVERIFY_API_ERROR(find("posts", "sort=author.salary"), 403, "users.salary");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"filter":{"hidden":false}}})")), 403,
                      "comments.hidden");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"comments":{"sort":"hidden"}})")), 403,
                      "comments.hidden");
    QVERIFY_API_ERROR(find("posts", "deep=" + enc(R"({"author":{"filter":{"salary":1}}})")), 403,
                      "users.salary");
    QVERIFY_API_ERROR(find("posts", "aggregate=" + enc(R"({"secret":{"count":true}})")), 403,
                      "Cannot aggregate on posts.secret");
    QVERIFY_API_ERROR(find("posts", "aggregate=" + enc(R"({"note":{"max":true}})")), 403, "posts.note");
    QVERIFY_API_ERROR(find("posts", "aggregate=" + enc(R"({"comments":{"countRecords":{"hidden":true}}})")),
                      403, "comments.hidden");
    const QueryCompiler compiler(m_schema, {}, &m_access);
    QVERIFY_API_ERROR(compiler.compileExists(*m_schema.table(u"posts"), QJsonObject{{"secret", "s1"}}), 403,
                      "posts.secret");
    QVERIFY_API_ERROR(compiler.compileCount(*m_schema.table(u"posts"), QJsonObject{{"note", "n1"}}), 403,
                      "posts.note");
    // Readable fields stay usable.
    QJsonObject meta;
    const QJsonArray rows =
        find("posts",
             "fields=title&sort=-price&meta=filterCount&filter=" + enc(R"({"author":{"name":"Bob"}})") +
                 "&aggregate=" + enc(R"({"price":{"sum":true}})"),
             &meta);
    QCOMPARE(rows, (QJsonArray{QJsonObject{{"id", 3}, {"title", "Three"}},
                               QJsonObject{{"id", 2}, {"title", "Two"}}}));
    QCOMPARE(meta, (QJsonObject{{"filterCount", 2},
                                {"aggregate", QJsonObject{{"price", QJsonObject{{"sum", 50}}}}}}));
}

void TestQueryAccess::idIsNeverStripped()
{
    m_access.deny("posts.id");
    m_access.deny("users.id");
    QCOMPARE(find("posts", "fields=title")[0].toObject().value("id"), QJsonValue(1));
    QCOMPARE(find("posts", "fields=author.name")[1].toObject().value("author"),
             QJsonValue(QJsonObject{{"id", 2}, {"name", "Bob"}}));
    QCOMPARE(find("posts", "fields=id&sort=-id&filter=" + enc(R"({"id":{"_gt":1}})")).size(), 2);
}

void TestQueryAccess::trustedModeAllowsEverything()
{
    m_access.deny("posts.secret");
    const CompiledFind compiled = QueryCompiler(m_schema).compileFind(
        *m_schema.table(u"posts"), parseQueryParams("fields=secret&sort=secret&filter[secret]=s2"));
    QCOMPARE(QJsonDocument::fromJson(runFindToJson(*m_db, compiled)).array(),
             (QJsonArray{QJsonObject{{"id", 2}, {"secret", "s2"}}}));
}

QTEST_APPLESS_MAIN(TestQueryAccess)
#include "tst_queryaccess.moc"
