#include "pages/server/requestlogpanel.h"

#include "pages/server/requestlogmodel.h"
#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/rowlist.h"
#include "widgets/searchfield.h"

#include <QAction>
#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Hearth {

namespace {

// What the console itself asks every second or so: noise in a log of the server's traffic.
bool isConsolePoll(const QString &path)
{
    return path == u"/admin/runtime" || path == u"/admin/requests" || path == u"/admin/cache/overview";
}

} // namespace

RequestLogPanel::RequestLogPanel(QWidget *parent)
    : QWidget(parent), m_filter(new SearchField(this)), m_pause(new QToolButton(this)),
      m_showPolls(new QCheckBox(tr("Console polls"), this)), m_view(new QTableView(this)),
      m_note(new QLabel(this)), m_model(new RequestLogModel(this)), m_filterDelay(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(8);
    m_filter->setObjectName(QStringLiteral("requestFilter"));
    m_filter->setPlaceholderText(tr("Method, path, status or user (Ctrl+F)"));
    m_filter->setMinimumWidth(260);
    bar->addWidget(m_filter, 1);
    m_showPolls->setObjectName(QStringLiteral("showConsolePolls"));
    m_showPolls->setToolTip(tr("Also list the console's own polling of /admin/runtime, /admin/requests "
                               "and /admin/cache/overview"));
    bar->addWidget(m_showPolls);
    m_pause->setObjectName(QStringLiteral("pauseLog"));
    m_pause->setCheckable(true);
    m_pause->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_pause->setToolTip(tr("Stop or resume the live updates of the list"));
    bar->addWidget(m_pause);
    layout->addLayout(bar);

    m_view->setObjectName(QStringLiteral("requestLogView"));
    m_view->setModel(m_model);
    setUpRowList(m_view);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *header = m_view->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setHighlightSections(false);
    header->setSectionResizeMode(RequestLogModel::PathColumn, QHeaderView::Stretch);
    const QFontMetrics fm = m_view->fontMetrics();
    m_view->setColumnWidth(RequestLogModel::TimeColumn,
                           fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + 24);
    m_view->setColumnWidth(RequestLogModel::MethodColumn,
                           fm.horizontalAdvance(QStringLiteral("DELETE")) + 24);
    m_view->setColumnWidth(RequestLogModel::StatusColumn,
                           fm.horizontalAdvance(QStringLiteral("Status")) + 24);
    m_view->setColumnWidth(RequestLogModel::MsColumn, fm.horizontalAdvance(QStringLiteral("10000.0")) + 24);
    m_view->setColumnWidth(RequestLogModel::UserColumn,
                           fm.horizontalAdvance(QStringLiteral("someone@example.org")));
    m_view->setAccessibleName(tr("Recent requests"));
    layout->addWidget(m_view, 1);
    m_note->setObjectName(QStringLiteral("requestLogNote"));
    layout->addWidget(m_note);

    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        m_filterDelay->stop();
        restart();
    });
    connect(m_filterDelay, &QTimer::timeout, this, &RequestLogPanel::restart);
    connect(m_showPolls, &QCheckBox::toggled, this, &RequestLogPanel::restart);
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        setPaused(paused);
        if (!paused)
            poll();
    });
    // New rows go on top: a reader scrolled down keeps reading the same rows. The view
    // lays itself out later, so the scroll range is widened here for the value to fit.
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                QScrollBar *bar = m_view->verticalScrollBar();
                if (bar->value() == 0)
                    return;
                const int shift = (last - first + 1) * m_view->verticalHeader()->defaultSectionSize();
                bar->setMaximum(bar->maximum() + shift);
                bar->setValue(bar->value() + shift);
            });
    setPaused(false);
}

void RequestLogPanel::setClient(ApiClient *client)
{
    if (client == m_client)
        return;
    m_client = client;
    clear();
}

bool RequestLogPanel::isPaused() const
{
    return m_pause->isChecked();
}

void RequestLogPanel::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused); // toggled() comes back here
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(Icons::themed(paused ? QStringLiteral("start") : QStringLiteral("stop")));
    updateNote();
}

void RequestLogPanel::clear()
{
    ++m_generation;
    m_waiting = false;
    m_lastId = 0;
    m_model->clear();
    updateNote();
}

void RequestLogPanel::restart()
{
    clear();
    poll();
}

void RequestLogPanel::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

bool RequestLogPanel::shows(const QJsonObject &row) const
{
    return m_showPolls->isChecked() || !isConsolePoll(row.value(u"path").toString());
}

void RequestLogPanel::poll()
{
    if (!m_client || isPaused() || m_waiting)
        return;
    QString path = QStringLiteral("/admin/requests?limit=200");
    if (m_lastId > 0)
        path += QStringLiteral("&after=%1").arg(qint64(m_lastId));
    const QString q = m_filter->text().trimmed();
    if (!q.isEmpty())
        path += QStringLiteral("&q=") + QString::fromLatin1(QUrl::toPercentEncoding(q));
    m_waiting = true;
    const int generation = m_generation;
    m_client->get(
        path,
        [this, generation](const ApiResult &result) {
            if (generation != m_generation)
                return;
            m_waiting = false;
            if (!result.ok()) {
                emit failed(result.failure());
                return;
            }
            QJsonArray shown;
            for (const QJsonValue &row : result.data()) {
                m_lastId = qMax(m_lastId, row.toObject().value(u"id").toDouble());
                if (shows(row.toObject()))
                    shown.append(row);
            }
            m_model->prepend(shown);
            updateNote();
            emit polled();
        },
        this, ApiClient::Background);
}

void RequestLogPanel::updateNote()
{
    const int rows = m_model->rowCount();
    QString text = rows == 1 ? tr("1 request") : tr("%1 requests").arg(QLocale().toString(rows));
    if (!m_filter->text().trimmed().isEmpty())
        text += tr(" matching “%1”").arg(m_filter->text().trimmed());
    text += isPaused() ? tr(" · paused") : tr(" · live");
    QPalette p = m_note->palette();
    p.setColor(QPalette::WindowText, isPaused() ? Theme::warning() : Theme::muted());
    m_note->setPalette(p);
    m_note->setText(text);
}

void RequestLogPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        m_pause->setIcon(Icons::themed(isPaused() ? QStringLiteral("start") : QStringLiteral("stop")));
        m_model->paletteChanged();
        updateNote();
    }
}

} // namespace Hearth
