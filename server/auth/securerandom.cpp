#include "auth/securerandom.h"

#include <QRandomGenerator>

#include <cstring>
#include <string.h>
#include <vector>

namespace Hearth {

QByteArray secureRandomBytes(qsizetype n)
{
    if (n <= 0)
        return {};
    // The generator fills whole, aligned 32-bit words: round up, then copy n bytes out.
    std::vector<quint32> words(size_t((n + 3) / 4));
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    QByteArray out(n, Qt::Uninitialized);
    std::memcpy(out.data(), words.data(), size_t(n));
    explicit_bzero(words.data(), words.size() * sizeof(quint32)); // keys are made from these
    return out;
}

QByteArray secureRandomToken(qsizetype bytes)
{
    return secureRandomBytes(bytes).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace Hearth
