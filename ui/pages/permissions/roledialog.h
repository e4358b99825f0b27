#pragma once

#include "pages/users/formdialog.h"

#include <QJsonObject>

class QLineEdit;

namespace Hearth {

// A role's name and description, for "New Role" and "Rename Role".
class RoleDialog : public FormDialog
{
    Q_OBJECT
public:
    // role: the row being renamed, or empty for a new role.
    explicit RoleDialog(const QJsonObject &role, QWidget *parent = nullptr);

    QJsonObject body() const; // {name, description}

protected:
    bool isComplete() const override;

private:
    QLineEdit *m_name;
    QLineEdit *m_description;
};

} // namespace Hearth
