#include "pages/permissions/fieldrulecell.h"

#include "shell/theme.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QSignalBlocker>
#include <QToolButton>

namespace Hearth {

FieldRuleCell::FieldRuleCell(QWidget *parent)
    : QWidget(parent), m_effect(new QComboBox(this)), m_condition(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 1, 4, 1);
    layout->setSpacing(2);
    m_effect->addItem(tr("—"));
    m_effect->addItem(tr("Allow"));
    m_effect->addItem(tr("Deny"));
    m_effect->setItemData(0, tr("No rule: the baseline decides"), Qt::ToolTipRole);
    connect(m_effect, &QComboBox::activated, this, [this](int index) {
        if (effectAt(index) != m_rule.value(u"effect").toString() || !m_rule.value(u"isEnabled").toBool(true))
            emit effectChosen(effectAt(index));
    });
    m_condition->setText(tr("if…"));
    m_condition->setAutoRaise(true);
    m_condition->setCheckable(true); // "checked" shows that a condition is set
    connect(m_condition, &QToolButton::clicked, this, [this] {
        m_condition->setChecked(
            !m_rule.value(u"condition").toObject().isEmpty()); // the click does not toggle
        emit conditionRequested();
    });
    layout->addWidget(m_effect, 1);
    layout->addWidget(m_condition);
    setRule({});
}

QString FieldRuleCell::effectAt(int index)
{
    return index == 1 ? QStringLiteral("allow") : index == 2 ? QStringLiteral("deny") : QString();
}

void FieldRuleCell::setRule(const QJsonObject &rule, int more)
{
    m_rule = rule;
    const QString effect = rule.value(u"effect").toString();
    {
        const QSignalBlocker quiet(m_effect);
        m_effect->setCurrentIndex(effect == u"allow" ? 1 : effect == u"deny" ? 2 : 0);
    }
    const QJsonObject condition = rule.value(u"condition").toObject();
    m_condition->setEnabled(!rule.isEmpty());
    m_condition->setChecked(!condition.isEmpty());
    QStringList tip;
    if (rule.isEmpty())
        tip << tr("No rule: the baseline decides.");
    else if (!rule.value(u"isEnabled").toBool(true))
        tip << tr("This rule is disabled: the baseline decides. Choose an effect to enable it.");
    if (!condition.isEmpty())
        tip << tr("Only where the row matches %1")
                   .arg(QString::fromUtf8(QJsonDocument(condition).toJson(QJsonDocument::Compact)));
    if (more > 0)
        tip << tr("%n more rule(s) for the same field and action; this cell edits the first.", nullptr, more);
    setToolTip(tip.join(u'\n'));
    m_condition->setToolTip(condition.isEmpty() ? tr("Add a condition: the rule holds only for matching rows")
                                                : tip.join(u'\n'));
    restyle();
}

void FieldRuleCell::restyle()
{
    // Allow in the positive color, deny in the negative one, a disabled rule muted.
    const QString effect = m_rule.value(u"effect").toString();
    QPalette palette = QWidget::palette();
    if (!m_rule.isEmpty() && !m_rule.value(u"isEnabled").toBool(true))
        palette.setColor(QPalette::ButtonText, Theme::muted());
    else if (effect == u"allow")
        palette.setColor(QPalette::ButtonText, Theme::positive());
    else if (effect == u"deny")
        palette.setColor(QPalette::ButtonText, Theme::negative());
    m_effect->setPalette(palette);
}

void FieldRuleCell::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QWidget::changeEvent(event);
}

} // namespace Hearth
