// The query compiler on DESIGN.md's benchmark dataset (500 users, 100 000
// posts): the plans SQLite picks for the benchmarked lists, and QBENCHMARK
// figures for compiling and running them. Nothing here asserts a time.
#include "data/sqlconnection.h"
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

#include <sqlite3.h>

using namespace Hearth;

namespace {

constexpr int kUsers = 500;
constexpr int kPosts = 100000;

ColumnDef column(const QString &name, ColumnType type)
{
    ColumnDef c;
    c.name = name;
    c.type = type;
    return c;
}

Schema benchmarkSchema()
{
    TableDef users;
    users.name = "users";
    users.columns = {column("name", ColumnType::Varchar), column("email", ColumnType::Varchar)};
    TableDef posts;
    posts.name = "posts";
    ColumnDef type = column("type", ColumnType::Enum);
    type.options = {"news", "blog", "note"};
    posts.columns = {column("title", ColumnType::Varchar), column("description", ColumnType::Text),
                     column("public", ColumnType::Boolean), type};
    RelationDef author;
    author.propertyName = "author";
    author.type = RelationType::ManyToOne;
    author.targetTable = "users";
    author.inversePropertyName = "posts";
    posts.relations = {author};
    return SchemaBuilder::build({users, posts});
}

QByteArray enc(const QByteArray &text)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(text));
}

} // namespace

class TestQueryPerf : public QObject
{
    Q_OBJECT

private:
    CompiledFind compile(const QByteArray &query) const
    {
        return QueryCompiler(m_schema).compileFind(*m_schema.table(u"posts"), parseQueryParams(query));
    }
    QString plan(const CompiledSql &sql);

    Schema m_schema;
    std::unique_ptr<SqlConnection> m_db;

private slots:
    void initTestCase();
    void plans();
    void results();
    void compileList20();
    void compileComplex();
    void runList20();
    void runList20WithFilterCount();
    void runFilterOnIndexedRelation();
    void runSortedByTitle();
};

void TestQueryPerf::initTestCase()
{
    m_schema = benchmarkSchema();
    m_db = SqlConnection::open(":memory:");
    for (const TableDef &t : m_schema.tables()) {
        m_db->exec(DdlBuilder::createTable(t, m_schema));
        for (const QByteArray &sql : DdlBuilder::createIndexes(t))
            m_db->exec(sql);
    }
    m_db->exec("BEGIN");
    {
        SqlStatement insert = m_db->prepare("INSERT INTO users (id, name, email) VALUES (?1, ?2, ?3)");
        for (int i = 1; i <= kUsers; ++i) {
            insert.bindAll({qint64(i), QByteArray("user") + QByteArray::number(i),
                            QByteArray("user") + QByteArray::number(i) + "@example.com"});
            insert.exec();
            sqlite3_reset(insert.handle());
        }
    }
    {
        const QByteArray description(500, 'x');
        const char *types[] = {"news", "blog", "note"};
        SqlStatement insert = m_db->prepare("INSERT INTO posts (id, title, description, public, type, "
                                            "authorId) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        for (int i = 1; i <= kPosts; ++i) {
            insert.bindAll({qint64(i), QByteArray("Post ") + QByteArray::number((i * 7919) % kPosts),
                            description, qint64(i % 2), QByteArray(types[i % 3]), qint64(1 + i % kUsers)});
            insert.exec();
            sqlite3_reset(insert.handle());
        }
    }
    m_db->exec("COMMIT");
}

// The plan as "parent:detail" lines; parent 0 is the outermost query.
QString TestQueryPerf::plan(const CompiledSql &sql)
{
    QStringList lines;
    SqlStatement statement = m_db->prepare("EXPLAIN QUERY PLAN " + sql.sql);
    statement.bindAll(sql.binds);
    while (statement.step())
        lines << QString::number(statement.int64(1)) + u':' + QString::fromUtf8(statement.text(3));
    return lines.join(u'\n');
}

