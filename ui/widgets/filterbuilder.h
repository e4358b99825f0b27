#pragma once

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace Hearth {

// A field the filter builder offers, and how its values are typed. A dotted key
// ("author.name") filters through a relation.
struct FilterField
{
    enum Type
    {
        Text,
        Number,
        Boolean,
        Enum, // values from options
        Date,
        Relation, // compared by the related row's id
    };
    QString key;
    Type type = Text;
    QStringList options;
};

// Builds an API filter (API.md "Filter operators") from rows of field /
// operator / value, all ANDed or all ORed, and shows the JSON it makes in a
// read-only, copyable line. Apply (or Enter in a value) emits applied().
//
//   builder->setFields({{"title", FilterField::Text}, {"public", FilterField::Boolean}});
//   builder->addCondition("title", "_contains", "news");
//   builder->apply(); // applied({"title":{"_contains":"news"}})
class FilterBuilder : public QWidget
{
    Q_OBJECT
public:
    explicit FilterBuilder(QWidget *parent = nullptr);

    // The fields to offer; removes every condition.
    void setFields(const QList<FilterField> &fields);
    // A new row; empty key: the first text field. op: "_contains", … (empty: the type's first).
    void addCondition(const QString &key = {}, const QString &op = {}, const QString &value = {});
    int conditionCount() const { return int(m_rows.size()); }
    void removeCondition(int row);
    // true: every condition must match (_and); false: any (_or).
    void setMatchAll(bool all);
    bool matchAll() const;

    // The filter the rows make now (the JSON line shows it), and the one applied last.
    QJsonObject filter() const;
    QJsonObject appliedFilter() const { return m_applied; }
    QString filterJson() const;

    // The operators offered for a type, in menu order.
    static QStringList operatorsFor(FilterField::Type type);
    // The value typed for an operator as JSON ("1, 2" for _in → [1,2]).
    static QJsonValue valueFor(FilterField::Type type, const QString &op, const QString &text);

public slots:
    void apply();
    // No conditions, and applies that (everything shown).
    void clear();
    // Focus for typing: the first condition's value (a condition is added when there is none).
    void focusFirst();

signals:
    void applied(const QJsonObject &filter);

private:
    struct Row
    {
        QWidget *widget;
        QComboBox *field;
        QComboBox *op;
        QLineEdit *value;
        QComboBox *choice; // boolean and enum values
    };
    void fieldChanged(Row &row);
    void operatorChanged(Row &row);
    void updateJson();
    int indexOfRow(QWidget *widget) const;
    FilterField fieldOf(const Row &row) const;

    QList<FilterField> m_fields;
    QList<Row> m_rows;
    QJsonObject m_applied;
    QComboBox *m_match;
    QVBoxLayout *m_rowsLayout;
    QPushButton *m_add;
    QPushButton *m_clear;
    QPushButton *m_apply;
    QLineEdit *m_json;
    QPushButton *m_copy;
    QLabel *m_none; // "No conditions" while there are none
};

} // namespace Hearth
