#pragma once

#include "commandline.h"

namespace Hearth {

// `hearth admin reset-password --email E`: for an owner locked out of their
// project. Works on the data folder directly, also while a server runs.
int runResetPassword(const CommandLine &commandLine);

} // namespace Hearth
