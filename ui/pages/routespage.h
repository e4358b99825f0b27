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

} // namespace Hearth
