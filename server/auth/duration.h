#pragma once

#include <QStringView>

#include <optional>

namespace Hearth {

// Seconds in a duration setting: a non-negative decimal integer, optionally followed
// by one unit s (seconds), m (minutes), h (hours), d (days) or w (weeks): "30s",
// "15m", "1h", "7d", "2w", or "900" for plain seconds. Strict: no sign, spaces,
// fractions, upper-case units or combinations ("1h30m"); empty text or a result
// beyond qint64 gives nullopt.
std::optional<qint64> parseDurationSeconds(QStringView text);

} // namespace Hearth
