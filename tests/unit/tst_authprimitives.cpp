#include "auth/duration.h"
#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "auth/secretkey.h"
#include "auth/securerandom.h"
#include "auth/tokenhash.h"
#include "core/constanttime.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <stdexcept>
#include <sys/stat.h>

using namespace Hearth;

namespace {

const QByteArray Secret = "an-hmac-secret-of-more-than-32-bytes!!";
constexpr qint64 Now = 1'700'000'000;

QByteArray b64u(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray hmac(const QByteArray &message, const QByteArray &key,
                QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    return QMessageAuthenticationCode::hash(message, key, algorithm);
}

// A token from raw header and payload text, signed with HMAC-SHA-256 over exactly
// what is sent, so only the property under test makes it wrong.
QByteArray craft(const QByteArray &headerJson, const QByteArray &payloadJson,
                 const QByteArray &secret = Secret)
{
    const QByteArray signingInput = b64u(headerJson) + '.' + b64u(payloadJson);
    return signingInput + '.' + b64u(hmac(signingInput, secret));
}

const QByteArray StandardHeader = R"({"alg":"HS256","typ":"JWT"})";

QByteArray validPayload()
{
    return compact({{"id", 7}, {"exp", double(Now + 900)}, {"iat", double(Now)}});
}

QList<QByteArray> parts(const QByteArray &token)
{
    return token.split('.');
}

mode_t fileMode(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return mode_t(-1);
    return st.st_mode & 07777;
}

constexpr QFileDevice::Permissions GroupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                  QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                  QFileDevice::WriteOther | QFileDevice::ExeOther;

void writeFile(const QString &path, const QByteArray &content, mode_t mode)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
    file.close();
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode), 0);
}

// Sets or clears an environment variable for one scope.
struct EnvironmentScope
{
    QByteArray name;
    QByteArray saved;
    bool wasSet;
    EnvironmentScope(const char *variable, const QByteArray &value)
        : name(variable), saved(qgetenv(variable)), wasSet(qEnvironmentVariableIsSet(variable))
    {
        if (value.isNull())
            qunsetenv(variable);
        else
            qputenv(variable, value);
    }
    ~EnvironmentScope()
    {
        if (wasSet)
            qputenv(name.constData(), saved);
        else
            qunsetenv(name.constData());
    }
};

} // namespace

class TestAuthPrimitives : public QObject
{
    Q_OBJECT

private slots:
    // constant time
    void constantTimeEqualsCompares();

    // secure random
    void randomBytesHaveTheAskedSize();
    void randomTokensAreBase64UrlAndDistinct();

    // passwords
    void hashHasBcryptFormat();
    void verifyAcceptsOnlyTheRightPassword();
    void sameOneHashesWithDifferentSalts();
    void costIsClamped();
    void malformedHashesNeverVerify_data();
    void malformedHashesNeverVerify();
    void otherBcryptPrefixesVerify();
    void onlyTheFirst72BytesCount();
    void passwordsWithNulAreRefused();
    void emptyPasswordCanBeHashed();
    void dummyHashIsAValidHashOfNothingKnown();

    // JWT
    void jwtRoundTrip();
    void jwtSignWithoutSecretGivesNothing();
    void jwtTamperedPayload();
    void jwtTamperedSignature();
    void jwtWrongSecret();
    void jwtRejectedHeaders_data();
    void jwtRejectedHeaders();
    void jwtHeaderWithoutTypIsFine();
    void jwtAlgNoneWithEmptySignature();
    void jwtRs256WithHmacSignature();
    void jwtHs384();
    void jwtClaims_data();
    void jwtClaims();
    void jwtExpiredCarriesNoPayload();
    void jwtMalformedStructure_data();
    void jwtMalformedStructure();
    void jwtStrictBase64();
    void jwtNonCanonicalSignatureEncoding();
    void jwtNonJsonParts();
    void jwtSizeLimit();

    // durations, token hashes
    void durations_data();
    void durations();
    void tokenHashIsStableHex();

    // secret key
    void secretKeyFromEnvironmentWins();
    void secretKeyShortEnvironmentIsIgnored();
    void secretKeyLoadReadsTheEnvironment();
    void secretKeyGeneratedFileIs0600();
    void secretKeyGeneratedIs0600WhateverTheUmask();
    void secretKeyIsReusedOnSecondLoad();
    void secretKeyCreatesTheDataFolder();
    void secretKeyTooShortFileThrows();
    void secretKeyBadFilesThrow_data();
    void secretKeyBadFilesThrow();
    void secretKeyLooseFileIsTightened();
    void secretKeyWithoutDataFolderThrows();
};

// ---- constant time -------------------------------------------------------------

void TestAuthPrimitives::constantTimeEqualsCompares()
{
    QVERIFY(constantTimeEquals("", ""));
    QVERIFY(constantTimeEquals(QByteArrayView(), QByteArrayView()));
    QVERIFY(constantTimeEquals("abcdef", "abcdef"));
    QVERIFY(!constantTimeEquals("abcdef", "xbcdef")); // first byte
    QVERIFY(!constantTimeEquals("abcdef", "abcdex")); // last byte
    QVERIFY(!constantTimeEquals("abcdef", "abcde"));  // length
    QVERIFY(!constantTimeEquals("", "a"));
    const QByteArray withNul("a\0b", 3);
    QVERIFY(constantTimeEquals(withNul, QByteArray("a\0b", 3)));
    QVERIFY(!constantTimeEquals(withNul, QByteArray("a\0c", 3)));
    // Every bit position matters.
    const QByteArray base(32, '\x5a');
    for (int byte = 0; byte < base.size(); ++byte)
        for (int bit = 0; bit < 8; ++bit) {
            QByteArray other = base;
            other[byte] = char(other[byte] ^ (1 << bit));
            QVERIFY(!constantTimeEquals(base, other));
        }
}

