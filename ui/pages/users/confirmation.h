#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace Hearth {

// Asks before a destructive action, without blocking: a window-modal message
// box (objectName "confirmation") opened with open(); onYes runs only when the
// user picks the action's button.
namespace Confirmation {
void ask(QWidget *parent, const QString &title, const QString &text, const QString &actionText,
         std::function<void()> onYes, bool destructive = true);
}

} // namespace Hearth
