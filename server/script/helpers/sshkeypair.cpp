#include "script/helpers/sshkeypair.h"

#include <QByteArray>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>

namespace Hearth {

namespace {

template <typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

[[noreturn]] void fail(const char *what)
{
    throw std::runtime_error(std::string("SSH key generation failed: ") + what);
}

// RFC 4251 "string": a uint32 length, then the bytes.
void appendString(QByteArray &out, QByteArrayView bytes)
{
    const quint32 n = quint32(bytes.size());
    const char length[4] = {char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
    out.append(length, 4).append(bytes);
}

// RFC 4251 "mpint": BN_bn2mpi writes exactly that format (length, big-endian
// magnitude with a leading zero byte when the top bit is set).
void appendMpint(QByteArray &out, const BIGNUM *number)
{
    QByteArray bytes(BN_bn2mpi(number, nullptr), Qt::Uninitialized);
    BN_bn2mpi(number, reinterpret_cast<unsigned char *>(bytes.data()));
    out.append(bytes);
}

BignumPtr rsaParameter(const EVP_PKEY *key, const char *name)
{
    BIGNUM *number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1)
        fail("cannot read the public key");
    return BignumPtr(number);
}

} // namespace

bool SshKeyPair::isValidComment(const QString &comment)
{
    if (comment.size() > MaxCommentLength)
        return false;
    for (QChar c : comment)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
    return true;
}

SshKeyPair SshKeyPair::generate(const QString &comment, int bits)
{
    PkeyPtr key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
    if (!key)
        fail("RSA key generation");

    QByteArray blob;
    appendString(blob, "ssh-rsa");
    appendMpint(blob, rsaParameter(key.get(), OSSL_PKEY_PARAM_RSA_E).get());
    appendMpint(blob, rsaParameter(key.get(), OSSL_PKEY_PARAM_RSA_N).get());

    // The "traditional" encoding of an RSA key is PKCS#1.
    BioPtr pem(BIO_new(BIO_s_mem()));
    if (!pem || PEM_write_bio_PrivateKey_traditional(pem.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                                     nullptr) != 1)
        fail("cannot encode the private key");
    char *data = nullptr;
    const long size = BIO_get_mem_data(pem.get(), &data);

    SshKeyPair pair;
    pair.publicKey = QStringLiteral("ssh-rsa ") + QString::fromLatin1(blob.toBase64());
    if (!comment.isEmpty())
        pair.publicKey += QLatin1Char(' ') + comment;
    pair.privateKey = QString::fromLatin1(data, size);
    return pair;
}

} // namespace Hearth
