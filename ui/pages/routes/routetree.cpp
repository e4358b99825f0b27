#include "pages/routes/routetree.h"

#include "pages/routes/methodchecks.h"
#include "shell/icons.h"
#include "shell/theme.h"

#include <QHeaderView>

#include <algorithm>
#include <tuple>

namespace Hearth {

namespace {

constexpr int KeyRole = Qt::UserRole;
const QString kMark = QStringLiteral("● ");

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

void setMuted(QTreeWidgetItem *item)
{
    item->setForeground(0, Theme::muted());
    item->setForeground(1, Theme::muted());
}

QTreeWidgetItem *routeItem(const QJsonObject &r)
{
    auto *item = new QTreeWidgetItem;
    item->setData(0, KeyRole, RouteTree::routeKey(r.value(u"id").toInteger()));
    item->setText(0, r.value(u"path").toString());
    item->setIcon(0, Icons::own(QStringLiteral("routes")));
    QString methods = stringList(r.value(u"availableMethods")).join(u' ');
    if (const QStringList open = stringList(r.value(u"publicMethods")); !open.isEmpty())
        methods += RouteTree::tr("  · public %1").arg(open.join(u' '));
    item->setText(1, methods);
    QStringList tip;
    if (!r.value(u"isEnabled").toBool(true)) {
        tip << RouteTree::tr("Disabled");
        setMuted(item);
    }
    if (const QString table = r.value(u"mainTable")[u"name"].toString(); !table.isEmpty())
        tip << RouteTree::tr("Table %1").arg(table);
    if (const QString description = r.value(u"description").toString(); !description.isEmpty())
        tip << description;
    item->setToolTip(0, tip.join(u'\n'));
    return item;
}

QTreeWidgetItem *scriptItem(const QString &key, const StoredScript &s)
{
    auto *item = new QTreeWidgetItem;
    item->setData(0, KeyRole, key);
    if (s.kind == ScriptKind::Handler) {
        item->setText(0, RouteTree::tr("%1 handler").arg(s.row.value(u"method").toString()));
        return item;
    }
    item->setText(0, RouteTree::tr("%1 · %2").arg(s.kind == ScriptKind::PreHook ? RouteTree::tr("pre")
                                                                                : RouteTree::tr("post"),
                                                  s.row.value(u"name").toString()));
    const QStringList methods = stringList(s.row.value(u"methods"));
    QStringList details{methods.isEmpty() ? RouteTree::tr("all methods") : methods.join(u' '),
                        RouteTree::tr("priority %1").arg(s.row.value(u"priority").toInt())};
    if (s.row.value(u"isGlobal").toBool())
        details << RouteTree::tr("global");
    if (s.row.value(u"runAfterResponse").toBool())
        details << RouteTree::tr("after response");
    item->setText(1, details.join(QStringLiteral(" · ")));
    if (!s.row.value(u"isEnabled").toBool(true)) {
        setMuted(item);
        item->setToolTip(0, RouteTree::tr("Disabled"));
    }
    return item;
}

} // namespace

RouteTree::RouteTree(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("routeTree"));
    setColumnCount(2);
    setHeaderLabels({tr("Route"), tr("Methods")});
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    setColumnWidth(0, 230);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
}

QString RouteTree::routeKey(qint64 id)
{
    return QStringLiteral("route:%1").arg(id);
}

