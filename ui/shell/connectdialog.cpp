#include "shell/connectdialog.h"

#include "client/apiclient.h"
#include "secrets/secretstore.h"
#include "shell/icons.h"
#include "shell/serverbook.h"
#include "widgets/busyindicator.h"
#include "widgets/messagebar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Hearth {

ConnectDialog::ConnectDialog(SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_secrets(secrets), m_url(new QComboBox(this)), m_email(new QLineEdit(this)),
      m_password(new QLineEdit(this)),
      m_remember(new QCheckBox(tr("Remember the password in the keychain"), this)),
      m_message(new MessageBar(this)), m_busy(new BusyIndicator(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Connect to a Hearth server"));
    setMinimumWidth(460);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 18, 20, 16);
    layout->setSpacing(12);

    auto *heading = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(Icons::app().pixmap(40, 40));
    heading->addWidget(icon, 0, Qt::AlignTop);
    auto *intro = new QLabel(tr("Manage a Hearth on this or another machine. Sign in with an account that is "
                                "the server's root admin."),
                             this);
    intro->setWordWrap(true);
    heading->addWidget(intro, 1);
    layout->addLayout(heading);

    auto *form = new QFormLayout;
    form->setHorizontalSpacing(12);
    m_url->setEditable(true);
    m_url->setObjectName(QStringLiteral("serverUrl"));
    m_url->lineEdit()->setPlaceholderText(QStringLiteral("http://192.168.1.20:1105"));
    const QList<KnownServer> known = ServerBook::load();
    for (const KnownServer &server : known)
        m_url->addItem(server.url, server.email);
    m_url->setCurrentText(known.isEmpty() ? QString() : known.first().url);
    connect(m_url, &QComboBox::activated, this,
            [this](int index) { m_email->setText(m_url->itemData(index).toString()); });
    m_email->setObjectName(QStringLiteral("email"));
    m_email->setPlaceholderText(QStringLiteral("admin@localhost"));
    if (!known.isEmpty())
        m_email->setText(known.first().email);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Server:"), m_url);
    form->addRow(tr("Email:"), m_email);
    form->addRow(tr("Password:"), m_password);
    form->addRow(QString(), m_remember);
    m_remember->setChecked(true);
    layout->addLayout(form);
    layout->addWidget(m_message);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_busy);
    bottom->addStretch(1);
    QPushButton *connectButton = m_buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setDefault(true);
    bottom->addWidget(m_buttons);
    layout->addLayout(bottom);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::attempt);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (!known.isEmpty())
        m_password->setFocus();
}

void ConnectDialog::setServer(const QString &url, const QString &email, const QString &password)
{
    m_url->setCurrentText(url);
    m_email->setText(email);
    m_password->setText(password);
    (email.isEmpty() ? m_email : m_password)->setFocus();
}

void ConnectDialog::setFixedUrl(const QString &url)
{
    m_fixedUrl = true;
    m_url->setCurrentText(url);
    m_url->setEnabled(false);
    setWindowTitle(tr("Sign in to the embedded server"));
}

QString ConnectDialog::url() const
{
    return normalizedUrl(m_url->currentText());
}

QString ConnectDialog::email() const
{
    return m_email->text().trimmed();
}

QString ConnectDialog::password() const
{
    return m_password->text();
}

bool ConnectDialog::rememberPassword() const
{
    return m_remember->isChecked();
}

QString ConnectDialog::normalizedUrl(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains(QStringLiteral("://")))
        trimmed.prepend(QStringLiteral("http://"));
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http" && url.scheme() != u"https"))
        return {};
    return url.toString(QUrl::StripTrailingSlash);
}

void ConnectDialog::setWorking(bool working)
{
    m_busy->setRunning(working);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(true);
    for (QAbstractButton *b : m_buttons->buttons())
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(!working);
    m_url->setEnabled(!working && !m_fixedUrl);
    m_email->setEnabled(!working);
    m_password->setEnabled(!working);
}

void ConnectDialog::attempt()
{
    const QString address = url();
    if (address.isEmpty()) {
        m_message->showMessage(tr("Enter the server's address, like http://192.168.1.20:1105."),
                               MessageBar::Warning);
        return;
    }
    if (email().isEmpty() || password().isEmpty()) {
        m_message->showMessage(tr("Enter the email and the password of the account."), MessageBar::Warning);
        return;
    }
    m_message->dismiss();
    setWorking(true);
    auto *client = new ApiClient(QUrl(address), parent());
    client->signIn(
        email(), password(),
        [this, client, address](const ApiResult &result) {
            setWorking(false);
            if (!result.ok()) {
                m_message->showMessage(result.failure().message, MessageBar::Error);
                client->deleteLater();
                return;
            }
            m_client = client;
            if (!m_fixedUrl) {
                const KnownServer server{address, email()};
                ServerBook::remember(server);
                if (m_secrets) {
                    if (rememberPassword())
                        m_secrets->write(ServerBook::passwordKey(server), password());
                    else
                        m_secrets->remove(ServerBook::passwordKey(server));
                }
            }
            accept();
        },
        this);
}

} // namespace Hearth
