#pragma once

#include "pages/recordlistpage.h"

namespace Hearth {

// Route permissions (GET /hearth_route_permission): who may call which methods of a route.
class PermissionsPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit PermissionsPage(QWidget *parent = nullptr);
};

} // namespace Hearth
