#pragma once

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace Hearth {

class ScriptEngine;
class ScriptWatchdog;

// The scripting of one worker thread: its current engine (made on first use,
// so a project without scripts pays nothing), and a heartbeat the watchdog
// reads to tell a spinning script from one that awaits. An interrupted engine,
// or one a script timed out on while awaiting, is retired: requests still
// holding it finish on it, new ones get a new one, and it is destroyed (its
// memory given back) as soon as the last of them ends.
class ScriptHost : public QObject
{
    Q_OBJECT
public:
    explicit ScriptHost(ScriptWatchdog &watchdog, QObject *parent = nullptr);
    ~ScriptHost() override;

    std::shared_ptr<ScriptEngine> engine();
    // No new request gets engine; it lives on only while requests hold it.
    void retire(const std::shared_ptr<ScriptEngine> &engine);
    ScriptWatchdog &watchdog() { return m_watchdog; }
    const std::atomic<qint64> *heartbeat() const { return &m_heartbeat; }

private:
    ScriptWatchdog &m_watchdog;
    std::shared_ptr<ScriptEngine> m_engine;
    std::atomic<qint64> m_heartbeat;
    QTimer m_beat;
};

} // namespace Hearth
