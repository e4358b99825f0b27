#include "auth/jwt.h"

#include "core/constanttime.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonValue>
#include <QMessageAuthenticationCode>

#include <cmath>

namespace Hearth {

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr qsizetype SignatureBytes = 32; // SHA-256

QByteArray hmacSha256(QByteArrayView message, QByteArrayView secret)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret.toByteArray());
    mac.addData(message.data(), message.size());
    return mac.result();
}

bool isBase64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Strict base64url without padding. Besides the alphabet, the text must be the
// canonical encoding of what it decodes to (unused low bits zero, no impossible
// length), so one token has exactly one spelling.
bool decodeBase64Url(QByteArrayView text, QByteArray *out)
{
    for (char c : text)
        if (!isBase64UrlChar(c))
            return false;
    if (text.size() % 4 == 1)
        return false;
    const QByteArray encoded = text.toByteArray();
    auto decoded =
        QByteArray::fromBase64Encoding(encoded, Base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64(Base64Url) != encoded)
        return false;
    *out = std::move(decoded.decoded);
    return true;
}

bool parseObject(const QByteArray &json, QJsonObject *out)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    *out = doc.object();
    return true;
}

JwtVerification invalid(const QString &reason)
{
    return {JwtVerification::Invalid, {}, reason};
}

// A NumericDate claim: absent is fine (present = false), anything but a finite
// JSON number is not.
bool readTime(const QJsonObject &payload, QLatin1StringView name, bool *present, double *value)
{
    const QJsonValue v = payload.value(name);
    *present = !v.isUndefined();
    if (!*present)
        return true;
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return false;
    *value = v.toDouble();
    return true;
}

} // namespace

QByteArray Jwt::sign(const QJsonObject &payload, QByteArrayView secret)
{
    if (secret.isEmpty())
        return {};
    static const QByteArray header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})").toBase64(Base64Url);
    QByteArray token =
        header + '.' + QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(Base64Url);
    const QByteArray signature = hmacSha256(token, secret).toBase64(Base64Url);
    token += '.';
    token += signature;
    return token;
}

JwtVerification Jwt::verify(QByteArrayView token, QByteArrayView secret, qint64 nowSeconds)
{
    if (secret.isEmpty())
        return invalid(QStringLiteral("no secret to verify with"));
    if (token.size() > MaxTokenBytes)
        return invalid(QStringLiteral("token too large"));

    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0)
        return invalid(QStringLiteral("a token has exactly three parts"));
    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView payloadPart = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = token.sliced(secondDot + 1);

    QByteArray headerJson, payloadJson, signature;
    if (!decodeBase64Url(headerPart, &headerJson) || !decodeBase64Url(payloadPart, &payloadJson) ||
        !decodeBase64Url(signaturePart, &signature))
        return invalid(QStringLiteral("not base64url"));

    // The header only chooses among algorithms we accept, and that is HS256 alone.
    QJsonObject header;
    if (!parseObject(headerJson, &header))
        return invalid(QStringLiteral("header is not a JSON object"));
    const QJsonValue alg = header.value(QLatin1StringView("alg"));
    if (!alg.isString() || alg.toString() != QLatin1StringView("HS256"))
        return invalid(QStringLiteral("algorithm is not HS256"));
    if (header.contains(QLatin1StringView("typ")) &&
        header.value(QLatin1StringView("typ")).toString() != QLatin1StringView("JWT"))
        return invalid(QStringLiteral("typ is not JWT"));
    if (header.contains(QLatin1StringView("crit")))
        return invalid(QStringLiteral("critical header extensions are not supported"));

    // Authenticity before anything in the payload is looked at.
    const QByteArray expected = hmacSha256(token.first(secondDot), secret);
    if (signature.size() != SignatureBytes || !constantTimeEquals(signature, expected))
        return invalid(QStringLiteral("bad signature"));

    QJsonObject payload;
    if (!parseObject(payloadJson, &payload))
        return invalid(QStringLiteral("payload is not a JSON object"));

    bool hasExp = false, hasNbf = false, hasIat = false;
    double exp = 0, nbf = 0, iat = 0;
    if (!readTime(payload, QLatin1StringView("exp"), &hasExp, &exp) || !hasExp)
        return invalid(QStringLiteral("exp missing or not a number"));
    if (!readTime(payload, QLatin1StringView("nbf"), &hasNbf, &nbf))
        return invalid(QStringLiteral("nbf not a number"));
    if (!readTime(payload, QLatin1StringView("iat"), &hasIat, &iat))
        return invalid(QStringLiteral("iat not a number"));

    const double now = double(nowSeconds);
    // Invalid wins over Expired: "expired" tells a client to refresh, and a token
    // that was never valid should not invite that.
    if (hasNbf && now < nbf)
        return invalid(QStringLiteral("not valid yet (nbf)"));
    if (hasIat && iat > now + double(IssuedAtLeewaySeconds))
        return invalid(QStringLiteral("issued in the future (iat)"));
    if (now >= exp)
        return {JwtVerification::Expired, {}, QStringLiteral("expired")};
    return {JwtVerification::Valid, payload, {}};
}

} // namespace Hearth
