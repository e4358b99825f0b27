#include "api/routematch.h"

namespace Hearth {

RouteMatch matchRoute(const Metadata &metadata, const QByteArray &decodedPath)
{
    QString path = QString::fromUtf8(decodedPath);
    while (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    RouteMatch match;
    if ((match.route = metadata.route(path))) {
        match.table = metadata.schema->table(match.route->mainTable);
        return match;
    }
    const qsizetype slash = path.lastIndexOf(u'/');
    if (slash > 0) {
        const RouteDef *collection = metadata.route(path.left(slash));
        if (collection && !collection->mainTable.isEmpty()) {
            match.route = collection;
            match.table = metadata.schema->table(collection->mainTable);
            match.id = path.mid(slash + 1);
            match.hasId = true;
            match.params.insert(QStringLiteral("id"), match.id);
            return match;
        }
    }
    const QStringList segments = path.split(u'/');
    for (qsizetype index : metadata.patternRoutes) {
        const RouteDef &route = metadata.routes[index];
        const QStringList pattern = route.path.split(u'/');
        if (pattern.size() != segments.size())
            continue;
        QJsonObject params;
        bool matches = true;
        for (qsizetype i = 0; i < pattern.size() && matches; ++i) {
            if (pattern[i].startsWith(u':') && !segments[i].isEmpty())
                params.insert(pattern[i].mid(1), segments[i]);
            else
                matches = pattern[i] == segments[i];
        }
        if (matches) {
            match.route = &route;
            match.table = metadata.schema->table(route.mainTable);
            match.params = params;
            return match;
        }
    }
    return match;
}

} // namespace Hearth
