#pragma once

#include <QJsonObject>

namespace Hearth {

// Rules every write of a hearth_user row follows, wherever it comes from
// (/hearth_user, /me, scripts): emails are stored trimmed and lower-case,
// and must look like an address. Throws ApiError 400.
void normalizeUserBody(QJsonObject &body);

} // namespace Hearth
