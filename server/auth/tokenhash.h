#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Hearth {

// Lower-case hex SHA-256 of a token (64 characters). Refresh and API tokens are
// high-entropy random strings, so a plain fast hash is enough to store them: the
// database never holds a usable token, and lookups stay an indexed equality.
// (Passwords are low-entropy and need PasswordHasher instead.)
QByteArray hashToken(QByteArrayView token);

} // namespace Hearth
