#include "pages/userspage.h"

#include "pages/users/apitokenspanel.h"
#include "pages/users/confirmation.h"
#include "pages/users/mutedlabel.h"
#include "pages/users/newuserdialog.h"
#include "pages/users/resetpassworddialog.h"
#include "pages/users/rolecombo.h"
#include "shell/icons.h"
#include "widgets/jsontablemodel.h"
#include "widgets/rowlist.h"
#include "widgets/searchfield.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Hearth {

namespace {
QString idOf(const QJsonObject &row)
{
    return row.value(u"id").toVariant().toString();
}
} // namespace

UsersPage::UsersPage(QWidget *parent)
    : Page(parent), m_filter(new SearchField(this)), m_newUser(new QAction(tr("New User…"), this)),
      m_view(new QTableView(this)), m_model(new JsonTableModel(this)),
      m_proxy(new QSortFilterProxyModel(this)), m_side(new QStackedWidget(this)), m_email(new QLabel(this)),
      m_facts(new MutedLabel(this)), m_role(new QComboBox(this)),
      m_reset(new QPushButton(tr("Reset Password…"), this)), m_root(new QPushButton(this)),
      m_delete(new QPushButton(tr("Delete User…"), this)), m_tokens(new ApiTokensPanel(this))
{
    setSubtitle(tr("The accounts that can sign in to this server: their roles, passwords and API tokens."));

    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter (Ctrl+F)"));
    m_filter->setMinimumWidth(200);
    addHeaderWidget(m_filter);
    m_newUser->setObjectName(QStringLiteral("newUserAction"));
    m_newUser->setIcon(Icons::own(QStringLiteral("users")));
    m_newUser->setShortcut(QKeySequence::New);
    m_newUser->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_newUser->setToolTip(
        tr("Create a user (%1)").arg(m_newUser->shortcut().toString(QKeySequence::NativeText)));
    connect(m_newUser, &QAction::triggered, this, &UsersPage::newUser);
    addAction(m_newUser);
    addHeaderAction(m_newUser);

    m_model->setColumns({{QStringLiteral("email"), tr("Email")},
                         {QStringLiteral("role.name"), tr("Role")},
                         {QStringLiteral("isRootAdmin"), tr("Root admin")},
                         {QStringLiteral("createdAt"), tr("Created")}});
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(JsonTableModel::SortRole);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        updateFooter();
    });
    m_view->setObjectName(QStringLiteral("userView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    setUpRowList(m_view);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &UsersPage::showSelected);
    auto *remove = new QAction(this);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut); // on the list only: not while typing in the filter
    connect(remove, &QAction::triggered, this, &UsersPage::deleteUser);
    m_view->addAction(remove);

    // The selected user, or a hint while there is none.
    auto *hint = new MutedLabel(tr("Select a user to change their role, password or API tokens."), m_side);
    hint->setObjectName(QStringLiteral("selectHint"));
    hint->setAlignment(Qt::AlignCenter);
    m_side->addWidget(hint);

    auto *details = new QWidget(m_side);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(12, 0, 0, 0);
    detailsLayout->setSpacing(10);
    m_email->setObjectName(QStringLiteral("userEmail"));
    QFont big = m_email->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    big.setBold(true);
    m_email->setFont(big);
    m_email->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setObjectName(QStringLiteral("userFacts"));
    detailsLayout->addWidget(m_email);
    detailsLayout->addWidget(m_facts);

    auto *account = new QGroupBox(tr("Account"), details);
    auto *form = new QFormLayout(account);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_role->setObjectName(QStringLiteral("roleCombo"));
    m_role->setToolTip(tr("The role decides which routes and fields the user may use (Permissions page)."));
    connect(m_role, &QComboBox::activated, this, &UsersPage::changeRole);
    form->addRow(tr("Role:"), m_role);
    auto *buttons = new QHBoxLayout;
    m_reset->setObjectName(QStringLiteral("resetPasswordButton"));
    m_root->setObjectName(QStringLiteral("rootAdminButton"));
    m_delete->setObjectName(QStringLiteral("deleteUserButton"));
    connect(m_reset, &QPushButton::clicked, this, &UsersPage::resetPassword);
    connect(m_root, &QPushButton::clicked, this, &UsersPage::toggleRootAdmin);
    connect(m_delete, &QPushButton::clicked, this, &UsersPage::deleteUser);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_root);
    buttons->addStretch(1);
    buttons->addWidget(m_delete);
    form->addRow(buttons);
    detailsLayout->addWidget(account);

    auto *tokens = new QGroupBox(tr("API Tokens"), details);
    auto *tokensLayout = new QVBoxLayout(tokens);
    tokensLayout->addWidget(m_tokens);
    connect(m_tokens, &ApiTokensPanel::failed, this,
            [this](const ApiFailure &failure, const QString &context) { showError(failure, context); });
    connect(m_tokens, &ApiTokensPanel::notice, this,
            [this](const QString &text) { showMessage(text, MessageBar::Positive); });
    detailsLayout->addWidget(tokens, 1);
    m_side->addWidget(details);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_side);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({560, 420});
    setContentWidget(splitter);
    showSelected();
}

