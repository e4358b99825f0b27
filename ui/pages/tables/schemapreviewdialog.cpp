#include "pages/tables/schemapreviewdialog.h"

#include "shell/icons.h"
#include "shell/theme.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace Hearth {

namespace {

// An icon and a wrapped note side by side, in a color.
QWidget *note(const QString &objectName, const QString &icon, const QColor &color, const QString &text,
              QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    auto *iconLabel = new QLabel(box);
    iconLabel->setPixmap(Icons::own(icon, color).pixmap(22, 22));
    layout->addWidget(iconLabel, 0, Qt::AlignTop);
    auto *label = new QLabel(text, box);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    QFont bold = label->font();
    bold.setWeight(QFont::DemiBold);
    label->setFont(bold);
    layout->addWidget(label, 1);
    return box;
}

} // namespace

SchemaPreviewDialog::SchemaPreviewDialog(const QString &heading, const QList<SchemaChanges::Line> &lines,
                                         const QString &confirmText, QWidget *parent)
    : QDialog(parent), m_destructive(SchemaChanges::isDestructive(lines)), m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("schemaPreviewDialog"));
    setWindowTitle(tr("Review the schema change"));
    setWindowModality(Qt::WindowModal);
    setMinimumWidth(520);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 18, 20, 14);
    layout->setSpacing(12);

    auto *title = new QLabel(heading, this);
    title->setObjectName(QStringLiteral("previewHeading"));
    title->setWordWrap(true);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    big.setWeight(QFont::DemiBold);
    title->setFont(big);
    layout->addWidget(title);

    const bool blocked = SchemaChanges::hasBlockers(lines);
    if (blocked)
        layout->addWidget(note(QStringLiteral("blockerNote"), QStringLiteral("error"), Theme::negative(),
                               tr("Hearth cannot apply this change as it is. Fix what is listed in red, "
                                  "then save again."),
                               this));
    else if (m_destructive)
        layout->addWidget(note(QStringLiteral("destructiveWarning"), QStringLiteral("warning"),
                               Theme::warning(),
                               tr("This change deletes data, and it cannot be undone. Copy the data folder "
                                  "first if you may need it again."),
                               this));

    auto *intro =
        new QLabel(lines.isEmpty() ? tr("Nothing in the schema changes.") : tr("What will change:"), this);
    layout->addWidget(intro);

    m_list->setObjectName(QStringLiteral("changeList"));
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setFocusPolicy(Qt::NoFocus);
    m_list->setWordWrap(true);
    m_list->setTextElideMode(Qt::ElideNone);
    m_list->setSpacing(2);
    for (const SchemaChanges::Line &line : lines) {
        auto *item = new QListWidgetItem(line.text, m_list);
        item->setData(Qt::UserRole, int(line.kind));
        switch (line.kind) {
        case SchemaChanges::Line::Change:
            item->setIcon(Icons::own(QStringLiteral("info"), Theme::muted()));
            break;
        case SchemaChanges::Line::Destructive:
        case SchemaChanges::Line::Warning: {
            item->setIcon(Icons::own(QStringLiteral("warning"), Theme::warning()));
            item->setForeground(Theme::negative());
            QFont bold = item->font();
            bold.setWeight(QFont::DemiBold);
            item->setFont(bold);
            break;
        }
        case SchemaChanges::Line::Blocker:
            item->setIcon(Icons::own(QStringLiteral("error"), Theme::negative()));
            item->setForeground(Theme::negative());
            break;
        }
    }
    m_list->setVisible(!lines.isEmpty());
    const int rowHeight = fontMetrics().height() + 10;
    m_list->setMinimumHeight(qBound(rowHeight * 2, rowHeight * int(lines.size()) + 8, rowHeight * 12));
    layout->addWidget(m_list, 1);

    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_confirm = buttons->addButton(confirmText, QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setEnabled(!blocked);
    if (m_destructive && !blocked)
        m_confirm->setIcon(Icons::own(QStringLiteral("warning"), Theme::negative()));
    // Enter confirms a harmless change; a destructive one needs a deliberate click.
    (m_destructive || blocked ? m_cancel : m_confirm)->setDefault(true);
    (m_destructive || blocked ? m_cancel : m_confirm)->setFocus();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QStringList SchemaPreviewDialog::lineTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_list->count(); ++i)
        texts << m_list->item(i)->text();
    return texts;
}

} // namespace Hearth
