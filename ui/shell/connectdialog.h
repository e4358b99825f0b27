#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;

namespace Hearth {

class ApiClient;
class BusyIndicator;
class MessageBar;
class SecretStore;

// "Connect to server…": URL (remembered servers offered), email and password.
// Signs in before closing: on success client() is a signed-in ApiClient
// (parented to the dialog's parent) and the server is remembered, with its
// password in the keychain when asked; on failure the reason shows in the dialog.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(SecretStore *secrets, QWidget *parent = nullptr);

    void setServer(const QString &url, const QString &email, const QString &password = {});
    // For the embedded server: the URL is given, not chosen, and not remembered.
    void setFixedUrl(const QString &url);

    ApiClient *client() const { return m_client; }
    QString url() const;
    QString email() const;
    QString password() const;
    bool rememberPassword() const;

    // "example.org:1105" → "http://example.org:1105"; empty when not a URL.
    static QString normalizedUrl(const QString &text);

private:
    void attempt();
    void setWorking(bool working);

    SecretStore *m_secrets;
    bool m_fixedUrl = false;
    QComboBox *m_url;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    MessageBar *m_message;
    BusyIndicator *m_busy;
    QDialogButtonBox *m_buttons;
    ApiClient *m_client = nullptr;
};

} // namespace Hearth
