#pragma once

#include "pages/users/formdialog.h"

#include <QJsonObject>

#include <optional>

class QPlainTextEdit;

namespace Hearth {

// The condition of a field rule: a filter on the row, as JSON
// ({"author":{"id":{"_eq":"@USER.id"}}}). Checked as JSON before anything is
// sent; empty text removes the condition.
class ConditionDialog : public FormDialog
{
    Q_OBJECT
public:
    ConditionDialog(const QString &what, const QJsonObject &condition, QWidget *parent = nullptr);

    QPlainTextEdit *editor() const { return m_editor; }
    // The condition typed: an object, an empty object for "none", or nothing
    // (with the reason in *error) when the text is not a JSON object.
    std::optional<QJsonObject> condition(QString *error) const;

private:
    QPlainTextEdit *m_editor;
};

} // namespace Hearth
