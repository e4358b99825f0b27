#pragma once

#include "pages/recordlistpage.h"

namespace Hearth {

// The users (GET /hearth_user): email, role, root admin.
class UsersPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit UsersPage(QWidget *parent = nullptr);
};

} // namespace Hearth
