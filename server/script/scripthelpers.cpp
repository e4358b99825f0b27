#include "script/scripthelpers.h"

#include "api/routematch.h"
#include "auth/caller.h"
#include "auth/duration.h"
#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "auth/securerandom.h"
#include "cache/cachestore.h"
#include "cache/ratelimiter.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "http/httprequest.h"
#include "schema/metadata.h"
#include "script/helpers/autoslug.h"
#include "script/helpers/sshkeypair.h"
#include "script/scriptengine.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJSEngine>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMessageAuthenticationCode>
#include <QThreadPool>
#include <QTimer>
#include <QUuid>

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <type_traits>

namespace Hearth {

namespace {

Q_LOGGING_CATEGORY(lcHelpers, "hearth.script")

constexpr qint64 kMaxJwtLifetimeSeconds = 100LL * 366 * 24 * 3600;

// A refusal of a helper's arguments, thrown into the script by guarded().
struct HelperError
{
    QJSValue::ErrorType type;
    QString message;
};

[[noreturn]] void typeError(const QString &message)
{
    throw HelperError{QJSValue::TypeError, message};
}

[[noreturn]] void rangeError(const QString &message)
{
    throw HelperError{QJSValue::RangeError, message};
}

QJsonValue parseJson(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]");
    if (!doc.isArray() || doc.array().size() != 1)
        typeError(QStringLiteral("value is not JSON"));
    return doc.array().first();
}

QString requiredString(const QJSValue &value, const char *name)
{
    if (!value.isString())
        typeError(QStringLiteral("%1 must be a string").arg(QLatin1StringView(name)));
    return value.toString();
}

enum class Encoding
{
    Hex,
    Base64,
    Base64Url
};

Encoding encodingOf(const QJSValue &value)
{
    if (value.isUndefined() || value.isNull())
        return Encoding::Hex;
    const QString name = value.isString() ? value.toString() : QString();
    if (name == u"hex")
        return Encoding::Hex;
    if (name == u"base64")
        return Encoding::Base64;
    if (name == u"base64url")
        return Encoding::Base64Url;
    typeError(QStringLiteral("encoding must be 'hex', 'base64' or 'base64url'"));
}

QString encoded(const QByteArray &bytes, Encoding encoding)
{
    switch (encoding) {
    case Encoding::Hex:
        return QString::fromLatin1(bytes.toHex());
    case Encoding::Base64:
        return QString::fromLatin1(bytes.toBase64());
    case Encoding::Base64Url:
        return QString::fromLatin1(
            bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }
    return {};
}

// A TTL in milliseconds; the store checks its range.
qint64 ttlOf(const QJSValue &value)
{
    const double ms = value.isNumber() ? value.toNumber() : std::nan("");
    if (!std::isfinite(ms))
        typeError(QStringLiteral("ttlMs must be a number of milliseconds"));
    if (ms < 1)
        return 0;
    return ms > double(CacheStore::MaxTtlMs) ? CacheStore::MaxTtlMs + 1 : std::llround(ms);
}

} // namespace

struct ScriptHelpers::Mailbox
{
    std::mutex mutex;
    ScriptHelpers *target;
};

ScriptHelpers::ScriptHelpers(std::shared_ptr<ScriptEngine> scriptEngine, Engine &engine,
                             const Metadata &metadata, const HttpRequest &request, const RouteMatch &match,
                             const Caller &caller, QObject *parent)
    : QObject(parent), m_scriptEngine(std::move(scriptEngine)), m_js(m_scriptEngine->js()), m_engine(engine),
      m_cache(engine.cache()), m_rateLimiter(engine.rateLimiter()),
      m_routePath(match.route ? match.route->path : QString::fromUtf8(request.path)),
      m_ip(request.peerAddress.toString()), m_userId(caller.authenticated ? caller.userId : QString()),
      m_bcryptCost(qBound(MinBcryptCost,
                          int(metadata.numberSetting("bcryptCost", PasswordHasher::DefaultCost)),
                          MaxBcryptCost)),
      m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->target = this;
    QJSEngine::setObjectOwnership(this, QJSEngine::CppOwnership);
}

