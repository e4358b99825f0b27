#pragma once

#include "pages/users/formdialog.h"

namespace Hearth {

class PasswordField;

// "Reset password" for one user: a new password, typed or generated.
class ResetPasswordDialog : public FormDialog
{
    Q_OBJECT
public:
    explicit ResetPasswordDialog(const QString &email, QWidget *parent = nullptr);

    QString password() const;
    PasswordField *passwordField() const { return m_password; }

protected:
    bool isComplete() const override;

private:
    PasswordField *m_password;
};

} // namespace Hearth
