#include "pages/permissions/routematrix.h"

#include "pages/users/mutedlabel.h"
#include "shell/theme.h"
#include "widgets/jsontablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Hearth {

namespace {

const QStringList kMethodOrder{QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PATCH"),
                               QStringLiteral("PUT"), QStringLiteral("DELETE")};

QStringList names(const QJsonValue &list)
{
    QStringList out;
    for (const QJsonValue &v : list.toArray())
        out << v.toString();
    return out;
}

qint64 idAt(const QJsonObject &row, const QString &path)
{
    return JsonTableModel::valueAt(row, path).toInteger(-1);
}

QStringList emailsOf(const QJsonObject &rule)
{
    QStringList out;
    for (const QJsonValue &user : rule.value(u"allowedUsers").toArray())
        out << user.toObject().value(u"email").toString();
    return out;
}

} // namespace

RouteMatrix::RouteMatrix(QWidget *parent)
    : AccessPanel(parent), m_role(new QComboBox(this)),
      m_showSystem(new QCheckBox(tr("System routes"), this)), m_hint(new MutedLabel(this)),
      m_table(new QTableWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->setSpacing(8);
    auto *bar = new QHBoxLayout;
    auto *roleLabel = new QLabel(tr("&Role:"), this);
    roleLabel->setBuddy(m_role);
    m_role->setObjectName(QStringLiteral("matrixRoleCombo"));
    m_role->setMinimumContentsLength(16);
    connect(m_role, &QComboBox::currentIndexChanged, this, &RouteMatrix::rebuild);
    m_showSystem->setObjectName(QStringLiteral("showSystemRoutes"));
    m_showSystem->setToolTip(tr("Also list the routes of the hearth_* system tables (root admins only unless "
                                "granted here)."));
    connect(m_showSystem, &QCheckBox::toggled, this, &RouteMatrix::rebuild);
    bar->addWidget(roleLabel);
    bar->addWidget(m_role);
    bar->addSpacing(12);
    bar->addWidget(m_showSystem);
    bar->addStretch(1);
    layout->addLayout(bar);

    m_hint->setObjectName(QStringLiteral("matrixHint"));
    layout->addWidget(m_hint);

    m_table->setObjectName(QStringLiteral("routeMatrix"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 12);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->horizontalHeader()->setHighlightSections(false);
    connect(m_table, &QTableWidget::itemChanged, this, &RouteMatrix::itemChanged);
    layout->addWidget(m_table, 1);
}

void RouteMatrix::setRoles(const QJsonArray &roles)
{
    m_roles = roles;
    const QVariant current = m_role->currentData();
    {
        const QSignalBlocker quiet(m_role);
        m_role->clear();
        for (const QJsonValue &role : roles)
            m_role->addItem(role.toObject().value(u"name").toString(),
                            role.toObject().value(u"id").toVariant());
        m_role->setCurrentIndex(qMax(0, m_role->findData(current)));
    }
    rebuild();
}

void RouteMatrix::reload()
{
    const int generation = ++m_generation;
    auto pending = std::make_shared<int>(2);
    auto arrived = [this, generation, pending] {
        if (generation == m_generation && --*pending == 0) {
            setBusy(false);
            rebuild();
            emit reloaded();
        }
    };
    send(
        "GET",
        QStringLiteral("/hearth_route") +
            ApiClient::queryString(
                {.fields = QStringLiteral(
                     "id,path,isEnabled,isSystem,publicMethods,availableMethods,mainTable.name"),
                 .sort = QStringLiteral("path"),
                 .limit = 0}),
        QJsonValue::Undefined,
        [this, arrived](const ApiResult &r) {
            m_routes = r.data();
            arrived();
        },
        tr("Could not list the routes"), [this] { setBusy(false); });
    send(
        "GET",
        QStringLiteral("/hearth_route_permission") +
            ApiClient::queryString(
                {.fields = QStringLiteral(
                     "id,methods,isEnabled,route.id,role.id,role.name,allowedUsers.id,allowedUsers.email"),
                 .sort = QStringLiteral("id"),
                 .limit = 0}),
        QJsonValue::Undefined,
        [this, arrived](const ApiResult &r) {
            m_rules = r.data();
            arrived();
        },
        tr("Could not list the route permissions"), [this] { setBusy(false); });
}

QJsonArray RouteMatrix::rulesOf(const QJsonValue &routeId) const
{
    QJsonArray out;
    for (const QJsonValue &rule : m_rules)
        if (idAt(rule.toObject(), QStringLiteral("route.id")) == routeId.toInteger())
            out.append(rule);
    return out;
}

QString RouteMatrix::otherRulesText(const QJsonValue &routeId, const QJsonValue &roleId) const
{
    QStringList parts;
    for (const QJsonValue &value : rulesOf(routeId)) {
        const QJsonObject rule = value.toObject();
        const qint64 role = idAt(rule, QStringLiteral("role.id"));
        const QStringList users = emailsOf(rule);
        const bool enabled = rule.value(u"isEnabled").toBool(true);
        if (role == roleId.toInteger() && users.isEmpty() && enabled)
            continue; // shown by the ticks
        QStringList who;
        if (role >= 0 && role != roleId.toInteger())
            who << tr("role %1").arg(JsonTableModel::valueAt(rule, QStringLiteral("role.name")).toString());
        else if (role >= 0)
            who << tr("this role");
        who += users;
        QString text = QStringLiteral("%1: %2").arg(who.join(QStringLiteral(", ")),
                                                    names(rule.value(u"methods")).join(QStringLiteral(", ")));
        if (!enabled)
            text += tr(" (disabled)");
        parts << text;
    }
    return parts.join(QStringLiteral(" · "));
}

void RouteMatrix::rebuild()
{
    m_building = true;
    const QJsonValue roleId = QJsonValue::fromVariant(m_role->currentData());
    const bool hasRole = m_role->currentIndex() >= 0;

    QJsonArray shown;
    m_methods.clear();
    for (const QJsonValue &value : m_routes) {
        const QJsonObject route = value.toObject();
        if (route.value(u"isSystem").toBool() && !m_showSystem->isChecked())
            continue;
        shown.append(route);
        for (const QString &method : names(route.value(u"availableMethods")))
            if (!m_methods.contains(method))
                m_methods << method;
    }
    std::sort(m_methods.begin(), m_methods.end(), [](const QString &a, const QString &b) {
        return kMethodOrder.indexOf(a) < kMethodOrder.indexOf(b);
    });

    // A rebuild after each change keeps the place: the current cell and the scroll position.
    const int currentRow = m_table->currentRow();
    const int currentColumn = m_table->currentColumn();
    const int scrolled = m_table->verticalScrollBar()->value();
    m_table->clear();
    m_table->setColumnCount(int(m_methods.size()) + 2);
    QStringList headers{tr("Route")};
    headers += m_methods;
    headers << tr("Other rules");
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(int(shown.size()));
    const QColor publicColor = Theme::positive();
    for (int row = 0; row < shown.size(); ++row) {
        const QJsonObject route = shown.at(row).toObject();
        const QString path = route.value(u"path").toString();
        auto *pathItem = new QTableWidgetItem(path);
        pathItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        pathItem->setData(Qt::UserRole, route.value(u"id").toVariant());
        const QString table = JsonTableModel::valueAt(route, QStringLiteral("mainTable.name")).toString();
        QString tip = table.isEmpty() ? tr("A custom route") : tr("The route of the table %1").arg(table);
        if (!route.value(u"isEnabled").toBool(true)) {
            pathItem->setForeground(Theme::muted());
            tip += tr(" (disabled: it answers 404)");
        }
        pathItem->setToolTip(tip);
        m_table->setItem(row, 0, pathItem);

        const QStringList available = names(route.value(u"availableMethods"));
        const QStringList open = names(route.value(u"publicMethods"));
        QStringList granted;
        for (const QJsonValue &value : rulesOf(route.value(u"id"))) {
            const QJsonObject rule = value.toObject();
            if (hasRole && idAt(rule, QStringLiteral("role.id")) == roleId.toInteger() &&
                rule.value(u"isEnabled").toBool(true))
                granted += names(rule.value(u"methods"));
        }
        for (int c = 0; c < m_methods.size(); ++c) {
            const QString &method = m_methods.at(c);
            auto *item = new QTableWidgetItem;
            item->setTextAlignment(Qt::AlignCenter);
            item->setData(Qt::UserRole, method);
            if (!available.contains(method)) {
                item->setFlags(Qt::NoItemFlags);
                item->setToolTip(tr("%1 does not answer %2").arg(path, method));
            } else if (open.contains(method)) {
                // Checked but not checkable: the tick cannot be taken away here.
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
                item->setCheckState(Qt::Checked);
                item->setText(tr("public"));
                item->setForeground(publicColor);
                item->setToolTip(tr("Public: anyone may call %1 %2, signed in or not; no permission needed.")
                                     .arg(method, path));
            } else {
                item->setFlags(hasRole ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable
                                       : Qt::NoItemFlags);
                item->setCheckState(granted.contains(method) ? Qt::Checked : Qt::Unchecked);
                item->setToolTip(
                    hasRole ? tr("Whether %1 may call %2 %3").arg(m_role->currentText(), method, path)
                            : QString());
            }
            m_table->setItem(row, c + 1, item);
        }
        auto *others = new QTableWidgetItem(otherRulesText(route.value(u"id"), roleId));
        others->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        others->setToolTip(others->text());
        m_table->setItem(row, int(m_methods.size()) + 1, others);
    }
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(0, qMax(m_table->columnWidth(0) + 16, 200));
    for (int c = 1; c <= m_methods.size(); ++c)
        m_table->setColumnWidth(c, qMax(m_table->columnWidth(c) + 12, 72));
    if (currentRow >= 0 && currentRow < m_table->rowCount())
        m_table->setCurrentCell(currentRow, currentColumn);
    m_table->verticalScrollBar()->setValue(scrolled);
    if (m_routes.isEmpty())
        m_hint->setText(tr("No routes yet: every table has one, made with the table."));
    else if (!hasRole)
        m_hint->setText(
            tr("Create a role on the Roles tab to grant it routes. Root admins pass every check."));
    else
        m_hint->setText(tr("Tick what %1 may call. Public methods need no permission; root admins pass every "
                           "check.")
                            .arg(m_role->currentText()));
    m_building = false;
}

QTableWidgetItem *RouteMatrix::cell(const QString &path, const QString &method) const
{
    const int column = int(m_methods.indexOf(method));
    if (column < 0)
        return nullptr;
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0) && m_table->item(row, 0)->text() == path)
            return m_table->item(row, column + 1);
    return nullptr;
}

