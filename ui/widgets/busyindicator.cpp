#include "widgets/busyindicator.h"

#include <QPainter>
#include <QTimer>

namespace Hearth {

BusyIndicator::BusyIndicator(QWidget *parent)
    : QWidget(parent), m_spin(new QTimer(this)), m_delay(new QTimer(this))
{
    setFixedSize(16, 16);
    setAccessibleName(tr("Working"));
    m_spin->setInterval(50);
    connect(m_spin, &QTimer::timeout, this, [this] {
        m_angle = (m_angle + 30) % 360;
        update();
    });
    m_delay->setSingleShot(true);
    m_delay->setInterval(150);
    connect(m_delay, &QTimer::timeout, this, [this] {
        show();
        m_spin->start();
    });
    hide();
}

void BusyIndicator::setRunning(bool running)
{
    if (running == m_running)
        return;
    m_running = running;
    if (running) {
        m_delay->start();
    } else {
        m_delay->stop();
        m_spin->stop();
        hide();
    }
}

void BusyIndicator::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(2, 2, -2, -2);
    QPen track(palette().color(QPalette::Mid), 2);
    p.setPen(track);
    p.drawEllipse(r);
    QPen arc(palette().color(QPalette::Highlight), 2, Qt::SolidLine, Qt::RoundCap);
    p.setPen(arc);
    p.drawArc(r, -m_angle * 16, 100 * 16);
}

} // namespace Hearth
