#include "pages/permissionspage.h"

#include "pages/permissions/fieldgrid.h"
#include "pages/permissions/rolespanel.h"
#include "pages/permissions/routematrix.h"

#include <QTabWidget>

namespace Hearth {

PermissionsPage::PermissionsPage(QWidget *parent)
    : Page(parent), m_tabs(new QTabWidget(this)), m_roles(new RolesPanel(m_tabs)),
      m_routes(new RouteMatrix(m_tabs)), m_fields(new FieldGrid(m_tabs))
{
    setSubtitle(
        tr("Who may call which routes, and read or write which fields. Root admins pass every check."));
    m_tabs->setObjectName(QStringLiteral("permissionTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_roles, tr("Roles"));
    m_tabs->addTab(m_routes, tr("Routes"));
    m_tabs->addTab(m_fields, tr("Fields"));
    for (AccessPanel *panel : {static_cast<AccessPanel *>(m_roles), static_cast<AccessPanel *>(m_routes),
                               static_cast<AccessPanel *>(m_fields)}) {
        connect(panel, &AccessPanel::failed, this,
                [this](const ApiFailure &failure, const QString &context) { showError(failure, context); });
        connect(panel, &AccessPanel::notice, this, [this](const QString &text) {
            showMessage(text, MessageBar::Positive);
            emit statusMessage(text);
        });
    }
    // The roles tab loads the roles; the other tabs choose among them.
    connect(m_roles, &RolesPanel::rolesLoaded, m_routes, &RouteMatrix::setRoles);
    connect(m_roles, &RolesPanel::rolesLoaded, m_fields, &FieldGrid::setRoles);
    connect(m_roles, &RolesPanel::rolesLoaded, this, [this] { setLoaded(true); });
    setContentWidget(m_tabs);
}

void PermissionsPage::refresh()
{
    for (AccessPanel *panel : {static_cast<AccessPanel *>(m_roles), static_cast<AccessPanel *>(m_routes),
                               static_cast<AccessPanel *>(m_fields)}) {
        panel->setClient(client());
        if (client())
            panel->reload();
    }
}

void PermissionsPage::paletteChanged()
{
    // Item colors (public methods, muted types) are set when drawn.
    m_routes->rebuild();
    m_fields->rebuild();
}

void PermissionsPage::reset()
{
    m_roles->setClient(client());
    m_routes->setClient(client());
    m_fields->setClient(client());
}

} // namespace Hearth
