#pragma once

#include <QByteArray>
#include <QHash>

#include <deque>
#include <mutex>

namespace Hearth {

// Counts failed logins per (client address, email). After maxFailures within
// the window, further attempts are refused until the oldest failure leaves the
// window. Shared by every worker; bounded in memory.
class LoginThrottle
{
public:
    // Seconds to wait before another attempt is allowed; 0 when allowed now.
    qint64 retryAfter(const QByteArray &key, qint64 nowMs, int maxFailures, qint64 windowMs);
    void recordFailure(const QByteArray &key, qint64 nowMs, qint64 windowMs);
    void recordSuccess(const QByteArray &key);

    static QByteArray key(const QString &address, const QString &email);

private:
    void prune(qint64 nowMs, qint64 windowMs);

    static constexpr qsizetype kMaxKeys = 100'000;
    std::mutex m_mutex;
    QHash<QByteArray, std::deque<qint64>> m_failures;
};

} // namespace Hearth
