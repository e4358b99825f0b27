#include "core/constanttime.h"

namespace Hearth {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false; // lengths are public (see the header); only the contents are secret
    const auto *pa = reinterpret_cast<const unsigned char *>(a.data());
    const auto *pb = reinterpret_cast<const unsigned char *>(b.data());
    // Every byte is visited and folded into one accumulator; the volatile keeps the
    // compiler from turning the loop into an early exit once a difference is seen.
    volatile unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff = diff | (pa[i] ^ pb[i]);
    return diff == 0;
}

} // namespace Hearth
