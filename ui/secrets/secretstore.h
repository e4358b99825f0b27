#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace Hearth {

// Secrets of the console (admin credentials, the signing key, passwords of
// remembered servers) in the desktop keychain (QtKeychain: Secret Service,
// KWallet, macOS Keychain, Windows Credential Store).
//
// When no keychain answers (no Secret Service on the session bus, as under
// Xvfb or CI) the store falls back, for the rest of the process, to a JSON file
// readable only by the user (0600) in the console's config folder, and
// usingFallback() tells the UI so, to say it once. A secret found in that file
// while the keychain works again is moved into the keychain.
//
// Every call is asynchronous; callbacks run on the store's thread. A callback
// given a context is dropped when the context is destroyed first.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using ReadCallback = std::function<void(bool found, const QString &value)>;
    using WriteCallback = std::function<void(bool ok, const QString &error)>;

    explicit SecretStore(QObject *parent = nullptr);
    // service names the keychain entries ("Hearth"); fallbackFile is where the
    // 0600 file lives (default: <AppConfigLocation>/secrets.json).
    SecretStore(const QString &service, const QString &fallbackFile, QObject *parent = nullptr);

    void read(const QString &key, ReadCallback callback, const QObject *context = nullptr);
    void write(const QString &key, const QString &value, WriteCallback callback = {},
               const QObject *context = nullptr);
    void remove(const QString &key, WriteCallback callback = {}, const QObject *context = nullptr);

    // Skip the keychain and use the file (tests, or a user's choice).
    void setKeychainEnabled(bool enabled);
    bool usingFallback() const { return m_fallback; }
    QString fallbackReason() const { return m_fallbackReason; }
    QString fallbackFile() const { return m_fallbackFile; }
    QString service() const { return m_service; }

    static QString defaultFallbackFile();

signals:
    // Emitted once, when the keychain is first found unreachable.
    void fallbackActivated(const QString &reason);

private:
    void useFallback(const QString &reason);
    bool readFile(const QString &key, QString *value) const;
    bool writeFile(const QString &key, const QString *value, QString *error) const;

    QString m_service;
    QString m_fallbackFile;
    bool m_fallback = false;
    QString m_fallbackReason;
};

} // namespace Hearth
