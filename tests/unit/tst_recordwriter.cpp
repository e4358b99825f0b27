// RecordWriter and value coercion against a real SQLite file: validation
// messages, storage forms, nested relation writes, replace semantics,
// onDelete behaviour, conflicts. Every call runs inside BEGIN IMMEDIATE …
// COMMIT (ROLLBACK on exception) like the canonical routes, and every
// refused write is checked to leave the whole database unchanged.

#include "core/apierror.h"
#include "data/recordwriter.h"
#include "data/sqlconnection.h"
#include "data/sqlstatement.h"
#include "data/valuecoercion.h"
#include "schema/ddlbuilder.h"
#include "schema/schemabuilder.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <functional>
#include <optional>

using namespace Hearth;

namespace {

ColumnDef col(const char *name, ColumnType type, const std::function<void(ColumnDef &)> &tweak = {})
{
    ColumnDef c;
    c.name = QString::fromLatin1(name);
    c.type = type;
    if (tweak)
        tweak(c);
    return c;
}

RelationDef rel(const char *property, RelationType type, const char *target, const char *inverse,
                bool nullable = true, OnDelete onDelete = OnDelete::SetNull)
{
    RelationDef r;
    r.propertyName = QString::fromLatin1(property);
    r.type = type;
    r.targetTable = QString::fromLatin1(target);
    r.inversePropertyName = QString::fromLatin1(inverse);
    r.isNullable = nullable;
    r.onDelete = onDelete;
    return r;
}

TableDef table(const char *name, QList<ColumnDef> columns, QList<RelationDef> relations = {},
               PrimaryKeyType pk = PrimaryKeyType::Int)
{
    TableDef t;
    t.name = QString::fromLatin1(name);
    t.columns = std::move(columns);
    t.relations = std::move(relations);
    t.primaryKeyType = pk;
    return t;
}

Schema buildSchema()
{
    auto notNull = [](ColumnDef &c) { c.isNullable = false; };
    QList<TableDef> defs;
    defs << table("users",
                  {col("name", ColumnType::Varchar,
                       [](ColumnDef &c) {
                           c.isNullable = false;
                           c.length = 50;
                       }),
                   col("email", ColumnType::Varchar, [](ColumnDef &c) { c.isUnique = true; }),
                   col("age", ColumnType::Int), col("score", ColumnType::BigInt),
                   col("active", ColumnType::Boolean, [](ColumnDef &c) { c.defaultValue = true; })});
    defs << table("profiles", {col("bio", ColumnType::Text)},
                  {rel("user", RelationType::OneToOne, "users", "profile", true, OnDelete::Cascade)});
    defs << table("categories", {col("name", ColumnType::Varchar, notNull)});
    defs << table("tags", {col("name", ColumnType::Varchar, [](ColumnDef &c) {
                               c.isNullable = false;
                               c.isUnique = true;
                           })});
    defs << table(
        "posts",
        {col("title", ColumnType::Varchar,
             [](ColumnDef &c) {
                 c.isNullable = false;
                 c.length = 20;
             }),
         col("kind", ColumnType::Enum, [](ColumnDef &c) { c.options = {"news", "blog"}; }),
         col("public", ColumnType::Boolean, [](ColumnDef &c) { c.defaultValue = false; }),
         col("price", ColumnType::Float), col("meta", ColumnType::SimpleJson),
         col("labels", ColumnType::ArraySelect, [](ColumnDef &c) { c.options = {"red", "green", "blue"}; }),
         col("publishedOn", ColumnType::Date), col("publishAt", ColumnType::DateTime),
         col("ref", ColumnType::Uuid), col("slug", ColumnType::Varchar, [](ColumnDef &c) { c.isUnique = true; }),
         col("views", ColumnType::Int, [](ColumnDef &c) { c.defaultValue = 0; }), col("body", ColumnType::Text),
         col("origin", ColumnType::Varchar, [](ColumnDef &c) { c.isUpdatable = false; })},
        {rel("author", RelationType::ManyToOne, "users", "posts", false, OnDelete::Cascade),
         rel("editor", RelationType::ManyToOne, "users", "editedPosts", true, OnDelete::SetNull),
         rel("category", RelationType::ManyToOne, "categories", "posts", true, OnDelete::Restrict),
         rel("tags", RelationType::ManyToMany, "tags", "posts"),
         rel("comments", RelationType::OneToMany, "comments", "post", false, OnDelete::Cascade)});
    defs << table("comments", {col("body", ColumnType::Varchar, notNull)});
    defs << table("pins", {col("note", ColumnType::Text)},
                  {rel("post", RelationType::ManyToOne, "posts", "pins", true, OnDelete::Restrict)});
    // SET NULL on a relation that must not be null: deleting the category is refused.
    defs << table("notes", {col("text", ColumnType::Text)},
                  {rel("category", RelationType::ManyToOne, "categories", "notes", false, OnDelete::SetNull)});
    defs << table("devices", {col("name", ColumnType::Varchar, notNull)},
                  {rel("owner", RelationType::ManyToOne, "users", "devices", true, OnDelete::SetNull)},
                  PrimaryKeyType::Uuid);
    defs << table("pings", {col("at", ColumnType::DateTime)},
                  {rel("device", RelationType::ManyToOne, "devices", "pings", false, OnDelete::Cascade)});
    return SchemaBuilder::build(defs);
}

QJsonObject obj(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("bad test JSON: %s", json);
    return doc.object();
}

QString sqlText(const SqlValue &v)
{
    if (std::holds_alternative<SqlNull>(v))
        return QStringLiteral("NULL");
    if (const qint64 *i = std::get_if<qint64>(&v))
        return QString::number(*i);
    if (const double *d = std::get_if<double>(&v))
        return QString::number(*d, 'g', 17);
    return QString::fromUtf8(std::get<QByteArray>(v));
}

bool isTimestamp(const QString &s)
{
    // YYYY-MM-DDTHH:MM:SS.mmmZ
    if (s.size() != 24)
        return false;
    const QString pattern = QStringLiteral("dddd-dd-ddTdd:dd:dd.dddZ");
    for (int i = 0; i < 24; ++i) {
        if (pattern[i] == u'd' ? !s[i].isDigit() : s[i] != pattern[i])
            return false;
    }
    return true;
}

} // namespace

class TestRecordWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Schema m_schema;
    std::unique_ptr<SqlConnection> m_db;
    int m_fileCounter = 0;
    bool m_unchanged = true;

    const TableDef &t(const char *name) const { return *m_schema.table(QString::fromLatin1(name)); }

    void tx(const std::function<void()> &work)
    {
        m_db->exec("BEGIN IMMEDIATE");
        try {
            work();
        } catch (...) {
            m_db->exec("ROLLBACK");
            throw;
        }
        m_db->exec("COMMIT");
    }

    QJsonValue create(const char *tableName, const QJsonObject &body)
    {
        QJsonValue id;
        tx([&] { id = RecordWriter(*m_db, m_schema).create(t(tableName), body); });
        return id;
    }
    QJsonValue update(const char *tableName, const QJsonValue &id, const QJsonObject &body)
    {
        QJsonValue out;
        tx([&] { out = RecordWriter(*m_db, m_schema).update(t(tableName), id, body); });
        return out;
    }
    void remove(const char *tableName, const QJsonValue &id)
    {
        tx([&] { RecordWriter(*m_db, m_schema).remove(t(tableName), id); });
    }

    // Every table's rows, to prove a refused write left nothing behind.
    QString snapshot()
    {
        QStringList tables;
        {
            SqlStatement st = m_db->prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                            "'sqlite_%' ORDER BY name");
            while (st.step())
                tables << QString::fromUtf8(st.text(0).toByteArray());
        }
        QString out;
        for (const QString &name : tables) {
            out += name + QLatin1Char(':');
            SqlStatement st = m_db->prepare("SELECT * FROM " + quoteIdentifier(name) + " ORDER BY 1, 2");
            while (st.step()) {
                out += QLatin1Char('(');
                for (int i = 0; i < st.columnCount(); ++i)
                    out += sqlText(st.value(i)) + QLatin1Char('|');
                out += QLatin1Char(')');
            }
            out += QLatin1Char('\n');
        }
        return out;
    }

    // Runs a write that must be refused; records whether the database stayed as it was.
    std::optional<ApiError> attempt(const std::function<void()> &work)
    {
        const QString before = snapshot();
        std::optional<ApiError> error;
        try {
            tx(work);
        } catch (const ApiError &e) {
            error = e;
        }
        m_unchanged = snapshot() == before;
        return error;
    }

    QList<SqlValue> row(const QByteArray &sql, const QList<SqlValue> &binds = {})
    {
        SqlStatement st = m_db->prepare(sql);
        st.bindAll(binds);
        QList<SqlValue> out;
        if (st.step())
            for (int i = 0; i < st.columnCount(); ++i)
                out << st.value(i);
        return out;
    }
    SqlValue scalar(const QByteArray &sql, const QList<SqlValue> &binds = {})
    {
        const QList<SqlValue> r = row(sql, binds);
        return r.isEmpty() ? SqlValue(SqlNull{}) : r.front();
    }
    qint64 count(const char *tableName, const QByteArray &where = {}, const QList<SqlValue> &binds = {})
    {
        const SqlValue v = scalar("SELECT count(*) FROM " + quoteIdentifier(QString::fromLatin1(tableName)) +
                                      (where.isEmpty() ? QByteArray() : " WHERE " + where),
                                  binds);
        return std::get<qint64>(v);
    }

    qint64 newUser(const char *name = "Ann")
    {
        return create("users", QJsonObject{{"name", QString::fromLatin1(name)}}).toInteger();
    }
    qint64 newPost(qint64 author, const char *title = "Hello", QJsonObject extra = {})
    {
        extra.insert("title", QString::fromLatin1(title));
        extra.insert("author", author);
        return create("posts", extra).toInteger();
    }

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void valueCoercion_data();
    void valueCoercion();
    void dateTimeParsing_data();
    void dateTimeParsing();
    void keys();

    void createStoresStorageForms();
    void createAppliesDefaultsAndIgnoresGenerated();
    void unknownKeys();
    void typeErrors_data();
    void typeErrors();
    void requiredAndNull();
    void messagesAreCollected();
    void varcharCountsCharacters();
    void integerRange();
    void simpleJsonAcceptsAnyValue();
    void toOneLinkForms();
    void toOneLinkErrors();
    void nestedCreateTwoLevels();
    void nestedFailureAtSecondLevelStoresNothing();
    void linkAndUpdateNestedRow();
    void toManyOnCreate();
    void toManyReplaceOnUpdate();
    void inverseOneToOne();
    void owningOneToOneUnique();
    void updatePartial();
    void updateMissingRow();
    void uniqueConflict();
    void deleteRow();
    void deleteOnDelete();
    void uuidTable();
    void nestingDepth();
    void otherSqlErrorsAreInternal();
    void createThroughput();
};

void TestRecordWriter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_schema = buildSchema();
}

void TestRecordWriter::init()
{
    m_db = SqlConnection::open(m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_fileCounter)));
    for (const TableDef &def : m_schema.tables()) {
        m_db->exec(DdlBuilder::createTable(def, m_schema));
        for (const QByteArray &sql : DdlBuilder::createIndexes(def))
            m_db->exec(sql);
    }
    for (const TableDef &def : m_schema.tables())
        for (const QByteArray &sql : DdlBuilder::createJunctionTables(def, m_schema))
            m_db->exec(sql);
    m_unchanged = true;
}

void TestRecordWriter::cleanup()
{
    m_db.reset();
}

// ---------------------------------------------------------------------------
// valuecoercion

void TestRecordWriter::valueCoercion_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("json"); // the value, as JSON inside [ ]
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("error");

    auto add = [](const char *name, ColumnType type, const char *json, const char *stored, const char *error) {
        QTest::newRow(name) << int(type) << QString::fromUtf8(json) << QString::fromUtf8(stored)
                            << QString::fromUtf8(error);
    };
    add("int", ColumnType::Int, "42", "42", "");
    add("int negative", ColumnType::Int, "-7", "-7", "");
    add("int 2.0", ColumnType::Int, "2.0", "2", "");
    add("int fraction", ColumnType::Int, "2.5", "NULL", "must be an integer");
    add("int string", ColumnType::Int, "\"3\"", "NULL", "must be an integer");
    add("int bool", ColumnType::Int, "true", "NULL", "must be an integer");
    add("bigint max", ColumnType::BigInt, "9223372036854775807", "9223372036854775807", "");
    add("bigint too big", ColumnType::BigInt, "1e30", "NULL", "must be an integer");
    add("float", ColumnType::Float, "1.25", "1.25", "");
    add("float int", ColumnType::Float, "3", "3", "");
    add("float string", ColumnType::Float, "\"1.5\"", "NULL", "must be a number");
    add("bool true", ColumnType::Boolean, "true", "1", "");
    add("bool false", ColumnType::Boolean, "false", "0", "");
    add("bool 1", ColumnType::Boolean, "1", "NULL", "must be a boolean");
    add("bool string", ColumnType::Boolean, "\"true\"", "NULL", "must be a boolean");
    add("varchar", ColumnType::Varchar, "\"abc\"", "abc", "");
    add("varchar number", ColumnType::Varchar, "5", "NULL", "must be a string");
    add("text", ColumnType::Text, "\"long text\"", "long text", "");
    add("richtext object", ColumnType::RichText, "{}", "NULL", "must be a string");
    add("code", ColumnType::Code, "\"x = 1\"", "x = 1", "");
    add("uuid upper", ColumnType::Uuid, "\"6F9619FF-8B86-D011-B42D-00C04FC964FF\"",
        "6f9619ff-8b86-d011-b42d-00c04fc964ff", "");
    add("uuid braces", ColumnType::Uuid, "\"{6f9619ff-8b86-d011-b42d-00c04fc964ff}\"", "NULL",
        "must be a valid uuid");
    add("uuid short", ColumnType::Uuid, "\"6f9619ff-8b86-d011-b42d-00c04fc964f\"", "NULL", "must be a valid uuid");
    add("uuid bad hex", ColumnType::Uuid, "\"6f9619ff-8b86-d011-b42d-00c04fc964fg\"", "NULL",
        "must be a valid uuid");
    add("date", ColumnType::Date, "\"2024-02-29\"", "2024-02-29", "");
    add("date not leap", ColumnType::Date, "\"2026-02-29\"", "NULL", "must be a valid date");
    add("date month 13", ColumnType::Date, "\"2026-13-01\"", "NULL", "must be a valid date");
    add("date with time", ColumnType::Date, "\"2026-01-01T00:00:00Z\"", "NULL", "must be a valid date");
    add("date number", ColumnType::Date, "20260101", "NULL", "must be a valid date");
    add("datetime", ColumnType::DateTime, "\"2026-11-21T12:00:00+02:00\"", "2026-11-21T10:00:00.000Z", "");
    add("timestamp", ColumnType::Timestamp, "\"2026-11-21T10:00:00Z\"", "2026-11-21T10:00:00.000Z", "");
    add("datetime bad", ColumnType::DateTime, "\"yesterday\"", "NULL", "must be a valid date");
    add("enum", ColumnType::Enum, "\"blog\"", "blog", "");
    add("enum other", ColumnType::Enum, "\"video\"", "NULL", "must be one of: news, blog");
    add("enum number", ColumnType::Enum, "1", "NULL", "must be one of: news, blog");
    add("json object", ColumnType::SimpleJson, "{\"b\": [1, 2], \"a\": \"x\"}", "{\"a\":\"x\",\"b\":[1,2]}", "");
    add("json string", ColumnType::SimpleJson, "\"hi\"", "\"hi\"", "");
    add("json number", ColumnType::SimpleJson, "2.5", "2.5", "");
    add("json bool", ColumnType::SimpleJson, "false", "false", "");
    add("array-select", ColumnType::ArraySelect, "[\"red\", \"blue\"]", "[\"red\",\"blue\"]", "");
    add("array-select empty", ColumnType::ArraySelect, "[]", "[]", "");
    add("array-select not array", ColumnType::ArraySelect, "\"red\"", "NULL", "must be an array");
    add("array-select bad item", ColumnType::ArraySelect, "[\"red\", \"pink\"]", "NULL",
        "items must be one of: red, green, blue");
    add("array-select number item", ColumnType::ArraySelect, "[1]", "NULL", "items must be one of: red, green, blue");
    add("null nullable", ColumnType::Int, "null", "NULL", "");
}

