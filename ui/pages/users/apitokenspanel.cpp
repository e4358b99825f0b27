#include "pages/users/apitokenspanel.h"

#include "pages/users/confirmation.h"
#include "pages/users/mutedlabel.h"
#include "pages/users/newtokendialog.h"
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

ApiTokensPanel::ApiTokensPanel(QWidget *parent)
    : AccessPanel(parent), m_caption(new QLabel(this)), m_view(new QTableView(this)),
      m_model(new JsonTableModel(this)), m_empty(new MutedLabel(this)),
      m_new(new QPushButton(tr("New Token…"), this)), m_revoke(new QPushButton(tr("Revoke…"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    m_caption->setWordWrap(true);
    layout->addWidget(m_caption);

    m_model->setColumns({{QStringLiteral("name"), tr("Name")},
                         {QStringLiteral("tokenPrefix"), tr("Starts with")},
                         {QStringLiteral("expiresAt"), tr("Expires")},
                         {QStringLiteral("lastUsedAt"), tr("Last used")},
                         {QStringLiteral("createdAt"), tr("Created")}});
    m_view->setObjectName(QStringLiteral("tokenView"));
    m_view->setModel(m_model);
    setUpRowList(m_view);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setMinimumHeight(120);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ApiTokensPanel::updateButtons);
    auto *revoke = new QAction(this);
    revoke->setShortcut(QKeySequence::Delete);
    revoke->setShortcutContext(Qt::WidgetShortcut);
    connect(revoke, &QAction::triggered, this, &ApiTokensPanel::revokeSelected);
    m_view->addAction(revoke);
    layout->addWidget(m_view, 1);

    m_empty->setObjectName(QStringLiteral("tokensEmptyNote"));
    layout->addWidget(m_empty);

    auto *buttons = new QHBoxLayout;
    m_new->setObjectName(QStringLiteral("newTokenButton"));
    m_revoke->setObjectName(QStringLiteral("revokeTokenButton"));
    connect(m_new, &QPushButton::clicked, this, &ApiTokensPanel::newToken);
    connect(m_revoke, &QPushButton::clicked, this, &ApiTokensPanel::revokeSelected);
    buttons->addWidget(m_new);
    buttons->addWidget(m_revoke);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    updateButtons();
}

void ApiTokensPanel::setUser(const QString &id, const QString &email, bool self)
{
    const bool same = id == m_userId && self == m_self;
    m_userId = id;
    m_email = email;
    m_self = self;
    if (m_self)
        m_caption->setText(tr("Your personal tokens. Each acts as you when sent as a Bearer token."));
    else if (!id.isEmpty())
        m_caption->setText(tr("Tokens %1 made for themselves. You can revoke them; only %1 can make new "
                              "ones.")
                               .arg(email));
    if (!same) {
        m_model->clear();
        reload();
    }
    updateButtons();
}

void ApiTokensPanel::reload()
{
    ++m_generation;
    if (!client() || m_userId.isEmpty()) {
        m_model->clear();
        updateButtons();
        return;
    }
    const int generation = m_generation;
    const QString path =
        m_self ? QStringLiteral("/auth/api-tokens")
               : QStringLiteral("/hearth_api_token") +
                     ApiClient::queryString(
                         {.filter = {{QStringLiteral("user"),
                                      QJsonObject{{QStringLiteral("id"),
                                                   QJsonObject{{QStringLiteral("_eq"), m_userId}}}}}},
                          .fields = QStringLiteral("id,name,tokenPrefix,expiresAt,lastUsedAt,createdAt"),
                          .sort = QStringLiteral("id"),
                          .limit = 0});
    send(
        "GET", path, QJsonValue::Undefined,
        [this, generation](const ApiResult &result) {
            if (generation != m_generation)
                return;
            m_model->setRows(result.data());
            m_view->resizeColumnsToContents();
            updateButtons();
        },
        tr("Could not list the API tokens"));
}

QJsonObject ApiTokensPanel::selectedToken() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QJsonObject() : m_model->row(rows.first().row());
}

void ApiTokensPanel::updateButtons()
{
    const bool hasUser = !m_userId.isEmpty();
    m_new->setVisible(m_self);
    m_new->setEnabled(hasUser && client());
    m_revoke->setEnabled(hasUser && !selectedToken().isEmpty());
    m_empty->setText(m_model->rowCount() == 0 && hasUser ? tr("No API tokens.") : QString());
    m_empty->setVisible(!m_empty->text().isEmpty());
}

void ApiTokensPanel::newToken()
{
    if (!m_self || !client())
        return;
    auto *dialog = new NewTokenDialog(window());
    connect(dialog, &FormDialog::submitted, this, [this, dialog] {
        dialog->setBusy(true);
        client()->post(
            QStringLiteral("/auth/api-tokens"), dialog->body(),
            [this, dialog](const ApiResult &result) {
                if (!result.ok()) {
                    dialog->showError(result.failure().message);
                    return;
                }
                dialog->showToken(result.first().value(u"token").toString());
                emit notice(tr("API token “%1” created").arg(result.first().value(u"name").toString()));
                reload();
            },
            dialog);
    });
    dialog->open();
}

void ApiTokensPanel::revokeSelected()
{
    const QJsonObject token = selectedToken();
    if (token.isEmpty() || !client())
        return;
    const QString id = token.value(u"id").toVariant().toString();
    const QString name = token.value(u"name").toString();
    Confirmation::ask(this, tr("Revoke API Token"),
                      tr("Revoke the token “%1”? Programs that use it are refused from now on.").arg(name),
                      tr("Revoke"), [this, id, name] {
                          const QString path = m_self ? QStringLiteral("/auth/api-tokens/") + id
                                                      : QStringLiteral("/hearth_api_token/") + id;
                          send(
                              "DELETE", path, QJsonValue::Undefined,
                              [this, name](const ApiResult &) {
                                  emit notice(tr("API token “%1” revoked").arg(name));
                                  reload();
                              },
                              tr("Could not revoke the token"));
                      });
}

} // namespace Hearth
