#include "cache/ratelimiter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace Hearth {

namespace {

qint64 ceilDiv(qint64 value, qint64 divisor)
{
    return value >= 0 ? (value + divisor - 1) / divisor : -((-value) / divisor);
}

QString numberText(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

[[noreturn]] void invalid(const QString &message)
{
    throw std::invalid_argument(message.toStdString());
}

void checkRange(const char *name, qint64 value, qint64 max)
{
    if (value < 1 || value > max)
        invalid(QStringLiteral("rate limit option %1 must be an integer from 1 to %2 (got %3)")
                    .arg(QLatin1String(name))
                    .arg(max)
                    .arg(value));
}

int parseOption(const QJsonObject &options, const char *name, int max)
{
    const QJsonValue value = options.value(QLatin1String(name));
    if (value.isUndefined() || value.isNull())
        invalid(QStringLiteral("rate limit option %1 is required").arg(QLatin1String(name)));
    if (!value.isDouble())
        invalid(QStringLiteral("rate limit option %1 must be a number (got a %2)")
                    .arg(QLatin1String(name), value.isString()  ? QStringLiteral("string")
                                              : value.isBool()  ? QStringLiteral("boolean")
                                              : value.isArray() ? QStringLiteral("array")
                                                                : QStringLiteral("object")));
    const double number = value.toDouble();
    if (!std::isfinite(number) || number != std::floor(number) || number < 1 || number > max)
        invalid(QStringLiteral("rate limit option %1 must be an integer from 1 to %2 (got %3)")
                    .arg(QLatin1String(name))
                    .arg(max)
                    .arg(numberText(number)));
    return int(number);
}

} // namespace

QJsonObject RateLimiter::Result::toJson() const
{
    return {{QStringLiteral("allowed"), allowed},
            {QStringLiteral("remaining"), remaining},
            {QStringLiteral("resetAt"), double(resetAt)},
            {QStringLiteral("retryAfter"), retryAfter},
            {QStringLiteral("limit"), limit},
            {QStringLiteral("window"), window}};
}

RateLimiter::RateLimiter(Clock clock, qint64 maxKeys, qint64 maxTimestamps)
    : m_clock(clock ? std::move(clock) : Clock([] {
          const auto steady = std::chrono::steady_clock::now().time_since_epoch();
          return Instant{qint64(std::chrono::duration_cast<std::chrono::milliseconds>(steady).count()),
                         QDateTime::currentMSecsSinceEpoch()};
      })),
      m_maxKeys(maxKeys), m_maxTimestamps(maxTimestamps)
{
    if (maxKeys < 1 || maxTimestamps < 1)
        throw std::invalid_argument("rate limiter needs room for at least one key and one request");
}

RateLimiter::~RateLimiter() = default;

void RateLimiter::validate(const Options &options)
{
    checkRange("maxRequests", options.maxRequests, MaxRequestsLimit);
    checkRange("perSeconds", options.perSeconds, MaxWindowSeconds);
}

RateLimiter::Options RateLimiter::parseOptions(const QJsonValue &options)
{
    if (!options.isObject())
        invalid(
            QStringLiteral("rate limit options must be an object like { maxRequests: 100, perSeconds: 60 }"));
    const QJsonObject object = options.toObject();
    Options parsed;
    parsed.maxRequests = parseOption(object, "maxRequests", MaxRequestsLimit);
    parsed.perSeconds = parseOption(object, "perSeconds", MaxWindowSeconds);
    return parsed;
}

void RateLimiter::checkKey(const QString &key)
{
    if (key.isEmpty())
        invalid(QStringLiteral("rate limit key must not be empty"));
    if (key.size() > MaxKeyLength)
        invalid(QStringLiteral("rate limit key is %1 characters long; the limit is %2")
                    .arg(key.size())
                    .arg(MaxKeyLength));
}

RateLimiter::Result RateLimiter::check(const QString &key, const Options &options)
{
    checkKey(key);
    validate(options);
    const qint64 windowMs = qint64(options.perSeconds) * 1000;

    std::lock_guard lock(m_mutex);
    const Instant now = m_clock();
    auto it = m_logs.find(key);
    if (it == m_logs.end()) {
        // A new key: make room by forgetting the least recently checked one
        // (usually long idle; sweep() has normally dropped it already).
        if (qint64(m_logs.size()) >= m_maxKeys) {
            remove(*static_cast<Log *>(m_lru.back()));
            ++m_evictedKeys;
        }
        it = m_logs.try_emplace(key).first;
        it->second.key = &it->first; // node-based map: the key's address is stable
        m_lru.pushFront(&it->second);
    } else {
        m_lru.moveToFront(&it->second);
    }
    Log &log = it->second;
    log.windowMs = windowMs;
    prune(log, now.steadyMs, windowMs);
    // Entries beyond maxRequests never change the answer (only the newest
    // maxRequests decide it): the log stays bounded by the limit.
    if (log.size() > options.maxRequests)
        dropOldest(log, log.size() - options.maxRequests);

    const bool allowed = log.size() < options.maxRequests;
    if (allowed) {
        // Kept ascending even if a clock reading raced: prune relies on it.
        log.times.push_back(log.size() > 0 ? qMax(now.steadyMs, log.times.back()) : now.steadyMs);
        ++m_timestamps;
        while (m_timestamps > m_maxTimestamps && m_lru.back() != &log) {
            remove(*static_cast<Log *>(m_lru.back()));
            ++m_evictedKeys;
        }
    }
    return result(&log, options, now, allowed);
}

RateLimiter::Result RateLimiter::status(const QString &key, const Options &options)
{
    checkKey(key);
    validate(options);
    const qint64 windowMs = qint64(options.perSeconds) * 1000;

    std::lock_guard lock(m_mutex);
    const Instant now = m_clock();
    const auto it = m_logs.find(key);
    if (it == m_logs.end())
        return result(nullptr, options, now, true);
    Log &log = it->second;
    prune(log, now.steadyMs, windowMs); // only forgets what no answer needs
    return result(&log, options, now, log.size() < options.maxRequests);
}

RateLimiter::Result RateLimiter::result(const Log *log, const Options &options, const Instant &now,
                                        bool allowed)
{
    const qint64 windowMs = qint64(options.perSeconds) * 1000;
    const qsizetype n = log ? log->size() : 0;
    // The next slot to free: the entry whose departure brings n below the limit,
    // or the oldest one while below it.
    const qint64 freesAt =
        n > 0 ? log->at(qMax<qsizetype>(0, n - options.maxRequests)) + windowMs : now.steadyMs + windowMs;
    Result result;
    result.allowed = allowed;
    result.remaining = allowed ? int(qMax<qsizetype>(0, options.maxRequests - n)) : 0;
    result.resetAt = ceilDiv(now.unixMs + (freesAt - now.steadyMs), 1000);
    result.retryAfter = allowed ? 0 : int(qMax<qint64>(1, ceilDiv(freesAt - now.steadyMs, 1000)));
    result.limit = options.maxRequests;
    result.window = options.perSeconds;
    return result;
}

bool RateLimiter::reset(const QString &key)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_logs.find(key);
    if (it == m_logs.end())
        return false;
    const bool hadRequests = it->second.size() > 0;
    remove(it->second);
    return hadRequests;
}

