#include "widgets/livechart.h"

#include "shell/theme.h"

#include <QChart>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace Hearth {

namespace {

// 1, 2 or 5 times a power of ten, at least value: steps people read at a glance.
double niceStep(double value)
{
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    const double fraction = value / power;
    return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

} // namespace

LiveChart::LiveChart(QWidget *parent)
    : QChartView(parent), m_x(new QValueAxis(this)), m_left(new QValueAxis(this))
{
    auto *chart = new QChart;
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setAnimationOptions(QChart::NoAnimation); // a new point every second: motion would only blur it
    m_x->setLabelFormat(QStringLiteral("%.0f s"));
    chart->addAxis(m_x, Qt::AlignBottom);
    m_left->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(m_left, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    setSpanSeconds(60);
    redraw();
    applyPalette();
}

QValueAxis *LiveChart::axis(Axis which)
{
    if (which == Axis::Left)
        return m_left;
    if (!m_right) {
        m_right = new QValueAxis(this);
        m_right->setLabelFormat(QStringLiteral("%g"));
        chart()->addAxis(m_right, Qt::AlignRight);
        applyPalette();
    }
    return m_right;
}

int LiveChart::addLine(const QString &name, const QColor &color, Axis which)
{
    auto *series = new QLineSeries;
    series->setName(name);
    chart()->addSeries(series);
    series->attachAxis(m_x);
    series->attachAxis(axis(which));
    m_lines.append(Line{series, which, {}});
    setLineColor(int(m_lines.size()) - 1, color);
    return int(m_lines.size()) - 1;
}

void LiveChart::setLineColor(int line, const QColor &color)
{
    QPen pen(color, 2);
    pen.setCapStyle(Qt::RoundCap);
    m_lines[line].series->setPen(pen);
}

void LiveChart::setAxisTitle(Axis which, const QString &title)
{
    axis(which)->setTitleText(title);
}

void LiveChart::setSpanSeconds(int seconds)
{
    m_spanSeconds = qMax(2, seconds);
    m_x->setRange(-m_spanSeconds, 0);
    m_x->setTickCount(m_spanSeconds % 10 == 0 && m_spanSeconds <= 120 ? m_spanSeconds / 10 + 1 : 5);
    redraw();
}

void LiveChart::append(int line, qint64 timeMs, double value)
{
    m_lines[line].samples.append(QPointF(double(timeMs), value));
    redraw();
}

void LiveChart::setSamples(int line, const QList<QPointF> &samples)
{
    m_lines[line].samples = samples;
    redraw();
}

int LiveChart::sampleCount(int line) const
{
    return int(m_lines.at(line).samples.size());
}

double LiveChart::lastValue(int line) const
{
    const QList<QPointF> &samples = m_lines.at(line).samples;
    return samples.isEmpty() ? 0 : samples.last().y();
}

double LiveChart::maxValue(int line) const
{
    double max = 0;
    for (const QPointF &sample : m_lines.at(line).samples)
        max = qMax(max, sample.y());
    return max;
}

void LiveChart::clear()
{
    for (Line &line : m_lines)
        line.samples.clear();
    redraw();
}

void LiveChart::redraw()
{
    double newest = 0;
    for (const Line &line : std::as_const(m_lines))
        if (!line.samples.isEmpty())
            newest = qMax(newest, line.samples.last().x());
    const double oldest = newest - m_spanSeconds * 1000.0;
    double leftMax = 0, rightMax = 0;
    for (Line &line : m_lines) {
        while (!line.samples.isEmpty() && line.samples.first().x() < oldest)
            line.samples.removeFirst();
        QList<QPointF> points;
        points.reserve(line.samples.size());
        double &max = line.axis == Axis::Left ? leftMax : rightMax;
        for (const QPointF &sample : std::as_const(line.samples)) {
            points.append(QPointF((sample.x() - newest) / 1000.0, sample.y()));
            max = qMax(max, sample.y());
        }
        line.series->replace(points);
    }
    // Each y axis from 0 to a round number above its highest value, in 3 to 5 round steps.
    auto scale = [](QValueAxis *axis, double max) {
        if (!axis)
            return;
        const double step = niceStep((max > 0 ? max : 1) / 4);
        const double top = std::ceil((max > 0 ? max : 1) * 1.05 / step) * step;
        axis->setRange(0, top);
        axis->setTickCount(int(std::lround(top / step)) + 1);
    };
    scale(m_left, leftMax);
    scale(m_right, rightMax);
}

void LiveChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyPalette();
}

void LiveChart::applyPalette()
{
    const QPalette p = palette();
    const QColor base = p.color(QPalette::Base);
    const QColor text = p.color(QPalette::Text);
    chart()->setBackgroundBrush(base);
    chart()->setPlotAreaBackgroundVisible(false);
    chart()->legend()->setLabelColor(text);
    setBackgroundBrush(base);
    for (QValueAxis *axis : {m_x, m_left, m_right}) {
        if (!axis)
            continue;
        axis->setLabelsBrush(Theme::muted());
        axis->setTitleBrush(Theme::muted());
        axis->setLinePenColor(Theme::mix(base, text, 0.35));
        axis->setGridLineColor(Theme::mix(base, text, 0.12));
    }
}

} // namespace Hearth
