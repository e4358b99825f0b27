#include "pages/tables/relationform.h"

#include "pages/tables/tabledefinition.h"
#include "shell/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace Hearth {

RelationForm::RelationForm(QWidget *parent)
    : QWidget(parent), m_name(new QLineEdit(this)), m_type(new QComboBox(this)),
      m_target(new QComboBox(this)), m_inverse(new QLineEdit(this)), m_onDelete(new QComboBox(this)),
      m_description(new QLineEdit(this)), m_nullable(new QCheckBox(tr("Nullable"), this)),
      m_published(new QCheckBox(tr("Published"), this)), m_hint(new QLabel(this))
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_name->setObjectName(QStringLiteral("relationNameEdit"));
    m_name->setPlaceholderText(tr("the field rows show it as: author"));
    form->addRow(tr("&Property:"), m_name);

    m_type->setObjectName(QStringLiteral("relationTypeCombo"));
    m_type->addItems(TableDefinition::relationTypes());
    m_target->setObjectName(QStringLiteral("relationTargetCombo"));
    m_target->setMinimumContentsLength(14);
    auto *shape = new QHBoxLayout;
    shape->setSpacing(8);
    shape->addWidget(m_type, 1);
    shape->addWidget(new QLabel(tr("to"), this));
    shape->addWidget(m_target, 1);
    auto *kindLabel = new QLabel(tr("&Kind:"), this);
    kindLabel->setBuddy(m_type);
    form->addRow(kindLabel, shape);

    m_hint->setObjectName(QStringLiteral("relationHint"));
    m_hint->setWordWrap(true);
    m_hint->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred); // wrap at the form's width
    QPalette muted = m_hint->palette();
    muted.setColor(QPalette::WindowText, Theme::muted());
    m_hint->setPalette(muted);
    form->addRow(QString(), m_hint);

    m_inverse->setObjectName(QStringLiteral("relationInverseEdit"));
    form->addRow(tr("&Inverse:"), m_inverse);

    m_onDelete->setObjectName(QStringLiteral("relationOnDeleteCombo"));
    m_onDelete->addItems(TableDefinition::onDeleteActions());
    m_onDelete->setItemData(0, tr("The link is cleared (needs a nullable relation)"), Qt::ToolTipRole);
    m_onDelete->setItemData(1, tr("This row is deleted with the row it points at"), Qt::ToolTipRole);
    m_onDelete->setItemData(2, tr("The row it points at cannot be deleted while linked"), Qt::ToolTipRole);
    form->addRow(tr("On de&lete:"), m_onDelete);

    m_description->setObjectName(QStringLiteral("relationDescriptionEdit"));
    m_description->setPlaceholderText(tr("optional"));
    form->addRow(tr("D&escription:"), m_description);

    m_nullable->setObjectName(QStringLiteral("relationNullableCheck"));
    m_nullable->setToolTip(tr("A row may have no link; off: every row needs one"));
    m_published->setObjectName(QStringLiteral("relationPublishedCheck"));
    m_published->setToolTip(tr("Readable by default; off: hidden unless a field permission allows it"));
    auto *flags = new QHBoxLayout;
    flags->setSpacing(14);
    flags->addWidget(m_nullable);
    flags->addWidget(m_published);
    flags->addStretch(1);
    form->addRow(tr("Flags:"), flags);

    for (QLineEdit *edit : {m_name, m_inverse, m_description})
        connect(edit, &QLineEdit::textChanged, this, &RelationForm::emitChanged);
    for (QComboBox *combo : {m_type, m_target, m_onDelete})
        connect(combo, &QComboBox::currentTextChanged, this, &RelationForm::emitChanged);
    for (QCheckBox *box : {m_nullable, m_published})
        connect(box, &QCheckBox::toggled, this, &RelationForm::emitChanged);
    connect(m_type, &QComboBox::currentTextChanged, this, &RelationForm::updateHint);
    setRelation({});
}

