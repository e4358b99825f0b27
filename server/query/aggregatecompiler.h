#pragma once

#include "query/compilecontext.h"

#include <QJsonObject>

namespace Hearth {

// API.md "aggregate": {"price":{"count":true,"sum":true,…},"comments":{"countRecords":{filter}}}
// -> the SQL expression, over the rows of alias in an aggregate query, that
// yields the meta.aggregate JSON object text in the same shape. Throws 400 on
// unknown fields or operations and sum/avg of a non-numeric column, 403 on a
// field the caller may not read.
QByteArray compileAggregate(CompileContext &ctx, const TableDef &table, const QByteArray &alias,
                            const QJsonObject &aggregate);

} // namespace Hearth
