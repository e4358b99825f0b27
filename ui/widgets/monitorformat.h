#pragma once

#include <QString>

// Figures of the monitor views (Cache, Server) as people read them.
namespace Hearth::MonitorFormat {

// "512 bytes", "1.4 MB" (the user's locale; 1 MB = 1024 × 1024 bytes, as the cacheLimitMb setting counts).
QString bytes(double bytes);
// "450 ms", "45 s", "4 min 59 s", "2 h 5 min", "3 d 4 h".
QString duration(double ms);
// "12", "12,345" in the user's locale; "0.4" for small fractions.
QString number(double value);
// "83.3 %" from 0.833.
QString percent(double fraction);

} // namespace Hearth::MonitorFormat
