#pragma once

#include "pages/permissions/accesspanel.h"

#include <QJsonArray>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableWidget;
class QTableWidgetItem;

namespace Hearth {

// Route permissions of one role as a matrix: a row per route, a column per
// method; a tick means an enabled hearth_route_permission of that role lists
// the method. Ticking creates or extends the role's rule, unticking narrows it
// (and deletes it when no method and no user is left). Public methods are
// marked "public" (anyone may call them; no permission needed); rules of other
// roles and of single users show in the last column.
class RouteMatrix : public AccessPanel
{
    Q_OBJECT
public:
    explicit RouteMatrix(QWidget *parent = nullptr);

    void reload() override;
    // The roles to choose from ({id, name}); keeps the chosen one when it is still there.
    void setRoles(const QJsonArray &roles);

    QComboBox *roleCombo() const { return m_role; }
    QTableWidget *table() const { return m_table; }
    // The cell of path × method (null when not shown).
    QTableWidgetItem *cell(const QString &path, const QString &method) const;
    // Draws the matrix again from what was loaded (the role changed, or the colors).
    void rebuild();

signals:
    void reloaded();

private:
    void itemChanged(QTableWidgetItem *item);
    void apply(const QJsonObject &route, const QString &method, bool granted);
    QJsonArray rulesOf(const QJsonValue &routeId) const;
    QString otherRulesText(const QJsonValue &routeId, const QJsonValue &roleId) const;
    void setBusy(bool busy);

    QJsonArray m_roles;
    QJsonArray m_routes;
    QJsonArray m_rules;
    QStringList m_methods; // the columns
    int m_generation = 0;
    int m_pending = 0;
    bool m_building = false;
    QComboBox *m_role;
    QCheckBox *m_showSystem;
    QLabel *m_hint;
    QTableWidget *m_table;
};

} // namespace Hearth
