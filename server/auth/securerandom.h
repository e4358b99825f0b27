#pragma once

#include <QByteArray>

namespace Hearth {

// n bytes from the operating system's CSPRNG (QRandomGenerator::system()).
// n <= 0 gives an empty array.
QByteArray secureRandomBytes(qsizetype n);

// `bytes` random bytes as base64url without padding: safe in URLs, headers and
// JSON as is. 32 bytes give a 43-character token with 256 bits of entropy.
QByteArray secureRandomToken(qsizetype bytes = 32);

} // namespace Hearth
