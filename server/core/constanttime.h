#pragma once

#include <QByteArrayView>

namespace Hearth {

// True when a and b hold the same bytes. For equal lengths the running time does
// not depend on where (or whether) the bytes differ, so comparing a secret (a MAC,
// a password hash) leaks nothing through timing. A length mismatch returns at once:
// the lengths compared here (digests, fixed-format hashes) are public anyway.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace Hearth
