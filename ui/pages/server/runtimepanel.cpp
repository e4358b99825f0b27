#include "pages/server/runtimepanel.h"

#include "shell/theme.h"
#include "widgets/figurecard.h"
#include "widgets/livechart.h"
#include "widgets/monitorformat.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>

namespace Hearth {

RuntimePanel::RuntimePanel(QWidget *parent) : QWidget(parent), m_chart(new LiveChart(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);

    const QList<std::pair<QString, QString>> cards{
        {tr("Requests/s"), QStringLiteral("requestRateCard")},
        {tr("Latency (p50)"), QStringLiteral("latencyCard")},
        {tr("Workers"), QStringLiteral("workersCard")},
        {tr("Connections"), QStringLiteral("connectionsCard")},
        {tr("Requests"), QStringLiteral("totalRequestsCard")},
        {tr("Memory (RSS)"), QStringLiteral("memoryCard")},
    };
    auto *grid = new QGridLayout;
    grid->setSpacing(8);
    for (int i = 0; i < cards.size(); ++i) {
        auto *card = new FigureCard(cards.at(i).first, cards.at(i).second, this);
        grid->addWidget(card, i / 2, i % 2);
        m_cards << card;
    }
    grid->setRowStretch(int(cards.size() + 1) / 2, 1);
    layout->addLayout(grid, 2);

    m_chart->setObjectName(QStringLiteral("requestsChart"));
    m_chart->setAccessibleName(tr("Requests per second and latency, last minute"));
    m_requestsLine = m_chart->addLine(tr("Requests/s"), Theme::accent());
    m_p50Line = m_chart->addLine(tr("p50 ms"), Theme::positive(), LiveChart::Axis::Right);
    m_p99Line = m_chart->addLine(tr("p99 ms"), Theme::warning(), LiveChart::Axis::Right);
    m_chart->setAxisTitle(LiveChart::Axis::Left, tr("requests/s"));
    m_chart->setAxisTitle(LiveChart::Axis::Right, tr("ms"));
    layout->addWidget(m_chart, 3);
}

FigureCard *RuntimePanel::card(const QString &objectName) const
{
    for (FigureCard *c : m_cards)
        if (c->objectName() == objectName)
            return c;
    return nullptr;
}

void RuntimePanel::setRuntime(const QJsonObject &r)
{
    using namespace MonitorFormat;
    const QJsonObject latency = r.value(u"latencyMs").toObject();
    card(QStringLiteral("requestRateCard"))
        ->setValue(number(r.value(u"requestsPerSecond").toDouble()),
                   tr("%1 errors/s · %2 last minute")
                       .arg(number(r.value(u"errorsPerSecond").toDouble()),
                            number(r.value(u"requestsLastMinute").toDouble())));
    card(QStringLiteral("latencyCard"))
        ->setValue(
            tr("%1 ms").arg(number(latency.value(u"p50").toDouble())),
            tr("p95 %1 · p99 %2 ms")
                .arg(number(latency.value(u"p95").toDouble()), number(latency.value(u"p99").toDouble())));
    QStringList perWorker;
    for (const QJsonValue &n : r.value(u"connectionsPerWorker").toArray())
        perWorker << number(n.toDouble());
    card(QStringLiteral("workersCard"))
        ->setValue(number(r.value(u"workers").toDouble()),
                   perWorker.isEmpty()
                       ? QString()
                       : tr("connections each: %1").arg(perWorker.join(QStringLiteral(", "))));
    card(QStringLiteral("connectionsCard"))
        ->setValue(number(r.value(u"connections").toDouble()),
                   tr("open now · %1 since start").arg(number(r.value(u"totalConnections").toDouble())));
    card(QStringLiteral("totalRequestsCard"))
        ->setValue(number(r.value(u"totalRequests").toDouble()),
                   tr("since start, %1 ago").arg(duration(r.value(u"uptimeMs").toDouble())));
    const double rssMb = r.value(u"memory").toObject().value(u"rssMb").toDouble();
    card(QStringLiteral("memoryCard"))
        ->setValue(rssMb > 0 ? bytes(rssMb * 1024 * 1024) : QStringLiteral("—"), tr("resident set size"));

    // The series' last second is still filling: leave it out. Latency means nothing
    // in a second without requests, so those seconds have no latency point.
    QList<QPointF> requests, p50, p99;
    const QJsonArray series = r.value(u"series").toArray();
    for (qsizetype i = 0; i + 1 < series.size(); ++i) {
        const QJsonObject s = series.at(i).toObject();
        const double t = s.value(u"t").toDouble();
        const double n = s.value(u"requests").toDouble();
        requests.append(QPointF(t, n));
        if (n > 0) {
            p50.append(QPointF(t, s.value(u"p50").toDouble()));
            p99.append(QPointF(t, s.value(u"p99").toDouble()));
        }
    }
    m_chart->setSamples(m_requestsLine, requests);
    m_chart->setSamples(m_p50Line, p50);
    m_chart->setSamples(m_p99Line, p99);
}

void RuntimePanel::clear()
{
    for (FigureCard *c : std::as_const(m_cards))
        c->clearValue();
    m_chart->clear();
}

void RuntimePanel::applyLineColors()
{
    m_chart->setLineColor(m_requestsLine, Theme::accent());
    m_chart->setLineColor(m_p50Line, Theme::positive());
    m_chart->setLineColor(m_p99Line, Theme::warning());
}

void RuntimePanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyLineColors();
}

} // namespace Hearth
