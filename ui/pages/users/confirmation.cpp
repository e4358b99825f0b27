#include "pages/users/confirmation.h"

#include <QMessageBox>
#include <QPushButton>

namespace Hearth::Confirmation {

void ask(QWidget *parent, const QString &title, const QString &text, const QString &actionText,
         std::function<void()> onYes, bool destructive)
{
    auto *box = new QMessageBox(destructive ? QMessageBox::Warning : QMessageBox::Question, title, text,
                                QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("confirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    QPushButton *yes = box->addButton(actionText, QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    box->setDefaultButton(QMessageBox::Cancel); // Enter does not destroy anything by accident
    QObject::connect(box, &QMessageBox::buttonClicked, box, [box, yes, onYes](QAbstractButton *button) {
        if (button == yes && onYes)
            onYes();
    });
    box->open();
}

} // namespace Hearth::Confirmation
