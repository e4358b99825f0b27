#pragma once

#include "schema/routedef.h"
#include "schema/schemamodel.h"

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
    QHash<QString, qsizetype> routeByPath; // exact path -> index in routes
    QJsonObject settings;                  // hearth_setting key -> value
    qint64 schemaRevision = 0;             // bumped by every schema change; part of confirm hashes

    const RouteDef *route(const QString &path) const
    {
        const auto it = routeByPath.constFind(path);
        return it == routeByPath.cend() ? nullptr : &routes[*it];
    }
};

using MetadataPtr = std::shared_ptr<const Metadata>;

} // namespace Hearth
