#pragma once

#include <QLoggingCategory>

namespace Hearth {

// "hearth.http": one info line per request, warnings for handler failures.
Q_DECLARE_LOGGING_CATEGORY(lcHttp)

} // namespace Hearth
