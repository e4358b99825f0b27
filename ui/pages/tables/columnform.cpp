#include "pages/tables/columnform.h"

#include "pages/tables/tabledefinition.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace Hearth {

namespace {

QCheckBox *flag(const QString &objectName, const QString &text, const QString &toolTip, QWidget *parent)
{
    auto *box = new QCheckBox(text, parent);
    box->setObjectName(objectName);
    box->setToolTip(toolTip);
    return box;
}

} // namespace

ColumnForm::ColumnForm(QWidget *parent)
    : QWidget(parent), m_form(new QFormLayout(this)), m_name(new QLineEdit(this)),
      m_type(new QComboBox(this)), m_lengthLabel(new QLabel(tr("Length:"), this)),
      m_length(new QSpinBox(this)), m_options(new QLineEdit(this)), m_default(new QLineEdit(this)),
      m_description(new QLineEdit(this)),
      m_nullable(flag(QStringLiteral("columnNullableCheck"), tr("Nullable"),
                      tr("Rows may leave this column empty; off: every row needs a value"), this)),
      m_unique(
          flag(QStringLiteral("columnUniqueCheck"), tr("Unique"), tr("No two rows may share a value"), this)),
      m_indexed(flag(QStringLiteral("columnIndexedCheck"), tr("Indexed"),
                     tr("Faster filters and sorts on this column"), this)),
      m_updatable(flag(QStringLiteral("columnUpdatableCheck"), tr("Updatable"),
                       tr("Off: the value is set when a row is created and PATCH leaves it alone"), this)),
      m_published(flag(QStringLiteral("columnPublishedCheck"), tr("Published"),
                       tr("Readable by default; off: hidden unless a field permission allows it"), this))
{
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_name->setObjectName(QStringLiteral("columnNameEdit"));
    m_name->setPlaceholderText(tr("letters, digits and _"));
    m_form->addRow(tr("N&ame:"), m_name);

    m_type->setObjectName(QStringLiteral("columnTypeCombo"));
    m_type->addItems(TableDefinition::columnTypes());
    m_length->setObjectName(QStringLiteral("columnLengthSpin"));
    m_length->setRange(0, 65535);
    m_length->setSpecialValueText(tr("255 (default)"));
    m_length->setToolTip(tr("The most characters a value may have"));
    auto *typeRow = new QHBoxLayout;
    typeRow->setSpacing(8);
    typeRow->addWidget(m_type, 1);
    typeRow->addWidget(m_lengthLabel);
    typeRow->addWidget(m_length);
    auto *typeLabel = new QLabel(tr("&Type:"), this);
    typeLabel->setBuddy(m_type);
    m_form->addRow(typeLabel, typeRow);

    m_options->setObjectName(QStringLiteral("columnOptionsEdit"));
    m_options->setPlaceholderText(tr("the allowed values, separated by commas: news, blog"));
    m_form->addRow(tr("&Options:"), m_options);

    m_default->setObjectName(QStringLiteral("columnDefaultEdit"));
    m_form->addRow(tr("De&fault:"), m_default);

    m_description->setObjectName(QStringLiteral("columnDescriptionEdit"));
    m_description->setPlaceholderText(tr("optional"));
    m_form->addRow(tr("D&escription:"), m_description);

    auto *flags = new QHBoxLayout;
    flags->setSpacing(14);
    for (QCheckBox *box : {m_nullable, m_unique, m_indexed, m_updatable, m_published})
        flags->addWidget(box);
    flags->addStretch(1);
    m_form->addRow(tr("Flags:"), flags);

    for (QLineEdit *edit : {m_name, m_options, m_default, m_description})
        connect(edit, &QLineEdit::textChanged, this, &ColumnForm::emitChanged);
    for (QCheckBox *box : {m_nullable, m_unique, m_indexed, m_updatable, m_published})
        connect(box, &QCheckBox::toggled, this, &ColumnForm::emitChanged);
    connect(m_length, &QSpinBox::valueChanged, this, &ColumnForm::emitChanged);
    connect(m_type, &QComboBox::currentTextChanged, this, [this] {
        updateTypeFields();
        emitChanged();
    });
    setColumn({});
}

