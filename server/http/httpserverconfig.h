#pragma once

#include "http/httplimits.h"

#include <QHostAddress>
#include <QStringList>

namespace Hearth {

struct HttpServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 1105;  // 0 = ephemeral (tests)
    int workerCount = 0;  // 0 = number of cores, at least 2
    HttpLimits limits;
    QStringList corsAllowedOrigins; // exact origins, or "*"; empty = no CORS headers, preflight refused
    bool logRequests = true;        // one info line per request: method path status ms
    int shutdownGraceMs = 10'000;   // stop(): how long in-flight requests may take to finish
    QString uploadDirectory;        // where upload bodies are streamed; empty = QDir::tempPath()
};

} // namespace Hearth
