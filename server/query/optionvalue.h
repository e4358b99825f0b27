#pragma once

#include <QJsonValue>
#include <QString>

namespace Hearth {

// Reading one query option from JSON, where a query string gives strings and
// a script gives typed values. Both throw ApiError 400 "Invalid <name>: …".

// An integer >= minimum: a JSON number or a string of decimal digits.
qint64 integerOption(const QJsonValue &value, QStringView name, qint64 minimum);

// A comma-separated list: a string, or an array of strings joined with commas.
QString listOption(const QJsonValue &value, QStringView name);

} // namespace Hearth
