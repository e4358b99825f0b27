#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Hearth {

// bcrypt password hashes ("$2b$10$" + 22 salt + 31 hash characters) through
// libxcrypt. Thread-safe: every call has its own crypt state.
//
// bcrypt reads only the first 72 bytes of a password; longer passwords are cut
// there (so two passwords sharing their first 72 bytes verify against each other).
// A password with a NUL byte in those 72 bytes cannot be hashed: hash() returns an
// empty array and verify() false. Length and content rules (an empty password,
// say) are the caller's to enforce.
class PasswordHasher
{
public:
    static constexpr int DefaultCost = 10;
    static constexpr int MinCost = 4;
    static constexpr int MaxCost = 31;
    static constexpr qsizetype MaxPasswordBytes = 72;

    // A fresh "$2b$" hash with a random salt; cost is clamped to MinCost..MaxCost.
    // Empty on failure (a NUL byte in the password, or libxcrypt refusing): an empty
    // stored hash never verifies, so a failure cannot open an account.
    [[nodiscard]] static QByteArray hash(QByteArrayView password, int cost = DefaultCost);

    // True when password matches storedHash ($2a$, $2b$ or $2y$). A malformed stored
    // hash is false, never an error. The comparison takes constant time.
    [[nodiscard]] static bool verify(QByteArrayView password, QByteArrayView storedHash);

    // True when text has the exact shape of a bcrypt hash: "$2a$"/"$2b$"/"$2y$", a
    // two-digit cost 04..31, "$" and 53 characters of bcrypt's base64 alphabet.
    [[nodiscard]] static bool isHash(QByteArrayView text);

    // A valid cost-10 hash of a random password, made once per process. A login
    // for an unknown account verifies against it, so it costs the same time as a
    // login with a wrong password and does not reveal which accounts exist.
    static QByteArray dummyHash(int cost = DefaultCost);
};

} // namespace Hearth
