#include "commandline.h"
#ifdef HEARTH_GUI
#include "consolecommand.h"
#endif
#include "resetpasswordcommand.h"
#include "servecommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

namespace {

void applyLogLevel(const QString &level)
{
    QString rules = QStringLiteral("*.debug=false\n");
    if (level == u"debug")
        rules = QStringLiteral("hearth.*.debug=true\n");
    else if (level == u"warning")
        rules += QStringLiteral("*.info=false\n");
    else if (level == u"error")
        rules += QStringLiteral("*.info=false\n*.warning=false\n");
    QLoggingCategory::setFilterRules(rules);
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{type} %{category}: %{message}"));
}

} // namespace

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const Hearth::CommandLine cl = Hearth::parseCommandLine(arguments);
#ifdef HEARTH_GUI
    // The console needs a QApplication; without a display, `hearth` serves headless below.
    if (cl.command == Hearth::CommandLine::Command::Console && Hearth::displayAvailable()) {
        applyLogLevel(cl.logLevel);
        return Hearth::runConsole(argc, argv, cl, arguments.contains(QStringLiteral("--data")));
    }
#endif
    // Headless, Qt's own event dispatcher: the glib one costs two extra
    // wake-up syscalls per request on every worker.
    if (cl.command == Hearth::CommandLine::Command::Serve && !qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Hearth"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HEARTH_VERSION));
    switch (cl.command) {
    case Hearth::CommandLine::Command::Help:
        std::fputs(qPrintable(cl.helpText), stdout);
        return 0;
    case Hearth::CommandLine::Command::Version:
        std::printf("hearth %s\n", HEARTH_VERSION);
        return 0;
    case Hearth::CommandLine::Command::Error:
        std::fprintf(stderr, "hearth: %s\n", qPrintable(cl.errorMessage));
        return 2;
    case Hearth::CommandLine::Command::ResetPassword:
        applyLogLevel(QStringLiteral("warning"));
        return Hearth::runResetPassword(cl);
    case Hearth::CommandLine::Command::Console: // no display (or no GUI built): serve headless
    case Hearth::CommandLine::Command::Serve:
        applyLogLevel(cl.logLevel);
        return Hearth::runServe(cl);
    }
    return 0;
}
