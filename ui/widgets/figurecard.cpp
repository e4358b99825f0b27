#include "widgets/figurecard.h"

#include "shell/theme.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace Hearth {

FigureCard::FigureCard(const QString &caption, const QString &objectName, QWidget *parent)
    : QFrame(parent), m_caption(new QLabel(caption, this)), m_value(new QLabel(this)),
      m_note(new QLabel(this))
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(caption);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(2);
    m_value->setObjectName(objectName + QStringLiteral("Value"));
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_note);
    layout->addStretch(1);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed); // never squeezed into overlapping lines
    clearValue();
    applyStyle();
}

void FigureCard::setValue(const QString &value, const QString &note)
{
    m_value->setText(value);
    m_note->setText(note);
    m_note->setToolTip(note);
}

QString FigureCard::value() const
{
    return m_value->text();
}

QString FigureCard::note() const
{
    return m_note->text();
}

void FigureCard::clearValue()
{
    setValue(QStringLiteral("—"));
}

void FigureCard::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange ||
        event->type() == QEvent::FontChange)
        applyStyle();
}

void FigureCard::applyStyle()
{
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setWeight(QFont::DemiBold);
    m_value->setFont(big);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_caption->setFont(small);
    m_note->setFont(small);
    QPalette muted = m_caption->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_caption->setPalette(muted);
    m_note->setPalette(muted);
}

} // namespace Hearth