// ---- secure random -------------------------------------------------------------

void TestAuthPrimitives::randomBytesHaveTheAskedSize()
{
    QVERIFY(secureRandomBytes(0).isEmpty());
    QVERIFY(secureRandomBytes(-3).isEmpty());
    for (qsizetype n : {1, 3, 4, 16, 33})
        QCOMPARE(secureRandomBytes(n).size(), n);
    QVERIFY(secureRandomBytes(32) != secureRandomBytes(32));
    // Not all zero, not stuck on the last partial word.
    const QByteArray odd = secureRandomBytes(4096 + 3);
    QVERIFY(odd.count('\0') < 100);
}

void TestAuthPrimitives::randomTokensAreBase64UrlAndDistinct()
{
    const QRegularExpression alphabet(QStringLiteral("^[A-Za-z0-9_-]+$"));
    QSet<QByteArray> seen;
    for (int i = 0; i < 100; ++i) {
        const QByteArray token = secureRandomToken(32);
        QCOMPARE(token.size(), 43);
        QVERIFY2(alphabet.match(QString::fromLatin1(token)).hasMatch(), token.constData());
        QCOMPARE(QByteArray::fromBase64(token, QByteArray::Base64UrlEncoding).size(), 32);
        seen.insert(token);
    }
    QCOMPARE(seen.size(), 100);
    QCOMPARE(secureRandomToken(16).size(), 22);
}

// ---- passwords -----------------------------------------------------------------

void TestAuthPrimitives::hashHasBcryptFormat()
{
    const QByteArray hash = PasswordHasher::hash("correct horse battery staple");
    QVERIFY2(hash.startsWith("$2b$10$"), hash.constData());
    QCOMPARE(hash.size(), 60);
    QVERIFY(PasswordHasher::isHash(hash));
}

void TestAuthPrimitives::verifyAcceptsOnlyTheRightPassword()
{
    const QByteArray hash = PasswordHasher::hash("s3cret-Pässword", 4);
    QVERIFY(PasswordHasher::verify("s3cret-Pässword", hash));
    QVERIFY(!PasswordHasher::verify("s3cret-Password", hash));
    QVERIFY(!PasswordHasher::verify("s3cret-Pässwor", hash));
    QVERIFY(!PasswordHasher::verify("s3cret-Pässword ", hash));
    QVERIFY(!PasswordHasher::verify("", hash));
}

void TestAuthPrimitives::sameOneHashesWithDifferentSalts()
{
    const QByteArray a = PasswordHasher::hash("same password", 4);
    const QByteArray b = PasswordHasher::hash("same password", 4);
    QVERIFY(a != b);
    QVERIFY(a.first(29) != b.first(29)); // the salt itself differs, not only the checksum
    QVERIFY(PasswordHasher::verify("same password", a));
    QVERIFY(PasswordHasher::verify("same password", b));
}

void TestAuthPrimitives::costIsClamped()
{
    QVERIFY(PasswordHasher::hash("pw", 1).startsWith("$2b$04$"));
    QVERIFY(PasswordHasher::hash("pw", -7).startsWith("$2b$04$"));
    QVERIFY(PasswordHasher::hash("pw", 5).startsWith("$2b$05$"));
    QVERIFY(PasswordHasher::verify("pw", PasswordHasher::hash("pw", 1)));
}

void TestAuthPrimitives::malformedHashesNeverVerify_data()
{
    QTest::addColumn<QByteArray>("stored");
    static const QByteArray good = PasswordHasher::hash("pw", 4); // valid shape for the mutations below
    const QByteArray body = good.mid(7);

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("not a hash");
    QTest::newRow("plain password") << QByteArray("pw");
    QTest::newRow("failure token *0") << QByteArray("*0");
    QTest::newRow("failure token *1") << QByteArray("*1");
    QTest::newRow("prefix only") << QByteArray("$2b$10$");
    QTest::newRow("truncated") << good.chopped(1);
    QTest::newRow("extra character") << good + 'a';
    QTest::newRow("bad character") << QByteArray(good).replace(40, 1, "!");
    QTest::newRow("cost 03") << "$2b$03$" + body;
    QTest::newRow("cost 32") << "$2b$32$" + body;
    QTest::newRow("cost 4 one digit") << "$2b$4$" + body + "a";
    QTest::newRow("unknown variant 2x") << "$2x$04$" + body;
    QTest::newRow("unknown variant 2c") << "$2c$04$" + body;
    QTest::newRow("md5-crypt") << QByteArray("$1$saltsalt$qjXMvbEw8oaL.CzflDugX/");
    QTest::newRow("sha512-crypt prefix") << QByteArray("$6$rounds=5000$salt$") + QByteArray(86, 'a');
    QTest::newRow("des") << QByteArray("abJnggxhB/yWI");
    QTest::newRow("embedded NUL") << QByteArray(good).replace(30, 1, QByteArray(1, '\0'));
    QTest::newRow("other password's hash") << PasswordHasher::hash("other", 4);
}

