#include "pages/users/formdialog.h"

#include "shell/theme.h"
#include "widgets/busyindicator.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Hearth {

FormDialog::FormDialog(const QString &title, const QString &okText, QWidget *parent)
    : QDialog(parent), m_layout(new QVBoxLayout(this)), m_note(new QLabel(this)), m_form(new QFormLayout),
      m_error(new QLabel(this)), m_busyIndicator(new BusyIndicator(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(title);
    setModal(true);
    setAttribute(Qt::WA_DeleteOnClose);
    m_layout->setContentsMargins(20, 18, 20, 16);
    m_layout->setSpacing(12);

    m_note->setWordWrap(true);
    m_note->hide();
    m_layout->addWidget(m_note);

    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_form->setHorizontalSpacing(12);
    m_form->setVerticalSpacing(8);
    m_layout->addLayout(m_form);

    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    m_layout->addWidget(m_error);
    m_layout->addStretch(1);

    m_ok = m_buttons->addButton(okText, QDialogButtonBox::AcceptRole);
    m_ok->setObjectName(QStringLiteral("okButton"));
    m_ok->setDefault(true);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_busyIndicator);
    bottom->addWidget(m_buttons, 1);
    m_layout->addLayout(bottom);

    // OK sends; the dialog closes only when the page says the server agreed.
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_busy || !isComplete())
            return;
        clearError();
        emit submitted();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(420);
}

void FormDialog::setNote(const QString &text)
{
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

void FormDialog::addBelow(QWidget *widget)
{
    m_layout->insertWidget(m_layout->indexOf(m_error), widget);
}

void FormDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_busyIndicator->setRunning(busy);
    for (int i = 0; i < m_form->rowCount(); ++i)
        if (QLayoutItem *field = m_form->itemAt(i, QFormLayout::FieldRole))
            if (field->widget())
                field->widget()->setEnabled(!busy);
    updateOk();
}

void FormDialog::showError(const QString &text)
{
    setBusy(false);
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, Theme::negative());
    m_error->setPalette(palette);
    m_error->setText(text);
    m_error->show();
}

void FormDialog::clearError()
{
    m_error->clear();
    m_error->hide();
}

void FormDialog::updateOk()
{
    m_ok->setEnabled(!m_busy && isComplete());
}

} // namespace Hearth
