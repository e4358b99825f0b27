#include "consolecommand.h"

#include "embeddedserver.h"
#include "secrets/secretstore.h"
#include "shell/consolesettings.h"
#include "shell/icons.h"
#include "shell/mainwindow.h"
#include "shell/theme.h"
#include "unixsignalwatcher.h"

#include <QApplication>
#include <QStandardPaths>

namespace Hearth {

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

int runConsole(int &argc, char **argv, const CommandLine &commandLine, bool dataDirGiven)
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Hearth"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HEARTH_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Hearth"));
    QGuiApplication::setDesktopFileName(QStringLiteral("hearth"));
    QGuiApplication::setWindowIcon(Icons::app());

    // The desktop's colors are read before Fusion and Hearth's palette replace them.
    Theme::captureSystemPalette();
    Theme::apply(ConsoleSettings::instance().colorScheme());
    QObject::connect(&ConsoleSettings::instance(), &ConsoleSettings::colorSchemeChanged, &app,
                     [](Theme::ColorScheme scheme) { Theme::apply(scheme); });

    const QString dataDir = dataDirGiven ? commandLine.dataDir
                                         : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    HttpServerConfig config = commandLine.server;
    // One log line per request would mostly be the console's own polling.
    config.logRequests = false;

    SecretStore secrets;
    EmbeddedServer server(dataDir, config, &secrets);
    MainWindow window(&server, &secrets);
    window.show();
    server.start();

    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, &app,
                     [] { QCoreApplication::quit(); });
    const int code = QApplication::exec();
    server.shutdown(); // requests in flight finish, the database closes
    return code;
}

} // namespace Hearth
