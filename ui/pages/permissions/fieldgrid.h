#pragma once

#include "pages/permissions/accesspanel.h"

#include <QJsonArray>
#include <QJsonObject>

class QComboBox;
class QLabel;
class QTableWidget;
class QTableWidgetItem;

namespace Hearth {

class FieldRuleCell;

// Field permissions of one table for one role or user: a row per column and
// relation with its isPublished baseline (a check box: it is a hearth_column /
// hearth_relation field, changed through PATCH /hearth_table with its
// preview) and, per action (read, create, update), the rule for the chosen
// subject: none, allow or deny, with an optional condition.
class FieldGrid : public AccessPanel
{
    Q_OBJECT
public:
    explicit FieldGrid(QWidget *parent = nullptr);

    void reload() override;
    // The roles to choose from ({id, name}).
    void setRoles(const QJsonArray &roles);

    QComboBox *tableCombo() const { return m_tableCombo; }
    QComboBox *subjectCombo() const { return m_subject; }
    QTableWidget *grid() const { return m_grid; }
    // The cell of a field (column name or relation property) and an action (read, create, update).
    FieldRuleCell *cell(const QString &field, const QString &action) const;
    // The Published check box item of a field.
    QTableWidgetItem *publishedItem(const QString &field) const;
    // Draws the grid again from what was loaded (the subject changed, or the colors).
    void rebuild();

signals:
    // The chosen table's fields and rules are shown.
    void tableShown();

private:
    struct Field
    {
        bool isRelation = false;
        qint64 id = 0;
        QString name;
        QString type;
        bool isPublished = true;
    };

    void fillSubjects();
    void loadTable();
    QList<QJsonObject> rulesFor(const Field &field, const QString &action) const;
    void setEffect(const Field &field, const QString &action, const QString &effect);
    void editCondition(const Field &field, const QString &action);
    void togglePublished(const Field &field, bool published);
    void applySchema(const QString &path, const QJsonObject &body, const QString &done);
    QString subjectText() const;

    QJsonArray m_roles;
    QJsonArray m_users;
    QJsonObject m_table; // GET /hearth_table/:id
    QList<Field> m_fields;
    QJsonArray m_rules;
    int m_listGeneration = 0;  // answers to an older reload() are dropped
    int m_tableGeneration = 0; // answers to an older loadTable() are dropped
    bool m_building = false;
    QComboBox *m_tableCombo;
    QComboBox *m_subject;
    QLabel *m_hint;
    QTableWidget *m_grid;
};

} // namespace Hearth
