#include "auth/loginthrottle.h"

#include <QString>

namespace Hearth {

QByteArray LoginThrottle::key(const QString &address, const QString &email)
{
    return address.toUtf8() + '\n' + email.trimmed().toLower().toUtf8();
}

qint64 LoginThrottle::beginAttempt(const QByteArray &key, qint64 nowMs, int maxFailures, qint64 windowMs)
{
    std::lock_guard lock(m_mutex);
    if (!m_failures.contains(key) && m_failures.size() >= kMaxKeys)
        prune(nowMs, windowMs);
    std::deque<qint64> &times = m_failures[key];
    while (!times.empty() && times.front() <= nowMs - windowMs)
        times.pop_front();
    if (qsizetype(times.size()) >= maxFailures) {
        // Allowed again once enough failures have aged out of the window.
        const qint64 until = times[times.size() - maxFailures] + windowMs;
        return qMax<qint64>(1, (until - nowMs + 999) / 1000);
    }
    times.push_back(nowMs);
    if (times.size() > 1000) // a flood from one key: the recent failures are enough
        times.pop_front();
    return 0;
}

void LoginThrottle::recordSuccess(const QByteArray &key)
{
    std::lock_guard lock(m_mutex);
    m_failures.remove(key);
}

void LoginThrottle::prune(qint64 nowMs, qint64 windowMs)
{
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        if (it->empty() || it->back() <= nowMs - windowMs)
            it = m_failures.erase(it);
        else
            ++it;
    }
    if (m_failures.size() >= kMaxKeys) // still full of live keys: forget them rather than grow without bound
        m_failures.clear();
}

} // namespace Hearth
