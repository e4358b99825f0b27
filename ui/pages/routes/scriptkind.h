#pragma once

#include <QJsonObject>
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

// A script as stored: its kind and its row.
struct StoredScript
{
    ScriptKind kind = ScriptKind::PreHook;
    QJsonObject row;
};

// How the console names a stored script: "pre:12", "post:3", "handler:7".
inline QString scriptKey(ScriptKind kind, qint64 id)
{
    const char *prefix = kind == ScriptKind::PreHook    ? "pre"
                         : kind == ScriptKind::PostHook ? "post"
                                                        : "handler";
    return QStringLiteral("%1:%2").arg(QLatin1StringView(prefix)).arg(id);
}

// The id of a script's route ({"id":…} or the bare id as the API gives it); 0 for none.
inline qint64 scriptRouteId(const QJsonObject &row)
{
    const QJsonValue route = row.value(u"route");
    return route.isObject() ? route.toObject().value(u"id").toInteger() : route.toInteger();
}

} // namespace Hearth
