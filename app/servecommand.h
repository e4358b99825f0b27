#pragma once

#include "commandline.h"

namespace Hearth {

// `hearth serve`: opens the data folder, serves the API until SIGINT/SIGTERM,
// then lets in-flight requests finish and closes the database. Returns the exit code.
int runServe(const CommandLine &commandLine);

} // namespace Hearth
