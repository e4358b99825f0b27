#include "secrets/secretstore.h"

#include <qt6keychain/keychain.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QStandardPaths>

#include <cstdio>

namespace Hearth {

namespace {

// Runs callback unless a context was given and has gone.
template <typename Callback, typename... Args>
void deliver(const Callback &callback, bool hasContext, const QPointer<QObject> &context, Args &&...args)
{
    if (callback && (!hasContext || context))
        callback(std::forward<Args>(args)...);
}

QString describeKeychainError(QKeychain::Error error, const QString &text)
{
    switch (error) {
    case QKeychain::NoBackendAvailable:
        return QObject::tr("no keychain service is running") +
               (text.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(text));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QObject::tr("the keychain refused access") +
               (text.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(text));
    case QKeychain::NotImplemented:
        return QObject::tr("this platform has no keychain support");
    default:
        return text.isEmpty() ? QObject::tr("the keychain did not answer") : text;
    }
}

} // namespace

SecretStore::SecretStore(QObject *parent)
    : SecretStore(QStringLiteral("Hearth"), defaultFallbackFile(), parent)
{}

SecretStore::SecretStore(const QString &service, const QString &fallbackFile, QObject *parent)
    : QObject(parent), m_service(service), m_fallbackFile(fallbackFile)
{}

QString SecretStore::defaultFallbackFile()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("secrets.json"));
}

void SecretStore::setKeychainEnabled(bool enabled)
{
    if (!enabled)
        useFallback(tr("the keychain is turned off"));
    else
        m_fallback = false;
}

void SecretStore::useFallback(const QString &reason)
{
    if (m_fallback)
        return;
    m_fallback = true;
    m_fallbackReason = reason;
    emit fallbackActivated(reason);
}

void SecretStore::read(const QString &key, ReadCallback callback, const QObject *context)
{
    const QPointer<QObject> guard = const_cast<QObject *>(context);
    const bool hasContext = context != nullptr;
    if (m_fallback) {
        QString value;
        const bool found = readFile(key, &value);
        deliver(callback, hasContext, guard, found, value);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never plain text in QSettings
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, callback, hasContext, guard] {
        if (job->error() == QKeychain::NoError) {
            deliver(callback, hasContext, guard, true, job->textData());
            return;
        }
        if (job->error() != QKeychain::EntryNotFound)
            useFallback(describeKeychainError(job->error(), job->errorString()));
        // Not in the keychain: it may have been kept in the file while the keychain was away.
        QString value;
        const bool found = readFile(key, &value);
        if (found && !m_fallback) {
            write(key, value, [this, key](bool ok, const QString &) {
                if (ok)
                    writeFile(key, nullptr, nullptr);
            });
        }
        deliver(callback, hasContext, guard, found, value);
    });
    job->start();
}

void SecretStore::write(const QString &key, const QString &value, WriteCallback callback,
                        const QObject *context)
{
    const QPointer<QObject> guard = const_cast<QObject *>(context);
    const bool hasContext = context != nullptr;
    if (m_fallback) {
        QString error;
        const bool ok = writeFile(key, &value, &error);
        deliver(callback, hasContext, guard, ok, error);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, value, callback, hasContext, guard] {
        if (job->error() == QKeychain::NoError) {
            deliver(callback, hasContext, guard, true, QString());
            return;
        }
        useFallback(describeKeychainError(job->error(), job->errorString()));
        QString error;
        const bool ok = writeFile(key, &value, &error);
        deliver(callback, hasContext, guard, ok, error);
    });
    job->start();
}

void SecretStore::remove(const QString &key, WriteCallback callback, const QObject *context)
{
    const QPointer<QObject> guard = const_cast<QObject *>(context);
    const bool hasContext = context != nullptr;
    // The file may hold it from an earlier run without a keychain: forget it there too.
    QString fileError;
    const bool fileOk = writeFile(key, nullptr, &fileError);
    if (m_fallback) {
        deliver(callback, hasContext, guard, fileOk, fileError);
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [job, callback, hasContext, guard, fileOk, fileError] {
        const bool ok = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        deliver(callback, hasContext, guard, ok && fileOk, ok ? fileError : job->errorString());
    });
    job->start();
}

bool SecretStore::readFile(const QString &key, QString *value) const
{
    QFile file(m_fallbackFile);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject all = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonValue v = all.value(key);
    if (!v.isString())
        return false;
    *value = v.toString();
    return true;
}

bool SecretStore::writeFile(const QString &key, const QString *value, QString *error) const
{
    QJsonObject all;
    {
        QFile current(m_fallbackFile);
        if (current.open(QIODevice::ReadOnly))
            all = QJsonDocument::fromJson(current.readAll()).object();
        else if (!value)
            return true; // nothing to forget
    }
    if (value)
        all.insert(key, *value);
    else if (!all.contains(key))
        return true;
    else
        all.remove(key);

    const QFileInfo info(m_fallbackFile);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = tr("cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    // Created 0600 from the start and moved into place, so the secrets are never readable by others.
    const QString temporary = m_fallbackFile + QStringLiteral(".new");
    QFile::remove(temporary);
    QFile out(temporary);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                  QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        if (error)
            *error = tr("cannot write %1: %2").arg(temporary, out.errorString());
        return false;
    }
    const QByteArray bytes = QJsonDocument(all).toJson(QJsonDocument::Indented);
    const bool written = out.write(bytes) == bytes.size() && out.flush();
    out.close();
    if (!written || std::rename(QFile::encodeName(temporary).constData(),
                                QFile::encodeName(m_fallbackFile).constData()) != 0) {
        if (error)
            *error = tr("cannot write %1").arg(m_fallbackFile);
        QFile::remove(temporary);
        return false;
    }
    return true;
}

} // namespace Hearth
