#include "widgets/searchfield.h"

#include "shell/icons.h"

#include <QAction>
#include <QEvent>

namespace Hearth {

SearchField::SearchField(QWidget *parent)
    : QLineEdit(parent), m_icon(addAction(Icons::own(QStringLiteral("search")), QLineEdit::LeadingPosition))
{
    setClearButtonEnabled(true);
}

void SearchField::changeEvent(QEvent *event)
{
    QLineEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        m_icon->setIcon(Icons::own(QStringLiteral("search")));
}

} // namespace Hearth