int RateLimiter::sweep()
{
    std::lock_guard lock(m_mutex);
    const Instant now = m_clock();
    int dropped = 0;
    for (auto it = m_logs.begin(); it != m_logs.end();) {
        Log &log = it->second;
        prune(log, now.steadyMs, log.windowMs);
        if (log.size() == 0) {
            m_lru.remove(&log);
            it = m_logs.erase(it);
            ++dropped;
        } else {
            ++it;
        }
    }
    return dropped;
}

RateLimiter::Stats RateLimiter::stats() const
{
    std::lock_guard lock(m_mutex);
    return {qint64(m_logs.size()), m_timestamps, m_evictedKeys};
}

void RateLimiter::dropOldest(Log &log, qsizetype count)
{
    log.head += size_t(count);
    m_timestamps -= count;
    // Compact once the dead prefix is at least half the vector: each element is
    // moved O(1) times on average.
    if (log.head > 0 && log.head * 2 >= log.times.size()) {
        log.times.erase(log.times.begin(), log.times.begin() + qsizetype(log.head));
        log.head = 0;
        if (log.times.capacity() > 64 && log.times.capacity() > 4 * log.times.size())
            log.times.shrink_to_fit(); // a burst is over: give its memory back
    }
}

void RateLimiter::prune(Log &log, qint64 nowMs, qint64 windowMs)
{
    qsizetype expired = 0;
    while (expired < log.size() && log.at(expired) <= nowMs - windowMs)
        ++expired;
    if (expired > 0)
        dropOldest(log, expired);
}

void RateLimiter::remove(Log &log)
{
    m_timestamps -= log.size();
    m_lru.remove(&log);
    m_logs.erase(m_logs.find(*log.key));
}

QString RateLimiter::keyByIp(const QString &ip, const QString &route)
{
    return QStringLiteral("ip:") + normalizedIp(ip) + QLatin1Char(':') + route;
}

QString RateLimiter::keyByUser(const QString &userId, const QString &route)
{
    return QStringLiteral("user:") + userId + QLatin1Char(':') + route;
}

QString RateLimiter::keyByRoute(const QString &route)
{
    return QStringLiteral("route:") + route;
}

QString RateLimiter::keyByIpGlobal(const QString &ip)
{
    return QStringLiteral("ip:") + normalizedIp(ip);
}

QString RateLimiter::keyByUserGlobal(const QString &userId)
{
    return QStringLiteral("user:") + userId;
}

QString RateLimiter::normalizedIp(const QString &ip)
{
    QString address = ip.trimmed().toLower();
    static const QString mapped = QStringLiteral("::ffff:");
    if (address.startsWith(mapped) && address.contains(QLatin1Char('.')))
        address.remove(0, mapped.size());
    return address;
}

QString RateLimiter::idText(const QJsonValue &id)
{
    switch (id.type()) {
    case QJsonValue::String:
        return id.toString();
    case QJsonValue::Double: {
        const double number = id.toDouble();
        if (number == std::floor(number) && std::abs(number) < 9.007199254740992e15)
            return QString::number(qint64(number));
        return numberText(number);
    }
    case QJsonValue::Bool:
        return id.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(id.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(id.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

} // namespace Hearth
