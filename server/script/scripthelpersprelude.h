#pragma once

#include <QString>

namespace Hearth {

// The JavaScript of $ctx.$helpers and $ctx.$cache (API.md "Scripts"):
// __hearth_helpers(bridge, ctx) and __hearth_cache(bridge, ctx), which the
// $ctx prelude calls, over the request's ScriptHelpers (bridge.helpers).
// Evaluated once per engine.
//
// Where Enfyra's helpers are synchronous (autoSlug, $crypto but
// generateSshKeyPair) they return plain values; the others return Promises.
// `await` takes both. Argument errors are thrown (or rejected) as TypeError or
// RangeError whose lineNumber is the calling script's line.
QString scriptHelpersPreludeSource();

} // namespace Hearth
