#pragma once

#include "cache/lrulist.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace Hearth {

// Sliding-window rate limiter behind $helpers.$rateLimit; one instance shared
// by every worker thread.
//
// Each key keeps the exact times of its counted requests (a log, capped at
// maxRequests entries). With W = perSeconds * 1000 and now on a monotonic clock,
// a request counted at t is in the window while t > now - W; n is the number
// of such requests.
// - check: allowed iff n < maxRequests; an allowed request is counted (n + 1),
//   a refused one is not.
// - remaining: maxRequests minus the requests in the window, after counting
//   this one for check (so 0 on the last allowed request); 0 when refused.
// - resetAt: Unix seconds, rounded up, when the window frees its next slot: the
//   request at index max(0, n - maxRequests) of the log (oldest first) leaves
//   the window at its time + W. With an empty window: now + W, when a request
//   made now would leave it.
// - retryAfter: 0 when allowed; otherwise whole seconds, rounded up (>= 1),
//   until resetAt's instant, after which check is allowed again.
// - limit and window echo maxRequests and perSeconds.
// A key is meant to be used with one set of options; a check with a smaller
// maxRequests trims the log to that many newest entries.
//
// Memory: logs are compacted as they age out; sweep() drops keys whose window
// is empty; beyond maxKeys keys or maxTimestamps logged requests in all, the
// least recently checked keys are forgotten (their limits restart).
class RateLimiter
{
public:
    struct Instant
    {
        qint64 steadyMs; // monotonic: measures the windows
        qint64 unixMs;   // wall clock: only to report resetAt
    };
    using Clock = std::function<Instant()>;

    struct Options
    {
        int maxRequests = 0;
        int perSeconds = 0;
    };

    struct Result
    {
        bool allowed = false;
        int remaining = 0;
        qint64 resetAt = 0; // Unix seconds
        int retryAfter = 0; // seconds
        int limit = 0;
        int window = 0; // seconds

        // {allowed, remaining, resetAt, retryAfter, limit, window}, as scripts see it.
        QJsonObject toJson() const;
    };

    struct Stats
    {
        qint64 keys = 0;
        qint64 timestamps = 0;   // logged requests in all logs
        quint64 evictedKeys = 0; // forgotten to stay within maxKeys / maxTimestamps
    };

    static constexpr int MaxRequestsLimit = 100'000;
    static constexpr int MaxWindowSeconds = 366 * 24 * 3600;
    static constexpr qsizetype MaxKeyLength = 1024;
    static constexpr qint64 DefaultMaxKeys = 100'000;
    static constexpr qint64 DefaultMaxTimestamps = 4'000'000; // 32 MB of timestamps

    explicit RateLimiter(Clock clock = {}, qint64 maxKeys = DefaultMaxKeys,
                         qint64 maxTimestamps = DefaultMaxTimestamps);
    ~RateLimiter();
    RateLimiter(const RateLimiter &) = delete;
    RateLimiter &operator=(const RateLimiter &) = delete;

    // Both throw std::invalid_argument for an empty or too long key or options
    // out of range (see validate).
    Result check(const QString &key, const Options &options);
    Result check(const QString &key, int maxRequests, int perSeconds)
    {
        return check(key, {maxRequests, perSeconds});
    }
    // As check would answer, without counting anything.
    Result status(const QString &key, const Options &options);
    Result status(const QString &key, int maxRequests, int perSeconds)
    {
        return status(key, {maxRequests, perSeconds});
    }
    // Forgets the key's requests. False when it had none.
    bool reset(const QString &key);

    // Drops every key whose window (per its last check) is empty; returns how
    // many. The owner calls it periodically.
    int sweep();
    Stats stats() const;

    // maxRequests 1..MaxRequestsLimit, perSeconds 1..MaxWindowSeconds; throws
    // std::invalid_argument naming the option otherwise.
    static void validate(const Options &options);
    // Reads a script's {maxRequests, perSeconds}: both required, finite
    // integers in range. Throws std::invalid_argument with the reason.
    static Options parseOptions(const QJsonValue &options);

    // The keys of byIp, byUser, byRoute, byIpGlobal and byUserGlobal, built in
    // one place so every caller spells them alike. route is the route's path.
    static QString keyByIp(const QString &ip, const QString &route);       // ip:{ip}:{route}
    static QString keyByUser(const QString &userId, const QString &route); // user:{id}:{route}
    static QString keyByRoute(const QString &route);                       // route:{route}
    static QString keyByIpGlobal(const QString &ip);                       // ip:{ip}
    static QString keyByUserGlobal(const QString &userId);                 // user:{id}
    // An address as keys hold it: trimmed, lower case, IPv4-mapped IPv6
    // ("::ffff:10.0.0.1") as plain IPv4, so one client has one key.
    static QString normalizedIp(const QString &ip);
    // A user id as keys hold it: 7, 7.0 and "7" are all "7"; null and
    // undefined are "" (no user).
    static QString idText(const QJsonValue &id);

private:
    struct Log : LruLink
    {
        const QString *key = nullptr; // the map node's own key
        std::vector<qint64> times;    // ascending; the live part starts at head
        size_t head = 0;
        qint64 windowMs = 0; // of the last check, for sweep

        qsizetype size() const { return qsizetype(times.size() - head); }
        qint64 at(qsizetype i) const { return times[head + size_t(i)]; }
    };

    static void checkKey(const QString &key);
    // All below run with m_mutex held.
    void dropOldest(Log &log, qsizetype count);
    void prune(Log &log, qint64 nowMs, qint64 windowMs);
    void remove(Log &log);
    static Result result(const Log *log, const Options &options, const Instant &now, bool allowed);

    const Clock m_clock;
    const qint64 m_maxKeys;
    const qint64 m_maxTimestamps;
    mutable std::mutex m_mutex;
    std::unordered_map<QString, Log> m_logs;
    LruList m_lru; // by last check
    qint64 m_timestamps = 0;
    quint64 m_evictedKeys = 0;
};

} // namespace Hearth
