#include "pages/users/resetpassworddialog.h"

#include "pages/users/passwordfield.h"

#include <QFormLayout>

namespace Hearth {

ResetPasswordDialog::ResetPasswordDialog(const QString &email, QWidget *parent)
    : FormDialog(tr("Reset Password"), tr("Set Password"), parent), m_password(new PasswordField(this))
{
    setObjectName(QStringLiteral("resetPasswordDialog"));
    setNote(tr("A new password for <b>%1</b>. Their sessions end: they sign in again with it.")
                .arg(email.toHtmlEscaped()));
    form()->addRow(tr("New password:"), m_password);
    connect(m_password, &PasswordField::passwordChanged, this, &ResetPasswordDialog::updateOk);
    updateOk();
}

QString ResetPasswordDialog::password() const
{
    return m_password->password();
}

bool ResetPasswordDialog::isComplete() const
{
    return m_password->password().size() >= PasswordField::minimumLength;
}

} // namespace Hearth
