#include "auth/secretkey.h"

#include "auth/securerandom.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QtGlobal>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <stdexcept>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Hearth {

namespace {

constexpr qsizetype MaxFileBytes = 4096; // a key file is ~65 bytes; anything huge is not one

[[noreturn]] void fail(const QString &message)
{
    throw std::runtime_error(message.toStdString());
}

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Closes a POSIX descriptor on every way out.
struct Fd
{
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
};

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The key in an existing file, or nullopt when there is no file.
std::optional<QByteArray> readKeyFile(const QString &path)
{
    const QByteArray nativePath = QFile::encodeName(path);
    Fd file(::open(nativePath.constData(), O_RDONLY | O_CLOEXEC));
    if (file.fd < 0) {
        if (errno == ENOENT)
            return std::nullopt;
        fail(QStringLiteral("Cannot open the secret key file %1: %2").arg(path, systemError(errno)));
    }
    struct stat st = {};
    if (::fstat(file.fd, &st) != 0)
        fail(QStringLiteral("Cannot inspect the secret key file %1: %2").arg(path, systemError(errno)));
    if (!S_ISREG(st.st_mode))
        fail(QStringLiteral("The secret key file %1 is not a regular file").arg(path));
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        // Others could read the key and forge tokens: close that before using it.
        if (::fchmod(file.fd, S_IRUSR | S_IWUSR) != 0)
            fail(QStringLiteral("The secret key file %1 is accessible to other users and its permissions "
                                "cannot be set to 0600 (%2); fix them or set %3")
                     .arg(path, systemError(errno), QLatin1StringView(SecretKey::EnvironmentVariable)));
        qWarning("The secret key file %s was accessible to other users (mode %04o); changed to 0600",
                 qUtf8Printable(path), unsigned(st.st_mode & 07777));
    }

    QByteArray text(MaxFileBytes + 1, Qt::Uninitialized);
    qsizetype used = 0;
    while (used < text.size()) {
        const ssize_t n = ::read(file.fd, text.data() + used, size_t(text.size() - used));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(QStringLiteral("Cannot read the secret key file %1: %2").arg(path, systemError(errno)));
        if (n == 0)
            break;
        used += n;
    }
    if (used > MaxFileBytes)
        fail(QStringLiteral("The secret key file %1 is too large to be a key").arg(path));
    text.truncate(used);
    const QByteArray hex = text.trimmed();
    explicit_bzero(text.data(), size_t(text.size()));

    for (char c : hex)
        if (!isHexDigit(c))
            fail(QStringLiteral("The secret key file %1 must hold the key as hexadecimal digits").arg(path));
    if (hex.size() % 2 != 0)
        fail(QStringLiteral("The secret key file %1 holds an odd number of hexadecimal digits").arg(path));
    QByteArray key = QByteArray::fromHex(hex);
    if (key.size() < SecretKey::MinBytes)
        fail(QStringLiteral(
                 "The secret key file %1 holds %2 bytes of key; at least %3 are needed (%4 hex digits)")
                 .arg(path)
                 .arg(key.size())
                 .arg(SecretKey::MinBytes)
                 .arg(SecretKey::MinBytes * 2));
    return key;
}

// rename() that fails with EEXIST rather than replace an existing file.
int moveWithoutReplacing(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
        // This file system lacks RENAME_NOREPLACE: check first (leaves a tiny race).
#endif
    if (::access(to, F_OK) == 0) {
        errno = EEXIST;
        return -1;
    }
    return std::rename(from, to);
}

void syncDirectory(const QString &dir)
{
    // Makes the rename itself durable; best effort, as not every file system allows it.
    Fd d(::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.fd >= 0)
        ::fsync(d.fd);
}

// Writes key (hex) as a new file at path. False when a file appeared there in the
// meantime (another process won the race; its key stands).
bool createKeyFile(const QString &dir, const QString &path, const QByteArray &key)
{
    const QString tempPath =
        path + QStringLiteral(".tmp-") + QString::fromLatin1(secureRandomBytes(8).toHex());
    const QByteArray nativeTemp = QFile::encodeName(tempPath);
    const QByteArray nativePath = QFile::encodeName(path);

    // 0600 from the moment the file exists: the key is never readable by others,
    // not even between creation and a later chmod.
    Fd file(::open(nativeTemp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR));
    if (file.fd < 0)
        fail(QStringLiteral("Cannot create the secret key file %1: %2").arg(tempPath, systemError(errno)));
    auto removeTemp = qScopeGuard([&] { ::unlink(nativeTemp.constData()); });
    if (::fchmod(file.fd, S_IRUSR | S_IWUSR) != 0) // exact mode, whatever the umask did
        fail(QStringLiteral("Cannot set the permissions of %1: %2").arg(tempPath, systemError(errno)));

    QByteArray text = key.toHex() + '\n';
    qsizetype written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(file.fd, text.constData() + written, size_t(text.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            explicit_bzero(text.data(), size_t(text.size()));
            fail(QStringLiteral("Cannot write the secret key file %1: %2").arg(tempPath, systemError(error)));
        }
        written += n;
    }
    explicit_bzero(text.data(), size_t(text.size()));
    if (::fsync(file.fd) != 0)
        fail(QStringLiteral("Cannot write the secret key file %1: %2").arg(tempPath, systemError(errno)));

    // Atomic, and never over an existing file: a key another process already uses
    // must not be replaced under it.
    if (moveWithoutReplacing(nativeTemp.constData(), nativePath.constData()) != 0) {
        if (errno == EEXIST)
            return false;
        fail(QStringLiteral("Cannot move the secret key file into place at %1: %2")
                 .arg(path, systemError(errno)));
    }
    removeTemp.dismiss();
    syncDirectory(dir);
    return true;
}

} // namespace

SecretKey SecretKey::load(const QString &dataDir)
{
    return load(dataDir, qgetenv(EnvironmentVariable));
}

SecretKey SecretKey::load(const QString &dataDir, const QByteArray &environmentValue)
{
    if (!environmentValue.isEmpty()) {
        if (environmentValue.size() >= MinBytes)
            return {environmentValue, Environment};
        qWarning("%s is shorter than %d bytes and is ignored; using the key file instead",
                 EnvironmentVariable, int(MinBytes));
    }
    if (dataDir.isEmpty())
        fail(QStringLiteral("No data folder for the secret key file, and %1 is not set")
                 .arg(QLatin1StringView(EnvironmentVariable)));

    const QString path = QDir(dataDir).filePath(QLatin1StringView(FileName));
    if (std::optional<QByteArray> existing = readKeyFile(path))
        return {*existing, File};

    if (!QDir().mkpath(dataDir))
        fail(QStringLiteral("Cannot create the data folder %1 for the secret key file").arg(dataDir));
    const QByteArray key = secureRandomBytes(MinBytes);
    if (createKeyFile(dataDir, path, key))
        return {key, Generated};
    if (std::optional<QByteArray> existing = readKeyFile(path))
        return {*existing, File};
    fail(QStringLiteral("The secret key file %1 vanished while it was being created").arg(path));
}

} // namespace Hearth
