#include "pages/userspage.h"

namespace Hearth {

UsersPage::UsersPage(QWidget *parent) : RecordListPage(parent)
{
    setSubtitle(tr("The accounts that can sign in to this server, and their roles."));
    setSource(QStringLiteral("/hearth_user"),
              {.fields = QStringLiteral("id,email,role.name,isRootAdmin,createdAt"),
               .sort = QStringLiteral("email"),
               .limit = 0});
    setColumns({{QStringLiteral("email"), tr("Email")},
                {QStringLiteral("role.name"), tr("Role")},
                {QStringLiteral("isRootAdmin"), tr("Root admin")},
                {QStringLiteral("createdAt"), tr("Created")}});
    setNouns(tr("user"), tr("users"));
    setErrorContext(tr("Could not list the users"));
}

} // namespace Hearth
