#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace Hearth {

struct JwtVerification
{
    enum Status
    {
        Valid,
        Invalid, // malformed, forged, wrong algorithm, not yet valid: answer INVALID_TOKEN
        Expired  // authentic but past its exp: answer TOKEN_EXPIRED
    };
    Status status = Invalid;
    QJsonObject payload; // only filled when status is Valid
    QString reason;      // for logs; never echo it to a client
};

// HS256 JSON Web Tokens (RFC 7519) signed with HMAC-SHA-256. Only HS256 is ever
// accepted, whatever the token's header says, so "alg: none" and algorithm
// confusion (RS256 with the secret as a "public key") cannot be used.
class Jwt
{
public:
    static constexpr qsizetype MaxTokenBytes = 8 * 1024;
    static constexpr qint64 IssuedAtLeewaySeconds = 60; // clocks of issuer and verifier may differ a little

    // header.payload.signature, each part base64url without padding; the header is
    // exactly {"alg":"HS256","typ":"JWT"} and the payload compact JSON. The payload
    // is signed as given: the caller puts in exp (and iat, ...). An empty secret
    // gives an empty token rather than one anybody could forge.
    [[nodiscard]] static QByteArray sign(const QJsonObject &payload, QByteArrayView secret);

    // Checks, in order: size (at most MaxTokenBytes), exactly three parts, strict
    // base64url (no '=', '+', '/' or whitespace; canonical encoding), a JSON-object
    // header with alg exactly "HS256", typ "JWT" when present and no crit, then the
    // signature (constant-time) and only then the payload: a JSON object with a
    // numeric exp; nbf (when present) must be reached; iat (when present) may be
    // at most IssuedAtLeewaySeconds in the future; now >= exp is Expired.
    [[nodiscard]] static JwtVerification verify(QByteArrayView token, QByteArrayView secret,
                                                qint64 nowSeconds);
};

} // namespace Hearth
