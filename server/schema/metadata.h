#pragma once

#include "auth/permissionmodel.h"
#include "schema/routedef.h"
#include "schema/schemamodel.h"
#include "schema/scriptdef.h"

#include <QHash>
#include <QJsonObject>

#include <memory>

namespace Hearth {

// Everything the request path reads about the project: tables, routes,
// settings. Immutable; a change builds a new one and swaps the pointer, so a
// request keeps a consistent view from start to end.
struct Metadata
{
    SchemaPtr schema;
    QList<RouteDef> routes;
    QHash<QString, qsizetype> routeByPath;                   // exact path -> index in routes
    QJsonObject settings;                                    // hearth_setting key -> value
    QHash<qint64, QList<RoutePermission>> routePermissions;  // route id -> its enabled permissions
    QHash<QString, QList<FieldPermission>> fieldPermissions; // table -> its enabled field rules
    QList<ScriptDef> preHooks;                               // enabled, global and per route
    QList<ScriptDef> postHooks;
    QHash<qint64, QHash<QString, ScriptDef>> handlers; // route id -> method -> handler
    QList<qsizetype> patternRoutes;                    // routes whose path has :params
    qint64 schemaRevision = 0; // bumped by every schema change; part of confirm hashes

    // A setting as a number, or fallback when absent or not a number.
    double numberSetting(const char *key, double fallback) const
    {
        const QJsonValue v = settings.value(QLatin1StringView(key));
        return v.isDouble() ? v.toDouble() : fallback;
    }
    QString stringSetting(const char *key, const QString &fallback) const
    {
        const QJsonValue v = settings.value(QLatin1StringView(key));
        return v.isString() ? v.toString() : fallback;
    }

    // The hooks of one kind that run for method on the route, in order: enabled
    // global hooks and the route's own, stable-sorted by priority, globals first on ties.
    QList<const ScriptDef *> hooksFor(ScriptDef::Kind kind, qint64 routeId, const QString &method) const;
    const ScriptDef *handlerFor(qint64 routeId, const QString &method) const
    {
        const auto route = handlers.constFind(routeId);
        if (route == handlers.cend())
            return nullptr;
        const auto it = route->constFind(method);
        return it == route->cend() ? nullptr : &*it;
    }
    bool hasScripts(qint64 routeId) const; // any hook or handler that may run on the route

    const RouteDef *route(const QString &path) const
    {
        const auto it = routeByPath.constFind(path);
        return it == routeByPath.cend() ? nullptr : &routes[*it];
    }
};

using MetadataPtr = std::shared_ptr<const Metadata>;

} // namespace Hearth
