// $ctx.$helpers and $ctx.$cache through real HTTP against a real server
// (API.md "Scripts: hooks and handlers"): every helper called from hooks and
// handlers made through the API, Enfyra's documented examples run unchanged
// ($jwt, $bcrypt, autoSlug, $crypto, $sleep, $rateLimit, $cache), argument
// errors thrown into the script at its own line, and the slow helpers
// ($bcrypt, $sleep) leaving a single worker free for other requests.

#include "hearthtestserver.h"
#include "testchecks.h"
#include "testhttpclient.h"

#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "engine/engine.h"
#include "script/scripthelpers.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>
#include <QtTest>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

using namespace Hearth;

namespace {

const QString kPassword = QStringLiteral("helpers-pass-1");

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The body as JSON of any kind (QJsonDocument reads only objects and arrays).
QJsonValue bodyValue(const HttpReply &reply)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + reply.body + "]");
    return doc.isArray() && doc.array().size() == 1 ? doc.array().first() : QJsonValue(QJsonValue::Undefined);
}

HttpHeaders bearer(const QByteArray &token)
{
    HttpHeaders headers;
    if (!token.isEmpty())
        headers.append(std::pair<QByteArray, QByteArray>("Authorization", "Bearer " + token));
    return headers;
}

// A raw request to send without waiting for its answer.
QByteArray rawGet(const QByteArray &path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
}

// RFC 4251 fields of an SSH public key blob.
struct BlobReader
{
    QByteArray blob;
    qsizetype at = 0;
    bool ok = true;
    QByteArray next()
    {
        if (at + 4 > blob.size()) {
            ok = false;
            return {};
        }
        const quint32 n = (quint32(uchar(blob[at])) << 24) | (quint32(uchar(blob[at + 1])) << 16) |
                          (quint32(uchar(blob[at + 2])) << 8) | quint32(uchar(blob[at + 3]));
        at += 4;
        if (at + qsizetype(n) > blob.size()) {
            ok = false;
            return {};
        }
        const QByteArray field = blob.mid(at, n);
        at += n;
        return field;
    }
};

struct User
{
    QString id;
    QByteArray token;
};

} // namespace

// A script error: 400 SCRIPT_EXECUTION_ERROR whose message contains text.
#define CHECK_SCRIPT_ERROR(reply, text)                                                                      \
    do {                                                                                                     \
        const HttpReply &e_ = (reply);                                                                       \
        QVERIFY2(e_.status == 400 && e_.errorCode() == QLatin1String("SCRIPT_EXECUTION_ERROR") &&            \
                     e_.message().contains(QLatin1String(text)),                                             \
                 qPrintable(e_.describe()));                                                                 \
    } while (false)

