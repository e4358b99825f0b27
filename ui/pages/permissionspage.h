#pragma once

#include "shell/page.h"

class QTabWidget;

namespace Hearth {

class FieldGrid;
class RolesPanel;
class RouteMatrix;

// Who may do what, in three tabs: the roles; route permissions as a matrix
// of routes × methods for one role; field permissions of one table for one
// role or user (with each field's isPublished baseline). Every change is
// stored at once.
class PermissionsPage : public Page
{
    Q_OBJECT
public:
    explicit PermissionsPage(QWidget *parent = nullptr);

    QTabWidget *tabs() const { return m_tabs; }
    RolesPanel *rolesPanel() const { return m_roles; }
    RouteMatrix *routeMatrix() const { return m_routes; }
    FieldGrid *fieldGrid() const { return m_fields; }

public slots:
    void refresh() override;

protected:
    void reset() override;
    void paletteChanged() override;

private:
    QTabWidget *m_tabs;
    RolesPanel *m_roles;
    RouteMatrix *m_routes;
    FieldGrid *m_fields;
};

} // namespace Hearth
