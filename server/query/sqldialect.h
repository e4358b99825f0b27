#pragma once

#include "schema/schemamodel.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QStringView>

namespace Hearth {

// The SQL that differs between database engines. The compilers build
// standard SQL and ask the dialect for everything engine-specific: quoting,
// parameters, JSON text construction, text folding and paging.
class SqlDialect
{
public:
    virtual ~SqlDialect() = default;

    virtual QByteArray quoteIdentifier(QStringView name) const = 0;
    // Parameter number index (1-based), so fragments can be composed in any order.
    virtual QByteArray placeholder(int index) const = 0;
    virtual QByteArray stringLiteral(QByteArrayView utf8) const = 0;
    // Text concatenation of SQL expressions; every part must be non-NULL.
    virtual QByteArray concat(const QByteArrayList &parts) const = 0;
    // The JSON text of a stored value of that type ('null' for NULL).
    virtual QByteArray jsonValue(const QByteArray &expr, ColumnType type) const = 0;
    // The JSON array text of the one-column ("j") JSON rows of rowsSelect, in its order; '[]' when empty.
    virtual QByteArray jsonArrayOfRows(const QByteArray &rowsSelect) const = 0;
    // Case- and accent-folded text of expr (see foldText).
    virtual QByteArray foldText(const QByteArray &expr) const = 0;
    // expr LIKE pattern, where '\' escapes % and _ in the pattern.
    virtual QByteArray like(const QByteArray &expr, const QByteArray &pattern) const = 0;
    // expr IN the elements of a JSON array bound to one parameter (for long lists).
    virtual QByteArray inJsonArray(const QByteArray &expr, const QByteArray &jsonArrayParam) const = 0;
    virtual QByteArray limitOffset(qint64 limit, qint64 offset) const = 0;
};

} // namespace Hearth
