#include "engine/requestlog.h"

#include <QDateTime>

#include <cmath>

namespace Hearth {

int RequestLog::bucketOf(double ms)
{
    if (ms <= 0.05)
        return 0;
    const int bucket = int(std::ceil(std::log(ms / 0.05) / std::log(std::sqrt(2.0))));
    return qBound(0, bucket, kBuckets - 1);
}

double RequestLog::bucketUpperMs(int bucket)
{
    return 0.05 * std::pow(std::sqrt(2.0), bucket);
}

double RequestLog::percentile(const std::array<int, kBuckets> &histogram, int total, double fraction)
{
    if (total == 0)
        return 0;
    const int wanted = int(std::ceil(total * fraction));
    int seen = 0;
    for (int b = 0; b < kBuckets; ++b) {
        seen += histogram[b];
        if (seen >= wanted)
            return std::round(bucketUpperMs(b) * 100) / 100;
    }
    return bucketUpperMs(kBuckets - 1);
}

void RequestLog::record(const QByteArray &method, const QByteArray &path, int status, double ms,
                        const QString &user, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    m_records.push_back({++m_nextId, nowMs, method, path, status, ms, user});
    if (qsizetype(m_records.size()) > kCapacity)
        m_records.pop_front();
    const qint64 second = nowMs / 1000;
    Second &slot = m_seconds[size_t(second % kSeconds)];
    if (slot.second != second)
        slot = Second{second};
    ++slot.requests;
    if (status >= 500 || status == 408)
        ++slot.errors;
    ++slot.latency[size_t(bucketOf(ms))];
}

QJsonArray RequestLog::recent(int limit, quint64 afterId, const QString &text) const
{
    std::lock_guard lock(m_mutex);
    QJsonArray out;
    for (auto it = m_records.rbegin(); it != m_records.rend() && out.size() < limit; ++it) {
        if (it->id <= afterId)
            break;
        const QString method = QString::fromLatin1(it->method);
        const QString path = QString::fromUtf8(it->path);
        if (!text.isEmpty() && !method.contains(text, Qt::CaseInsensitive) &&
            !path.contains(text, Qt::CaseInsensitive) && !QString::number(it->status).startsWith(text) &&
            !it->user.contains(text, Qt::CaseInsensitive))
            continue;
        out.append(
            QJsonObject{{QStringLiteral("id"), double(it->id)},
                        {QStringLiteral("time"),
                         QDateTime::fromMSecsSinceEpoch(it->timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
                        {QStringLiteral("method"), method},
                        {QStringLiteral("path"), path},
                        {QStringLiteral("status"), it->status},
                        {QStringLiteral("ms"), std::round(it->ms * 10) / 10},
                        {QStringLiteral("user"), it->user.isEmpty() ? QJsonValue() : QJsonValue(it->user)}});
    }
    return out;
}

QJsonObject RequestLog::statistics(qint64 nowMs) const
{
    std::lock_guard lock(m_mutex);
    const qint64 now = nowMs / 1000;
    std::array<int, kBuckets> minute{};
    int minuteRequests = 0;
    QJsonArray series;
    int lastFullSecond = 0, lastFullErrors = 0;
    for (qint64 second = now - kSeconds + 1; second <= now; ++second) {
        const Second &slot = m_seconds[size_t(second % kSeconds)];
        const bool current = slot.second == second;
        const int requests = current ? slot.requests : 0;
        const int errors = current ? slot.errors : 0;
        if (current)
            for (int b = 0; b < kBuckets; ++b)
                minute[size_t(b)] += slot.latency[size_t(b)];
        minuteRequests += requests;
        if (second == now - 1) { // the last complete second
            lastFullSecond = requests;
            lastFullErrors = errors;
        }
        series.append(
            QJsonObject{{QStringLiteral("t"), double(second * 1000)},
                        {QStringLiteral("requests"), requests},
                        {QStringLiteral("errors"), errors},
                        {QStringLiteral("p50"), current ? percentile(slot.latency, requests, 0.5) : 0},
                        {QStringLiteral("p99"), current ? percentile(slot.latency, requests, 0.99) : 0}});
    }
    return {{QStringLiteral("requestsPerSecond"), lastFullSecond},
            {QStringLiteral("errorsPerSecond"), lastFullErrors},
            {QStringLiteral("requestsLastMinute"), minuteRequests},
            {QStringLiteral("latencyMs"),
             QJsonObject{{QStringLiteral("p50"), percentile(minute, minuteRequests, 0.5)},
                         {QStringLiteral("p95"), percentile(minute, minuteRequests, 0.95)},
                         {QStringLiteral("p99"), percentile(minute, minuteRequests, 0.99)}}},
            {QStringLiteral("series"), series}};
}

} // namespace Hearth
