#include "commandline.h"

namespace Hearth {

namespace {

const char *kHelp = R"(Hearth - a desktop backend: tables, a REST API, auth and scripts in one binary.

Usage:
  hearth [options]       open the console (or serve headless when no display is available)
  hearth serve [options] serve the API headless
  hearth admin reset-password --email EMAIL [--data DIR]
                         set a new password for a user (asked on the terminal, or one
                         line read from standard input) and end the user's sessions

Options for serve and the console:
  --data DIR             data folder (serve: ./hearth-data; console: ~/.local/share/Hearth)
  --listen ADDR:PORT     address to listen on (default 127.0.0.1:1105; 0.0.0.0 serves the LAN)
  --workers N            worker threads (default: number of cores, at least 2)
  --cors-origins LIST    comma-separated origins allowed by CORS, or * (default: none)
  --log-level LEVEL      debug, info (default; one line per request), warning or error
  -h, --help             show this help
  -v, --version          show the version
)";

bool parseListen(const QString &text, HttpServerConfig &config)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return false;
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host))
        return false;
    config.address = address;
    config.port = quint16(port);
    return true;
}

} // namespace

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine cl;
    cl.helpText = QString::fromLatin1(kHelp);
    auto fail = [&](const QString &message) {
        cl.command = CommandLine::Command::Error;
        cl.errorMessage = message;
        return cl;
    };
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        auto value = [&](QString *out) {
            if (i + 1 >= arguments.size())
                return false;
            *out = arguments[++i];
            return true;
        };
        QString v;
        if (arg == u"-h" || arg == u"--help")
            cl.command = CommandLine::Command::Help;
        else if (arg == u"-v" || arg == u"--version")
            cl.command = CommandLine::Command::Version;
        else if (arg == u"serve" && cl.command == CommandLine::Command::Console)
            cl.command = CommandLine::Command::Serve;
        else if (arg == u"admin" && cl.command == CommandLine::Command::Console) {
            if (i + 1 >= arguments.size() || arguments[i + 1] != u"reset-password")
                return fail(QStringLiteral("admin needs a task: hearth admin reset-password --email EMAIL"));
            ++i;
            cl.command = CommandLine::Command::ResetPassword;
        } else if (arg == u"--email") {
            if (!value(&cl.email) || !cl.email.contains(u'@'))
                return fail(QStringLiteral("--email needs an email address"));
        } else if (arg == u"--data") {
            if (!value(&cl.dataDir) || cl.dataDir.isEmpty())
                return fail(QStringLiteral("--data needs a folder"));
        } else if (arg == u"--listen") {
            if (!value(&v) || !parseListen(v, cl.server))
                return fail(QStringLiteral("--listen needs ADDR:PORT, e.g. 127.0.0.1:1105"));
        } else if (arg == u"--workers") {
            bool ok = false;
            const int n = value(&v) ? v.toInt(&ok) : 0;
            if (!ok || n < 1 || n > 256)
                return fail(QStringLiteral("--workers needs a number from 1 to 256"));
            cl.server.workerCount = n;
        } else if (arg == u"--cors-origins") {
            if (!value(&v))
                return fail(QStringLiteral("--cors-origins needs a list of origins"));
            for (const QString &origin : v.split(u',', Qt::SkipEmptyParts))
                cl.server.corsAllowedOrigins << origin.trimmed();
        } else if (arg == u"--log-level") {
            if (!value(&cl.logLevel) || !QStringList{QStringLiteral("debug"), QStringLiteral("info"),
                                                     QStringLiteral("warning"), QStringLiteral("error")}
                                             .contains(cl.logLevel))
                return fail(QStringLiteral("--log-level needs debug, info, warning or error"));
        } else {
            return fail(QStringLiteral("unknown argument: %1 (see hearth --help)").arg(arg));
        }
    }
    if (cl.command == CommandLine::Command::ResetPassword && cl.email.isEmpty())
        return fail(QStringLiteral("admin reset-password needs --email EMAIL"));
    return cl;
}

} // namespace Hearth
