#pragma once

#include <QHash>
#include <QJSValue>
#include <QJsonValue>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QJSEngine;

namespace Hearth {

class CacheStore;
class Engine;
class RateLimiter;
class ScriptEngine;
struct Caller;
struct HttpRequest;
struct Metadata;
struct RouteMatch;

// The native side of $ctx.$helpers and $ctx.$cache for one request (API.md
// "Scripts"); the JavaScript around it is scriptHelpersPreludeSource(). A child
// of the request's CtxBridge: its timers and pending promises end with the
// request. Every method runs on the worker thread. Slow work (bcrypt, RSA key
// generation) runs in QThreadPool::globalInstance() and its result comes back
// to this thread, where the script's promise is settled; meanwhile the worker
// serves other requests. Bad arguments throw a TypeError or RangeError into
// the script, named after the helper ("$cache.set: ttlMs must be …").
//
// Rate limit keys follow Enfyra's templates, {route} being the matched route's
// path pattern ("/reports/:year"). An anonymous caller has no user key:
// byUser and byUserGlobal then count by address (byIp's and byIpGlobal's keys),
// so anonymous traffic is limited rather than let through or refused.
class ScriptHelpers : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxSleepMs = 30'000;
    static constexpr int MaxRandomBytes = 4096;
    static constexpr int MinBcryptCost = 4;
    static constexpr int MaxBcryptCost = 15; // the bcryptCost setting's documented range

    // Keeps scriptEngine alive while promises it made are pending here.
    ScriptHelpers(std::shared_ptr<ScriptEngine> scriptEngine, Engine &engine, const Metadata &metadata,
                  const HttpRequest &request, const RouteMatch &match, const Caller &caller, QObject *parent);
    ~ScriptHelpers() override;

    // $sleep's delay: ms clamped to 0..MaxSleepMs; not a number is 0.
    static int sleepDelayMs(const QJSValue &ms);

    // $helpers. Values cross as JSON text where the prelude has stringified them.
    Q_INVOKABLE QString jwt(const QString &payloadJson, const QJSValue &expiresIn);
    Q_INVOKABLE void bcryptHash(const QJSValue &plain, const QJSValue &resolve, const QJSValue &reject);
    Q_INVOKABLE void bcryptCompare(const QJSValue &plain, const QJSValue &hash, const QJSValue &resolve,
                                   const QJSValue &reject);
    Q_INVOKABLE QString autoSlug(const QJSValue &text);
    Q_INVOKABLE QString randomUUID();
    Q_INVOKABLE QString randomBytes(const QJSValue &count, const QJSValue &encoding);
    Q_INVOKABLE QString sha256(const QJSValue &data, const QJSValue &encoding);
    Q_INVOKABLE QString hmacSha256(const QJSValue &data, const QJSValue &secret, const QJSValue &encoding);
    Q_INVOKABLE void generateSshKeyPair(const QJSValue &comment, const QJSValue &resolve,
                                        const QJSValue &reject);
    Q_INVOKABLE void sleep(const QJSValue &ms, const QJSValue &resolve);
    // kind: byIp, byUser, byRoute, byIpGlobal, byUserGlobal (key unused), check or status.
    Q_INVOKABLE QJSValue rateLimit(const QString &kind, const QJSValue &key, const QString &optionsJson);
    Q_INVOKABLE bool rateLimitReset(const QJSValue &key);

    // $cache. A value absent from get is null.
    Q_INVOKABLE QJSValue cacheGet(const QJSValue &key);
    Q_INVOKABLE void cacheSet(const QJSValue &key, const QString &valueJson, const QJSValue &ttlMs);
    Q_INVOKABLE void cacheSetNoExpire(const QJSValue &key, const QString &valueJson);
    Q_INVOKABLE bool cacheDelete(const QJSValue &key);
    // valueJson undefined: whether the key exists at all.
    Q_INVOKABLE bool cacheExists(const QJSValue &key, const QJSValue &valueJson);
    Q_INVOKABLE bool cacheAcquire(const QJSValue &key, const QString &valueJson, const QJSValue &ttlMs);
    Q_INVOKABLE bool cacheRelease(const QJSValue &key, const QString &valueJson);

private:
    struct Outcome
    {
        bool ok = true;
        QJsonValue value;
        QString error;
    };
    // Where pool threads post results: cleared when this object goes, so a late
    // result finds nobody (a queued call to a deleted object is dropped by Qt).
    struct Mailbox;
    struct Pending
    {
        QJSValue resolve;
        QJSValue reject;
    };

    template <typename Function> auto guarded(const char *helper, Function function) -> decltype(function());
    void inPool(std::function<Outcome()> work, const QJSValue &resolve, const QJSValue &reject);
    void settle(quint64 id, const Outcome &outcome);
    static QString cacheKey(const QJSValue &key);

    // Declared first, released last: the JS values below must go before their engine.
    std::shared_ptr<ScriptEngine> m_scriptEngine;
    QJSEngine &m_js;
    Engine &m_engine;
    CacheStore &m_cache;
    RateLimiter &m_rateLimiter;
    QString m_routePath; // the matched route's path pattern, as rate limit keys name it
    QString m_ip;
    QString m_userId; // empty: anonymous
    int m_bcryptCost;
    std::shared_ptr<Mailbox> m_mailbox;
    QHash<quint64, Pending> m_pending; // promises waiting for the pool, by call
    quint64 m_nextCall = 0;
};

} // namespace Hearth
