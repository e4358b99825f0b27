#pragma once

#include "client/apiclient.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QToolButton;

namespace Hearth {

class RequestLogModel;

// The server's recent requests (GET /admin/requests), newest first, as they
// come: each poll() asks only for those after the newest shown (after=ID).
// A filter box (the server's q=: method, path, status or user), Pause / Resume
// of the live updates, and the console's own polling hidden unless asked for.
class RequestLogPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RequestLogPanel(QWidget *parent = nullptr);

    void setClient(ApiClient *client);
    // Ask for what is new (nothing while paused or while the previous answer is awaited).
    void poll();
    // Forget the rows (another server).
    void clear();
    void focusFilter();
    bool isPaused() const;
    void setPaused(bool paused);

    RequestLogModel *model() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *view() const { return m_view; }

signals:
    void failed(const Hearth::ApiFailure &failure);
    // An answer was taken in (tests wait for it).
    void polled();

protected:
    void changeEvent(QEvent *event) override;

private:
    void restart();
    void updateNote();
    bool shows(const QJsonObject &row) const;

    QPointer<ApiClient> m_client;
    QLineEdit *m_filter;
    QToolButton *m_pause;
    QCheckBox *m_showPolls;
    QTableView *m_view;
    QLabel *m_note;
    RequestLogModel *m_model;
    QTimer *m_filterDelay;
    double m_lastId = 0;
    int m_generation = 0; // answers for an earlier filter are dropped
    bool m_waiting = false;
};

} // namespace Hearth
