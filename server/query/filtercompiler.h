#pragma once

#include "query/compilecontext.h"

#include <QJsonObject>

#include <functional>

namespace Hearth {

// API.md "Filter operators": a filter object -> an SQL condition on one row
// alias. Values are bound parameters; identifiers come only from the schema.
// Throws ApiError 400 on bad input and 403 on a field the caller may not read.
class FilterCompiler
{
public:
    // Trusted filters only (conditions the server defines, such as field
    // permissions): {"_holds": filter} is 1 where the filter is true and 0
    // where it is false or NULL, so conditions combine with _not/_and/_or in
    // two-valued logic. A request's filter naming it is refused like any
    // unknown field.
    static constexpr QLatin1StringView kHolds{"_holds"};

    // trusted: no field-access checks (for conditions the server itself defines), and _holds.
    explicit FilterCompiler(CompileContext &ctx, bool trusted = false);

    // The condition, or an empty string when the filter does not restrict (undefined, null, {}).
    QByteArray compile(const TableDef &table, const QByteArray &alias, const QJsonValue &filter);

private:
    QByteArray tableObject(const TableDef &table, const QByteArray &alias, const QJsonObject &filter,
                           int depth);
    QByteArray logic(QStringView op, const QJsonValue &operand, int depth,
                     const std::function<QByteArray(const QJsonObject &, int)> &compileOne);
    QByteArray holds(const TableDef &table, const QByteArray &alias, const QJsonValue &operand, int depth);
    QByteArray columnFilter(const TableDef &table, const QByteArray &alias, const ColumnDef &column,
                            const QJsonValue &value, int depth);
    QByteArray columnObject(const QByteArray &expr, const ColumnDef &column, const QString &field,
                            const QJsonObject &operators, int depth);
    QByteArray comparison(const QByteArray &expr, const ColumnDef &column, const QString &field,
                          QStringView op, const QJsonValue &operand, int depth);
    QByteArray relationFilter(const TableDef &table, const QByteArray &alias, const RelationDef &relation,
                              const QJsonValue &value, int depth);
    void enter(int depth) const;
    void countCondition();

    CompileContext &m_ctx;
    bool m_trusted;
    int m_conditions = 0;
};

} // namespace Hearth
