#include "pages/permissions/conditiondialog.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QPlainTextEdit>

namespace Hearth {

ConditionDialog::ConditionDialog(const QString &what, const QJsonObject &condition, QWidget *parent)
    : FormDialog(tr("Rule Condition"), tr("Save Condition"), parent), m_editor(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("conditionDialog"));
    setNote(tr("%1 holds only for the rows that match this filter. <code>\"@USER.id\"</code>, "
               "<code>\"@USER.email\"</code> and <code>\"@USER.role\"</code> stand for the caller. "
               "Leave it empty for no condition.")
                .arg(what.toHtmlEscaped()));
    m_editor->setObjectName(QStringLiteral("conditionEdit"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setTabChangesFocus(true);
    m_editor->setPlaceholderText(QStringLiteral("{\"author\": {\"id\": {\"_eq\": \"@USER.id\"}}}"));
    if (!condition.isEmpty())
        m_editor->setPlainText(QString::fromUtf8(QJsonDocument(condition).toJson(QJsonDocument::Indented)));
    m_editor->setMinimumHeight(140);
    form()->addRow(m_editor);
    setMinimumWidth(520);
}

std::optional<QJsonObject> ConditionDialog::condition(QString *error) const
{
    const QByteArray text = m_editor->toPlainText().trimmed().toUtf8();
    if (text.isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Line and column read better than the parser's byte offset.
        const QByteArray before = text.left(parseError.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(parseError.offset - (before.lastIndexOf('\n') + 1)) + 1;
        *error =
            tr("Not valid JSON: %1 (line %2, column %3)").arg(parseError.errorString()).arg(line).arg(column);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error =
            tr("The condition must be a JSON object, such as {\"author\":{\"id\":{\"_eq\":\"@USER.id\"}}}");
        return std::nullopt;
    }
    return document.object();
}

} // namespace Hearth
