#pragma once

#include "http/httpserverconfig.h"

#include <QString>
#include <QStringList>

namespace Hearth {

// What the user asked for on the command line.
struct CommandLine
{
    enum class Command
    {
        Console,
        Serve,
        ResetPassword,
        Help,
        Version,
        Error
    };
    Command command = Command::Console;
    QString dataDir = QStringLiteral("hearth-data");
    HttpServerConfig server;
    QString logLevel = QStringLiteral("info"); // debug, info, warning, error
    QString email;                             // admin reset-password --email
    QString errorMessage;
    QString helpText;
};

CommandLine parseCommandLine(const QStringList &arguments);

} // namespace Hearth
