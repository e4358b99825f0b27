#include "pages/cache/cacheoverviewpanel.h"

#include "shell/theme.h"
#include "widgets/figurecard.h"
#include "widgets/livechart.h"
#include "widgets/monitorformat.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace Hearth {

CacheOverviewPanel::CacheOverviewPanel(QWidget *parent)
    : QWidget(parent), m_usage(new QProgressBar(this)), m_usageText(new QLabel(this)),
      m_keys(new FigureCard(tr("Keys"), QStringLiteral("keysCard"), this)),
      m_hitRatio(new FigureCard(tr("Hit ratio"), QStringLiteral("hitRatioCard"), this)),
      m_evictions(new FigureCard(tr("Evictions"), QStringLiteral("evictionsCard"), this)),
      m_expirations(new FigureCard(tr("Expirations"), QStringLiteral("expirationsCard"), this)),
      m_chart(new LiveChart(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);

    // Left: the memory bar over a 2 × 2 grid of cards.
    auto *figures = new QVBoxLayout;
    figures->setSpacing(8);
    auto *memory = new QLabel(tr("Memory"), this);
    QFont bold = memory->font();
    bold.setWeight(QFont::DemiBold);
    memory->setFont(bold);
    figures->addWidget(memory);
    m_usage->setObjectName(QStringLiteral("cacheUsage"));
    m_usage->setRange(0, 1000); // per mille: byte counts do not fit an int
    m_usage->setTextVisible(false);
    m_usage->setAccessibleName(tr("Memory used of the cache budget"));
    figures->addWidget(m_usage);
    m_usageText->setObjectName(QStringLiteral("cacheUsageText"));
    figures->addWidget(m_usageText);
    auto *cards = new QGridLayout;
    cards->setSpacing(8);
    cards->addWidget(m_keys, 0, 0);
    cards->addWidget(m_hitRatio, 0, 1);
    cards->addWidget(m_evictions, 1, 0);
    cards->addWidget(m_expirations, 1, 1);
    figures->addLayout(cards);
    figures->addStretch(1);
    layout->addLayout(figures, 2);

    m_chart->setObjectName(QStringLiteral("cacheChart"));
    m_chart->setAccessibleName(tr("Cache hits and misses per second, last minute"));
    m_hitsLine = m_chart->addLine(tr("Hits/s"), Theme::positive());
    m_missesLine = m_chart->addLine(tr("Misses/s"), Theme::negative());
    m_chart->setAxisTitle(LiveChart::Axis::Left, tr("per second"));
    layout->addWidget(m_chart, 3);
    clear();
}

void CacheOverviewPanel::setOverview(const QJsonObject &o, qint64 nowMs)
{
    const double used = o.value(u"usedBytes").toDouble();
    const double limit = o.value(u"limitBytes").toDouble();
    m_usage->setValue(limit > 0 ? int(qBound(0.0, used / limit * 1000, 1000.0)) : 0);
    m_usageText->setText(tr("%1 of %2 (%3)")
                             .arg(MonitorFormat::bytes(used), MonitorFormat::bytes(limit),
                                  MonitorFormat::percent(limit > 0 ? used / limit : 0)));
    m_keys->setValue(MonitorFormat::number(o.value(u"keyCount").toDouble()),
                     tr("%1 user, %2 system")
                         .arg(MonitorFormat::number(o.value(u"userKeys").toDouble()),
                              MonitorFormat::number(o.value(u"systemKeys").toDouble())));
    const double hits = o.value(u"hits").toDouble();
    const double misses = o.value(u"misses").toDouble();
    m_hitRatio->setValue(
        hits + misses > 0 ? MonitorFormat::percent(o.value(u"hitRatio").toDouble()) : QStringLiteral("—"),
        tr("%1 hits, %2 misses").arg(MonitorFormat::number(hits), MonitorFormat::number(misses)));
    m_evictions->setValue(MonitorFormat::number(o.value(u"evictions").toDouble()), tr("over the budget"));
    m_expirations->setValue(MonitorFormat::number(o.value(u"expirations").toDouble()),
                            tr("time to live ran out"));

    // Rates from the totals' growth since the previous answer. Totals that went down
    // belong to a restarted server: start again from this answer. Two answers close
    // together (a refresh beside a poll) make no rate worth a point.
    if (m_previousMs > 0 && nowMs - m_previousMs < 500)
        return;
    if (m_previousMs > 0) {
        const double seconds = double(nowMs - m_previousMs) / 1000.0;
        const double newHits = hits - m_previous.value(u"hits").toDouble();
        const double newMisses = misses - m_previous.value(u"misses").toDouble();
        if (newHits >= 0 && newMisses >= 0) {
            m_chart->append(m_hitsLine, nowMs, newHits / seconds);
            m_chart->append(m_missesLine, nowMs, newMisses / seconds);
        } else {
            m_chart->clear();
        }
    }
    m_previous = o;
    m_previousMs = nowMs;
}

void CacheOverviewPanel::clear()
{
    m_usage->setValue(0);
    m_usageText->setText(tr("Not loaded yet"));
    for (FigureCard *card : {m_keys, m_hitRatio, m_evictions, m_expirations})
        card->clearValue();
    m_chart->clear();
    m_previous = {};
    m_previousMs = 0;
}

void CacheOverviewPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        m_chart->setLineColor(m_hitsLine, Theme::positive());
        m_chart->setLineColor(m_missesLine, Theme::negative());
    }
}

} // namespace Hearth
