#pragma once

#include "pages/tables/schemachanges.h"

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;

namespace Hearth {

// "Review the change" before a schema change is applied: what will change, in
// plain words, one line each; lines that lose data in the warning color, with
// a warning above them. Confirm (accept) applies, Cancel (reject) changes
// nothing; when the server listed blockers, Confirm is disabled. Open it with
// open(): the caller acts on accepted() / rejected().
class SchemaPreviewDialog : public QDialog
{
    Q_OBJECT
public:
    // heading: "Save the changes to posts?"; confirmText: the Confirm button's label.
    SchemaPreviewDialog(const QString &heading, const QList<SchemaChanges::Line> &lines,
                        const QString &confirmText, QWidget *parent = nullptr);

    bool isDestructive() const { return m_destructive; }
    // The lines as shown, for tests and screen readers.
    QStringList lineTexts() const;
    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    bool m_destructive;
    QListWidget *m_list;
    QPushButton *m_confirm;
    QPushButton *m_cancel;
};

} // namespace Hearth
