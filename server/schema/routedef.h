#pragma once

#include <QString>
#include <QStringList>

namespace Hearth {

// A row of hearth_route: a path served by the API, usually a table's canonical route.
struct RouteDef
{
    qint64 id = 0;
    QString path;      // "/posts"
    QString mainTable; // table name; empty for a route without a table
    bool isEnabled = true;
    bool isSystem = false;
    QStringList publicMethods;
    QStringList availableMethods;
};

} // namespace Hearth
