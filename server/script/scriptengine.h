#pragma once

#include "schema/scriptdef.h"

#include <QHash>
#include <QJSValue>
#include <QString>

#include <atomic>
#include <memory>

class QJSEngine;

namespace Hearth {

// A compile failure, with the script's own line.
struct ScriptCompileError
{
    QString message;
    int line = 0;
};

// One QJSEngine with the Hearth runtime (async driver, $ctx builder) and the
// compiled entry functions of stored scripts, cached by id and version so a
// changed script compiles again on its next use. Lives on one worker thread.
class ScriptEngine
{
public:
    ScriptEngine();
    ~ScriptEngine();
    ScriptEngine(const ScriptEngine &) = delete;
    ScriptEngine &operator=(const ScriptEngine &) = delete;

    QJSEngine &js() { return *m_js; }

    // Runs a script's function with its $ctx: the value it returned (maybe a
    // Promise), or what it threw — any value, not only Errors.
    struct Outcome
    {
        QJSValue value;
        bool threw = false;
    };
    Outcome call(const QJSValue &function, const QJSValue &ctx);

    // The function (ctx) => Promise of a stored script; on failure an invalid
    // QJSValue and *error set.
    QJSValue function(const ScriptDef &script, ScriptCompileError *error);
    // The same for a script that is not stored (the console's Run button).
    QJSValue compile(const QString &source, const QString &fileName, ScriptCompileError *error);

    // From the watchdog thread: stops the script running now. The engine
    // then takes no new work (retired) and is dropped when idle.
    void interrupt(bool forMemory = false);
    bool isInterrupted() const { return m_interrupted.load(); }
    bool wasInterruptedForMemory() const { return m_forMemory.load(); }
    // Takes no new requests; the requests still on it finish, then it is
    // destroyed, and with it whatever a timed-out script left running in it.
    void retire() { m_retired.store(true); }
    bool isRetired() const { return m_retired.load() || m_interrupted.load(); }

private:
    std::unique_ptr<QJSEngine> m_js;
    struct Compiled
    {
        QByteArray version;
        QString source; // the version is the row's updatedAt (ms): two edits may share it
        QJSValue function;
    };
    QHash<qint64, Compiled> m_compiled;
    QJSValue m_call;   // __hearth_call
    QJSValue m_thrown; // __hearth_thrown
    std::atomic<bool> m_interrupted{false};
    std::atomic<bool> m_forMemory{false};
    std::atomic<bool> m_retired{false};
};

} // namespace Hearth
