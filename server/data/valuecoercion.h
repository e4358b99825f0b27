#pragma once

#include "data/sqlvalue.h"
#include "schema/schemamodel.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringView>

namespace Hearth {

// Type checking and conversion of one JSON value to the form a column stores
// (see API.md "Tables and canonical routes" and the storage facts):
//   boolean                 INTEGER 0/1 (only JSON true/false are booleans: 0/1 and "true" are refused)
//   int, bigint             INTEGER (whole JSON numbers within 64 bits; strings are refused)
//   float                   REAL (any JSON number)
//   varchar                 TEXT, at most maxLength() characters (Unicode code points)
//   text, richtext, code    TEXT (any string)
//   uuid                    TEXT canonical lower-case 8-4-4-4-12 (any case accepted)
//   date                    TEXT YYYY-MM-DD (exactly that form)
//   datetime, timestamp     TEXT YYYY-MM-DDTHH:MM:SS.mmmZ (ISO 8601 in, any offset; none = UTC)
//   enum                    TEXT, one of options (any string if options is empty)
//   simple-json             TEXT compact JSON of any non-null JSON value
//   array-select            TEXT compact JSON array of strings, each in options (any if empty)
// Null (and undefined) store SQL NULL when the column is nullable.
//
// On refusal the result is SqlNull and *error is the reason without the
// field name ("must be a number"); the caller prefixes the field's path.
SqlValue toStoredValue(const ColumnDef &column, const QJsonValue &value, QString *error);

// A primary or foreign key in stored form. Integer keys accept whole JSON
// numbers and decimal strings ("12", as in URLs); uuid keys accept uuids in
// any case and store them lower-case. False when the value is no valid key.
bool toStoredKey(PrimaryKeyType type, const QJsonValue &value, SqlValue *out);
// The reason a key was refused, as toStoredValue words it ("must be an integer").
QString keyTypeError(PrimaryKeyType type);
// A stored key as JSON: a number, or a string for uuid keys.
QJsonValue storedKeyToJson(const SqlValue &key);
// A key or any JSON value as text for messages: 3, abc, {"a":1}.
QString displayValue(const QJsonValue &value);
QString displayValue(const SqlValue &value);

// Hand-written parsers (no regular expressions), shared with the query layer.
bool normalizeUuid(QStringView text, QByteArray *canonical);
bool normalizeDate(QStringView text, QByteArray *out);     // YYYY-MM-DD, a real calendar day
bool normalizeDateTime(QStringView text, QByteArray *out); // ISO 8601 → YYYY-MM-DDTHH:MM:SS.mmmZ (UTC)
// Whole JSON number within qint64 (no strings).
bool jsonToInt64(const QJsonValue &value, qint64 *out);
// Compact JSON text of any JSON value, scalars included ("abc" → "\"abc\"").
QByteArray compactJson(const QJsonValue &value);
// Unicode code points in text (a surrogate pair counts once).
qsizetype characterCount(QStringView text);
// Now in the stored datetime form.
QByteArray currentTimestamp();

} // namespace Hearth