void TestAuthPrimitives::malformedHashesNeverVerify()
{
    QFETCH(QByteArray, stored);
    QVERIFY(!PasswordHasher::verify("pw", stored));
    QVERIFY(!PasswordHasher::verify("", stored));
    if (QByteArray(QTest::currentDataTag()) != "other password's hash")
        QVERIFY(!PasswordHasher::isHash(stored));
}

void TestAuthPrimitives::otherBcryptPrefixesVerify()
{
    // Hashes made elsewhere ($2a$: older libraries, $2y$: PHP) verify for the same password.
    const QByteArray hash = PasswordHasher::hash("portable", 4);
    for (const char *prefix : {"$2a$", "$2y$"}) {
        const QByteArray other = prefix + hash.mid(4);
        QVERIFY(PasswordHasher::isHash(other));
        QVERIFY2(PasswordHasher::verify("portable", other), other.constData());
        QVERIFY(!PasswordHasher::verify("portablE", other));
    }
}

void TestAuthPrimitives::onlyTheFirst72BytesCount()
{
    const QByteArray base(72, 'k');
    const QByteArray hash = PasswordHasher::hash(base + "tail one", 4);
    QVERIFY(PasswordHasher::verify(base, hash));
    QVERIFY(PasswordHasher::verify(base + "something else entirely", hash));
    QVERIFY(!PasswordHasher::verify(base.chopped(1), hash));
    // Very long passwords (beyond libxcrypt's own phrase limit) still work.
    const QByteArray huge(10000, 'h');
    QVERIFY(PasswordHasher::verify(huge, PasswordHasher::hash(huge, 4)));
}

void TestAuthPrimitives::passwordsWithNulAreRefused()
{
    const QByteArray withNul("abc\0def", 7);
    QVERIFY(PasswordHasher::hash(withNul, 4).isEmpty());
    const QByteArray hashOfPrefix = PasswordHasher::hash("abc", 4);
    QVERIFY(!PasswordHasher::verify(withNul, hashOfPrefix)); // not silently "abc"
    // A NUL past byte 72 is never read, so it does not matter.
    const QByteArray late = QByteArray(72, 'x') + QByteArray("\0y", 2);
    QVERIFY(PasswordHasher::verify(late, PasswordHasher::hash(late, 4)));
}

void TestAuthPrimitives::emptyPasswordCanBeHashed()
{
    const QByteArray hash = PasswordHasher::hash("", 4);
    QVERIFY(PasswordHasher::isHash(hash));
    QVERIFY(PasswordHasher::verify("", hash));
    QVERIFY(PasswordHasher::verify(QByteArrayView(), hash));
    QVERIFY(!PasswordHasher::verify("a", hash));
}

void TestAuthPrimitives::dummyHashIsAValidHashOfNothingKnown()
{
    const QByteArray dummy = PasswordHasher::dummyHash();
    QVERIFY2(dummy.startsWith("$2b$10$"), dummy.constData());
    QVERIFY(PasswordHasher::isHash(dummy));
    QCOMPARE(PasswordHasher::dummyHash(), dummy); // made once
    // One per cost, so an unknown email costs what a stored hash of that cost does.
    const QByteArray cheap = PasswordHasher::dummyHash(4);
    QVERIFY2(cheap.startsWith("$2b$04$"), cheap.constData());
    QCOMPARE(PasswordHasher::dummyHash(4), cheap);
    for (const char *guess : {"", "password", "123456", "admin"})
        QVERIFY(!PasswordHasher::verify(guess, dummy));
}

// ---- JWT -----------------------------------------------------------------------

void TestAuthPrimitives::jwtRoundTrip()
{
    const QJsonObject payload{
        {"id", 42}, {"email", "a@b.c"}, {"exp", double(Now + 900)}, {"iat", double(Now)}};
    const QByteArray token = Jwt::sign(payload, Secret);
    const QList<QByteArray> p = parts(token);
    QCOMPARE(p.size(), 3);
    QCOMPARE(QByteArray::fromBase64(p[0], QByteArray::Base64UrlEncoding), R"({"alg":"HS256","typ":"JWT"})");
    QCOMPARE(QByteArray::fromBase64(p[1], QByteArray::Base64UrlEncoding), compact(payload));
    QCOMPARE(QByteArray::fromBase64(p[2], QByteArray::Base64UrlEncoding), hmac(p[0] + '.' + p[1], Secret));
    QVERIFY(!token.contains('=') && !token.contains('+') && !token.contains('/'));

    const JwtVerification v = Jwt::verify(token, Secret, Now);
    QCOMPARE(v.status, JwtVerification::Valid);
    QCOMPARE(v.payload, payload);
    QVERIFY(v.reason.isEmpty());
    QCOMPARE(Jwt::verify(token, Secret, Now + 899).status, JwtVerification::Valid);
}

