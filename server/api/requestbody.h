#pragma once

#include "http/httprequest.h"

#include <QJsonObject>

namespace Hearth {

// The JSON object a POST/PATCH carries. An empty body is {}; anything that
// is not a UTF-8 JSON object gets a 400 (415 for an upload content type).
QJsonObject parseJsonObjectBody(const HttpRequest &request);

} // namespace Hearth
