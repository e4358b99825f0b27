#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace Hearth {

// A row of hearth_route_permission: who may call which methods of a route.
struct RoutePermission
{
    qint64 id = 0;
    qint64 routeId = 0;
    qint64 roleId = 0;        // 0: no role (only the listed users)
    QStringList allowedUsers; // user ids
    QStringList methods;      // empty: none
    bool isEnabled = true;
};

enum class FieldAction
{
    Read,
    Create,
    Update
};
enum class FieldEffect
{
    Allow,
    Deny
};

// A row of hearth_field_permission, resolved to the table and field it governs.
struct FieldPermission
{
    qint64 id = 0;
    QString table;
    QString field; // column name or relation property name
    FieldAction action = FieldAction::Read;
    FieldEffect effect = FieldEffect::Allow;
    qint64 roleId = 0;
    QStringList allowedUsers;
    QJsonValue condition = QJsonValue::Undefined; // a filter on the row; may use "@USER.id"
    bool isEnabled = true;
};

} // namespace Hearth