class TestScriptHelpers : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    std::unique_ptr<TestHttpClient> m_client; // sends a token only when asked
    User m_alice;
    User m_bob;
    int m_counter = 0;

    qint64 created(const HttpReply &r)
    {
        if (r.status != 201) {
            qWarning("create: %s", qPrintable(r.describe()));
            return 0;
        }
        return r.data().at(0).toObject().value("id").toInteger();
    }

    // A fresh custom route, public for GET and POST unless told otherwise.
    qint64 route(const QString &path, const QJsonArray &publicMethods = {"GET", "POST"})
    {
        return created(
            m_admin->post("/hearth_route", QJsonObject{{"path", path}, {"publicMethods", publicMethods}}));
    }
    QString freshPath(const char *tag)
    {
        return QStringLiteral("/%1-%2").arg(QLatin1String(tag)).arg(++m_counter);
    }

    qint64 handler(qint64 routeId, const QString &method, const QString &source, int timeout = 0)
    {
        QJsonObject body{{"route", routeId}, {"method", method}, {"sourceCode", source}};
        if (timeout)
            body.insert("timeout", timeout);
        return created(m_admin->post("/hearth_route_handler", body));
    }
    qint64 hook(const char *table, qint64 routeId, const QString &source, const QJsonArray &methods = {})
    {
        return created(m_admin->post(QByteArray("/") + table,
                                     QJsonObject{{"name", QStringLiteral("hook %1").arg(++m_counter)},
                                                 {"route", routeId},
                                                 {"methods", methods},
                                                 {"sourceCode", source}}));
    }
    qint64 preHook(qint64 routeId, const QString &source, const QJsonArray &methods = {})
    {
        return hook("hearth_pre_hook", routeId, source, methods);
    }
    qint64 postHook(qint64 routeId, const QString &source, const QJsonArray &methods = {})
    {
        return hook("hearth_post_hook", routeId, source, methods);
    }

    // A handler on a fresh route, called once by the admin: its answer.
    HttpReply run(const QString &source, int timeout = 0)
    {
        const QString path = freshPath("run");
        if (!handler(route(path), QStringLiteral("GET"), source, timeout))
            return {};
        return m_admin->get(path.toUtf8());
    }
    QJsonValue value(const QString &source)
    {
        const HttpReply r = run(source);
        if (r.status != 200)
            qWarning("run: %s", qPrintable(r.describe()));
        return bodyValue(r);
    }

    HttpReply as(const User &user, const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return m_client->request(method, path.toUtf8(), body, bearer(user.token));
    }
    HttpReply anonymous(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return m_client->request(method, path.toUtf8(), body);
    }

    User makeUser(const QString &name)
    {
        User user;
        const QString email = name + QStringLiteral("@helpers.test");
        user.id = m_admin->post("/hearth_user", QJsonObject{{"email", email}, {"password", kPassword}})
                      .data()
                      .at(0)
                      .toObject()
                      .value("id")
                      .toString();
        const HttpReply login =
            m_client->post("/auth/login", QJsonObject{{"email", email}, {"password", kPassword}});
        user.token = login.object().value("accessToken").toString().toLatin1();
        return user;
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_admin = m_server->adminClient();
        m_client = std::make_unique<TestHttpClient>(m_server->port());
        m_alice = makeUser(QStringLiteral("alice"));
        m_bob = makeUser(QStringLiteral("bob"));
        QVERIFY(!m_alice.token.isEmpty() && !m_bob.token.isEmpty());
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        m_client.reset();
        m_server.reset();
    }

    // --- $jwt

    void jwtSignsWithTheServerSecret()
    {
        // Enfyra's example, unchanged.
        const HttpReply r = run(R"JS(
const token = await $ctx.$helpers.$jwt(
  { userId: 123, email: 'ann@example.com' },
  '7d'  // Expires in 7 days
);
return { token };
)JS");
        CHECK_STATUS(r, 200);
        const QByteArray token = r.object().value("token").toString().toLatin1();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const JwtVerification v = Jwt::verify(token, m_server->engine().secretKey(), now);
        QCOMPARE(v.status, JwtVerification::Valid);
        QCOMPARE(v.payload.value("userId").toInt(), 123);
        QCOMPARE(v.payload.value("email").toString(), QStringLiteral("ann@example.com"));
        const qint64 iat = qint64(v.payload.value("iat").toDouble());
        const qint64 exp = qint64(v.payload.value("exp").toDouble());
        QVERIFY2(qAbs(iat - now) <= 5, qPrintable(QString::number(iat - now)));
        QCOMPARE(exp - iat, 7 * 24 * 3600);
        // exp is honoured: one second past it the token is expired.
        QCOMPARE(Jwt::verify(token, m_server->engine().secretKey(), exp).status, JwtVerification::Expired);
        // Another secret does not verify it.
        QCOMPARE(Jwt::verify(token, "another secret", now).status, JwtVerification::Invalid);
        // Not an access token: it has no session behind it.
        QCOMPARE(m_client->get("/me", bearer(token)).status, 401);
    }

    void jwtExpirationFormats_data()
    {
        QTest::addColumn<QString>("expiresIn");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("15m") << QStringLiteral("'15m'") << qint64(15 * 60);
        QTest::newRow("1h") << QStringLiteral("'1h'") << qint64(3600);
        QTest::newRow("1d") << QStringLiteral("'1d'") << qint64(24 * 3600);
        QTest::newRow("7d") << QStringLiteral("'7d'") << qint64(7 * 24 * 3600);
        QTest::newRow("30d") << QStringLiteral("'30d'") << qint64(30 * 24 * 3600);
        QTest::newRow("seconds") << QStringLiteral("90") << qint64(90);
    }

    void jwtExpirationFormats()
    {
        QFETCH(QString, expiresIn);
        QFETCH(qint64, seconds);
        // iat and exp are the server's, whatever the payload says.
        const QJsonValue token =
            value(QStringLiteral("return await $ctx.$helpers.$jwt({ sub: 'x', exp: 1, iat: 1 }, %1);")
                      .arg(expiresIn));
        const JwtVerification v = Jwt::verify(token.toString().toLatin1(), m_server->engine().secretKey(),
                                              QDateTime::currentSecsSinceEpoch());
        QCOMPARE(v.status, JwtVerification::Valid);
        QCOMPARE(qint64(v.payload.value("exp").toDouble() - v.payload.value("iat").toDouble()), seconds);
    }

    void jwtRefusesBadArguments()
    {
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$jwt({ a: 1 }, '7x');"),
                           "$jwt: expiresIn must be");
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$jwt({ a: 1 });"), "$jwt: expiresIn must be");
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$jwt({ a: 1 }, 0);"), "$jwt: expiresIn must be");
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$jwt('text', '1h');"),
                           "$jwt: payload must be an object");
        // A rejection like any other: a script may catch it.
        QCOMPARE(
            value("try { await $ctx.$helpers.$jwt(null, '1h'); } catch (e) { return e.name; }").toString(),
            QStringLiteral("TypeError"));
    }

    // --- $bcrypt

    void bcryptHashesAndCompares()
    {
        // Enfyra's example, unchanged.
        const HttpReply r = run(R"JS(
const hashedPassword = await $ctx.$helpers.$bcrypt.hash('myPassword123');
const isValid = await $ctx.$helpers.$bcrypt.compare('myPassword123', hashedPassword);
const wrong = await $ctx.$helpers.$bcrypt.compare('myPassword124', hashedPassword);
const malformed = await $ctx.$helpers.$bcrypt.compare('myPassword123', 'not a hash');
return { hashedPassword, isValid, wrong, malformed };
)JS");
        CHECK_STATUS(r, 200);
        const QJsonObject o = r.object();
        const QByteArray hash = o.value("hashedPassword").toString().toLatin1();
        QVERIFY2(hash.startsWith("$2b$10$"), hash.constData()); // the bcryptCost setting
        QVERIFY(PasswordHasher::isHash(hash));
        QVERIFY(PasswordHasher::verify("myPassword123", hash));
        QCOMPARE(o.value("isValid"), QJsonValue(true));
        QCOMPARE(o.value("wrong"), QJsonValue(false));
        QCOMPARE(o.value("malformed"), QJsonValue(false));
        // A hash made elsewhere compares too.
        const QByteArray outside = PasswordHasher::hash("outside", 4);
        QCOMPARE(value(QStringLiteral("return await $ctx.$helpers.$bcrypt.compare('outside', '%1');")
                           .arg(QString::fromLatin1(outside))),
                 QJsonValue(true));
    }

    void bcryptRefusesBadArguments()
    {
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$bcrypt.hash(12345);"),
                           "$bcrypt.hash: password must be a string");
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$bcrypt.hash('a\\u0000b');"), "NUL");
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$bcrypt.compare('x');"),
                           "$bcrypt.compare: hash must be a string");
    }

    // Two bcrypt hashes run in the pool while the only worker answers another request.
    void bcryptDoesNotBlockTheWorker()
    {
        HttpServerConfig config = HearthTestServer::quietConfig();
        config.workerCount = 1;
        HearthTestServer server(config);
        QVERIFY(server.start());
        auto admin = server.adminClient();
        const auto made = [](const HttpReply &r) {
            return r.data().at(0).toObject().value("id").toInteger();
        };
        // A slower cost makes the window wide; the verdict does not depend on timing.
        const HttpReply cost =
            admin->get("/hearth_setting?fields=id&filter=" +
                       QUrl::toPercentEncoding(compact(QJsonObject{{"key", "bcryptCost"}})));
        CHECK_STATUS(
            admin->patch("/hearth_setting/" + QByteArray::number(made(cost)), QJsonObject{{"value", 12}}),
            200);
        const qint64 slow = made(admin->post(
            "/hearth_route", QJsonObject{{"path", "/slow"}, {"publicMethods", QJsonArray{"GET"}}}));
        const qint64 fast = made(admin->post(
            "/hearth_route", QJsonObject{{"path", "/fast"}, {"publicMethods", QJsonArray{"GET"}}}));
        CHECK_STATUS(admin->post("/hearth_route_handler",
                                 QJsonObject{{"route", slow}, {"method", "GET"}, {"sourceCode", R"JS(
await $ctx.$cache.setNoExpire('a-started', true);
const hashes = await Promise.all([$ctx.$helpers.$bcrypt.hash('one'), $ctx.$helpers.$bcrypt.hash('two')]);
return { bDone: await $ctx.$cache.get('b-done'), hashes };
)JS"}}),
                     201);
        CHECK_STATUS(admin->post("/hearth_route_handler",
                                 QJsonObject{{"route", fast}, {"method", "GET"}, {"sourceCode", R"JS(
const aStarted = await $ctx.$cache.get('a-started');
await $ctx.$cache.setNoExpire('b-done', true);
return { aStarted };
)JS"}}),
                     201);

        TestHttpClient first(server.port());
        TestHttpClient second(server.port());
        first.setTimeout(30'000);
        QVERIFY(first.sendRaw(rawGet("/slow")));
        // Until /slow has started hashing (it marks that in the cache first).
        QDeadlineTimer started(10'000);
        while (!server.engine().cache().get(QStringLiteral("a-started")) && !started.hasExpired())
            QThread::msleep(5);
        QVERIFY(!started.hasExpired());
        const HttpReply b = second.get("/fast");
        CHECK_STATUS(b, 200);
        QCOMPARE(b.object().value("aStarted"), QJsonValue(true));
        const HttpReply a = first.readResponse();
        CHECK_STATUS(a, 200);
        // /fast ran while /slow waited for its hashes.
        QCOMPARE(a.object().value("bDone"), QJsonValue(true));
        const QJsonArray hashes = a.object().value("hashes").toArray();
        QCOMPARE(hashes.size(), 2);
        QVERIFY(hashes.at(0).toString().startsWith(QLatin1String("$2b$12$")));
        QVERIFY(PasswordHasher::verify("one", hashes.at(0).toString().toLatin1()));
        QVERIFY(PasswordHasher::verify("two", hashes.at(1).toString().toLatin1()));
    }

    // --- autoSlug

    void autoSlugMakesUrlFriendlySlugs_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("slug");
        QTest::newRow("documented") << QStringLiteral("My Product Name") << QStringLiteral("my-product-name");
        QTest::newRow("accents") << QStringLiteral("Héllo, Wörld!") << QStringLiteral("hello-world");
        QTest::newRow("trimmed") << QStringLiteral("  --Hello__World--  ") << QStringLiteral("hello-world");
        QTest::newRow("runs") << QStringLiteral("a  &  b ... c") << QStringLiteral("a-b-c");
        QTest::newRow("sharp s") << QStringLiteral("Straße 42") << QStringLiteral("strasse-42");
        QTest::newRow("ligatures") << QStringLiteral("Ærøskøbing Œuvre")
                                   << QStringLiteral("aeroskobing-oeuvre");
        QTest::newRow("digits") << QStringLiteral("Top 10 (2024)") << QStringLiteral("top-10-2024");
        QTest::newRow("no latin") << QStringLiteral("Привет мир") << QStringLiteral("");
        QTest::newRow("empty") << QStringLiteral("") << QStringLiteral("");
    }

    void autoSlugMakesUrlFriendlySlugs()
    {
        QFETCH(QString, text);
        QFETCH(QString, slug);
        // Synchronous as in Enfyra: used without await.
        const QJsonValue v =
            value(QStringLiteral("const slug = $ctx.$helpers.autoSlug(%1);\nreturn slug;")
                      .arg(QString::fromUtf8(
                          QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact).mid(1).chopped(1))));
        QCOMPARE(v.toString(), slug);
    }

    void autoSlugAwaitedAndBadArguments()
    {
        QCOMPARE(value("return await $ctx.$helpers.autoSlug('Awaited Too');").toString(),
                 QStringLiteral("awaited-too"));
        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.autoSlug({});"), "autoSlug: text must be a string");
    }

    // --- $crypto

    void cryptoDocumentedExample()
    {
        const HttpReply r = run(R"JS(
const id = $ctx.$helpers.$crypto.randomUUID();
const token = $ctx.$helpers.$crypto.randomBytes(32, 'base64url');
const digest = $ctx.$helpers.$crypto.sha256('payload');
const signature = $ctx.$helpers.$crypto.hmacSha256('payload', 'shared-secret');
return { id, token, digest, signature, types: [typeof id, typeof token, typeof digest, typeof signature] };
)JS");
        CHECK_STATUS(r, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value("types").toArray(), (QJsonArray{"string", "string", "string", "string"}));
        QVERIFY(QRegularExpression(
                    QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                    .match(o.value("id").toString())
                    .hasMatch());
        const QString token = o.value("token").toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{43}$")).match(token).hasMatch());
        QCOMPARE(QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding).size(), 32);
        QCOMPARE(
            o.value("digest").toString(),
            QString::fromLatin1(QCryptographicHash::hash("payload", QCryptographicHash::Sha256).toHex()));
        QCOMPARE(o.value("signature").toString(),
                 QString::fromLatin1(
                     QMessageAuthenticationCode::hash("payload", "shared-secret", QCryptographicHash::Sha256)
                         .toHex()));
    }

    void cryptoEncodingsAndLimits()
    {
        const QJsonObject o = value(R"JS(
const c = $ctx.$helpers.$crypto;
return {
  uuids: [c.randomUUID(), c.randomUUID()],
  hex: c.randomBytes(16), base64: c.randomBytes(16, 'base64'), none: c.randomBytes(0), max: c.randomBytes(4096, 'hex'),
  sha: [c.sha256('abc', 'hex'), c.sha256('abc', 'base64'), c.sha256('abc', 'base64url'), c.sha256('')],
  hmac: c.hmacSha256('ünïcode', 'k', 'base64'),
  awaited: await c.sha256('abc')
};
)JS")
                                  .toObject();
        const QJsonArray uuids = o.value("uuids").toArray();
        QVERIFY(uuids.at(0) != uuids.at(1));
        QVERIFY(
            QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(o.value("hex").toString()).hasMatch());
        QCOMPARE(QByteArray::fromBase64(o.value("base64").toString().toLatin1()).size(), 16);
        QVERIFY(o.value("base64").toString().endsWith(QLatin1Char('=')));
        QCOMPARE(o.value("none").toString(), QString());
        QCOMPARE(o.value("max").toString().size(), 8192);
        const QByteArray abc = QCryptographicHash::hash("abc", QCryptographicHash::Sha256);
        QCOMPARE(
            o.value("sha").toArray(),
            (QJsonArray{QString::fromLatin1(abc.toHex()), QString::fromLatin1(abc.toBase64()),
                        QString::fromLatin1(
                            abc.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)),
                        QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")}));
        QCOMPARE(o.value("hmac").toString(),
                 QString::fromLatin1(QMessageAuthenticationCode::hash(QStringLiteral("ünïcode").toUtf8(), "k",
                                                                      QCryptographicHash::Sha256)
                                         .toBase64()));
        QCOMPARE(o.value("awaited").toString(), QString::fromLatin1(abc.toHex()));

        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.$crypto.randomBytes(4097);"),
                           "RangeError: $crypto.randomBytes: size must be an integer from 0 to 4096");
        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.$crypto.randomBytes(-1);"), "from 0 to 4096");
        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.$crypto.randomBytes(2.5);"), "from 0 to 4096");
        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.$crypto.randomBytes('8');"), "size must be a number");
        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.$crypto.randomBytes(8, 'latin1');"),
                           "encoding must be 'hex', 'base64' or 'base64url'");
        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.$crypto.sha256({});"),
                           "$crypto.sha256: data must be a string");
        CHECK_SCRIPT_ERROR(run("return $ctx.$helpers.$crypto.hmacSha256('x');"),
                           "$crypto.hmacSha256: secret must be a string");
    }

    // A helper's refusal names the script's own line, not the runtime's.
    void helperErrorsPointAtTheScriptLine()
    {
        const HttpReply r =
            run("const a = 1;\n\nconst b = $ctx.$helpers.$crypto.randomBytes(99999);\nreturn b;");
        CHECK_SCRIPT_ERROR(r, "line 3: RangeError: $crypto.randomBytes");
        QCOMPARE(r.object().value("error").toObject().value("details").toObject().value("line").toInt(), 3);
        const HttpReply awaited = run("const a = 1;\nawait $ctx.$cache.set('k', 1, 'soon');\nreturn a;");
        CHECK_SCRIPT_ERROR(awaited, "line 2: TypeError: $cache.set: ttlMs must be a number");
    }

    void sshKeyPairParses()
    {
        // Enfyra's example, unchanged.
        const HttpReply r = run(R"JS(
const keyPair = await $ctx.$helpers.$crypto.generateSshKeyPair('deploy@example.com');

// keyPair.publicKey is OpenSSH format.
// keyPair.privateKey is RSA PKCS#1 PEM.
return keyPair;
)JS");
        CHECK_STATUS(r, 200);
        const QString publicKey = r.object().value("publicKey").toString();
        const QByteArray privateKey = r.object().value("privateKey").toString().toLatin1();
        const QStringList parts = publicKey.split(QLatin1Char(' '));
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts.at(0), QStringLiteral("ssh-rsa"));
        QCOMPARE(parts.at(2), QStringLiteral("deploy@example.com"));
        BlobReader blob{
            QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::AbortOnBase64DecodingErrors)};
        QCOMPARE(blob.next(), QByteArray("ssh-rsa"));
        const QByteArray e = blob.next();
        const QByteArray n = blob.next();
        QVERIFY(blob.ok);
        QCOMPARE(blob.at, blob.blob.size()); // nothing after n
        QCOMPARE(e, QByteArray::fromHex("010001"));
        QCOMPARE(n.size(), 3072 / 8 + 1); // mpint: a leading zero as the top bit is set
        QCOMPARE(n.at(0), '\0');
        QVERIFY(uchar(n.at(1)) & 0x80);

        QVERIFY(privateKey.startsWith("-----BEGIN RSA PRIVATE KEY-----\n"));
        QVERIFY(privateKey.trimmed().endsWith("-----END RSA PRIVATE KEY-----"));
        // The private key is the public key's pair.
        BIO *bio = BIO_new_mem_buf(privateKey.constData(), int(privateKey.size()));
        EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        QVERIFY(key);
        BIGNUM *modulus = nullptr;
        QCOMPARE(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &modulus), 1);
        QByteArray modulusBytes(BN_num_bytes(modulus), Qt::Uninitialized);
        BN_bn2bin(modulus, reinterpret_cast<unsigned char *>(modulusBytes.data()));
        BN_free(modulus);
        EVP_PKEY_free(key);
        QCOMPARE(modulusBytes, n.mid(1));

        // ssh-keygen agrees, when it is installed.
        const QString sshKeygen = QStandardPaths::findExecutable(QStringLiteral("ssh-keygen"));
        if (!sshKeygen.isEmpty()) {
            QTemporaryDir dir;
            QFile file(dir.filePath(QStringLiteral("key.pub")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(publicKey.toLatin1() + '\n');
            file.close();
            QProcess keygen;
            keygen.start(sshKeygen, {QStringLiteral("-l"), QStringLiteral("-f"), file.fileName()});
            QVERIFY(keygen.waitForFinished(10'000));
            const QByteArray out = keygen.readAllStandardOutput();
            QVERIFY2(keygen.exitCode() == 0 && out.startsWith("3072 SHA256:") && out.contains("(RSA)"),
                     out.constData());
        }
    }

    void sshKeyPairComments()
    {
        const QJsonObject o = value("return await $ctx.$helpers.$crypto.generateSshKeyPair();").toObject();
        QCOMPARE(o.value("publicKey").toString().split(QLatin1Char(' ')).size(), 2);
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$crypto.generateSshKeyPair('a\\nb');"),
                           "$crypto.generateSshKeyPair: comment must be one line");
    }

    // --- $sleep

    void sleepDelayIsClamped()
    {
        QCOMPARE(ScriptHelpers::sleepDelayMs(QJSValue(1e9)), ScriptHelpers::MaxSleepMs);
        QCOMPARE(ScriptHelpers::sleepDelayMs(QJSValue(30'001)), 30'000);
        QCOMPARE(ScriptHelpers::sleepDelayMs(QJSValue(-5)), 0);
        QCOMPARE(ScriptHelpers::sleepDelayMs(QJSValue(std::nan(""))), 0);
        QCOMPARE(ScriptHelpers::sleepDelayMs(QJSValue()), 0);
        QCOMPARE(ScriptHelpers::sleepDelayMs(QJSValue(12.2)), 13);
        QCOMPARE(ScriptHelpers::sleepDelayMs(QJSValue(QStringLiteral("40"))), 40);

        // Through a script: below zero and not a number resolve at once.
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(
            value("await $ctx.$helpers.$sleep(-1000); await $ctx.$helpers.$sleep('soon'); return 'awake';"),
            QJsonValue("awake"));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        // A long sleep suspends the script until its timeout (it is not cut short).
        const HttpReply r = run("await $ctx.$helpers.$sleep(1e12);\nreturn 'awake';", 300);
        QVERIFY2(r.status == 408 && r.errorCode() == QLatin1String("SCRIPT_TIMEOUT"),
                 qPrintable(r.describe()));
    }

    // Two requests sleeping 500 ms on a single worker end together, not one after the other.
    void sleepSuspendsOnlyItsRequest()
    {
        HttpServerConfig config = HearthTestServer::quietConfig();
        config.workerCount = 1;
        HearthTestServer server(config);
        QVERIFY(server.start());
        auto admin = server.adminClient();
        const qint64 routeId =
            admin->post("/hearth_route", QJsonObject{{"path", "/nap"}, {"publicMethods", QJsonArray{"GET"}}})
                .data()
                .at(0)
                .toObject()
                .value("id")
                .toInteger();
        // Enfyra's example, with the delay of this test.
        CHECK_STATUS(admin->post("/hearth_route_handler",
                                 QJsonObject{{"route", routeId},
                                             {"method", "GET"},
                                             {"sourceCode", "const started = Date.now();\n"
                                                            "await $ctx.$helpers.$sleep(500);\n"
                                                            "return { slept: Date.now() - started };"}}),
                     201);
        CHECK_STATUS(admin->get("/nap"), 200); // compiled and warm

        TestHttpClient first(server.port());
        TestHttpClient second(server.port());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(first.sendRaw(rawGet("/nap")));
        QVERIFY(second.sendRaw(rawGet("/nap")));
        const HttpReply a = first.readResponse();
        const HttpReply b = second.readResponse();
        const qint64 elapsed = timer.elapsed();
        CHECK_STATUS(a, 200);
        CHECK_STATUS(b, 200);
        QVERIFY2(a.object().value("slept").toInt() >= 495, qPrintable(a.describe()));
        QVERIFY2(b.object().value("slept").toInt() >= 495, qPrintable(b.describe()));
        QVERIFY2(elapsed >= 495 && elapsed < 950, qPrintable(QString::number(elapsed)));
    }

    // A request that ends (here past its timeout) while a helper works: the
    // helper's late result finds nobody, and the server goes on.
    void pendingHelpersEndWithTheRequest()
    {
        for (const char *source :
             {"await $ctx.$helpers.$sleep(5000);", "await $ctx.$helpers.$bcrypt.hash('late');",
              "await $ctx.$helpers.$crypto.generateSshKeyPair('late');"}) {
            const HttpReply r = run(QString::fromLatin1(source), 20);
            QVERIFY2(r.status == 408 && r.errorCode() == QLatin1String("SCRIPT_TIMEOUT"),
                     qPrintable(r.describe()));
        }
        QThread::msleep(1500); // the pool's results arrive meanwhile
        QCOMPARE(value("await $ctx.$helpers.$sleep(1);\nreturn await $ctx.$helpers.$bcrypt.compare('a', "
                       "await $ctx.$helpers.$bcrypt.hash('a'));"),
                 QJsonValue(true));
    }

    // --- $rateLimit

    void rateLimitResultObject()
    {
        const QString path = freshPath("rl-result");
        handler(route(path), QStringLiteral("GET"), R"JS(
const first = await $ctx.$helpers.$rateLimit.byIp({ maxRequests: 2, perSeconds: 60 });
const second = await $ctx.$helpers.$rateLimit.byIp({ maxRequests: 2, perSeconds: 60 });
const third = await $ctx.$helpers.$rateLimit.byIp({ maxRequests: 2, perSeconds: 60 });
return [first, second, third];
)JS");
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonArray results = bodyValue(anonymous("GET", path)).toArray();
        QCOMPARE(results.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject o = results.at(i).toObject();
            QCOMPARE(o.keys(),
                     (QStringList{"allowed", "limit", "remaining", "resetAt", "retryAfter", "window"}));
            QCOMPARE(o.value("allowed").toBool(), i < 2);
            QCOMPARE(o.value("remaining").toInt(), i == 0 ? 1 : 0);
            QCOMPARE(o.value("limit").toInt(), 2);
            QCOMPARE(o.value("window").toInt(), 60);
            const qint64 resetAt = qint64(o.value("resetAt").toDouble());
            QVERIFY2(resetAt >= now + 58 && resetAt <= now + 62, qPrintable(QString::number(resetAt - now)));
            const int retryAfter = o.value("retryAfter").toInt();
            QVERIFY(i < 2 ? retryAfter == 0 : retryAfter >= 58 && retryAfter <= 60);
        }
        CHECK_SCRIPT_ERROR(
            run("return await $ctx.$helpers.$rateLimit.byIp({ maxRequests: 0, perSeconds: 60 });"),
            "$rateLimit.byIp: ");
        CHECK_SCRIPT_ERROR(run("return await $ctx.$helpers.$rateLimit.byIp();"), "must be an object");
        CHECK_SCRIPT_ERROR(
            run("return await $ctx.$helpers.$rateLimit.check(null, { maxRequests: 1, perSeconds: 1 });"),
            "$rateLimit.check: key must be a string");
    }

    // Enfyra: "Rate Limit Login Attempts by IP" (on a route of our own: /auth/login
    // is built in and runs no hooks).
    void rateLimitLoginByIp()
    {
        const QString path = freshPath("login");
        const qint64 id = route(path, {"POST"});
        QVERIFY(preHook(id, R"JS(
// In preHook for POST /auth/login
const result = await $ctx.$helpers.$rateLimit.byIp({
  maxRequests: 5,
  perSeconds: 60
});

if (!result.allowed) {
  $ctx.$throw['429'](`Too many login attempts. Try again in ${result.retryAfter}s`);
}
)JS",
                        {"POST"}));
        QVERIFY(handler(id, QStringLiteral("POST"), "return { signedIn: $ctx.$body.email };"));
        for (int i = 0; i < 5; ++i)
            CHECK_STATUS(anonymous("POST", path, R"({"email":"a@b.c"})"), 200);
        const HttpReply refused = anonymous("POST", path, R"({"email":"a@b.c"})");
        QVERIFY2(refused.status == 429 && refused.errorCode() == QLatin1String("HTTP_ERROR"),
                 qPrintable(refused.describe()));
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("^Too many login attempts. Try again in (\\d+)s$"))
                .match(refused.message());
        QVERIFY2(m.hasMatch(), qPrintable(refused.message()));
        QVERIFY(m.captured(1).toInt() >= 1 && m.captured(1).toInt() <= 60);
        // Signed in or not, the same address is limited (the key is the IP's).
        CHECK_STATUS(as(m_alice, "POST", path, "{}"), 429);
    }

    // Enfyra: "Rate Limit API by User"; an anonymous caller counts by address.
    void rateLimitByUser()
    {
        const QString path = freshPath("api");
        const qint64 id = route(path, {"GET"});
        QVERIFY(preHook(id, R"JS(
// In preHook for API routes
const result = await $ctx.$helpers.$rateLimit.byUser({
  maxRequests: 3,
  perSeconds: 3600  // 1 hour
});

if (!result.allowed) {
  $ctx.$throw['429'](`API rate limit exceeded. Try again in ${result.retryAfter}s`);
}
)JS"));
        QVERIFY(handler(id, QStringLiteral("GET"), "return { user: $ctx.$user && $ctx.$user.id };"));
        for (int i = 0; i < 3; ++i)
            CHECK_STATUS(as(m_alice, "GET", path), 200);
        const HttpReply refused = as(m_alice, "GET", path);
        CHECK_STATUS(refused, 429);
        QVERIFY(refused.message().startsWith(QLatin1String("API rate limit exceeded. Try again in ")));
        // Bob has a limit of his own, on the same address.
        for (int i = 0; i < 3; ++i)
            CHECK_STATUS(as(m_bob, "GET", path), 200);
        CHECK_STATUS(as(m_bob, "GET", path), 429);
        // Anonymous callers fall back to the address: byUser is then byIp.
        for (int i = 0; i < 3; ++i)
            CHECK_STATUS(anonymous("GET", path), 200);
        CHECK_STATUS(anonymous("GET", path), 429);
        // The keys are Enfyra's templates.
        QCOMPARE(value(QStringLiteral("return await $ctx.$helpers.$rateLimit.status('user:%1:%2', "
                                      "{ maxRequests: 3, perSeconds: 3600 });")
                           .arg(m_alice.id, path))
                     .toObject()
                     .value("remaining")
                     .toInt(),
                 0);
        QCOMPARE(value(QStringLiteral("return await $ctx.$helpers.$rateLimit.status('ip:127.0.0.1:%1', "
                                      "{ maxRequests: 3, perSeconds: 3600 });")
                           .arg(path))
                     .toObject()
                     .value("allowed"),
                 QJsonValue(false));
    }

    // Enfyra: "Skip Rate Limit for Admins".
    void rateLimitSkipsAdmins()
    {
        const QString path = freshPath("skip");
        const qint64 id = route(path, {"GET"});
        QVERIFY(preHook(id, R"JS(
if (!$ctx.$user?.isRootAdmin) {
  const result = await $ctx.$helpers.$rateLimit.byIp({
    maxRequests: 2,
    perSeconds: 60
  });

  if (!result.allowed) {
    $ctx.$throw['429']('Rate limit exceeded');
  }
}
)JS"));
        QVERIFY(handler(id, QStringLiteral("GET"), "return 'ok';"));
        CHECK_STATUS(anonymous("GET", path), 200);
        CHECK_STATUS(as(m_alice, "GET", path), 200);
        const HttpReply refused = anonymous("GET", path);
        CHECK_STATUS(refused, 429);
        QCOMPARE(refused.message(), QStringLiteral("Rate limit exceeded"));
        for (int i = 0; i < 5; ++i)
            CHECK_STATUS(m_admin->get(path.toUtf8()), 200);
    }

    // Enfyra: "Custom Key for Specific Resource".
    void rateLimitCustomKeyPerResource()
    {
        const QString base = freshPath("resource");
        const qint64 id = route(base + QStringLiteral("/:id"), {"GET"});
        QVERIFY(preHook(id, R"JS(
const resourceId = $ctx.$params.id;
const result = await $ctx.$helpers.$rateLimit.check(
  `resource:${resourceId}:${$ctx.$user?.id || $ctx.$req.ip}`,
  { maxRequests: 2, perSeconds: 60 }
);

if (!result.allowed) {
  $ctx.$throw['429']('Too many requests to this resource');
}
)JS"));
        QVERIFY(handler(id, QStringLiteral("GET"), "return { id: $ctx.$params.id };"));
        const QString one = base + QStringLiteral("/1");
        const QString two = base + QStringLiteral("/2");
        CHECK_STATUS(as(m_alice, "GET", one), 200);
        CHECK_STATUS(as(m_alice, "GET", one), 200);
        const HttpReply refused = as(m_alice, "GET", one);
        CHECK_STATUS(refused, 429);
        QCOMPARE(refused.message(), QStringLiteral("Too many requests to this resource"));
        CHECK_STATUS(as(m_alice, "GET", two), 200); // another resource
        CHECK_STATUS(as(m_bob, "GET", one), 200);   // another user
        CHECK_STATUS(anonymous("GET", one), 200);   // the address
    }

    // Enfyra: "Check Status Without Incrementing".
    void rateLimitStatusDoesNotCount()
    {
        const QString path = freshPath("expensive");
        const qint64 id = route(path, {"GET", "POST"});
        QVERIFY(preHook(id,
                        QStringLiteral(R"JS(
// Check if rate limited without counting the request
const status = await $ctx.$helpers.$rateLimit.status(
  `ip:${$ctx.$req.ip}:%1`,
  { maxRequests: 5, perSeconds: 3600 }
);

if (!status.allowed) {
  $ctx.$throw['429']('Daily limit reached');
}
$ctx.$share.remaining = status.remaining;
)JS")
                            .arg(path),
                        {"GET"}));
        QVERIFY(handler(id, QStringLiteral("GET"), "return { remaining: $ctx.$share.remaining };"));
        // POST is what counts: byIp uses the same key as the status above.
        QVERIFY(handler(id, QStringLiteral("POST"),
                        "return await $ctx.$helpers.$rateLimit.byIp({ maxRequests: 5, perSeconds: 3600 });"));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(anonymous("GET", path).object().value("remaining").toInt(), 5);
        for (int i = 0; i < 3; ++i)
            CHECK_STATUS(anonymous("POST", path), 200);
        QCOMPARE(anonymous("GET", path).object().value("remaining").toInt(), 2);
        QCOMPARE(anonymous("GET", path).object().value("remaining").toInt(), 2);
        CHECK_STATUS(anonymous("POST", path), 200);
        CHECK_STATUS(anonymous("POST", path), 200);
        const HttpReply refused = anonymous("GET", path);
        CHECK_STATUS(refused, 429);
        QCOMPARE(refused.message(), QStringLiteral("Daily limit reached"));
    }

    // Enfyra: "Reset Rate Limit After Successful Action", in a postHook.
    void rateLimitResetAfterSuccess()
    {
        const QString path = freshPath("forgot");
        const qint64 id = route(path, {"POST"});
        QVERIFY(preHook(id, R"JS(
const result = await $ctx.$helpers.$rateLimit.byIp({ maxRequests: 2, perSeconds: 60 });
if (!result.allowed) {
  $ctx.$throw['429'](`Too many attempts. Try again in ${result.retryAfter}s`);
}
)JS"));
        QVERIFY(handler(id, QStringLiteral("POST"),
                        "if ($ctx.$body.fail) $ctx.$throw['400']('unknown email');\nreturn { sent: true };"));
        QVERIFY(postHook(id, QStringLiteral(R"JS(
if (!$ctx.$error) {
  // In postHook after successful action
  await $ctx.$helpers.$rateLimit.reset(`ip:${$ctx.$req.ip}:%1`);
}
)JS")
                                 .arg(path)));
        // Successes start the count over every time.
        for (int i = 0; i < 5; ++i)
            CHECK_STATUS(anonymous("POST", path, "{}"), 200);
        // Failures are counted.
        CHECK_STATUS(anonymous("POST", path, R"({"fail":true})"), 400);
        CHECK_STATUS(anonymous("POST", path, R"({"fail":true})"), 400);
        CHECK_STATUS(anonymous("POST", path, "{}"), 429);
        QCOMPARE(
            value(
                QStringLiteral("return await $ctx.$helpers.$rateLimit.reset('ip:127.0.0.1:%1');").arg(path)),
            QJsonValue(true));
        CHECK_STATUS(anonymous("POST", path, "{}"), 200);
        QCOMPARE(value("return await $ctx.$helpers.$rateLimit.reset('never-used');"), QJsonValue(false));
    }

    // byRoute is shared by everybody; the global templates span every route.
    void rateLimitRouteAndGlobalKeys()
    {
        const QString path = freshPath("shared");
        const qint64 id = route(path, {"GET"});
        QVERIFY(handler(id, QStringLiteral("GET"), R"JS(
const r = await $ctx.$helpers.$rateLimit.byRoute({ maxRequests: 3, perSeconds: 60 });
if (!r.allowed) $ctx.$throw['429']('busy');
return r.remaining;
)JS"));
        CHECK_STATUS(anonymous("GET", path), 200);
        CHECK_STATUS(as(m_alice, "GET", path), 200);
        CHECK_STATUS(as(m_bob, "GET", path), 200);
        CHECK_STATUS(m_admin->get(path.toUtf8()), 429);
        QCOMPARE(value(QStringLiteral("return (await $ctx.$helpers.$rateLimit.status('route:%1', "
                                      "{ maxRequests: 3, perSeconds: 60 })).allowed;")
                           .arg(path)),
                 QJsonValue(false));

        // Two routes, one limit per user (and per address for anonymous callers).
        const QString a = freshPath("global-a");
        const QString b = freshPath("global-b");
        const QString source = QStringLiteral(R"JS(
const r = await $ctx.$helpers.$rateLimit.byUserGlobal({ maxRequests: 3, perSeconds: 60 });
if (!r.allowed) $ctx.$throw['429']('global');
return r.remaining;
)JS");
        QVERIFY(handler(route(a, {"GET"}), QStringLiteral("GET"), source));
        QVERIFY(handler(route(b, {"GET"}), QStringLiteral("GET"), source));
        const User carol = makeUser(QStringLiteral("carol"));
        CHECK_STATUS(as(carol, "GET", a), 200);
        CHECK_STATUS(as(carol, "GET", b), 200);
        CHECK_STATUS(as(carol, "GET", a), 200);
        CHECK_STATUS(as(carol, "GET", b), 429);
        QCOMPARE(value(QStringLiteral("return (await $ctx.$helpers.$rateLimit.status('user:%1', "
                                      "{ maxRequests: 3, perSeconds: 60 })).remaining;")
                           .arg(carol.id)),
                 QJsonValue(0));

        const QString c = freshPath("ipglobal-c");
        const QString d = freshPath("ipglobal-d");
        const QString byIp = QStringLiteral(R"JS(
const r = await $ctx.$helpers.$rateLimit.byIpGlobal({ maxRequests: 2, perSeconds: 60 });
return r;
)JS");
        QVERIFY(handler(route(c, {"GET"}), QStringLiteral("GET"), byIp));
        QVERIFY(handler(route(d, {"GET"}), QStringLiteral("GET"), byIp));
        QVERIFY(value("return await $ctx.$helpers.$rateLimit.reset('ip:127.0.0.1') !== undefined;").toBool());
        QCOMPARE(anonymous("GET", c).object().value("remaining").toInt(), 1);
        QCOMPARE(anonymous("GET", d).object().value("remaining").toInt(), 0);
        QCOMPARE(as(m_alice, "GET", c).object().value("allowed"), QJsonValue(false));
    }

    // --- $cache

    void cacheDocumentedExamples()
    {
        // Enfyra's examples, unchanged, with their placeholders defined first.
        const HttpReply r = run(R"JS(
const key = 'doc:key'; const value = { n: 1 }; const ttlMs = 60000;
const userData = { id: 123, name: 'Ann' };
await $ctx.$cache.set(key, value, ttlMs);
const cachedValue = await $ctx.$cache.get(key);

// Set with TTL (time-to-live in milliseconds)
// Example - cache for 5 minutes
await $ctx.$cache.set('user:123', userData, 300000);
const user = await $ctx.$cache.get('user:123');

// Set without expiration
await $ctx.$cache.setNoExpire('doc:forever', value);

const exists = await $ctx.$cache.exists(key, value);
const lockExists = await $ctx.$cache.exists('user-lock:123', 'user-456');

await $ctx.$cache.deleteKey('user:123');
const afterDelete = await $ctx.$cache.get('user:123');
return { cachedValue, user, exists, lockExists, afterDelete, forever: await $ctx.$cache.get('doc:forever') };
)JS");
        CHECK_STATUS(r, 200);
        QCOMPARE(r.object(), (QJsonObject{{"cachedValue", QJsonObject{{"n", 1}}},
                                          {"user", QJsonObject{{"id", 123}, {"name", "Ann"}}},
                                          {"exists", true},
                                          {"lockExists", false},
                                          {"afterDelete", QJsonValue::Null},
                                          {"forever", QJsonObject{{"n", 1}}}}));
        // The shared store: what a script set is there for the server too.
        QCOMPARE(m_server->engine().cache().get(QStringLiteral("doc:key")).value_or(QJsonValue()),
                 QJsonValue(QJsonObject{{"n", 1}}));
        QVERIFY(m_server->engine().cache().ttl(QStringLiteral("doc:forever")) == CacheStore::NoExpiry);
    }

    void cacheValuesRoundTrip()
    {
        const QJsonObject o = value(R"JS(
const values = { s: 'text', n: 1.5, b: false, nul: null, arr: [1, 'two', { three: 3 }], obj: { nested: { deep: [] } },
                 date: new Date(0), undef: undefined };
const out = {};
for (const name of Object.keys(values)) {
  await $ctx.$cache.set('rt:' + name, values[name], 60000);
  out[name] = await $ctx.$cache.get('rt:' + name);
}
out.missing = await $ctx.$cache.get('rt:missing');
out.numberKey = [await $ctx.$cache.setNoExpire(42, 'answer'), await $ctx.$cache.get('42')];
out.existsAny = await $ctx.$cache.exists('rt:s');
out.existsValue = [await $ctx.$cache.exists('rt:obj', { nested: { deep: [] } }), await $ctx.$cache.exists('rt:obj', {})];
out.deleted = [await $ctx.$cache.deleteKey('rt:s'), await $ctx.$cache.deleteKey('rt:s')];
return out;
)JS")
                                  .toObject();
        QCOMPARE(o.value("s"), QJsonValue("text"));
        QCOMPARE(o.value("n"), QJsonValue(1.5));
        QCOMPARE(o.value("b"), QJsonValue(false));
        QCOMPARE(o.value("nul"), QJsonValue(QJsonValue::Null));
        QCOMPARE(o.value("arr"), QJsonValue(QJsonArray{1, "two", QJsonObject{{"three", 3}}}));
        QCOMPARE(o.value("obj"), QJsonValue(QJsonObject{{"nested", QJsonObject{{"deep", QJsonArray{}}}}}));
        QCOMPARE(o.value("date"), QJsonValue("1970-01-01T00:00:00.000Z"));
        QCOMPARE(o.value("undef"), QJsonValue(QJsonValue::Null));
        QCOMPARE(o.value("missing"), QJsonValue(QJsonValue::Null));
        QCOMPARE(o.value("numberKey"), QJsonValue(QJsonArray{QJsonValue::Null, "answer"}));
        QCOMPARE(o.value("existsAny"), QJsonValue(true));
        QCOMPARE(o.value("existsValue"), QJsonValue(QJsonArray{true, false}));
        QCOMPARE(o.value("deleted"), QJsonValue(QJsonArray{true, false}));
    }

    void cacheTtlExpires()
    {
        QCOMPARE(
            value("await $ctx.$cache.set('short', 'lived', 100); return await $ctx.$cache.get('short');"),
            QJsonValue("lived"));
        QThread::msleep(250);
        QCOMPARE(value("return [await $ctx.$cache.get('short'), await $ctx.$cache.exists('short')];"),
                 QJsonValue(QJsonArray{QJsonValue::Null, false}));
    }

    void cacheRefusesBadArguments()
    {
        CHECK_SCRIPT_ERROR(run("await $ctx.$cache.set('k', 1);"), "$cache.set: ttlMs must be a number");
        CHECK_SCRIPT_ERROR(run("await $ctx.$cache.set('k', 1, -5);"),
                           "$cache.set: cache TTL must be between 1 and");
        CHECK_SCRIPT_ERROR(run("await $ctx.$cache.set('k', 1, 1e20);"),
                           "$cache.set: cache TTL must be between 1 and");
        CHECK_SCRIPT_ERROR(run("await $ctx.$cache.get({ a: 1 });"), "$cache.get: key must be a string");
        CHECK_SCRIPT_ERROR(run("await $ctx.$cache.get();"), "$cache.get: key must be a string");
        CHECK_SCRIPT_ERROR(run("await $ctx.$cache.acquire('big-lock', 'x'.repeat(70000), 1000);"),
                           "$cache.acquire: ");
        CHECK_SCRIPT_ERROR(run("const o = {}; o.self = o;\nawait $ctx.$cache.set('k', o, 1000);"),
                           "line 2: TypeError");
        // Caught like any rejection.
        QCOMPARE(
            value("try { await $ctx.$cache.set('k', 1); return 'stored'; } catch (e) { return e.message; }"),
            QJsonValue("$cache.set: ttlMs must be a number of milliseconds"));
    }

    // A value larger than the whole budget is refused with a clear message.
    void cacheRefusesOversizedValues()
    {
        QVERIFY(m_server->setSetting(QStringLiteral("cacheLimitMb"), 0.01)); // about 10 KB
        const HttpReply r = run("await $ctx.$cache.set('huge', 'x'.repeat(20000), 60000);");
        QVERIFY(m_server->setSetting(QStringLiteral("cacheLimitMb"), 30));
        CHECK_SCRIPT_ERROR(r, "RangeError: $cache.set: ");
        QCOMPARE(m_server->engine().cache().maxBytes(), 30LL * 1024 * 1024);
        QVERIFY(!m_server->engine().cache().exists(QStringLiteral("huge")));
    }

    // Enfyra's lock example, across requests: acquire, exists, release by the holder only.
    void cacheLocksAcrossRequests()
    {
        const QString path = freshPath("lock");
        const qint64 id = route(path, {"POST"});
        QVERIFY(handler(id, QStringLiteral("POST"), R"JS(
const lockKey = 'doc-lock';
const { op, value } = $ctx.$body;
if (op === 'acquire') return await $ctx.$cache.acquire(lockKey, value, 10000);
if (op === 'release') return await $ctx.$cache.release(lockKey, value);
return await $ctx.$cache.exists(lockKey, value);
)JS"));
        const auto op = [&](const char *name, const char *holder) {
            return bodyValue(anonymous("POST", path, compact(QJsonObject{{"op", name}, {"value", holder}})));
        };
        QCOMPARE(op("acquire", "A"), QJsonValue(true));
        QCOMPARE(op("acquire", "B"), QJsonValue(false)); // contention
        QCOMPARE(op("acquire", "A"), QJsonValue(false)); // not re-entrant
        QCOMPARE(op("exists", "A"), QJsonValue(true));
        QCOMPARE(op("exists", "B"), QJsonValue(false));
        QCOMPARE(op("release", "B"), QJsonValue(false)); // only the holder releases
        QCOMPARE(op("exists", "A"), QJsonValue(true));
        QCOMPARE(op("release", "A"), QJsonValue(true));
        QCOMPARE(op("release", "A"), QJsonValue(false));
        QCOMPARE(op("acquire", "B"), QJsonValue(true));
        QCOMPARE(op("release", "B"), QJsonValue(true));
        // A lock expires with its TTL.
        QCOMPARE(value("return await $ctx.$cache.acquire('brief-lock', 1, 100);"), QJsonValue(true));
        QThread::msleep(250);
        QCOMPARE(value("return await $ctx.$cache.acquire('brief-lock', 2, 100);"), QJsonValue(true));
    }

    // Two requests at once: the second cannot take the lock the first holds while it works.
    void cacheLockContention()
    {
        const QString path = freshPath("critical");
        const qint64 id = route(path, {"GET"});
        QVERIFY(handler(id, QStringLiteral("GET"), R"JS(
const userId = 7;
const lockKey = `user-lock:${userId}`;
const lockValue = $ctx.$req.headers['x-holder'];
const acquired = await $ctx.$cache.acquire(lockKey, lockValue, 10000); // 10 seconds

if (acquired) {
  try {
    // Critical operation here
    await $ctx.$helpers.$sleep(Number($ctx.$query.work || 0));
  } finally {
    await $ctx.$cache.release(lockKey, lockValue);
  }
}
return { acquired };
)JS"));
        TestHttpClient holder(m_server->port());
        QVERIFY(holder.sendRaw("GET " + path.toUtf8() +
                               "?work=600 HTTP/1.1\r\nHost: x\r\nX-Holder: first\r\n\r\n"));
        QDeadlineTimer held(10'000);
        while (!m_server->engine().cache().exists(QStringLiteral("user-lock:7")) && !held.hasExpired())
            QThread::msleep(5);
        QVERIFY(!held.hasExpired());
        const HttpReply contender = anonymous("GET", path, {});
        QCOMPARE(contender.object().value("acquired"), QJsonValue(false));
        const HttpReply first = holder.readResponse();
        QCOMPARE(first.object().value("acquired"), QJsonValue(true));
        // Released in finally: free again.
        QVERIFY(!m_server->engine().cache().exists(QStringLiteral("user-lock:7")));
        QCOMPARE(anonymous("GET", path).object().value("acquired"), QJsonValue(true));
    }

    // --- everything together, as Enfyra documents it

    void documentedHelperExamplesRunUnchanged()
    {
        // $sleep(1000) and the rate limit examples of the page, with their placeholders.
        const HttpReply r = run(R"JS(
const payload = { userId: 1 }; const expiration = '1h'; const plainPassword = 'pw';
const token = await $ctx.$helpers.$jwt(payload, expiration);
const hash = await $ctx.$helpers.$bcrypt.hash(plainPassword);
const isValid = await $ctx.$helpers.$bcrypt.compare(plainPassword, hash);
const text = 'Some Title';
const slug = $ctx.$helpers.autoSlug(text);
const started = Date.now();
await $ctx.$helpers.$sleep(1000);
const slept = Date.now() - started;

const result = await $ctx.$helpers.$rateLimit.byIp({
  maxRequests: 100,
  perSeconds: 60
});

if (!result.allowed) {
  $ctx.$throw['429'](`Rate limit exceeded. Try again in ${result.retryAfter}s`);
}
return { token: typeof token, isValid, slug, slept, allowed: result.allowed };
)JS");
        CHECK_STATUS(r, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value("token"), QJsonValue("string"));
        QCOMPARE(o.value("isValid"), QJsonValue(true));
        QCOMPARE(o.value("slug"), QJsonValue("some-title"));
        QVERIFY(o.value("slept").toInt() >= 995);
        QCOMPARE(o.value("allowed"), QJsonValue(true));
    }
};

QTEST_GUILESS_MAIN(TestScriptHelpers)
#include "tst_scripthelpers.moc"
