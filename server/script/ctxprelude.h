#pragma once

#include <QString>

namespace Hearth {

// The JavaScript that builds $ctx (API.md "Scripts") around a request's
// native bridge: __hearth_ctx(bridge, init). Evaluated once per engine.
QString ctxPreludeSource();

} // namespace Hearth
