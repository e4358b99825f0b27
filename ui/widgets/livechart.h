#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>

class QLineSeries;
class QValueAxis;

namespace Hearth {

// A small live line chart of the last minute (the span), for figures that
// arrive while a page is shown: requests per second, cache hits per second…
// Samples carry their own time (epoch ms); the x axis shows seconds before the
// newest sample, so a chart fed by polls and one fed a whole server-side
// series at once look the same. Up to two y axes (left, right), each scaled to
// its lines. Follows the console's light / dark palette.
//
//   auto *chart = new LiveChart(this);
//   const int hits = chart->addLine(tr("Hits/s"), Theme::positive());
//   chart->append(hits, QDateTime::currentMSecsSinceEpoch(), 12);
class LiveChart : public QChartView
{
    Q_OBJECT
public:
    enum class Axis
    {
        Left,
        Right
    };

    explicit LiveChart(QWidget *parent = nullptr);

    // A new line; answers its index for append() / setSamples().
    int addLine(const QString &name, const QColor &color, Axis axis = Axis::Left);
    void setLineColor(int line, const QColor &color);
    void setAxisTitle(Axis axis, const QString &title);
    // How many seconds the chart shows (default 60).
    void setSpanSeconds(int seconds);
    int spanSeconds() const { return m_spanSeconds; }

    // One sample at timeMs; samples older than the span (before the newest) are dropped.
    void append(int line, qint64 timeMs, double value);
    // All samples of a line at once, x = epoch ms (replaces the line's earlier samples).
    void setSamples(int line, const QList<QPointF> &samples);
    int sampleCount(int line) const;
    // The newest sample's value (0 when none).
    double lastValue(int line) const;
    // The highest value shown on the line (0 when none).
    double maxValue(int line) const;
    void clear();

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Line
    {
        QLineSeries *series = nullptr;
        Axis axis = Axis::Left;
        QList<QPointF> samples; // x = epoch ms
    };

    QValueAxis *axis(Axis which);
    void redraw();
    void applyPalette();

    QList<Line> m_lines;
    QValueAxis *m_x;
    QValueAxis *m_left;
    QValueAxis *m_right = nullptr;
    int m_spanSeconds = 60;
};

} // namespace Hearth
