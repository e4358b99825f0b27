#pragma once

#include "schema/metadata.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Hearth {

// Which route a path names: "/posts" is the collection of route /posts,
// "/posts/12" its item 12; otherwise a route with :params segments
// ("/reports/:year/summary"). A trailing slash is ignored.
struct RouteMatch
{
    const RouteDef *route = nullptr;
    const TableDef *table = nullptr;
    QString id; // the item segment, empty for the collection
    bool hasId = false;
    QJsonObject params; // the route's :name segments ({"id": …} for an item), as $ctx.$params
};

RouteMatch matchRoute(const Metadata &metadata, const QByteArray &decodedPath);

} // namespace Hearth
