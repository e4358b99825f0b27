#include "widgets/filterbuilder.h"

#include "shell/icons.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hearth {

namespace {

QString operatorText(const QString &op)
{
    static const QHash<QString, const char *> texts{
        {QStringLiteral("_eq"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "equals")},
        {QStringLiteral("_neq"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "does not equal")},
        {QStringLiteral("_gt"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "greater than")},
        {QStringLiteral("_gte"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "at least")},
        {QStringLiteral("_lt"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "less than")},
        {QStringLiteral("_lte"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "at most")},
        {QStringLiteral("_contains"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "contains")},
        {QStringLiteral("_starts_with"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "starts with")},
        {QStringLiteral("_ends_with"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "ends with")},
        {QStringLiteral("_in"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "is one of")},
        {QStringLiteral("_not_in"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "is none of")},
        {QStringLiteral("_between"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "is between")},
        {QStringLiteral("_is_null"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "is empty")},
        {QStringLiteral("_is_not_null"), QT_TRANSLATE_NOOP("Hearth::FilterBuilder", "is not empty")},
    };
    return FilterBuilder::tr(texts.value(op, ""));
}

bool takesNoValue(const QString &op)
{
    return op == u"_is_null" || op == u"_is_not_null";
}

bool takesList(const QString &op)
{
    return op == u"_in" || op == u"_not_in" || op == u"_between";
}

QJsonValue scalar(FilterField::Type type, const QString &text)
{
    const QString t = text.trimmed();
    switch (type) {
    case FilterField::Number:
    case FilterField::Relation: {
        bool ok = false;
        const qint64 whole = t.toLongLong(&ok);
        if (ok)
            return whole;
        const double d = t.toDouble(&ok);
        return ok ? QJsonValue(d) : QJsonValue(t); // the server says what is wrong with it
    }
    case FilterField::Boolean:
        if (t == u"true" || t == u"false")
            return t == u"true";
        return t;
    default:
        return type == FilterField::Text ? text : t;
    }
}

} // namespace

FilterBuilder::FilterBuilder(QWidget *parent)
    : QWidget(parent), m_match(new QComboBox(this)), m_rowsLayout(new QVBoxLayout),
      m_add(new QPushButton(tr("Add condition"), this)), m_clear(new QPushButton(tr("Clear"), this)),
      m_apply(new QPushButton(tr("Apply"), this)), m_json(new QLineEdit(this)),
      m_copy(new QPushButton(tr("Copy"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    auto *top = new QHBoxLayout;
    m_match->setObjectName(QStringLiteral("filterMatch"));
    m_match->addItem(tr("all"), true);
    m_match->addItem(tr("any"), false);
    m_match->setToolTip(tr("all: every condition must hold (_and); any: one is enough (_or)"));
    top->addWidget(new QLabel(tr("Rows that match"), this));
    top->addWidget(m_match);
    top->addWidget(new QLabel(tr("of these conditions:"), this));
    top->addStretch(1);
    layout->addLayout(top);
    connect(m_match, &QComboBox::currentIndexChanged, this, [this] { updateJson(); });

    m_rowsLayout->setSpacing(4);
    layout->addLayout(m_rowsLayout);
    m_none = new QLabel(tr("No conditions: every row is shown. Add one below."), this);
    m_none->setObjectName(QStringLiteral("filterNone"));
    m_none->setEnabled(false); // drawn muted
    layout->addWidget(m_none);

    auto *buttons = new QHBoxLayout;
    m_add->setObjectName(QStringLiteral("filterAdd"));
    m_add->setIcon(Icons::own(QStringLiteral("data-add")));
    m_clear->setObjectName(QStringLiteral("filterClear"));
    m_apply->setObjectName(QStringLiteral("filterApply"));
    m_apply->setToolTip(tr("Show the rows that match (Enter)"));
    buttons->addWidget(m_add);
    buttons->addStretch(1);
    buttons->addWidget(m_clear);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);
    connect(m_add, &QPushButton::clicked, this, [this] {
        addCondition();
        m_rows.last().field->setFocus(Qt::TabFocusReason);
    });
    connect(m_clear, &QPushButton::clicked, this, &FilterBuilder::clear);
    connect(m_apply, &QPushButton::clicked, this, &FilterBuilder::apply);

    auto *jsonLine = new QHBoxLayout;
    m_json->setObjectName(QStringLiteral("filterJson"));
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setToolTip(tr("The filter parameter sent to the server"));
    m_copy->setObjectName(QStringLiteral("filterCopy"));
    m_copy->setToolTip(tr("Copy the filter JSON"));
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_json->text()); });
    jsonLine->addWidget(new QLabel(tr("filter ="), this));
    jsonLine->addWidget(m_json, 1);
    jsonLine->addWidget(m_copy);
    layout->addLayout(jsonLine);
    updateJson();
}

