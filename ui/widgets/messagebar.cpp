#include "widgets/messagebar.h"

#include "shell/icons.h"
#include "shell/theme.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>

namespace Hearth {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_action(new QPushButton(this)),
      m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->setSpacing(10);
    m_icon->setFixedSize(18, 18);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_text->setObjectName(QStringLiteral("messageText"));
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, [this] {
        if (m_handler)
            m_handler();
    });
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void MessageBar::showMessage(const QString &text, Kind kind, const QString &details)
{
    m_kind = kind;
    m_text->setText(text);
    setToolTip(details);
    m_handler = {};
    m_action->hide();
    restyle();
    show();
}

void MessageBar::setAction(const QString &text, std::function<void()> handler)
{
    m_handler = std::move(handler);
    m_action->setText(text);
    m_action->setVisible(bool(m_handler));
}

void MessageBar::dismiss()
{
    if (isHidden())
        return;
    hide();
    m_handler = {};
    emit dismissed();
}

QString MessageBar::text() const
{
    return isHidden() ? QString() : m_text->text();
}

bool MessageBar::isShowing() const
{
    return !isHidden();
}

void MessageBar::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // restyle() sets no palette on this widget, so it cannot cause another PaletteChange.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        restyle();
}

void MessageBar::paintEvent(QPaintEvent *)
{
    // Drawn, not style-sheeted: a style sheet would freeze the children's palettes at one color scheme.
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(m_border, 1));
    p.setBrush(m_background);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
}

void MessageBar::restyle()
{
    QColor color;
    QString icon;
    switch (m_kind) {
    case Info:
        color = Theme::accent();
        icon = QStringLiteral("info");
        break;
    case Positive:
        color = Theme::positive();
        icon = QStringLiteral("success");
        break;
    case Warning:
        color = Theme::warning();
        icon = QStringLiteral("warning");
        break;
    case Error:
        color = Theme::negative();
        icon = QStringLiteral("error");
        break;
    }
    const QColor window = QApplication::palette().color(QPalette::Window);
    m_background = Theme::mix(window, color, Theme::isDark() ? 0.16 : 0.10);
    m_border = Theme::mix(window, color, 0.45);
    update();
    m_icon->setPixmap(Icons::own(icon, color).pixmap(18, 18));
    m_close->setIcon(Icons::own(QStringLiteral("close")));
}

} // namespace Hearth
