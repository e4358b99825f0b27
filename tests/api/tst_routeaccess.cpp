// Route access through real HTTP against a real server (API.md "Auth",
// route access in order): public methods, 401 without a user, the root admin,
// route permissions by role or by listed users, 403 otherwise; system tables
// that only the root admin may use unless granted; the hearth_user table
// (hashed passwords that never come back, the last root admin); sessions and
// tokens that are written only by /auth but revoked by deleting their row.

#include "hearthtestserver.h"
#include "sqlitepeek.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QUrl>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace Hearth;

namespace {

const QString kPassword = QStringLiteral("route-pass-1");

const QStringList kSystemTables{"hearth_table",     "hearth_column",           "hearth_relation",
                                "hearth_route",     "hearth_setting",          "hearth_role",
                                "hearth_user",      "hearth_session",          "hearth_spent_token",
                                "hearth_api_token", "hearth_route_permission", "hearth_field_permission",
                                "hearth_pre_hook",  "hearth_post_hook",        "hearth_route_handler"};

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray filterQuery(const QJsonObject &filter)
{
    return "filter=" + QUrl::toPercentEncoding(compact(filter));
}

QByteArray idText(const QJsonValue &id)
{
    return id.isString() ? id.toString().toUtf8() : QByteArray::number(id.toInteger());
}

struct User
{
    QString id;
    QString email;
    QByteArray access;
    QByteArray refresh;
    bool isValid() const { return !id.isEmpty() && !access.isEmpty(); }
};

} // namespace