ScriptHelpers::~ScriptHelpers()
{
    std::lock_guard lock(m_mailbox->mutex);
    m_mailbox->target = nullptr;
}

template <typename Function>
auto ScriptHelpers::guarded(const char *helper, Function function) -> decltype(function())
{
    const auto raise = [&](QJSValue::ErrorType type, const QString &message) {
        m_js.throwError(type, QStringLiteral("%1: %2").arg(QLatin1StringView(helper), message));
    };
    try {
        return function();
    } catch (const HelperError &e) {
        raise(e.type, e.message);
    } catch (const std::invalid_argument &e) { // the stores' argument checks
        raise(QJSValue::TypeError, QString::fromUtf8(e.what()));
    } catch (const std::exception &e) {
        qCWarning(lcHelpers) << helper << "failed:" << e.what();
        raise(QJSValue::GenericError, QString::fromUtf8(e.what()));
    }
    if constexpr (!std::is_void_v<decltype(function())>)
        return {};
}

void ScriptHelpers::inPool(std::function<Outcome()> work, const QJSValue &resolve, const QJSValue &reject)
{
    // The JS callbacks stay on this thread: QJSValues belong to their engine's thread.
    const quint64 id = ++m_nextCall;
    m_pending.insert(id, {resolve, reject});
    QThreadPool::globalInstance()->start([mailbox = m_mailbox, id, work = std::move(work)] {
        Outcome outcome;
        try {
            outcome = work();
        } catch (const std::exception &e) {
            outcome = {false, {}, QString::fromUtf8(e.what())};
        }
        std::lock_guard lock(mailbox->mutex);
        if (ScriptHelpers *target = mailbox->target)
            QMetaObject::invokeMethod(
                target, [target, id, outcome] { target->settle(id, outcome); }, Qt::QueuedConnection);
    });
}

void ScriptHelpers::settle(quint64 id, const Outcome &outcome)
{
    const Pending pending = m_pending.take(id);
    if (outcome.ok)
        pending.resolve.call({m_js.toScriptValue(outcome.value)});
    else
        pending.reject.call({m_js.newErrorObject(QJSValue::GenericError, outcome.error)});
}

int ScriptHelpers::sleepDelayMs(const QJSValue &ms)
{
    const double delay = ms.toNumber();
    if (std::isnan(delay) || delay <= 0)
        return 0;
    return delay >= MaxSleepMs ? MaxSleepMs : int(std::ceil(delay));
}

QString ScriptHelpers::jwt(const QString &payloadJson, const QJSValue &expiresIn)
{
    return guarded("$jwt", [&] {
        const QJsonValue payload = parseJson(payloadJson);
        if (!payload.isObject())
            typeError(QStringLiteral("payload must be an object"));
        std::optional<qint64> seconds;
        if (expiresIn.isString())
            seconds = parseDurationSeconds(expiresIn.toString());
        else if (expiresIn.isNumber() && expiresIn.toNumber() == std::floor(expiresIn.toNumber()))
            seconds = qint64(expiresIn.toNumber());
        if (!seconds || *seconds <= 0 || *seconds > kMaxJwtLifetimeSeconds)
            typeError(
                QStringLiteral("expiresIn must be a duration like '15m', '1h', '7d' or a number of seconds"));
        // iat and exp are the server's: a payload's own are replaced.
        QJsonObject claims = payload.toObject();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        claims.insert(QStringLiteral("iat"), double(now));
        claims.insert(QStringLiteral("exp"), double(now + *seconds));
        const QByteArray token = Jwt::sign(claims, m_engine.secretKey());
        if (token.isEmpty())
            throw std::runtime_error("the server has no signing key");
        return QString::fromLatin1(token);
    });
}

void ScriptHelpers::bcryptHash(const QJSValue &plain, const QJSValue &resolve, const QJSValue &reject)
{
    guarded("$bcrypt.hash", [&] {
        const QByteArray password = requiredString(plain, "password").toUtf8();
        if (password.left(PasswordHasher::MaxPasswordBytes).contains('\0'))
            typeError(QStringLiteral("password must not contain a NUL character"));
        inPool(
            [password, cost = m_bcryptCost]() -> Outcome {
                const QByteArray hash = PasswordHasher::hash(password, cost);
                if (hash.isEmpty())
                    return {false, {}, QStringLiteral("$bcrypt.hash: hashing failed")};
                return {true, QString::fromLatin1(hash), {}};
            },
            resolve, reject);
    });
}

