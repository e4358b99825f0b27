#pragma once

#include "shell/page.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace Hearth {

class ApiTokensPanel;
class JsonTableModel;
class NewUserDialog;
class ResetPasswordDialog;

// The users (/hearth_user) as an editor: a filterable list, and for the
// selected user their role, the root admin flag, a password reset, delete,
// and their API tokens. New users come from the header's New User button.
class UsersPage : public Page
{
    Q_OBJECT
public:
    explicit UsersPage(QWidget *parent = nullptr);

    Actions actions() const override { return RefreshAction | FilterAction; }

    JsonTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    ApiTokensPanel *tokensPanel() const { return m_tokens; }
    QJsonObject selectedUser() const;
    // Selects the user with this email in the list (false when not listed).
    bool selectUser(const QString &email);
    // The signed-in user's id (from /me), once loaded.
    QString myId() const { return m_myId; }

public slots:
    void refresh() override;
    void focusFilter() override;
    void newUser();
    void resetPassword();
    void toggleRootAdmin();
    void deleteUser();

signals:
    void loaded();

protected:
    void reset() override;
    void paletteChanged() override;

private:
    void setRows(const QJsonArray &users);
    void showSelected();
    void updateFooter();
    void changeRole();
    // PATCH /hearth_user/:id with body; then reload, and say done.
    void patchUser(const QJsonObject &user, const QJsonObject &body, const QString &done,
                   const QString &errorContext);

    QString m_myId;
    QJsonArray m_roles;
    int m_generation = 0;
    int m_pending = 0; // loads of the current refresh still out
    QLineEdit *m_filter;
    QAction *m_newUser;
    QTableView *m_view;
    JsonTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QStackedWidget *m_side;
    QLabel *m_email;
    QLabel *m_facts;
    QComboBox *m_role;
    QPushButton *m_reset;
    QPushButton *m_root;
    QPushButton *m_delete;
    ApiTokensPanel *m_tokens;
};

} // namespace Hearth