QJsonObject UsersPage::selectedUser() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->row(m_proxy->mapToSource(current).row()) : QJsonObject();
}

bool UsersPage::selectUser(const QString &email)
{
    for (int i = 0; i < m_model->rowCount(); ++i) {
        if (m_model->row(i).value(u"email").toString() == email) {
            m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(i, 0)));
            return m_view->currentIndex().isValid();
        }
    }
    return false;
}

void UsersPage::refresh()
{
    ApiClient *c = client();
    if (!c)
        return;
    const int generation = ++m_generation;
    m_tokens->setClient(c);
    m_pending = 3;
    // Three answers; the selected user's side waits for all of them, so its role picker and "This is
    // you" are right.
    auto arrived = [this, generation] {
        if (generation == m_generation && --m_pending == 0) {
            showSelected();
            emit loaded();
        }
    };
    load(
        QStringLiteral("/me"),
        [this, generation, arrived](const ApiResult &r) {
            if (generation != m_generation)
                return;
            m_myId = idOf(r.first());
            arrived();
        },
        tr("Could not read the signed-in user"));
    load(
        QStringLiteral("/hearth_role") +
            ApiClient::queryString(
                {.fields = QStringLiteral("id,name"), .sort = QStringLiteral("name"), .limit = 0}),
        [this, generation, arrived](const ApiResult &r) {
            if (generation != m_generation)
                return;
            m_roles = r.data();
            arrived();
        },
        tr("Could not list the roles"));
    load(
        QStringLiteral("/hearth_user") +
            ApiClient::queryString(
                {.fields = QStringLiteral("id,email,isRootAdmin,createdAt,role.id,role.name"),
                 .sort = QStringLiteral("email"),
                 .limit = 0}),
        [this, generation, arrived](const ApiResult &r) {
            if (generation != m_generation)
                return;
            setRows(r.data());
            arrived();
        },
        tr("Could not list the users"));
}

void UsersPage::setRows(const QJsonArray &users)
{
    const QString selected = idOf(selectedUser());
    m_model->setRows(users);
    for (int i = 0; i < m_model->rowCount() && !selected.isEmpty(); ++i) {
        if (idOf(m_model->row(i)) == selected) {
            m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(i, 0)));
            break;
        }
    }
    m_view->resizeColumnsToContents();
    for (int c = 0; c + 1 < m_model->columnCount(); ++c)
        m_view->setColumnWidth(c, qMin(m_view->columnWidth(c) + 16, 320));
    updateFooter();
}

void UsersPage::showSelected()
{
    const QJsonObject user = selectedUser();
    if (user.isEmpty()) {
        m_side->setCurrentIndex(0);
        m_tokens->setUser(QString(), QString(), false);
        return;
    }
    m_side->setCurrentIndex(1);
    const QString id = idOf(user);
    const bool self = !m_myId.isEmpty() && id == m_myId;
    const bool root = user.value(u"isRootAdmin").toBool();
    m_email->setText(user.value(u"email").toString());
    QStringList facts;
    if (self)
        facts << tr("This is you.");
    facts << (root ? tr("Root admin: may do everything.") : tr("Not a root admin."));
    const QDateTime created = QDateTime::fromString(user.value(u"createdAt").toString(), Qt::ISODateWithMs);
    if (created.isValid())
        facts << tr("Created %1.").arg(QLocale().toString(created.toLocalTime(), QLocale::ShortFormat));
    m_facts->setText(facts.join(u' '));
    RoleCombo::fill(m_role, m_roles, JsonTableModel::valueAt(user, QStringLiteral("role.id")));
    m_root->setText(root ? tr("Remove Root Admin…") : tr("Make Root Admin…"));
    m_delete->setEnabled(!self);
    m_delete->setToolTip(self ? tr("You cannot delete the account you are signed in with.") : QString());
    m_tokens->setUser(id, user.value(u"email").toString(), self);
}

void UsersPage::updateFooter()
{
    const int shown = m_proxy->rowCount();
    const int all = m_model->rowCount();
    const QString count = all == 1 ? tr("1 user") : tr("%1 users").arg(QLocale().toString(all));
    if (!m_filter->text().isEmpty())
        setFooterText(tr("%1 of %2 match “%3”").arg(QLocale().toString(shown), count, m_filter->text()));
    else
        setFooterText(all ? count : QString());
}

