#pragma once

#include "http/irequesthandler.h"

#include <QString>

// The list floor: Hearth's HTTP layer with a handler that runs raw sqlite3
// prepared statements (prepared once per worker, then reset and rebound) and
// writes the rows straight to JSON in Hearth's envelope, with Hearth's row
// shape for the bench tables (`author` as {"id":N}).
//
//   GET /posts            20 rows ordered by id (table: posts or posts100k,
//   GET /posts100k        also as ?table=)
//   query: limit=N (1..1000, default 20), public=0|1, author=N,
//          count=1 (adds "meta":{"filterCount":N}, a COUNT(*) with the same WHERE)
//   GET /posts/N          one row by id (data:[row]; 404 when absent)
class FloorSqliteHandlerFactory : public Hearth::IRequestHandlerFactory
{
public:
    explicit FloorSqliteHandlerFactory(QString databasePath) : m_path(std::move(databasePath)) {}
    std::unique_ptr<Hearth::IRequestHandler> create(int workerIndex) override;

private:
    QString m_path;
};
