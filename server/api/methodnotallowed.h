#pragma once

#include "http/httprequest.h"
#include "http/httpresponse.h"

namespace Hearth {

// 405 METHOD_NOT_ALLOWED in the error envelope, with the Allow header
// ("GET, HEAD, POST"): what every route class answers to a method it has not.
HttpResponse methodNotAllowed(const HttpRequest &request, const QByteArray &allow);

} // namespace Hearth
