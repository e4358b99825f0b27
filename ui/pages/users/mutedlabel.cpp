#include "pages/users/mutedlabel.h"

#include "shell/theme.h"

#include <QEvent>

namespace Hearth {

MutedLabel::MutedLabel(const QString &text, QWidget *parent) : QLabel(text, parent)
{
    setWordWrap(true);
    applyColor();
}

void MutedLabel::applyColor()
{
    m_applying = true; // setPalette sends a PaletteChange of its own
    QPalette palette = this->palette();
    palette.setColor(QPalette::WindowText, Theme::muted());
    setPalette(palette);
    m_applying = false;
}

void MutedLabel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && !m_applying)
        applyColor();
    QLabel::changeEvent(event);
}

} // namespace Hearth
