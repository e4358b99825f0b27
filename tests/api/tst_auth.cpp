// Authentication through real HTTP against a real server (API.md "Auth"):
// login and its refusals, what a Bearer token must be (tampered, forged,
// expired, wrong algorithm, another secret), refresh-token rotation and reuse
// detection, logout, personal API tokens, /me, brute-force throttling of
// logins, and tokens that survive a restart on the same secret file.

#include "auth/jwt.h"
#include "hearthtestserver.h"
#include "sqlitepeek.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QScopeGuard>
#include <QThread>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace Hearth;

namespace {

const QString kPassword = QStringLiteral("correct-horse-1");

QByteArray b64u(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

// One part (0 header, 1 payload) of a JWT, decoded.
QJsonObject jwtPart(const QByteArray &token, int index)
{
    const QByteArray part = token.split('.').value(index);
    return QJsonDocument::fromJson(QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding)).object();
}

QByteArray hmac(QCryptographicHash::Algorithm algorithm, const QByteArray &message, const QByteArray &key)
{
    return QMessageAuthenticationCode::hash(message, key, algorithm);
}

// header.payload signed with HMAC of the given algorithm (not necessarily the header's).
QByteArray signedWith(const QJsonObject &header, const QJsonObject &payload, const QByteArray &key,
                      QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    const QByteArray input = b64u(compact(header)) + '.' + b64u(compact(payload));
    return input + '.' + b64u(hmac(algorithm, input, key));
}

HttpHeaders bearer(const QByteArray &token)
{
    return {{"Authorization", "Bearer " + token}};
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Sleeps until the wall clock passes epochMs (plus a little).
void sleepUntil(qint64 epochMs)
{
    while (nowMs() < epochMs + 50)
        QThread::msleep(20);
}

qint64 parseTimestampMs(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODateWithMs).toMSecsSinceEpoch();
}

struct Tokens
{
    QByteArray access;
    QByteArray refresh;
    qint64 expTime = 0;
    bool isValid() const { return !access.isEmpty() && !refresh.isEmpty(); }
};

Tokens tokensOf(const HttpReply &r)
{
    const QJsonObject o = r.object();
    return {o.value("accessToken").toString().toLatin1(), o.value("refreshToken").toString().toLatin1(),
            qint64(o.value("expTime").toDouble())};
}

} // namespace

