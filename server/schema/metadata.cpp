#include "schema/metadata.h"

#include <algorithm>

namespace Hearth {

QList<const ScriptDef *> Metadata::hooksFor(ScriptDef::Kind kind, qint64 routeId, const QString &method) const
{
    const QList<ScriptDef> &all = kind == ScriptDef::Kind::PreHook ? preHooks : postHooks;
    QList<const ScriptDef *> out;
    for (const ScriptDef &hook : all)
        if ((hook.isGlobal || hook.routeId == routeId) && hook.appliesTo(method))
            out.append(&hook);
    std::stable_sort(out.begin(), out.end(), [](const ScriptDef *a, const ScriptDef *b) {
        if (a->priority != b->priority)
            return a->priority < b->priority;
        return a->isGlobal && !b->isGlobal;
    });
    return out;
}

bool Metadata::hasScripts(qint64 routeId) const
{
    if (handlers.contains(routeId))
        return true;
    for (const QList<ScriptDef> *list : {&preHooks, &postHooks})
        for (const ScriptDef &hook : *list)
            if (hook.isGlobal || hook.routeId == routeId)
                return true;
    return false;
}

} // namespace Hearth
