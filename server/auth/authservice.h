#pragma once

#include "auth/caller.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Hearth {

class Engine;
class SqlConnection;
struct Metadata;

// Sessions and tokens (API.md "Auth"): login, refresh with rotation, logout,
// personal API tokens, and turning an Authorization header into a Caller.
class AuthService
{
public:
    AuthService(Engine &engine, SqlConnection &db, const Metadata &metadata,
                class VerifiedTokenCache *tokenCache = nullptr);

    struct TokenPair
    {
        QByteArray accessToken;
        QByteArray refreshToken;
        qint64 expTime = 0; // access token expiry, epoch ms
        QJsonObject toJson() const;
    };

    // Throws ApiError: 400 "Invalid email or password", 429 after repeated failures.
    TokenPair login(const QString &email, const QString &password, bool remember,
                    const QString &clientAddress, const QString &userAgent);
    // Rotates the refresh token; a spent one revokes its session. Throws ApiError 400.
    TokenPair refresh(const QByteArray &refreshToken);
    // Ends the session of refreshToken, which must be the caller's. Throws ApiError.
    void logout(const Caller &caller, const QByteArray &refreshToken);
    // Ends every session of a user but keepSessionId (after a password change).
    void revokeSessions(const QString &userId, const QString &keepSessionId = {});

    Authentication authenticate(const QByteArray &authorizationHeader);

    // Personal API tokens: the plain token appears only in createApiToken's answer.
    QJsonObject createApiToken(const Caller &caller, const QJsonObject &body);
    QByteArray listApiTokensJson(const Caller &caller);
    void deleteApiToken(const Caller &caller, qint64 tokenId);

    static bool isApiToken(QByteArrayView token) { return token.startsWith("hth_"); }

private:
    TokenPair issue(const QString &userId, const QString &sessionId, const QByteArray &refreshToken);
    qint64 ttlSeconds(const char *setting, const char *fallback) const;
    Authentication authenticateJwt(const QByteArray &token);
    Authentication authenticateApiToken(const QByteArray &token);
    qint64 dataVersion();

    Engine &m_engine;
    SqlConnection &m_db;
    const Metadata &m_metadata;
    VerifiedTokenCache *m_tokenCache;
};

} // namespace Hearth
