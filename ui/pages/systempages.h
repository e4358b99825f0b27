#pragma once

#include "pages/recordlistpage.h"

namespace Hearth {

// The routes (GET /hearth_route): path, main table, methods, public methods.
class RoutesPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit RoutesPage(QWidget *parent = nullptr);
};

// Route permissions (GET /hearth_route_permission): who may call which methods of a route.
class PermissionsPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit PermissionsPage(QWidget *parent = nullptr);
};

// The users (GET /hearth_user): email, role, root admin.
class UsersPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit UsersPage(QWidget *parent = nullptr);
};

// The keys of the server's cache (GET /admin/cache/keys).
class CachePage : public RecordListPage
{
    Q_OBJECT
public:
    explicit CachePage(QWidget *parent = nullptr);

protected:
    void loadFailed(const ApiFailure &failure) override;
};

} // namespace Hearth
