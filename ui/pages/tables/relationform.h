#pragma once

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace Hearth {

// Edits one relation of a table definition: property name, kind, target
// table, inverse property, on delete, nullable, published, description.
// changed() after every edit by the user.
class RelationForm : public QWidget
{
    Q_OBJECT
public:
    explicit RelationForm(QWidget *parent = nullptr);

    // The tables a relation may point at (names), the edited table included.
    void setTargets(const QStringList &tables);
    void setRelation(const QJsonObject &relation);
    // The relation as edited, canonical (TableDefinition::canonicalRelation).
    QJsonObject relation() const;
    void setReadOnly(bool readOnly);
    void focusName();

signals:
    void changed();

private:
    void updateHint();
    void emitChanged();

    QJsonObject m_original;
    bool m_loading = false;
    bool m_readOnly = false;
    QLineEdit *m_name;
    QComboBox *m_type;
    QComboBox *m_target;
    QLineEdit *m_inverse;
    QComboBox *m_onDelete;
    QLineEdit *m_description;
    QCheckBox *m_nullable;
    QCheckBox *m_published;
    QLabel *m_hint;
};

} // namespace Hearth
