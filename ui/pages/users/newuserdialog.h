#pragma once

#include "pages/users/formdialog.h"

#include <QJsonArray>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace Hearth {

class PasswordField;

// "New user": email, password (or a generated one), role, root admin.
// body() is the POST /hearth_user body.
class NewUserDialog : public FormDialog
{
    Q_OBJECT
public:
    // roles: rows {id, name} of /hearth_role.
    NewUserDialog(const QJsonArray &roles, QWidget *parent = nullptr);

    QJsonObject body() const;

protected:
    bool isComplete() const override;

private:
    QLineEdit *m_email;
    PasswordField *m_password;
    QComboBox *m_role;
    QCheckBox *m_root;
};

} // namespace Hearth
