#pragma once

#include <QString>

namespace Hearth {

// An RSA key pair as $helpers.$crypto.generateSshKeyPair gives it (API.md
// "Scripts"): the public key as one OpenSSH authorized_keys line, the private
// key as PKCS#1 PEM ("-----BEGIN RSA PRIVATE KEY-----"), unencrypted.
struct SshKeyPair
{
    static constexpr int Bits = 3072; // OpenSSH's default for RSA
    static constexpr qsizetype MaxCommentLength = 1024;

    QString publicKey;  // "ssh-rsa AAAA… comment"
    QString privateKey; // PKCS#1 PEM

    // Generates a fresh pair with OpenSSL (about a second of CPU: call it off the
    // worker threads). The comment ends the public line; it must be one line of
    // printable text (checked by the caller with isValidComment). Throws
    // std::runtime_error when OpenSSL fails.
    static SshKeyPair generate(const QString &comment, int bits = Bits);
    static bool isValidComment(const QString &comment);
};

} // namespace Hearth
