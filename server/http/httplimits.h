#pragma once

#include <QtGlobal>

namespace Hearth {

// Every limit of the HTTP layer; defaults are DESIGN.md's table.
struct HttpLimits
{
    int maxRequestLineBytes = 8 * 1024;      // 414
    int maxHeaderBytes = 64 * 1024;          // 431
    int maxHeaderCount = 100;                // 431
    qint64 maxJsonBodyBytes = 16LL << 20;    // 413 (any body that is not an upload)
    qint64 maxUploadBodyBytes = 100LL << 20; // 413; multipart/form-data and application/octet-stream, streamed to disk
    int idleTimeoutMs = 30'000;              // keep-alive connection with no request in progress: closed
    int headerTimeoutMs = 10'000;            // a request's header block must arrive within this: 408 + close
    int bodyTimeoutMs = 60'000;              // no body byte for this long: 408 + close
    int maxConnections = 10'000;             // above: 503 + close
};

} // namespace Hearth
