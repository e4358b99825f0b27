#include "auth/routeaccess.h"

#include "core/apierror.h"
#include "schema/metadata.h"

namespace Hearth {

Caller requireCaller(const Authentication &authentication)
{
    switch (authentication.status) {
    case Authentication::Status::Authenticated:
        return authentication.caller;
    case Authentication::Status::ExpiredToken:
        throw ApiError(401, "TOKEN_EXPIRED", QStringLiteral("The access token has expired: refresh it"));
    case Authentication::Status::InvalidToken:
        throw ApiError(401, "INVALID_TOKEN", QStringLiteral("The access token is not valid"));
    case Authentication::Status::Anonymous:
        break;
    }
    throw ApiError(401, "UNAUTHORIZED", QStringLiteral("Sign in to use this route"));
}

bool isRouteGranted(const Metadata &metadata, qint64 routeId, const QByteArray &method, const Caller &caller)
{
    const QString name = QString::fromLatin1(method);
    for (const RoutePermission &p : metadata.routePermissions.value(routeId)) {
        if (!p.methods.contains(name))
            continue;
        if ((p.roleId != 0 && p.roleId == caller.roleId) || p.allowedUsers.contains(caller.userId))
            return true;
    }
    return false;
}

Caller checkRouteAccess(const Metadata &metadata, const RouteDef &route, const QByteArray &method,
                        const Authentication &authentication)
{
    if (route.publicMethods.contains(QString::fromLatin1(method)))
        return authentication.status == Authentication::Status::Authenticated ? authentication.caller
                                                                              : Caller{};
    const Caller caller = requireCaller(authentication);
    if (caller.isRootAdmin || isRouteGranted(metadata, route.id, method, caller))
        return caller;
    throw ApiError(403, "FORBIDDEN",
                   QStringLiteral("You may not %1 %2").arg(QString::fromLatin1(method), route.path));
}

} // namespace Hearth
