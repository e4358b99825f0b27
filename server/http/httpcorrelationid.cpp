#include "http/httpcorrelationid.h"

#include <QRandomGenerator>

#include <array>

namespace Hearth {

namespace {

QRandomGenerator64 seededGenerator()
{
    std::array<quint32, 8> seed;
    QRandomGenerator::system()->fillRange(seed.data(), seed.size());
    return QRandomGenerator64(seed.data(), qsizetype(seed.size()));
}

} // namespace

QByteArray HttpCorrelationId::generate()
{
    thread_local QRandomGenerator64 generator = seededGenerator();
    static const char hex[] = "0123456789abcdef";
    quint64 value = generator.generate64();
    QByteArray id(16, Qt::Uninitialized);
    char *d = id.data();
    for (int i = 15; i >= 0; --i) {
        d[i] = hex[value & 0xf];
        value >>= 4;
    }
    return id;
}

} // namespace Hearth
