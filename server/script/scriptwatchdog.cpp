#include "script/scriptwatchdog.h"

#include "script/scriptengine.h"

#include <QFile>
#include <QLoggingCategory>

#include <chrono>
#include <unistd.h>

namespace Hearth {

namespace {
Q_LOGGING_CATEGORY(lcWatchdog, "hearth.script.watchdog")
constexpr qint64 kTickMs = 50;
constexpr qint64 kStuckAfterMs = 150; // a worker away from its event loop this long is running a script
} // namespace

ScriptWatchdog::ScriptWatchdog() : m_thread(&ScriptWatchdog::run, this) {}

ScriptWatchdog::~ScriptWatchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

qint64 ScriptWatchdog::nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 ScriptWatchdog::residentMb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) / (1024 * 1024) : 0;
}

quint64 ScriptWatchdog::arm(const std::shared_ptr<ScriptEngine> &engine, const std::atomic<qint64> *heartbeat,
                            qint64 deadlineMs, QObject *target, Expired expired)
{
    std::lock_guard lock(m_mutex);
    const quint64 ticket = ++m_nextTicket;
    // No wake-up: the watchdog looks every tick, and a deadline is never shorter than a few ticks.
    m_entries.emplace(ticket, Entry{engine, heartbeat, deadlineMs, target, std::move(expired)});
    return ticket;
}

void ScriptWatchdog::disarm(quint64 ticket)
{
    std::lock_guard lock(m_mutex);
    m_entries.erase(ticket);
}

void ScriptWatchdog::fire(Entry &entry, Reason reason)
{
    entry.fired = true;
    const qint64 now = nowMs();
    const bool spinning = entry.heartbeat && now - entry.heartbeat->load() > kStuckAfterMs;
    if (const std::shared_ptr<ScriptEngine> engine = entry.engine.lock();
        engine && (spinning || reason == Reason::Memory))
        engine->interrupt(reason == Reason::Memory);
    // Posted under the lock: disarm() (before the target goes) waits for it, and
    // Qt drops events posted to an object that is then deleted.
    if (QObject *target = entry.target)
        QMetaObject::invokeMethod(
            target, [callback = entry.expired, reason] { callback(reason); }, Qt::QueuedConnection);
}

void ScriptWatchdog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, std::chrono::milliseconds(kTickMs));
        if (m_entries.empty())
            continue;
        const qint64 now = nowMs();
        for (auto &[ticket, entry] : m_entries)
            if (!entry.fired && now >= entry.deadlineMs)
                fire(entry, Reason::Timeout);
        const qint64 limit = m_memoryLimitMb.load();
        if (limit > 0 && residentMb() > limit) {
            qCWarning(lcWatchdog) << "process above the script memory limit of" << limit
                                  << "MB: stopping scripts";
            for (auto &[ticket, entry] : m_entries)
                if (!entry.fired)
                    fire(entry, Reason::Memory);
        }
    }
}

} // namespace Hearth
