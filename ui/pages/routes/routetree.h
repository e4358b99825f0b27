#pragma once

#include "pages/routes/scriptkind.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <QTreeWidget>

namespace Hearth {

// The routes with their scripts under them, in the order they run: preHooks
// by priority, the method handlers, postHooks by priority. Hooks without a
// route are under "Global hooks". Each item carries a key: "route:<id>",
// "globals", or the script's key (scriptKey()).
class RouteTree : public QTreeWidget
{
    Q_OBJECT
public:
    explicit RouteTree(QWidget *parent = nullptr);

    static QString routeKey(qint64 id);
    static QString globalsKey() { return QStringLiteral("globals"); }

    // Fills the tree (currentItemChanged is quiet meanwhile) and selects select, or
    // else the item that was current. System routes only with showSystem.
    void setRows(const QJsonArray &routes, const QHash<QString, StoredScript> &scripts, bool showSystem,
                 const QString &select = {});
    // Scripts with unsaved edits: a dot before their name, in italics.
    void setModified(const QSet<QString> &keys);
    // Shows only the routes whose path, or one of whose scripts, contains text.
    void setFilterText(const QString &text);

    QString currentKey() const;
    // The route of the current item (itself or its parent); 0 for none or the global hooks.
    qint64 currentRouteId() const;
    // Whether the current item is "Global hooks" or one of them.
    bool globalsChosen() const;
    bool select(const QString &key);
    bool selectPath(const QString &path);

    struct Counts
    {
        int routes = 0;
        int hooks = 0;
        int handlers = 0;
    };
    Counts counts() const;

private:
    QTreeWidgetItem *itemFor(const QString &key) const;
    void applyFilter();

    QString m_filter;
    QSet<QString> m_modified;
};

} // namespace Hearth