void TestRecordWriter::valueCoercion()
{
    QFETCH(int, type);
    QFETCH(QString, json);
    QFETCH(QString, stored);
    QFETCH(QString, error);
    ColumnDef c;
    c.name = QStringLiteral("f");
    c.type = ColumnType(type);
    c.options = c.type == ColumnType::Enum ? QStringList{"news", "blog"} : QStringList{"red", "green", "blue"};
    const QJsonValue value = QJsonDocument::fromJson(("[" + json + "]").toUtf8()).array().at(0);
    QString why;
    const SqlValue v = toStoredValue(c, value, &why);
    QCOMPARE(why, error);
    QCOMPARE(sqlText(v), stored);

    ColumnDef required = c;
    required.isNullable = false;
    why.clear();
    toStoredValue(required, QJsonValue::Null, &why);
    QCOMPARE(why, QStringLiteral("must not be null"));
}

void TestRecordWriter::dateTimeParsing_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("stored"); // empty = refused
    QTest::newRow("Z") << "2026-11-21T10:00:00Z" << "2026-11-21T10:00:00.000Z";
    QTest::newRow("lower z") << "2026-11-21t10:00:00z" << "2026-11-21T10:00:00.000Z";
    QTest::newRow("ms") << "2026-11-21T10:00:00.123Z" << "2026-11-21T10:00:00.123Z";
    QTest::newRow("us truncated") << "2026-11-21T10:00:00.123987Z" << "2026-11-21T10:00:00.123Z";
    QTest::newRow("one digit fraction") << "2026-11-21T10:00:00.5Z" << "2026-11-21T10:00:00.500Z";
    QTest::newRow("no seconds") << "2026-11-21T10:00Z" << "2026-11-21T10:00:00.000Z";
    QTest::newRow("space") << "2026-11-21 10:00:00" << "2026-11-21T10:00:00.000Z";
    QTest::newRow("no offset = UTC") << "2026-11-21T10:00:00" << "2026-11-21T10:00:00.000Z";
    QTest::newRow("date only") << "2026-11-21" << "2026-11-21T00:00:00.000Z";
    QTest::newRow("+02:00") << "2026-11-21T12:00:00+02:00" << "2026-11-21T10:00:00.000Z";
    QTest::newRow("-0530") << "2026-11-21T10:00:00-0530" << "2026-11-21T15:30:00.000Z";
    QTest::newRow("+01 hours only") << "2026-11-21T10:00:00+01" << "2026-11-21T09:00:00.000Z";
    QTest::newRow("day back") << "2026-11-21T00:30:00+01:00" << "2026-11-20T23:30:00.000Z";
    QTest::newRow("year back") << "2027-01-01T00:30:00.250+01:00" << "2026-12-31T23:30:00.250Z";
    QTest::newRow("leap day forward") << "2024-02-28T23:00:00-02:00" << "2024-02-29T01:00:00.000Z";
    QTest::newRow("hour 24") << "2026-11-21T24:00:00Z" << "";
    QTest::newRow("minute 60") << "2026-11-21T10:60:00Z" << "";
    QTest::newRow("second 60") << "2026-11-21T10:00:60Z" << "";
    QTest::newRow("bad day") << "2026-11-31T10:00:00Z" << "";
    QTest::newRow("trailing") << "2026-11-21T10:00:00Zx" << "";
    QTest::newRow("empty fraction") << "2026-11-21T10:00:00.Z" << "";
    QTest::newRow("bad separator") << "2026-11-21X10:00:00Z" << "";
    QTest::newRow("hour only") << "2026-11-21T10" << "";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("before year 0") << "0000-01-01T00:00:00+01:00" << "";
}

void TestRecordWriter::dateTimeParsing()
{
    QFETCH(QString, input);
    QFETCH(QString, stored);
    QByteArray out;
    const bool ok = normalizeDateTime(input, &out);
    QCOMPARE(ok, !stored.isEmpty());
    if (ok)
        QCOMPARE(QString::fromLatin1(out), stored);
    QVERIFY(isTimestamp(QString::fromLatin1(currentTimestamp())));
}

