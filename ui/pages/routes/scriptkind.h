#pragma once

#include <QString>

namespace Hearth {

// The three kinds of stored script (API.md "Scripts: hooks and handlers").
enum class ScriptKind
{
    PreHook,
    PostHook,
    Handler
};

// Its table's path: /hearth_pre_hook, /hearth_post_hook, /hearth_route_handler.
inline QString scriptTablePath(ScriptKind kind)
{
    switch (kind) {
    case ScriptKind::PreHook:
        return QStringLiteral("/hearth_pre_hook");
    case ScriptKind::PostHook:
        return QStringLiteral("/hearth_post_hook");
    case ScriptKind::Handler:
        break;
    }
    return QStringLiteral("/hearth_route_handler");
}

// Its name in POST /admin/test/run's kind.
inline QString scriptRunKind(ScriptKind kind)
{
    switch (kind) {
    case ScriptKind::PreHook:
        return QStringLiteral("preHook");
    case ScriptKind::PostHook:
        return QStringLiteral("postHook");
    case ScriptKind::Handler:
        break;
    }
    return QStringLiteral("handler");
}

} // namespace Hearth
