#include "pages/permissions/roledialog.h"

#include <QFormLayout>
#include <QLineEdit>

namespace Hearth {

RoleDialog::RoleDialog(const QJsonObject &role, QWidget *parent)
    : FormDialog(role.isEmpty() ? tr("New Role") : tr("Rename Role"),
                 role.isEmpty() ? tr("Create Role") : tr("Rename"), parent),
      m_name(new QLineEdit(role.value(u"name").toString(), this)),
      m_description(new QLineEdit(role.value(u"description").toString(), this))
{
    setObjectName(QStringLiteral("roleDialog"));
    m_name->setObjectName(QStringLiteral("roleNameEdit"));
    m_name->setPlaceholderText(tr("e.g. editor"));
    m_description->setObjectName(QStringLiteral("roleDescriptionEdit"));
    m_description->setPlaceholderText(tr("Optional: who has this role"));
    form()->addRow(tr("Name:"), m_name);
    form()->addRow(tr("Description:"), m_description);
    connect(m_name, &QLineEdit::textChanged, this, &RoleDialog::updateOk);
    m_name->selectAll();
    updateOk();
}

QJsonObject RoleDialog::body() const
{
    return {{QStringLiteral("name"), m_name->text().trimmed()},
            {QStringLiteral("description"), m_description->text().trimmed()}};
}

bool RoleDialog::isComplete() const
{
    return !m_name->text().trimmed().isEmpty();
}

} // namespace Hearth
