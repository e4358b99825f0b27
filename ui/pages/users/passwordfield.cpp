#include "pages/users/passwordfield.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QToolButton>

namespace Hearth {

PasswordField::PasswordField(QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_eye(new QToolButton(this)),
      m_generate(new QPushButton(tr("Generate"), this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    m_edit->setObjectName(QStringLiteral("passwordEdit"));
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setPlaceholderText(tr("At least %1 characters").arg(minimumLength));
    m_eye->setObjectName(QStringLiteral("showPassword"));
    m_eye->setText(tr("Show"));
    m_eye->setCheckable(true);
    m_eye->setToolTip(tr("Show the password"));
    connect(m_eye, &QToolButton::toggled, this, &PasswordField::setShown);
    m_generate->setObjectName(QStringLiteral("generatePassword"));
    m_generate->setToolTip(tr("Fill in a strong random password"));
    connect(m_generate, &QPushButton::clicked, this, [this] {
        setPassword(generate());
        m_eye->setChecked(true); // a generated password is meant to be copied
        m_edit->selectAll();
        m_edit->setFocus();
    });
    connect(m_edit, &QLineEdit::textChanged, this, &PasswordField::passwordChanged);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_eye);
    layout->addWidget(m_generate);
    setFocusProxy(m_edit);
}

QString PasswordField::password() const
{
    return m_edit->text();
}

void PasswordField::setPassword(const QString &password)
{
    m_edit->setText(password);
}

void PasswordField::setShown(bool shown)
{
    m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    m_eye->setText(shown ? tr("Hide") : tr("Show"));
    m_eye->setToolTip(shown ? tr("Hide the password") : tr("Show the password"));
}

QString PasswordField::generate(int length)
{
    // No look-alikes (0/O, 1/l/I) so it can be read out or typed from a screen.
    static const QString alphabet =
        QStringLiteral("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!@#%+=");
    QString out;
    out.reserve(length);
    QRandomGenerator *random = QRandomGenerator::system();
    for (int i = 0; i < length; ++i)
        out += alphabet.at(int(random->bounded(quint32(alphabet.size()))));
    return out;
}

} // namespace Hearth