class TestRouteAccess : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    std::unique_ptr<TestHttpClient> m_client; // sends no token unless asked
    int m_counter = 0;
    QString m_adminId;
    qint64 m_editorRole = 0;
    qint64 m_viewerRole = 0;
    User m_editor; // role editor
    User m_viewer; // role viewer
    User m_plain;  // no role
    User m_other;  // no role
    QByteArray m_notesRoute;
    QByteArray m_noteId; // a row of notes

    QString dbPath() const { return m_server->dataDir() + QStringLiteral("/data.db"); }

    QString newEmail(const char *tag) { return QStringLiteral("%1-%2@route.test").arg(tag).arg(++m_counter); }

    HttpReply as(const QByteArray &token, const QByteArray &method, const QByteArray &path,
                 const QByteArray &body = {})
    {
        HttpHeaders headers;
        if (!token.isEmpty())
            headers.append(std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + token));
        if (!body.isEmpty())
            headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        return m_client->request(method, path, body, headers);
    }

    HttpReply as(const QByteArray &token, const QByteArray &method, const QByteArray &path,
                 const QJsonObject &body)
    {
        return as(token, method, path, compact(body));
    }

    HttpReply anonymous(const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
    {
        return as({}, method, path, body);
    }

    HttpReply login(const QString &email, const QString &password)
    {
        return m_client->post("/auth/login", QJsonObject{{"email", email}, {"password", password}});
    }

    // A user made by the root admin and signed in.
    User newUser(const char *tag, qint64 role = 0)
    {
        User user;
        user.email = newEmail(tag);
        QJsonObject body{{"email", user.email}, {"password", kPassword}};
        if (role)
            body.insert("role", role);
        const HttpReply created = m_admin->post("/hearth_user", body);
        if (created.status != 201) {
            qWarning("create user: %s", qPrintable(created.describe()));
            return user;
        }
        user.id = created.data().at(0).toObject().value("id").toString();
        const HttpReply r = login(user.email, kPassword);
        user.access = r.object().value("accessToken").toString().toLatin1();
        user.refresh = r.object().value("refreshToken").toString().toLatin1();
        return user;
    }

    qint64 createRole(const QString &name)
    {
        const HttpReply r = m_admin->post("/hearth_role", QJsonObject{{"name", name}});
        if (r.status != 201)
            qWarning("create role: %s", qPrintable(r.describe()));
        return r.data().at(0).toObject().value("id").toInteger();
    }

    // The id of a route, as text; empty when there is none.
    QByteArray routeId(const QString &path)
    {
        const HttpReply r = m_admin->get("/hearth_route?fields=id&" + filterQuery({{"path", path}}));
        return r.data().isEmpty() ? QByteArray() : idText(r.data().at(0).toObject().value("id"));
    }

    // A route permission made by the root admin; its id as text, empty on failure.
    QByteArray grant(const QJsonObject &permission)
    {
        const HttpReply r = m_admin->post("/hearth_route_permission", permission);
        if (r.status != 201) {
            qWarning("grant %s: %s", compact(permission).constData(), qPrintable(r.describe()));
            return {};
        }
        return idText(r.data().at(0).toObject().value("id"));
    }

    bool revoke(const QByteArray &permissionId)
    {
        return m_admin->del("/hearth_route_permission/" + permissionId).status == 200;
    }

    bool setPublicMethods(const QByteArray &route, const QJsonArray &methods)
    {
        const HttpReply r = m_admin->patch("/hearth_route/" + route, QJsonObject{{"publicMethods", methods}});
        if (r.status != 200)
            qWarning("publicMethods: %s", qPrintable(r.describe()));
        return r.status == 200;
    }

    // The status of each method on /notes (and /notes/:id) for a token (empty: anonymous).
    QString notesStatuses(const QByteArray &token)
    {
        const QByteArray item = "/notes/" + m_noteId;
        const int get = as(token, "GET", "/notes").status;
        const int getOne = as(token, "GET", item).status;
        const int post = as(token, "POST", "/notes", QJsonObject{{"title", "new"}}).status;
        const int patch = as(token, "PATCH", item, QJsonObject{{"title", "changed"}}).status;
        // DELETE is asked of a row made for it, so that the seeded one stays.
        const HttpReply made = m_admin->post("/notes", QJsonObject{{"title", "doomed"}});
        const QByteArray doomed = "/notes/" + idText(made.data().at(0).toObject().value("id"));
        const int del = as(token, "DELETE", doomed).status;
        if (del != 200)
            m_admin->del(doomed);
        return QStringLiteral("GET %1, GET/:id %2, POST %3, PATCH %4, DELETE %5")
            .arg(get)
            .arg(getOne)
            .arg(post)
            .arg(patch)
            .arg(del);
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_admin = m_server->adminClient();
        m_client = std::make_unique<TestHttpClient>(m_server->port());
        QVERIFY(m_server->setSetting("bcryptCost", 4)); // many users here; the root admin keeps cost 10
        HttpReply r = m_admin->get("/me");
        CHECK_STATUS(r, 200);
        m_adminId = r.data().at(0).toObject().value("id").toString();

        m_editorRole = createRole("editor");
        m_viewerRole = createRole("viewer");
        QVERIFY(m_editorRole > 0 && m_viewerRole > 0);
        m_editor = newUser("editor", m_editorRole);
        m_viewer = newUser("viewer", m_viewerRole);
        m_plain = newUser("plain");
        m_other = newUser("other");
        QVERIFY(m_editor.isValid() && m_viewer.isValid() && m_plain.isValid() && m_other.isValid());

        r = m_admin->post(
            "/hearth_table",
            QJsonObject{{"name", "notes"},
                        {"columns", QJsonArray{QJsonObject{{"name", "title"}, {"type", "varchar"}}}}});
        CHECK_STATUS(r, 201);
        m_notesRoute = routeId("/notes");
        QVERIFY(!m_notesRoute.isEmpty());
        r = m_admin->post("/notes", QJsonObject{{"title", "seed"}});
        CHECK_STATUS(r, 201);
        m_noteId = idText(r.data().at(0).toObject().value("id"));
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_admin.reset();
        m_server.reset();
    }

    // --- defaults -----------------------------------------------------------------

    void newTablesArePrivate()
    {
        const HttpReply route = m_admin->get("/hearth_route/" + m_notesRoute);
        CHECK_STATUS(route, 200);
        QCOMPARE(route.data().at(0).toObject().value("publicMethods"), QJsonValue(QJsonArray()));
        QCOMPARE(notesStatuses({}), QStringLiteral("GET 401, GET/:id 401, POST 401, PATCH 401, DELETE 401"));
        for (const User *user : {&m_editor, &m_viewer, &m_plain})
            QCOMPARE(notesStatuses(user->access),
                     QStringLiteral("GET 403, GET/:id 403, POST 403, PATCH 403, DELETE 403"));
        QCOMPARE(notesStatuses(m_server->adminToken()),
                 QStringLiteral("GET 200, GET/:id 200, POST 201, PATCH 200, DELETE 200"));

        // The refusals are error envelopes that say which.
        CHECK_ERROR(anonymous("GET", "/notes"), 401, "UNAUTHORIZED");
        const HttpReply forbidden = as(m_plain.access, "GET", "/notes");
        CHECK_ERROR(forbidden, 403, "FORBIDDEN");
        QVERIFY(!forbidden.body.contains("seed"));
        QCOMPARE(forbidden.object().value("error").toObject().value("path").toString(),
                 QStringLiteral("/notes"));
        CHECK_STATUS(anonymous("HEAD", "/notes"), 401); // no body to say more
        CHECK_ERROR(as("not-a-token", "GET", "/notes"), 401, "INVALID_TOKEN");
        // A refused write wrote nothing.
        QCOMPARE(m_admin->get("/notes?limit=0&" + filterQuery({{"title", "new"}})).data().size(), 1);
        // OPTIONS only lists the methods: it needs no access.
        const HttpReply options = anonymous("OPTIONS", "/notes");
        QCOMPARE(options.status, 204);
        QVERIFY(options.header("allow").contains("GET"));
    }

    void publicMethodsOpenOnlyThoseMethods()
    {
        QVERIFY(setPublicMethods(m_notesRoute, {"GET"}));
        auto restore = qScopeGuard([&] { setPublicMethods(m_notesRoute, {}); });
        QCOMPARE(notesStatuses({}), QStringLiteral("GET 200, GET/:id 200, POST 401, PATCH 401, DELETE 401"));
        QCOMPARE(notesStatuses(m_plain.access),
                 QStringLiteral("GET 200, GET/:id 200, POST 403, PATCH 403, DELETE 403"));
        CHECK_STATUS(anonymous("HEAD", "/notes"), 200);
        // A bad token on a public method is no token.
        CHECK_STATUS(as("garbage", "GET", "/notes"), 200);
        CHECK_ERROR(as("garbage", "POST", "/notes", QJsonObject{{"title", "x"}}), 401, "INVALID_TOKEN");
        // The root admin keeps every method.
        QCOMPARE(notesStatuses(m_server->adminToken()),
                 QStringLiteral("GET 200, GET/:id 200, POST 201, PATCH 200, DELETE 200"));

        QVERIFY(setPublicMethods(m_notesRoute, {"GET", "POST"}));
        QCOMPARE(notesStatuses({}), QStringLiteral("GET 200, GET/:id 200, POST 201, PATCH 401, DELETE 401"));

        // Closed again: private at once.
        restore.dismiss();
        QVERIFY(setPublicMethods(m_notesRoute, {}));
        QCOMPARE(notesStatuses({}), QStringLiteral("GET 401, GET/:id 401, POST 401, PATCH 401, DELETE 401"));
    }

    void aDisabledRouteIsNotFound()
    {
        CHECK_STATUS(m_admin->patch("/hearth_route/" + m_notesRoute, QJsonObject{{"isEnabled", false}}), 200);
        auto restore = qScopeGuard([&] {
            m_admin->patch("/hearth_route/" + m_notesRoute, QJsonObject{{"isEnabled", true}});
        });
        CHECK_ERROR(m_admin->get("/notes"), 404, "NOT_FOUND");
        CHECK_ERROR(anonymous("GET", "/notes"), 404, "NOT_FOUND");
        restore.dismiss();
        CHECK_STATUS(m_admin->patch("/hearth_route/" + m_notesRoute, QJsonObject{{"isEnabled", true}}), 200);
        CHECK_STATUS(m_admin->get("/notes"), 200);
    }

    // --- route permissions ----------------------------------------------------------

    void rolePermissionAllowsOnlyItsMethods()
    {
        const QByteArray permission = grant({{"route", m_notesRoute.toLongLong()},
                                             {"role", m_editorRole},
                                             {"methods", QJsonArray{"GET", "POST"}}});
        QVERIFY(!permission.isEmpty());
        auto cleanup = qScopeGuard([&] { revoke(permission); });
        QCOMPARE(notesStatuses(m_editor.access),
                 QStringLiteral("GET 200, GET/:id 200, POST 201, PATCH 403, DELETE 403"));
        QCOMPARE(notesStatuses(m_viewer.access),
                 QStringLiteral("GET 403, GET/:id 403, POST 403, PATCH 403, DELETE 403"));
        QCOMPARE(notesStatuses(m_plain.access),
                 QStringLiteral("GET 403, GET/:id 403, POST 403, PATCH 403, DELETE 403"));
        QCOMPARE(notesStatuses({}), QStringLiteral("GET 401, GET/:id 401, POST 401, PATCH 401, DELETE 401"));
        // Granted is for this route only.
        CHECK_ERROR(as(m_editor.access, "GET", "/hearth_table"), 403, "FORBIDDEN");

        // More methods, at once.
        CHECK_STATUS(m_admin->patch("/hearth_route_permission/" + permission,
                                    QJsonObject{{"methods", QJsonArray{"GET", "POST", "PATCH", "DELETE"}}}),
                     200);
        QCOMPARE(notesStatuses(m_editor.access),
                 QStringLiteral("GET 200, GET/:id 200, POST 201, PATCH 200, DELETE 200"));
        // No methods: nothing.
        CHECK_STATUS(
            m_admin->patch("/hearth_route_permission/" + permission, QJsonObject{{"methods", QJsonArray()}}),
            200);
        QCOMPARE(notesStatuses(m_editor.access),
                 QStringLiteral("GET 403, GET/:id 403, POST 403, PATCH 403, DELETE 403"));
        CHECK_STATUS(m_admin->patch("/hearth_route_permission/" + permission,
                                    QJsonObject{{"methods", QJsonArray{"GET"}}}),
                     200);
        CHECK_STATUS(as(m_editor.access, "GET", "/notes"), 200);

        // A user given the role has it with the token already in hand; taken away, gone.
        CHECK_STATUS(
            m_admin->patch("/hearth_user/" + m_plain.id.toUtf8(), QJsonObject{{"role", m_editorRole}}), 200);
        CHECK_STATUS(as(m_plain.access, "GET", "/notes"), 200);
        CHECK_STATUS(
            m_admin->patch("/hearth_user/" + m_plain.id.toUtf8(), QJsonObject{{"role", QJsonValue::Null}}),
            200);
        CHECK_ERROR(as(m_plain.access, "GET", "/notes"), 403, "FORBIDDEN");

        // Deleted: gone at once.
        cleanup.dismiss();
        QVERIFY(revoke(permission));
        CHECK_ERROR(as(m_editor.access, "GET", "/notes"), 403, "FORBIDDEN");
    }

    void userPermissionAllowsTheListedUsers()
    {
        const QByteArray permission = grant({{"route", QJsonObject{{"id", m_notesRoute.toLongLong()}}},
                                             {"allowedUsers", QJsonArray{m_plain.id}},
                                             {"methods", QJsonArray{"GET"}}});
        QVERIFY(!permission.isEmpty());
        auto cleanup = qScopeGuard([&] { revoke(permission); });
        QCOMPARE(notesStatuses(m_plain.access),
                 QStringLiteral("GET 200, GET/:id 200, POST 403, PATCH 403, DELETE 403"));
        for (const User *user : {&m_other, &m_editor, &m_viewer})
            CHECK_ERROR(as(user->access, "GET", "/notes"), 403, "FORBIDDEN");
        CHECK_ERROR(anonymous("GET", "/notes"), 401, "UNAUTHORIZED");

        // Another user added (by an upper-case id): allowed too.
        HttpReply r =
            m_admin->patch("/hearth_route_permission/" + permission,
                           QJsonObject{{"allowedUsers", QJsonArray{m_plain.id, m_other.id.toUpper()}}});
        CHECK_STATUS(r, 200);
        CHECK_STATUS(as(m_other.access, "GET", "/notes"), 200);
        CHECK_STATUS(as(m_plain.access, "GET", "/notes"), 200);
        // Taken off the list: refused again.
        r = m_admin->patch("/hearth_route_permission/" + permission,
                           QJsonObject{{"allowedUsers", QJsonArray{m_other.id}}});
        CHECK_STATUS(r, 200);
        CHECK_ERROR(as(m_plain.access, "GET", "/notes"), 403, "FORBIDDEN");
        CHECK_STATUS(as(m_other.access, "GET", "/notes"), 200);

        // Role and users in one permission: either one is enough.
        r = m_admin->patch("/hearth_route_permission/" + permission, QJsonObject{{"role", m_viewerRole}});
        CHECK_STATUS(r, 200);
        CHECK_STATUS(as(m_viewer.access, "GET", "/notes"), 200);
        CHECK_STATUS(as(m_other.access, "GET", "/notes"), 200);
        CHECK_ERROR(as(m_plain.access, "GET", "/notes"), 403, "FORBIDDEN");
    }

    void disabledPermissionGrantsNothing()
    {
        const QByteArray permission = grant({{"route", m_notesRoute.toLongLong()},
                                             {"role", m_editorRole},
                                             {"allowedUsers", QJsonArray{m_plain.id}},
                                             {"methods", QJsonArray{"GET", "POST", "PATCH", "DELETE"}},
                                             {"isEnabled", false}});
        QVERIFY(!permission.isEmpty());
        auto cleanup = qScopeGuard([&] { revoke(permission); });
        QCOMPARE(notesStatuses(m_editor.access),
                 QStringLiteral("GET 403, GET/:id 403, POST 403, PATCH 403, DELETE 403"));
        CHECK_ERROR(as(m_plain.access, "GET", "/notes"), 403, "FORBIDDEN");
        CHECK_STATUS(
            m_admin->patch("/hearth_route_permission/" + permission, QJsonObject{{"isEnabled", true}}), 200);
        CHECK_STATUS(as(m_editor.access, "GET", "/notes"), 200);
        CHECK_STATUS(as(m_plain.access, "GET", "/notes"), 200);
        CHECK_STATUS(
            m_admin->patch("/hearth_route_permission/" + permission, QJsonObject{{"isEnabled", false}}), 200);
        CHECK_ERROR(as(m_editor.access, "GET", "/notes"), 403, "FORBIDDEN");
        CHECK_ERROR(as(m_plain.access, "GET", "/notes"), 403, "FORBIDDEN");
    }

    void aPermissionOnOneRouteDoesNotOpenAnother()
    {
        HttpReply r = m_admin->post(
            "/hearth_table",
            QJsonObject{{"name", "secrets"},
                        {"columns", QJsonArray{QJsonObject{{"name", "title"}, {"type", "varchar"}}}}});
        CHECK_STATUS(r, 201);
        const QByteArray permission = grant(
            {{"route", m_notesRoute.toLongLong()}, {"role", m_editorRole}, {"methods", QJsonArray{"GET"}}});
        QVERIFY(!permission.isEmpty());
        auto cleanup = qScopeGuard([&] { revoke(permission); });
        CHECK_STATUS(as(m_editor.access, "GET", "/notes"), 200);
        CHECK_ERROR(as(m_editor.access, "GET", "/secrets"), 403, "FORBIDDEN");
        // A public method of one route is not public on the other.
        QVERIFY(setPublicMethods(routeId("/secrets"), {"GET"}));
        CHECK_STATUS(anonymous("GET", "/secrets"), 200);
        CHECK_ERROR(anonymous("GET", "/notes"), 401, "UNAUTHORIZED");
    }

    void apiTokensFollowTheSameRules()
    {
        HttpReply r = as(m_viewer.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "viewer tool"}});
        CHECK_STATUS(r, 201);
        const QByteArray token = r.data().at(0).toObject().value("token").toString().toLatin1();
        CHECK_ERROR(as(token, "GET", "/notes"), 403, "FORBIDDEN");
        const QByteArray permission = grant(
            {{"route", m_notesRoute.toLongLong()}, {"role", m_viewerRole}, {"methods", QJsonArray{"GET"}}});
        QVERIFY(!permission.isEmpty());
        auto cleanup = qScopeGuard([&] { revoke(permission); });
        CHECK_STATUS(as(token, "GET", "/notes"), 200);
        CHECK_ERROR(as(token, "POST", "/notes", QJsonObject{{"title", "x"}}), 403, "FORBIDDEN");
        CHECK_ERROR(as(token, "GET", "/hearth_user"), 403, "FORBIDDEN");
    }

    // --- system tables ------------------------------------------------------------------

    void systemTablesAreRootOnly_data()
    {
        QTest::addColumn<QString>("table");
        for (const QString &table : kSystemTables)
            QTest::newRow(qPrintable(table)) << table;
    }

    void systemTablesAreRootOnly()
    {
        QFETCH(QString, table);
        const QByteArray path = '/' + table.toUtf8();
        CHECK_STATUS(m_admin->get(path), 200);
        CHECK_ERROR(anonymous("GET", path), 401, "UNAUTHORIZED");
        CHECK_ERROR(anonymous("POST", path, "{}"), 401, "UNAUTHORIZED");
        for (const User *user : {&m_editor, &m_plain}) {
            CHECK_ERROR(as(user->access, "GET", path), 403, "FORBIDDEN");
            CHECK_ERROR(as(user->access, "GET", path + "/1"), 403, "FORBIDDEN");
            CHECK_ERROR(as(user->access, "POST", path, QByteArray("{}")), 403, "FORBIDDEN");
            CHECK_ERROR(as(user->access, "PATCH", path + "/1", QByteArray("{}")), 403, "FORBIDDEN");
            CHECK_ERROR(as(user->access, "DELETE", path + "/1"), 403, "FORBIDDEN");
        }
        // The route of a system table is itself a system row: it cannot be made public.
        const QByteArray route = routeId(QString::fromUtf8(path));
        QVERIFY(!route.isEmpty());
        const HttpReply r =
            m_admin->patch("/hearth_route/" + route, QJsonObject{{"publicMethods", QJsonArray{"GET"}}});
        CHECK_ERROR(r, 403, "FORBIDDEN");
        CHECK_ERROR(anonymous("GET", path), 401, "UNAUTHORIZED");
    }

    void aRoutePermissionCanGrantASystemTable()
    {
        const QByteArray permission = grant({{"route", routeId("/hearth_role").toLongLong()},
                                             {"role", m_viewerRole},
                                             {"methods", QJsonArray{"GET"}}});
        QVERIFY(!permission.isEmpty());
        auto cleanup = qScopeGuard([&] { revoke(permission); });
        HttpReply r = as(m_viewer.access, "GET", "/hearth_role?limit=0");
        CHECK_STATUS(r, 200);
        QVERIFY(r.data().size() >= 2);
        CHECK_ERROR(as(m_viewer.access, "POST", "/hearth_role", QJsonObject{{"name", "mine"}}), 403,
                    "FORBIDDEN");
        CHECK_ERROR(as(m_viewer.access, "GET", "/hearth_user"), 403, "FORBIDDEN");
        CHECK_ERROR(as(m_editor.access, "GET", "/hearth_role"), 403, "FORBIDDEN");

        // Granted the user table, a reader still never sees a password hash or a token hash.
        const QByteArray users = grant({{"route", routeId("/hearth_user").toLongLong()},
                                        {"allowedUsers", QJsonArray{m_viewer.id}},
                                        {"methods", QJsonArray{"GET"}}});
        QVERIFY(!users.isEmpty());
        auto cleanupUsers = qScopeGuard([&] { revoke(users); });
        r = as(m_viewer.access, "GET", "/hearth_user?limit=0&fields=*,sessions.*,apiTokens.*");
        CHECK_STATUS(r, 200);
        QVERIFY(r.data().size() >= 5);
        QVERIFY2(!r.body.contains("$2b$") && !r.body.contains("password") && !r.body.contains("Hash"),
                 r.body.constData());
        CHECK_ERROR(as(m_viewer.access, "GET", "/hearth_user?fields=password"), 400, "BAD_REQUEST");
    }

    // --- the user table -------------------------------------------------------------------

    // A user manager (granted the user table) may manage users but never root admins.
    void onlyRootAdminsTouchRootAdmins()
    {
        const QByteArray grantId = grant({{"route", routeId("/hearth_user").toLongLong()},
                                          {"allowedUsers", QJsonArray{m_editor.id}},
                                          {"methods", QJsonArray{"GET", "POST", "PATCH", "DELETE"}}});
        QVERIFY(!grantId.isEmpty());
        auto cleanup = qScopeGuard([&] { revoke(grantId); });
        const QByteArray self = "/hearth_user/" + m_editor.id.toLatin1();
        CHECK_ERROR(as(m_editor.access, "PATCH", self, QJsonObject{{"isRootAdmin", true}}), 403, "FORBIDDEN");
        CHECK_ERROR(
            as(m_editor.access, "POST", "/hearth_user",
               QJsonObject{{"email", newEmail("sneaky")}, {"password", kPassword}, {"isRootAdmin", true}}),
            403, "FORBIDDEN");
        const QByteArray root = "/hearth_user/" + m_adminId.toLatin1();
        CHECK_ERROR(as(m_editor.access, "PATCH", root, QJsonObject{{"password", "taken-over-1"}}), 403,
                    "FORBIDDEN");
        CHECK_ERROR(as(m_editor.access, "DELETE", root), 403, "FORBIDDEN");
        QCOMPARE(login(HearthTestServer::adminEmail(), HearthTestServer::adminPassword()).status, 200);
        // Ordinary users it may manage.
        const HttpReply made = as(m_editor.access, "POST", "/hearth_user",
                                  QJsonObject{{"email", newEmail("managed")}, {"password", kPassword}});
        CHECK_STATUS(made, 201);
        QCOMPARE(made.data().at(0).toObject().value("isRootAdmin").toBool(), false);
    }

    // A password set by someone else ends the user's sessions; emails are stored normalised.
    void adminPasswordResetEndsSessionsAndEmailsAreNormalised()
    {
        User user = newUser("reset");
        QCOMPARE(as(user.access, "GET", "/me").status, 200);
        const QByteArray path = "/hearth_user/" + user.id.toLatin1();
        CHECK_STATUS(m_admin->patch(path, QJsonObject{{"password", "brand-new-password"}}), 200);
        CHECK_ERROR(as(user.access, "GET", "/me"), 401, "INVALID_TOKEN");
        QCOMPARE(login(user.email, "brand-new-password").status, 200);

        const HttpReply spaced = m_admin->post(
            "/hearth_user", QJsonObject{{"email", "  Mixed.Case@Route.TEST "}, {"password", kPassword}});
        CHECK_STATUS(spaced, 201);
        QCOMPARE(spaced.data().at(0).toObject().value("email").toString(),
                 QStringLiteral("mixed.case@route.test"));
        QCOMPARE(login("MIXED.case@route.test", kPassword).status, 200);
        CHECK_ERROR(m_admin->post("/hearth_user",
                                  QJsonObject{{"email", "mixed.case@ROUTE.test"}, {"password", kPassword}}),
                    409, "CONFLICT");
        for (const char *bad : {"not an email", "@nobody", "two@@signs", "trailing@"})
            CHECK_ERROR(m_admin->post("/hearth_user", QJsonObject{{"email", bad}, {"password", kPassword}}),
                        400, "VALIDATION_ERROR");
    }

    void userPasswordsAreHashedAndNeverShown()
    {
        const QString email = newEmail("hashed");
        const QString password = QStringLiteral("plain-text-secret-1");
        HttpReply r = m_admin->post("/hearth_user", QJsonObject{{"email", email}, {"password", password}});
        CHECK_STATUS(r, 201);
        QVERIFY2(!r.body.contains("password") && !r.body.contains("$2b$") &&
                     !r.body.contains(password.toUtf8()),
                 r.body.constData());
        const QJsonObject created = r.data().at(0).toObject();
        const QByteArray id = created.value("id").toString().toUtf8();
        QVERIFY(QUuid::fromString(QString(id)).isNull() == false);
        QCOMPARE(created.value("isRootAdmin"), QJsonValue(false));

        // In the file: a bcrypt hash at the configured cost, never the password.
        const QString stored = sqliteValue(dbPath(), "SELECT password FROM hearth_user WHERE id = ?", {id});
        QVERIFY2(stored.startsWith("$2b$04$") && stored.size() == 60, qPrintable(stored));
        QCOMPARE(sqliteValue(dbPath(), "SELECT count(*) FROM hearth_user WHERE password = ?", {password}),
                 QStringLiteral("0"));
        // At the default cost, 10.
        QVERIFY(m_server->setSetting("bcryptCost", 10));
        auto restore = qScopeGuard([&] { m_server->setSetting("bcryptCost", 4); });
        r = m_admin->post("/hearth_user", QJsonObject{{"email", newEmail("cost10")}, {"password", password}});
        CHECK_STATUS(r, 201);
        const QString stored10 = sqliteValue(dbPath(), "SELECT password FROM hearth_user WHERE id = ?",
                                             {r.data().at(0).toObject().value("id").toString()});
        QVERIFY2(stored10.startsWith("$2b$10$"), qPrintable(stored10));
        restore.dismiss();
        QVERIFY(m_server->setSetting("bcryptCost", 4));

        // It signs in with the password given.
        CHECK_STATUS(login(email, password), 200);

        // Never in a response: list, get, any fields.
        for (const QByteArray target :
             {QByteArray("/hearth_user?limit=0"), QByteArray("/hearth_user/") + id,
              QByteArray("/hearth_user?limit=0&fields=*"), QByteArray("/hearth_user?limit=0&fields=-email"),
              QByteArray("/hearth_role?limit=0&fields=*,users.*"),
              QByteArray("/hearth_session?limit=0&fields=*,user.*")}) {
            r = m_admin->get(target);
            CHECK_STATUS(r, 200);
            QVERIFY2(!r.body.contains("password") && !r.body.contains("$2b$"), qPrintable(r.describe()));
        }
        // Asking for it, filtering or sorting on it: refused.
        for (const QByteArray query :
             {QByteArray("fields=password"), QByteArray("fields=id,password"),
              QByteArray("fields=*,password"),
              QByteArray("filter[password][_eq]=") + QUrl::toPercentEncoding(password),
              filterQuery({{"password", QJsonObject{{"_starts_with", "$2b$"}}}}),
              filterQuery({{"_or", QJsonArray{QJsonObject{{"password", QJsonObject{{"_is_null", false}}}}}}}),
              QByteArray("sort=password"), QByteArray("sort=-password"),
              QByteArray("aggregate=") + QUrl::toPercentEncoding("{\"password\":{\"min\":true}}")}) {
            r = m_admin->get("/hearth_user?" + query);
            QVERIFY2(r.status == 400 && !r.body.contains("$2b$"),
                     qPrintable(QString(query) + ": " + r.describe()));
        }
        r = m_admin->get("/hearth_role?" +
                         filterQuery({{"users", QJsonObject{{"password", QJsonObject{{"_eq", "x"}}}}}}));
        QVERIFY2(r.status == 400, qPrintable(r.describe()));

        // Changed by the root admin: hashed again, and it is the one that works.
        const QString next = QStringLiteral("another-secret-2");
        r = m_admin->patch("/hearth_user/" + id, QJsonObject{{"password", next}});
        CHECK_STATUS(r, 200);
        QVERIFY(!r.body.contains("password") && !r.body.contains("$2b$"));
        QVERIFY(sqliteValue(dbPath(), "SELECT password FROM hearth_user WHERE id = ?", {id}) != stored);
        CHECK_ERROR(login(email, password), 400, "BAD_REQUEST");
        CHECK_STATUS(login(email, next), 200);
    }

    void userValidation()
    {
        const QString email = newEmail("valid");
        HttpReply r = m_admin->post("/hearth_user", QJsonObject{{"email", email}, {"password", "short7!"}});
        CHECK_ERROR(r, 400, "VALIDATION_ERROR");
        QVERIFY2(r.message().contains("password"), qPrintable(r.describe()));
        r = m_admin->post("/hearth_user", QJsonObject{{"email", email}});
        CHECK_ERROR(r, 400, "VALIDATION_ERROR");
        r = m_admin->post("/hearth_user", QJsonObject{{"password", kPassword}});
        CHECK_ERROR(r, 400, "VALIDATION_ERROR");
        QCOMPARE(m_admin->get("/hearth_user?" + filterQuery({{"email", email}})).data().size(), 0);

        CHECK_STATUS(m_admin->post("/hearth_user", QJsonObject{{"email", email}, {"password", "exactly8"}}),
                     201);
        r = m_admin->post("/hearth_user", QJsonObject{{"email", email}, {"password", kPassword}});
        CHECK_ERROR(r, 409, "CONFLICT");
        CHECK_ERROR(m_admin->post("/hearth_user", QJsonObject{{"email", HearthTestServer::adminEmail()},
                                                              {"password", kPassword}}),
                    409, "CONFLICT");
        // A short password on update is refused too, and the old one still works.
        const QByteArray id = idText(m_admin->get("/hearth_user?" + filterQuery({{"email", email}}))
                                         .data()
                                         .at(0)
                                         .toObject()
                                         .value("id"));
        CHECK_ERROR(m_admin->patch("/hearth_user/" + id, QJsonObject{{"password", "1234567"}}), 400,
                    "VALIDATION_ERROR");
        CHECK_STATUS(login(email, QStringLiteral("exactly8")), 200);
    }

    void theLastRootAdminStays()
    {
        const QByteArray admin = m_adminId.toUtf8();
        CHECK_ERROR(m_admin->del("/hearth_user/" + admin), 409, "CONFLICT");
        CHECK_ERROR(m_admin->del("/hearth_user/" + admin.toUpper()), 409, "CONFLICT");
        CHECK_ERROR(m_admin->patch("/hearth_user/" + admin, QJsonObject{{"isRootAdmin", false}}), 409,
                    "CONFLICT");
        CHECK_ERROR(m_admin->patch("/hearth_user/" + admin, QJsonObject{{"isRootAdmin", QJsonValue::Null}}),
                    409, "CONFLICT");
        CHECK_STATUS(m_admin->get("/hearth_table"), 200);
        QCOMPARE(m_admin->get("/me").data().at(0).toObject().value("isRootAdmin"), QJsonValue(true));

        // With a second root admin, either may step down or go.
        HttpReply r = m_admin->post(
            "/hearth_user",
            QJsonObject{{"email", newEmail("root2")}, {"password", kPassword}, {"isRootAdmin", true}});
        CHECK_STATUS(r, 201);
        const QByteArray second = idText(r.data().at(0).toObject().value("id"));
        const QString secondEmail = r.data().at(0).toObject().value("email").toString();
        const QByteArray secondToken =
            login(secondEmail, kPassword).object().value("accessToken").toString().toLatin1();
        CHECK_STATUS(as(secondToken, "GET", "/hearth_table"), 200);
        CHECK_STATUS(m_admin->patch("/hearth_user/" + second, QJsonObject{{"isRootAdmin", false}}), 200);
        CHECK_ERROR(as(secondToken, "GET", "/hearth_table"), 403, "FORBIDDEN");
        CHECK_STATUS(m_admin->patch("/hearth_user/" + second, QJsonObject{{"isRootAdmin", true}}), 200);
        CHECK_STATUS(as(secondToken, "GET", "/hearth_table"), 200);
        CHECK_STATUS(m_admin->del("/hearth_user/" + second), 200);
        CHECK_ERROR(as(secondToken, "GET", "/hearth_table"), 401, "INVALID_TOKEN");
        // The last one again.
        CHECK_ERROR(m_admin->del("/hearth_user/" + admin), 409, "CONFLICT");
        // Other changes to the root admin are fine.
        CHECK_STATUS(m_admin->patch("/hearth_user/" + admin, QJsonObject{{"isRootAdmin", true}}), 200);
    }

    // --- sessions and tokens -------------------------------------------------------------

    void sessionAndTokenRowsAreWrittenOnlyByAuth()
    {
        const User user = newUser("session");
        QVERIFY(user.isValid());
        HttpReply r = m_admin->get("/hearth_session?limit=0&" + filterQuery({{"user", user.id}}));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().size(), 1);
        QVERIFY(!r.body.contains("refreshTokenHash") && !r.body.contains(user.refresh));
        const QByteArray session = idText(r.data().at(0).toObject().value("id"));
        r = as(user.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "t"}});
        CHECK_STATUS(r, 201);
        const QByteArray apiToken = r.data().at(0).toObject().value("token").toString().toLatin1();
        const QByteArray apiTokenId = idText(r.data().at(0).toObject().value("id"));

        const QString future = QDateTime::currentDateTimeUtc().addDays(1).toString(Qt::ISODate);
        const QList<std::pair<QByteArray, QByteArray>> writes{
            {"POST /hearth_session",
             compact({{"user", user.id}, {"refreshTokenHash", QString(64, u'a')}, {"expiresAt", future}})},
            {"PATCH /hearth_session/" + session,
             compact({{"revokedAt", QJsonValue::Null}, {"expiresAt", future}})},
            {"POST /hearth_api_token",
             compact({{"user", user.id}, {"name", "forged"}, {"tokenHash", QString(64, u'b')}})},
            {"PATCH /hearth_api_token/" + apiTokenId, compact({{"expiresAt", future}})},
            {"POST /hearth_spent_token",
             compact({{"session", QString(session)}, {"tokenHash", QString(64, u'c')}})},
        };
        for (const auto &[request, body] : writes) {
            const qsizetype space = request.indexOf(' ');
            r = m_admin->request(request.left(space), request.mid(space + 1), body,
                                 {{"Content-Type", "application/json"}});
            QVERIFY2(r.status == 403 && r.errorCode() == QLatin1String("FORBIDDEN"),
                     qPrintable(QString(request) + ": " + r.describe()));
        }
        QCOMPARE(sqliteValue(dbPath(), "SELECT count(*) FROM hearth_session WHERE userId = ?", {user.id}),
                 QStringLiteral("1"));
        QCOMPARE(sqliteValue(dbPath(), "SELECT count(*) FROM hearth_api_token WHERE userId = ?", {user.id}),
                 QStringLiteral("1"));
        CHECK_STATUS(as(user.access, "GET", "/me"), 200);
        // A user may not delete rows there either (not even their own), without a grant.
        CHECK_ERROR(as(user.access, "DELETE", "/hearth_session/" + session), 403, "FORBIDDEN");

        // Deleting a row revokes it.
        CHECK_STATUS(m_admin->del("/hearth_session/" + session), 200);
        CHECK_ERROR(as(user.access, "GET", "/me"), 401, "INVALID_TOKEN");
        CHECK_ERROR(
            m_client->post("/auth/refresh-token", QJsonObject{{"refreshToken", QString(user.refresh)}}), 400,
            "BAD_REQUEST");
        CHECK_STATUS(as(apiToken, "GET", "/me"), 200); // an API token is not a session
        CHECK_STATUS(m_admin->del("/hearth_api_token/" + apiTokenId), 200);
        CHECK_ERROR(as(apiToken, "GET", "/me"), 401, "INVALID_TOKEN");
        // The user can still sign in anew.
        CHECK_STATUS(login(user.email, kPassword), 200);
    }
};

QTEST_GUILESS_MAIN(TestRouteAccess)
#include "tst_routeaccess.moc"
