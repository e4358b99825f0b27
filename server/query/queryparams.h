#pragma once

#include "query/queryoptions.h"

#include <QByteArrayView>
#include <QJsonObject>

namespace Hearth {

// Every parameter of a raw (percent-encoded) query string, as scripts see
// them: a plain value is a string, a repeated key an array of strings,
// bracket forms (filter[price][_gte]=10) nested objects, and numeric indices
// or [] arrays. Throws ApiError 400 on bad percent-encoding, text that is
// not UTF-8, or brackets nested deeper than the limits allow.
QJsonObject queryParamsToJson(QByteArrayView rawQuery, const QueryLimits &limits = {});

// The find options among params, as given by queryParamsToJson (strings,
// JSON text) or by a script (typed values). Unknown keys are ignored.
// Throws ApiError 400 "Invalid <option>: …".
QueryOptions queryOptionsFromJson(const QJsonObject &params, const QueryLimits &limits = {});

// API.md "Query parameters": the raw query string -> QueryOptions.
QueryOptions parseQueryParams(QByteArrayView rawQuery, const QueryLimits &limits = {});

} // namespace Hearth
