#pragma once

#include "pages/permissions/accesspanel.h"

class QLabel;
class QPushButton;
class QTableView;

namespace Hearth {

class JsonTableModel;

// The API tokens of one user. The signed-in user's own tokens go through
// /auth/api-tokens (list, create, revoke); another user's through the
// hearth_api_token rows, which a root admin may list and delete but not
// create (a token is always made by its owner).
class ApiTokensPanel : public AccessPanel
{
    Q_OBJECT
public:
    explicit ApiTokensPanel(QWidget *parent = nullptr);

    // The user whose tokens to show (empty id: none); self: the signed-in user.
    void setUser(const QString &id, const QString &email, bool self);
    void reload() override;

    JsonTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

public slots:
    void newToken();
    void revokeSelected();

private:
    QJsonObject selectedToken() const;
    void updateButtons();

    QString m_userId;
    QString m_email;
    bool m_self = false;
    int m_generation = 0;
    QLabel *m_caption;
    QTableView *m_view;
    JsonTableModel *m_model;
    QLabel *m_empty;
    QPushButton *m_new;
    QPushButton *m_revoke;
};

} // namespace Hearth
