#pragma once

#include "data/sqlvalue.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace Hearth {

// The options of a find, as parsed from a query string or given by a script.
struct QueryOptions
{
    QJsonValue filter;           // undefined = none; else an object
    QString fields;              // "" = the table's default (TableDef::defaultFields, or "*")
    QString sort;                // "" = "id"
    std::optional<qint64> limit; // unset = QueryLimits::defaultLimit; 0 = all (capped at maxQueryLimit)
    qint64 page = 1;             // 1-based
    bool metaTotalCount = false;
    bool metaFilterCount = false;
    QJsonObject deep;
    QJsonObject aggregate;
};

// DESIGN.md "Limits": bounds that keep one request from costing too much.
struct QueryLimits
{
    int maxFilterDepth = 32;       // JSON nesting of one filter
    int maxFilterConditions = 500; // leaf conditions in one filter
    int maxDeepDepth = 7;          // relation hops through fields and deep
    qint64 defaultLimit = 10;
    qint64 maxQueryLimit = 10000;
};

// One statement and its parameters, numbered in order (?1 is binds[0]).
// QByteArray and QList are implicitly shared, so copies are cheap.
struct CompiledSql
{
    QByteArray sql;
    QList<SqlValue> binds;
};

// How the runner writes one column of a row: the top level of a find is
// read column by column and written as JSON in C++ (faster than building
// the text in SQL); nested relations arrive as JSON text.
struct RowField
{
    enum class Kind : quint8
    {
        Scalar,   // a number, or NULL
        Text,     // a string to escape, or NULL
        Boolean,  // 0/1, or NULL
        JsonText, // JSON text written as is (JSON columns, nested relations)
    };
    QByteArray key; // "\"name\":", escaped
    Kind kind = Kind::Scalar;
    bool conditional = false; // the column before it says whether this row shows the field (0/1)
};

struct CompiledFind
{
    // With fields empty, each result row has ONE text column: the row as a JSON
    // object. Otherwise the row's columns, written as the fields describe.
    CompiledSql rows;
    QList<RowField> fields;
    // For a find by primary key compiled once and reused: the rows binds that
    // hold the key, replaced by the wanted row's key before each run.
    QList<qsizetype> keyBinds;
    std::optional<CompiledSql> totalCount;  // one integer
    std::optional<CompiledSql> filterCount; // one integer
    std::optional<CompiledSql> aggregate;   // one text column: the meta.aggregate JSON object
};

} // namespace Hearth
