#pragma once

#include "commandline.h"

namespace Hearth {

// True when a GUI can open: DISPLAY or WAYLAND_DISPLAY is set, or QT_QPA_PLATFORM names a platform.
bool displayAvailable();

// `hearth` with a display: the console window over an embedded server on the
// data folder (dataDirGiven: --data was on the command line; otherwise the
// platform's application data folder). Returns the exit code.
int runConsole(int &argc, char **argv, const CommandLine &commandLine, bool dataDirGiven);

} // namespace Hearth
