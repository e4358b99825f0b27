#pragma once

#include "pages/recordlistpage.h"

class QCheckBox;

namespace Hearth {

// The project's tables (GET /hearth_table): name and description, system
// tables on demand.
class TablesPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit TablesPage(QWidget *parent = nullptr);

protected:
    bool acceptsRow(const QJsonObject &row) const override;

private:
    QCheckBox *m_showSystem;
};

} // namespace Hearth
