#include "http/httplogging.h"

namespace Hearth {

Q_LOGGING_CATEGORY(lcHttp, "hearth.http")

} // namespace Hearth
