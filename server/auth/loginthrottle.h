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
    // Checks and counts in one step: an attempt allowed now is counted as a
    // failure before its password is checked (and 0 returned), so concurrent
    // guesses on several workers see each other and never exceed maxFailures.
    // Otherwise nothing is counted and the seconds to wait are returned.
    qint64 beginAttempt(const QByteArray &key, qint64 nowMs, int maxFailures, qint64 windowMs);
    // The password was right: the key's failures are forgotten.
    void recordSuccess(const QByteArray &key);

    static QByteArray key(const QString &address, const QString &email);

private:
    void prune(qint64 nowMs, qint64 windowMs);

    static constexpr qsizetype kMaxKeys = 100'000;
    std::mutex m_mutex;
    QHash<QByteArray, std::deque<qint64>> m_failures;
};

} // namespace Hearth
