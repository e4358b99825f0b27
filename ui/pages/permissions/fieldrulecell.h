#pragma once

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QToolButton;

namespace Hearth {

// One cell of the field grid: the rule of the chosen role or user for one
// field and one action. The combo picks (none) / allow / deny; the button
// beside it edits the rule's condition (enabled once there is a rule).
class FieldRuleCell : public QWidget
{
    Q_OBJECT
public:
    explicit FieldRuleCell(QWidget *parent = nullptr);

    // The rule shown (empty: none); more: how many further rules match the same cell.
    void setRule(const QJsonObject &rule, int more = 0);
    QJsonObject rule() const { return m_rule; }
    QComboBox *combo() const { return m_effect; }
    QToolButton *conditionButton() const { return m_condition; }

    // "allow", "deny", or empty for none.
    static QString effectAt(int index);

signals:
    void effectChosen(const QString &effect);
    void conditionRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void restyle();

    QJsonObject m_rule;
    QComboBox *m_effect;
    QToolButton *m_condition;
};

} // namespace Hearth
