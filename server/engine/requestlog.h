#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <array>
#include <deque>
#include <mutex>

namespace Hearth {

// What the console's Server view shows: the last requests, and requests per
// second with latency percentiles over the last minute. Shared by all
// workers; recording costs a lock and a few additions.
class RequestLog
{
public:
    struct Record
    {
        quint64 id = 0;
        qint64 timeMs = 0; // epoch ms when answered
        QByteArray method;
        QByteArray path;
        int status = 0;
        double ms = 0;
        QString user; // email, empty when anonymous
    };

    void record(const QByteArray &method, const QByteArray &path, int status, double ms, const QString &user,
                qint64 nowMs);
    // Newest first; only records after afterId, matching text (method, path, status or user).
    QJsonArray recent(int limit, quint64 afterId = 0, const QString &text = {}) const;
    // {requestsPerSecond, errorsPerSecond, latencyMs:{p50,p95,p99}, series:[{t, requests, errors, p50, p99}]}
    QJsonObject statistics(qint64 nowMs) const;

private:
    static constexpr qsizetype kCapacity = 1000;
    static constexpr int kSeconds = 60;
    static constexpr int kBuckets = 32; // latency histogram: powers of √2 from 0.05 ms
    struct Second
    {
        qint64 second = -1;
        int requests = 0;
        int errors = 0;
        std::array<int, kBuckets> latency{};
    };
    static int bucketOf(double ms);
    static double bucketUpperMs(int bucket);
    static double percentile(const std::array<int, kBuckets> &histogram, int total, double fraction);

    mutable std::mutex m_mutex;
    std::deque<Record> m_records;
    quint64 m_nextId = 0;
    std::array<Second, kSeconds> m_seconds{};
};

} // namespace Hearth
