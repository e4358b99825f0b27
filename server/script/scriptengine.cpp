#include "script/scriptengine.h"

#include "script/asyncruntime.h"
#include "script/ctxprelude.h"
#include "script/scriptenvironment.h"
#include "script/scripthelpersprelude.h"
#include "script/scripttransformer.h"

#include <QJSEngine>
#include <QLoggingCategory>

#include <mutex>

namespace Hearth {

namespace {
Q_LOGGING_CATEGORY(lcScript, "hearth.script")

// QV4 marks a string built by prepending in a loop (s = x + s, or slices of
// such strings) one level at a time on its GC mark stack, and aborts the
// whole process (qFatal "GC mark stack overrun") when that stack (2 MB by
// default) is full: a few hundred thousand iterations do it. The stack is
// only reserved, so a larger one costs nothing until used; at 512 MB such a
// string needs gigabytes, and the script memory limit stops it first. Set
// once, before the first engine, unless the environment already sets it.
QJSEngine *makeJsEngine()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (!qEnvironmentVariableIsSet("QV4_GC_MAX_STACK_SIZE"))
            qputenv("QV4_GC_MAX_STACK_SIZE", QByteArray::number(512 * 1024 * 1024));
    });
    return new QJSEngine;
}

} // namespace

ScriptEngine::ScriptEngine() : m_js(makeJsEngine())
{
    installAsyncRuntime(*m_js);
    m_js->globalObject().setProperty(QStringLiteral("__hearth_env"),
                                     m_js->toScriptValue(scriptEnvironment()));
    // Shared by every request on this engine: read-only, so no script can change it for the next.
    m_js->evaluate(QStringLiteral("Object.freeze(__hearth_env);"));
    const QJSValue prelude = m_js->evaluate(ctxPreludeSource(), QStringLiteral("hearth:ctx"));
    if (prelude.isError())
        qCCritical(lcScript) << "ctx prelude failed:" << prelude.toString();
    const QJSValue helpers = m_js->evaluate(scriptHelpersPreludeSource(), QStringLiteral("hearth:helpers"));
    if (helpers.isError())
        qCCritical(lcScript) << "helpers prelude failed:" << helpers.toString();
}

ScriptEngine::~ScriptEngine() = default;

QJSValue ScriptEngine::compile(const QString &source, const QString &fileName, ScriptCompileError *error)
{
    const ScriptTransformResult transformed = ScriptTransformer::transform(source);
    if (!transformed.ok()) {
        *error = {transformed.error, transformed.errorLine};
        return {};
    }
    const QJSValue function = m_js->evaluate(transformed.code, fileName, 1);
    if (function.isError()) {
        *error = {function.property(QStringLiteral("message")).toString(),
                  function.property(QStringLiteral("lineNumber")).toInt()};
        return {};
    }
    return function;
}

QJSValue ScriptEngine::function(const ScriptDef &script, ScriptCompileError *error)
{
    const qint64 key = (qint64(script.kind) << 48) | script.id; // ids are per kind
    const auto it = m_compiled.constFind(key);
    if (it != m_compiled.cend() && it->version == script.version && it->source == script.sourceCode)
        return it->function;
    const QJSValue function = compile(script.sourceCode, script.label(), error);
    if (!function.isUndefined())
        m_compiled.insert(key, {script.version, script.sourceCode, function});
    return function;
}

ScriptEngine::Outcome ScriptEngine::call(const QJSValue &function, const QJSValue &ctx)
{
    if (m_call.isUndefined()) {
        m_call = m_js->globalObject().property(QStringLiteral("__hearth_call"));
        m_thrown = m_js->globalObject().property(QStringLiteral("__hearth_thrown"));
    }
    Outcome outcome;
    outcome.value = m_call.call({function, ctx});
    if (outcome.value.isObject() && m_thrown.call({outcome.value}).toBool()) {
        outcome.threw = true;
        outcome.value = outcome.value.property(QStringLiteral("error"));
    }
    return outcome;
}

void ScriptEngine::interrupt(bool forMemory)
{
    if (forMemory)
        m_forMemory.store(true);
    m_interrupted.store(true);
    m_js->setInterrupted(true);
}

} // namespace Hearth
