#pragma once

#include "api/routematch.h"
#include "api/workercontext.h"
#include "auth/caller.h"
#include "http/httpresponse.h"

#include <memory>

namespace Hearth {

struct QueryOptions;
class CallerFieldAccess;
class RecordWriter;
class SystemTableRules;

// The canonical routes of a table (API.md "Tables and canonical routes"):
// list, get by id, create, update, delete, plus the schema routes of
// hearth_table and the rules that keep the other system tables consistent.
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

    // The rows of this table matching the request's query, as data (+ meta) JSON.
    QByteArray findJson(const QueryOptions &options, QByteArray *metaJson, const QByteArray &cacheKey = {});
    // The options of the row re-read after a write: the request's fields/deep,
    // checked (400) so that a write can refuse them before it changes anything.
    QueryOptions rowOptions() const;
    // One row re-read after a write, shaped by the request's fields/deep.
    QByteArray rowJson(QueryOptions options, const QJsonValue &id);
    // The row with this key, shaped by options (and filtered by options.filter), compiled once per URL.
    QByteArray findByIdJson(QueryOptions options, const QJsonValue &id, const QByteArray &purpose);
    QJsonValue parsedId() const;
    SystemTableRules systemRules() const;
    void publishMetadataIfSystem();
    RecordWriter writer() const;
    // The caller's field permissions (API.md "Field permissions"); null for the root admin.
    const CallerFieldAccess *fieldAccess() const;

    WorkerContext &m_worker;
    MetadataPtr m_metadata;
    const HttpRequest &m_request;
    const RouteMatch &m_match;
    const TableDef &m_table;
    const Caller &m_caller;
    mutable std::shared_ptr<const CallerFieldAccess> m_fieldAccess; // resolved on first use
    mutable bool m_fieldAccessResolved = false;
};

} // namespace Hearth
