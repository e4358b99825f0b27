#include "pages/data/celleditors.h"

#include "pages/data/datatablemodel.h"
#include "pages/data/relationpicker.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateEdit>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>

#include <limits>

namespace Hearth::CellEditors {

namespace {

constexpr char kFormMode[] = "hearthFormMode";

QString tr(const char *text)
{
    return QCoreApplication::translate("Hearth::CellEditors", text);
}

QComboBox *choices(const DataField &field, Mode mode, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    if (mode == Mode::Form)
        combo->addItem(tr("(default)"), QVariant::fromValue(QJsonValue(QJsonValue::Undefined)));
    if (field.nullable)
        combo->addItem(QStringLiteral("—"), QVariant::fromValue(QJsonValue(QJsonValue::Null)));
    if (field.kind == DataField::Boolean) {
        combo->addItem(QStringLiteral("true"), QVariant::fromValue(QJsonValue(true)));
        combo->addItem(QStringLiteral("false"), QVariant::fromValue(QJsonValue(false)));
    } else {
        for (const QString &option : field.options)
            combo->addItem(option, QVariant::fromValue(QJsonValue(option)));
    }
    return combo;
}

QString placeholderFor(const DataField &field)
{
    switch (field.kind) {
    case DataField::Integer:
        return tr("a whole number");
    case DataField::Float:
        return tr("a number");
    case DataField::Date:
        return tr("YYYY-MM-DD");
    case DataField::DateTime:
        return tr("YYYY-MM-DDTHH:MM:SSZ");
    default:
        return field.nullable ? tr("(empty)") : tr("required");
    }
}

// A JSON value as people edit it: objects and arrays indented, scalars as they are written.
QString jsonText(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return {};
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    const QString wrapped =
        QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
    return wrapped.mid(1).chopped(1);
}

} // namespace

bool isMultiLine(const DataField &field)
{
    return field.kind == DataField::Json || field.kind == DataField::LongText;
}

QWidget *create(const DataField &field, Mode mode, ApiClient *client, QWidget *parent)
{
    QWidget *editor = nullptr;
    if (isMultiLine(field)) {
        auto *text = new QPlainTextEdit(parent);
        text->setTabChangesFocus(true);
        if (field.kind == DataField::Json || field.type == u"code")
            text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        if (mode == Mode::Form)
            text->setPlaceholderText(field.kind == DataField::Json ? tr("JSON, e.g. {\"a\": 1} or [\"x\"]")
                                                                   : placeholderFor(field));
        else
            text->setPlaceholderText(
                field.kind == DataField::Json
                    ? tr("JSON (empty: null). Tab or a click elsewhere saves, Esc cancels.")
                    : tr("Tab or a click elsewhere saves, Esc cancels."));
        editor = text;
    } else if (field.kind == DataField::Boolean || field.kind == DataField::Enum) {
        editor = choices(field, mode, parent);
    } else if (field.kind == DataField::ToOne) {
        editor = new RelationPicker(client, field, field.nullable || mode == Mode::Form, parent);
    } else if (mode == Mode::Cell && field.kind == DataField::Integer && field.type == u"int") {
        auto *spin = new QSpinBox(parent);
        spin->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        editor = spin;
    } else if (mode == Mode::Cell && field.kind == DataField::Float) {
        auto *spin = new QDoubleSpinBox(parent);
        spin->setRange(-1e15, 1e15);
        spin->setDecimals(6);
        editor = spin;
    } else if (mode == Mode::Cell && field.kind == DataField::Date) {
        auto *date = new QDateEdit(parent);
        date->setCalendarPopup(true);
        date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        editor = date;
    } else if (mode == Mode::Cell && field.kind == DataField::DateTime) {
        auto *when = new QDateTimeEdit(parent);
        when->setCalendarPopup(true);
        when->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        editor = when;
    } else {
        auto *line = new QLineEdit(parent);
        if (field.kind == DataField::Integer)
            line->setValidator(
                new QRegularExpressionValidator(QRegularExpression(QStringLiteral("-?\\d{0,19}")), line));
        if (mode == Mode::Form)
            line->setPlaceholderText(placeholderFor(field));
        editor = line;
    }
    editor->setProperty(kFormMode, mode == Mode::Form);
    editor->setObjectName(QStringLiteral("edit_") + field.key);
    return editor;
}

void setValue(QWidget *editor, const DataField &field, const QJsonValue &value)
{
    if (auto *picker = qobject_cast<RelationPicker *>(editor)) {
        picker->setCurrentRow(value);
    } else if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        for (int i = 0; i < combo->count(); ++i)
            if (combo->itemData(i).value<QJsonValue>() == value)
                combo->setCurrentIndex(i);
    } else if (auto *text = qobject_cast<QPlainTextEdit *>(editor)) {
        if (field.kind == DataField::Json)
            text->setPlainText(jsonText(value));
        else
            text->setPlainText(value.toString());
    } else if (auto *spin = qobject_cast<QSpinBox *>(editor)) {
        spin->setValue(value.toInt());
    } else if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor)) {
        spin->setValue(value.toDouble());
    } else if (auto *when = qobject_cast<QDateTimeEdit *>(editor)) {
        // QDateEdit is a QDateTimeEdit too.
        if (field.kind == DataField::Date) {
            const QDate date = QDate::fromString(value.toString(), Qt::ISODate);
            when->setDate(date.isValid() ? date : QDate::currentDate());
        } else {
            const QDateTime at = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
            when->setDateTime(at.isValid() ? at.toLocalTime() : QDateTime::currentDateTime());
        }
    } else if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        line->setText(value.isNull() || value.isUndefined() ? QString() : value.toVariant().toString());
    }
}

std::optional<QJsonValue> value(const QWidget *editor, const DataField &field, QString *error)
{
    const bool form = editor->property(kFormMode).toBool();
    if (auto *picker = qobject_cast<const RelationPicker *>(editor)) {
        const QJsonValue row = picker->currentRow();
        return form && !row.isObject() ? QJsonValue(QJsonValue::Undefined) : row;
    }
    if (auto *combo = qobject_cast<const QComboBox *>(editor))
        return combo->currentIndex() < 0 ? QJsonValue(QJsonValue::Undefined)
                                         : combo->currentData().value<QJsonValue>();
    if (auto *spin = qobject_cast<const QSpinBox *>(editor))
        return QJsonValue(spin->value());
    if (auto *spin = qobject_cast<const QDoubleSpinBox *>(editor))
        return QJsonValue(spin->value());
    if (auto *when = qobject_cast<const QDateTimeEdit *>(editor))
        return field.kind == DataField::Date
                   ? QJsonValue(when->date().toString(Qt::ISODate))
                   : QJsonValue(when->dateTime().toUTC().toString(Qt::ISODateWithMs));
    QString text;
    if (auto *plain = qobject_cast<const QPlainTextEdit *>(editor))
        text = plain->toPlainText();
    else if (auto *line = qobject_cast<const QLineEdit *>(editor))
        text = line->text();
    if (form && text.trimmed().isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    return DataTableModel::toJson(field, text, error);
}

} // namespace Hearth::CellEditors
