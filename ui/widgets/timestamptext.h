#pragma once

#include <QString>

#include <optional>

namespace Hearth {

// A server timestamp ("2026-11-22T02:28:40.453Z", UTC) as people read it, in
// local time: "2026-11-22 03:28:40". Empty when text is not such a timestamp.
std::optional<QString> readableTimestamp(const QString &text);

} // namespace Hearth
