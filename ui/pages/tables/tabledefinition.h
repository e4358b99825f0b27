#pragma once

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace Hearth::TableDefinition {

// A table definition as /hearth_table takes it in a request (docs/api-reference.md
// "Tables"): {name, description, primaryKeyType, columns:[…], relations:[…]}.
// Every definition the editor builds or loads goes through the canonical forms
// below, so two definitions that mean the same compare equal (unsaved changes)
// and the body sent for a preview is the exact body sent to confirm it.

// The API's column types, relation kinds and onDelete actions, in the order the editor offers them.
QStringList columnTypes();
QStringList relationTypes();
QStringList onDeleteActions();

// Which types take options (enum values) and a length.
bool takesOptions(const QString &type);
bool takesLength(const QString &type);

// A column with only the keys the API reads, flags always present, optional
// keys (defaultValue, options, length, description) only when they mean something.
QJsonObject canonicalColumn(const QJsonObject &column);
// A relation likewise; targetTable is a name ({"id":…} is resolved through tableNames).
QJsonObject canonicalRelation(const QJsonObject &relation, const QHash<qint64, QString> &tableNames = {});
// A row of GET /hearth_table (nested columns and relations) as a request body:
// columns in their schema order, ids kept so a PATCH updates rather than replaces.
QJsonObject fromRow(const QJsonObject &row, const QHash<qint64, QString> &tableNames);

// A default value as the editor shows it, and back for a column type ("" = no default).
QString defaultText(const QJsonValue &value);
QJsonValue defaultFromText(const QString &type, const QString &text);
// "news, blog" ↔ ["news","blog"].
QString optionsText(const QJsonValue &options);
QJsonArray optionsFromText(const QString &text);

// Whether the columns both definitions share (by id) come in a different order.
bool columnOrderChanged(const QJsonObject &saved, const QJsonObject &edited);

// A preview in the shape the server answers for PATCH/DELETE, for a table that
// does not exist yet (POST applies at once, so the console previews it itself).
QJsonObject creationPreview(const QJsonObject &definition);

} // namespace Hearth::TableDefinition
