#include "auth/authservice.h"

#include "auth/duration.h"
#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "auth/securerandom.h"
#include "auth/tokenhash.h"
#include "auth/verifiedtokencache.h"
#include "core/apierror.h"
#include "core/jsonkeys.h"
#include "data/database.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "schema/metadata.h"

#include <QDateTime>
#include <QJsonArray>
#include <QUuid>

namespace Hearth {

namespace {

QByteArray isoTimestamp(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ").toLatin1();
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Stored times are text compared as text, which holds only up to year 9999.
constexpr qint64 kLatestExpiryMs = 253'402'300'799'999; // 9999-12-31T23:59:59.999Z

// Whether an expiry seconds from now can be stored.
bool fitsExpiry(qint64 seconds)
{
    return seconds > 0 && seconds <= (kLatestExpiryMs - nowMs()) / 1000;
}

[[noreturn]] void invalidRefreshToken(const QString &why = QStringLiteral("Invalid refresh token"))
{
    throw ApiError::badRequest(why);
}

Authentication failed(Authentication::Status status)
{
    Authentication a;
    a.status = status;
    return a;
}

} // namespace

QJsonObject AuthService::TokenPair::toJson() const
{
    return {{QStringLiteral("accessToken"), QString::fromLatin1(accessToken)},
            {QStringLiteral("refreshToken"), QString::fromLatin1(refreshToken)},
            {QStringLiteral("expTime"), double(expTime)}};
}

AuthService::AuthService(Engine &engine, SqlConnection &db, const Metadata &metadata,
                         VerifiedTokenCache *tokenCache)
    : m_engine(engine), m_db(db), m_metadata(metadata), m_tokenCache(tokenCache)
{}

qint64 AuthService::ttlSeconds(const char *setting, const char *fallback) const
{
    const auto seconds =
        parseDurationSeconds(m_metadata.stringSetting(setting, QString::fromLatin1(fallback)));
    return seconds && fitsExpiry(*seconds) ? *seconds : *parseDurationSeconds(QString::fromLatin1(fallback));
}

AuthService::TokenPair AuthService::issue(const QString &userId, const QString &sessionId,
                                          const QByteArray &refreshToken)
{
    const qint64 now = nowMs() / 1000;
    const qint64 exp = now + ttlSeconds("accessTokenTtl", "15m");
    TokenPair pair;
    pair.accessToken = Jwt::sign({{QStringLiteral("id"), userId},
                                  {QStringLiteral("sid"), sessionId},
                                  {QStringLiteral("iat"), double(now)},
                                  {QStringLiteral("exp"), double(exp)}},
                                 m_engine.secretKey());
    pair.refreshToken = refreshToken;
    pair.expTime = exp * 1000;
    return pair;
}

AuthService::TokenPair AuthService::login(const QString &email, const QString &password, bool remember,
                                          const QString &clientAddress, const QString &userAgent)
{
    const QByteArray throttleKey = LoginThrottle::key(clientAddress, email);
    const int maxFailures = qMax(1, int(m_metadata.numberSetting("loginMaxFailures", 5)));
    const qint64 windowMs = ttlSeconds("loginFailureWindow", "15m") * 1000;
    // Counted as a failure from here on, until the password proves right.
    if (const qint64 wait =
            m_engine.loginThrottle().beginAttempt(throttleKey, nowMs(), maxFailures, windowMs)) {
        ApiError error(429, "RATE_LIMIT_EXCEEDED",
                       QStringLiteral("Too many failed logins: try again in %1 seconds").arg(wait),
                       QJsonObject{{QStringLiteral("retryAfter"), double(wait)}});
        throw error;
    }

    QString userId;
    QByteArray storedHash;
    {
        // Emails match without regard to case, but hearth_user.email is unique
        // with case: "Ann@x" and "ann@x" may be two accounts. The exact spelling
        // wins; a case-insensitive match is used only when it names one account.
        SqlStatement s = m_db.prepare("SELECT id, password, email = ?1 FROM hearth_user WHERE email = ?1 "
                                      "COLLATE NOCASE ORDER BY email = ?1 DESC LIMIT 2");
        s.bind(1, sqlText(email.trimmed()));
        if (s.step()) {
            const bool exact = s.int64(2);
            userId = QString::fromUtf8(s.text(0));
            storedHash = s.text(1).toByteArray();
            if (!exact && s.step()) { // two accounts differ only in case: neither is meant
                userId.clear();
                storedHash.clear();
            }
        }
    }
    // An unknown email costs the same bcrypt work as a wrong password.
    const bool ok = PasswordHasher::verify(
        password.toUtf8(), userId.isEmpty() ? PasswordHasher::dummyHash(int(m_metadata.numberSetting(
                                                  "bcryptCost", PasswordHasher::DefaultCost)))
                                            : storedHash);
    if (!ok || userId.isEmpty())
        throw ApiError::badRequest(QStringLiteral("Invalid email or password"));
    m_engine.loginThrottle().recordSuccess(throttleKey);

    const QString sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray refreshToken = secureRandomToken(32);
    const qint64 ttl =
        ttlSeconds(remember ? "refreshTokenTtlRemember" : "refreshTokenTtl", remember ? "7d" : "1d");
    {
        WriteTransaction transaction(m_engine.database(), m_db);
        // The user's sessions that ended over a day ago go (and their spent tokens with them).
        SqlStatement sweep =
            m_db.prepare("DELETE FROM hearth_session WHERE userId = ? AND (expiresAt < ? OR revokedAt < ?)");
        const QByteArray dayAgo = isoTimestamp(nowMs() - 86'400'000);
        sweep.bind(1, sqlText(userId));
        sweep.bind(2, dayAgo);
        sweep.bind(3, dayAgo);
        sweep.exec();
        SqlStatement s =
            m_db.prepare("INSERT INTO hearth_session (id, userId, refreshTokenHash, expiresAt, remember, "
                         "ip, userAgent, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, sqlText(sessionId));
        s.bind(2, sqlText(userId));
        s.bind(3, hashToken(refreshToken));
        s.bind(4, isoTimestamp(nowMs() + ttl * 1000));
        s.bind(5, qint64(remember));
        s.bind(6, sqlText(clientAddress.left(64)));
        s.bind(7, sqlText(userAgent.left(255)));
        s.bind(8, currentTimestamp());
        s.exec();
        transaction.commit();
    }
    return issue(userId, sessionId, refreshToken);
}

AuthService::TokenPair AuthService::refresh(const QByteArray &refreshToken)
{
    if (refreshToken.isEmpty() || refreshToken.size() > 256)
        invalidRefreshToken();
    const QByteArray hash = hashToken(refreshToken);
    WriteTransaction transaction(m_engine.database(), m_db);
    QString sessionId, userId;
    QByteArray expiresAt;
    bool remember = false, revoked = false;
    {
        SqlStatement s = m_db.prepare("SELECT id, userId, expiresAt, remember, revokedAt IS NOT NULL FROM "
                                      "hearth_session WHERE refreshTokenHash = ?");
        s.bind(1, hash);
        if (s.step()) {
            sessionId = QString::fromUtf8(s.text(0));
            userId = QString::fromUtf8(s.text(1));
            expiresAt = s.text(2).toByteArray();
            remember = s.int64(3);
            revoked = s.int64(4);
        }
    }
    if (sessionId.isEmpty()) {
        // A token already exchanged: someone holds a copy. End the whole session.
        SqlStatement spent = m_db.prepare("SELECT sessionId FROM hearth_spent_token WHERE tokenHash = ?");
        spent.bind(1, hash);
        if (!spent.step())
            invalidRefreshToken();
        SqlStatement revoke =
            m_db.prepare("UPDATE hearth_session SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL");
        revoke.bind(1, currentTimestamp());
        revoke.bind(2, spent.text(0).toByteArray());
        revoke.exec();
        transaction.commit();
        m_engine.bumpAuthGeneration();
        invalidRefreshToken(
            QStringLiteral("Refresh token was already used: the session is revoked, log in again"));
    }
    if (revoked)
        invalidRefreshToken(QStringLiteral("The session was ended: log in again"));
    if (expiresAt <= currentTimestamp())
        invalidRefreshToken(QStringLiteral("Refresh token expired: log in again"));

    const QByteArray next = secureRandomToken(32);
    const qint64 ttl =
        ttlSeconds(remember ? "refreshTokenTtlRemember" : "refreshTokenTtl", remember ? "7d" : "1d");
    SqlStatement spend = m_db.prepare("INSERT INTO hearth_spent_token (tokenHash, sessionId) VALUES (?, ?)");
    spend.bind(1, hash);
    spend.bind(2, sqlText(sessionId));
    spend.exec();
    SqlStatement rotate = m_db.prepare("UPDATE hearth_session SET refreshTokenHash = ?, expiresAt = ?, "
                                       "lastUsedAt = ?, updatedAt = ? WHERE id = ?");
    rotate.bind(1, hashToken(next));
    rotate.bind(2, isoTimestamp(nowMs() + ttl * 1000));
    rotate.bind(3, currentTimestamp());
    rotate.bind(4, currentTimestamp());
    rotate.bind(5, sqlText(sessionId));
    rotate.exec();
    transaction.commit();
    return issue(userId, sessionId, next);
}

void AuthService::logout(const Caller &caller, const QByteArray &refreshToken)
{
    WriteTransaction transaction(m_engine.database(), m_db);
    SqlStatement s = m_db.prepare("UPDATE hearth_session SET revokedAt = ?, updatedAt = ? "
                                  "WHERE refreshTokenHash = ? AND userId = ? AND revokedAt IS NULL");
    s.bind(1, currentTimestamp());
    s.bind(2, currentTimestamp());
    s.bind(3, hashToken(refreshToken));
    s.bind(4, sqlText(caller.userId));
    s.exec();
    if (m_db.changes() == 0)
        invalidRefreshToken(QStringLiteral("Invalid refresh token for this user"));
    transaction.commit();
    m_engine.bumpAuthGeneration();
}

void AuthService::revokeSessions(const QString &userId, const QString &keepSessionId)
{
    SqlStatement s = m_db.prepare("UPDATE hearth_session SET revokedAt = ?, updatedAt = ? "
                                  "WHERE userId = ? AND id <> ? AND revokedAt IS NULL");
    s.bind(1, currentTimestamp());
    s.bind(2, currentTimestamp());
    s.bind(3, sqlText(userId));
    s.bind(4, sqlText(keepSessionId));
    s.exec();
    m_engine.bumpAuthGeneration();
}

Authentication AuthService::authenticate(const QByteArray &authorizationHeader)
{
    // Only "Authorization: Bearer" is read; any other scheme is no credential at all.
    const QByteArray header = authorizationHeader.trimmed();
    if (header.size() < 7 || header.left(7).toLower() != "bearer ")
        return {};
    const QByteArray token = header.mid(7).trimmed();
    if (token.isEmpty())
        return failed(Authentication::Status::InvalidToken);
    return isApiToken(token) ? authenticateApiToken(token) : authenticateJwt(token);
}

Authentication AuthService::authenticateJwt(const QByteArray &token)
{
    const qint64 now = nowMs() / 1000;
    VerifiedTokenCache::Entry *entry = m_tokenCache ? m_tokenCache->find(token, now) : nullptr;
    VerifiedTokenCache::Entry fresh;
    if (!entry) {
        const JwtVerification v = Jwt::verify(token, m_engine.secretKey(), now);
        if (v.status == JwtVerification::Expired)
            return failed(Authentication::Status::ExpiredToken);
        if (v.status != JwtVerification::Valid)
            return failed(Authentication::Status::InvalidToken);
        fresh.userId = v.payload.value(QLatin1StringView("id")).toString();
        fresh.sessionId = v.payload.value(QLatin1StringView("sid")).toString();
        fresh.expiresAt = qint64(v.payload.value(QLatin1StringView("exp")).toDouble());
        entry = m_tokenCache ? m_tokenCache->insert(token, fresh) : &fresh;
    }
    Authentication a;
    a.status = Authentication::Status::Authenticated;
    const VerifiedTokenCache::Stamp stamp{m_engine.authGeneration(), dataVersion()};
    if (entry->stamp == stamp) { // nothing that could change this caller was written since
        a.caller = entry->caller;
        return a;
    }
    SqlStatement s = m_db.prepare("SELECT u.email, u.roleId, u.isRootAdmin FROM hearth_session s "
                                  "JOIN hearth_user u ON u.id = s.userId "
                                  "WHERE s.id = ? AND s.userId = ? AND s.revokedAt IS NULL");
    s.bind(1, sqlText(entry->sessionId));
    s.bind(2, sqlText(entry->userId));
    if (!s.step()) // logged out, revoked, or the user is gone
        return failed(Authentication::Status::InvalidToken);
    a.caller.authenticated = true;
    a.caller.userId = entry->userId;
    a.caller.email = QString::fromUtf8(s.text(0));
    a.caller.roleId = s.int64(1);
    a.caller.isRootAdmin = s.int64(2);
    a.caller.sessionId = entry->sessionId;
    entry->caller = a.caller;
    entry->stamp = stamp;
    return a;
}

qint64 AuthService::dataVersion()
{
    // Changes whenever another connection (another worker, another process) commits.
    SqlStatement s = m_db.prepare("PRAGMA data_version");
    return s.step() ? s.int64(0) : -2;
}

Authentication AuthService::authenticateApiToken(const QByteArray &token)
{
    SqlStatement s =
        m_db.prepare("SELECT t.id, t.expiresAt, t.lastUsedAt, u.id, u.email, u.roleId, u.isRootAdmin "
                     "FROM hearth_api_token t JOIN hearth_user u ON u.id = t.userId "
                     "WHERE t.tokenHash = ?");
    s.bind(1, hashToken(token));
    if (!s.step())
        return failed(Authentication::Status::InvalidToken);
    const QByteArray now = currentTimestamp();
    if (!s.isNull(1) && s.text(1) <= QByteArrayView(now))
        return failed(Authentication::Status::ExpiredToken);
    Authentication a;
    a.status = Authentication::Status::Authenticated;
    a.caller.authenticated = true;
    a.caller.apiTokenId = s.int64(0);
    a.caller.userId = QString::fromUtf8(s.text(3));
    a.caller.email = QString::fromUtf8(s.text(4));
    a.caller.roleId = s.int64(5);
    a.caller.isRootAdmin = s.int64(6);
    // lastUsedAt is kept to the minute, so using a token rarely costs a write.
    const QByteArray lastUsed = s.isNull(2) ? QByteArray() : s.text(2).toByteArray().left(16);
    if (lastUsed != now.left(16)) {
        WriteTransaction transaction(m_engine.database(), m_db);
        SqlStatement touch = m_db.prepare("UPDATE hearth_api_token SET lastUsedAt = ? WHERE id = ?");
        touch.bind(1, now);
        touch.bind(2, a.caller.apiTokenId);
        touch.exec();
        transaction.commit();
    }
    return a;
}

QJsonObject AuthService::createApiToken(const Caller &caller, const QJsonObject &body)
{
    rejectUnknownKeys(body, {"name", "expiresAt", "expiresIn"});
    QStringList problems;
    const QString name = body.value(QLatin1StringView("name")).toString().trimmed();
    if (name.isEmpty() || name.size() > 255)
        problems << QStringLiteral("name is required (at most 255 characters)");
    SqlValue expiresAt = SqlNull{};
    const QJsonValue at = body.value(QLatin1StringView("expiresAt"));
    const QJsonValue in = body.value(QLatin1StringView("expiresIn"));
    if (!at.isUndefined() && !at.isNull() && !in.isUndefined() && !in.isNull())
        problems << QStringLiteral("give expiresAt or expiresIn, not both");
    if (!at.isUndefined() && !at.isNull()) {
        QByteArray stored;
        if (!at.isString() || !normalizeDateTime(at.toString(), &stored))
            problems << QStringLiteral("expiresAt must be a valid date");
        else if (stored <= currentTimestamp())
            problems << QStringLiteral("expiresAt must be in the future");
        else
            expiresAt = stored;
    }
    if (!in.isUndefined() && !in.isNull()) {
        const auto seconds = in.isString() ? parseDurationSeconds(in.toString()) : std::nullopt;
        if (!seconds || *seconds <= 0)
            problems << QStringLiteral("expiresIn must be a duration such as 30d, 12h or 3600");
        else if (!fitsExpiry(*seconds))
            problems << QStringLiteral("expiresIn is too long: the latest expiry is the end of year 9999");
        else
            expiresAt = isoTimestamp(nowMs() + *seconds * 1000);
    }
    if (!problems.isEmpty())
        throw ApiError::validation(problems);

    const QByteArray token = "hth_" + secureRandomToken(32);
    WriteTransaction transaction(m_engine.database(), m_db);
    SqlStatement s = m_db.prepare("INSERT INTO hearth_api_token (name, tokenHash, tokenPrefix, expiresAt, "
                                  "userId) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, sqlText(name));
    s.bind(2, hashToken(token));
    s.bind(3, token.left(12));
    s.bind(4, expiresAt);
    s.bind(5, sqlText(caller.userId));
    s.exec();
    const qint64 id = m_db.lastInsertRowId();
    transaction.commit();
    return {{QStringLiteral("id"), double(id)},
            {QStringLiteral("name"), name},
            {QStringLiteral("token"), QString::fromLatin1(token)},
            {QStringLiteral("tokenPrefix"), QString::fromLatin1(token.left(12))},
            {QStringLiteral("expiresAt"),
             std::holds_alternative<SqlNull>(expiresAt)
                 ? QJsonValue()
                 : QJsonValue(QString::fromLatin1(std::get<QByteArray>(expiresAt)))}};
}

QByteArray AuthService::listApiTokensJson(const Caller &caller)
{
    SqlStatement s = m_db.prepare("SELECT coalesce('[' || group_concat(j, ',') || ']', '[]') FROM (SELECT "
                                  "json_object('id', id, 'name', name, "
                                  "'tokenPrefix', tokenPrefix, 'expiresAt', expiresAt, 'lastUsedAt', "
                                  "lastUsedAt, 'createdAt', createdAt) AS j "
                                  "FROM hearth_api_token WHERE userId = ? ORDER BY id)");
    s.bind(1, sqlText(caller.userId));
    return s.step() ? s.text(0).toByteArray() : QByteArray("[]");
}

void AuthService::deleteApiToken(const Caller &caller, qint64 tokenId)
{
    WriteTransaction transaction(m_engine.database(), m_db);
    SqlStatement s = m_db.prepare("DELETE FROM hearth_api_token WHERE id = ? AND userId = ?");
    s.bind(1, tokenId);
    s.bind(2, sqlText(caller.userId));
    s.exec();
    if (m_db.changes() == 0)
        throw ApiError(404, "RESOURCE_NOT_FOUND", QStringLiteral("API token %1 not found").arg(tokenId));
    transaction.commit();
}

} // namespace Hearth
