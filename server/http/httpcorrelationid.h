#pragma once

#include <QByteArray>

namespace Hearth {

// Random per-request ids for X-Correlation-Id and the error envelope.
class HttpCorrelationId
{
public:
    // 16 lower-case hex characters; a per-thread generator, so no lock.
    static QByteArray generate();
};

} // namespace Hearth
