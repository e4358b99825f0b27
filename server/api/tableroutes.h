#pragma once

#include "api/routematch.h"
#include "auth/caller.h"
#include "http/httpresponse.h"
#include "records/recordservice.h"

namespace Hearth {

// The canonical routes of a table (API.md "Tables and canonical routes"):
// list, get by id, create, update, delete, and the schema routes of
// hearth_table. HTTP glue over RecordService, which scripts' $repos share.
class TableRoutes
{
public:
    TableRoutes(WorkerContext &worker, const MetadataPtr &metadata, const HttpRequest &request,
                const RouteMatch &match, const Caller &caller);
    HttpResponse handle();

private:
    HttpResponse list();
    HttpResponse get();
    HttpResponse create();
    HttpResponse update();
    HttpResponse remove();
    HttpResponse schemaChange(); // writes to /hearth_table
    HttpResponse methodNotAllowed() const;

    QJsonValue parsedId() const;
    // The cache key of this URL for this caller; purpose tells list, get and re-read apart.
    QByteArray cacheKey(const QByteArray &purpose = {}) const;
    // The request's fields/deep for re-reading a written row, checked before the write.
    QueryOptions rowOptions() const;
    QByteArray rowJson(const QueryOptions &options, const QJsonValue &id);

    WorkerContext &m_worker;
    RecordService m_records;
    const HttpRequest &m_request;
    const RouteMatch &m_match;
    const TableDef &m_table;
};

} // namespace Hearth
