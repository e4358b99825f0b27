#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Hearth::SchemaChanges {

// One change of a schema preview in plain words.
struct Line
{
    enum Kind
    {
        Change,      // adds or changes something, data kept
        Destructive, // data goes away, or may (a drop, a retype)
        Warning,     // the server's own warning (values that will be lost)
        Blocker,     // the server cannot apply the change as it is
    };
    QString text;
    Kind kind = Change;
};

// The preview /hearth_table answers (API.md "Admin endpoints": addedColumns,
// removedColumns, renamedColumns, changedColumns, addedRelations,
// removedRelations, changedRelations, renamedTable, warnings, errors), one
// line per change, in the order a person reads them: the table, columns, relations, warnings.
// definition (the request's body, when known) adds each new column's type.
QList<Line> describe(const QJsonObject &preview, const QJsonObject &definition = {});

// Whether any line is Destructive or Warning.
bool isDestructive(const QList<Line> &lines);
bool hasBlockers(const QList<Line> &lines);

} // namespace Hearth::SchemaChanges
