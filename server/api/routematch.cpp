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
    if (slash <= 0)
        return match;
    if ((match.route = metadata.route(path.left(slash)))) {
        match.table = metadata.schema->table(match.route->mainTable);
        match.id = path.mid(slash + 1);
        match.hasId = true;
    }
    return match;
}

} // namespace Hearth
