#pragma once

#include "pages/recordlistpage.h"

namespace Hearth {

// The project's tables (GET /hearth_table): name and description, system
// tables on demand.
class TablesPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit TablesPage(QWidget *parent = nullptr);
};

} // namespace Hearth