void TestQueryPerf::plans()
{
    // Listing walks the primary key and stops after the page.
    QString p = plan(compile("limit=20").rows);
    QVERIFY2(p.contains("0:SCAN t0") && !p.contains("0:USE TEMP B-TREE"), qPrintable(p));
    p = plan(compile("limit=20&page=50&sort=-id").rows);
    QVERIFY2(!p.contains("0:USE TEMP B-TREE"), qPrintable(p));
    // The author's {"id"} comes from the foreign key, the author's fields from its primary key.
    p = plan(compile("limit=20&fields=title,author.name").rows);
    QVERIFY2(p.contains("USING INTEGER PRIMARY KEY") && !p.contains("SCAN t1"), qPrintable(p));
    // A filter on the indexed relation reads the index, already in id order.
    for (const char *filter :
         {R"({"author":{"_eq":7}})", R"({"authorId":7})", R"({"author":{"_in":[7,8]}})"}) {
        p = plan(compile("limit=20&filter=" + enc(filter)).rows);
        QVERIFY2(p.contains("ix_posts_authorId"), qPrintable(p));
    }
    p = plan(compile("limit=20&filter=" + enc(R"({"author":{"_eq":7}})")).rows);
    QVERIFY2(!p.contains("TEMP B-TREE"), qPrintable(p));
    p = plan(compile("meta=filterCount&filter=" + enc(R"({"author":7})")).filterCount.value());
    QVERIFY2(p.contains("ix_posts_authorId"), qPrintable(p));
    // The inverse side finds posts by the index too.
    const CompiledFind users = QueryCompiler(m_schema).compileFind(
        *m_schema.table(u"users"), parseQueryParams("limit=20&fields=name,posts.title"));
    p = plan(users.rows);
    QVERIFY2(p.contains("ix_posts_authorId"), qPrintable(p));
}

void TestQueryPerf::results()
{
    QByteArray meta;
    QJsonArray rows =
        QJsonDocument::fromJson(runFindToJson(*m_db, compile("limit=20&meta=*"), &meta)).array();
    QCOMPARE(rows.size(), 20);
    QCOMPARE(rows[19].toObject().value("id"), QJsonValue(20));
    QCOMPARE(rows[0].toObject().value("author"), QJsonValue(QJsonObject{{"id", 2}}));
    QCOMPARE(meta, QByteArray(R"({"totalCount":100000,"filterCount":100000})"));
    rows = QJsonDocument::fromJson(
               runFindToJson(*m_db, compile("limit=20&fields=id&filter=" + enc(R"({"author":{"_eq":7}})")),
                             &meta))
               .array();
    QCOMPARE(rows.size(), 20);
    QCOMPARE(rows[0].toObject().value("id"), QJsonValue(6));
    QCOMPARE(rows[1].toObject().value("id"), QJsonValue(506));
}

void TestQueryPerf::compileList20()
{
    const TableDef &posts = *m_schema.table(u"posts");
    QBENCHMARK
    {
        const CompiledFind find = QueryCompiler(m_schema).compileFind(posts, parseQueryParams("limit=20"));
        QVERIFY(!find.rows.sql.isEmpty());
    }
}

void TestQueryPerf::compileComplex()
{
    const TableDef &posts = *m_schema.table(u"posts");
    const QByteArray query =
        "limit=20&meta=*&sort=-author.name,title&fields=title,author.name,author.email&filter=" +
        enc(R"({"_or":[{"public":true,"type":{"_in":["news","blog"]}},{"author":{"name":{"_contains":"user1"}}}]})");
    QBENCHMARK
    {
        const CompiledFind find = QueryCompiler(m_schema).compileFind(posts, parseQueryParams(query));
        QVERIFY(find.filterCount.has_value());
    }
}

void TestQueryPerf::runList20()
{
    const CompiledFind find = compile("limit=20");
    QBENCHMARK
    {
        QVERIFY(runFindToJson(*m_db, find).size() > 1000);
    }
}

void TestQueryPerf::runList20WithFilterCount()
{
    const CompiledFind find = compile("limit=20&meta=filterCount&filter=" + enc(R"({"public":true})"));
    QByteArray meta;
    QBENCHMARK
    {
        runFindToJson(*m_db, find, &meta);
    }
    QCOMPARE(meta, QByteArray(R"({"filterCount":50000})"));
}

void TestQueryPerf::runFilterOnIndexedRelation()
{
    const CompiledFind find = compile("limit=20&filter=" + enc(R"({"author":{"_eq":42}})"));
    QBENCHMARK
    {
        QVERIFY(runFindToJson(*m_db, find).size() > 1000);
    }
}

void TestQueryPerf::runSortedByTitle()
{
    const CompiledFind find = compile("limit=20&sort=title");
    QBENCHMARK
    {
        QVERIFY(runFindToJson(*m_db, find).size() > 1000);
    }
}

QTEST_APPLESS_MAIN(TestQueryPerf)
#include "tst_queryperf.moc"