void TestRecordWriter::keys()
{
    SqlValue key;
    QVERIFY(toStoredKey(PrimaryKeyType::Int, QJsonValue(5), &key));
    QCOMPARE(sqlText(key), QStringLiteral("5"));
    QVERIFY(toStoredKey(PrimaryKeyType::Int, QJsonValue(QStringLiteral("12")), &key));
    QCOMPARE(sqlText(key), QStringLiteral("12"));
    QVERIFY(!toStoredKey(PrimaryKeyType::Int, QJsonValue(QStringLiteral("12a")), &key));
    QVERIFY(!toStoredKey(PrimaryKeyType::Int, QJsonValue(QStringLiteral("99999999999999999999")), &key));
    QVERIFY(!toStoredKey(PrimaryKeyType::Int, QJsonValue(1.5), &key));
    QVERIFY(!toStoredKey(PrimaryKeyType::Int, QJsonValue(true), &key));
    QVERIFY(toStoredKey(PrimaryKeyType::Uuid, QJsonValue(QStringLiteral("6F9619FF-8B86-D011-B42D-00C04FC964FF")), &key));
    QCOMPARE(sqlText(key), QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff"));
    QVERIFY(!toStoredKey(PrimaryKeyType::Uuid, QJsonValue(5), &key));
    QCOMPARE(storedKeyToJson(SqlValue(qint64(7))), QJsonValue(7));
    QCOMPARE(storedKeyToJson(SqlValue(QByteArray("ab"))), QJsonValue(QStringLiteral("ab")));
    QCOMPARE(characterCount(QString::fromUtf8("a\xF0\x9F\x98\x80" "é")), 3);
    QCOMPARE(compactJson(QJsonValue(QStringLiteral("x"))), QByteArray("\"x\""));
}

// ---------------------------------------------------------------------------
// create

void TestRecordWriter::createStoresStorageForms()
{
    const qint64 ann = newUser();
    const QJsonValue id = create("posts", obj(R"({"title":"Storage","kind":"news","public":true,"price":9.5,
        "meta":{"z":1,"a":[true,null]},"labels":["green","red"],"publishedOn":"2026-11-21",
        "publishAt":"2026-11-21T12:00:00.5+02:00","ref":"6F9619FF-8B86-D011-B42D-00C04FC964FF",
        "slug":"storage","views":3,"body":"Text","origin":"import","author":1})"));
    QVERIFY(id.isDouble());
    const QList<SqlValue> r =
        row("SELECT typeof(public), public, typeof(price), price, meta, labels, publishedOn, publishAt, ref, kind, "
            "typeof(views), views, authorId, origin, typeof(authorId) FROM posts WHERE id=?",
            {id.toInteger()});
    QCOMPARE(r.size(), 15);
    QCOMPARE(sqlText(r[0]), QStringLiteral("integer"));
    QCOMPARE(sqlText(r[1]), QStringLiteral("1"));
    QCOMPARE(sqlText(r[2]), QStringLiteral("real"));
    QCOMPARE(sqlText(r[3]), QStringLiteral("9.5"));
    QCOMPARE(sqlText(r[4]), QStringLiteral(R"({"a":[true,null],"z":1})"));
    QCOMPARE(sqlText(r[5]), QStringLiteral(R"(["green","red"])"));
    QCOMPARE(sqlText(r[6]), QStringLiteral("2026-11-21"));
    QCOMPARE(sqlText(r[7]), QStringLiteral("2026-11-21T10:00:00.500Z"));
    QCOMPARE(sqlText(r[8]), QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff"));
    QCOMPARE(sqlText(r[9]), QStringLiteral("news"));
    QCOMPARE(sqlText(r[10]), QStringLiteral("integer"));
    QCOMPARE(sqlText(r[11]), QStringLiteral("3"));
    QCOMPARE(sqlText(r[12]), QString::number(ann));
    QCOMPARE(sqlText(r[13]), QStringLiteral("import"));
    QCOMPARE(sqlText(r[14]), QStringLiteral("integer"));

    // A float column given a whole number still stores REAL.
    const qint64 p2 = newPost(ann, "Whole", QJsonObject{{"price", 3}});
    QCOMPARE(sqlText(scalar("SELECT typeof(price) FROM posts WHERE id=?", {p2})), QStringLiteral("real"));
}

void TestRecordWriter::createAppliesDefaultsAndIgnoresGenerated()
{
    const QJsonValue uid = create("users", obj(R"({"id":777,"name":"Ann","createdAt":"2000-01-01T00:00:00Z",
                                                  "updatedAt":"2000-01-01T00:00:00Z"})"));
    QVERIFY(uid.toInteger() != 777);
    const QList<SqlValue> u = row("SELECT active, createdAt, updatedAt, age FROM users WHERE id=?", {uid.toInteger()});
    QCOMPARE(sqlText(u[0]), QStringLiteral("1")); // default true
    QVERIFY(isTimestamp(sqlText(u[1])));
    QVERIFY(sqlText(u[1]) != QStringLiteral("2000-01-01T00:00:00.000Z"));
    QCOMPARE(sqlText(u[1]), sqlText(u[2]));
    QCOMPARE(sqlText(u[3]), QStringLiteral("NULL"));

    const qint64 post = newPost(uid.toInteger());
    const QList<SqlValue> p = row("SELECT public, views, kind FROM posts WHERE id=?", {post});
    QCOMPARE(sqlText(p[0]), QStringLiteral("0"));
    QCOMPARE(sqlText(p[1]), QStringLiteral("0"));
    QCOMPARE(sqlText(p[2]), QStringLiteral("NULL"));

    // A given value wins over the default, null included.
    const qint64 p2 = newPost(uid.toInteger(), "x", obj(R"({"public":true,"views":null})"));
    const QList<SqlValue> p2r = row("SELECT public, views FROM posts WHERE id=?", {p2});
    QCOMPARE(sqlText(p2r[0]), QStringLiteral("1"));
    QCOMPARE(sqlText(p2r[1]), QStringLiteral("NULL"));
}

void TestRecordWriter::unknownKeys()
{
    newUser();
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("posts"), obj(R"({"title":"x","author":1,"foo":1})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 400);
    QCOMPARE(e->code(), QByteArray("BAD_REQUEST"));
    QCOMPARE(e->message(), QJsonValue("foo is not allowed"));

    // Raised before validation, even when the body has type errors too.
    e = attempt([&] { w.create(t("posts"), obj(R"({"title":5,"bar":1})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->code(), QByteArray("BAD_REQUEST"));
    QCOMPARE(e->message(), QJsonValue("bar is not allowed"));

    // Nested bodies are checked too, with their path.
    e = attempt([&] { w.create(t("posts"), obj(R"({"title":"x","author":{"name":"B","foo":1}})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue("author.foo is not allowed"));

    // A child created through a one-to-many cannot name its parent itself.
    e = attempt([&] { w.create(t("posts"), obj(R"({"title":"x","author":1,"comments":[{"body":"b","post":3}]})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue("comments[0].post is not allowed"));
    e = attempt([&] { w.create(t("posts"), obj(R"({"title":"x","author":1,"comments":[{"body":"b","postId":3}]})")); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue("comments[0].postId is not allowed"));

    // On update as well.
    const qint64 post = newPost(1);
    e = attempt([&] { w.update(t("posts"), post, obj(R"({"nope":true})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue("nope is not allowed"));

    // Relation names and FK storage columns are allowed keys.
    QVERIFY(create("posts", obj(R"({"title":"y","authorId":1,"editor":null})")).isDouble());
}

void TestRecordWriter::typeErrors_data()
{
    QTest::addColumn<QString>("patch"); // merged into a valid post body
    QTest::addColumn<QString>("message");
    QTest::newRow("varchar type") << R"({"title":5})" << "title must be a string";
    QTest::newRow("varchar length") << R"({"title":"123456789012345678901"})"
                                    << "title must be at most 20 characters";
    QTest::newRow("float") << R"({"price":"cheap"})" << "price must be a number";
    QTest::newRow("int fraction") << R"({"views":1.5})" << "views must be an integer";
    QTest::newRow("int string") << R"({"views":"1"})" << "views must be an integer";
    QTest::newRow("int overflow") << R"({"views":1e19})" << "views must be an integer";
    QTest::newRow("boolean number") << R"({"public":1})" << "public must be a boolean";
    QTest::newRow("boolean string") << R"({"public":"true"})" << "public must be a boolean";
    QTest::newRow("text") << R"({"body":["x"]})" << "body must be a string";
    QTest::newRow("enum") << R"({"kind":"video"})" << "kind must be one of: news, blog";
    QTest::newRow("uuid") << R"({"ref":"not-a-uuid"})" << "ref must be a valid uuid";
    QTest::newRow("date") << R"({"publishedOn":"2026-02-30"})" << "publishedOn must be a valid date";
    QTest::newRow("datetime") << R"({"publishAt":"tomorrow"})" << "publishAt must be a valid date";
    QTest::newRow("array-select type") << R"({"labels":"red"})" << "labels must be an array";
    QTest::newRow("array-select item") << R"({"labels":["red","pink"]})"
                                       << "labels items must be one of: red, green, blue";
    QTest::newRow("null not nullable") << R"({"title":null})" << "title must not be null";
    QTest::newRow("relation null") << R"({"author":null})" << "author must not be null";
    QTest::newRow("relation bool") << R"({"author":true})" << "author must be an id, an object or null";
    QTest::newRow("relation bad id") << R"({"author":"abc"})" << "author must be an integer";
    QTest::newRow("relation object bad id") << R"({"author":{"id":1.5}})" << "author.id must be an integer";
    QTest::newRow("relation missing") << R"({"author":99})" << "author: users with id 99 does not exist";
    QTest::newRow("relation object missing") << R"({"author":{"id":"99"}})"
                                             << "author: users with id 99 does not exist";
    QTest::newRow("fk column missing") << R"({"authorId":99})" << "authorId: users with id 99 does not exist";
    QTest::newRow("fk column object") << R"({"authorId":{"id":1}})" << "authorId must be an integer";
    QTest::newRow("both forms") << R"({"authorId":1,"author":1})" << "author and authorId cannot both be given";
    QTest::newRow("to-many type") << R"({"tags":{"id":1}})" << "tags must be an array";
    QTest::newRow("to-many null item") << R"({"tags":[null]})" << "tags[0] must be an id or an object";
    QTest::newRow("to-many missing") << R"({"tags":[99]})" << "tags[0]: tags with id 99 does not exist";
    QTest::newRow("to-many nested invalid") << R"({"comments":[{"body":"ok"},{}]})"
                                            << "comments[1].body is required";
    QTest::newRow("nested type") << R"({"author":{"name":"N","age":"old"}})" << "author.age must be an integer";
    QTest::newRow("nested required") << R"({"author":{"age":3}})" << "author.name is required";
}

void TestRecordWriter::typeErrors()
{
    QFETCH(QString, patch);
    QFETCH(QString, message);
    newUser();
    QJsonObject body = obj(R"({"title":"Valid","author":1})");
    const QJsonObject extra = QJsonDocument::fromJson(patch.toUtf8()).object();
    QVERIFY(!extra.isEmpty());
    if (extra.contains("authorId"))
        body.remove("author");
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());

    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("posts"), body); });
    QVERIFY2(e, "not refused");
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 400);
    QCOMPARE(e->code(), QByteArray("VALIDATION_ERROR"));
    QCOMPARE(e->message(), QJsonValue(QJsonArray{message}));

    // The same refusal on update (except for what only create checks).
    const qint64 post = newPost(1);
    e = attempt([&] { w.update(t("posts"), post, body); });
    QVERIFY2(e, "update not refused");
    QVERIFY(m_unchanged);
    QCOMPARE(e->code(), QByteArray("VALIDATION_ERROR"));
    QCOMPARE(e->message(), QJsonValue(QJsonArray{message}));
}

void TestRecordWriter::requiredAndNull()
{
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("posts"), QJsonObject{}); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->code(), QByteArray("VALIDATION_ERROR"));
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"title is required", "author is required"}));

    e = attempt([&] { w.create(t("users"), obj(R"({"name":null})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"name must not be null"}));

    // Nullable columns and relations may be left out or null.
    newUser();
    QVERIFY(create("posts", obj(R"({"title":"t","author":1,"editor":null,"price":null,"category":null})"))
                .isDouble());
    // The FK storage column satisfies the required relation.
    QVERIFY(create("posts", obj(R"({"title":"t","authorId":"1"})")).isDouble());
    e = attempt([&] { w.create(t("posts"), obj(R"({"title":"t","authorId":null})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"authorId must not be null"}));
}

void TestRecordWriter::messagesAreCollected()
{
    newUser();
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] {
        w.create(t("posts"), obj(R"({"kind":"x","price":"y","public":0,"tags":[5],"author":{"email":3}})"));
    });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->code(), QByteArray("VALIDATION_ERROR"));
    QStringList got;
    for (const QJsonValue &v : e->message().toArray())
        got << v.toString();
    got.sort();
    QStringList want{"author.email must be a string", "author.name is required", "kind must be one of: news, blog",
                     "price must be a number",        "public must be a boolean", "tags[0]: tags with id 5 does not exist",
                     "title is required"};
    want.sort();
    QCOMPARE(got, want);
}

void TestRecordWriter::varcharCountsCharacters()
{
    newUser();
    const QString accents = QString(20, QChar(0xE9)); // 20 characters, 40 UTF-8 bytes
    const qint64 p = newPost(1, "", QJsonObject{{"title", accents}});
    Q_UNUSED(p);
    QString emoji;
    for (int i = 0; i < 20; ++i)
        emoji += QString::fromUtf8("\xF0\x9F\x98\x80"); // 20 characters, 40 UTF-16 units
    QVERIFY(create("posts", QJsonObject{{"title", emoji}, {"author", 1}}).isDouble());
    QCOMPARE(sqlText(scalar("SELECT title FROM posts WHERE id=2")), emoji);

    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("posts"), QJsonObject{{"title", emoji + QChar(u'x')}, {"author", 1}}); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"title must be at most 20 characters"}));

    // Without a length, varchar is limited to 255.
    e = attempt([&] { w.create(t("posts"), QJsonObject{{"title", "t"}, {"author", 1}, {"slug", QString(256, 'a')}}); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"slug must be at most 255 characters"}));
    QVERIFY(create("posts", QJsonObject{{"title", "t"}, {"author", 1}, {"slug", QString(255, 'a')}}).isDouble());
}

void TestRecordWriter::integerRange()
{
    const QJsonValue id = create("users", obj(R"({"name":"Big","score":9223372036854775807,"age":-5})"));
    QCOMPARE(sqlText(scalar("SELECT score FROM users WHERE id=?", {id.toInteger()})),
             QStringLiteral("9223372036854775807"));
    QCOMPARE(sqlText(scalar("SELECT age FROM users WHERE id=?", {id.toInteger()})), QStringLiteral("-5"));
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("users"), obj(R"({"name":"Big","score":9223372036854775808e3})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"score must be an integer"}));
}

void TestRecordWriter::simpleJsonAcceptsAnyValue()
{
    newUser();
    const char *values[] = {R"({"a":{"b":[1,2]}})", R"([1,"two",null])", R"("text")", "12.5", "true"};
    const char *stored[] = {R"({"a":{"b":[1,2]}})", R"([1,"two",null])", R"("text")", "12.5", "true"};
    for (int i = 0; i < 5; ++i) {
        const QJsonValue meta = QJsonDocument::fromJson(QByteArray("[") + values[i] + "]").array().at(0);
        const qint64 id = newPost(1, "j", QJsonObject{{"meta", meta}});
        QCOMPARE(sqlText(scalar("SELECT meta FROM posts WHERE id=?", {id})), QString::fromUtf8(stored[i]));
    }
    const qint64 id = newPost(1, "j", QJsonObject{{"meta", QJsonValue::Null}});
    QCOMPARE(sqlText(scalar("SELECT meta FROM posts WHERE id=?", {id})), QStringLiteral("NULL"));
}

// ---------------------------------------------------------------------------
// relations

void TestRecordWriter::toOneLinkForms()
{
    const qint64 ann = newUser("Ann");
    const qint64 bob = newUser("Bob");
    const qint64 a = newPost(ann);
    const qint64 b = create("posts", obj(R"({"title":"b","author":{"id":2}})")).toInteger();
    const qint64 c = create("posts", obj(R"({"title":"c","authorId":2,"editor":"1"})")).toInteger();
    QCOMPARE(std::get<qint64>(scalar("SELECT authorId FROM posts WHERE id=?", {a})), ann);
    QCOMPARE(std::get<qint64>(scalar("SELECT authorId FROM posts WHERE id=?", {b})), bob);
    QCOMPARE(std::get<qint64>(scalar("SELECT authorId FROM posts WHERE id=?", {c})), bob);
    QCOMPARE(std::get<qint64>(scalar("SELECT editorId FROM posts WHERE id=?", {c})), ann);

    // Unlink with null, relink with each form.
    update("posts", c, obj(R"({"editor":null})"));
    QCOMPARE(sqlText(scalar("SELECT editorId FROM posts WHERE id=?", {c})), QStringLiteral("NULL"));
    update("posts", c, obj(R"({"editorId":2})"));
    QCOMPARE(std::get<qint64>(scalar("SELECT editorId FROM posts WHERE id=?", {c})), bob);
    update("posts", c, obj(R"({"author":{"id":1}})"));
    QCOMPARE(std::get<qint64>(scalar("SELECT authorId FROM posts WHERE id=?", {c})), ann);
    QCOMPARE(count("users"), 2);
}

void TestRecordWriter::toOneLinkErrors()
{
    newUser();
    const qint64 post = newPost(1);
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.update(t("posts"), post, obj(R"({"author":null})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"author must not be null"}));
    e = attempt([&] { w.update(t("posts"), post, obj(R"({"category":7})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"category: categories with id 7 does not exist"}));
    e = attempt([&] { w.update(t("posts"), post, obj(R"({"editor":[1]})")); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"editor must be an id, an object or null"}));
}

void TestRecordWriter::nestedCreateTwoLevels()
{
    // comment → new post → new author, all in one body.
    const QJsonValue id = create("comments", obj(R"({"body":"first!","post":{"title":"Nested","kind":"blog",
        "author":{"name":"Deep","email":"deep@x"}}})"));
    QCOMPARE(count("users"), 1);
    QCOMPARE(count("posts"), 1);
    QCOMPARE(count("comments"), 1);
    const QList<SqlValue> r = row("SELECT c.body, p.title, u.name FROM comments c JOIN posts p ON p.id = c.postId "
                                  "JOIN users u ON u.id = p.authorId WHERE c.id = ?",
                                  {id.toInteger()});
    QCOMPARE(r.size(), 3);
    QCOMPARE(sqlText(r[0]), QStringLiteral("first!"));
    QCOMPARE(sqlText(r[1]), QStringLiteral("Nested"));
    QCOMPARE(sqlText(r[2]), QStringLiteral("Deep"));

    // And downwards: user → posts (one-to-many inverse) → comments, tags.
    const QJsonValue uid = create("users", obj(R"({"name":"Tree","posts":[{"title":"P1","comments":[{"body":"c1"},
        {"body":"c2"}],"tags":[{"name":"t1"}]},{"title":"P2"}]})"));
    QCOMPARE(count("posts", "authorId=?", {uid.toInteger()}), 2);
    QCOMPARE(count("comments"), 3);
    QCOMPARE(count("comments", "postId IN (SELECT id FROM posts WHERE title='P1')"), 2);
    QCOMPARE(count("tags"), 1);
    QCOMPARE(count("posts_tags_junction"), 1);
}

void TestRecordWriter::nestedFailureAtSecondLevelStoresNothing()
{
    tx([&] { RecordWriter(*m_db, m_schema).create(t("tags"), obj(R"({"name":"taken"})")); });
    RecordWriter w(*m_db, m_schema);

    // Validation failure two levels down: nothing is written at all.
    auto e = attempt([&] {
        w.create(t("comments"), obj(R"({"body":"x","post":{"title":"P","author":{"email":"a@b"}}})"));
    });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->code(), QByteArray("VALIDATION_ERROR"));
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"post.author.name is required"}));

    e = attempt([&] {
        w.create(t("comments"), obj(R"({"body":"x","post":{"title":"P","author":{"name":"N","age":"old"},
            "kind":"bad"}})"));
    });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"post.author.age must be an integer", "post.kind must be one of: news, blog"}));

    // A failure while writing (after the author and the post were inserted):
    // the caller's rollback leaves nothing behind.
    e = attempt([&] {
        w.create(t("comments"), obj(R"({"body":"x","post":{"title":"P","author":{"name":"N"},
            "tags":[{"name":"fresh"},{"name":"taken"}]}})"));
    });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 409);
    QCOMPARE(e->code(), QByteArray("CONFLICT"));
    QCOMPARE(e->message(), QJsonValue("post.tags[1].name must be unique"));
    QCOMPARE(e->details().toObject().value("field"), QJsonValue("post.tags[1].name"));
    QCOMPARE(count("users"), 0);
    QCOMPARE(count("posts"), 0);
    QCOMPARE(count("tags"), 1);
}

void TestRecordWriter::linkAndUpdateNestedRow()
{
    newUser("Old");
    const qint64 post = create("posts", obj(R"({"title":"t","author":{"id":1,"name":"Renamed","age":40}})")).toInteger();
    QCOMPARE(sqlText(scalar("SELECT name FROM users WHERE id=1")), QStringLiteral("Renamed"));
    QCOMPARE(sqlText(scalar("SELECT age FROM users WHERE id=1")), QStringLiteral("40"));
    QCOMPARE(count("users"), 1);

    // The nested update is validated like a PATCH.
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.update(t("posts"), post, obj(R"({"author":{"id":1,"name":null}})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"author.name must not be null"}));

    // One-to-many items with an id and fields: linked and updated.
    const qint64 c1 = create("comments", obj(R"({"body":"old","post":1})")).toInteger();
    const qint64 other = newPost(1, "other");
    update("posts", other, QJsonObject{{"comments", QJsonArray{QJsonObject{{"id", c1}, {"body", "moved"}}}}});
    const QList<SqlValue> r = row("SELECT body, postId FROM comments WHERE id=?", {c1});
    QCOMPARE(sqlText(r[0]), QStringLiteral("moved"));
    QCOMPARE(std::get<qint64>(r[1]), other);
}

void TestRecordWriter::toManyOnCreate()
{
    newUser();
    const qint64 t1 = create("tags", obj(R"({"name":"one"})")).toInteger();
    const qint64 t2 = create("tags", obj(R"({"name":"two"})")).toInteger();
    const qint64 p1 = newPost(1, "first", obj(R"({"comments":[{"body":"a"}]})"));
    const qint64 movedComment = std::get<qint64>(scalar("SELECT id FROM comments"));

    // Many-to-many: ids (duplicates collapse), {"id"} and new objects; one-to-many: move an existing comment
    // and create new ones.
    const qint64 p2 = create("posts", QJsonObject{{"title", "second"},
                                                  {"author", 1},
                                                  {"tags", QJsonArray{t1, t1, QJsonObject{{"id", t2}},
                                                                      QJsonObject{{"name", "three"}}}},
                                                  {"comments", QJsonArray{movedComment, QJsonObject{{"body", "b"}}}}})
                          .toInteger();
    QCOMPARE(count("posts_tags_junction", "sourceId=?", {p2}), 3);
    QCOMPARE(count("tags"), 3);
    QCOMPARE(count("comments", "postId=?", {p2}), 2);
    QCOMPARE(count("comments", "postId=?", {p1}), 0);

    // The inverse side of a many-to-many writes the same junction.
    const qint64 t4 = create("tags", QJsonObject{{"name", "four"}, {"posts", QJsonArray{p1, p2}}}).toInteger();
    QCOMPARE(count("posts_tags_junction", "targetId=?", {t4}), 2);
}

void TestRecordWriter::toManyReplaceOnUpdate()
{
    const qint64 ann = newUser("Ann");
    const qint64 bob = newUser("Bob");
    const qint64 p = create("posts", obj(R"({"title":"p","author":1,"tags":[{"name":"a"},{"name":"b"}],
        "comments":[{"body":"c1"},{"body":"c2"}]})")).toInteger();
    QCOMPARE(count("posts_tags_junction", "sourceId=?", {p}), 2);

    // Many-to-many: the array replaces the set.
    update("posts", p, obj(R"({"tags":[2,{"name":"c"}]})"));
    QCOMPARE(count("posts_tags_junction", "sourceId=?", {p}), 2);
    QCOMPARE(count("posts_tags_junction", "sourceId=? AND targetId=1", {p}), 0);
    QCOMPARE(count("tags"), 3); // unlinked tags are not deleted
    update("posts", p, obj(R"({"tags":[]})"));
    QCOMPARE(count("posts_tags_junction"), 0);

    // One-to-many with a nullable FK: users.editedPosts (posts.editorId).
    const qint64 q = newPost(ann, "q", obj(R"({"editor":2})"));
    const qint64 r = newPost(ann, "r", obj(R"({"editor":2})"));
    update("users", bob, QJsonObject{{"editedPosts", QJsonArray{r, QJsonObject{{"title", "new"}, {"author", 1}}}}});
    QCOMPARE(sqlText(scalar("SELECT editorId FROM posts WHERE id=?", {q})), QStringLiteral("NULL"));
    QCOMPARE(std::get<qint64>(scalar("SELECT editorId FROM posts WHERE id=?", {r})), bob);
    QCOMPARE(count("posts", "editorId=?", {bob}), 2);
    QCOMPARE(count("posts", "title='new' AND authorId=?", {ann}), 1);
    update("users", bob, obj(R"({"editedPosts":[]})"));
    QCOMPARE(count("posts", "editorId IS NOT NULL"), 0);

    // One-to-many with a required FK: children cannot be left without a parent.
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.update(t("posts"), p, obj(R"({"comments":[1]})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->code(), QByteArray("VALIDATION_ERROR"));
    QCOMPARE(e->message(),
             QJsonValue(QJsonArray{"comments: comments with id 2 cannot be unlinked because post must not be null"}));
    // Listing them all again (plus a new one) is fine.
    update("posts", p, obj(R"({"comments":[1,2,{"body":"c3"}]})"));
    QCOMPARE(count("comments", "postId=?", {p}), 3);
    // Moving a child to another parent through the other parent's list is fine too.
    const qint64 other = newPost(ann, "other");
    update("posts", other, obj(R"({"comments":[3]})"));
    QCOMPARE(count("comments", "postId=?", {p}), 2);
    QCOMPARE(count("comments", "postId=?", {other}), 1);
}

void TestRecordWriter::inverseOneToOne()
{
    // users.profile is the inverse side of profiles.user (FK profiles.userId, unique).
    const qint64 ann = create("users", obj(R"({"name":"Ann","profile":{"bio":"hello"}})")).toInteger();
    QCOMPARE(count("profiles", "userId=?", {ann}), 1);
    const qint64 first = std::get<qint64>(scalar("SELECT id FROM profiles WHERE userId=?", {ann}));

    // Replace with another profile: the old one is detached (FK NULL), not deleted.
    update("users", ann, obj(R"({"profile":{"bio":"second"}})"));
    QCOMPARE(count("profiles"), 2);
    QCOMPARE(sqlText(scalar("SELECT userId FROM profiles WHERE id=?", {first})), QStringLiteral("NULL"));
    QCOMPARE(sqlText(scalar("SELECT bio FROM profiles WHERE userId=?", {ann})), QStringLiteral("second"));

    // Link by id (array form too), then unlink with null.
    update("users", ann, QJsonObject{{"profile", QJsonArray{first}}});
    QCOMPARE(std::get<qint64>(scalar("SELECT id FROM profiles WHERE userId=?", {ann})), first);
    update("users", ann, obj(R"({"profile":null})"));
    QCOMPARE(count("profiles", "userId IS NOT NULL"), 0);

    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.update(t("users"), ann, obj(R"({"profile":[1,2]})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"profile must not have more than one item"}));
    e = attempt([&] { w.update(t("users"), ann, obj(R"({"profile":true})")); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"profile must be an id, an object or null"}));
    e = attempt([&] { w.update(t("users"), ann, obj(R"({"profile":42})")); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"profile: profiles with id 42 does not exist"}));
}

void TestRecordWriter::owningOneToOneUnique()
{
    newUser("Ann");
    QVERIFY(create("profiles", obj(R"({"bio":"a","user":1})")).isDouble());
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("profiles"), obj(R"({"bio":"b","user":1})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 409);
    QCOMPARE(e->message(), QJsonValue("userId must be unique"));
    QCOMPARE(e->details().toObject().value("field"), QJsonValue("userId"));
    QVERIFY(create("profiles", obj(R"({"bio":"c","user":null})")).isDouble());
    QVERIFY(create("profiles", obj(R"({"bio":"d"})")).isDouble());
}

void TestRecordWriter::updatePartial()
{
    newUser();
    const qint64 post = newPost(1, "Before", obj(R"({"price":1.5,"origin":"import","kind":"news"})"));
    const QString created = sqlText(scalar("SELECT createdAt FROM posts WHERE id=?", {post}));
    QThread::msleep(5);
    const QJsonValue out = update("posts", QString::number(post), obj(R"({"title":"After","origin":"changed",
        "createdAt":"2000-01-01T00:00:00Z","id":99,"kind":null})"));
    QCOMPARE(out, QJsonValue(post)); // "3" from a URL comes back as the stored id
    const QList<SqlValue> r =
        row("SELECT title, price, origin, kind, createdAt, updatedAt, id FROM posts WHERE id=?", {post});
    QCOMPARE(sqlText(r[0]), QStringLiteral("After"));
    QCOMPARE(sqlText(r[1]), QStringLiteral("1.5"));    // untouched
    QCOMPARE(sqlText(r[2]), QStringLiteral("import")); // isUpdatable:false is dropped silently
    QCOMPARE(sqlText(r[3]), QStringLiteral("NULL"));
    QCOMPARE(sqlText(r[4]), created);
    QVERIFY(isTimestamp(sqlText(r[5])));
    QVERIFY(sqlText(r[5]) > created);
    QCOMPARE(std::get<qint64>(r[6]), post);

    // An empty update still bumps updatedAt.
    const QString before = sqlText(r[5]);
    QThread::msleep(5);
    update("posts", post, QJsonObject{});
    QVERIFY(sqlText(scalar("SELECT updatedAt FROM posts WHERE id=?", {post})) > before);
    // So does one made only of dropped keys.
    const QString before2 = sqlText(scalar("SELECT updatedAt FROM posts WHERE id=?", {post}));
    QThread::msleep(5);
    update("posts", post, obj(R"({"origin":"x","updatedAt":"2000-01-01T00:00:00Z"})"));
    QVERIFY(sqlText(scalar("SELECT updatedAt FROM posts WHERE id=?", {post})) > before2);

    // PATCH does not require anything.
    update("posts", post, obj(R"({"price":2})"));
    QCOMPARE(sqlText(scalar("SELECT price FROM posts WHERE id=?", {post})), QStringLiteral("2"));
}

void TestRecordWriter::updateMissingRow()
{
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.update(t("users"), 999, obj(R"({"name":"x"})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 400);
    QCOMPARE(e->code(), QByteArray("BAD_REQUEST"));
    QCOMPARE(e->message(), QJsonValue("id 999 is not exists!"));
    e = attempt([&] { w.update(t("users"), QStringLiteral("abc"), QJsonObject{}); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue("id abc is not exists!"));
}

void TestRecordWriter::uniqueConflict()
{
    newUser();
    newPost(1, "a", obj(R"({"slug":"same"})"));
    const qint64 other = newPost(1, "b", obj(R"({"slug":"other"})"));
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("posts"), obj(R"({"title":"c","author":1,"slug":"same"})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 409);
    QCOMPARE(e->code(), QByteArray("CONFLICT"));
    QCOMPARE(e->message(), QJsonValue("slug must be unique"));
    QCOMPARE(e->details(), QJsonValue(QJsonObject{{"field", "slug"}}));
    e = attempt([&] { w.update(t("posts"), other, obj(R"({"slug":"same"})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue("slug must be unique"));
    // Nested: the path tells where.
    e = attempt([&] { w.create(t("posts"), obj(R"({"title":"c","author":{"name":"x","email":"e"},"slug":"same"})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue("slug must be unique"));
    create("users", obj(R"({"name":"y","email":"e"})"));
    e = attempt([&] { w.create(t("posts"), obj(R"({"title":"c","author":{"name":"x","email":"e"}})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue("author.email must be unique"));
    // NULLs never collide.
    newPost(1, "n1");
    newPost(1, "n2");
}

void TestRecordWriter::deleteRow()
{
    newUser();
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.remove(t("users"), 999); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 400);
    QCOMPARE(e->message(), QJsonValue("id 999 is not exists!"));
    remove("users", QStringLiteral("1"));
    QCOMPARE(count("users"), 0);
    e = attempt([&] { w.remove(t("users"), 1); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue("id 1 is not exists!"));
}

void TestRecordWriter::deleteOnDelete()
{
    const qint64 ann = newUser("Ann");
    const qint64 bob = newUser("Bob");
    const qint64 cat = create("categories", obj(R"({"name":"c"})")).toInteger();
    const qint64 p1 = create("posts", obj(R"({"title":"p1","author":1,"editor":2,"category":1,
        "tags":[{"name":"t"}],"comments":[{"body":"x"},{"body":"y"}]})")).toInteger();
    const qint64 p2 = newPost(bob, "p2", obj(R"({"editor":1})"));
    create("profiles", obj(R"({"bio":"b","user":1})"));

    // RESTRICT: the category is still used by p1.
    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.remove(t("categories"), cat); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 409);
    QCOMPARE(e->code(), QByteArray("CONFLICT"));
    QCOMPARE(e->message(), QJsonValue("Cannot delete: categories 1 is still referenced by posts"));

    // RESTRICT reached through a CASCADE: deleting Ann would delete p1, which is pinned.
    const qint64 pin = create("pins", QJsonObject{{"note", "keep"}, {"post", p1}}).toInteger();
    e = attempt([&] { w.remove(t("users"), ann); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue("Cannot delete: users 1 is still referenced by pins"));
    remove("pins", pin);

    // SET NULL: deleting Bob clears p1.editorId; CASCADE: Bob's p2 goes.
    remove("users", bob);
    QCOMPARE(sqlText(scalar("SELECT editorId FROM posts WHERE id=?", {p1})), QStringLiteral("NULL"));
    QCOMPARE(count("posts", "id=?", {p2}), 0);

    // CASCADE down two levels: Ann's posts, their comments, junction rows, her profile.
    remove("users", ann);
    QCOMPARE(count("posts"), 0);
    QCOMPARE(count("comments"), 0);
    QCOMPARE(count("posts_tags_junction"), 0);
    QCOMPARE(count("profiles"), 0);
    QCOMPARE(count("tags"), 1);
    // SET NULL on a NOT NULL column blocks the delete as well.
    const qint64 note = create("notes", QJsonObject{{"text", "n"}, {"category", cat}}).toInteger();
    e = attempt([&] { w.remove(t("categories"), cat); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 409);
    QCOMPARE(e->message(), QJsonValue("Cannot delete: categories 1 is still referenced by notes"));
    remove("notes", note);
    // Now unused, the category can go.
    remove("categories", cat);
    QCOMPARE(count("categories"), 0);
}

void TestRecordWriter::uuidTable()
{
    newUser();
    const QJsonValue id = create("devices", obj(R"({"id":"ignored","name":"Sensor","owner":1})"));
    QVERIFY(id.isString());
    QByteArray canonical;
    QVERIFY(normalizeUuid(id.toString(), &canonical));
    QCOMPARE(QString::fromLatin1(canonical), id.toString());
    QCOMPARE(count("devices", "id=?", {id.toString().toUtf8()}), 1);

    // A uuid FK: link by id in any case, or create the device on the fly.
    const QJsonValue ping = create("pings", QJsonObject{{"at", "2026-11-21T10:00:00Z"}, {"device", id.toString().toUpper()}});
    QCOMPARE(sqlText(scalar("SELECT deviceId FROM pings WHERE id=?", {ping.toInteger()})), id.toString());
    const QJsonValue ping2 = create("pings", obj(R"({"device":{"name":"Made on the fly","owner":1}})"));
    QCOMPARE(count("devices"), 2);
    const QString other = sqlText(scalar("SELECT deviceId FROM pings WHERE id=?", {ping2.toInteger()}));
    QVERIFY(normalizeUuid(other, &canonical));

    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("pings"), obj(R"({"device":5})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->message(), QJsonValue(QJsonArray{"device must be a valid uuid"}));
    e = attempt([&] { w.create(t("pings"), obj(R"({"device":"00000000-0000-4000-8000-000000000000"})")); });
    QVERIFY(e);
    QCOMPARE(e->message(),
             QJsonValue(QJsonArray{"device: devices with id 00000000-0000-4000-8000-000000000000 does not exist"}));

    // One-to-many from the uuid side, update and delete by uuid.
    update("devices", id, QJsonObject{{"name", "Renamed"}, {"pings", QJsonArray{ping, QJsonObject{{"at", "2026-01-01"}}}}});
    QCOMPARE(count("pings", "deviceId=?", {id.toString().toUtf8()}), 2);
    QCOMPARE(sqlText(scalar("SELECT name FROM devices WHERE id=?", {id.toString().toUtf8()})), QStringLiteral("Renamed"));
    e = attempt([&] { w.update(t("devices"), QStringLiteral("nope"), QJsonObject{}); });
    QVERIFY(e);
    QCOMPARE(e->message(), QJsonValue("id nope is not exists!"));
    remove("devices", id.toString().toUpper());
    QCOMPARE(count("devices"), 1);
    QCOMPARE(count("pings"), 1); // CASCADE
    // SET NULL from users to devices.
    remove("users", 1);
    QCOMPARE(count("devices", "ownerId IS NULL"), 1);
}

void TestRecordWriter::nestingDepth()
{
    auto nested = [](int levels) {
        QJsonObject body{{"name", "u"}};
        for (int i = 0; i < levels; ++i) {
            const QJsonObject post{{"title", "t"}, {"author", body}};
            body = QJsonObject{{"name", "u"}, {"editedPosts", QJsonArray{post}}};
        }
        return body;
    };
    create("users", nested(5));
    QCOMPARE(count("users"), 6);
    QCOMPARE(count("posts"), 5);
    QCOMPARE(count("posts", "editorId IS NULL"), 0);

    RecordWriter w(*m_db, m_schema);
    auto e = attempt([&] { w.create(t("users"), nested(20)); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 400);
    QVERIFY2(e->messageText().endsWith(QStringLiteral(": relations are nested too deeply")),
             qPrintable(e->messageText()));
}

void TestRecordWriter::otherSqlErrorsAreInternal()
{
    m_db->exec("DROP TABLE tags");
    RecordWriter w(*m_db, m_schema);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^RecordWriter: create tags: .*no such table")));
    auto e = attempt([&] { w.create(t("tags"), obj(R"({"name":"x"})")); });
    QVERIFY(e);
    QVERIFY(m_unchanged);
    QCOMPARE(e->status(), 500);
    QCOMPARE(e->code(), QByteArray("INTERNAL_ERROR"));
    QVERIFY(!e->messageText().contains(QStringLiteral("tags")));
}

void TestRecordWriter::createThroughput()
{
    newUser();
    const QJsonObject body = obj(R"({"title":"Bench","kind":"news","public":true,"price":1.5,"author":1,
        "publishAt":"2026-11-21T10:00:00Z","labels":["red"],"meta":{"a":1}})");
    constexpr int kRows = 3000;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kRows; ++i)
        create("posts", body);
    const qint64 ms = qMax<qint64>(1, timer.elapsed());
    qInfo("RecordWriter: %d creates (one transaction each) in %lld ms = %lld/s", kRows, ms, kRows * 1000 / ms);
    QCOMPARE(count("posts"), kRows);
}

QTEST_GUILESS_MAIN(TestRecordWriter)
#include "tst_recordwriter.moc"
