#include "script/scriptengine.h"

#include "script/asyncruntime.h"
#include "script/ctxprelude.h"
#include "script/scriptenvironment.h"
#include "script/scripthelpersprelude.h"
#include "script/scripttransformer.h"

#include <QJSEngine>
#include <QLoggingCategory>

namespace Hearth {

namespace {
Q_LOGGING_CATEGORY(lcScript, "hearth.script")
}

ScriptEngine::ScriptEngine() : m_js(std::make_unique<QJSEngine>())
{
    installAsyncRuntime(*m_js);
    m_js->globalObject().setProperty(QStringLiteral("__hearth_env"),
                                     m_js->toScriptValue(scriptEnvironment()));
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
    if (it != m_compiled.cend() && it->version == script.version)
        return it->function;
    const QJSValue function = compile(script.sourceCode, script.label(), error);
    if (!function.isUndefined())
        m_compiled.insert(key, {script.version, function});
    return function;
}

void ScriptEngine::interrupt(bool forMemory)
{
    if (forMemory)
        m_forMemory.store(true);
    m_interrupted.store(true);
    m_js->setInterrupted(true);
}

} // namespace Hearth
