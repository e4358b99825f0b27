#pragma once

#include "shell/page.h"
#include "shell/servercontrol.h"

class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace Hearth {

class JsonTableModel;
class RequestLogPanel;
class RuntimePanel;

// The server the console shows: its state, addresses, data folder and
// version; Start, Stop, Restart and the LAN switch for the embedded server.
// While shown, every second, from /admin/runtime and /admin/requests when the
// server offers them: the load as cards and a chart of the last minute, the
// recent requests (filter with Ctrl+F, pause), and every runtime figure as a table.
class ServerPage : public Page
{
    Q_OBJECT
public:
    explicit ServerPage(QWidget *parent = nullptr);

    Actions actions() const override { return RefreshAction | FilterAction; }
    void activate() override;
    void deactivate() override;

    RuntimePanel *runtimePanel() const { return m_runtimePanel; }
    RequestLogPanel *requestLog() const { return m_log; }

public slots:
    void refresh() override;
    void focusFilter() override;
    // The live part: runtime figures and new requests (Background calls).
    void poll();

protected:
    void reset() override;
    void serverControlChanged() override;
    void paletteChanged() override;

private:
    void updateControls();
    void pollRuntime();

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
    RuntimePanel *m_runtimePanel;
    RequestLogPanel *m_log;
    QTableView *m_runtimeView;
    JsonTableModel *m_runtime;
    QTimer *m_poll;
    bool m_logFailing = false;
    bool m_runtimeWaiting = false;
    QMetaObject::Connection m_stateConnection;
};

} // namespace Hearth
