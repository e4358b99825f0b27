#pragma once

#include <QByteArray>
#include <QString>

namespace Hearth {

// The server's signing key (JWT HMAC). Headless fallback of the design's secret
// storage: the HEARTH_SECRET_KEY environment variable, else <dataDir>/secret.key
// (hex, mode 0600), made on first start. The key itself is never logged.
struct SecretKey
{
    enum Source
    {
        Environment, // HEARTH_SECRET_KEY, used byte for byte
        File,        // an existing <dataDir>/secret.key
        Generated    // secret.key did not exist and was created by this call
    };

    static constexpr qsizetype MinBytes = 32; // 256 bits, the HMAC-SHA-256 block of security
    static constexpr const char *EnvironmentVariable = "HEARTH_SECRET_KEY";
    static constexpr const char *FileName = "secret.key";

    QByteArray bytes;
    Source source = Generated;

    // load(dataDir, value of HEARTH_SECRET_KEY).
    static SecretKey load(const QString &dataDir);

    // environmentValue is the variable's value (empty = unset). At least MinBytes →
    // it is the key. Shorter → ignored with a warning. Otherwise secret.key is read
    // (hex; surrounding whitespace ignored); a file readable by group or others is
    // first tightened to 0600 with a warning. No file → MinBytes random bytes are
    // written to it, created 0600 and moved into place atomically (never replacing a
    // file another process made meanwhile: that one is used instead).
    // Throws std::runtime_error when the file holds fewer than MinBytes of key, is not
    // hex, cannot be read, written or tightened, or when dataDir is empty.
    static SecretKey load(const QString &dataDir, const QByteArray &environmentValue);
};

} // namespace Hearth