void TestAuthPrimitives::jwtSignWithoutSecretGivesNothing()
{
    QVERIFY(Jwt::sign({{"exp", double(Now + 10)}}, "").isEmpty());
    const QByteArray token = craft(StandardHeader, validPayload(), "");
    QCOMPARE(Jwt::verify(token, "", Now).status, JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtTamperedPayload()
{
    const QByteArray token = Jwt::sign({{"id", 7}, {"exp", double(Now + 900)}}, Secret);
    QList<QByteArray> p = parts(token);
    p[1] = b64u(compact({{"id", 1}, {"exp", double(Now + 900)}}));
    const JwtVerification v = Jwt::verify(p.join('.'), Secret, Now);
    QCOMPARE(v.status, JwtVerification::Invalid);
    QVERIFY(v.payload.isEmpty());
    QVERIFY(!v.reason.isEmpty());
}

void TestAuthPrimitives::jwtTamperedSignature()
{
    const QByteArray token = Jwt::sign({{"id", 7}, {"exp", double(Now + 900)}}, Secret);
    const qsizetype sigStart = token.lastIndexOf('.') + 1;
    for (qsizetype i : {sigStart, sigStart + 10, qsizetype(token.size() - 2)}) {
        QByteArray bad = token;
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        QCOMPARE(Jwt::verify(bad, Secret, Now).status, JwtVerification::Invalid);
    }
    // A signature of the wrong length, and none at all.
    QCOMPARE(Jwt::verify(token.chopped(4), Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(token.first(sigStart), Secret, Now).status, JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtWrongSecret()
{
    const QByteArray token = Jwt::sign({{"id", 7}, {"exp", double(Now + 900)}}, Secret);
    QCOMPARE(Jwt::verify(token, "another-secret-of-more-than-32-bytes!!", Now).status,
             JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(token, Secret.chopped(1), Now).status, JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtRejectedHeaders_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("alg none") << QByteArray(R"({"alg":"none","typ":"JWT"})");
    QTest::newRow("alg None") << QByteArray(R"({"alg":"None","typ":"JWT"})");
    QTest::newRow("alg NONE") << QByteArray(R"({"alg":"NONE","typ":"JWT"})");
    QTest::newRow("alg hs256") << QByteArray(R"({"alg":"hs256","typ":"JWT"})");
    QTest::newRow("alg HS256 with space") << QByteArray(R"({"alg":"HS256 ","typ":"JWT"})");
    QTest::newRow("alg HS384") << QByteArray(R"({"alg":"HS384","typ":"JWT"})");
    QTest::newRow("alg HS512") << QByteArray(R"({"alg":"HS512","typ":"JWT"})");
    QTest::newRow("alg RS256") << QByteArray(R"({"alg":"RS256","typ":"JWT"})");
    QTest::newRow("alg ES256") << QByteArray(R"({"alg":"ES256","typ":"JWT"})");
    QTest::newRow("alg missing") << QByteArray(R"({"typ":"JWT"})");
    QTest::newRow("alg null") << QByteArray(R"({"alg":null,"typ":"JWT"})");
    QTest::newRow("alg array") << QByteArray(R"({"alg":["HS256"],"typ":"JWT"})");
    QTest::newRow("typ JWS") << QByteArray(R"({"alg":"HS256","typ":"JWS"})");
    QTest::newRow("typ number") << QByteArray(R"({"alg":"HS256","typ":1})");
    QTest::newRow("crit") << QByteArray(R"({"alg":"HS256","typ":"JWT","crit":["exp"]})");
    QTest::newRow("crit empty") << QByteArray(R"({"alg":"HS256","typ":"JWT","crit":[]})");
    QTest::newRow("header array") << QByteArray(R"(["HS256"])");
    QTest::newRow("header string") << QByteArray(R"("HS256")");
}

void TestAuthPrimitives::jwtRejectedHeaders()
{
    // Each carries a correct HMAC-SHA-256 signature: only the header is wrong.
    QFETCH(QByteArray, header);
    const JwtVerification v = Jwt::verify(craft(header, validPayload()), Secret, Now);
    QCOMPARE(v.status, JwtVerification::Invalid);
    QVERIFY(v.payload.isEmpty());
}

void TestAuthPrimitives::jwtHeaderWithoutTypIsFine()
{
    QCOMPARE(Jwt::verify(craft(R"({"alg":"HS256"})", validPayload()), Secret, Now).status,
             JwtVerification::Valid);
    QCOMPARE(
        Jwt::verify(craft(R"({"typ":"JWT","alg":"HS256","kid":"k1"})", validPayload()), Secret, Now).status,
        JwtVerification::Valid);
    // The control: a crafted token with the standard header passes.
    QCOMPARE(Jwt::verify(craft(StandardHeader, validPayload()), Secret, Now).status, JwtVerification::Valid);
}

void TestAuthPrimitives::jwtAlgNoneWithEmptySignature()
{
    for (const char *alg : {"none", "None", "NONE", "HS256"}) {
        const QByteArray header = QByteArray(R"({"alg":")") + alg + R"(","typ":"JWT"})";
        const QByteArray unsignedToken = b64u(header) + '.' + b64u(validPayload()) + '.';
        QCOMPARE(Jwt::verify(unsignedToken, Secret, Now).status, JwtVerification::Invalid);
        QCOMPARE(Jwt::verify(unsignedToken.chopped(1), Secret, Now).status, JwtVerification::Invalid);
    }
}

void TestAuthPrimitives::jwtRs256WithHmacSignature()
{
    // Algorithm confusion: an RS256 header, "signed" with HMAC using the secret.
    const QByteArray header = R"({"alg":"RS256","typ":"JWT"})";
    const QByteArray input = b64u(header) + '.' + b64u(validPayload());
    QCOMPARE(Jwt::verify(input + '.' + b64u(hmac(input, Secret)), Secret, Now).status,
             JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtHs384()
{
    const QByteArray header = R"({"alg":"HS384","typ":"JWT"})";
    const QByteArray input = b64u(header) + '.' + b64u(validPayload());
    const QByteArray token = input + '.' + b64u(hmac(input, Secret, QCryptographicHash::Sha384));
    QCOMPARE(Jwt::verify(token, Secret, Now).status, JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtClaims_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("status");
    const int valid = JwtVerification::Valid, invalid = JwtVerification::Invalid,
              expired = JwtVerification::Expired;
    const QByteArray exp = QByteArray::number(Now + 100);

    QTest::newRow("before exp") << "{\"exp\":" + exp + "}" << Now + 99 << valid;
    QTest::newRow("exactly at exp") << "{\"exp\":" + exp + "}" << Now + 100 << expired;
    QTest::newRow("after exp") << "{\"exp\":" + exp + "}" << Now + 5000 << expired;
    QTest::newRow("fractional exp") << QByteArray("{\"exp\":" + exp + ".5}") << Now + 100 << valid;
    QTest::newRow("exp missing") << QByteArray(R"({"id":1})") << Now << invalid;
    QTest::newRow("exp string") << "{\"exp\":\"" + exp + "\"}" << Now << invalid;
    QTest::newRow("exp null") << QByteArray(R"({"exp":null})") << Now << invalid;
    QTest::newRow("exp object") << QByteArray(R"({"exp":{}})") << Now << invalid;
    QTest::newRow("nbf in the future")
        << "{\"exp\":" + exp + ",\"nbf\":" + QByteArray::number(Now + 10) + "}" << Now << invalid;
    QTest::newRow("nbf reached") << "{\"exp\":" + exp + ",\"nbf\":" + QByteArray::number(Now) + "}" << Now
                                 << valid;
    QTest::newRow("nbf past") << "{\"exp\":" + exp + ",\"nbf\":" + QByteArray::number(Now - 10) + "}" << Now
                              << valid;
    QTest::newRow("nbf string") << "{\"exp\":" + exp + ",\"nbf\":\"0\"}" << Now << invalid;
    QTest::newRow("iat now") << "{\"exp\":" + exp + ",\"iat\":" + QByteArray::number(Now) + "}" << Now
                             << valid;
    QTest::newRow("iat within skew") << "{\"exp\":" + exp + ",\"iat\":" + QByteArray::number(Now + 60) + "}"
                                     << Now << valid;
    QTest::newRow("iat beyond skew") << "{\"exp\":" + exp + ",\"iat\":" + QByteArray::number(Now + 61) + "}"
                                     << Now << invalid;
    QTest::newRow("iat far in the future") << "{\"exp\":" + QByteArray::number(Now + 999999999) +
                                                  ",\"iat\":" + QByteArray::number(Now + 86400 * 365) + "}"
                                           << Now << invalid;
    QTest::newRow("iat string") << "{\"exp\":" + exp + ",\"iat\":\"x\"}" << Now << invalid;
    QTest::newRow("expired and nbf in the future is invalid")
        << "{\"exp\":" + exp + ",\"nbf\":" + QByteArray::number(Now + 9999) + "}" << Now + 200 << invalid;
}

void TestAuthPrimitives::jwtClaims()
{
    QFETCH(QByteArray, payload);
    QFETCH(qint64, now);
    QFETCH(int, status);
    const JwtVerification v = Jwt::verify(craft(StandardHeader, payload), Secret, now);
    QCOMPARE(int(v.status), status);
    QCOMPARE(v.reason.isEmpty(), status == JwtVerification::Valid);
}

void TestAuthPrimitives::jwtExpiredCarriesNoPayload()
{
    const QByteArray token = Jwt::sign({{"id", 7}, {"exp", double(Now)}}, Secret);
    const JwtVerification v = Jwt::verify(token, Secret, Now);
    QCOMPARE(v.status, JwtVerification::Expired);
    QVERIFY(v.payload.isEmpty());
    // A forged expired token is Invalid, not Expired: the signature comes first.
    QCOMPARE(Jwt::verify(token, "wrong-secret-wrong-secret-wrong-secret", Now).status,
             JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtMalformedStructure_data()
{
    QTest::addColumn<QByteArray>("token");
    const QByteArray good = Jwt::sign({{"id", 7}, {"exp", double(Now + 900)}}, Secret);
    const QList<QByteArray> p = parts(good);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("dots only") << QByteArray("..");
    QTest::newRow("one part") << p[0];
    QTest::newRow("two parts") << p[0] + '.' + p[1];
    QTest::newRow("four parts") << good + '.' + p[2];
    QTest::newRow("trailing dot") << good + '.';
    QTest::newRow("leading dot") << '.' + good;
    QTest::newRow("empty header") << '.' + p[1] + '.' + p[2];
    QTest::newRow("empty payload") << p[0] + ".." + p[2];
    QTest::newRow("garbage") << QByteArray("not a token at all");
}

void TestAuthPrimitives::jwtMalformedStructure()
{
    QFETCH(QByteArray, token);
    QCOMPARE(Jwt::verify(token, Secret, Now).status, JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtStrictBase64()
{
    // Padding: a payload whose encoding needs '=', signed over the padded text.
    QByteArray payload = compact({{"exp", double(Now + 900)}, {"x", "a"}});
    if (payload.size() % 3 == 0)
        payload = compact({{"exp", double(Now + 900)}, {"x", "ab"}});
    QVERIFY(payload.size() % 3 != 0);
    const QByteArray header = b64u(StandardHeader);
    const QByteArray paddedInput = header + '.' + payload.toBase64(QByteArray::Base64UrlEncoding);
    QVERIFY(paddedInput.endsWith('='));
    QCOMPARE(Jwt::verify(paddedInput + '.' + b64u(hmac(paddedInput, Secret)), Secret, Now).status,
             JwtVerification::Invalid);
    const QByteArray input = header + '.' + b64u(payload);
    const QByteArray paddedSignature = hmac(input, Secret).toBase64(QByteArray::Base64UrlEncoding);
    QVERIFY(paddedSignature.endsWith('='));
    QCOMPARE(Jwt::verify(input + '.' + paddedSignature, Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(input + '.' + b64u(hmac(input, Secret)), Secret, Now).status,
             JwtVerification::Valid);

    // '+' and '/': the standard alphabet in place of the URL one, signature intact.
    QByteArray token;
    for (int id = 0; id < 1000; ++id) {
        token = Jwt::sign({{"id", id}, {"exp", double(Now + 900)}}, Secret);
        const QByteArray sig = parts(token)[2];
        if (sig.contains('-') || sig.contains('_'))
            break;
    }
    QByteArray standard = token;
    const qsizetype sigStart = token.lastIndexOf('.') + 1;
    for (qsizetype i = sigStart; i < standard.size(); ++i)
        standard[i] = standard[i] == '-' ? '+' : standard[i] == '_' ? '/' : standard[i];
    QVERIFY(standard != token);
    QCOMPARE(Jwt::verify(token, Secret, Now).status, JwtVerification::Valid);
    QCOMPARE(Jwt::verify(standard, Secret, Now).status, JwtVerification::Invalid);

    // Whitespace anywhere.
    for (const QByteArray &ws : {QByteArray(" "), QByteArray("\n"), QByteArray("\t"), QByteArray("\r\n")}) {
        QCOMPARE(Jwt::verify(token + ws, Secret, Now).status, JwtVerification::Invalid);
        QCOMPARE(Jwt::verify(ws + token, Secret, Now).status, JwtVerification::Invalid);
        QByteArray inside = token;
        inside.insert(token.indexOf('.') + 3, ws);
        QCOMPARE(Jwt::verify(inside, Secret, Now).status, JwtVerification::Invalid);
    }
    QCOMPARE(Jwt::verify(QByteArray(token).replace('.', "%2E"), Secret, Now).status,
             JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtNonCanonicalSignatureEncoding()
{
    // 32 bytes take 43 characters; the last one carries 2 unused bits. Setting them
    // decodes to the same signature but is another spelling, and is refused.
    const QByteArray token = Jwt::sign({{"id", 7}, {"exp", double(Now + 900)}}, Secret);
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const qsizetype last = alphabet.indexOf(token.back());
    QCOMPARE(last & 3, 0);
    QByteArray variant = token;
    variant.back() = alphabet[last | 1];
    QCOMPARE(QByteArray::fromBase64(parts(variant)[2], QByteArray::Base64UrlEncoding),
             QByteArray::fromBase64(parts(token)[2], QByteArray::Base64UrlEncoding));
    QCOMPARE(Jwt::verify(variant, Secret, Now).status, JwtVerification::Invalid);
    // An impossible length (4n + 1 characters).
    QCOMPARE(Jwt::verify(token + 'A', Secret, Now).status, JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtNonJsonParts()
{
    QCOMPARE(Jwt::verify(craft("not json", validPayload()), Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(craft(R"({"alg":"HS256",)", validPayload()), Secret, Now).status,
             JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(craft(StandardHeader, "not json"), Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(craft(StandardHeader, "[1,2]"), Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(craft(StandardHeader, "42"), Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(craft(StandardHeader, ""), Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(craft(StandardHeader, validPayload() + "x"), Secret, Now).status,
             JwtVerification::Invalid);
}

void TestAuthPrimitives::jwtSizeLimit()
{
    const auto tokenWithFiller = [](qsizetype filler) {
        return Jwt::sign({{"exp", double(Now + 900)}, {"f", QString(filler, QLatin1Char('x'))}}, Secret);
    };
    // Find the largest filler that stays within the limit.
    qsizetype filler = 5000;
    while (tokenWithFiller(filler + 1).size() <= Jwt::MaxTokenBytes)
        ++filler;
    const QByteArray atLimit = tokenWithFiller(filler);
    QVERIFY(atLimit.size() <= Jwt::MaxTokenBytes && atLimit.size() > Jwt::MaxTokenBytes - 4);
    QCOMPARE(Jwt::verify(atLimit, Secret, Now).status, JwtVerification::Valid);
    const QByteArray over = tokenWithFiller(filler + 1);
    QVERIFY(over.size() > Jwt::MaxTokenBytes);
    QCOMPARE(Jwt::verify(over, Secret, Now).status, JwtVerification::Invalid);
    QCOMPARE(Jwt::verify(tokenWithFiller(100000), Secret, Now).status, JwtVerification::Invalid);
}

// ---- durations, token hashes ---------------------------------------------------

void TestAuthPrimitives::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds"); // -1: refused
    QTest::newRow("30s") << "30s" << qint64(30);
    QTest::newRow("15m") << "15m" << qint64(900);
    QTest::newRow("1h") << "1h" << qint64(3600);
    QTest::newRow("7d") << "7d" << qint64(604800);
    QTest::newRow("2w") << "2w" << qint64(1209600);
    QTest::newRow("plain") << "900" << qint64(900);
    QTest::newRow("zero") << "0" << qint64(0);
    QTest::newRow("0s") << "0s" << qint64(0);
    QTest::newRow("leading zeros") << "007m" << qint64(420);
    QTest::newRow("max plain") << "9223372036854775807" << std::numeric_limits<qint64>::max();
    QTest::newRow("max seconds") << "9223372036854775807s" << std::numeric_limits<qint64>::max();
    QTest::newRow("empty") << "" << qint64(-1);
    QTest::newRow("unit only") << "h" << qint64(-1);
    QTest::newRow("negative") << "-5" << qint64(-1);
    QTest::newRow("negative unit") << "-5m" << qint64(-1);
    QTest::newRow("plus") << "+5" << qint64(-1);
    QTest::newRow("leading space") << " 5" << qint64(-1);
    QTest::newRow("trailing space") << "5 " << qint64(-1);
    QTest::newRow("space before unit") << "5 m" << qint64(-1);
    QTest::newRow("unknown unit") << "5x" << qint64(-1);
    QTest::newRow("upper-case unit") << "1H" << qint64(-1);
    QTest::newRow("months") << "1M" << qint64(-1);
    QTest::newRow("fraction") << "1.5h" << qint64(-1);
    QTest::newRow("combined") << "1h30m" << qint64(-1);
    QTest::newRow("two units") << "5ms" << qint64(-1);
    QTest::newRow("overflow plain") << "9223372036854775808" << qint64(-1);
    QTest::newRow("overflow long") << "99999999999999999999999" << qint64(-1);
    QTest::newRow("overflow by unit") << "9223372036854775807m" << qint64(-1);
    QTest::newRow("overflow weeks") << "15250284452472w" << qint64(-1);
    QTest::newRow("arabic digits") << QStringLiteral("\u0663s") << qint64(-1);
    QTest::newRow("fullwidth digits") << QStringLiteral("\uFF15") << qint64(-1);
}

void TestAuthPrimitives::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    const std::optional<qint64> parsed = parseDurationSeconds(text);
    if (seconds < 0) {
        QVERIFY2(!parsed, qPrintable(QString::number(parsed.value_or(0))));
    } else {
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, seconds);
    }
}

void TestAuthPrimitives::tokenHashIsStableHex()
{
    QCOMPARE(hashToken("abc"),
             QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(hashToken(""), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    const QByteArray token = secureRandomToken();
    const QByteArray hash = hashToken(token);
    QCOMPARE(hash, hashToken(token));
    QCOMPARE(hash.size(), 64);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(QString::fromLatin1(hash)).hasMatch());
    QVERIFY(hash != hashToken(token + 'x'));
    QVERIFY(!hash.contains(token));
}

// ---- secret key ----------------------------------------------------------------

void TestAuthPrimitives::secretKeyFromEnvironmentWins()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray fileKey = secureRandomBytes(32);
    writeFile(dir.filePath("secret.key"), fileKey.toHex(), 0600);
    const QByteArray env(32, 'e');
    const SecretKey key = SecretKey::load(dir.path(), env);
    QCOMPARE(key.source, SecretKey::Environment);
    QCOMPARE(key.bytes, env);

    QTemporaryDir empty;
    QCOMPARE(SecretKey::load(empty.path(), env + "longer is fine").source, SecretKey::Environment);
    QVERIFY(QDir(empty.path()).isEmpty()); // no file made when the environment has the key
}

void TestAuthPrimitives::secretKeyShortEnvironmentIsIgnored()
{
    QTemporaryDir dir;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("HEARTH_SECRET_KEY is shorter")));
    const SecretKey key = SecretKey::load(dir.path(), QByteArray(31, 'e'));
    QCOMPARE(key.source, SecretKey::Generated);
    QCOMPARE(key.bytes.size(), 32);
    QVERIFY(key.bytes != QByteArray(31, 'e'));
}

void TestAuthPrimitives::secretKeyLoadReadsTheEnvironment()
{
    QTemporaryDir dir;
    {
        EnvironmentScope env(SecretKey::EnvironmentVariable, QByteArray(40, 'z'));
        const SecretKey key = SecretKey::load(dir.path());
        QCOMPARE(key.source, SecretKey::Environment);
        QCOMPARE(key.bytes, QByteArray(40, 'z'));
    }
    {
        EnvironmentScope env(SecretKey::EnvironmentVariable, QByteArray());
        QCOMPARE(SecretKey::load(dir.path()).source, SecretKey::Generated);
        QCOMPARE(SecretKey::load(dir.path()).source, SecretKey::File);
    }
}

void TestAuthPrimitives::secretKeyGeneratedFileIs0600()
{
    QTemporaryDir dir;
    const SecretKey key = SecretKey::load(dir.path(), QByteArray());
    QCOMPARE(key.source, SecretKey::Generated);
    QCOMPARE(key.bytes.size(), SecretKey::MinBytes);
    QVERIFY(key.bytes != QByteArray(32, '\0'));

    const QString path = dir.filePath("secret.key");
    const QFileInfo info(path);
    QVERIFY(info.exists());
    QCOMPARE(info.permissions() & GroupOrOther, QFileDevice::Permissions());
    QVERIFY(info.permissions().testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QCOMPARE(fileMode(path), mode_t(0600));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().trimmed(), key.bytes.toHex());
    // The temporary file is gone: only the key is left.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System),
             QStringList{"secret.key"});
}

void TestAuthPrimitives::secretKeyGeneratedIs0600WhateverTheUmask()
{
    QTemporaryDir dir;
    const mode_t previous = ::umask(0);
    const SecretKey key = SecretKey::load(dir.path(), QByteArray());
    ::umask(previous);
    QCOMPARE(key.source, SecretKey::Generated);
    QCOMPARE(fileMode(dir.filePath("secret.key")), mode_t(0600));
}

void TestAuthPrimitives::secretKeyIsReusedOnSecondLoad()
{
    QTemporaryDir dir;
    const SecretKey first = SecretKey::load(dir.path(), QByteArray());
    const SecretKey second = SecretKey::load(dir.path(), QByteArray());
    QCOMPARE(first.source, SecretKey::Generated);
    QCOMPARE(second.source, SecretKey::File);
    QCOMPARE(second.bytes, first.bytes);
    QCOMPARE(fileMode(dir.filePath("secret.key")), mode_t(0600));

    QTemporaryDir other;
    QVERIFY(SecretKey::load(other.path(), QByteArray()).bytes != first.bytes);
}

void TestAuthPrimitives::secretKeyCreatesTheDataFolder()
{
    QTemporaryDir dir;
    const QString nested = dir.filePath("a/b/data");
    const SecretKey key = SecretKey::load(nested, QByteArray());
    QCOMPARE(key.source, SecretKey::Generated);
    QCOMPARE(fileMode(nested + "/secret.key"), mode_t(0600));
    QCOMPARE(SecretKey::load(nested, QByteArray()).bytes, key.bytes);
}

void TestAuthPrimitives::secretKeyTooShortFileThrows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("secret.key");
    writeFile(path, QByteArray(31, 'k').toHex() + '\n', 0600);
    try {
        SecretKey::load(dir.path(), QByteArray());
        QFAIL("a 31-byte key was accepted");
    } catch (const std::runtime_error &error) {
        const QString message = QString::fromStdString(error.what());
        QVERIFY2(message.contains("31 bytes") && message.contains("at least 32"), error.what());
        QVERIFY2(message.contains(path), error.what());
    }
    // The file is left for the user to fix, not replaced by a new key.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(31, 'k').toHex() + '\n');
}

void TestAuthPrimitives::secretKeyBadFilesThrow_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("whitespace") << QByteArray(" \n");
    QTest::newRow("not hex") << QByteArray(64, 'g');
    QTest::newRow("raw bytes") << QByteArray(64, '\xff');
    QTest::newRow("odd hex digits") << QByteArray(65, 'a');
    QTest::newRow("hex with inner space") << QByteArray(32, 'a') + ' ' + QByteArray(32, 'a');
    QTest::newRow("huge") << QByteArray(100000, 'a');
}

void TestAuthPrimitives::secretKeyBadFilesThrow()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    writeFile(dir.filePath("secret.key"), content, 0600);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, SecretKey::load(dir.path(), QByteArray()));
}

void TestAuthPrimitives::secretKeyLooseFileIsTightened()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("secret.key");
    const QByteArray stored = secureRandomBytes(32);
    writeFile(path, "  " + stored.toHex().toUpper() + "\n", 0644);
    QCOMPARE(fileMode(path), mode_t(0644));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("accessible to other users.*0644")));
    const SecretKey key = SecretKey::load(dir.path(), QByteArray());
    QCOMPARE(key.source, SecretKey::File);
    QCOMPARE(key.bytes, stored);
    QCOMPARE(fileMode(path), mode_t(0600));
    QCOMPARE(QFileInfo(path).permissions() & GroupOrOther, QFileDevice::Permissions());

    // Group-only access is tightened as well; an already private file is left alone silently.
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0640), 0);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("accessible to other users.*0640")));
    QCOMPARE(SecretKey::load(dir.path(), QByteArray()).bytes, stored);
    QCOMPARE(fileMode(path), mode_t(0600));
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    QCOMPARE(SecretKey::load(dir.path(), QByteArray()).bytes, stored);
}

void TestAuthPrimitives::secretKeyWithoutDataFolderThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, SecretKey::load(QString(), QByteArray()));
    QCOMPARE(SecretKey::load(QString(), QByteArray(32, 'e')).source, SecretKey::Environment);
}

QTEST_GUILESS_MAIN(TestAuthPrimitives)
#include "tst_authprimitives.moc"
