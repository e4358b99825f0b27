#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace Hearth {

class FigureCard;
class LiveChart;

// The head of the Cache view, fed by successive GET /admin/cache/overview
// answers: memory used against the budget as a bar, the key count, hit ratio,
// evictions and expirations as cards, and hits and misses per second over the
// last minute as a chart. The server reports running totals; the rates are the
// differences between two answers divided by the time between them.
class CacheOverviewPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CacheOverviewPanel(QWidget *parent = nullptr);

    // One overview answer, received at nowMs (epoch ms).
    void setOverview(const QJsonObject &overview, qint64 nowMs);
    // Forget the figures and the chart (another server).
    void clear();
    // The next answer only sets the baseline for the rates (polling resumes after a pause,
    // whose average would be no rate of the moment).
    void restartRates() { m_previousMs = 0; }

    LiveChart *chart() const { return m_chart; }
    int hitsLine() const { return m_hitsLine; }
    int missesLine() const { return m_missesLine; }

protected:
    void changeEvent(QEvent *event) override;

private:
    QProgressBar *m_usage;
    QLabel *m_usageText;
    FigureCard *m_keys;
    FigureCard *m_hitRatio;
    FigureCard *m_evictions;
    FigureCard *m_expirations;
    LiveChart *m_chart;
    int m_hitsLine;
    int m_missesLine;
    QJsonObject m_previous;
    qint64 m_previousMs = 0;
};

} // namespace Hearth