void ScriptHelpers::bcryptCompare(const QJSValue &plain, const QJSValue &hash, const QJSValue &resolve,
                                  const QJSValue &reject)
{
    guarded("$bcrypt.compare", [&] {
        const QByteArray password = requiredString(plain, "password").toUtf8();
        const QByteArray stored = requiredString(hash, "hash").toUtf8();
        inPool(
            [password, stored]() -> Outcome {
                return {true, PasswordHasher::verify(password, stored), {}};
            },
            resolve, reject);
    });
}

QString ScriptHelpers::autoSlug(const QJSValue &text)
{
    return guarded("autoSlug", [&] {
        if (!text.isString() && !text.isNumber())
            typeError(QStringLiteral("text must be a string"));
        return Hearth::autoSlug(text.toString());
    });
}

QString ScriptHelpers::randomUUID()
{
    // A version 4 UUID from the system CSPRNG.
    QByteArray bytes = secureRandomBytes(16);
    bytes[6] = char((uchar(bytes[6]) & 0x0f) | 0x40);
    bytes[8] = char((uchar(bytes[8]) & 0x3f) | 0x80);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

QString ScriptHelpers::randomBytes(const QJSValue &count, const QJSValue &encoding)
{
    return guarded("$crypto.randomBytes", [&] {
        if (!count.isNumber())
            typeError(QStringLiteral("size must be a number"));
        const double n = count.toNumber();
        if (!(n >= 0 && n <= MaxRandomBytes) || n != std::floor(n))
            rangeError(QStringLiteral("size must be an integer from 0 to %1").arg(MaxRandomBytes));
        return encoded(secureRandomBytes(qsizetype(n)), encodingOf(encoding));
    });
}

QString ScriptHelpers::sha256(const QJSValue &data, const QJSValue &encoding)
{
    return guarded("$crypto.sha256", [&] {
        const QByteArray bytes = requiredString(data, "data").toUtf8();
        return encoded(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256), encodingOf(encoding));
    });
}

QString ScriptHelpers::hmacSha256(const QJSValue &data, const QJSValue &secret, const QJSValue &encoding)
{
    return guarded("$crypto.hmacSha256", [&] {
        const QByteArray bytes = requiredString(data, "data").toUtf8();
        const QByteArray key = requiredString(secret, "secret").toUtf8();
        return encoded(QMessageAuthenticationCode::hash(bytes, key, QCryptographicHash::Sha256),
                       encodingOf(encoding));
    });
}

void ScriptHelpers::generateSshKeyPair(const QJSValue &comment, const QJSValue &resolve,
                                       const QJSValue &reject)
{
    guarded("$crypto.generateSshKeyPair", [&] {
        const QString text =
            comment.isUndefined() || comment.isNull() ? QString() : requiredString(comment, "comment");
        if (!SshKeyPair::isValidComment(text))
            typeError(QStringLiteral("comment must be one line of at most %1 characters")
                          .arg(SshKeyPair::MaxCommentLength));
        inPool(
            [text]() -> Outcome {
                const SshKeyPair pair = SshKeyPair::generate(text);
                return {true,
                        QJsonObject{{QStringLiteral("publicKey"), pair.publicKey},
                                    {QStringLiteral("privateKey"), pair.privateKey}},
                        {}};
            },
            resolve, reject);
    });
}

void ScriptHelpers::sleep(const QJSValue &ms, const QJSValue &resolve)
{
    // A timer on this thread: only this request waits. A child, so that it and
    // the promise's resolve go with the request (QTimer::singleShot's would not).
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer, &QTimer::timeout, this, [timer, resolve] {
        timer->deleteLater();
        resolve.call();
    });
    timer->start(sleepDelayMs(ms));
}

