#pragma once

#include "schema/metadata.h"

#include <QByteArray>
#include <QString>

namespace Hearth {

// Which route a path names: "/posts" is the collection of route /posts,
// "/posts/12" its item 12. A trailing slash is ignored.
struct RouteMatch
{
    const RouteDef *route = nullptr;
    const TableDef *table = nullptr;
    QString id; // the item segment, empty for the collection
    bool hasId = false;
};

RouteMatch matchRoute(const Metadata &metadata, const QByteArray &decodedPath);

} // namespace Hearth
