#include "pages/users/newuserdialog.h"

#include "pages/users/passwordfield.h"
#include "pages/users/rolecombo.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>

namespace Hearth {

NewUserDialog::NewUserDialog(const QJsonArray &roles, QWidget *parent)
    : FormDialog(tr("New User"), tr("Create User"), parent), m_email(new QLineEdit(this)),
      m_password(new PasswordField(this)), m_role(new QComboBox(this)), m_root(new QCheckBox(this))
{
    setObjectName(QStringLiteral("newUserDialog"));
    m_email->setObjectName(QStringLiteral("emailEdit"));
    m_email->setPlaceholderText(tr("name@example.com"));
    m_role->setObjectName(QStringLiteral("roleCombo"));
    RoleCombo::fill(m_role, roles, QJsonValue());
    m_root->setObjectName(QStringLiteral("rootAdminCheck"));
    m_root->setText(tr("Root admin: may do everything, passes every permission check"));
    form()->addRow(tr("Email:"), m_email);
    form()->addRow(tr("Password:"), m_password);
    form()->addRow(tr("Role:"), m_role);
    form()->addRow(QString(), m_root);
    connect(m_email, &QLineEdit::textChanged, this, &NewUserDialog::updateOk);
    connect(m_password, &PasswordField::passwordChanged, this, &NewUserDialog::updateOk);
    updateOk();
}

bool NewUserDialog::isComplete() const
{
    return m_email->text().trimmed().contains(u'@') &&
           m_password->password().size() >= PasswordField::minimumLength;
}

QJsonObject NewUserDialog::body() const
{
    QJsonObject body{{QStringLiteral("email"), m_email->text().trimmed()},
                     {QStringLiteral("password"), m_password->password()},
                     {QStringLiteral("isRootAdmin"), m_root->isChecked()}};
    const QJsonValue role = RoleCombo::selected(m_role);
    if (!role.isNull())
        body.insert(QStringLiteral("role"), role);
    return body;
}

} // namespace Hearth
