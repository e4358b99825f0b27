#include "api/tableroutes.h"

#include "api/envelope.h"
#include "api/methodnotallowed.h"
#include "api/requestbody.h"
#include "core/apierror.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "query/queryparams.h"
#include "query/queryrunner.h"
#include "records/findcache.h"
#include "schema/schemaservice.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace Hearth {

namespace {

QString queryValue(const QByteArray &rawQuery, const char *name)
{
    const QUrlQuery query(QString::fromUtf8(rawQuery));
    return query.queryItemValue(QLatin1StringView(name), QUrl::FullyDecoded);
}

} // namespace

TableRoutes::TableRoutes(WorkerContext &worker, const MetadataPtr &metadata, const HttpRequest &request,
                         const RouteMatch &match, const Caller &caller)
    : m_worker(worker), m_records(worker, metadata, caller), m_request(request), m_match(match),
      m_table(*match.table)
{}

HttpResponse TableRoutes::handle()
{
    // HEAD arrives as GET (isHead set): it is allowed exactly when GET is.
    const QByteArray &method = m_request.method;
    const QStringList &available = m_match.route->availableMethods;
    auto allowed = [&](const char *m) {
        return available.isEmpty() || available.contains(QLatin1StringView(m)) ||
               (m_request.isHead && available.contains(QLatin1StringView("HEAD")));
    };
    if (m_match.hasId) {
        if (method == "GET" && allowed("GET"))
            return get();
        if (method == "PATCH" && allowed("PATCH"))
            return m_table.name == u"hearth_table" ? schemaChange() : update();
        if (method == "DELETE" && allowed("DELETE"))
            return m_table.name == u"hearth_table" ? schemaChange() : remove();
    } else {
        if (method == "GET" && allowed("GET"))
            return list();
        if (method == "POST" && allowed("POST"))
            return m_table.name == u"hearth_table" ? schemaChange() : create();
    }
    return methodNotAllowed();
}

HttpResponse TableRoutes::methodNotAllowed() const
{
    const QByteArray &method = m_request.method;
    const QStringList &available = m_match.route->availableMethods;
    // Allow names what this route answers here; OPTIONS answers with it.
    static const QByteArrayList itemMethods{"GET", "PATCH", "DELETE"};
    static const QByteArrayList collectionMethods{"GET", "POST"};
    QByteArrayList allow;
    for (const QByteArray &m : m_match.hasId ? itemMethods : collectionMethods) {
        if (!available.isEmpty() && !available.contains(QLatin1StringView(m)))
            continue;
        allow << m;
        if (m == "GET")
            allow << "HEAD";
    }
    allow << "OPTIONS";
    if (method == "OPTIONS") {
        HttpResponse response;
        response.status = 204;
        response.setHeader("Allow", allow.join(", "));
        return response;
    }
    return Hearth::methodNotAllowed(m_request, allow.join(", "));
}

QJsonValue TableRoutes::parsedId() const
{
    return RecordService::parseKey(m_table, QJsonValue(m_match.id));
}

QByteArray TableRoutes::cacheKey(const QByteArray &purpose) const
{
    return FindCache::key(m_table.name, purpose + m_request.rawQuery, m_records.accessKey());
}

QueryOptions TableRoutes::rowOptions() const
{
    return m_records.rowOptions(m_table, parseQueryParams(m_request.rawQuery));
}

QByteArray TableRoutes::rowJson(const QueryOptions &options, const QJsonValue &id)
{
    return m_records.findById(m_table, options, id, cacheKey("#row"));
}

HttpResponse TableRoutes::list()
{
    const QByteArray key = cacheKey();
    QByteArray meta;
    // Parsing is skipped for a cached URL: the key is the raw query string.
    if (const CompiledFind *cached = m_worker.findCache.find(key))
        return HttpResponse::json(200, Envelope::data(200, runFindToJson(m_worker.db, *cached, &meta), meta));
    const QByteArray data = m_records.find(m_table, parseQueryParams(m_request.rawQuery), &meta, key);
    return HttpResponse::json(200, Envelope::data(200, data, meta));
}

HttpResponse TableRoutes::get()
{
    const QJsonValue id = parsedId();
    const QByteArray key = cacheKey("#get");
    QueryOptions options;
    if (!m_worker.findCache.find(key)) // parsed only to compile; a cached URL needs no parsing
        options = parseQueryParams(m_request.rawQuery);
    const QByteArray data = m_records.findById(m_table, options, id, key);
    if (data == "[]")
        throw ApiError(404, "RESOURCE_NOT_FOUND",
                       QStringLiteral("%1 with id %2 not found").arg(m_table.name, m_match.id));
    return HttpResponse::json(200, Envelope::data(200, data));
}

HttpResponse TableRoutes::create()
{
    const QJsonObject body = parseJsonObjectBody(m_request);
    const QueryOptions reread = rowOptions();
    const QJsonValue id = m_records.create(m_table, body);
    return HttpResponse::json(201, Envelope::data(201, rowJson(reread, id)));
}

HttpResponse TableRoutes::update()
{
    const QJsonValue id = parsedId();
    const QJsonObject body = parseJsonObjectBody(m_request);
    const QueryOptions reread = rowOptions();
    m_records.update(m_table, id, body);
    return HttpResponse::json(200, Envelope::data(200, rowJson(reread, id)));
}

HttpResponse TableRoutes::remove()
{
    m_records.remove(m_table, parsedId());
    return HttpResponse::json(200, Envelope::success(200));
}

HttpResponse TableRoutes::schemaChange()
{
    SchemaService schema(m_worker.engine, m_worker.db);
    m_worker.findCache.clear();
    const QueryOptions reread = rowOptions(); // a bad query string is refused before anything changes
    if (m_request.method == "POST") {
        const qint64 id = schema.createTable(parseJsonObjectBody(m_request));
        return HttpResponse::json(201, Envelope::data(201, rowJson(reread, id)));
    }
    const QJsonValue id = parsedId();
    const QString hash = queryValue(m_request.rawQuery, "schemaConfirmHash");
    const SchemaChangeResult result =
        m_request.method == "PATCH"
            ? schema.updateTable(qint64(id.toDouble()), parseJsonObjectBody(m_request), hash)
            : schema.deleteTable(qint64(id.toDouble()), hash);
    if (!result.applied)
        return HttpResponse::json(200, Envelope::data(200, compactJson(QJsonArray{result.preview})));
    if (m_request.method == "DELETE")
        return HttpResponse::json(200, Envelope::success(200));
    return HttpResponse::json(200, Envelope::data(200, rowJson(reread, id)));
}

} // namespace Hearth
