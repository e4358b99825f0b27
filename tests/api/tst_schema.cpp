// The schema part of the API (API.md "Tables and canonical routes", "Admin
// endpoints") through real HTTP against a real server, checked in the real
// SQLite file: system tables, every column type and flag, the four relation
// kinds with onDelete, junction tables, unique and index flags as SQLite
// indexes, the preview + schemaConfirmHash flow, every kind of change applied
// without losing kept data, refused definitions and changes that leave
// nothing behind, and a schema that survives a restart.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QtTest>

#include <sqlite3.h>

#include <memory>

using namespace Hearth;

namespace {

const QStringList kSystemTables{"hearth_table",     "hearth_column",           "hearth_relation",
                                "hearth_route",     "hearth_setting",          "hearth_role",
                                "hearth_user",      "hearth_session",          "hearth_spent_token",
                                "hearth_api_token", "hearth_route_permission", "hearth_field_permission",
                                "hearth_pre_hook",  "hearth_post_hook",        "hearth_route_handler"};

// Raw strings in this file write an escaped quote inside JSON text as @Q and an apostrophe as @A:
// moc (Qt 6.4) misreads both (and parentheses) inside raw string literals.
QString expand(QString json)
{
    return json.replace(QStringLiteral("@Q"), QStringLiteral("\\\""))
        .replace(QStringLiteral("@A"), QStringLiteral("'"));
}

QJsonObject parseObject(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(expand(json).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("bad JSON in test: %s", qPrintable(json));
    return doc.object();
}

QJsonValue parseValue(const QString &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson('[' + json.toUtf8() + ']');
    if (!doc.isArray() || doc.array().size() != 1)
        qFatal("bad JSON value in test: %s", qPrintable(json));
    return doc.array().first();
}

QByteArray idText(const QJsonValue &id)
{
    return id.isString() ? id.toString().toUtf8() : QByteArray::number(id.toInteger());
}

QStringList namesOf(const QJsonArray &rows, const char *key = "name")
{
    QStringList names;
    for (const QJsonValue &row : rows)
        names << row.toObject().value(QLatin1StringView(key)).toString();
    return names;
}

// The rows without one field.
QJsonArray without(const QJsonArray &rows, const char *key)
{
    QJsonArray out;
    for (const QJsonValue &row : rows) {
        QJsonObject o = row.toObject();
        o.remove(QLatin1StringView(key));
        out.append(o);
    }
    return out;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList strings(const QJsonValue &array)
{
    QStringList out;
    for (const QJsonValue &t : array.toArray())
        out << t.toString();
    return out;
}

QString joined(const QJsonArray &texts)
{
    QStringList out;
    for (const QJsonValue &t : texts)
        out << t.toString();
    return out.join(u" | ");
}

// A read-only look into the server's SQLite file: what really exists, beyond
// what the API answers. Every call opens its own connection, so it never
// holds a read snapshot while the server writes.
class SqliteProbe
{
public:
    void setPath(const QString &path) { m_path = path; }

    // Every row of a query, each value as text ("NULL" for NULL).
    QList<QStringList> rows(const QByteArray &sql, const QStringList &params = {}) const
    {
        QList<QStringList> out;
        sqlite3 *db = nullptr;
        if (sqlite3_open_v2(m_path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            qWarning("cannot open %s: %s", qPrintable(m_path), db ? sqlite3_errmsg(db) : "?");
            sqlite3_close_v2(db);
            return out;
        }
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &stmt, nullptr) != SQLITE_OK) {
            qWarning("cannot prepare %s: %s", sql.constData(), sqlite3_errmsg(db));
            sqlite3_close_v2(db);
            return out;
        }
        for (qsizetype i = 0; i < params.size(); ++i)
            sqlite3_bind_text(stmt, int(i + 1), params[i].toUtf8().constData(), -1, SQLITE_TRANSIENT);
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            QStringList row;
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL)
                    row << QStringLiteral("NULL");
                else
                    row << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, c)));
            }
            out << row;
        }
        if (rc != SQLITE_DONE)
            qWarning("query %s failed: %s", sql.constData(), sqlite3_errmsg(db));
        sqlite3_finalize(stmt);
        sqlite3_close_v2(db);
        return out;
    }

    QString value(const QByteArray &sql, const QStringList &params = {}) const
    {
        const QList<QStringList> r = rows(sql, params);
        return r.isEmpty() || r.first().isEmpty() ? QString() : r.first().first();
    }

    QStringList tables() const
    {
        QStringList names;
        for (const QStringList &row :
             rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
                  "'\\' ORDER BY name"))
            names << row.first();
        return names;
    }

    bool hasTable(const QString &name) const
    {
        return value("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", {name}) == u"1";
    }

    // Column name -> "TYPE notnull=N default=D pk=P", from PRAGMA table_info.
    QMap<QString, QString> columns(const QString &table) const
    {
        QMap<QString, QString> out;
        for (const QStringList &row :
             rows("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", {table}))
            out.insert(row[0],
                       QStringLiteral("%1 notnull=%2 default=%3 pk=%4").arg(row[1], row[2], row[3], row[4]));
        return out;
    }

    QStringList columnNames(const QString &table) const
    {
        QStringList names;
        for (const QStringList &row : rows("SELECT name FROM pragma_table_info(?) ORDER BY cid", {table}))
            names << row.first();
        return names;
    }

    // Index name -> "unique=U columns", for the indexes made by CREATE INDEX.
    QMap<QString, QString> indexes(const QString &table) const
    {
        QMap<QString, QString> out;
        for (const QStringList &row : rows("SELECT il.name, il.\"unique\", (SELECT group_concat(ii.name) "
                                           "FROM pragma_index_info(il.name) "
                                           "ii) FROM pragma_index_list(?) il WHERE il.origin = 'c'",
                                           {table}))
            out.insert(row[0], QStringLiteral("unique=%1 %2").arg(row[1], row[2]));
        return out;
    }

    // "from -> table(to) ON DELETE action", from PRAGMA foreign_key_list.
    QStringList foreignKeys(const QString &table) const
    {
        QStringList out;
        for (const QStringList &row : rows("SELECT \"from\", \"table\", \"to\", on_delete FROM "
                                           "pragma_foreign_key_list(?) ORDER BY \"from\"",
                                           {table}))
            out << QStringLiteral("%1 -> %2(%3) ON DELETE %4").arg(row[0], row[1], row[2], row[3]);
        return out;
    }

    int count(const QString &table) const
    {
        return value("SELECT count(*) FROM \"" + table.toUtf8() + '"').toInt();
    }

    // Every row of a table in rowid (or key) order, as text.
    QString dump(const QString &table) const
    {
        QStringList lines;
        for (const QStringList &row : rows("SELECT * FROM \"" + table.toUtf8() + "\" ORDER BY 1"))
            lines << row.join(u'|');
        return lines.join(u'\n');
    }

    // The whole schema and all metadata: what a refused change must leave as it was.
    QString schemaDump() const
    {
        QStringList parts;
        for (const QStringList &row :
             rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"))
            parts << row.join(u'|');
        for (const QString &t : kSystemTables)
            parts << t + u':' + dump(t);
        return parts.join(u'\n');
    }

private:
    QString m_path;
};

// A row of /hearth_table, with its nested columns and relations.
struct TableRow
{
    QJsonObject row;

    bool isValid() const { return !row.isEmpty(); }
    qint64 id() const { return row.value(QLatin1StringView("id")).toInteger(); }
    QString name() const { return row.value(QLatin1StringView("name")).toString(); }
    QJsonObject column(QStringView name) const
    {
        for (const QJsonValue &c : row.value(QLatin1StringView("columns")).toArray())
            if (c.toObject().value(QLatin1StringView("name")).toString() == name)
                return c.toObject();
        return {};
    }
    qint64 columnId(QStringView name) const
    {
        return column(name).value(QLatin1StringView("id")).toInteger();
    }
    QJsonObject relation(QStringView property) const
    {
        for (const QJsonValue &r : row.value(QLatin1StringView("relations")).toArray())
            if (r.toObject().value(QLatin1StringView("propertyName")).toString() == property)
                return r.toObject();
        return {};
    }
    qint64 relationId(QStringView property) const
    {
        return relation(property).value(QLatin1StringView("id")).toInteger();
    }
};

} // namespace

