#include "pages/permissions/rolespanel.h"

#include "pages/permissions/roledialog.h"
#include "pages/users/confirmation.h"
#include "pages/users/mutedlabel.h"
#include "widgets/jsontablemodel.h"
#include "widgets/rowlist.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace Hearth {

RolesPanel::RolesPanel(QWidget *parent)
    : AccessPanel(parent), m_view(new QTableView(this)), m_model(new JsonTableModel(this)),
      m_empty(new MutedLabel(this)), m_new(new QPushButton(tr("New Role…"), this)),
      m_rename(new QPushButton(tr("Rename…"), this)), m_delete(new QPushButton(tr("Delete…"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->setSpacing(8);
    auto *note = new QLabel(tr("A user has at most one role. Grant a role routes and fields on the other "
                               "tabs; root admins need none."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);

    auto *buttons = new QHBoxLayout;
    m_new->setObjectName(QStringLiteral("newRoleButton"));
    m_rename->setObjectName(QStringLiteral("renameRoleButton"));
    m_delete->setObjectName(QStringLiteral("deleteRoleButton"));
    connect(m_new, &QPushButton::clicked, this, &RolesPanel::newRole);
    connect(m_rename, &QPushButton::clicked, this, &RolesPanel::renameRole);
    connect(m_delete, &QPushButton::clicked, this, &RolesPanel::deleteRole);
    buttons->addWidget(m_new);
    buttons->addWidget(m_rename);
    buttons->addStretch(1);
    buttons->addWidget(m_delete);
    layout->addLayout(buttons);

    m_model->setColumns({{QStringLiteral("name"), tr("Role")},
                         {QStringLiteral("description"), tr("Description")},
                         {QStringLiteral("createdAt"), tr("Created")}});
    m_view->setObjectName(QStringLiteral("roleView"));
    m_view->setModel(m_model);
    setUpRowList(m_view);
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RolesPanel::updateButtons);
    connect(m_view, &QTableView::doubleClicked, this, &RolesPanel::renameRole);
    // Keys on the list: Ctrl+N new, F2 rename, Delete delete.
    const auto shortcut = [this](const QKeySequence &keys, void (RolesPanel::*slot)()) {
        auto *action = new QAction(this);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
    };
    shortcut(QKeySequence::New, &RolesPanel::newRole);
    shortcut(Qt::Key_F2, &RolesPanel::renameRole);
    shortcut(QKeySequence::Delete, &RolesPanel::deleteRole);
    m_new->setToolTip(tr("Create a role (Ctrl+N)"));
    m_rename->setToolTip(tr("Rename the selected role (F2)"));
    m_delete->setToolTip(tr("Delete the selected role (Delete)"));
    layout->addWidget(m_view, 1);

    m_empty->setObjectName(QStringLiteral("rolesEmptyNote"));
    m_empty->setText(tr("No roles yet. Create one, then give users that role on the Users page."));
    m_empty->hide();
    layout->addWidget(m_empty);
    updateButtons();
}

void RolesPanel::reload()
{
    const int generation = ++m_generation;
    send(
        "GET",
        QStringLiteral("/hearth_role") +
            ApiClient::queryString({.fields = QStringLiteral("id,name,description,createdAt"),
                                    .sort = QStringLiteral("name"),
                                    .limit = 0}),
        QJsonValue::Undefined,
        [this, generation](const ApiResult &r) {
            if (generation != m_generation)
                return;
            const QString selected = selectedRole().value(u"name").toString();
            m_roles = r.data();
            m_model->setRows(m_roles);
            m_view->resizeColumnsToContents();
            if (!selected.isEmpty())
                selectRole(selected);
            m_empty->setVisible(m_roles.isEmpty());
            updateButtons();
            emit rolesLoaded(m_roles);
        },
        tr("Could not list the roles"));
}

bool RolesPanel::selectRole(const QString &name)
{
    for (int i = 0; i < m_model->rowCount(); ++i) {
        if (m_model->row(i).value(u"name").toString() == name) {
            m_view->setCurrentIndex(m_model->index(i, 0));
            return true;
        }
    }
    return false;
}

QJsonObject RolesPanel::selectedRole() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->row(current.row()) : QJsonObject();
}

void RolesPanel::updateButtons()
{
    const bool selected = !selectedRole().isEmpty();
    m_rename->setEnabled(selected);
    m_delete->setEnabled(selected);
}

void RolesPanel::newRole()
{
    openDialog({});
}

void RolesPanel::renameRole()
{
    const QJsonObject role = selectedRole();
    if (!role.isEmpty())
        openDialog(role);
}

void RolesPanel::openDialog(const QJsonObject &role)
{
    if (!client())
        return;
    auto *dialog = new RoleDialog(role, window());
    connect(dialog, &FormDialog::submitted, this, [this, dialog, role] {
        dialog->setBusy(true);
        const bool creating = role.isEmpty();
        const QJsonObject body = dialog->body();
        client()->send(
            creating ? "POST" : "PATCH",
            creating ? QStringLiteral("/hearth_role")
                     : QStringLiteral("/hearth_role/") + role.value(u"id").toVariant().toString(),
            body,
            [this, dialog, creating, body](const ApiResult &result) {
                if (!result.ok()) {
                    dialog->showError(result.failure().message);
                    return;
                }
                dialog->accept();
                const QString name = body.value(u"name").toString();
                emit notice(creating ? tr("Role %1 created").arg(name) : tr("Role renamed to %1").arg(name));
                connect(
                    this, &RolesPanel::rolesLoaded, this, [this, name] { selectRole(name); },
                    Qt::SingleShotConnection);
                reload();
            },
            dialog);
    });
    dialog->open();
}

void RolesPanel::deleteRole()
{
    const QJsonObject role = selectedRole();
    if (role.isEmpty())
        return;
    const QString name = role.value(u"name").toString();
    const QString id = role.value(u"id").toVariant().toString();
    Confirmation::ask(this, tr("Delete Role"),
                      tr("Delete the role %1? Its users keep their accounts but have no role; the route and "
                         "field permissions of the role are deleted with it.")
                          .arg(name),
                      tr("Delete"), [this, id, name] {
                          send(
                              "DELETE", QStringLiteral("/hearth_role/") + id, QJsonValue::Undefined,
                              [this, name](const ApiResult &) {
                                  emit notice(tr("Role %1 deleted").arg(name));
                                  reload();
                              },
                              tr("Could not delete the role %1").arg(name));
                      });
}

} // namespace Hearth
