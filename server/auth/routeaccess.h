#pragma once

#include "auth/caller.h"

#include <QByteArray>

namespace Hearth {

struct Metadata;
struct RouteDef;

// API.md "Route access", in order: a public method is open to anyone (a bad
// token there counts as no token); otherwise no caller → 401 (INVALID_TOKEN /
// TOKEN_EXPIRED for a bad token, UNAUTHORIZED for none); the root admin may;
// an enabled route permission for the caller's role or for the caller lists
// the method → allowed; else 403. Returns the caller the request runs as.
Caller checkRouteAccess(const Metadata &metadata, const RouteDef &route, const QByteArray &method,
                        const Authentication &authentication);

// The same for built-in routes that need a signed-in caller (/me, /auth/api-tokens).
Caller requireCaller(const Authentication &authentication);

// Whether an enabled route permission lets the caller use method on the route.
bool isRouteGranted(const Metadata &metadata, qint64 routeId, const QByteArray &method, const Caller &caller);

} // namespace Hearth