void FilterBuilder::setFields(const QList<FilterField> &fields)
{
    m_fields = fields;
    while (!m_rows.isEmpty())
        removeCondition(int(m_rows.size()) - 1);
    m_applied = {};
    updateJson();
}

QStringList FilterBuilder::operatorsFor(FilterField::Type type)
{
    const QString nulls = QStringLiteral("_is_null,_is_not_null");
    switch (type) {
    case FilterField::Text:
        return QStringLiteral("_contains,_eq,_neq,_starts_with,_ends_with,_in,_not_in,")
            .append(nulls)
            .split(u',');
    case FilterField::Number:
    case FilterField::Date:
        return QStringLiteral("_eq,_neq,_gt,_gte,_lt,_lte,_between,_in,_not_in,").append(nulls).split(u',');
    case FilterField::Boolean:
        return QStringLiteral("_eq,_neq,").append(nulls).split(u',');
    case FilterField::Enum:
    case FilterField::Relation:
        return QStringLiteral("_eq,_neq,_in,_not_in,").append(nulls).split(u',');
    }
    return {};
}

QJsonValue FilterBuilder::valueFor(FilterField::Type type, const QString &op, const QString &text)
{
    if (takesNoValue(op))
        return true;
    if (!takesList(op))
        return scalar(type, text);
    QJsonArray values;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
        values.append(scalar(type, part.trimmed()));
    return values;
}

void FilterBuilder::addCondition(const QString &key, const QString &op, const QString &value)
{
    Row row;
    row.widget = new QWidget(this);
    auto *line = new QHBoxLayout(row.widget);
    line->setContentsMargins(0, 0, 0, 0);
    row.field = new QComboBox(row.widget);
    row.field->setObjectName(QStringLiteral("filterField"));
    for (const FilterField &f : std::as_const(m_fields))
        row.field->addItem(f.key, f.key);
    row.op = new QComboBox(row.widget);
    row.op->setObjectName(QStringLiteral("filterOperator"));
    row.value = new QLineEdit(row.widget);
    row.value->setObjectName(QStringLiteral("filterValue"));
    row.value->setClearButtonEnabled(true);
    row.choice = new QComboBox(row.widget);
    row.choice->setObjectName(QStringLiteral("filterChoice"));
    auto *remove = new QToolButton(row.widget);
    remove->setObjectName(QStringLiteral("filterRemove"));
    remove->setIcon(Icons::own(QStringLiteral("close")));
    remove->setToolTip(tr("Remove this condition"));
    remove->setAutoRaise(true);
    line->addWidget(row.field);
    line->addWidget(row.op);
    line->addWidget(row.value, 1);
    line->addWidget(row.choice, 1);
    line->addWidget(remove);
    m_rowsLayout->addWidget(row.widget);
    row.widget->show(); // now, not when the layout gets to it: focus and tests need it
    m_rows.append(row);

    QWidget *w = row.widget;
    auto find = [this, w]() -> Row * {
        const int i = indexOfRow(w);
        return i < 0 ? nullptr : &m_rows[i];
    };
    int fieldIndex = row.field->findData(key);
    if (fieldIndex < 0) {
        fieldIndex = 0;
        for (int i = 0; i < m_fields.size(); ++i)
            if (m_fields.at(i).type == FilterField::Text) {
                fieldIndex = i;
                break;
            }
    }
    row.field->setCurrentIndex(fieldIndex);
    fieldChanged(m_rows.last());
    if (!op.isEmpty() && row.op->findData(op) >= 0)
        row.op->setCurrentIndex(row.op->findData(op));
    operatorChanged(m_rows.last());
    if (!value.isEmpty()) {
        row.value->setText(value);
        const int choice = row.choice->findText(value);
        if (choice >= 0)
            row.choice->setCurrentIndex(choice);
    }
    connect(row.field, &QComboBox::currentIndexChanged, this, [this, find] {
        if (Row *r = find())
            fieldChanged(*r);
    });
    connect(row.op, &QComboBox::currentIndexChanged, this, [this, find] {
        if (Row *r = find())
            operatorChanged(*r);
    });
    connect(row.value, &QLineEdit::textChanged, this, [this] { updateJson(); });
    connect(row.value, &QLineEdit::returnPressed, this, &FilterBuilder::apply);
    connect(row.choice, &QComboBox::currentIndexChanged, this, [this] { updateJson(); });
    connect(remove, &QToolButton::clicked, this, [this, w] { removeCondition(indexOfRow(w)); });
    updateJson();
}

