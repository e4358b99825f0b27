#pragma once

#include <QJsonObject>
#include <QWidget>

namespace Hearth {

class FigureCard;
class LiveChart;

// The server's load at a glance, from one GET /admin/runtime answer: cards for
// requests and errors per second, latency, total requests, workers,
// connections, memory and uptime, and a chart of the last minute's requests per
// second with the p50 and p99 latency (the answer's per-second `series`).
class RuntimePanel : public QWidget
{
    Q_OBJECT
public:
    explicit RuntimePanel(QWidget *parent = nullptr);

    void setRuntime(const QJsonObject &runtime);
    void clear();

    LiveChart *chart() const { return m_chart; }
    int requestsLine() const { return m_requestsLine; }
    int p50Line() const { return m_p50Line; }
    int p99Line() const { return m_p99Line; }
    FigureCard *card(const QString &objectName) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyLineColors();

    QList<FigureCard *> m_cards;
    LiveChart *m_chart;
    int m_requestsLine;
    int m_p50Line;
    int m_p99Line;
};

} // namespace Hearth
