#pragma once

#include <QJsonObject>

namespace Hearth {

// $ctx.$env: the process environment without anything that looks like a
// secret (names with KEY, SECRET, TOKEN, PASSWORD, PASS, CREDENTIAL, PRIVATE,
// AUTH) and without Hearth's own admin and key variables. Read once.
const QJsonObject &scriptEnvironment();

} // namespace Hearth
