#pragma once

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Hearth {

// Edits one column of a table definition: name, type, length (varchar),
// options (enum, array-select), default, description and the flags. Fields
// that do not apply to the type are hidden. changed() after every edit by the user.
class ColumnForm : public QWidget
{
    Q_OBJECT
public:
    explicit ColumnForm(QWidget *parent = nullptr);

    // Shows a column (the request's shape); the id, if any, is kept in column().
    void setColumn(const QJsonObject &column);
    // The column as edited, canonical (TableDefinition::canonicalColumn).
    QJsonObject column() const;
    void setReadOnly(bool readOnly);
    void focusName();

signals:
    void changed();

private:
    void updateTypeFields();
    void emitChanged();

    QJsonObject m_original;
    bool m_loading = false;
    QFormLayout *m_form;
    QLineEdit *m_name;
    QComboBox *m_type;
    QLabel *m_lengthLabel;
    QSpinBox *m_length;
    QLineEdit *m_options;
    QLineEdit *m_default;
    QLineEdit *m_description;
    QCheckBox *m_nullable;
    QCheckBox *m_unique;
    QCheckBox *m_indexed;
    QCheckBox *m_updatable;
    QCheckBox *m_published;
};

} // namespace Hearth
