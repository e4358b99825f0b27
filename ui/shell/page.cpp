#include "shell/page.h"

#include "shell/icons.h"
#include "shell/servercontrol.h"
#include "shell/theme.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hearth {

Page::Page(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_subtitle(new QLabel(this)),
      m_headerActions(new QHBoxLayout), m_refreshButton(new QToolButton(this)),
      m_messageBar(new MessageBar(this)), m_body(new QVBoxLayout), m_footer(new QLabel(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(24, 18, 24, 12);
    outer->setSpacing(12);

    auto *header = new QHBoxLayout;
    header->setSpacing(8);
    auto *titles = new QVBoxLayout;
    titles->setSpacing(2);
    m_title->setObjectName(QStringLiteral("pageTitle"));
    m_title->setAccessibleName(tr("Page title"));
    m_subtitle->setObjectName(QStringLiteral("pageSubtitle"));
    m_subtitle->setWordWrap(true);
    m_subtitle->hide();
    titles->addWidget(m_title);
    titles->addWidget(m_subtitle);
    header->addLayout(titles, 1);
    m_headerActions->setSpacing(6);
    header->addLayout(m_headerActions);
    m_refreshButton->setObjectName(QStringLiteral("refreshButton"));
    m_refreshButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_refreshButton->setText(tr("Refresh"));
    m_refreshButton->setToolTip(tr("Load again from the server (F5)"));
    connect(m_refreshButton, &QToolButton::clicked, this, [this] { refresh(); });
    header->addWidget(m_refreshButton, 0, Qt::AlignVCenter);
    outer->addLayout(header);

    outer->addWidget(m_messageBar);
    m_body->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(m_body, 1);
    m_footer->setObjectName(QStringLiteral("pageFooter"));
    m_footer->hide();
    outer->addWidget(m_footer);
    updateHeaderStyle();
}

QString Page::title() const
{
    return m_title->text();
}

void Page::setTitle(const QString &title)
{
    m_title->setText(title);
}

QString Page::subtitle() const
{
    return m_subtitle->text();
}

void Page::setSubtitle(const QString &subtitle)
{
    m_subtitle->setText(subtitle);
    m_subtitle->setVisible(!subtitle.isEmpty());
}

void Page::setClient(ApiClient *client)
{
    if (client == m_client)
        return;
    m_client = client;
    m_loaded = false;
    m_stale = false;
    m_errorFromLoad = false;
    m_messageBar->dismiss();
    reset();
    if (m_active && m_client)
        refresh();
}

void Page::setServerControl(ServerControl *control)
{
    if (control == m_serverControl)
        return;
    m_serverControl = control;
    serverControlChanged();
}

void Page::activate()
{
    m_active = true;
    m_refreshButton->setVisible(actions() & RefreshAction);
    if (m_client && (!m_loaded || m_stale)) {
        m_stale = false;
        refresh();
    }
}

void Page::deactivate()
{
    m_active = false;
}

void Page::markStale()
{
    m_stale = true;
    if (m_active && m_client) {
        m_stale = false;
        refresh();
    }
}

void Page::showError(const ApiFailure &failure, const QString &context)
{
    const QString text = context.isEmpty() ? failure.message : tr("%1: %2").arg(context, failure.message);
    QStringList details;
    if (!failure.method.isEmpty())
        details << QStringLiteral("%1 %2").arg(QString::fromLatin1(failure.method), failure.path);
    if (failure.httpStatus)
        details << tr("HTTP %1 %2").arg(failure.httpStatus).arg(failure.code);
    else if (!failure.code.isEmpty())
        details << failure.code;
    if (!failure.correlationId.isEmpty())
        details << tr("Correlation id %1").arg(failure.correlationId);
    m_errorFromLoad = false;
    m_messageBar->showMessage(text, MessageBar::Error, details.join(u'\n'));
}

void Page::showMessage(const QString &text, MessageBar::Kind kind)
{
    m_errorFromLoad = false;
    m_messageBar->showMessage(text, kind);
}

void Page::clearMessage()
{
    m_errorFromLoad = false;
    m_messageBar->dismiss();
}

void Page::setContentWidget(QWidget *widget)
{
    if (m_content) {
        m_body->removeWidget(m_content);
        m_content->deleteLater();
    }
    m_content = widget;
    if (widget)
        m_body->addWidget(widget);
}

void Page::addHeaderWidget(QWidget *widget)
{
    m_headerActions->addWidget(widget, 0, Qt::AlignVCenter);
}

QToolButton *Page::addHeaderAction(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    addHeaderWidget(button);
    return button;
}

void Page::setFooterText(const QString &text)
{
    m_footer->setText(text);
    m_footer->setVisible(!text.isEmpty());
}

void Page::load(const QString &path, std::function<void(const ApiResult &)> onSuccess,
                const QString &errorContext)
{
    call("GET", path, QJsonValue::Undefined, std::move(onSuccess), errorContext);
}

void Page::call(const QByteArray &method, const QString &path, const QJsonValue &body,
                std::function<void(const ApiResult &)> onSuccess, const QString &errorContext)
{
    if (!m_client)
        return;
    const QPointer<ApiClient> client = m_client;
    m_client->send(
        method, path, body,
        [this, client, onSuccess, errorContext, method](const ApiResult &result) {
            if (client != m_client)
                return; // an answer from the server the page showed before
            if (!result.ok()) {
                showError(result.failure(), errorContext);
                m_errorFromLoad = method == "GET";
                return;
            }
            if (method == "GET") {
                m_loaded = true;
                if (m_errorFromLoad)
                    clearMessage();
            }
            if (onSuccess)
                onSuccess(result);
        },
        this);
}

void Page::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // A new application palette reaches a child widget as PaletteChange. Restyling touches
    // only the children's palettes, so it sends none to the page itself.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        updateHeaderStyle();
        paletteChanged();
    }
}

void Page::updateHeaderStyle()
{
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.45);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    QPalette muted = m_subtitle->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_subtitle->setPalette(muted);
    m_footer->setPalette(muted);
    m_refreshButton->setIcon(Icons::themed(QStringLiteral("refresh")));
}

} // namespace Hearth