void ColumnForm::setColumn(const QJsonObject &column)
{
    m_loading = true;
    m_original = column;
    const QJsonObject c = TableDefinition::canonicalColumn(column);
    m_name->setText(c.value(u"name").toString());
    const int type = m_type->findText(c.value(u"type").toString());
    m_type->setCurrentIndex(type < 0 ? 0 : type);
    m_length->setValue(c.value(u"length").toInt());
    m_options->setText(TableDefinition::optionsText(c.value(u"options")));
    m_default->setText(TableDefinition::defaultText(c.value(u"defaultValue")));
    m_description->setText(c.value(u"description").toString());
    m_nullable->setChecked(c.value(u"isNullable").toBool());
    m_unique->setChecked(c.value(u"isUnique").toBool());
    m_indexed->setChecked(c.value(u"isIndexed").toBool());
    m_updatable->setChecked(c.value(u"isUpdatable").toBool());
    m_published->setChecked(c.value(u"isPublished").toBool());
    updateTypeFields();
    m_loading = false;
}

QJsonObject ColumnForm::column() const
{
    QJsonObject c;
    if (m_original.contains(u"id"))
        c.insert(QStringLiteral("id"), m_original.value(u"id"));
    const QString type = m_type->currentText();
    c.insert(QStringLiteral("name"), m_name->text().trimmed());
    c.insert(QStringLiteral("type"), type);
    c.insert(QStringLiteral("isNullable"), m_nullable->isChecked());
    c.insert(QStringLiteral("isUnique"), m_unique->isChecked());
    c.insert(QStringLiteral("isIndexed"), m_indexed->isChecked());
    c.insert(QStringLiteral("isUpdatable"), m_updatable->isChecked());
    c.insert(QStringLiteral("isPublished"), m_published->isChecked());
    c.insert(QStringLiteral("length"), m_length->value());
    c.insert(QStringLiteral("options"), TableDefinition::optionsFromText(m_options->text()));
    const QJsonValue defaultValue = TableDefinition::defaultFromText(type, m_default->text());
    if (!defaultValue.isUndefined())
        c.insert(QStringLiteral("defaultValue"), defaultValue);
    c.insert(QStringLiteral("description"), m_description->text().trimmed());
    return TableDefinition::canonicalColumn(c);
}

void ColumnForm::setReadOnly(bool readOnly)
{
    for (QLineEdit *edit : {m_name, m_options, m_default, m_description})
        edit->setReadOnly(readOnly);
    m_type->setEnabled(!readOnly);
    m_length->setReadOnly(readOnly);
    for (QCheckBox *box : {m_nullable, m_unique, m_indexed, m_updatable, m_published})
        box->setEnabled(!readOnly);
}

void ColumnForm::focusName()
{
    m_name->setFocus(Qt::OtherFocusReason);
    m_name->selectAll();
}

void ColumnForm::updateTypeFields()
{
    const QString type = m_type->currentText();
    const bool length = TableDefinition::takesLength(type);
    m_lengthLabel->setVisible(length);
    m_length->setVisible(length);
    m_form->setRowVisible(m_options, TableDefinition::takesOptions(type));
    if (type == u"boolean")
        m_default->setPlaceholderText(tr("none; or true, false"));
    else if (type == u"simple-json" || type == u"array-select")
        m_default->setPlaceholderText(tr("none; or a JSON value: [\"a\"]"));
    else if (type == u"int" || type == u"bigint" || type == u"float")
        m_default->setPlaceholderText(tr("none; or a number"));
    else
        m_default->setPlaceholderText(tr("none; fills the column when a row leaves it out"));
}

void ColumnForm::emitChanged()
{
    if (!m_loading)
        emit changed();
}

} // namespace Hearth