class TestSchema : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_client;
    SqliteProbe m_db;
    int m_serial = 0;

    TestHttpClient &http() { return *m_client; }

    // A table name no other test uses.
    QString fresh(const char *base) { return QString::fromLatin1(base) + QString::number(++m_serial); }

    TableRow createTable(const QString &json)
    {
        const HttpReply r = http().post("/hearth_table", expand(json).toUtf8());
        if (r.status != 201 || r.data().size() != 1) {
            qWarning("creating a table failed: %s", qPrintable(r.describe()));
            return {};
        }
        return {r.data().first().toObject()};
    }

    TableRow tableRow(qint64 id)
    {
        const HttpReply r = http().get("/hearth_table/" + QByteArray::number(id));
        return {r.status == 200 && r.data().size() == 1 ? r.data().first().toObject() : QJsonObject()};
    }

    QStringList tableNames()
    {
        const HttpReply r = http().get("/hearth_table?limit=0&fields=name");
        return r.status == 200 ? sorted(namesOf(r.data())) : QStringList{QStringLiteral("<error>")};
    }

    QByteArray tablePath(qint64 id, const QString &hash = {})
    {
        QByteArray path = "/hearth_table/" + QByteArray::number(id);
        if (!hash.isEmpty())
            path += "?schemaConfirmHash=" + hash.toUtf8();
        return path;
    }

    // PATCH (with json) or DELETE /hearth_table/:id without a hash: the preview, or {} after a warning.
    QJsonObject preview(const QByteArray &method, qint64 id, const QString &json = {})
    {
        const HttpReply r =
            http().request(method, tablePath(id), json.toUtf8(), {{"Content-Type", "application/json"}});
        const QJsonObject p = r.data().first().toObject();
        if (r.status != 200 || r.data().size() != 1 || p.value(QLatin1StringView("_preview")) != true) {
            qWarning("no preview: %s", qPrintable(r.describe()));
            return {};
        }
        return p;
    }

    HttpReply confirm(const QByteArray &method, qint64 id, const QString &json, const QString &hash)
    {
        return http().request(method, tablePath(id, hash), json.toUtf8(),
                              {{"Content-Type", "application/json"}});
    }

    // The whole flow: preview, then repeat with the hash the preview asked for.
    HttpReply change(qint64 id, const QString &json)
    {
        const HttpReply first = http().patch(tablePath(id), json.toUtf8());
        if (first.status != 200)
            return first;
        const QString hash = first.data().first()[QLatin1StringView("requiredConfirmHash")].toString();
        return confirm("PATCH", id, json, hash);
    }

    HttpReply dropTable(qint64 id)
    {
        const HttpReply first = http().del(tablePath(id));
        if (first.status != 200)
            return first;
        return confirm("DELETE", id, {},
                       first.data().first()[QLatin1StringView("requiredConfirmHash")].toString());
    }

    // POST /<table>: the new row's id, or undefined after a warning.
    QJsonValue insert(const QString &table, const QString &json)
    {
        const HttpReply r = http().post("/" + table.toUtf8(), json.toUtf8());
        if (r.status != 201 || r.data().size() != 1) {
            qWarning("insert into %s failed: %s", qPrintable(table), qPrintable(r.describe()));
            return QJsonValue::Undefined;
        }
        return r.data().first()[QLatin1StringView("id")];
    }

    QJsonObject row(const QString &table, const QJsonValue &id, const QByteArray &query = {})
    {
        const HttpReply r =
            http().get("/" + table.toUtf8() + '/' + idText(id) + (query.isEmpty() ? "" : "?" + query));
        return r.status == 200 && r.data().size() == 1 ? r.data().first().toObject() : QJsonObject();
    }

    QJsonArray list(const QString &table, const QByteArray &query = {})
    {
        const HttpReply r =
            http().get("/" + table.toUtf8() + "?limit=0&sort=id" + (query.isEmpty() ? "" : "&" + query));
        return r.status == 200 ? r.data() : QJsonArray{QStringLiteral("<error %1>").arg(r.status)};
    }

    // A simple table with rows, for the change tests: title varchar, score int, note text.
    TableRow notes(const char *base, int rows)
    {
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","columns":[
            {"name":"title","type":"varchar","length":100},
            {"name":"score","type":"int"},
            {"name":"note","type":"text"}]})")
                                           .arg(fresh(base)));
        for (int i = 1; i <= rows && t.isValid(); ++i)
            insert(t.name(), QStringLiteral(R"({"title":"t%1","score":%1,"note":"n%1"})").arg(i));
        return t;
    }

    // The column list of a notes() table as JSON entries, with ids: what a PATCH keeps.
    QString notesColumns(const TableRow &t)
    {
        return QStringLiteral(R"({"id":%1,"name":"title","type":"varchar","length":100},
            {"id":%2,"name":"score","type":"int"},{"id":%3,"name":"note","type":"text"})")
            .arg(t.columnId(u"title"))
            .arg(t.columnId(u"score"))
            .arg(t.columnId(u"note"));
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_client = m_server->adminClient();
        m_db.setPath(m_server->dataDir() + QStringLiteral("/data.db"));
        // A target for relations in the refused definitions (their names are fixed at _data() time).
        QVERIFY(createTable(
                    QStringLiteral(R"({"name":"fixture_target","columns":[{"name":"label","type":"varchar"},
            {"name":"holderid","type":"int"},{"name":"keeperId","type":"int"}]})"))
                    .isValid());
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_server.reset();
    }

    // --- system tables ------------------------------------------------------------

    void systemTablesCreatedOnFirstStart()
    {
        for (const QString &name : kSystemTables)
            QVERIFY2(m_db.hasTable(name), qPrintable(name));
        QCOMPARE(
            m_db.value("SELECT group_concat(name) FROM (SELECT name FROM hearth_table WHERE isSystem = 1 "
                       "ORDER BY name)"),
            sorted(kSystemTables).join(u','));
        QCOMPARE(m_db.columnNames(QStringLiteral("hearth_table")),
                 QStringList(
                     {"id", "name", "description", "primaryKeyType", "isSystem", "createdAt", "updatedAt"}));
        QCOMPARE(m_db.indexes(QStringLiteral("hearth_table")).value(QStringLiteral("uq_hearth_table_name")),
                 QStringLiteral("unique=1 name"));
        QCOMPARE(m_db.foreignKeys(QStringLiteral("hearth_column")),
                 QStringList{"tableId -> hearth_table(id) ON DELETE CASCADE"});
        QCOMPARE(m_db.foreignKeys(QStringLiteral("hearth_relation")),
                 QStringList({"sourceTableId -> hearth_table(id) ON DELETE CASCADE",
                              "targetTableId -> hearth_table(id) ON DELETE RESTRICT"}));
        QVERIFY(m_db.columnNames(QStringLiteral("hearth_column")).contains(u"defaultValue"));
        QVERIFY(m_db.columnNames(QStringLiteral("hearth_relation")).contains(u"onDelete"));
        QVERIFY(m_db.columnNames(QStringLiteral("hearth_route")).contains(u"path"));
        QVERIFY(m_db.columnNames(QStringLiteral("hearth_setting")).contains(u"key"));

        // Each is served at its route and listed as a system table.
        HttpReply r = http().get("/hearth_table?limit=0&filter[isSystem][_eq]=true");
        CHECK_STATUS(r, 200);
        QCOMPARE(sorted(namesOf(r.data())), sorted(kSystemTables));
        for (const QString &name : kSystemTables) {
            r = http().get('/' + name.toUtf8());
            CHECK_STATUS(r, 200);
        }
        r = http().get("/hearth_route?limit=0&filter[isSystem][_eq]=true");
        QStringList paths;
        for (const QString &name : kSystemTables)
            paths << u'/' + name;
        // The built-in sign-in routes have rows too, so hooks can be attached to them.
        paths << QStringLiteral("/auth/login") << QStringLiteral("/auth/refresh-token")
              << QStringLiteral("/auth/logout");
        QCOMPARE(sorted(namesOf(r.data(), "path")), sorted(paths));
        r = http().get("/hearth_setting?filter[key][_eq]=schemaRevision");
        QCOMPARE(r.data().size(), 1);
        QCOMPARE(r.data().first()["isSystem"], QJsonValue(true));
    }

    // --- column types and flags -----------------------------------------------------

    void everyColumnTypeStoredAndReturned()
    {
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","description":"all types","columns":[
            {"name":"i","type":"int"},
            {"name":"bi","type":"bigint"},
            {"name":"f","type":"float"},
            {"name":"v","type":"varchar","length":10},
            {"name":"t","type":"text"},
            {"name":"b","type":"boolean"},
            {"name":"u","type":"uuid"},
            {"name":"d","type":"date"},
            {"name":"dt","type":"datetime"},
            {"name":"ts","type":"timestamp"},
            {"name":"e","type":"enum","options":["news","blog"]},
            {"name":"j","type":"simple-json"},
            {"name":"a","type":"array-select","options":["red","green","blue"]},
            {"name":"r","type":"richtext"},
            {"name":"c","type":"code"}]})")
                                           .arg(fresh("types")));
        QVERIFY(t.isValid());
        QCOMPARE(t.row["description"], QJsonValue("all types"));
        QCOMPARE(t.row["primaryKeyType"], QJsonValue("int"));
        QCOMPARE(t.row["isSystem"], QJsonValue(false));
        const QStringList typeNames{"int",     "bigint",      "float",        "varchar",  "text",
                                    "boolean", "uuid",        "date",         "datetime", "timestamp",
                                    "enum",    "simple-json", "array-select", "richtext", "code"};
        const QJsonArray columns = t.row["columns"].toArray();
        QCOMPARE(columns.size(), typeNames.size());
        for (qsizetype i = 0; i < columns.size(); ++i)
            QCOMPARE(columns[i]["type"].toString(), typeNames[i]);
        QCOMPARE(t.column(u"e")["options"], parseValue(R"(["news","blog"])"));
        QCOMPARE(t.column(u"a")["options"], parseValue(R"(["red","green","blue"])"));
        QCOMPARE(t.column(u"v")["length"], QJsonValue(10));

        // Storage classes in SQLite, plus the columns every table has.
        const QMap<QString, QString> storage = m_db.columns(t.name());
        QCOMPARE(storage.value("id"), QStringLiteral("INTEGER notnull=0 default=NULL pk=1"));
        for (const char *name : {"i", "bi", "b"})
            QCOMPARE(storage.value(name), QStringLiteral("INTEGER notnull=0 default=NULL pk=0"));
        QCOMPARE(storage.value("f"), QStringLiteral("REAL notnull=0 default=NULL pk=0"));
        for (const char *name : {"v", "t", "u", "d", "dt", "ts", "e", "j", "a", "r", "c"})
            QCOMPARE(storage.value(name), QStringLiteral("TEXT notnull=0 default=NULL pk=0"));
        QVERIFY(storage.value("createdAt").startsWith(u"TEXT notnull=1"));
        QVERIFY(storage.value("updatedAt").startsWith(u"TEXT notnull=1"));

        const QJsonObject values = parseObject(QStringLiteral(R"({"i":-42,"bi":9007199254740991,"f":2.5,
            "v":"héllo","t":"long text","b":true,"u":"123E4567-E89B-12D3-A456-426614174000",
            "d":"2024-02-29","dt":"2024-02-29T10:20:30+02:00","ts":"2024-02-29T10:20:30.5Z","e":"blog",
            "j":{"a":[1,{"b":null}],"s":"x"},"a":["red","blue"],"r":"<p>Hi</p>","c":"return 1;"})"));
        const QJsonValue id = insert(t.name(), QString::fromUtf8(QJsonDocument(values).toJson()));
        QVERIFY(!id.isUndefined());
        QJsonObject expected = values;
        expected["u"] = "123e4567-e89b-12d3-a456-426614174000";
        expected["dt"] = "2024-02-29T08:20:30.000Z";
        expected["ts"] = "2024-02-29T10:20:30.500Z";
        const QJsonObject stored = row(t.name(), id);
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QVERIFY2(
                stored.value(it.key()) == it.value(),
                qPrintable(it.key() + QStringLiteral(": ") +
                           QString::fromUtf8(QJsonDocument(QJsonArray{stored.value(it.key())}).toJson())));
        QCOMPARE(m_db.value("SELECT typeof(i) || typeof(bi) || typeof(f) || typeof(b) || typeof(j) FROM \"" +
                            t.name().toUtf8() + '"'),
                 QStringLiteral("integerintegerrealintegertext"));

        // A value of the wrong kind for each type is refused, and nothing is stored.
        const QList<std::pair<const char *, const char *>> bad{{"i", "\"x\""},
                                                               {"i", "1.5"},
                                                               {"bi", "true"},
                                                               {"f", "\"1.5\""},
                                                               {"v", "12"},
                                                               {"v", "\"elevenchars\""},
                                                               {"t", "5"},
                                                               {"b", "\"yes\""},
                                                               {"u", "\"nope\""},
                                                               {"d", "\"2023-02-29\""},
                                                               {"dt", "\"yesterday\""},
                                                               {"ts", "3"},
                                                               {"e", "\"other\""},
                                                               {"a", "[\"purple\"]"},
                                                               {"a", "\"red\""},
                                                               {"r", "[]"},
                                                               {"c", "{}"}};
        for (const auto &[field, value] : bad) {
            const HttpReply r =
                http().post('/' + t.name().toUtf8(), "{\"" + QByteArray(field) + "\":" + value + '}');
            QVERIFY2(r.status == 400, qPrintable(QString::fromLatin1(field) + u' ' + r.describe()));
            QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
            QVERIFY2(r.message().contains(QLatin1StringView(field)), qPrintable(r.message()));
        }
        QCOMPARE(m_db.count(t.name()), 1);
    }

    void defaultValueForEveryType()
    {
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","columns":[
            {"name":"i","type":"int","defaultValue":7},
            {"name":"bi","type":"bigint","defaultValue":-3},
            {"name":"f","type":"float","defaultValue":1.25},
            {"name":"v","type":"varchar","defaultValue":"it@As"},
            {"name":"t","type":"text","defaultValue":"txt"},
            {"name":"b","type":"boolean","defaultValue":true},
            {"name":"u","type":"uuid","defaultValue":"00000000-0000-4000-8000-00000000000A"},
            {"name":"d","type":"date","defaultValue":"2020-01-31"},
            {"name":"dt","type":"datetime","defaultValue":"2020-01-31T01:00:00+01:00"},
            {"name":"ts","type":"timestamp","defaultValue":"2020-01-31 10:00"},
            {"name":"e","type":"enum","options":["x","y"],"defaultValue":"y"},
            {"name":"j","type":"simple-json","defaultValue":{"k":[1,2]}},
            {"name":"a","type":"array-select","options":["r","g"],"defaultValue":["g"]},
            {"name":"r","type":"richtext","defaultValue":"<b>x</b>"},
            {"name":"c","type":"code","defaultValue":"x = 1"},
            {"name":"n","type":"int","isNullable":false,"defaultValue":0}]})")
                                           .arg(fresh("defaults")));
        QVERIFY(t.isValid());
        QCOMPARE(t.column(u"j")["defaultValue"], parseValue(R"({"k":[1,2]})"));
        QCOMPARE(t.column(u"n")["defaultValue"], QJsonValue(0));
        const QJsonObject expected =
            parseObject(QStringLiteral(R"({"i":7,"bi":-3,"f":1.25,"v":"it@As","t":"txt",
            "b":true,"u":"00000000-0000-4000-8000-00000000000a","d":"2020-01-31","dt":"2020-01-31T00:00:00.000Z",
            "ts":"2020-01-31T10:00:00.000Z","e":"y","j":{"k":[1,2]},"a":["g"],"r":"<b>x</b>","c":"x = 1","n":0})"));

        // Through the API, and as SQLite column defaults (a row written without the API).
        const QJsonValue id = insert(t.name(), QStringLiteral("{}"));
        QVERIFY(!id.isUndefined());
        const QJsonObject stored = row(t.name(), id);
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QVERIFY2(stored.value(it.key()) == it.value(), qPrintable(it.key()));
        const QMap<QString, QString> storage = m_db.columns(t.name());
        QCOMPARE(storage.value("i"), QStringLiteral("INTEGER notnull=0 default=7 pk=0"));
        QCOMPARE(storage.value("v"), QStringLiteral("TEXT notnull=0 default='it''s' pk=0"));
        QCOMPARE(storage.value("u"),
                 QStringLiteral("TEXT notnull=0 default='00000000-0000-4000-8000-00000000000a' pk=0"));
        QCOMPARE(storage.value("dt"),
                 QStringLiteral("TEXT notnull=0 default='2020-01-31T00:00:00.000Z' pk=0"));
        QCOMPARE(storage.value("n"), QStringLiteral("INTEGER notnull=1 default=0 pk=0"));
    }

    void columnFlagsStoredAndEnforced()
    {
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","columns":[
            {"name":"req","type":"varchar","isNullable":false,"description":"required"},
            {"name":"fixed","type":"int","isUpdatable":false},
            {"name":"hidden","type":"text","isPublished":false},
            {"name":"code","type":"varchar","length":20,"isUnique":true},
            {"name":"rank","type":"int","isIndexed":true},
            {"name":"status","type":"enum","options":["draft","live"],"defaultValue":"draft","isNullable":false},
            {"name":"short","type":"varchar","length":5}]})")
                                           .arg(fresh("flags")));
        QVERIFY(t.isValid());

        // The metadata row says what was asked for.
        const QJsonObject req = t.column(u"req");
        QCOMPARE(req["isNullable"], QJsonValue(false));
        QCOMPARE(req["isUpdatable"], QJsonValue(true));
        QCOMPARE(req["isPublished"], QJsonValue(true));
        QCOMPARE(req["isUnique"], QJsonValue(false));
        QCOMPARE(req["isIndexed"], QJsonValue(false));
        QCOMPARE(req["description"], QJsonValue("required"));
        QCOMPARE(t.column(u"fixed")["isUpdatable"], QJsonValue(false));
        QCOMPARE(t.column(u"hidden")["isPublished"], QJsonValue(false));
        QCOMPARE(t.column(u"code")["isUnique"], QJsonValue(true));
        QCOMPARE(t.column(u"code")["length"], QJsonValue(20));
        QCOMPARE(t.column(u"rank")["isIndexed"], QJsonValue(true));
        QCOMPARE(t.column(u"status")["defaultValue"], QJsonValue("draft"));
        QCOMPARE(t.column(u"status")["options"], parseValue(R"(["draft","live"])"));

        // SQLite has the constraints.
        const QString name = t.name();
        const QMap<QString, QString> storage = m_db.columns(name);
        QCOMPARE(storage.value("req"), QStringLiteral("TEXT notnull=1 default=NULL pk=0"));
        QCOMPARE(storage.value("status"), QStringLiteral("TEXT notnull=1 default='draft' pk=0"));
        const QMap<QString, QString> indexes = m_db.indexes(name);
        QCOMPARE(indexes.value(QStringLiteral("uq_%1_code").arg(name)), QStringLiteral("unique=1 code"));
        QCOMPARE(indexes.value(QStringLiteral("ix_%1_rank").arg(name)), QStringLiteral("unique=0 rank"));
        QCOMPARE(indexes.size(), 2);

        // And the API enforces them.
        HttpReply r = http().post('/' + name.toUtf8(), R"({"fixed":1})");
        CHECK_STATUS(r, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
        QVERIFY2(r.message().contains(u"req"), qPrintable(r.message()));
        const QJsonValue a =
            insert(name, QStringLiteral(R"({"req":"a","fixed":1,"hidden":"h","code":"A","rank":3})"));
        QVERIFY(!a.isUndefined());
        QCOMPARE(row(name, a)["status"], QJsonValue("draft"));
        r = http().patch('/' + name.toUtf8() + '/' + idText(a), R"({"fixed":2,"req":"b","status":"live"})");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().first()["fixed"], QJsonValue(1));
        QCOMPARE(r.data().first()["req"], QJsonValue("b"));
        QCOMPARE(r.data().first()["status"], QJsonValue("live"));
        r = http().post('/' + name.toUtf8(), R"({"req":"c","code":"A"})");
        CHECK_STATUS(r, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
        QVERIFY2(r.message().contains(u"code"), qPrintable(r.message()));
        QVERIFY(!insert(name, QStringLiteral(R"({"req":"d"})")).isUndefined()); // NULLs never collide
        QVERIFY(!insert(name, QStringLiteral(R"({"req":"e"})")).isUndefined());
        r = http().post('/' + name.toUtf8(), R"({"req":"f","status":"gone"})");
        CHECK_STATUS(r, 400);
        r = http().post('/' + name.toUtf8(), R"({"req":"g","short":"abcdef"})");
        CHECK_STATUS(r, 400);
        QVERIFY(!insert(name, QStringLiteral(R"({"req":"h","short":"abcde"})")).isUndefined());
        QCOMPARE(m_db.count(name), 4);
    }

    // uq_<table>_<column> of table "a" + column "b_c" and of table "a_b" + column "c" are the same
    // text: both columns must still get their own unique index.
    void uniqueIndexesOfSimilarNamesDoNotCollide()
    {
        const QString base = fresh("nm");
        const TableRow first =
            createTable(QStringLiteral(R"({"name":"%1_x","columns":[{"name":"y","type":"int","isUnique":true},
                {"name":"z","type":"int","isIndexed":true}]})")
                            .arg(base));
        QVERIFY(first.isValid());
        const TableRow second =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"x_y","type":"int","isUnique":true},
                {"name":"x_z","type":"int","isIndexed":true}]})")
                            .arg(base));
        QVERIFY(second.isValid());
        for (const TableRow &t : {first, second}) {
            const QString column = t.name() == base ? QStringLiteral("x_y") : QStringLiteral("y");
            const QMap<QString, QString> indexes = m_db.indexes(t.name());
            QCOMPARE(sorted(indexes.values()),
                     sorted({QStringLiteral("unique=1 ") + column,
                             QStringLiteral("unique=0 ") + (t.name() == base ? "x_z" : "z")}));
            QVERIFY(!insert(t.name(), QStringLiteral(R"({"%1":1})").arg(column)).isUndefined());
            const HttpReply r =
                http().post('/' + t.name().toUtf8(), QStringLiteral(R"({"%1":1})").arg(column).toUtf8());
            QVERIFY2(r.status == 409, qPrintable(t.name() + u' ' + r.describe()));
        }
        // Changing the flags of one leaves the other's index alone.
        HttpReply r = change(first.id(), QStringLiteral(R"({"columns":[{"id":%1,"name":"y","type":"int"},
            {"id":%2,"name":"z","type":"int"}]})")
                                             .arg(first.columnId(u"y"))
                                             .arg(first.columnId(u"z")));
        CHECK_STATUS(r, 200);
        QCOMPARE(m_db.indexes(first.name()).size(), 0);
        QCOMPARE(m_db.indexes(second.name()).size(), 2);
        r = http().post('/' + second.name().toUtf8(), R"({"x_y":1})");
        CHECK_STATUS(r, 409);
    }

    // --- relations ----------------------------------------------------------------------

    // Each kind that stores a key (on the child: ownerId), with each onDelete, checked in SQLite and
    // by deleting a parent through the API.
    void relationOnDelete_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("onDelete");
        for (const char *kind : {"many-to-one", "one-to-one", "one-to-many"})
            for (const char *onDelete : {"CASCADE", "RESTRICT", "SET NULL"})
                QTest::addRow("%s %s", kind, onDelete)
                    << QString::fromLatin1(kind) << QString::fromLatin1(onDelete);
    }

    void relationOnDelete()
    {
        QFETCH(QString, kind);
        QFETCH(QString, onDelete);
        const bool nullable = onDelete == u"SET NULL";
        const bool oneToOne = kind == u"one-to-one";
        const QString flags = QStringLiteral(R"("onDelete":"%1","isNullable":%2)")
                                  .arg(onDelete, nullable ? QStringLiteral("true") : QStringLiteral("false"));
        const QString parentName = fresh("parent");
        const QString childName = fresh("child");
        TableRow parent, child, defining;
        if (kind == u"one-to-many") { // defined on the parent, stored on the child
            child =
                createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"label","type":"varchar"}]})")
                                .arg(childName));
            parent = createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}],
                "relations":[{"propertyName":"items","type":"one-to-many","targetTable":"%2",
                              "inversePropertyName":"owner",%3}]})")
                                     .arg(parentName, childName, flags));
            defining = parent;
        } else {
            parent =
                createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}]})")
                                .arg(parentName));
            child = createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"label","type":"varchar"}],
                "relations":[{"propertyName":"owner","type":"%2","targetTable":"%3","inversePropertyName":"items",%4}]})")
                                    .arg(childName, kind, parentName, flags));
            defining = child;
        }
        QVERIFY(parent.isValid() && child.isValid());
        const QJsonObject relation = defining.relation(kind == u"one-to-many" ? u"items" : u"owner");
        QCOMPARE(relation["type"], QJsonValue(kind));
        QCOMPARE(relation["onDelete"], QJsonValue(onDelete));
        QCOMPARE(relation["isNullable"], QJsonValue(nullable));
        QCOMPARE(relation["targetTable"],
                 QJsonValue(QJsonObject{{"id", kind == u"one-to-many" ? child.id() : parent.id()}}));

        // Stored as ownerId on the child: a real, indexed foreign key with the onDelete action.
        QCOMPARE(m_db.columns(childName).value("ownerId"),
                 QStringLiteral("INTEGER notnull=%1 default=NULL pk=0").arg(nullable ? 0 : 1));
        QCOMPARE(m_db.foreignKeys(childName),
                 QStringList{QStringLiteral("ownerId -> %1(id) ON DELETE %2").arg(parentName, onDelete)});
        QCOMPARE(m_db.indexes(childName).value(
                     QStringLiteral("%1_%2_ownerId").arg(oneToOne ? "uq" : "ix", childName)),
                 QStringLiteral("unique=%1 ownerId").arg(oneToOne ? 1 : 0));
        QCOMPARE(m_db.columnNames(parentName), QStringList({"id", "name", "createdAt", "updatedAt"}));

        const qint64 p1 = insert(parentName, QStringLiteral(R"({"name":"p1"})")).toInteger();
        const qint64 p2 = insert(parentName, QStringLiteral(R"({"name":"p2"})")).toInteger();
        const QString item = QStringLiteral(R"({"label":"%1","owner":%2})");
        QStringList labels{"c1", "c3"};
        QVERIFY(!insert(childName, item.arg("c1").arg(p1)).isUndefined());
        if (oneToOne) { // one child per parent
            const HttpReply r = http().post('/' + childName.toUtf8(), item.arg("c2").arg(p1).toUtf8());
            CHECK_STATUS(r, 409);
        } else {
            QVERIFY(!insert(childName, item.arg("c2").arg(p1)).isUndefined());
            labels.insert(1, QStringLiteral("c2"));
        }
        QVERIFY(!insert(childName, item.arg("c3").arg(p2)).isUndefined());
        const QJsonValue items = row(parentName, p1, "fields=*,items.*")["items"];
        if (oneToOne)
            QCOMPARE(items["label"], QJsonValue("c1"));
        else
            QCOMPARE(namesOf(items.toArray(), "label"), QStringList({"c1", "c2"}));
        if (!nullable) {
            const HttpReply r = http().post('/' + childName.toUtf8(), R"({"label":"orphan"})");
            CHECK_STATUS(r, 400);
        }

        const HttpReply r = http().del('/' + parentName.toUtf8() + '/' + QByteArray::number(p1));
        const QJsonArray children = list(childName);
        if (onDelete == u"CASCADE") {
            CHECK_STATUS(r, 200);
            QCOMPARE(namesOf(children, "label"), QStringList{"c3"});
        } else if (onDelete == u"RESTRICT") {
            CHECK_STATUS(r, 409);
            QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
            QCOMPARE(namesOf(children, "label"), labels);
            QCOMPARE(children[0]["owner"], QJsonValue(QJsonObject{{"id", p1}}));
        } else {
            CHECK_STATUS(r, 200);
            QCOMPARE(namesOf(children, "label"), labels);
            for (qsizetype i = 0; i + 1 < children.size(); ++i)
                QCOMPARE(children[i]["owner"], QJsonValue(QJsonValue::Null));
            QCOMPARE(children.last()["owner"], QJsonValue(QJsonObject{{"id", p2}}));
        }
        QCOMPARE(namesOf(list(parentName)),
                 onDelete == u"RESTRICT" ? QStringList({"p1", "p2"}) : QStringList{"p2"});
    }

    void oneToOneIsAUniqueForeignKey()
    {
        const TableRow profile =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"bio","type":"text"}]})")
                            .arg(fresh("profile")));
        QVERIFY(profile.isValid());
        const TableRow account =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"login","type":"varchar"}],
            "relations":[{"propertyName":"profile","type":"one-to-one","targetTable":"%2",
                          "inversePropertyName":"account","onDelete":"CASCADE"}]})")
                            .arg(fresh("account"), profile.name()));
        QVERIFY(account.isValid());
        QCOMPARE(account.relation(u"profile")["type"], QJsonValue("one-to-one"));
        QCOMPARE(m_db.foreignKeys(account.name()),
                 QStringList{QStringLiteral("profileId -> %1(id) ON DELETE CASCADE").arg(profile.name())});
        QCOMPARE(m_db.indexes(account.name()).value(QStringLiteral("uq_%1_profileId").arg(account.name())),
                 QStringLiteral("unique=1 profileId"));

        const QJsonValue p1 = insert(profile.name(), QStringLiteral(R"({"bio":"b1"})"));
        const QJsonValue a1 =
            insert(account.name(), QStringLiteral(R"({"login":"a1","profile":%1})").arg(p1.toInteger()));
        QVERIFY(!a1.isUndefined());
        const HttpReply r =
            http().post('/' + account.name().toUtf8(),
                        QStringLiteral(R"({"login":"a2","profile":%1})").arg(p1.toInteger()).toUtf8());
        CHECK_STATUS(r, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
        QCOMPARE(row(profile.name(), p1)["account"].toObject()["id"], a1);
        QCOMPARE(row(account.name(), a1)["profile"].toObject()["id"], p1);

        CHECK_STATUS(http().del('/' + profile.name().toUtf8() + '/' + idText(p1)), 200);
        QCOMPARE(m_db.count(account.name()), 0);
    }

    void oneToManyStoresTheKeyOnTheTarget()
    {
        const TableRow member =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}]})")
                            .arg(fresh("member")));
        QVERIFY(member.isValid());
        const QJsonValue m0 = insert(member.name(), QStringLiteral(R"({"name":"m0"})"));
        QVERIFY(!m0.isUndefined());
        const TableRow team =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}],
            "relations":[{"propertyName":"members","type":"one-to-many","targetTable":{"id":%2},
                          "inversePropertyName":"team","onDelete":"CASCADE"}]})")
                            .arg(fresh("team"))
                            .arg(member.id()));
        QVERIFY(team.isValid());
        QCOMPARE(team.relation(u"members")["type"], QJsonValue("one-to-many"));
        QCOMPARE(team.relation(u"members")["targetTable"], QJsonValue(QJsonObject{{"id", member.id()}}));
        QCOMPARE(tableRow(member.id()).row["relations"].toArray().size(), 0); // the inverse is derived

        // The key lives on the target (teamId), the defining table has no column for it.
        QVERIFY(!m_db.columnNames(team.name()).contains(u"membersId"));
        QCOMPARE(m_db.columns(member.name()).value("teamId"),
                 QStringLiteral("INTEGER notnull=0 default=NULL pk=0"));
        QCOMPARE(m_db.foreignKeys(member.name()),
                 QStringList{QStringLiteral("teamId -> %1(id) ON DELETE CASCADE").arg(team.name())});
        QCOMPARE(row(member.name(), m0)["name"], QJsonValue("m0")); // the rebuilt target kept its row

        const QJsonValue t1 = insert(team.name(), QStringLiteral(R"({"name":"t1"})"));
        const QJsonValue m1 =
            insert(member.name(), QStringLiteral(R"({"name":"m1","team":%1})").arg(t1.toInteger()));
        const QJsonValue m2 =
            insert(member.name(), QStringLiteral(R"({"name":"m2","team":%1})").arg(t1.toInteger()));
        QCOMPARE(namesOf(row(team.name(), t1, "fields=*,members.*")["members"].toArray()),
                 QStringList({"m1", "m2"}));
        CHECK_STATUS(http().del('/' + team.name().toUtf8() + '/' + idText(t1)), 200);
        QCOMPARE(namesOf(list(member.name())), QStringList{"m0"});
        QVERIFY(row(member.name(), m1).isEmpty() && row(member.name(), m2).isEmpty());
    }

    void manyToManyUsesAJunctionTable()
    {
        const TableRow tag =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"label","type":"varchar"}]})")
                            .arg(fresh("tag")));
        QVERIFY(tag.isValid());
        const TableRow article =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"title","type":"varchar"}],
            "relations":[{"propertyName":"tags","type":"many-to-many","targetTable":"%2","inversePropertyName":"articles"}]})")
                            .arg(fresh("article"), tag.name()));
        QVERIFY(article.isValid());
        QCOMPARE(article.relation(u"tags")["type"], QJsonValue("many-to-many"));
        const QString junction = QStringLiteral("hearth_junction_%1").arg(article.relationId(u"tags"));
        QVERIFY2(m_db.hasTable(junction), qPrintable(m_db.tables().join(u',')));
        QCOMPARE(m_db.columns(junction).value("sourceId"),
                 QStringLiteral("INTEGER notnull=1 default=NULL pk=1"));
        QCOMPARE(m_db.columns(junction).value("targetId"),
                 QStringLiteral("INTEGER notnull=1 default=NULL pk=2"));
        QCOMPARE(m_db.foreignKeys(junction),
                 QStringList({QStringLiteral("sourceId -> %1(id) ON DELETE CASCADE").arg(article.name()),
                              QStringLiteral("targetId -> %1(id) ON DELETE CASCADE").arg(tag.name())}));
        QCOMPARE(m_db.columnNames(article.name()), QStringList({"id", "title", "createdAt", "updatedAt"}));
        QCOMPARE(m_db.columnNames(tag.name()), QStringList({"id", "label", "createdAt", "updatedAt"}));

        const QJsonValue t1 = insert(tag.name(), QStringLiteral(R"({"label":"t1"})"));
        const QJsonValue t2 = insert(tag.name(), QStringLiteral(R"({"label":"t2"})"));
        const QJsonValue a1 = insert(
            article.name(),
            QStringLiteral(R"({"title":"a1","tags":[%1,%2]})").arg(t1.toInteger()).arg(t2.toInteger()));
        const QJsonValue a2 = insert(
            article.name(), QStringLiteral(R"({"title":"a2","tags":[{"id":%1}]})").arg(t1.toInteger()));
        QVERIFY(!a1.isUndefined() && !a2.isUndefined());
        QCOMPARE(m_db.count(junction), 3);
        QCOMPARE(namesOf(row(tag.name(), t1, "fields=*,articles.*")["articles"].toArray(), "title"),
                 QStringList({"a1", "a2"}));

        // Deleting either side removes its links only.
        CHECK_STATUS(http().del('/' + tag.name().toUtf8() + '/' + idText(t1)), 200);
        QCOMPARE(namesOf(list(article.name()), "title"), QStringList({"a1", "a2"}));
        QCOMPARE(row(article.name(), a1)["tags"], QJsonValue(QJsonArray{QJsonObject{{"id", t2}}}));
        QCOMPARE(row(article.name(), a2)["tags"], QJsonValue(QJsonArray{}));
        QCOMPARE(m_db.count(junction), 1);
        CHECK_STATUS(http().del('/' + article.name().toUtf8() + '/' + idText(a1)), 200);
        QCOMPARE(m_db.count(junction), 0);
        QCOMPARE(namesOf(list(tag.name()), "label"), QStringList{"t2"});
    }

    void selfReferencingRelation()
    {
        const QString name = fresh("category");
        const TableRow category =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}],
            "relations":[{"propertyName":"parent","type":"many-to-one","targetTable":"%1",
                          "inversePropertyName":"children","onDelete":"CASCADE"},
                         {"propertyName":"related","type":"many-to-many","targetTable":"%1",
                          "inversePropertyName":"relatedBy"}]})")
                            .arg(name));
        QVERIFY(category.isValid());
        QCOMPARE(category.relation(u"parent")["targetTable"], QJsonValue(QJsonObject{{"id", category.id()}}));
        QCOMPARE(m_db.foreignKeys(name),
                 QStringList{QStringLiteral("parentId -> %1(id) ON DELETE CASCADE").arg(name)});

        const QJsonValue root = insert(name, QStringLiteral(R"({"name":"root"})"));
        const QJsonValue child =
            insert(name, QStringLiteral(R"({"name":"child","parent":%1})").arg(root.toInteger()));
        const QJsonValue grandchild =
            insert(name, QStringLiteral(R"({"name":"grandchild","parent":%1,"related":[%2]})")
                             .arg(child.toInteger())
                             .arg(root.toInteger()));
        const QJsonValue other =
            insert(name, QStringLiteral(R"({"name":"other","related":[%1]})").arg(grandchild.toInteger()));
        QVERIFY(!other.isUndefined());
        QCOMPARE(namesOf(row(name, root, "fields=*,children.*")["children"].toArray()), QStringList{"child"});
        QCOMPARE(row(name, grandchild)["parent"], QJsonValue(QJsonObject{{"id", child}}));
        QCOMPARE(namesOf(row(name, root, "fields=*,relatedBy.*")["relatedBy"].toArray()),
                 QStringList{"grandchild"});

        CHECK_STATUS(http().del('/' + name.toUtf8() + '/' + idText(root)), 200);
        QCOMPARE(namesOf(list(name)), QStringList{"other"});
        QCOMPARE(row(name, other)["related"], QJsonValue(QJsonArray{}));

        // Renamed (its relations point at itself under the new name), then dropped.
        const QJsonValue more = insert(
            name, QStringLiteral(R"({"name":"more","parent":%1,"related":[%1]})").arg(other.toInteger()));
        const QString renamed = fresh("renamedCategory");
        CHECK_STATUS(change(category.id(), QStringLiteral(R"({"name":"%1"})").arg(renamed)), 200);
        QCOMPARE(m_db.foreignKeys(renamed),
                 QStringList{QStringLiteral("parentId -> %1(id) ON DELETE CASCADE").arg(renamed)});
        QCOMPARE(row(renamed, more)["parent"], QJsonValue(QJsonObject{{"id", other}}));
        QCOMPARE(row(renamed, more)["related"], QJsonValue(QJsonArray{QJsonObject{{"id", other}}}));
        QCOMPARE(tableRow(category.id()).relation(u"parent")["targetTable"],
                 QJsonValue(QJsonObject{{"id", category.id()}}));
        CHECK_STATUS(dropTable(category.id()), 200);
        QVERIFY(!m_db.hasTable(renamed));
        QVERIFY(!m_db.hasTable(QStringLiteral("hearth_junction_%1").arg(category.relationId(u"related"))));
    }

    void uuidKeyedTableEndToEnd()
    {
        const TableRow device = createTable(QStringLiteral(R"({"name":"%1","primaryKeyType":"uuid",
            "columns":[{"name":"name","type":"varchar","isUnique":true}]})")
                                                .arg(fresh("device")));
        QVERIFY(device.isValid());
        QCOMPARE(device.row["primaryKeyType"], QJsonValue("uuid"));
        QVERIFY(m_db.columns(device.name()).value("id").startsWith(u"TEXT notnull=1"));
        QVERIFY(m_db.columns(device.name()).value("id").endsWith(u"pk=1"));
        const TableRow ping =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"at","type":"datetime"}],
            "relations":[{"propertyName":"device","type":"many-to-one","targetTable":"%2","inversePropertyName":"pings",
                          "onDelete":"CASCADE","isNullable":false}]})")
                            .arg(fresh("ping"), device.name()));
        QVERIFY(ping.isValid());
        const TableRow group =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}],
            "relations":[{"propertyName":"devices","type":"many-to-many","targetTable":"%2","inversePropertyName":"groups"}]})")
                            .arg(fresh("group"), device.name()));
        QVERIFY(group.isValid());
        QCOMPARE(m_db.columns(ping.name()).value("deviceId"),
                 QStringLiteral("TEXT notnull=1 default=NULL pk=0"));
        const QString junction = QStringLiteral("hearth_junction_%1").arg(group.relationId(u"devices"));
        QCOMPARE(m_db.columns(junction).value("sourceId"),
                 QStringLiteral("INTEGER notnull=1 default=NULL pk=1"));
        QCOMPARE(m_db.columns(junction).value("targetId"),
                 QStringLiteral("TEXT notnull=1 default=NULL pk=2"));

        const QJsonValue d1 = insert(device.name(), QStringLiteral(R"({"name":"d1"})"));
        const QJsonValue d2 = insert(device.name(), QStringLiteral(R"({"name":"d2"})"));
        static const QRegularExpression uuid(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
        QVERIFY2(uuid.match(d1.toString()).hasMatch(), qPrintable(d1.toString()));
        QVERIFY(d1 != d2);
        const QByteArray path = '/' + device.name().toUtf8() + '/';
        QCOMPARE(row(device.name(), d1)["name"], QJsonValue("d1"));
        CHECK_STATUS(http().get(path + "not-a-uuid"), 400);
        CHECK_STATUS(http().get(path + "00000000-0000-4000-8000-000000000000"), 404);
        HttpReply r = http().patch(path + idText(d1), R"({"name":"d1b"})");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().first()["name"], QJsonValue("d1b"));
        CHECK_STATUS(http().post('/' + device.name().toUtf8(), R"({"name":"d2"})"), 409);

        const QJsonValue p1 = insert(
            ping.name(), QStringLiteral(R"({"at":"2024-01-01T00:00:00Z","device":"%1"})").arg(d1.toString()));
        const QJsonValue g1 = insert(
            group.name(),
            QStringLiteral(R"({"name":"g1","devices":["%1","%2"]})").arg(d1.toString(), d2.toString()));
        QVERIFY(!p1.isUndefined() && !g1.isUndefined());
        const QJsonObject full = row(device.name(), d1, "fields=*,pings.*,groups.*");
        QCOMPARE(full["pings"].toArray().size(), 1);
        QCOMPARE(full["pings"][0]["id"], p1);
        QCOMPARE(namesOf(full["groups"].toArray()), QStringList{"g1"});

        r = http().del(path + idText(d1));
        CHECK_STATUS(r, 200);
        CHECK_STATUS(http().get(path + idText(d1)), 404);
        QVERIFY(row(ping.name(), p1).isEmpty()); // cascaded
        QCOMPARE(row(group.name(), g1)["devices"], QJsonValue(QJsonArray{QJsonObject{{"id", d2}}}));

        // Enfyra-style: listing the primary key as a uuid column picks the key type.
        const TableRow listed =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"id","type":"uuid"},
            {"name":"x","type":"int"}]})")
                            .arg(fresh("listed")));
        QVERIFY(listed.isValid());
        QCOMPARE(listed.row["primaryKeyType"], QJsonValue("uuid"));
        QVERIFY(uuid.match(insert(listed.name(), QStringLiteral(R"({"x":1})")).toString()).hasMatch());
    }

    // --- refused definitions ----------------------------------------------------------

    void invalidDefinitionsAreRefused_data()
    {
        QTest::addColumn<QString>("body"); // @T: a fresh table name, @Q: \"
        QTest::addColumn<QString>("message");
        const auto row = [](const char *tag, const char *body, const char *message) {
            QTest::newRow(tag) << QString::fromUtf8(body) << QString::fromUtf8(message);
        };
        row("unknown column type", R"({"name":"@T","columns":[{"name":"a","type":"string"}]})",
            "is not a column type");
        row("missing column type", R"({"name":"@T","columns":[{"name":"a"}]})",
            "columns[0].type is required");
        row("enum without options", R"({"name":"@T","columns":[{"name":"a","type":"enum"}]})",
            "needs options");
        row("enum with empty options", R"({"name":"@T","columns":[{"name":"a","type":"enum","options":[]}]})",
            "needs options");
        row("array-select without options", R"({"name":"@T","columns":[{"name":"a","type":"array-select"}]})",
            "needs options");
        row("options not strings", R"({"name":"@T","columns":[{"name":"a","type":"enum","options":[1,2]}]})",
            "options must be an array");

        row("table name injection", R"({"name":"x@Q; DROP TABLE fixture_target; --","columns":[]})",
            "is not a valid name");
        row("column name injection",
            R"({"name":"@T","columns":[{"name":"a@Q INT, b INT; DROP TABLE fixture_target; --","type":"int"}]})",
            "is not a valid name");
        row("relation name injection",
            R"({"name":"@T","relations":[{"propertyName":"r@Q; DROP TABLE fixture_target; --",
                "type":"many-to-one","targetTable":"fixture_target"}]})",
            "is not a valid name");
        row("inverse name injection",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "inversePropertyName":"x@A OR 1=1; DELETE FROM hearth_table; --"}]})",
            "is not a valid name");
        row("target table injection",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one",
                "targetTable":"fixture_target@Q; DROP TABLE hearth_table; --"}]})",
            "unknown table");
        row("name with a space", R"({"name":"my table"})", "is not a valid name");
        row("name starting with a digit", R"({"name":"1abc"})", "is not a valid name");
        row("name with a dash", R"({"name":"a-b"})", "is not a valid name");
        row("empty name", R"({"name":""})", "is not a valid name");
        row("missing name", R"({"columns":[]})", "name is required");
        row("name of 64 characters",
            R"({"name":"a123456789012345678901234567890123456789012345678901234567890123"})",
            "is not a valid name");
        row("non-ASCII name", R"({"name":"café"})", "is not a valid name");
        row("column name with a dot", R"({"name":"@T","columns":[{"name":"a.b","type":"int"}]})",
            "is not a valid name");
        row("reserved hearth_ prefix", R"({"name":"hearth_mine"})", "reserved");
        row("reserved sqlite_ prefix", R"({"name":"sqlite_stat9"})", "reserved");
        row("reserved prefix in another case", R"({"name":"Hearth_Mine"})", "reserved");
        row("name of a system table", R"({"name":"hearth_table"})", "reserved");

        row("duplicate column",
            R"({"name":"@T","columns":[{"name":"a","type":"int"},{"name":"a","type":"text"}]})",
            "listed twice");
        row("duplicate column in another case",
            R"({"name":"@T","columns":[{"name":"Title","type":"int"},{"name":"title","type":"text"}]})",
            "listed twice");
        row("column and relation with one name",
            R"({"name":"@T","columns":[{"name":"owner","type":"int"}],
                "relations":[{"propertyName":"owner","type":"many-to-one","targetTable":"fixture_target"}]})",
            "owner");
        row("column named like a relation's key",
            R"({"name":"@T","columns":[{"name":"ownerId","type":"int"}],
                "relations":[{"propertyName":"owner","type":"many-to-one","targetTable":"fixture_target"}]})",
            "ownerId");
        row("column named like a relation's key in another case",
            R"({"name":"@T","columns":[{"name":"ownerid","type":"int"}],
                "relations":[{"propertyName":"owner","type":"many-to-one","targetTable":"fixture_target"}]})",
            "ownerId");
        row("column named like the primary key in another case",
            R"({"name":"@T","columns":[{"name":"ID","type":"int"}]})", "ID");
        row("column named like createdAt in another case",
            R"({"name":"@T","columns":[{"name":"CreatedAt","type":"datetime"}]})", "CreatedAt");

        row("unknown table key", R"({"name":"@T","colour":"red"})", "colour is not allowed");
        row("unknown column key", R"({"name":"@T","columns":[{"name":"a","type":"int","size":4}]})",
            "columns[0].size is not allowed");
        row("unknown relation key",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "cascade":true}]})",
            "relations[0].cascade is not allowed");
        row("unknown target table",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"nowhere"}]})",
            "unknown table nowhere");
        row("unknown target table id",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":{"id":999999}}]})",
            "no table with id 999999");
        row("missing target table",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one"}]})",
            "targetTable is required");
        row("one-to-many without inverse",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"one-to-many","targetTable":"fixture_target"}]})",
            "needs inversePropertyName");
        row("SET NULL on a required relation",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "isNullable":false,"onDelete":"SET NULL"}]})",
            "SET NULL needs a nullable relation");
        row("default SET NULL on a required relation",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "isNullable":false}]})",
            "SET NULL needs a nullable relation");
        row("unknown onDelete",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "onDelete":"NOTHING"}]})",
            "onDelete must be CASCADE, RESTRICT or SET NULL");
        row("unknown relation type",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"one-to-few","targetTable":"fixture_target"}]})",
            "is not a relation type");
        row("inverse name taken on the target",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "inversePropertyName":"label"}]})",
            "label");
        row("key column taken on the target",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"one-to-many","targetTable":"fixture_target",
                "inversePropertyName":"keeper"}]})",
            "keeperId");
        row("key column taken on the target in another case",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"one-to-many","targetTable":"fixture_target",
                "inversePropertyName":"holder"}]})",
            "holderId");
        row("two relations with one name",
            R"({"name":"@T","relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target"},
                {"propertyName":"R","type":"many-to-many","targetTable":"fixture_target"}]})",
            "R");

        row("int default not a number",
            R"({"name":"@T","columns":[{"name":"a","type":"int","defaultValue":"abc"}]})", "defaultValue");
        row("int default with a fraction",
            R"({"name":"@T","columns":[{"name":"a","type":"int","defaultValue":1.5}]})", "defaultValue");
        row("float default as text",
            R"({"name":"@T","columns":[{"name":"a","type":"float","defaultValue":"x"}]})", "defaultValue");
        row("boolean default as text",
            R"({"name":"@T","columns":[{"name":"a","type":"boolean","defaultValue":"yes"}]})",
            "defaultValue");
        row("enum default not an option",
            R"({"name":"@T","columns":[{"name":"a","type":"enum","options":["x"],"defaultValue":"z"}]})",
            "defaultValue");
        row("date default invalid",
            R"({"name":"@T","columns":[{"name":"a","type":"date","defaultValue":"2023-13-01"}]})",
            "defaultValue");
        row("datetime default invalid",
            R"({"name":"@T","columns":[{"name":"a","type":"datetime","defaultValue":"tomorrow"}]})",
            "defaultValue");
        row("uuid default invalid",
            R"({"name":"@T","columns":[{"name":"a","type":"uuid","defaultValue":"nope"}]})", "defaultValue");
        row("varchar default too long",
            R"({"name":"@T","columns":[{"name":"a","type":"varchar","length":3,"defaultValue":"abcd"}]})",
            "defaultValue");
        row("array-select default not an option",
            R"({"name":"@T","columns":[{"name":"a","type":"array-select","options":["r"],"defaultValue":["g"]}]})",
            "defaultValue");
        row("length zero", R"({"name":"@T","columns":[{"name":"a","type":"varchar","length":0}]})", "length");
        row("length as text", R"({"name":"@T","columns":[{"name":"a","type":"varchar","length":"10"}]})",
            "length");
        row("length too large", R"({"name":"@T","columns":[{"name":"a","type":"varchar","length":70000}]})",
            "length");
        row("flag not a boolean", R"({"name":"@T","columns":[{"name":"a","type":"int","isNullable":"no"}]})",
            "must be a boolean");
        row("columns not an array", R"({"name":"@T","columns":{"a":"int"}})", "columns must be an array");
        row("relations not an array", R"({"name":"@T","relations":"none"})", "relations must be an array");
        row("column entry not an object", R"({"name":"@T","columns":["a"]})", "must be an object");
        row("name not a string", R"({"name":5})", "must be a string");
        row("isSystem", R"({"name":"@T","isSystem":true})", "isSystem cannot be set");
        row("unknown primaryKeyType", R"({"name":"@T","primaryKeyType":"bigint"})",
            "primaryKeyType must be int or uuid");
        row("malformed JSON", R"({"name":"@T","columns":[)", "");
        row("array instead of an object", R"([{"name":"@T"}])", "");
    }

    void invalidDefinitionsAreRefused()
    {
        QFETCH(QString, body);
        QFETCH(QString, message);
        const QString before = m_db.schemaDump();
        const QStringList tables = tableNames();
        const HttpReply r =
            http().post("/hearth_table", expand(body).replace(QStringLiteral("@T"), fresh("bad")).toUtf8());
        CHECK_STATUS(r, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("BAD_REQUEST"));
        QVERIFY2(r.message().contains(message), qPrintable(r.message()));
        QCOMPARE(tableNames(), tables);
        QCOMPARE(m_db.schemaDump(), before);
    }

    // The same checks guard a change: 400 at the preview, and with any hash, and nothing changes.
    void invalidChangesAreRefused_data()
    {
        QTest::addColumn<QString>("body"); // @C: the id of the table's column "title"
        QTest::addColumn<QString>("message");
        const auto row = [](const char *tag, const char *body, const char *message) {
            QTest::newRow(tag) << QString::fromUtf8(body) << QString::fromUtf8(message);
        };
        row("unknown column type", R"({"columns":[{"id":@C,"name":"title","type":"string"}]})",
            "is not a column type");
        row("enum without options", R"({"columns":[{"id":@C,"name":"title","type":"enum"}]})",
            "needs options");
        row("bad column name", R"({"columns":[{"id":@C,"name":"a b","type":"int"}]})", "is not a valid name");
        row("bad table name", R"({"name":"x@Q; DROP TABLE fixture_target; --"})", "is not a valid name");
        row("reserved table name", R"({"name":"sqlite_master"})", "reserved");
        row("duplicate column in another case",
            R"({"columns":[{"id":@C,"name":"title","type":"int"},{"name":"TITLE","type":"int"}]})",
            "listed twice");
        row("column named like a built-in", R"({"columns":[{"id":@C,"name":"title","type":"int"},
            {"name":"UpdatedAt","type":"int"}]})",
            "UpdatedAt");
        row("unknown key", R"({"columns":[{"id":@C,"name":"title","type":"int","unique":true}]})",
            "columns[0].unique is not allowed");
        row("unknown table key", R"({"rename":"x"})", "rename is not allowed");
        row("unknown target table",
            R"({"relations":[{"propertyName":"r","type":"many-to-one","targetTable":"nowhere"}]})",
            "unknown table");
        row("one-to-many without inverse",
            R"({"relations":[{"propertyName":"r","type":"one-to-many","targetTable":"fixture_target"}]})",
            "needs inversePropertyName");
        row("SET NULL on a required relation",
            R"({"relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "isNullable":false,"onDelete":"SET NULL"}]})",
            "SET NULL needs a nullable relation");
        row("bad default", R"({"columns":[{"id":@C,"name":"title","type":"int","defaultValue":"x"}]})",
            "defaultValue");
        row("relation over a column", R"({"columns":[{"id":@C,"name":"title","type":"int"}],
            "relations":[{"propertyName":"title","type":"many-to-one","targetTable":"fixture_target"}]})",
            "title");
        row("key column over a column", R"({"columns":[{"id":@C,"name":"ownerid","type":"int"}],
            "relations":[{"propertyName":"owner","type":"many-to-one","targetTable":"fixture_target"}]})",
            "ownerId");
        row("inverse over a target's column",
            R"({"relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target",
                "inversePropertyName":"holderid"}]})",
            "holderid");
        row("columns not an array", R"({"columns":"title"})", "columns must be an array");
        row("isSystem", R"({"isSystem":true})", "isSystem cannot be set");
    }

    void invalidChangesAreRefused()
    {
        QFETCH(QString, body);
        QFETCH(QString, message);
        const TableRow t = notes("badChange", 2);
        QVERIFY(t.isValid());
        body = expand(body).replace(QStringLiteral("@C"), QString::number(t.columnId(u"title")));
        const QString before = m_db.schemaDump();
        const QString data = m_db.dump(t.name());
        for (const QString &hash : {QString(), QStringLiteral("0123456789abcdef0123456789abcdef")}) {
            const HttpReply r = http().patch(tablePath(t.id(), hash), body.toUtf8());
            CHECK_STATUS(r, 400);
            QCOMPARE(r.errorCode(), QStringLiteral("BAD_REQUEST"));
            QVERIFY2(r.message().contains(message), qPrintable(r.message()));
        }
        QCOMPARE(m_db.schemaDump(), before);
        QCOMPARE(m_db.dump(t.name()), data);
    }

    void duplicateTableNameIsConflict()
    {
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1"})").arg(fresh("dup")));
        QVERIFY(t.isValid());
        const TableRow other = createTable(QStringLiteral(R"({"name":"%1"})").arg(fresh("dupOther")));
        QVERIFY(other.isValid());
        const QString before = m_db.schemaDump();
        const QString capitalized = t.name().left(1).toUpper() + t.name().mid(1);
        for (const QString &name : {t.name(), t.name().toUpper(), capitalized}) {
            HttpReply r = http().post(
                "/hearth_table",
                QStringLiteral(R"({"name":"%1","columns":[{"name":"a","type":"int"}]})").arg(name).toUtf8());
            CHECK_STATUS(r, 409);
            QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
            // Renaming another table to it is refused too, already at the preview.
            r = http().patch(tablePath(other.id()), QStringLiteral(R"({"name":"%1"})").arg(name).toUtf8());
            CHECK_STATUS(r, 409);
            QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
        }
        QCOMPARE(m_db.schemaDump(), before);
    }

    // The query string is checked before a table is created, so a bad one changes nothing.
    void badQueryStringCreatesNoTable()
    {
        const QString name = fresh("badQuery");
        const QString before = m_db.schemaDump();
        const HttpReply r =
            http().post("/hearth_table?fields=nope", QStringLiteral(R"({"name":"%1"})").arg(name).toUtf8());
        CHECK_STATUS(r, 400);
        QCOMPARE(m_db.schemaDump(), before);
    }

    // A table needs its route: a path already routed elsewhere refuses the table (or the rename).
    void tableNameTakenByARoute()
    {
        const QString name = fresh("routed");
        CHECK_STATUS(http().post("/hearth_route", QStringLiteral(R"({"path":"/%1"})").arg(name).toUtf8()),
                     201);
        const TableRow other = notes("routedOther", 1);
        QVERIFY(other.isValid());
        const QString before = m_db.schemaDump();
        HttpReply r = http().post("/hearth_table", QStringLiteral(R"({"name":"%1"})").arg(name).toUtf8());
        CHECK_STATUS(r, 409);
        QVERIFY2(r.message().contains(u'/' + name), qPrintable(r.message()));
        r = http().patch(tablePath(other.id()), QStringLiteral(R"({"name":"%1"})").arg(name).toUtf8());
        CHECK_STATUS(r, 409);
        QCOMPARE(m_db.schemaDump(), before);
    }

    // Names are always quoted identifiers: SQL keywords are fine names.
    void sqlKeywordsAsNames()
    {
        const TableRow t = createTable(QStringLiteral(R"({"name":"select","columns":[
            {"name":"from","type":"varchar","isUnique":true},{"name":"where","type":"int","isIndexed":true},
            {"name":"order","type":"text"}],
            "relations":[{"propertyName":"group","type":"many-to-one","targetTable":"select","inversePropertyName":"having"},
                         {"propertyName":"values","type":"many-to-many","targetTable":"select"}]})"));
        QVERIFY(t.isValid());
        QCOMPARE(m_db.indexes(QStringLiteral("select")).keys(),
                 QStringList({"ix_select_groupId", "ix_select_where", "uq_select_from"}));
        const QJsonValue a =
            insert(QStringLiteral("select"), QStringLiteral(R"({"from":"a","where":1,"order":"o"})"));
        const QJsonValue b =
            insert(QStringLiteral("select"),
                   QStringLiteral(R"({"from":"b","where":2,"group":%1,"values":[%1]})").arg(a.toInteger()));
        QVERIFY(!b.isUndefined());
        CHECK_STATUS(http().post("/select", R"({"from":"a"})"), 409);
        QCOMPARE(namesOf(list(QStringLiteral("select"), "filter[where][_gte]=2&sort=-where"), "from"),
                 QStringList{"b"});
        QCOMPARE(row(QStringLiteral("select"), a, "fields=*,having.*")["having"][0]["from"], QJsonValue("b"));

        const QString body =
            QStringLiteral(R"({"columns":[{"id":%1,"name":"from","type":"varchar","isUnique":true},
            {"id":%2,"name":"limit","type":"varchar","isIndexed":true},{"id":%3,"name":"order","type":"text"}]})")
                .arg(t.columnId(u"from"))
                .arg(t.columnId(u"where"))
                .arg(t.columnId(u"order"));
        CHECK_STATUS(change(t.id(), body), 200);
        QCOMPARE(row(QStringLiteral("select"), b)["limit"], QJsonValue("2"));
        QCOMPARE(row(QStringLiteral("select"), b)["group"], QJsonValue(QJsonObject{{"id", a}}));
        CHECK_STATUS(dropTable(t.id()), 200);
        QVERIFY(!m_db.hasTable(QStringLiteral("select")));
    }

    void systemTablesCannotBeChanged()
    {
        const TableRow user =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"a","type":"int"}],
            "relations":[{"propertyName":"r","type":"many-to-one","targetTable":"fixture_target"}]})")
                            .arg(fresh("guarded")));
        QVERIFY(user.isValid());
        const QString before = m_db.schemaDump();

        const QJsonArray system = list(QStringLiteral("hearth_table"), "filter[isSystem][_eq]=true");
        QCOMPARE(system.size(), kSystemTables.size());
        for (const QJsonValue &t : system) {
            const qint64 id = t["id"].toInteger();
            for (const HttpReply &r :
                 {http().patch(tablePath(id), R"({"description":"mine"})"),
                  http().patch(tablePath(id, QStringLiteral("0123456789abcdef")), R"({"columns":[]})"),
                  http().del(tablePath(id)), http().del(tablePath(id, QStringLiteral("0123456789abcdef")))}) {
                QVERIFY2(r.status == 403, qPrintable(t["name"].toString() + u' ' + r.describe()));
                QCOMPARE(r.errorCode(), QStringLiteral("FORBIDDEN"));
            }
        }

        // Columns and relations change only through /hearth_table.
        const QByteArray column = QByteArray::number(user.columnId(u"a"));
        const QByteArray relation = QByteArray::number(user.relationId(u"r"));
        const QByteArray table = QByteArray::number(user.id());
        for (const HttpReply &r :
             {http().post("/hearth_column", R"({"name":"b","type":"int","table":)" + table + '}'),
              http().patch("/hearth_column/" + column, R"({"name":"b"})"),
              http().del("/hearth_column/" + column),
              http().post("/hearth_relation", R"({"propertyName":"s","type":"many-to-one","sourceTable":)" +
                                                  table + R"(,"targetTable":)" + table + '}'),
              http().patch("/hearth_relation/" + relation, R"({"onDelete":"CASCADE"})"),
              http().del("/hearth_relation/" + relation)}) {
            QVERIFY2(r.status == 403, qPrintable(r.describe()));
            QCOMPARE(r.errorCode(), QStringLiteral("FORBIDDEN"));
        }
        CHECK_STATUS(http().get("/hearth_column/" + column), 200);
        CHECK_STATUS(http().get("/hearth_relation/" + relation), 200);

        // The system rows of routes and settings are read-only.
        const QJsonArray routes = list(QStringLiteral("hearth_route"), "filter[path][_eq]=/hearth_table");
        QCOMPARE(routes.size(), 1);
        const QByteArray route = QByteArray::number(routes.first()["id"].toInteger());
        CHECK_STATUS(http().patch("/hearth_route/" + route, R"({"isEnabled":false})"), 403);
        CHECK_STATUS(http().del("/hearth_route/" + route), 403);
        const QJsonArray settings = list(QStringLiteral("hearth_setting"), "filter[key][_eq]=schemaRevision");
        QCOMPARE(settings.size(), 1);
        const QByteArray setting = QByteArray::number(settings.first()["id"].toInteger());
        CHECK_STATUS(http().patch("/hearth_setting/" + setting, R"({"value":99})"), 403);
        CHECK_STATUS(http().del("/hearth_setting/" + setting), 403);

        QCOMPARE(m_db.schemaDump(), before);
        CHECK_STATUS(http().get("/hearth_table"), 200);
    }

    // --- preview and schemaConfirmHash ------------------------------------------------

    void previewDescribesAndChangesNothing()
    {
        const TableRow target =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}]})")
                            .arg(fresh("aim")));
        QVERIFY(target.isValid());
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","columns":[
            {"name":"title","type":"varchar"},{"name":"score","type":"varchar"},{"name":"note","type":"text"},
            {"name":"extra","type":"int","isUnique":true}],
            "relations":[{"propertyName":"old","type":"many-to-one","targetTable":"%2","inversePropertyName":"olds"}]})")
                                           .arg(fresh("previewed"), target.name()));
        QVERIFY(t.isValid());
        const QJsonValue aim = insert(target.name(), QStringLiteral(R"({"name":"aim"})"));
        for (const char *score : {"1", "2", "abc"})
            QVERIFY(!insert(t.name(),
                            QStringLiteral(R"({"title":"t%1","score":"%1","note":"n%1","extra":%2,"old":%3})")
                                .arg(QLatin1StringView(score))
                                .arg(m_db.count(t.name()))
                                .arg(aim.toInteger()))
                         .isUndefined());
        const QString renamed = fresh("afterPreview");
        const QString body = QStringLiteral(R"({"name":"%1","description":"changed","columns":[
            {"id":%2,"name":"heading","type":"varchar"},
            {"id":%3,"name":"score","type":"int"},
            {"id":%4,"name":"note","type":"text"},
            {"name":"added","type":"boolean","defaultValue":false}],
            "relations":[{"propertyName":"links","type":"many-to-many","targetTable":"%5","inversePropertyName":"linked"}]})")
                                 .arg(renamed)
                                 .arg(t.columnId(u"title"))
                                 .arg(t.columnId(u"score"))
                                 .arg(t.columnId(u"note"))
                                 .arg(target.name());
        const QString schemaBefore = m_db.schemaDump();
        const QString dataBefore = m_db.dump(t.name());
        const QJsonArray listBefore = list(t.name());

        const QJsonObject p = preview("PATCH", t.id(), body);
        QVERIFY(!p.isEmpty());
        QCOMPARE(p["tableName"], QJsonValue(t.name()));
        QCOMPARE(p["operation"], QJsonValue("update"));
        QCOMPARE(p["isDestructive"], QJsonValue(true));
        QCOMPARE(p["addedColumns"], parseValue(R"(["added"])"));
        QCOMPARE(p["removedColumns"], parseValue(R"(["extra"])"));
        QCOMPARE(p["renamedColumns"], parseValue(R"([{"from":"title","to":"heading"}])"));
        QCOMPARE(p["changedColumns"],
                 parseValue(R"([{"name":"score","changes":{"type":{"from":"varchar","to":"int"}}}])"));
        QCOMPARE(p["addedRelations"],
                 QJsonValue(QJsonArray{QJsonObject{
                     {"propertyName", "links"}, {"type", "many-to-many"}, {"targetTable", target.name()}}}));
        QCOMPARE(p["removedRelations"], QJsonValue(QJsonArray{QJsonObject{{"propertyName", "old"},
                                                                          {"type", "many-to-one"},
                                                                          {"targetTable", target.name()},
                                                                          {"table", t.name()}}}));
        QCOMPARE(p["changedRelations"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["renamedTable"], QJsonValue(QJsonObject{{"from", t.name()}, {"to", renamed}}));
        QVERIFY(p["affectedTables"].toArray().contains(renamed));
        const QString warnings = joined(p["warnings"].toArray());
        QVERIFY2(
            warnings.contains(QStringLiteral("1 values of %1.score cannot be converted to int").arg(renamed)),
            qPrintable(warnings));
        QVERIFY2(warnings.contains(QStringLiteral("3 values of %1.extra will be deleted").arg(t.name())),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(QStringLiteral("3 values of %1.oldId will be deleted").arg(t.name())),
                 qPrintable(warnings));
        QCOMPARE(p["errors"], QJsonValue(QJsonArray{}));
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{32}$"));
        QVERIFY(hex.match(p["requiredConfirmHash"].toString()).hasMatch());

        // Nothing changed: SQLite, metadata, data, routes.
        QCOMPARE(m_db.schemaDump(), schemaBefore);
        QCOMPARE(m_db.dump(t.name()), dataBefore);
        QCOMPARE(list(t.name()), listBefore);
        CHECK_STATUS(http().get('/' + renamed.toUtf8()), 404);
        // The same request previews the same hash.
        QCOMPARE(preview("PATCH", t.id(), body)["requiredConfirmHash"], p["requiredConfirmHash"]);

        const HttpReply r = confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().first()["name"], QJsonValue(renamed));
        QCOMPARE(r.data().first()["description"], QJsonValue("changed"));
        const QJsonArray rows = list(renamed);
        QCOMPARE(rows.size(), 3);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject before = listBefore[i].toObject();
            QCOMPARE(rows[i]["id"], before["id"]);
            QCOMPARE(rows[i]["createdAt"], before["createdAt"]);
            QCOMPARE(rows[i]["heading"], before["title"]);
            QCOMPARE(rows[i]["note"], before["note"]);
            QCOMPARE(rows[i]["added"], QJsonValue(false));
            QCOMPARE(rows[i]["links"], QJsonValue(QJsonArray{}));
            QVERIFY(!rows[i].toObject().contains(u"old") && !rows[i].toObject().contains(u"extra"));
        }
        QCOMPARE(rows[0]["score"], QJsonValue(1));
        QCOMPARE(rows[1]["score"], QJsonValue(2));
        QCOMPARE(rows[2]["score"], QJsonValue(QJsonValue::Null));
        QCOMPARE(m_db.columnNames(renamed),
                 QStringList({"id", "heading", "score", "note", "added", "createdAt", "updatedAt"}));
        QCOMPARE(m_db.indexes(renamed), (QMap<QString, QString>())); // extra's and oldId's went with them
        QCOMPARE(m_db.foreignKeys(renamed), QStringList{});
        QVERIFY(
            m_db.hasTable(QStringLiteral("hearth_junction_%1").arg(tableRow(t.id()).relationId(u"links"))));
        CHECK_STATUS(http().get('/' + t.name().toUtf8()), 404);
    }

    void confirmHashIsBoundToTheRequest()
    {
        const TableRow t = notes("hashed", 2);
        const TableRow other = notes("hashedOther", 0);
        QVERIFY(t.isValid() && other.isValid());
        const QString body = QStringLiteral(R"({"description":"A","columns":[%1,{"name":"a","type":"int"}]})")
                                 .arg(notesColumns(t));
        const QString hash = preview("PATCH", t.id(), body)["requiredConfirmHash"].toString();
        QVERIFY(!hash.isEmpty());
        const QString before = m_db.schemaDump();
        const QString data = m_db.dump(t.name());

        const QString differentBody =
            QStringLiteral(R"({"description":"A","columns":[%1,{"name":"b","type":"int"}]})")
                .arg(notesColumns(t));
        for (const HttpReply &r :
             {confirm("PATCH", t.id(), differentBody, hash),
              confirm("PATCH", t.id(), QStringLiteral(R"({"description":"A"})"), hash),
              confirm("PATCH", other.id(), QStringLiteral(R"({"description":"A"})"), hash),
              confirm("DELETE", t.id(), {}, hash),
              confirm("PATCH", t.id(), body, QStringLiteral("0123456789abcdef0123456789abcdef")),
              confirm("PATCH", t.id(), body, hash.left(31) + (hash.endsWith(u'0') ? u'1' : u'0'))}) {
            QVERIFY2(r.status == 422, qPrintable(r.describe()));
            QVERIFY2(r.message().contains(u"schemaConfirmHash"), qPrintable(r.message()));
        }
        QCOMPARE(m_db.schemaDump(), before);
        QCOMPARE(m_db.dump(t.name()), data);

        // The same request written differently (key order, spacing) is the same request.
        const QByteArray reordered = QJsonDocument(parseObject(body)).toJson(QJsonDocument::Indented);
        const HttpReply r = confirm("PATCH", t.id(), QString::fromUtf8(reordered), hash);
        CHECK_STATUS(r, 200);
        QCOMPARE(m_db.columnNames(t.name()).contains(u"a"), true);
        QCOMPARE(m_db.columnNames(t.name()).contains(u"b"), false);
    }

    void confirmHashIsBoundToTheSchemaRevision()
    {
        const TableRow t = notes("revision", 1);
        QVERIFY(t.isValid());
        const QString body = QStringLiteral(R"({"description":"changed"})");
        const QString first = preview("PATCH", t.id(), body)["requiredConfirmHash"].toString();

        // Any schema change in between (here: another table created) makes the hash stale.
        QVERIFY(createTable(QStringLiteral(R"({"name":"%1"})").arg(fresh("between"))).isValid());
        const QString before = m_db.schemaDump();
        HttpReply r = confirm("PATCH", t.id(), body, first);
        CHECK_STATUS(r, 422);
        QCOMPARE(m_db.schemaDump(), before);
        const QString second = preview("PATCH", t.id(), body)["requiredConfirmHash"].toString();
        QVERIFY(second != first);

        // A change of another table in between, too.
        const TableRow other = notes("revisionOther", 0);
        QVERIFY(other.isValid());
        const QString third = preview("PATCH", t.id(), body)["requiredConfirmHash"].toString();
        CHECK_STATUS(change(other.id(), QStringLiteral(R"({"description":"x"})")), 200);
        CHECK_STATUS(confirm("PATCH", t.id(), body, third), 422);

        // Rows written in between do not touch the revision, and apply checks the data again.
        const QString fourth = preview("PATCH", t.id(), body)["requiredConfirmHash"].toString();
        QVERIFY(!insert(t.name(), QStringLiteral(R"({"title":"between"})")).isUndefined());
        r = confirm("PATCH", t.id(), body, fourth);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().first()["description"], QJsonValue("changed"));
        // A hash is spent once applied.
        CHECK_STATUS(confirm("PATCH", t.id(), body, fourth), 422);

        const TableRow empty = notes("revisionEmpty", 0);
        const QString required =
            QStringLiteral(R"({"columns":[%1,{"name":"must","type":"int","isNullable":false}]})")
                .arg(notesColumns(empty));
        const QJsonObject p = preview("PATCH", empty.id(), required);
        QCOMPARE(p["errors"], QJsonValue(QJsonArray{}));
        QVERIFY(!insert(empty.name(), QStringLiteral(R"({"title":"late"})")).isUndefined());
        r = confirm("PATCH", empty.id(), required, p["requiredConfirmHash"].toString());
        CHECK_STATUS(r, 409);
        QVERIFY(!m_db.columnNames(empty.name()).contains(u"must"));
    }

    void dropTableWithPreview()
    {
        const TableRow t = notes("dropped", 2);
        QVERIFY(t.isValid());
        const QString before = m_db.schemaDump();
        const QJsonObject p = preview("DELETE", t.id());
        QCOMPARE(p["operation"], QJsonValue("delete"));
        QCOMPARE(p["tableName"], QJsonValue(t.name()));
        QCOMPARE(p["isDestructive"], QJsonValue(true));
        QCOMPARE(sorted(strings(p["removedColumns"])), QStringList({"note", "score", "title"}));
        QVERIFY2(joined(p["warnings"].toArray())
                     .contains(QStringLiteral("2 rows of %1 will be deleted").arg(t.name())),
                 qPrintable(joined(p["warnings"].toArray())));
        QCOMPARE(m_db.schemaDump(), before);
        QCOMPARE(list(t.name()).size(), 2);

        CHECK_STATUS(confirm("DELETE", t.id(), {}, QStringLiteral("00000000000000000000000000000000")), 422);
        QCOMPARE(m_db.schemaDump(), before);
        const HttpReply r = confirm("DELETE", t.id(), {}, p["requiredConfirmHash"].toString());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.object(), parseObject(QStringLiteral(R"({"statusCode":200,"message":"Success"})")));
        CHECK_STATUS(http().get('/' + t.name().toUtf8()), 404);
        CHECK_STATUS(http().get(tablePath(t.id())), 404);
        CHECK_STATUS(http().del(tablePath(t.id())), 404);
        QVERIFY(!m_db.hasTable(t.name()));
        const QString id = QString::number(t.id());
        QCOMPARE(m_db.value("SELECT count(*) FROM hearth_column WHERE tableId = ?", {id}),
                 QStringLiteral("0"));
        QCOMPARE(m_db.value("SELECT count(*) FROM hearth_route WHERE path = ?", {u'/' + t.name()}),
                 QStringLiteral("0"));
        // The name is free again.
        QVERIFY(createTable(QStringLiteral(R"({"name":"%1"})").arg(t.name())).isValid());
    }

    void dropTableRemovesRelationsOfOtherTables()
    {
        const TableRow note = createTable(
            QStringLiteral(R"({"name":"%1","columns":[{"name":"text","type":"text"}]})").arg(fresh("note")));
        QVERIFY(note.isValid());
        const TableRow owner =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}],
            "relations":[{"propertyName":"notes","type":"one-to-many","targetTable":"%2","inversePropertyName":"about"}]})")
                            .arg(fresh("owner"), note.name()));
        QVERIFY(owner.isValid());
        const TableRow item =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"label","type":"varchar"}],
            "relations":[{"propertyName":"owner","type":"many-to-one","targetTable":"%2","inversePropertyName":"items",
                          "onDelete":"CASCADE"}]})")
                            .arg(fresh("item"), owner.name()));
        QVERIFY(item.isValid());
        const TableRow link =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"label","type":"varchar"}],
            "relations":[{"propertyName":"owners","type":"many-to-many","targetTable":"%2","inversePropertyName":"links"}]})")
                            .arg(fresh("link"), owner.name()));
        QVERIFY(link.isValid());
        const QString junction = QStringLiteral("hearth_junction_%1").arg(link.relationId(u"owners"));

        const qint64 o1 = insert(owner.name(), QStringLiteral(R"({"name":"o1"})")).toInteger();
        QVERIFY(!insert(note.name(), QStringLiteral(R"({"text":"n1","about":%1})").arg(o1)).isUndefined());
        QVERIFY(!insert(item.name(), QStringLiteral(R"({"label":"i1","owner":%1})").arg(o1)).isUndefined());
        QVERIFY(!insert(item.name(), QStringLiteral(R"({"label":"i2"})")).isUndefined());
        QVERIFY(
            !insert(link.name(), QStringLiteral(R"({"label":"l1","owners":[%1]})").arg(o1)).isUndefined());
        const QJsonArray itemsBefore = list(item.name());

        const QJsonObject p = preview("DELETE", owner.id());
        const QJsonArray removed = p["removedRelations"].toArray();
        const auto relation = [](const QString &table, const char *property, const char *type,
                                 const QString &target) {
            return QJsonValue(QJsonObject{
                {"table", table}, {"propertyName", property}, {"type", type}, {"targetTable", target}});
        };
        QVERIFY2(removed.contains(relation(owner.name(), "notes", "one-to-many", note.name())),
                 QJsonDocument(removed).toJson().constData());
        QVERIFY(removed.contains(relation(item.name(), "owner", "many-to-one", owner.name())));
        QVERIFY(removed.contains(relation(link.name(), "owners", "many-to-many", owner.name())));
        QCOMPARE(removed.size(), 3);
        const QStringList affected = strings(p["affectedTables"]);
        for (const QString &name : {owner.name(), item.name(), note.name()})
            QVERIFY2(affected.contains(name), qPrintable(affected.join(u',')));
        const QString warnings = joined(p["warnings"].toArray());
        QVERIFY2(warnings.contains(QStringLiteral("1 rows of %1 will be deleted").arg(owner.name())),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(QStringLiteral("1 values of %1.ownerId will be deleted").arg(item.name())),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(QStringLiteral("1 many-to-many links will be deleted")),
                 qPrintable(warnings));

        CHECK_STATUS(dropTable(owner.id()), 200);
        CHECK_STATUS(http().get('/' + owner.name().toUtf8()), 404);
        QVERIFY(!m_db.hasTable(owner.name()));
        QVERIFY(!m_db.hasTable(junction));
        QCOMPARE(m_db.columnNames(item.name()), QStringList({"id", "label", "createdAt", "updatedAt"}));
        QCOMPARE(m_db.columnNames(note.name()), QStringList({"id", "text", "createdAt", "updatedAt"}));
        QCOMPARE(m_db.foreignKeys(item.name()), QStringList{});
        QCOMPARE(
            m_db.value("SELECT count(*) FROM hearth_relation WHERE sourceTableId = ?1 OR targetTableId = ?1",
                       {QString::number(owner.id())}),
            QStringLiteral("0"));
        QCOMPARE(tableRow(item.id()).row["relations"], QJsonValue(QJsonArray{}));
        QCOMPARE(tableRow(link.id()).row["relations"], QJsonValue(QJsonArray{}));

        // The other tables keep their rows and their other data.
        const QJsonArray items = list(item.name());
        QCOMPARE(items.size(), 2);
        for (qsizetype i = 0; i < items.size(); ++i) {
            QCOMPARE(items[i]["label"], itemsBefore[i]["label"]);
            QCOMPARE(items[i]["id"], itemsBefore[i]["id"]);
            QVERIFY(!items[i].toObject().contains(u"owner"));
        }
        QCOMPARE(namesOf(list(note.name()), "text"), QStringList{"n1"});
        QCOMPARE(namesOf(list(link.name()), "label"), QStringList{"l1"});
        CHECK_STATUS(http().get('/' + item.name().toUtf8() + "?fields=owner"), 400);
        QVERIFY(createTable(QStringLiteral(R"({"name":"%1"})").arg(owner.name())).isValid());
    }

    // --- column changes keep the data -------------------------------------------------

    void addColumnsKeepsData()
    {
        const TableRow t = notes("addColumn", 3);
        QVERIFY(t.isValid());
        const QJsonArray before = list(t.name());
        const QString body = QStringLiteral(R"({"columns":[%1,
            {"name":"extra","type":"varchar"},
            {"name":"filled","type":"int","isNullable":false,"defaultValue":7},
            {"name":"flag","type":"boolean","defaultValue":true},
            {"name":"ref","type":"uuid","defaultValue":"ABCDEF00-0000-4000-8000-00000000000F"},
            {"name":"kind","type":"enum","options":["a","b"],"defaultValue":"b","isNullable":false},
            {"name":"js","type":"simple-json","defaultValue":"abc"},
            {"name":"jb","type":"simple-json","defaultValue":true}]})")
                                 .arg(notesColumns(t));
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["addedColumns"], parseValue(R"(["extra","filled","flag","ref","kind","js","jb"])"));
        QCOMPARE(p["removedColumns"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["errors"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["warnings"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);

        const QJsonArray after = list(t.name());
        QCOMPARE(after.size(), before.size());
        for (qsizetype i = 0; i < after.size(); ++i) {
            for (const char *kept : {"id", "title", "score", "note", "createdAt", "updatedAt"})
                QCOMPARE(after[i][QLatin1StringView(kept)], before[i][QLatin1StringView(kept)]);
            QCOMPARE(after[i]["extra"], QJsonValue(QJsonValue::Null));
            QCOMPARE(after[i]["filled"], QJsonValue(7));
            QCOMPARE(after[i]["flag"], QJsonValue(true));
            QCOMPARE(after[i]["ref"], QJsonValue("abcdef00-0000-4000-8000-00000000000f"));
            QCOMPARE(after[i]["kind"], QJsonValue("b"));
            QCOMPARE(after[i]["js"], QJsonValue("abc"));
            QCOMPARE(after[i]["jb"], QJsonValue(true));
        }
        QCOMPARE(m_db.columns(t.name()).value("filled"), QStringLiteral("INTEGER notnull=1 default=7 pk=0"));
        QCOMPARE(list(t.name(), "filter[ref][_eq]=abcdef00-0000-4000-8000-00000000000f").size(), 3);
        QCOMPARE(row(t.name(), insert(t.name(), QStringLiteral(R"({"title":"new"})")))["filled"],
                 QJsonValue(7));
    }

    void addRequiredColumnWithoutDefault()
    {
        const TableRow t = notes("required", 2);
        QVERIFY(t.isValid());
        const QString body =
            QStringLiteral(R"({"columns":[%1,{"name":"must","type":"varchar","isNullable":false}]})")
                .arg(notesColumns(t));
        const QString schema = m_db.schemaDump();
        const QString data = m_db.dump(t.name());
        const QJsonObject p = preview("PATCH", t.id(), body);
        const QString errors = joined(p["errors"].toArray());
        QVERIFY2(errors.contains(
                     QStringLiteral("2 rows of %1 would have no value for required must").arg(t.name())),
                 qPrintable(errors));
        const HttpReply r = confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString());
        CHECK_STATUS(r, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
        QVERIFY2(r.message().contains(u"must"), qPrintable(r.message()));
        QCOMPARE(m_db.schemaDump(), schema);
        QCOMPARE(m_db.dump(t.name()), data);

        // On an empty table it is fine.
        const TableRow empty = notes("requiredEmpty", 0);
        const QString emptyBody =
            QStringLiteral(R"({"columns":[%1,{"name":"must","type":"varchar","isNullable":false}]})")
                .arg(notesColumns(empty));
        QCOMPARE(preview("PATCH", empty.id(), emptyBody)["errors"], QJsonValue(QJsonArray{}));
        CHECK_STATUS(change(empty.id(), emptyBody), 200);
        QCOMPARE(m_db.columns(empty.name()).value("must"),
                 QStringLiteral("TEXT notnull=1 default=NULL pk=0"));
    }

    void removeColumnKeepsTheOthers()
    {
        const TableRow t = notes("removeColumn", 3);
        QVERIFY(t.isValid());
        const QJsonArray before = list(t.name());
        const QString body =
            QStringLiteral(R"({"columns":[{"id":%1,"name":"title","type":"varchar","length":100},
            {"id":%2,"name":"note","type":"text"}]})")
                .arg(t.columnId(u"title"))
                .arg(t.columnId(u"note"));
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["removedColumns"], parseValue(R"(["score"])"));
        QCOMPARE(p["isDestructive"], QJsonValue(true));
        QCOMPARE(p["warnings"], QJsonValue(QJsonArray{
                                    QStringLiteral("3 values of %1.score will be deleted").arg(t.name())}));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);

        QCOMPARE(m_db.columnNames(t.name()), QStringList({"id", "title", "note", "createdAt", "updatedAt"}));
        const QJsonArray after = list(t.name());
        QCOMPARE(after.size(), 3);
        for (qsizetype i = 0; i < after.size(); ++i) {
            QJsonObject expected = before[i].toObject();
            expected.remove(QStringLiteral("score"));
            QCOMPARE(after[i].toObject(), expected);
        }
        CHECK_STATUS(http().get('/' + t.name().toUtf8() + "?fields=score"), 400);
        QCOMPARE(tableRow(t.id()).row["columns"].toArray().size(), 2);
    }

    // A rebuilt table keeps AUTOINCREMENT's promise: ids of deleted rows are not handed out again.
    void rebuildKeepsTheIdSequence()
    {
        const TableRow t = notes("sequence", 3);
        QVERIFY(t.isValid());
        const QJsonArray rows = list(t.name());
        CHECK_STATUS(http().del('/' + t.name().toUtf8() + '/' + idText(rows[2]["id"])), 200);
        const QString retyped = QStringLiteral(R"({"columns":[{"id":%1,"name":"title","type":"text"},
            {"id":%2,"name":"score","type":"%4"},{"id":%3,"name":"note","type":"text"}]})")
                                    .arg(t.columnId(u"title"))
                                    .arg(t.columnId(u"score"))
                                    .arg(t.columnId(u"note"));
        CHECK_STATUS(change(t.id(), retyped.arg("varchar")), 200);
        QCOMPARE(insert(t.name(), QStringLiteral(R"({"title":"next"})")),
                 QJsonValue(rows[2]["id"].toInteger() + 1));

        // Also when every row was deleted before the rebuild.
        for (const QJsonValue &r : list(t.name()))
            CHECK_STATUS(http().del('/' + t.name().toUtf8() + '/' + idText(r["id"])), 200);
        CHECK_STATUS(change(t.id(), retyped.arg("int")), 200);
        QCOMPARE(insert(t.name(), QStringLiteral(R"({"title":"after"})")),
                 QJsonValue(rows[2]["id"].toInteger() + 2));
    }

    void renameColumnsKeepsData()
    {
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","columns":[
            {"name":"a","type":"varchar","isUnique":true},{"name":"b","type":"int","isIndexed":true},
            {"name":"c","type":"text"}]})")
                                           .arg(fresh("renameColumn")));
        QVERIFY(t.isValid());
        QVERIFY(!insert(t.name(), QStringLiteral(R"({"a":"x1","b":1,"c":"c1"})")).isUndefined());
        QVERIFY(!insert(t.name(), QStringLiteral(R"({"a":"x2","b":2,"c":"c2"})")).isUndefined());
        const QJsonArray before = list(t.name());

        // a -> alpha, and b and c swap names (and so their types follow the ids, not the names).
        const QString body = QStringLiteral(R"({"columns":[
            {"id":%1,"name":"alpha","type":"varchar","isUnique":true},
            {"id":%2,"name":"c","type":"int","isIndexed":true},
            {"id":%3,"name":"b","type":"text"}]})")
                                 .arg(t.columnId(u"a"))
                                 .arg(t.columnId(u"b"))
                                 .arg(t.columnId(u"c"));
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["renamedColumns"],
                 parseValue(R"([{"from":"a","to":"alpha"},{"from":"b","to":"c"},{"from":"c","to":"b"}])"));
        QCOMPARE(p["addedColumns"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["removedColumns"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["changedColumns"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["warnings"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);

        QCOMPARE(m_db.columnNames(t.name()),
                 QStringList({"id", "alpha", "c", "b", "createdAt", "updatedAt"}));
        QCOMPARE(m_db.columns(t.name()).value("c"), QStringLiteral("INTEGER notnull=0 default=NULL pk=0"));
        const QJsonArray after = list(t.name());
        for (qsizetype i = 0; i < after.size(); ++i) {
            QCOMPARE(after[i]["id"], before[i]["id"]);
            QCOMPARE(after[i]["alpha"], before[i]["a"]);
            QCOMPARE(after[i]["c"], before[i]["b"]);
            QCOMPARE(after[i]["b"], before[i]["c"]);
            QCOMPARE(after[i]["createdAt"], before[i]["createdAt"]);
        }
        const QMap<QString, QString> indexes = m_db.indexes(t.name());
        QCOMPARE(indexes.keys(), QStringList({QStringLiteral("ix_%1_c").arg(t.name()),
                                              QStringLiteral("uq_%1_alpha").arg(t.name())}));
        QCOMPARE(indexes.value(QStringLiteral("uq_%1_alpha").arg(t.name())),
                 QStringLiteral("unique=1 alpha"));
        QCOMPARE(indexes.value(QStringLiteral("ix_%1_c").arg(t.name())), QStringLiteral("unique=0 c"));
        CHECK_STATUS(http().post('/' + t.name().toUtf8(), R"({"alpha":"x1"})"), 409);
        QCOMPARE(list(t.name(), "filter[alpha][_eq]=x2").size(), 1);
        const TableRow renamed = tableRow(t.id());
        QCOMPARE(renamed.columnId(u"alpha"), t.columnId(u"a"));
        QCOMPARE(renamed.columnId(u"b"), t.columnId(u"c"));
    }

    void retypeConvertsValues_data()
    {
        QTest::addColumn<QString>("from"); // column definition fragments
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("value"); // JSON
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("warning"); // "" = none
        const auto row = [](const char *tag, const char *from, const char *to, const char *value,
                            const char *expected, const char *warning = "") {
            QTest::newRow(tag) << QString::fromUtf8(from) << QString::fromUtf8(to) << QString::fromUtf8(value)
                               << QString::fromUtf8(expected) << QString::fromUtf8(warning);
        };
        const char *cannot = "cannot be converted";
        row("varchar '12' -> int", R"("type":"varchar")", R"("type":"int")", R"("12")", "12");
        row("varchar 'abc' -> int", R"("type":"varchar")", R"("type":"int")", R"("abc")", "null", cannot);
        row("varchar 'abc' -> int with a default", R"("type":"varchar")", R"("type":"int","defaultValue":5)",
            R"("abc")", "null", "cannot be converted to int and become null");
        row("varchar '2.5' -> float", R"("type":"varchar")", R"("type":"float")", R"("2.5")", "2.5");
        row("varchar -> bigint", R"("type":"varchar")", R"("type":"bigint")", R"("9007199254740991")",
            "9007199254740991");
        row("int -> varchar", R"("type":"int")", R"("type":"varchar")", "12", R"("12")");
        row("int -> text", R"("type":"int")", R"("type":"text")", "-5", R"("-5")");
        row("int -> float", R"("type":"int")", R"("type":"float")", "3", "3");
        row("int 1 -> boolean", R"("type":"int")", R"("type":"boolean")", "1", "true");
        row("int 0 -> boolean", R"("type":"int")", R"("type":"boolean")", "0", "false");
        row("int 5 -> boolean", R"("type":"int")", R"("type":"boolean")", "5", "null", cannot);
        row("float 2.0 -> int", R"("type":"float")", R"("type":"int")", "2.0", "2");
        row("float 2.5 -> int", R"("type":"float")", R"("type":"int")", "2.5", "null", cannot);
        row("float -> varchar", R"("type":"float")", R"("type":"varchar")", "2.5", R"("2.5")");
        row("boolean -> int", R"("type":"boolean")", R"("type":"int")", "true", "1");
        row("varchar 'true' -> boolean", R"("type":"varchar")", R"("type":"boolean")", R"("true")", "true");
        row("varchar 'maybe' -> boolean", R"("type":"varchar")", R"("type":"boolean")", R"("maybe")", "null",
            cannot);
        row("varchar -> date", R"("type":"varchar")", R"("type":"date")", R"("2024-03-01")",
            R"("2024-03-01")");
        row("varchar bad date -> date", R"("type":"varchar")", R"("type":"date")", R"("03/01/2024")", "null",
            cannot);
        row("varchar -> datetime", R"("type":"varchar")", R"("type":"datetime")", R"("2024-03-01 10:00")",
            R"("2024-03-01T10:00:00.000Z")");
        row("datetime -> date", R"("type":"datetime")", R"("type":"date")", R"("2024-03-01T23:30:00-02:00")",
            R"("2024-03-02")");
        row("date -> datetime", R"("type":"date")", R"("type":"timestamp")", R"("2024-03-01")",
            R"("2024-03-01T00:00:00.000Z")");
        row("varchar -> uuid", R"("type":"varchar")", R"("type":"uuid")",
            R"("123E4567-E89B-12D3-A456-426614174000")", R"("123e4567-e89b-12d3-a456-426614174000")");
        row("text -> simple-json", R"("type":"text")", R"("type":"simple-json")", R"("{@Qa@Q:[1,2]}")",
            R"({"a":[1,2]})");
        row("simple-json -> text", R"("type":"simple-json")", R"("type":"text")", R"({"a":1})",
            R"("{@Qa@Q:1}")");
        row("enum -> varchar", R"("type":"enum","options":["news","blog"])", R"("type":"varchar")",
            R"("news")", R"("news")");
        row("varchar -> enum", R"("type":"varchar")", R"("type":"enum","options":["news","blog"])",
            R"("blog")", R"("blog")");
        row("varchar not an option -> enum", R"("type":"varchar")",
            R"("type":"enum","options":["news","blog"])", R"("other")", "null", cannot);
        row("varchar -> array-select", R"("type":"varchar")", R"("type":"array-select","options":["r","g"])",
            R"("[@Qg@Q]")", R"(["g"])");
        row("text -> richtext", R"("type":"text")", R"("type":"richtext")", R"("<p>x</p>")", R"("<p>x</p>")");
        row("code -> text", R"("type":"code")", R"("type":"text")", R"("x = 1")", R"("x = 1")");
        row("text -> shorter varchar", R"("type":"text")", R"("type":"varchar","length":3)", R"("abcdef")",
            R"("abc")", "longer than 3 characters");
        row("enum loses an option in use", R"("type":"enum","options":["a","b","c"])",
            R"("type":"enum","options":["a","b"])", R"("c")", "null", "cannot be converted to enum");
        row("enum loses an option not in use", R"("type":"enum","options":["a","b","c"])",
            R"("type":"enum","options":["a","b"])", R"("a")", R"("a")");
        row("enum gains an option", R"("type":"enum","options":["a","b"])",
            R"("type":"enum","options":["a","b","c"])", R"("b")", R"("b")");
        row("array-select loses an option in use", R"("type":"array-select","options":["a","b","c"])",
            R"("type":"array-select","options":["a","b"])", R"(["a","c"])", "null",
            "cannot be converted to array-select");
        row("array-select loses an option not in use", R"("type":"array-select","options":["a","b","c"])",
            R"("type":"array-select","options":["a","b"])", R"(["b","a"])", R"(["b","a"])");
        row("varchar -> longer varchar", R"("type":"varchar","length":4)", R"("type":"varchar","length":10)",
            R"("abcd")", R"("abcd")");
        row("varchar -> shorter varchar", R"("type":"varchar","length":10)", R"("type":"varchar","length":4)",
            R"("abcdefgh")", R"("abcd")", "longer than 4 characters");
    }

    void retypeConvertsValues()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QFETCH(QString, warning);
        value = expand(value);
        expected = expand(expected);
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"v",%2},
            {"name":"keep","type":"varchar"}]})")
                                           .arg(fresh("retype"), from));
        QVERIFY(t.isValid());
        const QJsonValue id = insert(t.name(), QStringLiteral(R"({"v":%1,"keep":"k"})").arg(value));
        const QJsonValue nullId = insert(t.name(), QStringLiteral(R"({"keep":"n"})"));
        QVERIFY(!id.isUndefined() && !nullId.isUndefined());

        const QString body = QStringLiteral(R"({"columns":[{"id":%1,"name":"v",%2},
            {"id":%3,"name":"keep","type":"varchar"}]})")
                                 .arg(t.columnId(u"v"))
                                 .arg(to)
                                 .arg(t.columnId(u"keep"));
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["changedColumns"][0]["name"], QJsonValue("v"));
        QCOMPARE(p["errors"], QJsonValue(QJsonArray{}));
        const QString warnings = joined(p["warnings"].toArray());
        if (warning.isEmpty()) {
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings));
        } else {
            QVERIFY2(warnings.contains(QStringLiteral("1 values of %1.v").arg(t.name())),
                     qPrintable(warnings));
            QVERIFY2(warnings.contains(warning), qPrintable(warnings));
            QCOMPARE(p["isDestructive"], QJsonValue(true));
        }
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);

        const QJsonObject converted = row(t.name(), id);
        QVERIFY2(converted["v"] == parseValue(expected),
                 QJsonDocument(converted).toJson(QJsonDocument::Compact).constData());
        QCOMPARE(converted["keep"], QJsonValue("k"));
        QCOMPARE(row(t.name(), nullId)["v"], QJsonValue(QJsonValue::Null));
        QCOMPARE(tableRow(t.id()).column(u"v")["type"], parseObject(u'{' + to + u'}')["type"]);
    }

    void retypeToRequiredColumn()
    {
        const TableRow t =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"v","type":"varchar"}]})")
                            .arg(fresh("retypeRequired")));
        QVERIFY(t.isValid());
        const QJsonValue good = insert(t.name(), QStringLiteral(R"({"v":"12"})"));
        const QJsonValue bad = insert(t.name(), QStringLiteral(R"({"v":"abc"})"));
        const QString schema = m_db.schemaDump();
        const QString data = m_db.dump(t.name());

        // Unconvertible values cannot become null in a required column: blocked.
        QString body = QStringLiteral(R"({"columns":[{"id":%1,"name":"v","type":"int","isNullable":false}]})")
                           .arg(t.columnId(u"v"));
        QJsonObject p = preview("PATCH", t.id(), body);
        QString errors = joined(p["errors"].toArray());
        QVERIFY2(errors.contains(QStringLiteral("1 values of %1.v cannot be converted to int").arg(t.name())),
                 qPrintable(errors));
        HttpReply r = confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString());
        CHECK_STATUS(r, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
        QCOMPARE(m_db.schemaDump(), schema);
        QCOMPARE(m_db.dump(t.name()), data);
        QCOMPARE(row(t.name(), bad)["v"], QJsonValue("abc"));

        // With a default they take the default, and the preview says so.
        body = QStringLiteral(
                   R"({"columns":[{"id":%1,"name":"v","type":"int","isNullable":false,"defaultValue":0}]})")
                   .arg(t.columnId(u"v"));
        p = preview("PATCH", t.id(), body);
        QCOMPARE(p["errors"], QJsonValue(QJsonArray{}));
        const QString warnings = joined(p["warnings"].toArray());
        QVERIFY2(warnings.contains(
                     QStringLiteral("1 values of %1.v cannot be converted to int and become the default 0")
                         .arg(t.name())),
                 qPrintable(warnings));
        QCOMPARE(p["isDestructive"], QJsonValue(true));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);
        QCOMPARE(row(t.name(), good)["v"], QJsonValue(12));
        QCOMPARE(row(t.name(), bad)["v"], QJsonValue(0));
        QCOMPARE(m_db.columns(t.name()).value("v"), QStringLiteral("INTEGER notnull=1 default=0 pk=0"));
    }

    void nullableToRequired()
    {
        const TableRow t = notes("nullable", 0);
        QVERIFY(t.isValid());
        const QJsonValue a = insert(t.name(), QStringLiteral(R"({"title":"a","score":1})"));
        const QJsonValue b = insert(t.name(), QStringLiteral(R"({"title":"b"})"));
        const QString body =
            QStringLiteral(R"({"columns":[{"id":%1,"name":"title","type":"varchar","length":100},
            {"id":%2,"name":"score","type":"int","isNullable":false},{"id":%3,"name":"note","type":"text"}]})")
                .arg(t.columnId(u"title"))
                .arg(t.columnId(u"score"))
                .arg(t.columnId(u"note"));
        const QString data = m_db.dump(t.name());
        QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["changedColumns"],
                 parseValue(R"([{"name":"score","changes":{"isNullable":{"from":true,"to":false}}}])"));
        QVERIFY2(joined(p["errors"].toArray()).contains(u"required score"),
                 qPrintable(joined(p["errors"].toArray())));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 409);
        QCOMPARE(m_db.dump(t.name()), data);
        QCOMPARE(m_db.columns(t.name()).value("score"),
                 QStringLiteral("INTEGER notnull=0 default=NULL pk=0"));

        CHECK_STATUS(http().patch('/' + t.name().toUtf8() + '/' + idText(b), R"({"score":2})"), 200);
        CHECK_STATUS(change(t.id(), body), 200);
        QCOMPARE(m_db.columns(t.name()).value("score"),
                 QStringLiteral("INTEGER notnull=1 default=NULL pk=0"));
        QCOMPARE(row(t.name(), a)["score"], QJsonValue(1));
        QCOMPARE(row(t.name(), b)["score"], QJsonValue(2));
        CHECK_STATUS(http().post('/' + t.name().toUtf8(), R"({"title":"c"})"), 400);
    }

    // A new default is for new rows: existing values, NULL included, stay as they are.
    void changeDefaultKeepsExistingValues()
    {
        const TableRow t = notes("newDefault", 0);
        QVERIFY(t.isValid());
        const QJsonValue a = insert(t.name(), QStringLiteral(R"({"title":"a","note":"n","score":1})"));
        const QJsonValue b = insert(t.name(), QStringLiteral(R"({"title":"b"})"));
        const QString body =
            QStringLiteral(R"({"columns":[{"id":%1,"name":"title","type":"varchar","length":100},
            {"id":%2,"name":"score","type":"int","defaultValue":5},{"id":%3,"name":"note","type":"text","defaultValue":"dn"}]})")
                .arg(t.columnId(u"title"))
                .arg(t.columnId(u"score"))
                .arg(t.columnId(u"note"));
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["changedColumns"].toArray().size(), 2);
        QCOMPARE(p["changedColumns"][1],
                 parseValue(R"({"name":"note","changes":{"defaultValue":{"from":null,"to":"dn"}}})"));
        QCOMPARE(p["warnings"], QJsonValue(QJsonArray{}));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);

        QCOMPARE(row(t.name(), a)["note"], QJsonValue("n"));
        QCOMPARE(row(t.name(), a)["score"], QJsonValue(1));
        QCOMPARE(row(t.name(), b)["note"], QJsonValue(QJsonValue::Null));
        QCOMPARE(row(t.name(), b)["score"], QJsonValue(QJsonValue::Null));
        const QJsonObject c = row(t.name(), insert(t.name(), QStringLiteral(R"({"title":"c"})")));
        QCOMPARE(c["note"], QJsonValue("dn"));
        QCOMPARE(c["score"], QJsonValue(5));
        QCOMPARE(m_db.columns(t.name()).value("note"), QStringLiteral("TEXT notnull=0 default='dn' pk=0"));
    }

    void uniqueFlagOverDuplicatesIsBlocked()
    {
        const TableRow t = notes("unique", 0);
        QVERIFY(t.isValid());
        QJsonValue ids[3];
        int i = 0;
        for (const char *title : {"x", "x", "y"})
            ids[i++] = insert(t.name(), QStringLiteral(R"({"title":"%1"})").arg(QLatin1StringView(title)));
        const QString unique =
            QStringLiteral(
                R"({"columns":[{"id":%1,"name":"title","type":"varchar","length":100,"isUnique":%4},
            {"id":%2,"name":"score","type":"int"},{"id":%3,"name":"note","type":"text"}]})")
                .arg(t.columnId(u"title"))
                .arg(t.columnId(u"score"))
                .arg(t.columnId(u"note"));
        const QString body = unique.arg(QStringLiteral("true"));
        const QString schema = m_db.schemaDump();
        const QString data = m_db.dump(t.name());
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["changedColumns"],
                 parseValue(R"([{"name":"title","changes":{"isUnique":{"from":false,"to":true}}}])"));
        const QString errors = joined(p["errors"].toArray());
        QVERIFY2(errors.contains(QStringLiteral("%1.title cannot be unique").arg(t.name())),
                 qPrintable(errors));
        const HttpReply r = confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString());
        CHECK_STATUS(r, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
        QCOMPARE(m_db.schemaDump(), schema);
        QCOMPARE(m_db.dump(t.name()), data);
        QVERIFY(m_db.indexes(t.name()).isEmpty());

        // Without the duplicate it applies, and becomes a real unique index.
        CHECK_STATUS(http().del('/' + t.name().toUtf8() + '/' + idText(ids[1])), 200);
        CHECK_STATUS(change(t.id(), body), 200);
        QCOMPARE(m_db.indexes(t.name()).value(QStringLiteral("uq_%1_title").arg(t.name())),
                 QStringLiteral("unique=1 title"));
        CHECK_STATUS(http().post('/' + t.name().toUtf8(), R"({"title":"y"})"), 409);
        CHECK_STATUS(http().patch('/' + t.name().toUtf8() + '/' + idText(ids[0]), R"({"title":"y"})"), 409);

        // And goes away with the flag.
        CHECK_STATUS(change(t.id(), unique.arg(QStringLiteral("false"))), 200);
        QVERIFY(m_db.indexes(t.name()).isEmpty());
        QVERIFY(!insert(t.name(), QStringLiteral(R"({"title":"y"})")).isUndefined());
    }

    // Values that become equal only on the way (converted, cut, or filled with one default) are
    // duplicates too: blocked in the preview, 409 on apply.
    void uniqueOverValuesThatBecomeEqual()
    {
        const TableRow t =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"code","type":"varchar"},
            {"name":"word","type":"varchar","length":10}]})")
                            .arg(fresh("becomeEqual")));
        QVERIFY(t.isValid());
        QVERIFY(!insert(t.name(), QStringLiteral(R"({"code":"1","word":"abcd1"})")).isUndefined());
        QVERIFY(!insert(t.name(), QStringLiteral(R"({"code":"01","word":"abcd2"})")).isUndefined());
        QVERIFY(!insert(t.name(), QStringLiteral("{}")).isUndefined());
        QVERIFY(!insert(t.name(), QStringLiteral("{}")).isUndefined());
        const QString columns = QStringLiteral(R"({"id":%1,"name":"code","type":"%3","isUnique":true},
            {"id":%2,"name":"word","type":"varchar","length":%4,"isUnique":true})");
        const QString schema = m_db.schemaDump();
        const QString data = m_db.dump(t.name());
        const QList<std::pair<QString, const char *>> blocked{
            {columns.arg(t.columnId(u"code")).arg(t.columnId(u"word")).arg("int").arg(10), "code"},
            {columns.arg(t.columnId(u"code")).arg(t.columnId(u"word")).arg("varchar").arg(4), "word"},
            {columns.arg(t.columnId(u"code")).arg(t.columnId(u"word")).arg("varchar").arg(10) +
                 QStringLiteral(
                     R"(,{"name":"fresh","type":"int","isNullable":false,"defaultValue":0,"isUnique":true})"),
             "fresh"}};
        for (const auto &[list, column] : blocked) {
            const QString body = QStringLiteral(R"({"columns":[%1]})").arg(list);
            const QJsonObject p = preview("PATCH", t.id(), body);
            const QString errors = joined(p["errors"].toArray());
            QVERIFY2(errors.contains(
                         QStringLiteral("%1.%2 cannot be unique").arg(t.name(), QLatin1StringView(column))),
                     qPrintable(errors));
            const HttpReply r = confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString());
            QVERIFY2(r.status == 409, qPrintable(r.describe()));
            QCOMPARE(m_db.schemaDump(), schema);
            QCOMPARE(m_db.dump(t.name()), data);
        }
        // Unique over distinct values (NULLs never collide) applies.
        CHECK_STATUS(
            change(
                t.id(),
                QStringLiteral(R"({"columns":[%1]})")
                    .arg(columns.arg(t.columnId(u"code")).arg(t.columnId(u"word")).arg("varchar").arg(10))),
            200);
        QCOMPARE(m_db.indexes(t.name()).size(), 2);
    }

    void indexFlagTouchesNoData()
    {
        const TableRow t = notes("indexed", 3);
        QVERIFY(t.isValid());
        const QString indexed =
            QStringLiteral(R"({"columns":[{"id":%1,"name":"title","type":"varchar","length":100},
            {"id":%2,"name":"score","type":"int","isIndexed":%4},{"id":%3,"name":"note","type":"text"}]})")
                .arg(t.columnId(u"title"))
                .arg(t.columnId(u"score"))
                .arg(t.columnId(u"note"));
        const QString data = m_db.dump(t.name());
        const QJsonObject p = preview("PATCH", t.id(), indexed.arg(QStringLiteral("true")));
        QCOMPARE(p["changedColumns"],
                 parseValue(R"([{"name":"score","changes":{"isIndexed":{"from":false,"to":true}}}])"));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        QCOMPARE(p["affectedTables"], QJsonValue(QJsonArray{t.name()}));
        CHECK_STATUS(confirm("PATCH", t.id(), indexed.arg(QStringLiteral("true")),
                             p["requiredConfirmHash"].toString()),
                     200);
        QCOMPARE(m_db.indexes(t.name()).value(QStringLiteral("ix_%1_score").arg(t.name())),
                 QStringLiteral("unique=0 score"));
        QCOMPARE(m_db.dump(t.name()), data);
        CHECK_STATUS(change(t.id(), indexed.arg(QStringLiteral("false"))), 200);
        QVERIFY(m_db.indexes(t.name()).isEmpty());
        QCOMPARE(m_db.dump(t.name()), data);
    }

    void columnMetadataChanges()
    {
        const TableRow t = notes("metadata", 2);
        QVERIFY(t.isValid());
        const QString body = QStringLiteral(R"({"columns":[
            {"id":%1,"name":"title","type":"varchar","length":100,"isPublished":false,"isUpdatable":false,"description":"d"},
            {"id":%2,"name":"score","type":"int"},{"id":%3,"name":"note","type":"text"}]})")
                                 .arg(t.columnId(u"title"))
                                 .arg(t.columnId(u"score"))
                                 .arg(t.columnId(u"note"));
        const QString data = m_db.dump(t.name());
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["changedColumns"],
                 parseValue(R"([{"name":"title","changes":{"isPublished":{"from":true,"to":false},
            "isUpdatable":{"from":true,"to":false},"description":{"from":"","to":"d"}}}])"));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);
        QCOMPARE(m_db.dump(t.name()), data);
        const QJsonObject title = tableRow(t.id()).column(u"title");
        QCOMPARE(title["isPublished"], QJsonValue(false));
        QCOMPARE(title["isUpdatable"], QJsonValue(false));
        QCOMPARE(title["description"], QJsonValue("d"));
        const QJsonValue first = list(t.name()).at(0)["id"];
        const HttpReply r =
            http().patch('/' + t.name().toUtf8() + '/' + idText(first), R"({"title":"new","score":9})");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().first()["title"], QJsonValue("t1"));
        QCOMPARE(r.data().first()["score"], QJsonValue(9));
    }

    // --- relation changes -----------------------------------------------------------------

    void addAndRemoveManyToOne()
    {
        const TableRow group =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}]})")
                            .arg(fresh("group")));
        QVERIFY(group.isValid());
        const QJsonValue g1 = insert(group.name(), QStringLiteral(R"({"name":"g1"})"));
        const TableRow t = notes("addRelation", 2);
        QVERIFY(t.isValid());
        const QJsonArray before = list(t.name());
        const QString added = QStringLiteral(R"({"relations":[{"propertyName":"owner","type":"many-to-one",
            "targetTable":"%1","inversePropertyName":"owned","onDelete":"SET NULL"}]})")
                                  .arg(group.name());
        QJsonObject p = preview("PATCH", t.id(), added);
        QCOMPARE(p["addedRelations"],
                 QJsonValue(QJsonArray{QJsonObject{
                     {"propertyName", "owner"}, {"type", "many-to-one"}, {"targetTable", group.name()}}}));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        QCOMPARE(p["warnings"], QJsonValue(QJsonArray{}));
        CHECK_STATUS(confirm("PATCH", t.id(), added, p["requiredConfirmHash"].toString()), 200);

        QCOMPARE(m_db.columnNames(t.name()),
                 QStringList({"id", "title", "score", "note", "ownerId", "createdAt", "updatedAt"}));
        QCOMPARE(m_db.foreignKeys(t.name()),
                 QStringList{QStringLiteral("ownerId -> %1(id) ON DELETE SET NULL").arg(group.name())});
        QJsonArray after = list(t.name());
        for (qsizetype i = 0; i < after.size(); ++i) {
            QJsonObject expected = before[i].toObject();
            expected.insert(QStringLiteral("owner"), QJsonValue::Null);
            QCOMPARE(after[i].toObject(), expected);
        }
        const QJsonValue first = before[0]["id"];
        CHECK_STATUS(http().patch('/' + t.name().toUtf8() + '/' + idText(first),
                                  QStringLiteral(R"({"owner":%1})").arg(g1.toInteger()).toUtf8()),
                     200);
        QCOMPARE(row(group.name(), g1)["owned"], QJsonValue(QJsonArray{QJsonObject{{"id", first}}}));

        const QString removed = QStringLiteral(R"({"relations":[]})");
        p = preview("PATCH", t.id(), removed);
        QCOMPARE(p["removedRelations"], QJsonValue(QJsonArray{QJsonObject{{"propertyName", "owner"},
                                                                          {"type", "many-to-one"},
                                                                          {"targetTable", group.name()},
                                                                          {"table", t.name()}}}));
        QCOMPARE(p["isDestructive"], QJsonValue(true));
        QCOMPARE(p["warnings"], QJsonValue(QJsonArray{
                                    QStringLiteral("1 values of %1.ownerId will be deleted").arg(t.name())}));
        CHECK_STATUS(confirm("PATCH", t.id(), removed, p["requiredConfirmHash"].toString()), 200);
        QCOMPARE(m_db.columnNames(t.name()),
                 QStringList({"id", "title", "score", "note", "createdAt", "updatedAt"}));
        after = list(t.name());
        QCOMPARE(after.at(0)["title"], before[0]["title"]);
        QCOMPARE(after.at(1)["note"], before[1]["note"]);
        QVERIFY(!after[0].toObject().contains(u"owner"));
        QVERIFY(!row(group.name(), g1).contains(u"owned"));
        QCOMPARE(namesOf(list(group.name())), QStringList{"g1"});
    }

    void addOneToManyRebuildsTheTarget()
    {
        const TableRow target = notes("rebuiltTarget", 3);
        QVERIFY(target.isValid());
        const QJsonArray before = list(target.name());
        const TableRow source =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}]})")
                            .arg(fresh("source")));
        QVERIFY(source.isValid());
        const QString body = QStringLiteral(R"({"relations":[{"propertyName":"entries","type":"one-to-many",
            "targetTable":"%1","inversePropertyName":"source","onDelete":"RESTRICT"}]})")
                                 .arg(target.name());
        const QJsonObject p = preview("PATCH", source.id(), body);
        QVERIFY(strings(p["affectedTables"]).contains(target.name()));
        CHECK_STATUS(confirm("PATCH", source.id(), body, p["requiredConfirmHash"].toString()), 200);
        QCOMPARE(m_db.foreignKeys(target.name()),
                 QStringList{QStringLiteral("sourceId -> %1(id) ON DELETE RESTRICT").arg(source.name())});
        const QJsonArray after = list(target.name());
        for (qsizetype i = 0; i < after.size(); ++i) {
            QJsonObject expected = before[i].toObject();
            expected.insert(QStringLiteral("source"), QJsonValue::Null);
            QCOMPARE(after[i].toObject(), expected);
        }
        const QJsonValue s1 = insert(source.name(), QStringLiteral(R"({"name":"s1"})"));
        CHECK_STATUS(http().patch('/' + target.name().toUtf8() + '/' + idText(before[0]["id"]),
                                  QStringLiteral(R"({"source":%1})").arg(s1.toInteger()).toUtf8()),
                     200);
        CHECK_STATUS(http().del('/' + source.name().toUtf8() + '/' + idText(s1)), 409); // RESTRICT
        const QJsonArray linked = list(target.name());

        CHECK_STATUS(change(source.id(), QStringLiteral(R"({"relations":[]})")), 200);
        QCOMPARE(m_db.columnNames(target.name()),
                 QStringList({"id", "title", "score", "note", "createdAt", "updatedAt"}));
        QCOMPARE(list(target.name()), without(linked, "source"));
        CHECK_STATUS(http().del('/' + source.name().toUtf8() + '/' + idText(s1)), 200);
    }

    // onDelete, nullability, the property and inverse names and the kind of a relation change in place.
    void changeRelationInPlace()
    {
        const TableRow parent = createTable(
            QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}]})").arg(fresh("p")));
        const TableRow child =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"name","type":"varchar"}],
            "relations":[{"propertyName":"up","type":"many-to-one","targetTable":"%2","inversePropertyName":"downs"}]})")
                            .arg(fresh("c"), parent.name()));
        QVERIFY(parent.isValid() && child.isValid());
        QCOMPARE(child.relation(u"up")["onDelete"], QJsonValue("SET NULL")); // the default
        const qint64 p1 = insert(parent.name(), QStringLiteral(R"({"name":"p1"})")).toInteger();
        for (const char *name : {"c1", "c2"})
            QVERIFY(!insert(child.name(),
                            QStringLiteral(R"({"name":"%1","up":%2})").arg(QLatin1StringView(name)).arg(p1))
                         .isUndefined());
        const QString data = m_db.dump(child.name());
        const QString relation = QStringLiteral(R"({"relations":[{"id":%1,"propertyName":"%3","type":"%4",
            "targetTable":"%2","inversePropertyName":"%5","onDelete":"CASCADE","isNullable":false}]})")
                                     .arg(child.relationId(u"up"))
                                     .arg(parent.name());

        QString body = relation.arg("up", "many-to-one", "downs");
        QJsonObject p = preview("PATCH", child.id(), body);
        QCOMPARE(p["changedRelations"].toArray().size(), 1);
        QCOMPARE(p["changedRelations"][0]["from"]["propertyName"], QJsonValue("up"));
        QCOMPARE(p["errors"], QJsonValue(QJsonArray{}));
        CHECK_STATUS(confirm("PATCH", child.id(), body, p["requiredConfirmHash"].toString()), 200);
        QCOMPARE(m_db.foreignKeys(child.name()),
                 QStringList{QStringLiteral("upId -> %1(id) ON DELETE CASCADE").arg(parent.name())});
        QCOMPARE(m_db.columns(child.name()).value("upId"),
                 QStringLiteral("INTEGER notnull=1 default=NULL pk=0"));
        QCOMPARE(m_db.dump(child.name()), data);
        QCOMPARE(tableRow(child.id()).relation(u"up")["onDelete"], QJsonValue("CASCADE"));

        // New names: the key column is renamed with its values, the inverse answers under its new name.
        body = relation.arg("parent", "many-to-one", "children");
        p = preview("PATCH", child.id(), body);
        QCOMPARE(p["changedRelations"][0]["to"]["propertyName"], QJsonValue("parent"));
        CHECK_STATUS(confirm("PATCH", child.id(), body, p["requiredConfirmHash"].toString()), 200);
        QCOMPARE(m_db.foreignKeys(child.name()),
                 QStringList{QStringLiteral("parentId -> %1(id) ON DELETE CASCADE").arg(parent.name())});
        QCOMPARE(namesOf(list(child.name(), "fields=name,parent.name")), QStringList({"c1", "c2"}));
        QCOMPARE(list(child.name(), "fields=name,parent.name").at(1)["parent"]["name"], QJsonValue("p1"));
        QCOMPARE(namesOf(row(parent.name(), p1, "fields=*,children.*")["children"].toArray()),
                 QStringList({"c1", "c2"}));
        CHECK_STATUS(http().get('/' + parent.name().toUtf8() + "?fields=downs"), 400);

        // One-to-one would make the key unique: two children of p1 block it.
        body = relation.arg("parent", "one-to-one", "child");
        p = preview("PATCH", child.id(), body);
        QVERIFY2(joined(p["errors"].toArray())
                     .contains(QStringLiteral("%1.parentId cannot be unique").arg(child.name())),
                 qPrintable(joined(p["errors"].toArray())));
        CHECK_STATUS(confirm("PATCH", child.id(), body, p["requiredConfirmHash"].toString()), 409);

        CHECK_STATUS(http().del('/' + parent.name().toUtf8() + '/' + QByteArray::number(p1)), 200);
        QCOMPARE(m_db.count(child.name()), 0);
    }

    void addAndRemoveManyToMany()
    {
        const TableRow a = notes("m2mA", 2);
        const TableRow b = notes("m2mB", 2);
        QVERIFY(a.isValid() && b.isValid());
        const QJsonArray aBefore = list(a.name());
        const QJsonArray bBefore = list(b.name());
        const QString body = QStringLiteral(R"({"relations":[{"propertyName":"bs","type":"many-to-many",
            "targetTable":"%1","inversePropertyName":"as"}]})")
                                 .arg(b.name());
        CHECK_STATUS(change(a.id(), body), 200);
        const QString junction = QStringLiteral("hearth_junction_%1").arg(tableRow(a.id()).relationId(u"bs"));
        QVERIFY(m_db.hasTable(junction));
        QCOMPARE(m_db.columnNames(a.name()),
                 QStringList({"id", "title", "score", "note", "createdAt", "updatedAt"}));
        const QJsonValue a1 = aBefore[0]["id"];
        const HttpReply r =
            http().patch('/' + a.name().toUtf8() + '/' + idText(a1), QStringLiteral(R"({"bs":[%1,%2]})")
                                                                         .arg(bBefore[0]["id"].toInteger())
                                                                         .arg(bBefore[1]["id"].toInteger())
                                                                         .toUtf8());
        CHECK_STATUS(r, 200);
        QCOMPARE(m_db.count(junction), 2);
        QCOMPARE(row(b.name(), bBefore[1]["id"])["as"], QJsonValue(QJsonArray{QJsonObject{{"id", a1}}}));
        const QJsonArray aLinked = list(a.name());

        const QJsonObject p = preview("PATCH", a.id(), QStringLiteral(R"({"relations":[]})"));
        QCOMPARE(p["removedRelations"][0]["propertyName"], QJsonValue("bs"));
        QVERIFY2(joined(p["warnings"].toArray()).contains(u"2 many-to-many links will be deleted"),
                 qPrintable(joined(p["warnings"].toArray())));
        CHECK_STATUS(confirm("PATCH", a.id(), QStringLiteral(R"({"relations":[]})"),
                             p["requiredConfirmHash"].toString()),
                     200);
        QVERIFY(!m_db.hasTable(junction));
        QCOMPARE(list(a.name()), without(aLinked, "bs"));
        QCOMPARE(list(b.name()), bBefore);
    }

    // Pointing a relation at another table keeps no ids of the old one.
    void retargetRelations()
    {
        const TableRow oldTarget = notes("oldTarget", 1);
        const TableRow newTarget = notes("newTarget", 2);
        QVERIFY(oldTarget.isValid() && newTarget.isValid());
        const TableRow t =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"n","type":"varchar"}],
            "relations":[{"propertyName":"links","type":"many-to-many","targetTable":"%2","inversePropertyName":"linked"},
                         {"propertyName":"owner","type":"many-to-one","targetTable":"%2","inversePropertyName":"owned"}]})")
                            .arg(fresh("retarget"), oldTarget.name()));
        QVERIFY(t.isValid());
        const QJsonValue a1 = insert(t.name(), QStringLiteral(R"({"n":"a1","links":[1],"owner":1})"));
        QVERIFY(!a1.isUndefined());
        const QString junction = QStringLiteral("hearth_junction_%1").arg(t.relationId(u"links"));
        const QJsonArray oldRows = list(oldTarget.name());

        const QString body = QStringLiteral(R"({"relations":[
            {"id":%1,"propertyName":"links","type":"many-to-many","targetTable":"%3","inversePropertyName":"linked"},
            {"id":%2,"propertyName":"owner","type":"many-to-one","targetTable":"%3","inversePropertyName":"owned"}]})")
                                 .arg(t.relationId(u"links"))
                                 .arg(t.relationId(u"owner"))
                                 .arg(newTarget.name());
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["changedRelations"].toArray().size(), 2);
        QCOMPARE(p["changedRelations"][1]["to"]["targetTable"], QJsonValue(newTarget.name()));
        QCOMPARE(p["isDestructive"], QJsonValue(true));
        const QString warnings = joined(p["warnings"].toArray());
        QVERIFY2(warnings.contains(QStringLiteral("1 values of %1.ownerId will be deleted").arg(t.name())),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains(u"1 many-to-many links will be deleted"), qPrintable(warnings));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);

        QCOMPARE(m_db.foreignKeys(t.name()),
                 QStringList{QStringLiteral("ownerId -> %1(id) ON DELETE SET NULL").arg(newTarget.name())});
        QCOMPARE(m_db.foreignKeys(junction).join(u';'),
                 QStringLiteral("sourceId -> %1(id) ON DELETE CASCADE;targetId -> %2(id) ON DELETE CASCADE")
                     .arg(t.name(), newTarget.name()));
        QJsonObject a = row(t.name(), a1);
        QCOMPARE(a["n"], QJsonValue("a1"));
        QCOMPARE(a["owner"], QJsonValue(QJsonValue::Null));
        QCOMPARE(a["links"], QJsonValue(QJsonArray{}));
        CHECK_STATUS(http().patch('/' + t.name().toUtf8() + '/' + idText(a1), R"({"links":[2],"owner":2})"),
                     200);
        a = row(t.name(), a1, "fields=*,links.*,owner.*");
        QCOMPARE(a.value("owner")["title"], QJsonValue("t2"));
        QCOMPARE(namesOf(a["links"].toArray(), "title"), QStringList{"t2"});
        QCOMPARE(without(list(oldTarget.name()), "linked"), without(without(oldRows, "linked"), "owned"));
    }

    // --- table rename ---------------------------------------------------------------------

    void renameTableMovesItsRoute()
    {
        const TableRow t = createTable(
            QStringLiteral(R"({"name":"%1","columns":[{"name":"label","type":"varchar","isUnique":true}]})")
                .arg(fresh("oldName")));
        QVERIFY(t.isValid());
        const TableRow ref = createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"x","type":"int"}],
            "relations":[{"propertyName":"t","type":"many-to-one","targetTable":"%2","inversePropertyName":"refs","onDelete":"CASCADE"},
                         {"propertyName":"many","type":"many-to-many","targetTable":"%2","inversePropertyName":"manyRefs"}]})")
                                             .arg(fresh("ref"), t.name()));
        QVERIFY(ref.isValid());
        const QJsonValue t1 = insert(t.name(), QStringLiteral(R"({"label":"t1"})"));
        const QJsonValue t2 = insert(t.name(), QStringLiteral(R"({"label":"t2"})"));
        const QJsonValue r1 = insert(
            ref.name(),
            QStringLiteral(R"({"x":1,"t":%1,"many":[%1,%2]})").arg(t1.toInteger()).arg(t2.toInteger()));
        QVERIFY(!r1.isUndefined());
        const QJsonArray before = list(t.name());
        const QString junction = QStringLiteral("hearth_junction_%1").arg(ref.relationId(u"many"));

        const QString name = fresh("newName");
        const QString body = QStringLiteral(R"({"name":"%1"})").arg(name);
        const QJsonObject p = preview("PATCH", t.id(), body);
        QCOMPARE(p["renamedTable"], QJsonValue(QJsonObject{{"from", t.name()}, {"to", name}}));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        QCOMPARE(p["warnings"], QJsonValue(QJsonArray{}));
        for (const char *key : {"addedColumns", "removedColumns", "renamedColumns", "changedColumns",
                                "addedRelations", "removedRelations", "changedRelations"})
            QCOMPARE(p[QLatin1StringView(key)], QJsonValue(QJsonArray{}));
        CHECK_STATUS(http().get('/' + name.toUtf8()), 404);
        HttpReply r = confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().first()["name"], QJsonValue(name));

        // The route moved, the data came along.
        CHECK_STATUS(http().get('/' + t.name().toUtf8()), 404);
        CHECK_STATUS(http().get('/' + t.name().toUtf8() + '/' + idText(t1)), 404);
        QCOMPARE(list(name, "fields=*,refs.*,manyRefs.*").size(), 2);
        QCOMPARE(list(name), before);
        QCOMPARE(list(QStringLiteral("hearth_route"), "filter[mainTable][_eq]=" + QByteArray::number(t.id()))
                     .at(0)["path"],
                 QJsonValue(u'/' + name));
        QVERIFY(!m_db.hasTable(t.name()));
        QVERIFY(m_db.hasTable(name));
        QCOMPARE(m_db.indexes(name).keys(), QStringList{QStringLiteral("uq_%1_label").arg(name)});
        CHECK_STATUS(http().post('/' + name.toUtf8(), R"({"label":"t1"})"), 409);
        QVERIFY(!insert(name, QStringLiteral(R"({"label":"t3"})")).isUndefined());

        // Relations of other tables follow the new name.
        QCOMPARE(m_db.foreignKeys(ref.name()),
                 QStringList{QStringLiteral("tId -> %1(id) ON DELETE CASCADE").arg(name)});
        QCOMPARE(m_db.foreignKeys(junction).join(u';'),
                 QStringLiteral("sourceId -> %1(id) ON DELETE CASCADE;targetId -> %2(id) ON DELETE CASCADE")
                     .arg(ref.name(), name));
        QCOMPARE(row(ref.name(), r1, "fields=*,t.*").value("t")["label"], QJsonValue("t1"));
        QCOMPARE(namesOf(row(name, t2, "fields=*,manyRefs.*")["manyRefs"].toArray(), "x").size(), 1);
        CHECK_STATUS(http().del('/' + name.toUtf8() + '/' + idText(t1)), 200);
        QVERIFY(row(ref.name(), r1).isEmpty()); // cascaded through the renamed table
        QCOMPARE(m_db.count(junction), 0);
        QCOMPARE(tableRow(ref.id()).relation(u"t")["targetTable"], QJsonValue(QJsonObject{{"id", t.id()}}));
    }

    void renameTableToAnotherCase()
    {
        const QString name = fresh("casename");
        const TableRow t = createTable(
            QStringLiteral(R"({"name":"%1","columns":[{"name":"v","type":"int","isIndexed":true}]})")
                .arg(name));
        QVERIFY(t.isValid());
        QVERIFY(!insert(name, QStringLiteral(R"({"v":1})")).isUndefined());
        const QString upper = name.left(1).toUpper() + name.mid(1);
        CHECK_STATUS(change(t.id(), QStringLiteral(R"({"name":"%1"})").arg(upper)), 200);
        QCOMPARE(list(upper).size(), 1);
        QCOMPARE(list(upper).at(0)["v"], QJsonValue(1));
        CHECK_STATUS(http().get('/' + name.toUtf8()), 404);
        QCOMPARE(m_db.tables().filter(name, Qt::CaseInsensitive), QStringList{upper});
        QCOMPARE(m_db.indexes(upper).keys(), QStringList{QStringLiteral("ix_%1_v").arg(upper)});

        // A column, too.
        CHECK_STATUS(change(t.id(), QStringLiteral(
                                        R"({"columns":[{"id":%1,"name":"V","type":"int","isIndexed":true}]})")
                                        .arg(t.columnId(u"v"))),
                     200);
        QCOMPARE(m_db.columnNames(upper), QStringList({"id", "V", "createdAt", "updatedAt"}));
        QCOMPARE(list(upper).at(0)["V"], QJsonValue(1));
        QCOMPARE(m_db.indexes(upper).keys(), QStringList{QStringLiteral("ix_%1_V").arg(upper)});
    }

    void renameTableRefusals()
    {
        const TableRow t = notes("renameRefused", 1);
        const TableRow other = notes("renameRefusedOther", 0);
        QVERIFY(t.isValid() && other.isValid());
        const TableRow withRelation = createTable(QStringLiteral(R"({"name":"%1","relations":[
            {"propertyName":"r","type":"many-to-one","targetTable":"%2"}]})")
                                                      .arg(fresh("renameRefusedRelation"), t.name()));
        QVERIFY(withRelation.isValid());
        const QString before = m_db.schemaDump();
        for (const char *name :
             {"hearth_x", "sqlite_x", "bad name", "x\\\"; DROP TABLE hearth_table; --", ""}) {
            const HttpReply r = http().patch(
                tablePath(t.id()), QStringLiteral(R"({"name":"%1"})").arg(QLatin1StringView(name)).toUtf8());
            QVERIFY2(r.status == 400, qPrintable(QLatin1StringView(name) + u' ' + r.describe()));
        }
        CHECK_STATUS(http().patch(tablePath(t.id()), R"({"primaryKeyType":"uuid"})"), 400);
        CHECK_STATUS(
            http().patch(tablePath(t.id()), R"({"columns":[{"id":999999,"name":"x","type":"int"}]})"), 400);
        // Entries with the id of another table's column or relation.
        HttpReply r = http().patch(
            tablePath(t.id()), QStringLiteral(R"({"columns":[{"id":%1,"name":"title","type":"varchar"}]})")
                                   .arg(other.columnId(u"title"))
                                   .toUtf8());
        CHECK_STATUS(r, 400);
        QVERIFY2(r.message().contains(u"is not a column of"), qPrintable(r.message()));
        r = http().patch(
            tablePath(t.id()),
            QStringLiteral(
                R"({"relations":[{"id":%1,"propertyName":"r","type":"many-to-one","targetTable":"%2"}]})")
                .arg(withRelation.relationId(u"r"))
                .arg(t.name())
                .toUtf8());
        CHECK_STATUS(r, 400);
        QVERIFY2(r.message().contains(u"is not a relation of"), qPrintable(r.message()));
        CHECK_STATUS(http().patch(tablePath(999999), R"({"name":"whatever"})"), 404);
        CHECK_STATUS(http().del(tablePath(999999)), 404);
        CHECK_STATUS(http().patch("/hearth_table/abc", R"({"name":"whatever"})"), 400);
        QCOMPARE(m_db.schemaDump(), before);
    }

    // --- round trip and restart -----------------------------------------------------------

    // The row /hearth_table answers, sent back as it is, changes nothing.
    void ownRowSentBackChangesNothing()
    {
        const TableRow target = notes("roundTarget", 1);
        const TableRow t = createTable(QStringLiteral(R"({"name":"%1","description":"d","columns":[
            {"name":"name","type":"varchar","length":40,"isNullable":false,"isUnique":true},
            {"name":"kind","type":"enum","options":["a","b"],"defaultValue":"a"},
            {"name":"n","type":"int","isIndexed":true,"isUpdatable":false,"isPublished":false},
            {"name":"meta","type":"simple-json","defaultValue":{"x":[1]}}],
            "relations":[{"propertyName":"up","type":"many-to-one","targetTable":"%2","inversePropertyName":"downs",
                          "onDelete":"RESTRICT"},
                         {"propertyName":"links","type":"many-to-many","targetTable":"%2"}]})")
                                           .arg(fresh("roundTrip"), target.name()));
        QVERIFY(t.isValid());
        QVERIFY(!insert(t.name(), QStringLiteral(R"({"name":"r1","n":1})")).isUndefined());
        const QString ddl =
            m_db.value("SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name = ?", {t.name()});
        const QString data = m_db.dump(t.name());

        const QString body = QString::fromUtf8(QJsonDocument(tableRow(t.id()).row).toJson());
        const QJsonObject p = preview("PATCH", t.id(), body);
        for (const char *key :
             {"addedColumns", "removedColumns", "renamedColumns", "changedColumns", "addedRelations",
              "removedRelations", "changedRelations", "affectedTables", "warnings", "errors"})
            QVERIFY2(p[QLatin1StringView(key)] == QJsonValue(QJsonArray{}),
                     qPrintable(QLatin1StringView(key) + QStringLiteral(": ") +
                                QString::fromUtf8(QJsonDocument(p).toJson())));
        QCOMPARE(p["isDestructive"], QJsonValue(false));
        CHECK_STATUS(confirm("PATCH", t.id(), body, p["requiredConfirmHash"].toString()), 200);
        QCOMPARE(
            m_db.value("SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name = ?", {t.name()}),
            ddl);
        QCOMPARE(m_db.dump(t.name()), data);
        const TableRow after = tableRow(t.id());
        QCOMPARE(after.column(u"kind")["defaultValue"], QJsonValue("a"));
        QCOMPARE(after.column(u"name")["defaultValue"], QJsonValue(QJsonValue::Null));
        CHECK_STATUS(http().post('/' + t.name().toUtf8(), R"({"n":2})"), 400); // name is still required
    }

    void schemaSurvivesRestart()
    {
        const TableRow device = createTable(QStringLiteral(R"({"name":"%1","primaryKeyType":"uuid","columns":[
            {"name":"serial","type":"varchar","isUnique":true,"isNullable":false},
            {"name":"kind","type":"enum","options":["a","b"],"defaultValue":"b"},
            {"name":"seen","type":"datetime","isIndexed":true}]})")
                                                .arg(fresh("survivor")));
        QVERIFY(device.isValid());
        const TableRow reading =
            createTable(QStringLiteral(R"({"name":"%1","columns":[{"name":"value","type":"float"}],
            "relations":[{"propertyName":"device","type":"many-to-one","targetTable":"%2","inversePropertyName":"readings",
                          "onDelete":"CASCADE","isNullable":false},
                         {"propertyName":"tags","type":"many-to-many","targetTable":"%2","inversePropertyName":"tagged"}]})")
                            .arg(fresh("reading"), device.name()));
        QVERIFY(reading.isValid());
        const QJsonValue d1 =
            insert(device.name(), QStringLiteral(R"({"serial":"s1","seen":"2024-01-01T00:00:00Z"})"));
        const QJsonValue d2 = insert(device.name(), QStringLiteral(R"({"serial":"s2"})"));
        QVERIFY(!insert(reading.name(), QStringLiteral(R"({"value":1.5,"device":"%1","tags":["%2"]})")
                                            .arg(d1.toString(), d2.toString()))
                     .isUndefined());
        // A change applied before the restart, a table renamed.
        const QString renamed = fresh("renamedSurvivor");
        CHECK_STATUS(
            change(reading.id(),
                   QStringLiteral(R"({"name":"%1","columns":[{"id":%2,"name":"amount","type":"float"},
            {"name":"unit","type":"varchar","defaultValue":"kg"}]})")
                       .arg(renamed)
                       .arg(reading.columnId(u"value"))),
            200);
        // And a preview whose hash is used after the restart.
        const QString pending = QStringLiteral(R"({"description":"after restart"})");
        const QString hash = preview("PATCH", device.id(), pending)["requiredConfirmHash"].toString();

        const QJsonObject deviceRow = tableRow(device.id()).row;
        const QJsonObject readingRow = tableRow(reading.id()).row;
        const QJsonArray devices = list(device.name(), "fields=*,readings.*,tagged.*");
        const QJsonArray readings = list(renamed, "fields=*,device.*,tags.*");
        const QString schema = m_db.schemaDump();
        const QStringList tables = tableNames();

        QVERIFY(m_server->restart());
        m_client->disconnectFromServer();

        QCOMPARE(m_db.schemaDump(), schema);
        QCOMPARE(tableNames(), tables);
        QCOMPARE(tableRow(device.id()).row, deviceRow);
        QCOMPARE(tableRow(reading.id()).row, readingRow);
        QCOMPARE(list(device.name(), "fields=*,readings.*,tagged.*"), devices);
        QCOMPARE(list(renamed, "fields=*,device.*,tags.*"), readings);
        QCOMPARE(readings[0]["amount"], QJsonValue(1.5));
        QCOMPARE(readings[0]["unit"], QJsonValue("kg"));
        CHECK_STATUS(http().get('/' + reading.name().toUtf8()), 404);
        CHECK_STATUS(http().post('/' + device.name().toUtf8(), R"({"serial":"s1"})"), 409);
        CHECK_STATUS(http().post('/' + device.name().toUtf8(), R"({"kind":"a"})"), 400);
        QCOMPARE(row(device.name(), insert(device.name(), QStringLiteral(R"({"serial":"s3"})")))["kind"],
                 QJsonValue("b"));

        // The schema revision was kept: the preview from before still confirms.
        HttpReply r = confirm("PATCH", device.id(), pending, hash);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().first()["description"], QJsonValue("after restart"));
        CHECK_STATUS(http().del('/' + device.name().toUtf8() + '/' + idText(d1)), 200);
        QCOMPARE(list(renamed).size(), 0); // the cascade still works
        CHECK_STATUS(dropTable(reading.id()), 200);
        QVERIFY(!m_db.tables().contains(renamed));
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
