#pragma once

#include "query/sqldialect.h"

namespace Hearth {

class SqliteDialect : public SqlDialect
{
public:
    static const SqliteDialect &instance();

    QByteArray quoteIdentifier(QStringView name) const override;
    QByteArray placeholder(int index) const override;
    QByteArray stringLiteral(QByteArrayView utf8) const override;
    QByteArray concat(const QByteArrayList &parts) const override;
    QByteArray jsonValue(const QByteArray &expr, ColumnType type) const override;
    QByteArray jsonArrayOfRows(const QByteArray &rowsSelect) const override;
    QByteArray foldText(const QByteArray &expr) const override;
    QByteArray like(const QByteArray &expr, const QByteArray &pattern) const override;
    QByteArray inJsonArray(const QByteArray &expr, const QByteArray &jsonArrayParam) const override;
    QByteArray limitOffset(qint64 limit, qint64 offset) const override;
};

} // namespace Hearth
