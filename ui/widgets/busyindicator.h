#pragma once

#include <QWidget>

class QTimer;

namespace Hearth {

// A small spinning arc for "calls in flight". Shown only while running, and
// only after a short delay, so quick calls do not make it flicker.
class BusyIndicator : public QWidget
{
    Q_OBJECT
public:
    explicit BusyIndicator(QWidget *parent = nullptr);

    void setRunning(bool running);
    bool isRunning() const { return m_running; }
    QSize sizeHint() const override { return {16, 16}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    bool m_running = false;
    int m_angle = 0;
    QTimer *m_spin;
    QTimer *m_delay;
};

} // namespace Hearth
