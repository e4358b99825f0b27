#pragma once

#include "shell/page.h"
#include "shell/servercontrol.h"

class QLabel;
class QPushButton;
class QTableView;
class QTimer;
class QVBoxLayout;

namespace Hearth {

class JsonTableModel;

// The server the console shows: its state, addresses, data folder and
// version; Start, Stop, Restart and the LAN switch for the embedded server;
// the runtime figures of /admin/runtime when the server offers them.
class ServerPage : public Page
{
    Q_OBJECT
public:
    explicit ServerPage(QWidget *parent = nullptr);

    void activate() override;
    void deactivate() override;

public slots:
    void refresh() override;

protected:
    void reset() override;
    void serverControlChanged() override;
    void paletteChanged() override;

private:
    void updateControls();
    void setRuntimeStretch(bool stretch);

    QLabel *m_state;
    QLabel *m_urls;
    QLabel *m_dataDir;
    QLabel *m_version;
    QLabel *m_account;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_restart;
    QPushButton *m_lan;
    QLabel *m_runtimeNote;
    QTableView *m_runtimeView;
    JsonTableModel *m_runtime;
    QTimer *m_poll;
    QVBoxLayout *m_layout = nullptr; // server facts, runtime, stretch
    QMetaObject::Connection m_stateConnection;
};

} // namespace Hearth