void FilterBuilder::removeCondition(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    QWidget *widget = m_rows.takeAt(row).widget;
    widget->hide();
    widget->deleteLater();
    updateJson();
}

void FilterBuilder::setMatchAll(bool all)
{
    m_match->setCurrentIndex(all ? 0 : 1);
}

bool FilterBuilder::matchAll() const
{
    return m_match->currentIndex() == 0;
}

int FilterBuilder::indexOfRow(QWidget *widget) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).widget == widget)
            return i;
    return -1;
}

FilterField FilterBuilder::fieldOf(const Row &row) const
{
    return m_fields.value(row.field->currentIndex());
}

void FilterBuilder::fieldChanged(Row &row)
{
    const FilterField f = fieldOf(row);
    const QString previous = row.op->currentData().toString();
    {
        const QSignalBlocker blocker(row.op);
        row.op->clear();
        for (const QString &op : operatorsFor(f.type)) {
            row.op->addItem(operatorText(op), op);
            row.op->setItemData(row.op->count() - 1, op, Qt::ToolTipRole);
        }
        const int keep = row.op->findData(previous);
        row.op->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    {
        const QSignalBlocker blocker(row.choice);
        row.choice->clear();
        if (f.type == FilterField::Boolean)
            row.choice->addItems({QStringLiteral("true"), QStringLiteral("false")});
        else if (f.type == FilterField::Enum)
            row.choice->addItems(f.options);
    }
    operatorChanged(row);
}

void FilterBuilder::operatorChanged(Row &row)
{
    const FilterField f = fieldOf(row);
    const QString op = row.op->currentData().toString();
    const bool choice = (f.type == FilterField::Boolean || f.type == FilterField::Enum) && !takesList(op);
    row.value->setVisible(!takesNoValue(op) && !choice);
    row.choice->setVisible(!takesNoValue(op) && choice);
    QString hint;
    if (op == u"_between")
        hint = tr("from, to");
    else if (takesList(op))
        hint = tr("values, separated by commas");
    else if (f.type == FilterField::Date)
        hint = tr("YYYY-MM-DD");
    else if (f.type == FilterField::Relation)
        hint = tr("id of the related row");
    else
        hint = tr("value");
    row.value->setPlaceholderText(hint);
    updateJson();
}

QJsonObject FilterBuilder::filter() const
{
    QJsonArray conditions;
    for (const Row &row : m_rows) {
        const FilterField f = fieldOf(row);
        if (f.key.isEmpty())
            continue;
        const QString op = row.op->currentData().toString();
        const bool choice = (f.type == FilterField::Boolean || f.type == FilterField::Enum) && !takesList(op);
        const QString text = choice ? row.choice->currentText() : row.value->text();
        if (!takesNoValue(op) && text.trimmed().isEmpty())
            continue; // a condition still being written
        // "author.name" filters through the relation: {"author":{"name":{…}}}.
        QJsonObject condition{{op, valueFor(f.type, op, text)}};
        const QStringList path = f.key.split(u'.');
        for (auto part = path.crbegin(); part != path.crend(); ++part)
            condition = QJsonObject{{*part, condition}};
        conditions.append(condition);
    }
    if (conditions.isEmpty())
        return {};
    if (conditions.size() == 1)
        return conditions.first().toObject();
    return {{matchAll() ? QStringLiteral("_and") : QStringLiteral("_or"), conditions}};
}

QString FilterBuilder::filterJson() const
{
    return QString::fromUtf8(QJsonDocument(filter()).toJson(QJsonDocument::Compact));
}

void FilterBuilder::updateJson()
{
    m_none->setVisible(m_rows.isEmpty());
    m_json->setText(filterJson());
    m_json->setCursorPosition(0);
    // Apply has something to do only when the conditions changed since.
    m_apply->setEnabled(filter() != m_applied);
}

void FilterBuilder::apply()
{
    m_applied = filter();
    updateJson();
    emit applied(m_applied);
}

void FilterBuilder::clear()
{
    while (!m_rows.isEmpty())
        removeCondition(int(m_rows.size()) - 1);
    apply();
}

void FilterBuilder::focusFirst()
{
    if (m_rows.isEmpty())
        addCondition();
    Row &row = m_rows.first();
    QWidget *target = row.value->isVisibleTo(row.widget) ? static_cast<QWidget *>(row.value)
                                                         : static_cast<QWidget *>(row.field);
    target->setFocus(Qt::ShortcutFocusReason);
    if (target == row.value)
        row.value->selectAll();
}

} // namespace Hearth
