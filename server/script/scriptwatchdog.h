#pragma once

#include <QObject>
#include <QPointer>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace Hearth {

class ScriptEngine;

// Watches running scripts from a thread of its own (API.md: a script past its
// timeout → 408 SCRIPT_TIMEOUT; one that allocates without bound is stopped
// before it takes the process down).
//
// A script is armed with a deadline. When it passes, the watchdog tells the
// request (a queued call on its thread, so a suspended script ends at once)
// and, if that worker has not been back in its event loop lately (a script
// spinning), interrupts the engine, which JavaScript cannot catch. When the
// process grows past the memory limit, every engine with an armed script is
// interrupted. An interrupted engine is retired by its owner.
class ScriptWatchdog
{
public:
    enum class Reason
    {
        Timeout,
        Memory
    };
    using Expired = std::function<void(Reason)>; // called on the target's thread

    ScriptWatchdog();
    ~ScriptWatchdog();

    // heartbeat: the worker's last visit to its event loop (ms, steady clock).
    quint64 arm(const std::shared_ptr<ScriptEngine> &engine, const std::atomic<qint64> *heartbeat,
                qint64 deadlineMs, QObject *target, Expired expired);
    void disarm(quint64 ticket);

    void setMemoryLimitMb(qint64 megabytes) { m_memoryLimitMb.store(megabytes); }
    static qint64 nowMs();      // steady clock
    static qint64 residentMb(); // this process

private:
    void run();
    struct Entry
    {
        std::weak_ptr<ScriptEngine> engine;
        const std::atomic<qint64> *heartbeat;
        qint64 deadlineMs;
        QObject *target; // alive while armed: its owner disarms before deleting it
        Expired expired;
        bool fired = false;
    };
    void fire(Entry &entry, Reason reason);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<quint64, Entry> m_entries;
    quint64 m_nextTicket = 0;
    bool m_stopping = false;
    std::atomic<qint64> m_memoryLimitMb{1024};
    std::thread m_thread;
};

} // namespace Hearth