void RelationForm::setTargets(const QStringList &tables)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    const QString current = m_target->currentText();
    m_target->clear();
    m_target->addItems(tables);
    m_target->setCurrentIndex(m_target->findText(current));
    m_loading = wasLoading;
}

void RelationForm::setRelation(const QJsonObject &relation)
{
    m_loading = true;
    m_original = relation;
    const QJsonObject r = TableDefinition::canonicalRelation(relation);
    m_name->setText(r.value(u"propertyName").toString());
    m_type->setCurrentIndex(qMax(0, m_type->findText(r.value(u"type").toString())));
    const QString target = r.value(u"targetTable").toString();
    if (!target.isEmpty() && m_target->findText(target) < 0)
        m_target->addItem(target); // a table the list has not caught up with yet
    m_target->setCurrentIndex(m_target->findText(target));
    m_inverse->setText(r.value(u"inversePropertyName").toString());
    m_onDelete->setCurrentIndex(qMax(0, m_onDelete->findText(r.value(u"onDelete").toString())));
    m_description->setText(r.value(u"description").toString());
    m_nullable->setChecked(r.value(u"isNullable").toBool());
    m_published->setChecked(r.value(u"isPublished").toBool());
    updateHint();
    m_loading = false;
}

QJsonObject RelationForm::relation() const
{
    QJsonObject r;
    if (m_original.contains(u"id"))
        r.insert(QStringLiteral("id"), m_original.value(u"id"));
    r.insert(QStringLiteral("propertyName"), m_name->text().trimmed());
    r.insert(QStringLiteral("type"), m_type->currentText());
    r.insert(QStringLiteral("targetTable"), m_target->currentText());
    r.insert(QStringLiteral("inversePropertyName"), m_inverse->text().trimmed());
    r.insert(QStringLiteral("isNullable"), m_nullable->isChecked());
    r.insert(QStringLiteral("onDelete"), m_onDelete->currentText());
    r.insert(QStringLiteral("isPublished"), m_published->isChecked());
    r.insert(QStringLiteral("description"), m_description->text().trimmed());
    return TableDefinition::canonicalRelation(r);
}

void RelationForm::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (QLineEdit *edit : {m_name, m_inverse, m_description})
        edit->setReadOnly(readOnly);
    for (QComboBox *combo : {m_type, m_target, m_onDelete})
        combo->setEnabled(!readOnly);
    for (QCheckBox *box : {m_nullable, m_published})
        box->setEnabled(!readOnly);
    updateHint();
}

void RelationForm::focusName()
{
    m_name->setFocus(Qt::OtherFocusReason);
    m_name->selectAll();
}

void RelationForm::updateHint()
{
    const QString type = m_type->currentText();
    if (type == u"many-to-one") {
        m_hint->setText(tr("Each row points at one row of the target; the inverse (optional) lists them "
                           "there."));
        m_inverse->setPlaceholderText(tr("optional: the list on the target, e.g. posts"));
    } else if (type == u"one-to-many") {
        m_hint->setText(tr("Each row has a list of target rows; the inverse names the many-to-one made on "
                           "the target (required)."));
        m_inverse->setPlaceholderText(tr("required: the target's link back, e.g. author"));
    } else if (type == u"one-to-one") {
        m_hint->setText(tr("Each row points at one target row, and no two rows at the same one."));
        m_inverse->setPlaceholderText(tr("optional: the field on the target"));
    } else {
        m_hint->setText(tr("Rows on both sides link to many; Hearth keeps the links in a junction table. "
                           "On delete does not apply: links go with either side."));
        m_inverse->setPlaceholderText(tr("optional: the list on the target, e.g. tagged"));
    }
    m_onDelete->setEnabled(type != u"many-to-many" && !m_readOnly);
}

void RelationForm::emitChanged()
{
    if (!m_loading)
        emit changed();
}

} // namespace Hearth
