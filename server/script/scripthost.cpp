#include "script/scripthost.h"

#include "script/scriptengine.h"
#include "script/scriptwatchdog.h"

namespace Hearth {

ScriptHost::ScriptHost(ScriptWatchdog &watchdog, QObject *parent)
    : QObject(parent), m_watchdog(watchdog), m_heartbeat(ScriptWatchdog::nowMs())
{
    m_beat.setInterval(25);
    connect(&m_beat, &QTimer::timeout, this, [this] { m_heartbeat.store(ScriptWatchdog::nowMs()); });
    m_beat.start();
}

ScriptHost::~ScriptHost() = default;

std::shared_ptr<ScriptEngine> ScriptHost::engine()
{
    m_heartbeat.store(ScriptWatchdog::nowMs()); // a script is about to start from the event loop
    if (!m_engine || m_engine->isRetired())
        m_engine = std::make_shared<ScriptEngine>();
    return m_engine;
}

void ScriptHost::retire(const std::shared_ptr<ScriptEngine> &engine)
{
    if (!engine)
        return;
    engine->retire();
    if (m_engine == engine)
        m_engine.reset();
}

} // namespace Hearth
