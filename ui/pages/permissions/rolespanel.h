#pragma once

#include "pages/permissions/accesspanel.h"

#include <QJsonArray>

class QLabel;
class QPushButton;
class QTableView;

namespace Hearth {

class JsonTableModel;

// The roles (/hearth_role): list, create, rename, delete. Other tabs pick
// from the list it loads (rolesLoaded).
class RolesPanel : public AccessPanel
{
    Q_OBJECT
public:
    explicit RolesPanel(QWidget *parent = nullptr);

    void reload() override;
    const QJsonArray &roles() const { return m_roles; }
    JsonTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    bool selectRole(const QString &name);

public slots:
    void newRole();
    void renameRole();
    void deleteRole();

signals:
    void rolesLoaded(const QJsonArray &roles);

private:
    QJsonObject selectedRole() const;
    void updateButtons();
    void openDialog(const QJsonObject &role);

    QJsonArray m_roles;
    int m_generation = 0;
    QTableView *m_view;
    JsonTableModel *m_model;
    QLabel *m_empty;
    QPushButton *m_new;
    QPushButton *m_rename;
    QPushButton *m_delete;
};

} // namespace Hearth