void RouteMatrix::itemChanged(QTableWidgetItem *item)
{
    if (m_building || item->column() == 0 || !(item->flags() & Qt::ItemIsUserCheckable))
        return;
    const QVariant routeId = m_table->item(item->row(), 0)->data(Qt::UserRole);
    for (const QJsonValue &route : m_routes) {
        if (route.toObject().value(u"id").toVariant() == routeId) {
            apply(route.toObject(), item->data(Qt::UserRole).toString(), item->checkState() == Qt::Checked);
            return;
        }
    }
}

void RouteMatrix::apply(const QJsonObject &route, const QString &method, bool granted)
{
    const QJsonValue roleId = QJsonValue::fromVariant(m_role->currentData());
    const QString roleName = m_role->currentText();
    const QString path = route.value(u"path").toString();
    QList<QJsonObject> mine;
    for (const QJsonValue &rule : rulesOf(route.value(u"id")))
        if (idAt(rule.toObject(), QStringLiteral("role.id")) == roleId.toInteger() &&
            rule.toObject().value(u"isEnabled").toBool(true))
            mine << rule.toObject();

    // Each request is one step; the matrix reloads from the server when all are answered.
    struct Step
    {
        QByteArray method;
        QString path;
        QJsonValue body;
    };
    QList<Step> steps;
    if (granted) {
        if (mine.isEmpty()) {
            steps.append({"POST", QStringLiteral("/hearth_route_permission"),
                          QJsonObject{{QStringLiteral("route"), route.value(u"id")},
                                      {QStringLiteral("role"), roleId},
                                      {QStringLiteral("methods"), QJsonArray{method}}}});
        } else {
            QJsonArray methods = mine.first().value(u"methods").toArray();
            methods.append(method);
            steps.append(
                {"PATCH",
                 QStringLiteral("/hearth_route_permission/%1").arg(mine.first().value(u"id").toInteger()),
                 QJsonObject{{QStringLiteral("methods"), methods}}});
        }
    } else {
        for (const QJsonObject &rule : std::as_const(mine)) {
            QStringList methods = names(rule.value(u"methods"));
            if (!methods.removeAll(method))
                continue;
            const QString rulePath =
                QStringLiteral("/hearth_route_permission/%1").arg(rule.value(u"id").toInteger());
            if (methods.isEmpty() && emailsOf(rule).isEmpty())
                steps.append({"DELETE", rulePath, QJsonValue::Undefined});
            else
                steps.append({"PATCH", rulePath,
                              QJsonObject{{QStringLiteral("methods"), QJsonArray::fromStringList(methods)}}});
        }
    }
    if (steps.isEmpty())
        return;
    setBusy(true);
    m_pending = int(steps.size());
    const QString done = granted ? tr("%1 may now call %2 %3").arg(roleName, method, path)
                                 : tr("%1 may no longer call %2 %3").arg(roleName, method, path);
    auto finished = [this, done](bool ok) {
        if (--m_pending > 0)
            return;
        if (ok)
            emit notice(done);
        reload(); // the server's state, also after a refusal; the matrix is usable again once it is in
    };
    for (const Step &step : std::as_const(steps))
        send(
            step.method, step.path, step.body, [finished](const ApiResult &) { finished(true); },
            tr("Could not change the permission of %1").arg(path), [finished] { finished(false); });
}

void RouteMatrix::setBusy(bool busy)
{
    m_table->setEnabled(!busy);
    m_role->setEnabled(!busy);
}

} // namespace Hearth
