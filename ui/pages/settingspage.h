#pragma once

#include "shell/page.h"

class QCheckBox;
class QComboBox;
class QTableView;

namespace Hearth {

class JsonTableModel;

// The console's own preferences (appearance, tray) and the server's run-time
// settings (GET /hearth_setting).
class SettingsPage : public Page
{
    Q_OBJECT
public:
    explicit SettingsPage(QWidget *parent = nullptr);

public slots:
    void refresh() override;

protected:
    void reset() override;

private:
    QComboBox *m_scheme;
    QCheckBox *m_tray;
    QTableView *m_serverView;
    JsonTableModel *m_serverSettings;
};

} // namespace Hearth
