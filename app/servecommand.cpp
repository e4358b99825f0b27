#include "servecommand.h"

#include "api/apirequesthandler.h"
#include "engine/engine.h"
#include "http/httpserver.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>

#include <cstdio>

namespace Hearth {

Q_LOGGING_CATEGORY(lcServe, "hearth.serve")

int runServe(const CommandLine &commandLine)
{
    EngineConfig config;
    config.dataDir = commandLine.dataDir;
    config.adminEmail = qEnvironmentVariable("HEARTH_ADMIN_EMAIL");
    config.adminPassword = qEnvironmentVariable("HEARTH_ADMIN_PASSWORD");
    Engine engine(config);
    try {
        engine.open();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "hearth: cannot open %s: %s\n", qPrintable(commandLine.dataDir), e.what());
        return 1;
    }
    if (!engine.generatedAdminPassword().isEmpty()) {
        // Shown this once: only its bcrypt hash is kept.
        std::printf("\nCreated the root admin %s with password:\n\n    %s\n\n"
                    "It is shown only now. Change it with PATCH /me, or reset it with\n"
                    "`hearth admin reset-password --email %s`.\n\n",
                    qPrintable(engine.adminEmail()), qPrintable(engine.generatedAdminPassword()),
                    qPrintable(engine.adminEmail()));
        std::fflush(stdout);
    }
    HttpServer server(commandLine.server, std::make_shared<ApiRequestHandlerFactory>(engine));
    engine.setServerStatsProvider([&server] { return server.stats().toJson(); });
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "hearth: cannot listen on %s:%u: %s\n",
                     qPrintable(commandLine.server.address.toString()), commandLine.server.port,
                     qPrintable(error));
        return 1;
    }
    const QString host = server.address().protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + server.address().toString() + QLatin1Char(']')
                             : server.address().toString();
    qCInfo(lcServe).noquote() << QStringLiteral("Hearth %1 serving http://%2:%3 with %4 workers, data in %5")
                                     .arg(QStringLiteral(HEARTH_VERSION), host)
                                     .arg(server.port())
                                     .arg(server.stats().workerCount)
                                     .arg(QDir(commandLine.dataDir).absolutePath());

    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, [&](int signalNumber) {
        qCInfo(lcServe) << "signal" << signalNumber << "received: finishing in-flight requests";
        server.stop();
        QCoreApplication::quit();
    });
    const int code = QCoreApplication::exec();
    server.stop();
    engine.setServerStatsProvider({});
    qCInfo(lcServe) << "stopped";
    return code;
}

} // namespace Hearth
