#include "auth/passwordhasher.h"

#include <QHash>

#include <algorithm>
#include <mutex>

#include "auth/securerandom.h"
#include "core/constanttime.h"

#include <crypt.h>
#include <memory>
#include <string.h>

namespace Hearth {

namespace {

constexpr qsizetype HashLength = 60; // "$2b$10$" (7) + salt and checksum (53)
constexpr qsizetype SaltBytes = 16;  // bcrypt's 128-bit salt

// Zeroed per call (crypt_rn requires it) and wiped afterwards: it holds key
// material derived from the password. On the heap because it is ~32 KiB.
struct CryptState
{
    std::unique_ptr<crypt_data> data = std::make_unique<crypt_data>();
    ~CryptState() { explicit_bzero(data.get(), sizeof(crypt_data)); }
};

// The bytes bcrypt reads, as a NUL-terminated copy for libxcrypt. Null when a NUL
// byte inside would make libxcrypt silently see a shorter password.
QByteArray passphrase(QByteArrayView password)
{
    const QByteArrayView used = password.first(qMin(password.size(), PasswordHasher::MaxPasswordBytes));
    if (used.contains('\0'))
        return {};
    QByteArray phrase(used.data(), used.size());
    if (phrase.isNull())
        phrase = QByteArray(""); // an empty password is still a password: not null
    return phrase;
}

// crypt_rn reports failure with a null pointer or, in some configurations, a
// "*0"/"*1" token; neither is ever a hash.
QByteArray runCrypt(const QByteArray &phrase, const char *setting, crypt_data *data)
{
    const char *out = crypt_rn(phrase.constData(), setting, data, int(sizeof(crypt_data)));
    if (!out || out[0] == '*')
        return {};
    return QByteArray(out);
}

bool isBcryptChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

} // namespace

QByteArray PasswordHasher::hash(QByteArrayView password, int cost)
{
    const QByteArray phrase = passphrase(password);
    if (phrase.isNull())
        return {};
    cost = qBound(MinCost, cost, MaxCost);
    QByteArray salt = secureRandomBytes(SaltBytes);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE] = {};
    const char *made = crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), salt.constData(),
                                        int(salt.size()), setting, int(sizeof(setting)));
    explicit_bzero(salt.data(), size_t(salt.size()));
    if (!made || setting[0] == '*')
        return {};
    CryptState state;
    QByteArray result = runCrypt(phrase, setting, state.data.get());
    return isHash(result) ? result : QByteArray();
}

bool PasswordHasher::verify(QByteArrayView password, QByteArrayView storedHash)
{
    // Only well-formed bcrypt hashes: crypt would also accept DES, MD5 and other weak
    // or odd settings, and a stored value must never select those.
    if (!isHash(storedHash))
        return false;
    const QByteArray phrase = passphrase(password);
    if (phrase.isNull())
        return false;
    const QByteArray setting(storedHash.data(), storedHash.size()); // NUL-terminated copy
    CryptState state;
    const QByteArray computed = runCrypt(phrase, setting.constData(), state.data.get());
    if (computed.isEmpty())
        return false;
    return constantTimeEquals(computed, storedHash);
}

bool PasswordHasher::isHash(QByteArrayView text)
{
    if (text.size() != HashLength || text[0] != '$' || text[1] != '2' || text[3] != '$' || text[6] != '$')
        return false;
    if (text[2] != 'a' && text[2] != 'b' && text[2] != 'y')
        return false;
    if (text[4] < '0' || text[4] > '9' || text[5] < '0' || text[5] > '9')
        return false;
    const int cost = (text[4] - '0') * 10 + (text[5] - '0');
    if (cost < MinCost || cost > MaxCost)
        return false;
    for (qsizetype i = 7; i < text.size(); ++i)
        if (!isBcryptChar(text[i]))
            return false;
    return true;
}

QByteArray PasswordHasher::dummyHash(int cost)
{
    // One per cost, made on first use: an unknown email must cost what the
    // stored hashes of the current bcryptCost cost.
    static std::mutex mutex;
    static QHash<int, QByteArray> dummies;
    cost = std::clamp(cost, MinCost, MaxCost);
    std::lock_guard lock(mutex);
    auto it = dummies.find(cost);
    if (it == dummies.end())
        it = dummies.insert(cost, hash(secureRandomToken(32), cost));
    return *it;
}

} // namespace Hearth
