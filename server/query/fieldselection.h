#pragma once

#include "query/compilecontext.h"

#include <QJsonObject>

#include <memory>
#include <optional>
#include <vector>

namespace Hearth {

struct SelectionNode;

// One emitted key after the primary key: a column, or a relation with what to emit of its rows.
struct SelectionItem
{
    const ColumnDef *column = nullptr;
    const RelationDef *relation = nullptr;
    std::unique_ptr<SelectionNode> child; // relations only
    QJsonValue condition =
        QJsonValue::Undefined; // conditional read: emitted only for rows matching this filter
};

// What to emit of the rows of one table: the primary key, then items in
// order. For a relation's rows it also carries that relation's deep options.
struct SelectionNode
{
    const TableDef *table = nullptr;
    std::vector<SelectionItem> items;
    bool keyOnly() const { return items.empty(); } // {"id":…}

    QJsonValue filter = QJsonValue::Undefined; // deep filter on the related rows
    QString sort;                              // to-many only, like limit and page
    std::optional<qint64> limit;
    qint64 page = 1;
};

// API.md "fields" and "deep" -> the selection tree. fields "" means the
// table's default fields. Denied fields are left out, conditional ones keep
// their condition. Throws 400 on unknown fields, relations or deep keys, and
// on nesting beyond maxDeepDepth.
std::unique_ptr<SelectionNode> buildSelection(CompileContext &ctx, const TableDef &table, QStringView fields,
                                              const QJsonObject &deep);

} // namespace Hearth
