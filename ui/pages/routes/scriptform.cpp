#include "pages/routes/scriptform.h"

#include "pages/routes/methodchecks.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace Hearth {

ScriptForm::ScriptForm(QWidget *parent)
    : QWidget(parent), m_name(new QLineEdit(this)), m_nameLabel(new QLabel(tr("&Name:"), this)),
      m_method(new QLabel(this)), m_priority(new QSpinBox(this)),
      m_priorityLabel(new QLabel(tr("&Priority:"), this)), m_timeout(new QSpinBox(this)),
      m_methods(new MethodChecks(this)), m_methodsLabel(new QLabel(tr("Methods:"), this)),
      m_enabled(new QCheckBox(tr("&Enabled"), this)), m_global(new QCheckBox(tr("&Global"), this)),
      m_afterResponse(new QCheckBox(tr("Run &after response"), this))
{
    m_name->setObjectName(QStringLiteral("scriptName"));
    m_nameLabel->setBuddy(m_name);
    m_method->setObjectName(QStringLiteral("scriptMethod"));
    QFont bold = m_method->font();
    bold.setBold(true);
    m_method->setFont(bold);
    m_priority->setObjectName(QStringLiteral("scriptPriority"));
    m_priority->setRange(-1'000'000, 1'000'000);
    m_priority->setToolTip(tr("Hooks run in ascending priority; global hooks first on ties"));
    m_priorityLabel->setBuddy(m_priority);
    m_timeout->setObjectName(QStringLiteral("scriptTimeout"));
    m_timeout->setRange(0, 3'600'000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setSpecialValueText(tr("Default"));
    m_timeout->setToolTip(tr("How long the script may run (default 5 s for hooks, 30 s for handlers)"));
    m_methods->setObjectName(QStringLiteral("scriptMethods"));
    m_methods->setToolTip(tr("The methods the hook runs for; none checked means every method"));
    m_enabled->setObjectName(QStringLiteral("scriptEnabled"));
    m_global->setObjectName(QStringLiteral("scriptGlobal"));
    m_global->setToolTip(tr("Run for every route, not only this one"));
    m_afterResponse->setObjectName(QStringLiteral("scriptAfterResponse"));
    m_afterResponse->setToolTip(tr("Run once the answer is sent, without delaying it"));

    auto *timeoutLabel = new QLabel(tr("&Timeout:"), this);
    timeoutLabel->setBuddy(m_timeout);
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(6);
    grid->addWidget(m_nameLabel, 0, 0);
    grid->addWidget(m_name, 0, 1);
    grid->addWidget(m_method, 0, 1);
    grid->addWidget(m_priorityLabel, 0, 2);
    grid->addWidget(m_priority, 0, 3);
    grid->addWidget(timeoutLabel, 0, 4);
    grid->addWidget(m_timeout, 0, 5);
    grid->addWidget(m_methodsLabel, 1, 0);
    grid->addWidget(m_methods, 1, 1, 1, 5);
    auto *flags = new QHBoxLayout;
    flags->setSpacing(14);
    flags->addWidget(m_enabled);
    flags->addWidget(m_global);
    flags->addWidget(m_afterResponse);
    flags->addStretch(1);
    grid->addLayout(flags, 2, 1, 1, 5);
    grid->setColumnStretch(1, 1);

    connect(m_name, &QLineEdit::textEdited, this, &ScriptForm::changed);
    connect(m_priority, &QSpinBox::valueChanged, this, &ScriptForm::changed);
    connect(m_timeout, &QSpinBox::valueChanged, this, &ScriptForm::changed);
    connect(m_methods, &MethodChecks::changed, this, &ScriptForm::changed);
    for (QCheckBox *box : {m_enabled, m_global, m_afterResponse})
        connect(box, &QCheckBox::toggled, this, &ScriptForm::changed);
}

void ScriptForm::setScript(ScriptKind kind, const QJsonObject &row)
{
    m_kind = kind;
    const bool hook = kind != ScriptKind::Handler;
    const QSignalBlocker quiet(this); // filling in is not a change
    for (QWidget *w : std::initializer_list<QWidget *>{m_name, m_nameLabel, m_priority, m_priorityLabel,
                                                       m_methods, m_methodsLabel, m_enabled, m_global})
        w->setVisible(hook);
    m_method->setVisible(!hook);
    m_afterResponse->setVisible(kind == ScriptKind::PostHook);
    m_name->setText(row.value(u"name").toString());
    m_method->setText(tr("%1 handler").arg(row.value(u"method").toString()));
    m_priority->setValue(row.value(u"priority").toInt());
    m_timeout->setValue(row.value(u"timeout").toInt());
    QStringList methods;
    for (const QJsonValue &m : row.value(u"methods").toArray())
        methods << m.toString();
    m_methods->setMethods(methods);
    m_enabled->setChecked(row.value(u"isEnabled").toBool(true));
    m_global->setChecked(row.value(u"isGlobal").toBool());
    m_afterResponse->setChecked(row.value(u"runAfterResponse").toBool());
}

QJsonObject ScriptForm::values() const
{
    QJsonObject out{
        {QStringLiteral("timeout"), m_timeout->value() ? QJsonValue(m_timeout->value()) : QJsonValue()}};
    if (m_kind == ScriptKind::Handler)
        return out;
    out.insert(QStringLiteral("name"), m_name->text());
    out.insert(QStringLiteral("priority"), m_priority->value());
    out.insert(QStringLiteral("methods"), QJsonArray::fromStringList(m_methods->methods()));
    out.insert(QStringLiteral("isEnabled"), m_enabled->isChecked());
    out.insert(QStringLiteral("isGlobal"), m_global->isChecked());
    if (m_kind == ScriptKind::PostHook)
        out.insert(QStringLiteral("runAfterResponse"), m_afterResponse->isChecked());
    return out;
}

} // namespace Hearth