class TestAuth : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    std::unique_ptr<TestHttpClient> m_client; // sends no token unless asked
    int m_counter = 0;
    QString m_adminId;

    QString dbPath() const { return m_server->dataDir() + QStringLiteral("/data.db"); }

    QString newEmail(const char *tag) { return QStringLiteral("%1-%2@auth.test").arg(tag).arg(++m_counter); }

    // A user made by the root admin; its id, or empty (with a warning) on failure.
    QString createUser(const QString &email, const QString &password = kPassword, QJsonObject extra = {})
    {
        extra.insert("email", email);
        extra.insert("password", password);
        const HttpReply r = m_admin->post("/hearth_user", extra);
        if (r.status != 201) {
            qWarning("create user %s: %s", qPrintable(email), qPrintable(r.describe()));
            return {};
        }
        return r.data().at(0).toObject().value("id").toString();
    }

    HttpReply login(const QString &email, const QString &password,
                    QJsonValue remember = QJsonValue::Undefined)
    {
        QJsonObject body{{"email", email}, {"password", password}};
        if (!remember.isUndefined())
            body.insert("remember", remember);
        return m_client->post("/auth/login", body, {{"Authorization", ""}});
    }

    Tokens signIn(const QString &email, const QString &password = kPassword)
    {
        const HttpReply r = login(email, password);
        if (r.status != 200)
            qWarning("login %s: %s", qPrintable(email), qPrintable(r.describe()));
        return tokensOf(r);
    }

    // A fresh user, signed in.
    Tokens newUser(const char *tag, QString *email = nullptr, QString *id = nullptr)
    {
        const QString address = newEmail(tag);
        const QString userId = createUser(address);
        if (email)
            *email = address;
        if (id)
            *id = userId;
        return userId.isEmpty() ? Tokens{} : signIn(address);
    }

    HttpReply as(const QByteArray &token, const QByteArray &method, const QByteArray &path,
                 const QByteArray &body = {})
    {
        HttpHeaders headers = bearer(token);
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
        HttpHeaders headers;
        if (!body.isEmpty())
            headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
        return m_client->request(method, path, body, headers);
    }

    HttpReply refresh(const QByteArray &refreshToken)
    {
        return m_client->post("/auth/refresh-token", QJsonObject{{"refreshToken", QString(refreshToken)}});
    }

    HttpReply logout(const QByteArray &accessToken, const QByteArray &refreshToken)
    {
        return as(accessToken, "POST", "/auth/logout", QJsonObject{{"refreshToken", QString(refreshToken)}});
    }

    QByteArray secret() const
    {
        QFile file(m_server->dataDir() + QStringLiteral("/secret.key"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QByteArray::fromHex(file.readAll().trimmed());
    }

    // The route id of a path, or 0.
    QByteArray routeId(const QString &path)
    {
        const QByteArray filter = QUrl::toPercentEncoding(compact(QJsonObject{{"path", path}}));
        const HttpReply r = m_admin->get("/hearth_route?fields=id&filter=" + filter);
        return QByteArray::number(r.data().at(0).toObject().value("id").toInteger());
    }

private slots:
    void initTestCase()
    {
        // The signing key comes from the data folder, never from the environment here.
        qunsetenv("HEARTH_SECRET_KEY");
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_admin = m_server->adminClient();
        m_client = std::make_unique<TestHttpClient>(m_server->port());
        QVERIFY(
            m_server->setSetting("bcryptCost", 4)); // users made here hash fast; the root admin keeps cost 10

        HttpReply r = m_admin->get("/me");
        CHECK_STATUS(r, 200);
        m_adminId = r.data().at(0).toObject().value("id").toString();
        QVERIFY(!m_adminId.isEmpty());

        // vault: private (the default); board: GET is public.
        r = m_admin->post(
            "/hearth_table",
            QJsonObject{{"name", "vault"},
                        {"columns", QJsonArray{QJsonObject{{"name", "label"}, {"type", "varchar"}}}}});
        CHECK_STATUS(r, 201);
        r = m_admin->post(
            "/hearth_table",
            QJsonObject{{"name", "board"},
                        {"columns", QJsonArray{QJsonObject{{"name", "label"}, {"type", "varchar"}}}}});
        CHECK_STATUS(r, 201);
        r = m_admin->patch("/hearth_route/" + routeId("/board"),
                           QJsonObject{{"publicMethods", QJsonArray{"GET"}}});
        CHECK_STATUS(r, 200);
        CHECK_STATUS(m_admin->post("/board", QJsonObject{{"label", "hello"}}), 201);
        CHECK_STATUS(m_admin->post("/vault", QJsonObject{{"label", "gold"}}), 201);
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_admin.reset();
        m_server.reset();
    }

    // --- login ------------------------------------------------------------------

    void loginAnswersATokenPair()
    {
        QString email, id;
        QVERIFY(!createUser(email = newEmail("pair")).isEmpty());
        const qint64 before = nowMs();
        const HttpReply r = login(email, kPassword);
        CHECK_STATUS(r, 200);
        const QJsonObject o = r.object();
        QStringList keys = o.keys();
        keys.sort();
        QCOMPARE(keys, QStringList({"accessToken", "expTime", "refreshToken"}));
        QVERIFY(o.value("accessToken").isString() && o.value("refreshToken").isString());
        QVERIFY(o.value("expTime").isDouble());
        QVERIFY(!r.body.contains("password") && !r.body.contains("$2b$"));

        // expTime: epoch milliseconds, 15 minutes ahead.
        const qint64 expTime = qint64(o.value("expTime").toDouble());
        QVERIFY2(expTime >= before + 15 * 60 * 1000 - 2000 && expTime <= nowMs() + 15 * 60 * 1000 + 1000,
                 qPrintable(QString::number(expTime - before)));

        // An HS256 JWT whose payload names the user and carries the same exp.
        const QByteArray access = o.value("accessToken").toString().toLatin1();
        QCOMPARE(access.count('.'), 2);
        QCOMPARE(jwtPart(access, 0).value("alg").toString(), QStringLiteral("HS256"));
        const QJsonObject payload = jwtPart(access, 1);
        QCOMPARE(qint64(payload.value("exp").toDouble()) * 1000, expTime);
        QVERIFY(!payload.contains("email") && !payload.contains("password"));

        // The refresh token is an opaque random string, not a JWT, and differs per login.
        const QByteArray refreshToken = o.value("refreshToken").toString().toLatin1();
        QVERIFY(refreshToken.size() >= 32);
        QVERIFY(!refreshToken.contains('.'));
        QVERIFY(signIn(email).refresh != refreshToken);

        const HttpReply me = as(access, "GET", "/me");
        CHECK_STATUS(me, 200);
        id = me.data().at(0).toObject().value("id").toString();
        QCOMPARE(payload.value("id").toString(), id);
        QCOMPARE(me.data().at(0).toObject().value("email").toString(), email);

        // The session is stored with its refresh token hashed, never in plain text.
        QCOMPARE(sqliteValue(dbPath(), "SELECT count(*) FROM hearth_session WHERE userId = ?", {id}),
                 QStringLiteral("2"));
        QCOMPARE(sqliteValue(dbPath(), "SELECT count(*) FROM hearth_session WHERE refreshTokenHash = ?",
                             {QString(refreshToken)}),
                 QStringLiteral("0"));
    }

    void loginEmailIgnoresCaseAndSpaces()
    {
        const QString email = newEmail("case");
        QVERIFY(!createUser(email).isEmpty());
        CHECK_STATUS(login(email.toUpper(), kPassword), 200);
        CHECK_STATUS(login(QStringLiteral("  ") + email + QStringLiteral(" "), kPassword), 200);
        // The password, though, is exact.
        CHECK_ERROR(login(email, kPassword.toUpper()), 400, "BAD_REQUEST");
    }

    void emailsThatDifferOnlyInCaseEachSignIn()
    {
        // hearth_user.email is unique as written, so these may be two accounts.
        const QString lower = newEmail("twin");
        const QString upper = lower.toUpper();
        const QString lowerId = createUser(lower, QStringLiteral("lower-pass-1"));
        const HttpReply created =
            m_admin->post("/hearth_user", QJsonObject{{"email", upper}, {"password", "upper-pass-1"}});
        QVERIFY(!lowerId.isEmpty());
        if (created.status == 409)
            return; // one account per email whatever its case: nothing to mix up
        CHECK_STATUS(created, 201);
        const QString upperId = created.data().at(0).toObject().value("id").toString();
        // Each exact spelling signs in to its own account, with its own password only.
        const Tokens a = signIn(lower, QStringLiteral("lower-pass-1"));
        const Tokens b = signIn(upper, QStringLiteral("upper-pass-1"));
        QVERIFY(a.isValid() && b.isValid());
        QCOMPARE(jwtPart(a.access, 1).value("id").toString(), lowerId);
        QCOMPARE(jwtPart(b.access, 1).value("id").toString(), upperId);
        CHECK_ERROR(login(lower, QStringLiteral("upper-pass-1")), 400, "BAD_REQUEST");
        CHECK_ERROR(login(upper, QStringLiteral("lower-pass-1")), 400, "BAD_REQUEST");
    }

    void wrongPasswordAndUnknownEmailAnswerAlike()
    {
        const QString email = newEmail("alike");
        QVERIFY(!createUser(email).isEmpty());
        const HttpReply wrong = login(email, QStringLiteral("not-the-password"));
        const HttpReply unknown = login(newEmail("nobody"), QStringLiteral("not-the-password"));
        CHECK_ERROR(wrong, 400, "BAD_REQUEST");
        CHECK_ERROR(unknown, 400, "BAD_REQUEST");
        QCOMPARE(wrong.message(), QStringLiteral("Invalid email or password"));
        QCOMPARE(unknown.message(), wrong.message());
        QCOMPARE(unknown.object().value("error").toObject().value("message"),
                 wrong.object().value("error").toObject().value("message"));
        QVERIFY(!wrong.object().value("error").toObject().contains("details"));
        QVERIFY(!unknown.object().value("error").toObject().contains("details"));
        // An empty password is "required", not a wrong one.
        CHECK_ERROR(login(email, QString()), 400, "VALIDATION_ERROR");
    }

    void loginRefusesBadBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        const QByteArray ok = "\"email\":\"x@auth.test\",\"password\":\"whatever-1\"";
        QTest::newRow("unknown key") << "{" + ok + ",\"role\":1}"
                                     << "BAD_REQUEST"
                                     << "role is not allowed";
        QTest::newRow("missing password") << QByteArray("{\"email\":\"x@auth.test\"}") << "VALIDATION_ERROR"
                                          << "password is required";
        QTest::newRow("missing email") << QByteArray("{\"password\":\"whatever-1\"}") << "VALIDATION_ERROR"
                                       << "email is required";
        QTest::newRow("empty object") << QByteArray("{}") << "VALIDATION_ERROR"
                                      << "email is required";
        QTest::newRow("email not text")
            << QByteArray("{\"email\":5,\"password\":\"whatever-1\"}") << "VALIDATION_ERROR"
            << "email is required";
        QTest::newRow("password not text")
            << QByteArray("{\"email\":\"x@auth.test\",\"password\":123456789}") << "VALIDATION_ERROR"
            << "password is required";
        QTest::newRow("remember not boolean") << "{" + ok + ",\"remember\":\"yes\"}"
                                              << "VALIDATION_ERROR"
                                              << "remember must be a boolean";
        QTest::newRow("malformed") << QByteArray("{\"email\":") << "BAD_REQUEST"
                                   << "Malformed JSON body";
        QTest::newRow("array") << QByteArray("[]") << "BAD_REQUEST"
                               << "must be a JSON object";
        // No body at all reads as an empty object.
        QTest::newRow("empty body") << QByteArray() << "VALIDATION_ERROR"
                                    << "email is required";
    }

    void loginRefusesBadBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, message);
        const HttpReply r = m_client->post("/auth/login", body);
        QVERIFY2(r.status == 400 && r.errorCode() == code, qPrintable(r.describe()));
        QVERIFY2(r.message().contains(message), qPrintable(r.describe()));
        QVERIFY(!r.body.contains("accessToken"));
    }

    void loginIsPostOnly()
    {
        const HttpReply r = m_client->get("/auth/login");
        CHECK_ERROR(r, 405, "METHOD_NOT_ALLOWED");
        QCOMPARE(r.header("allow"), QByteArray("POST"));
    }

    void rememberChoosesTheLongerRefreshLifetime()
    {
        const QString email = newEmail("remember");
        QVERIFY(!createUser(email).isEmpty());
        const QByteArray sql = "SELECT expiresAt FROM hearth_session WHERE id = ?";
        for (const bool remember : {false, true}) {
            const qint64 before = nowMs();
            const HttpReply r = login(email, kPassword, remember);
            CHECK_STATUS(r, 200);
            const QString sid = jwtPart(tokensOf(r).access, 1).value("sid").toString();
            const qint64 expiresAt = parseTimestampMs(sqliteValue(dbPath(), sql, {sid}));
            const qint64 expected = (remember ? 7 : 1) * 86'400'000LL;
            QVERIFY2(qAbs(expiresAt - before - expected) < 10'000,
                     qPrintable(QStringLiteral("remember=%1: %2 ms").arg(remember).arg(expiresAt - before)));
            // The access token lives 15 minutes either way.
            QVERIFY(qAbs(tokensOf(r).expTime - before - 15 * 60 * 1000) < 3000);
        }
        CHECK_STATUS(login(email, kPassword, QJsonValue::Null), 200);
    }

    // --- what a Bearer token must be ------------------------------------------------

    void tamperedAndForgedTokensAreInvalid()
    {
        QString id;
        const Tokens mine = newUser("tamper", nullptr, &id);
        QVERIFY(mine.isValid());
        CHECK_STATUS(as(mine.access, "GET", "/me"), 200);
        const QByteArray key = secret();
        QCOMPARE(key.size(), 32);

        const QList<QByteArray> parts = mine.access.split('.');
        QCOMPARE(parts.size(), 3);
        const QJsonObject header = jwtPart(mine.access, 0);
        const QJsonObject payload = jwtPart(mine.access, 1);
        QCOMPARE(payload.value("id").toString(), id);

        auto withPayload = [&](QJsonObject p) {
            return parts[0] + '.' + b64u(compact(p)) + '.' + parts[2];
        };
        QJsonObject asAdmin = payload;
        asAdmin.insert("id", m_adminId);
        QJsonObject longer = payload;
        longer.insert("exp", payload.value("exp").toDouble() + 86400);
        QByteArray flipped = parts[2];
        flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
        QJsonObject headerWithKid = header;
        headerWithKid.insert("kid", "other");
        const QJsonObject none{{"alg", "none"}, {"typ", "JWT"}};
        const QJsonObject hs384{{"alg", "HS384"}, {"typ", "JWT"}};
        const QJsonObject rs256{{"alg", "RS256"}, {"typ", "JWT"}};
        const QJsonObject hs256{{"alg", "HS256"}, {"typ", "JWT"}};
        QJsonObject unknownSession = payload;
        unknownSession.insert("sid", "00000000-0000-4000-8000-000000000000");
        QJsonObject withoutExp = payload;
        withoutExp.remove("exp");
        QJsonObject noSession = payload;
        noSession.remove("sid");
        const QByteArray otherSecret(32, 'k');

        const QList<std::pair<const char *, QByteArray>> cases{
            {"payload changed: another user's id", withPayload(asAdmin)},
            {"payload changed: later exp", withPayload(longer)},
            {"signature changed", parts[0] + '.' + parts[1] + '.' + flipped},
            {"signature cut", parts[0] + '.' + parts[1] + '.' + parts[2].left(20)},
            {"signature removed", parts[0] + '.' + parts[1] + '.'},
            {"header changed", b64u(compact(headerWithKid)) + '.' + parts[1] + '.' + parts[2]},
            {"alg none, empty signature", b64u(compact(none)) + '.' + parts[1] + '.'},
            {"alg none, kept signature", b64u(compact(none)) + '.' + parts[1] + '.' + parts[2]},
            {"HS384 with the real secret", signedWith(hs384, payload, key, QCryptographicHash::Sha384)},
            {"RS256 header, HMAC signature", signedWith(rs256, payload, key)},
            {"another secret", Jwt::sign(payload, otherSecret)},
            {"another secret, admin id", Jwt::sign(asAdmin, otherSecret)},
            {"signed, but an unknown session", Jwt::sign(unknownSession, key)},
            {"signed, my session with the admin's id", Jwt::sign(asAdmin, key)},
            {"signed, no session", Jwt::sign(noSession, key)},
            {"signed, no exp", signedWith(hs256, withoutExp, key)},
            {"garbage", "garbage"},
            {"three dots", "a.b.c"},
            {"two parts", parts[0] + '.' + parts[1]},
            {"four parts", mine.access + ".x"},
            {"padding", mine.access + "="},
            {"huge", QByteArray(9000, 'a')},
            {"looks like an API token", "hth_notarealtoken"},
        };
        for (const auto &[what, token] : cases) {
            for (const QByteArray path :
                 {QByteArray("/me"), QByteArray("/vault"), QByteArray("/hearth_user")}) {
                const HttpReply r = as(token, "GET", path);
                QVERIFY2(r.status == 401 && r.errorCode() == QLatin1String("INVALID_TOKEN"),
                         qPrintable(QStringLiteral("%1 on %2: %3")
                                        .arg(QLatin1String(what), QString(path), r.describe())));
                QVERIFY(!r.body.contains("gold"));
            }
        }
        // The genuine token still works.
        CHECK_STATUS(as(mine.access, "GET", "/me"), 200);
    }

    void expiredTokenSaysTokenExpired()
    {
        const Tokens mine = newUser("expired");
        QVERIFY(mine.isValid());
        QJsonObject payload = jwtPart(mine.access, 1);
        const qint64 now = nowMs() / 1000;
        payload.insert("iat", double(now - 3600));
        payload.insert("exp", double(now - 60));
        const QByteArray expired = Jwt::sign(payload, secret());
        QVERIFY(!expired.isEmpty());
        CHECK_ERROR(as(expired, "GET", "/me"), 401, "TOKEN_EXPIRED");
        CHECK_ERROR(as(expired, "GET", "/vault"), 401, "TOKEN_EXPIRED");
        CHECK_ERROR(as(expired, "GET", "/auth/api-tokens"), 401, "TOKEN_EXPIRED");
        // Expired and forged: invalid wins (nothing invites a refresh).
        CHECK_ERROR(as(Jwt::sign(payload, QByteArray(32, 'z')), "GET", "/me"), 401, "INVALID_TOKEN");
        // Not yet valid: invalid.
        payload.insert("exp", double(now + 600));
        payload.insert("nbf", double(now + 300));
        CHECK_ERROR(as(Jwt::sign(payload, secret()), "GET", "/me"), 401, "INVALID_TOKEN");
        // The same claims, valid now, do work: what failed above was the time.
        payload.remove("nbf");
        CHECK_STATUS(as(Jwt::sign(payload, secret()), "GET", "/me"), 200);
    }

    void accessTokenLifetimeSetting()
    {
        QVERIFY(m_server->setSetting("accessTokenTtl", "2s"));
        auto restore = qScopeGuard([&] { m_server->setSetting("accessTokenTtl", "15m"); });
        const qint64 before = nowMs();
        const Tokens mine = newUser("ttl");
        QVERIFY(mine.isValid());
        QVERIFY2(mine.expTime > before && mine.expTime <= nowMs() + 2000,
                 qPrintable(QString::number(mine.expTime - before)));
        sleepUntil(mine.expTime);
        CHECK_ERROR(as(mine.access, "GET", "/me"), 401, "TOKEN_EXPIRED");
        // The refresh token still gives a fresh one.
        const HttpReply r = refresh(mine.refresh);
        CHECK_STATUS(r, 200);
        restore.dismiss();
        QVERIFY(m_server->setSetting("accessTokenTtl", "15m"));
        CHECK_STATUS(as(tokensOf(r).access, "GET", "/me"), 200);
        // A value that is not a duration is refused (the settings tests cover every built-in one).
        QVERIFY(!m_server->setSetting("accessTokenTtl", "soon"));
        const Tokens unchanged = tokensOf(refresh(tokensOf(r).refresh));
        QVERIFY(qAbs(unchanged.expTime - nowMs() - 15 * 60 * 1000) < 3000);
    }

    void noTokenOnAPrivateRouteIsUnauthorized()
    {
        for (const QByteArray path : {QByteArray("/me"), QByteArray("/vault"), QByteArray("/vault/1"),
                                      QByteArray("/auth/api-tokens"), QByteArray("/hearth_table")}) {
            const HttpReply r = anonymous("GET", path);
            QVERIFY2(r.status == 401 && r.errorCode() == QLatin1String("UNAUTHORIZED"),
                     qPrintable(QString(path) + ": " + r.describe()));
        }
        CHECK_ERROR(anonymous("POST", "/vault", "{\"label\":\"x\"}"), 401, "UNAUTHORIZED");
        CHECK_ERROR(anonymous("POST", "/auth/logout", "{\"refreshToken\":\"x\"}"), 401, "UNAUTHORIZED");
    }

    void badTokenOnAPublicRouteIsAnonymous()
    {
        QJsonObject payload{{"id", m_adminId}, {"sid", "x"}, {"exp", double(nowMs() / 1000 - 10)}};
        const QByteArray expired = Jwt::sign(payload, secret());
        for (const QByteArray &token : {QByteArray("garbage"), expired, QByteArray("hth_unknown"),
                                        Jwt::sign(payload, QByteArray(32, 'q'))}) {
            const HttpReply r = as(token, "GET", "/board");
            QVERIFY2(r.status == 200 && r.data().size() == 1, qPrintable(r.describe()));
            // The method that is not public still says what is wrong with the token.
            const HttpReply post = as(token, "POST", "/board", QJsonObject{{"label", "x"}});
            QVERIFY2(post.status == 401 && post.errorCode() != QLatin1String("UNAUTHORIZED"),
                     qPrintable(post.describe()));
        }
        CHECK_STATUS(anonymous("GET", "/board"), 200);
        CHECK_ERROR(anonymous("POST", "/board", "{\"label\":\"x\"}"), 401, "UNAUTHORIZED");
    }

    void onlyBearerIsRead()
    {
        const Tokens mine = newUser("scheme");
        QVERIFY(mine.isValid());
        const QByteArray basic = "Basic " + (HearthTestServer::adminEmail() + QStringLiteral(":") +
                                             HearthTestServer::adminPassword())
                                                .toUtf8()
                                                .toBase64();
        HttpReply r = m_client->get("/vault", {{"Authorization", basic}});
        CHECK_ERROR(r, 401, "UNAUTHORIZED");
        CHECK_ERROR(m_client->get("/me", {{"Authorization", basic}}), 401, "UNAUTHORIZED");
        CHECK_STATUS(m_client->get("/board", {{"Authorization", basic}}), 200);
        for (const QByteArray scheme : {QByteArray("Token "), QByteArray("JWT "), QByteArray("Bearer:"),
                                        QByteArray("BearerX "), QByteArray("")}) {
            r = m_client->get("/me", {{"Authorization", scheme + mine.access}});
            QVERIFY2(r.status == 401 && r.errorCode() == QLatin1String("UNAUTHORIZED"),
                     qPrintable(QString(scheme) + ": " + r.describe()));
        }
        // Neither a query parameter nor a cookie carries a token.
        CHECK_ERROR(m_client->get("/me?access_token=" + mine.access), 401, "UNAUTHORIZED");
        CHECK_ERROR(m_client->get("/me", {{"Cookie", "accessToken=" + mine.access}}), 401, "UNAUTHORIZED");
        // The scheme name is case-insensitive (RFC 9110).
        CHECK_STATUS(m_client->get("/me", {{"Authorization", "bearer " + mine.access}}), 200);
        CHECK_STATUS(m_client->get("/me", {{"Authorization", "BEARER " + mine.access}}), 200);
    }

    // --- refresh ------------------------------------------------------------------

    void refreshRotatesThePair()
    {
        const Tokens first = newUser("rotate");
        QVERIFY(first.isValid());
        const qint64 before = nowMs();
        const HttpReply r = refresh(first.refresh);
        CHECK_STATUS(r, 200);
        QStringList keys = r.object().keys();
        keys.sort();
        QCOMPARE(keys, QStringList({"accessToken", "expTime", "refreshToken"}));
        const Tokens second = tokensOf(r);
        QVERIFY(second.isValid());
        QVERIFY(second.refresh != first.refresh);
        QVERIFY(qAbs(second.expTime - before - 15 * 60 * 1000) < 3000);
        // Same user, same session.
        QCOMPARE(jwtPart(second.access, 1).value("id"), jwtPart(first.access, 1).value("id"));
        QCOMPARE(jwtPart(second.access, 1).value("sid"), jwtPart(first.access, 1).value("sid"));
        CHECK_STATUS(as(second.access, "GET", "/me"), 200);
        // The new refresh token rotates again.
        const HttpReply third = refresh(second.refresh);
        CHECK_STATUS(third, 200);
        CHECK_STATUS(as(tokensOf(third).access, "GET", "/me"), 200);
        // The spent ones are recorded (hashed) against the session.
        const QString sid = jwtPart(first.access, 1).value("sid").toString();
        QCOMPARE(sqliteValue(dbPath(), "SELECT count(*) FROM hearth_spent_token WHERE sessionId = ?", {sid}),
                 QStringLiteral("2"));
    }

    void reusingASpentRefreshTokenRevokesTheSession()
    {
        QString email;
        const Tokens first = newUser("reuse", &email);
        const Tokens other = signIn(email); // a second session of the same user
        QVERIFY(first.isValid() && other.isValid());
        const HttpReply rotated = refresh(first.refresh);
        CHECK_STATUS(rotated, 200);
        const Tokens second = tokensOf(rotated);

        // Someone presents the spent token: refused, and the session is over.
        const HttpReply reuse = refresh(first.refresh);
        CHECK_ERROR(reuse, 400, "BAD_REQUEST");
        QVERIFY2(reuse.message().contains("already used"), qPrintable(reuse.describe()));
        CHECK_ERROR(refresh(second.refresh), 400, "BAD_REQUEST");
        CHECK_ERROR(as(second.access, "GET", "/me"), 401, "INVALID_TOKEN");
        CHECK_ERROR(as(first.access, "GET", "/me"), 401, "INVALID_TOKEN");
        // Again: still refused, nothing revived.
        CHECK_ERROR(refresh(first.refresh), 400, "BAD_REQUEST");
        CHECK_ERROR(logout(second.access, second.refresh), 401, "INVALID_TOKEN");
        // The user's other session is untouched.
        CHECK_STATUS(as(other.access, "GET", "/me"), 200);
        CHECK_STATUS(refresh(other.refresh), 200);
    }

    void concurrentRefreshesOfOneTokenLetOnlyOneThrough()
    {
        const Tokens mine = newUser("race");
        QVERIFY(mine.isValid());
        const QByteArray body = compact(QJsonObject{{"refreshToken", QString(mine.refresh)}});
        const QByteArray request = "POST /auth/refresh-token HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                   "application/json\r\nContent-Length: " +
                                   QByteArray::number(body.size()) + "\r\n\r\n" + body;
        TestHttpClient a(m_server->port()), b(m_server->port());
        QVERIFY(a.sendRaw(request) && b.sendRaw(request));
        const HttpReply ra = a.readResponse(), rb = b.readResponse();
        QVERIFY2((ra.status == 200 && rb.status == 400) || (ra.status == 400 && rb.status == 200),
                 qPrintable(ra.describe() + QStringLiteral("\n") + rb.describe()));
    }

    void refreshRefusesBadInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::newRow("garbage") << QByteArray("{\"refreshToken\":\"garbage\"}") << "BAD_REQUEST";
        QTest::newRow("too long") << "{\"refreshToken\":\"" + QByteArray(300, 'a') + "\"}"
                                  << "BAD_REQUEST";
        QTest::newRow("empty") << QByteArray("{\"refreshToken\":\"\"}") << "VALIDATION_ERROR";
        QTest::newRow("missing") << QByteArray("{}") << "VALIDATION_ERROR";
        QTest::newRow("number") << QByteArray("{\"refreshToken\":42}") << "VALIDATION_ERROR";
        QTest::newRow("unknown key") << QByteArray("{\"refreshToken\":\"x\",\"userId\":\"y\"}")
                                     << "BAD_REQUEST";
        QTest::newRow("malformed") << QByteArray("{\"refreshToken\"") << "BAD_REQUEST";
        QTest::newRow("no body") << QByteArray() << "VALIDATION_ERROR";
    }

    void refreshRefusesBadInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        const HttpReply r = m_client->post("/auth/refresh-token", body);
        QVERIFY2(r.status == 400 && r.errorCode() == code, qPrintable(r.describe()));
    }

    void anAccessTokenIsNotARefreshToken()
    {
        const Tokens mine = newUser("mixup");
        QVERIFY(mine.isValid());
        CHECK_ERROR(refresh(mine.access), 400, "BAD_REQUEST");
        CHECK_ERROR(as(mine.refresh, "GET", "/me"), 401, "INVALID_TOKEN");
        // Refusing those changed nothing.
        CHECK_STATUS(refresh(mine.refresh), 200);
    }

    void expiredRefreshTokenIsRefused()
    {
        QVERIFY(m_server->setSetting("refreshTokenTtl", "1s"));
        auto restore = qScopeGuard([&] { m_server->setSetting("refreshTokenTtl", "1d"); });
        QString email;
        const Tokens mine = newUser("stale", &email);
        QVERIFY(mine.isValid());
        QThread::msleep(1300);
        const HttpReply r = refresh(mine.refresh);
        CHECK_ERROR(r, 400, "BAD_REQUEST");
        QVERIFY2(r.message().contains("expired"), qPrintable(r.describe()));
        // A remembered login follows refreshTokenTtlRemember instead.
        const HttpReply remembered = login(email, kPassword, true);
        CHECK_STATUS(remembered, 200);
        QThread::msleep(1300);
        CHECK_STATUS(refresh(tokensOf(remembered).refresh), 200);
    }

    void lifetimesBeyondYear9999FallBackToTheDefaults()
    {
        QVERIFY(m_server->setSetting("refreshTokenTtl", "9999999w"));
        QVERIFY(m_server->setSetting("accessTokenTtl", "9999999w"));
        auto restore = qScopeGuard([&] {
            m_server->setSetting("refreshTokenTtl", "1d");
            m_server->setSetting("accessTokenTtl", "15m");
        });
        const qint64 before = nowMs();
        const Tokens mine = newUser("forever");
        QVERIFY(mine.isValid());
        QVERIFY(qAbs(mine.expTime - before - 15 * 60 * 1000) < 3000);
        const QString sid = jwtPart(mine.access, 1).value("sid").toString();
        const qint64 expiresAt = parseTimestampMs(
            sqliteValue(dbPath(), "SELECT expiresAt FROM hearth_session WHERE id = ?", {sid}));
        QVERIFY(qAbs(expiresAt - before - 86'400'000LL) < 10'000);
        CHECK_STATUS(as(mine.access, "GET", "/me"), 200);
        CHECK_STATUS(refresh(mine.refresh), 200);
    }

    // --- logout -------------------------------------------------------------------

    void logoutEndsTheSession()
    {
        QString email;
        const Tokens mine = newUser("logout", &email);
        const Tokens other = signIn(email);
        QVERIFY(mine.isValid() && other.isValid());
        const HttpReply r = logout(mine.access, mine.refresh);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.object().value("message").toString(), QStringLiteral("Success"));
        CHECK_ERROR(as(mine.access, "GET", "/me"), 401, "INVALID_TOKEN");
        CHECK_ERROR(refresh(mine.refresh), 400, "BAD_REQUEST");
        CHECK_ERROR(logout(mine.access, mine.refresh), 401, "INVALID_TOKEN");
        // Only that session: the user's other one goes on.
        CHECK_STATUS(as(other.access, "GET", "/me"), 200);
        CHECK_STATUS(logout(other.access, other.refresh), 200);
        CHECK_ERROR(as(other.access, "GET", "/me"), 401, "INVALID_TOKEN");
    }

    void logoutNeedsABearerAndTheCallersRefreshToken()
    {
        const Tokens ann = newUser("ann");
        const Tokens bob = newUser("bob");
        QVERIFY(ann.isValid() && bob.isValid());
        const QByteArray body = compact(QJsonObject{{"refreshToken", QString(ann.refresh)}});
        // No Bearer: the refresh token alone does not end a session.
        CHECK_ERROR(anonymous("POST", "/auth/logout", body), 401, "UNAUTHORIZED");
        // Another user's refresh token: refused, and Ann's session lives on.
        CHECK_ERROR(logout(bob.access, ann.refresh), 400, "BAD_REQUEST");
        CHECK_ERROR(logout(m_server->adminToken(), ann.refresh), 400, "BAD_REQUEST");
        CHECK_ERROR(logout(ann.access, "not-a-refresh-token"), 400, "BAD_REQUEST");
        CHECK_ERROR(as(ann.access, "POST", "/auth/logout", QByteArray("{}")), 400, "VALIDATION_ERROR");
        CHECK_ERROR(as(ann.access, "POST", "/auth/logout",
                       QJsonObject{{"refreshToken", QString(ann.refresh)}, {"all", true}}),
                    400, "BAD_REQUEST");
        CHECK_ERROR(as(ann.access, "GET", "/auth/logout"), 405, "METHOD_NOT_ALLOWED");
        CHECK_STATUS(as(ann.access, "GET", "/me"), 200);
        CHECK_STATUS(as(bob.access, "GET", "/me"), 200);
        CHECK_STATUS(refresh(ann.refresh), 200);
    }

    // --- personal API tokens ------------------------------------------------------------

    void apiTokenIsShownOnceAndWorksAsBearer()
    {
        QString id;
        const Tokens mine = newUser("apitoken", nullptr, &id);
        QVERIFY(mine.isValid());
        HttpReply r = as(mine.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "ci"}});
        CHECK_STATUS(r, 201);
        QCOMPARE(r.data().size(), 1);
        const QJsonObject created = r.data().at(0).toObject();
        const QByteArray token = created.value("token").toString().toLatin1();
        QVERIFY2(token.startsWith("hth_") && token.size() >= 40, token.constData());
        QCOMPARE(created.value("name").toString(), QStringLiteral("ci"));
        QCOMPARE(created.value("tokenPrefix").toString().toLatin1(), token.left(12));
        QVERIFY(created.value("expiresAt").isNull());
        QVERIFY(created.value("id").isDouble());
        const QByteArray tokenId = QByteArray::number(created.value("id").toInteger());

        // The list never shows it again: only its prefix.
        r = as(mine.access, "GET", "/auth/api-tokens");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().size(), 1);
        const QJsonObject listed = r.data().at(0).toObject();
        QVERIFY(!listed.contains("token") && !listed.contains("tokenHash"));
        QCOMPARE(listed.value("tokenPrefix"), created.value("tokenPrefix"));
        QCOMPARE(listed.value("id"), created.value("id"));
        QVERIFY(!r.body.contains(token));
        QVERIFY(!r.body.contains(token.mid(12)));
        // Nor does the hearth_api_token table, to the root admin.
        r = m_admin->get("/hearth_api_token?limit=0");
        CHECK_STATUS(r, 200);
        QVERIFY(!r.body.contains(token.mid(12)) && !r.body.contains("tokenHash"));
        CHECK_ERROR(m_admin->get("/hearth_api_token?fields=tokenHash"), 400, "BAD_REQUEST");
        // Stored hashed.
        QCOMPARE(sqliteValue(dbPath(),
                             "SELECT count(*) FROM hearth_api_token WHERE tokenHash = ? OR name = ?",
                             {QString(token), QString(token)}),
                 QStringLiteral("0"));
        QCOMPARE(sqliteValue(dbPath(), "SELECT length(tokenHash) FROM hearth_api_token WHERE id = ?",
                             {QString(tokenId)}),
                 QStringLiteral("64"));

        // Usable as a Bearer token, as its owner.
        r = as(token, "GET", "/me");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("id").toString(), id);
        CHECK_ERROR(as(token, "GET", "/vault"), 403, "FORBIDDEN"); // not the root admin
        // Its last use is recorded.
        r = as(mine.access, "GET", "/auth/api-tokens");
        QVERIFY2(r.data().at(0).toObject().value("lastUsedAt").isString(), qPrintable(r.describe()));
        // A mistyped token is just invalid.
        QByteArray typo = token;
        typo[typo.size() - 1] = typo.back() == 'a' ? 'b' : 'a';
        CHECK_ERROR(as(typo, "GET", "/me"), 401, "INVALID_TOKEN");
        CHECK_ERROR(as(token.left(12), "GET", "/me"), 401, "INVALID_TOKEN");

        // Revoked: it stops working at once.
        CHECK_STATUS(as(mine.access, "DELETE", "/auth/api-tokens/" + tokenId), 200);
        CHECK_ERROR(as(token, "GET", "/me"), 401, "INVALID_TOKEN");
        r = as(mine.access, "GET", "/auth/api-tokens");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().size(), 0);
        CHECK_ERROR(as(mine.access, "DELETE", "/auth/api-tokens/" + tokenId), 404, "RESOURCE_NOT_FOUND");
    }

    void rootAdminApiTokenActsAsRoot()
    {
        HttpReply r = m_admin->post("/auth/api-tokens", QJsonObject{{"name", "admin automation"}});
        CHECK_STATUS(r, 201);
        const QByteArray token = r.data().at(0).toObject().value("token").toString().toLatin1();
        CHECK_STATUS(as(token, "GET", "/vault"), 200);
        CHECK_STATUS(as(token, "GET", "/hearth_table"), 200);
        r = as(token, "GET", "/me");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("isRootAdmin"), QJsonValue(true));
        r = as(token, "GET", "/auth/api-tokens");
        CHECK_STATUS(r, 200);
        QVERIFY(!r.body.contains(token.mid(12)));
    }

    void apiTokenExpires()
    {
        const Tokens mine = newUser("apiexpiry");
        QVERIFY(mine.isValid());
        const qint64 before = nowMs();
        HttpReply r =
            as(mine.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "short"}, {"expiresIn", "2s"}});
        CHECK_STATUS(r, 201);
        const QJsonObject created = r.data().at(0).toObject();
        const QByteArray token = created.value("token").toString().toLatin1();
        const qint64 expiresAt = parseTimestampMs(created.value("expiresAt").toString());
        QVERIFY2(expiresAt >= before + 2000 && expiresAt <= nowMs() + 2000,
                 qPrintable(created.value("expiresAt").toString()));
        CHECK_STATUS(as(token, "GET", "/me"), 200);
        sleepUntil(expiresAt);
        CHECK_ERROR(as(token, "GET", "/me"), 401, "TOKEN_EXPIRED");
        CHECK_ERROR(as(token, "GET", "/vault"), 401, "TOKEN_EXPIRED");
        // On a public route an expired token is no token.
        CHECK_STATUS(as(token, "GET", "/board"), 200);

        // An explicit expiresAt in the future is kept as given.
        const QString at = QDateTime::currentDateTimeUtc().addDays(30).toString(Qt::ISODateWithMs);
        r = as(mine.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "dated"}, {"expiresAt", at}});
        CHECK_STATUS(r, 201);
        QCOMPARE(parseTimestampMs(r.data().at(0).toObject().value("expiresAt").toString()),
                 parseTimestampMs(at));
        CHECK_STATUS(as(r.data().at(0).toObject().value("token").toString().toLatin1(), "GET", "/me"), 200);
    }

    void apiTokenOfAnotherUserCannotBeDeleted()
    {
        const Tokens ann = newUser("apiann");
        const Tokens bob = newUser("apibob");
        QVERIFY(ann.isValid() && bob.isValid());
        HttpReply r = as(ann.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "ann's"}});
        CHECK_STATUS(r, 201);
        const QByteArray token = r.data().at(0).toObject().value("token").toString().toLatin1();
        const QByteArray path =
            "/auth/api-tokens/" + QByteArray::number(r.data().at(0).toObject().value("id").toInteger());
        CHECK_ERROR(as(bob.access, "DELETE", path), 404, "RESOURCE_NOT_FOUND");
        CHECK_ERROR(m_admin->del(path), 404, "RESOURCE_NOT_FOUND"); // this route is for one's own tokens
        // Bob's list does not show Ann's token either.
        r = as(bob.access, "GET", "/auth/api-tokens");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().size(), 0);
        CHECK_STATUS(as(token, "GET", "/me"), 200);

        CHECK_ERROR(as(ann.access, "DELETE", "/auth/api-tokens/999999"), 404, "RESOURCE_NOT_FOUND");
        CHECK_ERROR(as(ann.access, "DELETE", "/auth/api-tokens/abc"), 400, "BAD_REQUEST");
        CHECK_ERROR(as(ann.access, "DELETE", "/auth/api-tokens/0"), 400, "BAD_REQUEST");
        CHECK_ERROR(as(ann.access, "DELETE", "/auth/api-tokens/-1"), 400, "BAD_REQUEST");
        CHECK_ERROR(as(ann.access, "PATCH", path, QJsonObject{{"name", "x"}}), 405, "METHOD_NOT_ALLOWED");
        CHECK_ERROR(as(ann.access, "PUT", "/auth/api-tokens", QJsonObject{{"name", "x"}}), 405,
                    "METHOD_NOT_ALLOWED");
        CHECK_ERROR(anonymous("DELETE", path), 401, "UNAUTHORIZED");
        CHECK_ERROR(anonymous("POST", "/auth/api-tokens", "{\"name\":\"x\"}"), 401, "UNAUTHORIZED");
        CHECK_STATUS(as(token, "GET", "/me"), 200);
    }

    void apiTokenValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        const QString past = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate);
        const QString future = QDateTime::currentDateTimeUtc().addDays(1).toString(Qt::ISODate);
        QTest::newRow("no name") << QByteArray("{}") << "VALIDATION_ERROR"
                                 << "name is required";
        QTest::newRow("blank name") << QByteArray("{\"name\":\"   \"}") << "VALIDATION_ERROR"
                                    << "name is required";
        QTest::newRow("name not text") << QByteArray("{\"name\":7}") << "VALIDATION_ERROR"
                                       << "name is required";
        QTest::newRow("long name") << "{\"name\":\"" + QByteArray(256, 'n') + "\"}"
                                   << "VALIDATION_ERROR"
                                   << "name is required";
        QTest::newRow("unknown key") << QByteArray("{\"name\":\"x\",\"userId\":\"y\"}") << "BAD_REQUEST"
                                     << "userId is not allowed";
        QTest::newRow("token given") << QByteArray("{\"name\":\"x\",\"token\":\"hth_mine\"}") << "BAD_REQUEST"
                                     << "token is not allowed";
        QTest::newRow("expiresIn words")
            << QByteArray("{\"name\":\"x\",\"expiresIn\":\"soon\"}") << "VALIDATION_ERROR"
            << "expiresIn";
        QTest::newRow("expiresIn zero")
            << QByteArray("{\"name\":\"x\",\"expiresIn\":\"0s\"}") << "VALIDATION_ERROR"
            << "expiresIn";
        QTest::newRow("expiresIn negative")
            << QByteArray("{\"name\":\"x\",\"expiresIn\":\"-5m\"}") << "VALIDATION_ERROR"
            << "expiresIn";
        QTest::newRow("expiresIn number")
            << QByteArray("{\"name\":\"x\",\"expiresIn\":3600}") << "VALIDATION_ERROR"
            << "expiresIn";
        QTest::newRow("expiresIn past year 9999")
            << QByteArray("{\"name\":\"x\",\"expiresIn\":\"9999999w\"}") << "VALIDATION_ERROR"
            << "expiresIn is too long";
        QTest::newRow("expiresIn far past year 9999")
            << QByteArray("{\"name\":\"x\",\"expiresIn\":\"1000000000000000s\"}") << "VALIDATION_ERROR"
            << "expiresIn is too long";
        QTest::newRow("expiresAt past year 9999")
            << QByteArray("{\"name\":\"x\",\"expiresAt\":\"10000-01-01T00:00:00Z\"}") << "VALIDATION_ERROR"
            << "expiresAt must be a valid date";
        QTest::newRow("expiresAt past") << "{\"name\":\"x\",\"expiresAt\":\"" + past.toLatin1() + "\"}"
                                        << "VALIDATION_ERROR"
                                        << "expiresAt must be in the future";
        QTest::newRow("expiresAt not a date")
            << QByteArray("{\"name\":\"x\",\"expiresAt\":\"tomorrow\"}") << "VALIDATION_ERROR"
            << "expiresAt must be a valid date";
        QTest::newRow("expiresAt number")
            << QByteArray("{\"name\":\"x\",\"expiresAt\":1}") << "VALIDATION_ERROR"
            << "expiresAt must be a valid date";
        QTest::newRow("both expiries")
            << "{\"name\":\"x\",\"expiresIn\":\"1d\",\"expiresAt\":\"" + future.toLatin1() + "\"}"
            << "VALIDATION_ERROR"
            << "not both";
        QTest::newRow("array") << QByteArray("[{\"name\":\"x\"}]") << "BAD_REQUEST"
                               << "JSON object";
        QTest::newRow("malformed") << QByteArray("{\"name\":") << "BAD_REQUEST"
                                   << "Malformed";
    }

    void apiTokenValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, message);
        const QByteArray token = m_server->adminToken();
        const int before = as(token, "GET", "/auth/api-tokens?x=1").data().size();
        const HttpReply r = as(token, "POST", "/auth/api-tokens", body);
        QVERIFY2(r.status == 400 && r.errorCode() == code && r.message().contains(message),
                 qPrintable(r.describe()));
        QVERIFY(!r.body.contains("hth_"));
        QCOMPARE(as(token, "GET", "/auth/api-tokens").data().size(), before);
    }

    void deletedUserTokensStopWorking()
    {
        QString id;
        const Tokens mine = newUser("gone", nullptr, &id);
        QVERIFY(mine.isValid());
        HttpReply r = as(mine.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "x"}});
        CHECK_STATUS(r, 201);
        const QByteArray token = r.data().at(0).toObject().value("token").toString().toLatin1();
        CHECK_STATUS(m_admin->del("/hearth_user/" + id.toLatin1()), 200);
        CHECK_ERROR(as(mine.access, "GET", "/me"), 401, "INVALID_TOKEN");
        CHECK_ERROR(as(token, "GET", "/me"), 401, "INVALID_TOKEN");
        CHECK_ERROR(refresh(mine.refresh), 400, "BAD_REQUEST");
        QCOMPARE(sqliteValue(dbPath(), "SELECT count(*) FROM hearth_session WHERE userId = ?", {id}),
                 QStringLiteral("0"));
    }

    // --- /me ------------------------------------------------------------------------

    void meReturnsTheCallerWithoutPassword()
    {
        QString email, id;
        const Tokens mine = newUser("me", &email, &id);
        QVERIFY(mine.isValid());
        HttpReply r = as(mine.access, "GET", "/me");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.object().value("statusCode"), QJsonValue(200));
        QCOMPARE(r.data().size(), 1);
        const QJsonObject me = r.data().at(0).toObject();
        QCOMPARE(me.value("id").toString(), id);
        QCOMPARE(me.value("email").toString(), email);
        QCOMPARE(me.value("isRootAdmin"), QJsonValue(false));
        QVERIFY(me.contains("role"));
        QVERIFY(me.value("createdAt").isString());
        QVERIFY2(!r.body.contains("password") && !r.body.contains("$2b$"), r.body.constData());
        const QString hash = sqliteValue(dbPath(), "SELECT password FROM hearth_user WHERE id = ?", {id});
        QVERIFY2(hash.startsWith("$2b$04$"), qPrintable(hash)); // bcryptCost 4, set by this test
        QVERIFY(!r.body.contains(hash.toUtf8()));

        // fields: narrowed, but never to the password.
        r = as(mine.access, "GET", "/me?fields=email");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("email").toString(), email);
        QVERIFY(!r.data().at(0).toObject().contains("createdAt"));
        for (const QByteArray query : {QByteArray("fields=password"), QByteArray("fields=id,password"),
                                       QByteArray("fields=sessions.refreshTokenHash")}) {
            r = as(mine.access, "GET", "/me?" + query);
            QVERIFY2(r.status == 400 && !r.body.contains("$2b$"), qPrintable(r.describe()));
        }
        // /me is only ever the caller, whatever the query says.
        r = as(mine.access, "GET",
               "/me?filter=" + QUrl::toPercentEncoding(compact(QJsonObject{{"id", m_adminId}})));
        QVERIFY(r.status != 200 ||
                (r.data().size() == 1 && r.data().at(0).toObject().value("id").toString() == id));

        r = m_admin->get("/me");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("isRootAdmin"), QJsonValue(true));
        QCOMPARE(r.data().at(0).toObject().value("email").toString(), HearthTestServer::adminEmail());
        QVERIFY(!r.body.contains("password") && !r.body.contains("$2b$"));
        const QString adminHash =
            sqliteValue(dbPath(), "SELECT password FROM hearth_user WHERE id = ?", {m_adminId});
        QVERIFY2(adminHash.startsWith("$2b$10$"), qPrintable(adminHash));
        CHECK_ERROR(as(mine.access, "DELETE", "/me"), 405, "METHOD_NOT_ALLOWED");
    }

    void meDoesNotReachOtherUsers()
    {
        HttpReply r = m_admin->post("/hearth_role", QJsonObject{{"name", "crew"}});
        CHECK_STATUS(r, 201);
        const qint64 role = r.data().at(0).toObject().value("id").toInteger();
        const QString mate = newEmail("mate");
        QVERIFY(!createUser(mate, kPassword, {{"role", role}}).isEmpty());
        QVERIFY(signIn(mate).isValid()); // a session with an ip and a user agent
        const QString email = newEmail("crew");
        QVERIFY(!createUser(email, kPassword, {{"role", role}}).isEmpty());
        const Tokens mine = signIn(email);
        QVERIFY(mine.isValid());

        r = as(mine.access, "GET", "/me");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("role").toObject(),
                 QJsonObject({{"id", role}, {"name", "crew"}}));
        r = as(mine.access, "GET", "/me?fields=email,role.name,role.description");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("role").toObject().value("name").toString(),
                 QStringLiteral("crew"));

        // Through the role (or the caller's own relations) to other users' rows: refused.
        const QList<QByteArray> queries{
            "fields=role.users.email",
            "fields=id,role.users.*",
            "fields=role.users.sessions.*",
            "fields=role.*",
            "fields=sessions.user.role.users.email",
            "fields=id&deep=" + QUrl::toPercentEncoding("{\"role\":{\"fields\":\"users.email\"}}"),
        };
        for (const QByteArray &query : queries) {
            r = as(mine.access, "GET", "/me?" + query);
            QVERIFY2(r.status == 400 && r.errorCode() == QLatin1String("BAD_REQUEST"),
                     qPrintable(QString(query) + ": " + r.describe()));
            QVERIFY(!r.body.contains(mate.toUtf8()));
        }
    }

    void patchMeChangesEmail()
    {
        QString email;
        const Tokens mine = newUser("rename", &email);
        QVERIFY(mine.isValid());
        const QString renamed = newEmail("renamed");
        HttpReply r = as(mine.access, "PATCH", "/me", QJsonObject{{"email", renamed}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.data().at(0).toObject().value("email").toString(), renamed);
        QVERIFY(!r.body.contains("password") && !r.body.contains("$2b$"));
        CHECK_ERROR(login(email, kPassword), 400, "BAD_REQUEST");
        CHECK_STATUS(login(renamed, kPassword), 200);
        // The session goes on: changing the email needs no password and ends nothing.
        CHECK_STATUS(as(mine.access, "GET", "/me"), 200);
        CHECK_STATUS(refresh(mine.refresh), 200);

        // Someone else's email: conflict; nothing changes.
        r = as(mine.access, "PATCH", "/me", QJsonObject{{"email", HearthTestServer::adminEmail()}});
        CHECK_ERROR(r, 409, "CONFLICT");
        CHECK_ERROR(as(mine.access, "PATCH", "/me", QJsonObject{{"email", QJsonValue::Null}}), 400,
                    "VALIDATION_ERROR");
        CHECK_ERROR(as(mine.access, "PATCH", "/me", QJsonObject{{"email", 5}}), 400, "VALIDATION_ERROR");
        r = as(mine.access, "GET", "/me");
        QCOMPARE(r.data().at(0).toObject().value("email").toString(), renamed);
        CHECK_ERROR(anonymous("PATCH", "/me", "{\"email\":\"x@auth.test\"}"), 401, "UNAUTHORIZED");
    }

    void patchMeRefusesPrivilegedFields_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("isRootAdmin") << QByteArray("{\"isRootAdmin\":true}") << 403;
        QTest::newRow("isRootAdmin false") << QByteArray("{\"isRootAdmin\":false}") << 403;
        QTest::newRow("role") << QByteArray("{\"role\":1}") << 403;
        QTest::newRow("role object") << QByteArray("{\"role\":{\"name\":\"boss\"}}") << 403;
        QTest::newRow("roleId") << QByteArray("{\"roleId\":1}") << 403;
        QTest::newRow("id") << QByteArray("{\"id\":\"00000000-0000-4000-8000-000000000000\"}") << 403;
        QTest::newRow("sessions") << QByteArray("{\"sessions\":[]}") << 403;
        QTest::newRow("apiTokens") << QByteArray("{\"apiTokens\":[]}") << 403;
        QTest::newRow("with email") << QByteArray("{\"email\":\"sneaky@auth.test\",\"isRootAdmin\":true}")
                                    << 403;
        QTest::newRow("unknown key") << QByteArray("{\"nickname\":\"x\"}") << 400;
        QTest::newRow("createdAt") << QByteArray("{\"createdAt\":\"2020-01-01T00:00:00Z\"}") << 400;
    }

    void patchMeRefusesPrivilegedFields()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QString email, id;
        const Tokens mine = newUser("priv", &email, &id);
        QVERIFY(mine.isValid());
        const HttpReply r = as(mine.access, "PATCH", "/me", body);
        QVERIFY2(r.status == status &&
                     r.errorCode() == QLatin1String(status == 403 ? "FORBIDDEN" : "BAD_REQUEST"),
                 qPrintable(r.describe()));
        const QJsonObject me = as(mine.access, "GET", "/me").data().at(0).toObject();
        QCOMPARE(me.value("isRootAdmin"), QJsonValue(false));
        QCOMPARE(me.value("email").toString(), email);
        QCOMPARE(me.value("id").toString(), id);
        QVERIFY(me.value("role").isNull());
        CHECK_ERROR(as(mine.access, "GET", "/hearth_table"), 403, "FORBIDDEN");
    }

    void passwordChangeNeedsTheCurrentPassword()
    {
        QString email;
        const Tokens mine = newUser("pwcheck", &email);
        QVERIFY(mine.isValid());
        const QString next = QStringLiteral("brand-new-pass-2");
        const QList<QJsonObject> refused{
            {{"password", next}},
            {{"password", next}, {"currentPassword", "wrong-password"}},
            {{"password", next}, {"currentPassword", kPassword.toUpper()}},
            {{"password", next}, {"currentPassword", QJsonValue::Null}},
            {{"password", next}, {"currentPassword", 12345678}},
            {{"password", next}, {"currentPassword", ""}},
        };
        for (const QJsonObject &body : refused) {
            const HttpReply r = as(mine.access, "PATCH", "/me", body);
            QVERIFY2(r.status == 400 && r.message().contains("currentPassword"),
                     qPrintable(compact(body) + " " + r.describe()));
        }
        // The right current password, but a new one that is too short.
        HttpReply r = as(mine.access, "PATCH", "/me",
                         QJsonObject{{"password", "short"}, {"currentPassword", kPassword}});
        CHECK_ERROR(r, 400, "VALIDATION_ERROR");
        r = as(mine.access, "PATCH", "/me",
               QJsonObject{{"password", QJsonValue::Null}, {"currentPassword", kPassword}});
        QCOMPARE(r.status, 400);
        // None of that changed the password or ended a session.
        CHECK_STATUS(login(email, kPassword), 200);
        CHECK_ERROR(login(email, next), 400, "BAD_REQUEST");
        CHECK_STATUS(as(mine.access, "GET", "/me"), 200);
        CHECK_STATUS(refresh(mine.refresh), 200);
    }

    void passwordChangeEndsTheOtherSessions()
    {
        QString email;
        const Tokens mine = newUser("pwchange", &email);
        const Tokens other = signIn(email);
        QVERIFY(mine.isValid() && other.isValid());
        HttpReply r = as(other.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "kept"}});
        CHECK_STATUS(r, 201);
        const QByteArray apiToken = r.data().at(0).toObject().value("token").toString().toLatin1();

        const QString next = QStringLiteral("brand-new-pass-2");
        r = as(mine.access, "PATCH", "/me", QJsonObject{{"password", next}, {"currentPassword", kPassword}});
        CHECK_STATUS(r, 200);
        QVERIFY2(!r.body.contains("password") && !r.body.contains("$2b$"), r.body.constData());
        QVERIFY(!r.body.contains(next.toUtf8()));
        // Stored as a bcrypt hash of the new password.
        const QString id = r.data().at(0).toObject().value("id").toString();
        const QString hash = sqliteValue(dbPath(), "SELECT password FROM hearth_user WHERE id = ?", {id});
        QVERIFY2(hash.startsWith("$2b$"), qPrintable(hash));

        // The old password fails, the new one works.
        CHECK_ERROR(login(email, kPassword), 400, "BAD_REQUEST");
        CHECK_STATUS(login(email, next), 200);
        // This session goes on; the other one is over.
        CHECK_STATUS(as(mine.access, "GET", "/me"), 200);
        CHECK_ERROR(as(other.access, "GET", "/me"), 401, "INVALID_TOKEN");
        CHECK_ERROR(refresh(other.refresh), 400, "BAD_REQUEST");
        const HttpReply rotated = refresh(mine.refresh);
        CHECK_STATUS(rotated, 200);
        // Personal API tokens are separate credentials: they stay until revoked.
        CHECK_STATUS(as(apiToken, "GET", "/me"), 200);
        // The current password is now the new one.
        r = as(tokensOf(rotated).access, "PATCH", "/me",
               QJsonObject{{"password", "third-pass-3"}, {"currentPassword", kPassword}});
        CHECK_ERROR(r, 400, "VALIDATION_ERROR");
    }

    // --- brute force ------------------------------------------------------------------

    void repeatedFailuresLockTheEmailForThisAddress()
    {
        QVERIFY(m_server->setSetting("loginMaxFailures", 3));
        QVERIFY(m_server->setSetting("loginFailureWindow", "2s"));
        auto restore = qScopeGuard([&] {
            m_server->setSetting("loginMaxFailures", 5);
            m_server->setSetting("loginFailureWindow", "15m");
        });
        const QString email = newEmail("locked");
        const QString bystander = newEmail("bystander");
        QVERIFY(!createUser(email).isEmpty() && !createUser(bystander).isEmpty());

        for (int i = 0; i < 3; ++i)
            CHECK_ERROR(login(email, QStringLiteral("guess-%1").arg(i)), 400, "BAD_REQUEST");
        const qint64 lockedAt = nowMs();
        // Locked: even the right password is refused, with when to try again.
        HttpReply r = login(email, kPassword);
        CHECK_ERROR(r, 429, "RATE_LIMIT_EXCEEDED");
        QVERIFY(!r.body.contains("accessToken"));
        const QByteArray retryAfter = r.header("retry-after");
        QVERIFY2(retryAfter.toInt() >= 1 && retryAfter.toInt() <= 2, qPrintable(r.describe()));
        const QJsonObject details = r.object().value("error").toObject().value("details").toObject();
        QCOMPARE(details.value("retryAfter").toInt(), retryAfter.toInt());
        CHECK_ERROR(login(email, QStringLiteral("guess-again")), 429, "RATE_LIMIT_EXCEEDED");
        // The same email in other letters is the same account.
        CHECK_ERROR(login(email.toUpper(), kPassword), 429, "RATE_LIMIT_EXCEEDED");
        // Other emails from this address are not affected.
        CHECK_STATUS(login(bystander, kPassword), 200);
        CHECK_ERROR(login(bystander, QStringLiteral("typo")), 400, "BAD_REQUEST");

        // The lock lifts once the failures leave the window.
        sleepUntil(lockedAt + 2000);
        CHECK_STATUS(login(email, kPassword), 200);
    }

    void aSuccessfulLoginResetsTheCount()
    {
        QVERIFY(m_server->setSetting("loginMaxFailures", 3));
        QVERIFY(m_server->setSetting("loginFailureWindow", "10m"));
        auto restore = qScopeGuard([&] {
            m_server->setSetting("loginMaxFailures", 5);
            m_server->setSetting("loginFailureWindow", "15m");
        });
        const QString email = newEmail("reset");
        QVERIFY(!createUser(email).isEmpty());
        for (int round = 0; round < 3; ++round) {
            CHECK_ERROR(login(email, QStringLiteral("wrong-1")), 400, "BAD_REQUEST");
            CHECK_ERROR(login(email, QStringLiteral("wrong-2")), 400, "BAD_REQUEST");
            CHECK_STATUS(login(email, kPassword), 200);
        }
        // Without a success in between, the third failure locks.
        for (int i = 0; i < 3; ++i)
            CHECK_ERROR(login(email, QStringLiteral("wrong")), 400, "BAD_REQUEST");
        CHECK_ERROR(login(email, kPassword), 429, "RATE_LIMIT_EXCEEDED");
    }

    void unknownEmailsAreThrottledToo()
    {
        QVERIFY(m_server->setSetting("loginMaxFailures", 2));
        auto restore = qScopeGuard([&] { m_server->setSetting("loginMaxFailures", 5); });
        const QString email = newEmail("ghost");
        CHECK_ERROR(login(email, QStringLiteral("a")), 400, "BAD_REQUEST");
        CHECK_ERROR(login(email, QStringLiteral("b")), 400, "BAD_REQUEST");
        const HttpReply r = login(email, QStringLiteral("c"));
        CHECK_ERROR(r, 429, "RATE_LIMIT_EXCEEDED");
        QVERIFY(r.hasHeader("retry-after"));
        // Malformed attempts are refused before they count.
        const QString other = newEmail("ghost");
        for (int i = 0; i < 4; ++i)
            CHECK_ERROR(m_client->post("/auth/login", QJsonObject{{"email", other}}), 400,
                        "VALIDATION_ERROR");
        CHECK_ERROR(login(other, QStringLiteral("a")), 400, "BAD_REQUEST");
    }

    void concurrentGuessesNeverExceedTheLimit()
    {
        QVERIFY(m_server->setSetting("loginMaxFailures", 3));
        auto restore = qScopeGuard([&] { m_server->setSetting("loginMaxFailures", 5); });
        // A hash at cost 10 makes each guess slow enough for the two workers to overlap.
        QVERIFY(m_server->setSetting("bcryptCost", 10));
        const QString email = newEmail("parallel");
        const bool created = !createUser(email).isEmpty();
        QVERIFY(m_server->setSetting("bcryptCost", 4));
        QVERIFY(created);
        // Eight guesses at once, on eight connections (the server has two workers).
        const QByteArray body = compact(QJsonObject{{"email", email}, {"password", "a-wrong-guess"}});
        const QByteArray request =
            "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            QByteArray::number(body.size()) + "\r\n\r\n" + body;
        std::vector<std::unique_ptr<TestHttpClient>> clients;
        for (int i = 0; i < 8; ++i) {
            clients.push_back(std::make_unique<TestHttpClient>(m_server->port()));
            QVERIFY(clients.back()->connectToServer());
        }
        for (const auto &client : clients)
            QVERIFY(client->sendRaw(request));
        int refused = 0, limited = 0;
        for (const auto &client : clients) {
            const HttpReply r = client->readResponse();
            if (r.status == 400)
                ++refused;
            else if (r.status == 429)
                ++limited;
            else
                QFAIL(qPrintable(r.describe()));
        }
        QCOMPARE(refused, 3);
        QCOMPARE(limited, 5);
        CHECK_ERROR(login(email, kPassword), 429, "RATE_LIMIT_EXCEEDED");
    }

    // --- /auth/ paths that are not auth routes --------------------------------------------

    // The server's own paths cannot be taken by a table or a route.
    void reservedNamesAndPaths()
    {
        for (const char *name : {"auth", "me", "admin", "Auth", "ME"}) {
            const HttpReply r = m_admin->post(
                "/hearth_table",
                QJsonObject{{"name", name},
                            {"columns", QJsonArray{QJsonObject{{"name", "label"}, {"type", "varchar"}}}}});
            CHECK_ERROR(r, 400, "BAD_REQUEST");
        }
        for (const char *path : {"/auth", "/auth/login", "/me", "/admin/cache", "/admin"}) {
            const HttpReply r = m_admin->post("/hearth_route", QJsonObject{{"path", path}});
            CHECK_ERROR(r, 400, "VALIDATION_ERROR");
        }
        // Names that only start like them are fine.
        const HttpReply ok = m_admin->post("/hearth_route", QJsonObject{{"path", "/authors-feed"}});
        CHECK_STATUS(ok, 201);
        // Method lists name HTTP methods, in capitals.
        CHECK_ERROR(m_admin->post("/hearth_route",
                                  QJsonObject{{"path", "/feed-x"}, {"publicMethods", QJsonArray{"get"}}}),
                    400, "VALIDATION_ERROR");
    }

    // --- the secret and restarts ------------------------------------------------------------

    void tokensSurviveARestart()
    {
        QVERIFY(qEnvironmentVariableIsEmpty("HEARTH_SECRET_KEY"));
        const QString keyFile = m_server->dataDir() + QStringLiteral("/secret.key");
        QVERIFY(QFileInfo::exists(keyFile));
        QCOMPARE(QFileInfo(keyFile).permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        const QByteArray keyBefore = secret();
        QCOMPARE(keyBefore.size(), 32);

        QString email;
        const Tokens mine = newUser("restart", &email);
        const Tokens second = signIn(email);
        QVERIFY(mine.isValid() && second.isValid());
        HttpReply r = as(mine.access, "POST", "/auth/api-tokens", QJsonObject{{"name", "survivor"}});
        CHECK_STATUS(r, 201);
        const QByteArray apiToken = r.data().at(0).toObject().value("token").toString().toLatin1();
        const QByteArray adminAccess = m_server->adminToken();

        QVERIFY(m_server->restart());
        QCOMPARE(secret(), keyBefore);
        CHECK_STATUS(as(mine.access, "GET", "/me"), 200);
        CHECK_STATUS(as(adminAccess, "GET", "/hearth_table"), 200);
        CHECK_STATUS(as(apiToken, "GET", "/me"), 200);
        const HttpReply rotated = refresh(second.refresh);
        CHECK_STATUS(rotated, 200);
        CHECK_STATUS(as(tokensOf(rotated).access, "GET", "/me"), 200);
        // A token signed before the restart with the file's key is still judged by it.
        QJsonObject payload = jwtPart(mine.access, 1);
        payload.insert("exp", double(nowMs() / 1000 - 1));
        CHECK_ERROR(as(Jwt::sign(payload, keyBefore), "GET", "/me"), 401, "TOKEN_EXPIRED");
        CHECK_STATUS(login(email, kPassword), 200);
        CHECK_STATUS(logout(mine.access, mine.refresh), 200);
    }
};

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