void RouteTree::setRows(const QJsonArray &routes, const QHash<QString, StoredScript> &scripts,
                        bool showSystem, const QString &select)
{
    const QString keep = !select.isEmpty() ? select : currentKey();
    const QSignalBlocker quiet(this);
    clear();
    QHash<qint64, QTreeWidgetItem *> routeItems;
    for (const QJsonValue &value : routes) {
        const QJsonObject r = value.toObject();
        if (r.value(u"isSystem").toBool() && !showSystem)
            continue;
        QTreeWidgetItem *item = routeItem(r);
        addTopLevelItem(item);
        routeItems.insert(r.value(u"id").toInteger(), item);
    }

    QList<QString> keys = scripts.keys();
    auto order = [&scripts](const QString &key) {
        const StoredScript &s = scripts[key];
        const int kind = s.kind == ScriptKind::PreHook ? 0 : s.kind == ScriptKind::Handler ? 1 : 2;
        const int method = int(MethodChecks::allMethods().indexOf(s.row.value(u"method").toString()));
        return std::make_tuple(kind, s.row.value(u"priority").toInt(), method,
                               s.row.value(u"id").toInteger());
    };
    std::sort(keys.begin(), keys.end(),
              [&](const QString &a, const QString &b) { return order(a) < order(b); });
    QTreeWidgetItem *globals = nullptr;
    for (const QString &key : std::as_const(keys)) {
        const StoredScript &s = scripts[key];
        const qint64 routeId = scriptRouteId(s.row);
        QTreeWidgetItem *parent = routeItems.value(routeId);
        if (!parent && routeId == 0) {
            if (!globals) {
                globals = new QTreeWidgetItem;
                insertTopLevelItem(0, globals);
                globals->setData(0, KeyRole, globalsKey());
                globals->setText(0, tr("Global hooks"));
                globals->setToolTip(0, tr("Hooks without a route: they run for every route"));
                globals->setIcon(0, Icons::own(QStringLiteral("routes")));
            }
            parent = globals;
        }
        if (parent) // else the script of a hidden system route
            parent->addChild(scriptItem(key, s));
    }
    expandAll();
    setModified(m_modified);
    applyFilter();
    if (QTreeWidgetItem *item = itemFor(keep))
        setCurrentItem(item);
}

void RouteTree::setModified(const QSet<QString> &keys)
{
    m_modified = keys;
    for (int i = 0; i < topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = topLevelItem(i);
        for (int c = 0; c < top->childCount(); ++c) {
            QTreeWidgetItem *item = top->child(c);
            const bool modified = keys.contains(item->data(0, KeyRole).toString());
            QFont font = item->font(0);
            font.setItalic(modified);
            item->setFont(0, font);
            QString text = item->text(0);
            if (text.startsWith(kMark))
                text = text.mid(kMark.size());
            item->setText(0, modified ? kMark + text : text);
            item->setToolTip(1, modified ? tr("Edited, not saved yet") : QString());
        }
    }
}

void RouteTree::setFilterText(const QString &text)
{
    m_filter = text.trimmed();
    applyFilter();
}

void RouteTree::applyFilter()
{
    for (int i = 0; i < topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = topLevelItem(i);
        bool match = m_filter.isEmpty() || top->text(0).contains(m_filter, Qt::CaseInsensitive);
        for (int c = 0; !match && c < top->childCount(); ++c)
            match = top->child(c)->text(0).contains(m_filter, Qt::CaseInsensitive);
        top->setHidden(!match);
    }
}

QString RouteTree::currentKey() const
{
    return currentItem() ? currentItem()->data(0, KeyRole).toString() : QString();
}

qint64 RouteTree::currentRouteId() const
{
    QTreeWidgetItem *item = currentItem();
    if (item && item->parent())
        item = item->parent();
    const QString key = item ? item->data(0, KeyRole).toString() : QString();
    return key.startsWith(u"route:") ? key.mid(6).toLongLong() : 0;
}

bool RouteTree::globalsChosen() const
{
    QTreeWidgetItem *item = currentItem();
    if (item && item->parent())
        item = item->parent();
    return item && item->data(0, KeyRole).toString() == globalsKey();
}

bool RouteTree::select(const QString &key)
{
    QTreeWidgetItem *item = itemFor(key);
    if (item)
        setCurrentItem(item);
    return item != nullptr;
}

bool RouteTree::selectPath(const QString &path)
{
    for (int i = 0; i < topLevelItemCount(); ++i) {
        if (topLevelItem(i)->data(0, KeyRole).toString().startsWith(u"route:") &&
            topLevelItem(i)->text(0) == path) {
            setCurrentItem(topLevelItem(i));
            return true;
        }
    }
    return false;
}

RouteTree::Counts RouteTree::counts() const
{
    Counts n;
    for (int i = 0; i < topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = topLevelItem(i);
        n.routes += top->data(0, KeyRole).toString().startsWith(u"route:");
        for (int c = 0; c < top->childCount(); ++c)
            (top->child(c)->data(0, KeyRole).toString().startsWith(u"handler:") ? n.handlers : n.hooks) += 1;
    }
    return n;
}

QTreeWidgetItem *RouteTree::itemFor(const QString &key) const
{
    if (key.isEmpty())
        return nullptr;
    for (QTreeWidgetItemIterator it(const_cast<RouteTree *>(this)); *it; ++it)
        if ((*it)->data(0, KeyRole).toString() == key)
            return *it;
    return nullptr;
}

} // namespace Hearth