void UsersPage::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void UsersPage::newUser()
{
    if (!client())
        return;
    auto *dialog = new NewUserDialog(m_roles, window());
    connect(dialog, &FormDialog::submitted, this, [this, dialog] {
        dialog->setBusy(true);
        const QJsonObject body = dialog->body();
        client()->post(
            QStringLiteral("/hearth_user"), body,
            [this, dialog, body](const ApiResult &result) {
                if (!result.ok()) {
                    dialog->showError(tr("Could not create the user: %1").arg(result.failure().message));
                    return;
                }
                const QString email = result.first().value(u"email").toString();
                dialog->accept();
                showMessage(tr("User %1 created").arg(email), MessageBar::Positive);
                connect(
                    this, &UsersPage::loaded, this, [this, email] { selectUser(email); },
                    Qt::SingleShotConnection);
                refresh();
            },
            dialog);
    });
    dialog->open();
}

void UsersPage::patchUser(const QJsonObject &user, const QJsonObject &body, const QString &done,
                          const QString &errorContext)
{
    if (!client())
        return;
    client()->patch(
        QStringLiteral("/hearth_user/") + idOf(user), body,
        [this, done, errorContext](const ApiResult &result) {
            if (!result.ok()) {
                showError(result.failure(), errorContext);
                showSelected(); // a refused change must not look applied
                return;
            }
            showMessage(done, MessageBar::Positive);
            refresh();
        },
        this);
}

void UsersPage::changeRole()
{
    const QJsonObject user = selectedUser();
    if (user.isEmpty())
        return;
    const QJsonValue role = RoleCombo::selected(m_role);
    if (role == JsonTableModel::valueAt(user, QStringLiteral("role.id")))
        return;
    const QString email = user.value(u"email").toString();
    patchUser(user, {{QStringLiteral("role"), role}},
              role.isNull() ? tr("%1 has no role now").arg(email)
                            : tr("%1 is now %2").arg(email, m_role->currentText()),
              tr("Could not change the role of %1").arg(email));
}

void UsersPage::resetPassword()
{
    const QJsonObject user = selectedUser();
    if (user.isEmpty() || !client())
        return;
    auto *dialog = new ResetPasswordDialog(user.value(u"email").toString(), window());
    const QString id = idOf(user);
    const QString email = user.value(u"email").toString();
    connect(dialog, &FormDialog::submitted, this, [this, dialog, id, email] {
        dialog->setBusy(true);
        client()->patch(
            QStringLiteral("/hearth_user/") + id,
            QJsonObject{{QStringLiteral("password"), dialog->password()}},
            [this, dialog, email](const ApiResult &result) {
                if (!result.ok()) {
                    dialog->showError(result.failure().message);
                    return;
                }
                dialog->accept();
                showMessage(tr("New password set for %1; their sessions have ended").arg(email),
                            MessageBar::Positive);
            },
            dialog);
    });
    dialog->open();
}

void UsersPage::toggleRootAdmin()
{
    const QJsonObject user = selectedUser();
    if (user.isEmpty())
        return;
    const bool root = user.value(u"isRootAdmin").toBool();
    const QString email = user.value(u"email").toString();
    QString text;
    if (!root)
        text = tr("Make %1 a root admin? A root admin may do everything: every table, user, setting and "
                  "script, past every permission.")
                   .arg(email);
    else if (idOf(user) == m_myId)
        text =
            tr("Remove root admin from yourself? You keep only what your role allows, and this console may "
               "no longer manage the server.");
    else
        text = tr("Remove root admin from %1? They keep only what their role allows.").arg(email);
    Confirmation::ask(this, root ? tr("Remove Root Admin") : tr("Make Root Admin"), text,
                      root ? tr("Remove Root Admin") : tr("Make Root Admin"), [this, user, root, email] {
                          patchUser(user, {{QStringLiteral("isRootAdmin"), !root}},
                                    root ? tr("%1 is no longer a root admin").arg(email)
                                         : tr("%1 is now a root admin").arg(email),
                                    tr("Could not change the root admin flag of %1").arg(email));
                      });
}

void UsersPage::deleteUser()
{
    const QJsonObject user = selectedUser();
    if (user.isEmpty() || idOf(user) == m_myId)
        return;
    const QString email = user.value(u"email").toString();
    Confirmation::ask(
        this, tr("Delete User"),
        tr("Delete %1? Their sessions and API tokens go with them. This cannot be undone.").arg(email),
        tr("Delete"), [this, user, email] {
            call(
                "DELETE", QStringLiteral("/hearth_user/") + idOf(user), QJsonValue::Undefined,
                [this, email](const ApiResult &) {
                    showMessage(tr("User %1 deleted").arg(email), MessageBar::Positive);
                    refresh();
                },
                tr("Could not delete %1").arg(email));
        });
}

void UsersPage::reset()
{
    ++m_generation;
    m_myId.clear();
    m_roles = {};
    m_model->clear();
    m_tokens->setClient(client());
    showSelected();
    updateFooter();
}

void UsersPage::paletteChanged()
{
    m_newUser->setIcon(Icons::own(QStringLiteral("users")));
}

} // namespace Hearth