QJSValue ScriptHelpers::rateLimit(const QString &kind, const QJSValue &key, const QString &optionsJson)
{
    const QByteArray helper = "$rateLimit." + kind.toLatin1();
    return guarded(helper.constData(), [&] {
        // An anonymous caller has no user key: byUser and byUserGlobal count by address instead.
        QString limitKey;
        if (kind == u"byIp" || (kind == u"byUser" && m_userId.isEmpty()))
            limitKey = RateLimiter::keyByIp(m_ip, m_routePath);
        else if (kind == u"byUser")
            limitKey = RateLimiter::keyByUser(m_userId, m_routePath);
        else if (kind == u"byRoute")
            limitKey = RateLimiter::keyByRoute(m_routePath);
        else if (kind == u"byIpGlobal" || (kind == u"byUserGlobal" && m_userId.isEmpty()))
            limitKey = RateLimiter::keyByIpGlobal(m_ip);
        else if (kind == u"byUserGlobal")
            limitKey = RateLimiter::keyByUserGlobal(m_userId);
        else if (kind == u"check" || kind == u"status")
            limitKey = requiredString(key, "key");
        else
            typeError(QStringLiteral("unknown rate limit"));
        const RateLimiter::Options options = RateLimiter::parseOptions(parseJson(optionsJson));
        const RateLimiter::Result result = kind == u"status" ? m_rateLimiter.status(limitKey, options)
                                                             : m_rateLimiter.check(limitKey, options);
        return m_js.toScriptValue(result.toJson());
    });
}

bool ScriptHelpers::rateLimitReset(const QJSValue &key)
{
    return guarded("$rateLimit.reset", [&] { return m_rateLimiter.reset(requiredString(key, "key")); });
}

QString ScriptHelpers::cacheKey(const QJSValue &key)
{
    if (key.isString())
        return key.toString();
    if (key.isNumber() && std::isfinite(key.toNumber()))
        return key.toString();
    typeError(QStringLiteral("key must be a string"));
}

QJSValue ScriptHelpers::cacheGet(const QJSValue &key)
{
    return guarded("$cache.get", [&] {
        const std::optional<QJsonValue> value = m_cache.get(cacheKey(key));
        return value ? QJSValue(QString::fromUtf8(compactJson(*value))) : QJSValue(QJSValue::NullValue);
    });
}

void ScriptHelpers::cacheSet(const QJSValue &key, const QString &valueJson, const QJSValue &ttlMs)
{
    guarded("$cache.set", [&] {
        const QString name = cacheKey(key);
        const CacheStore::WriteResult written = m_cache.set(name, parseJson(valueJson), ttlOf(ttlMs));
        if (!written)
            rangeError(written.error);
    });
}

void ScriptHelpers::cacheSetNoExpire(const QJSValue &key, const QString &valueJson)
{
    guarded("$cache.setNoExpire", [&] {
        const CacheStore::WriteResult written = m_cache.setNoExpire(cacheKey(key), parseJson(valueJson));
        if (!written)
            rangeError(written.error);
    });
}

bool ScriptHelpers::cacheDelete(const QJSValue &key)
{
    return guarded("$cache.deleteKey", [&] { return m_cache.deleteKey(cacheKey(key)); });
}

bool ScriptHelpers::cacheExists(const QJSValue &key, const QJSValue &valueJson)
{
    return guarded("$cache.exists", [&] {
        const QString name = cacheKey(key);
        return valueJson.isUndefined() ? m_cache.exists(name)
                                       : m_cache.exists(name, parseJson(valueJson.toString()));
    });
}

bool ScriptHelpers::cacheAcquire(const QJSValue &key, const QString &valueJson, const QJSValue &ttlMs)
{
    return guarded("$cache.acquire", [&] {
        const QString name = cacheKey(key);
        return m_cache.acquire(name, parseJson(valueJson), ttlOf(ttlMs));
    });
}

bool ScriptHelpers::cacheRelease(const QJSValue &key, const QString &valueJson)
{
    return guarded("$cache.release", [&] { return m_cache.release(cacheKey(key), parseJson(valueJson)); });
}

} // namespace Hearth
