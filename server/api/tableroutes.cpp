#include "api/tableroutes.h"

#include "api/envelope.h"
#include "api/requestbody.h"
#include "api/systemtablerules.h"
#include "auth/authservice.h"
#include "auth/fieldaccesspolicy.h"
#include "auth/fieldwriteguard.h"
#include "auth/passwordhasher.h"
#include "core/apierror.h"
#include "data/database.h"
#include "data/recordwriter.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "query/querycompiler.h"
#include "query/queryparams.h"
#include "query/queryrunner.h"
#include "schema/schemaservice.h"

#include <QJsonArray>
#include <QUrlQuery>

#include <optional>

namespace Hearth {

namespace {

QueryLimits limitsFrom(const Metadata &metadata)
{
    QueryLimits limits;
    const QJsonValue max = metadata.settings.value(QLatin1StringView("maxQueryLimit"));
    if (max.isDouble() && max.toDouble() >= 1)
        limits.maxQueryLimit = qint64(max.toDouble());
    const QJsonValue byDefault = metadata.settings.value(QLatin1StringView("defaultQueryLimit"));
    if (byDefault.isDouble() && byDefault.toDouble() >= 1)
        limits.defaultLimit = qint64(byDefault.toDouble());
    // A list that gives no limit= must not be refused for one it never asked for.
    limits.defaultLimit = qMin(limits.defaultLimit, limits.maxQueryLimit);
    return limits;
}

QString queryValue(const QByteArray &rawQuery, const char *name)
{
    const QUrlQuery query(QString::fromUtf8(rawQuery));
    return query.queryItemValue(QLatin1StringView(name), QUrl::FullyDecoded);
}

QJsonObject idFilter(const QJsonValue &id)
{
    return {{QStringLiteral("id"), QJsonObject{{QStringLiteral("_eq"), id}}}};
}

} // namespace

TableRoutes::TableRoutes(WorkerContext &worker, const MetadataPtr &metadata, const HttpRequest &request,
                         const RouteMatch &match, const Caller &caller)
    : m_worker(worker), m_metadata(metadata), m_request(request), m_match(match), m_table(*match.table),
      m_caller(caller)
{}

const CallerFieldAccess *TableRoutes::fieldAccess() const
{
    if (!m_fieldAccessResolved) {
        m_fieldAccess = CallerFieldAccess::forCaller(m_metadata, m_caller);
        m_fieldAccessResolved = true;
    }
    return m_fieldAccess.get();
}

RecordWriter TableRoutes::writer() const
{
    RecordWriter writer(m_worker.db, *m_metadata->schema);
    writer.setPasswordCost(int(m_metadata->numberSetting("bcryptCost", PasswordHasher::DefaultCost)));
    return writer;
}

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
    HttpResponse response = HttpResponse::json(
        405, errorEnvelope(
                 ApiError(405, "METHOD_NOT_ALLOWED",
                          QStringLiteral("Cannot %1 %2")
                              .arg(QString::fromLatin1(m_request.isHead ? QByteArray("HEAD") : method),
                                   QString::fromUtf8(m_request.path))),
                 {m_request.path, m_request.isHead ? QByteArray("HEAD") : method, m_request.correlationId}));
    response.setHeader("Allow", allow.join(", "));
    return response;
}

QJsonValue TableRoutes::parsedId() const
{
    SqlValue stored;
    if (!toStoredKey(m_table.primaryKeyType, QJsonValue(m_match.id), &stored))
        throw ApiError::badRequest(
            QStringLiteral("Invalid id %1: %2").arg(m_match.id, keyTypeError(m_table.primaryKeyType)));
    return storedKeyToJson(stored);
}

QByteArray TableRoutes::findJson(const QueryOptions &options, QByteArray *metaJson,
                                 const QByteArray &cacheKey)
{
    const CompiledFind *cached = cacheKey.isEmpty() ? nullptr : m_worker.findCache.find(cacheKey);
    CompiledFind compiled;
    if (!cached) {
        compiled = QueryCompiler(*m_metadata->schema, limitsFrom(*m_metadata), fieldAccess())
                       .compileFind(m_table, options);
        if (!cacheKey.isEmpty())
            m_worker.findCache.insert(cacheKey, compiled);
        cached = &compiled;
    }
    return runFindToJson(m_worker.db, *cached, metaJson);
}

QueryOptions TableRoutes::rowOptions() const
{
    QueryOptions options = parseQueryParams(m_request.rawQuery);
    options.filter = QJsonValue::Undefined;
    options.limit = 1;
    options.page = 1;
    options.metaTotalCount = options.metaFilterCount = false;
    options.aggregate = {};
    // Compiled once here so that bad fields/deep are refused before anything is written.
    (void)QueryCompiler(*m_metadata->schema, limitsFrom(*m_metadata), fieldAccess())
        .compileFind(m_table, options);
    return options;
}

QByteArray TableRoutes::rowJson(QueryOptions options, const QJsonValue &id)
{
    options.filter = QJsonValue::Undefined;
    return findByIdJson(options, id, "#row");
}

QByteArray TableRoutes::findByIdJson(QueryOptions options, const QJsonValue &id, const QByteArray &purpose)
{
    // Compiled once per URL with a stand-in key, whose binds are then swapped for
    // each row's key: a get or a re-read costs no compilation after the first.
    const QByteArray key =
        FindCache::key(m_table.name, purpose + m_request.rawQuery, CallerFieldAccess::identityKey(m_caller));
    const QJsonValue standIn = m_table.primaryKeyType == PrimaryKeyType::Uuid
                                   ? QJsonValue(QStringLiteral("00000000-0000-4000-8000-0000000c0de5"))
                                   : QJsonValue(-7346238463847.0);
    CompiledFind run;
    if (const CompiledFind *cached = m_worker.findCache.find(key)) {
        run = *cached;
    } else {
        options.filter = options.filter.isObject()
                             ? QJsonValue(QJsonObject{
                                   {QStringLiteral("_and"), QJsonArray{options.filter, idFilter(standIn)}}})
                             : QJsonValue(idFilter(standIn));
        run = QueryCompiler(*m_metadata->schema, limitsFrom(*m_metadata), fieldAccess())
                  .compileFind(m_table, options);
        SqlValue standInStored;
        toStoredKey(m_table.primaryKeyType, standIn, &standInStored);
        for (qsizetype i = 0; i < run.rows.binds.size(); ++i)
            if (run.rows.binds[i] == standInStored)
                run.keyBinds << i;
        m_worker.findCache.insert(key, run);
    }
    SqlValue stored;
    toStoredKey(m_table.primaryKeyType, id, &stored);
    for (qsizetype i : std::as_const(run.keyBinds))
        run.rows.binds[i] = stored;
    return runFindToJson(m_worker.db, run);
}

HttpResponse TableRoutes::list()
{
    const QByteArray key =
        FindCache::key(m_table.name, m_request.rawQuery, CallerFieldAccess::identityKey(m_caller));
    QByteArray meta;
    // Parsing is skipped for a cached URL: the key is the raw query string.
    if (const CompiledFind *cached = m_worker.findCache.find(key))
        return HttpResponse::json(200, Envelope::data(200, runFindToJson(m_worker.db, *cached, &meta), meta));
    const QByteArray data = findJson(parseQueryParams(m_request.rawQuery), &meta, key);
    return HttpResponse::json(200, Envelope::data(200, data, meta));
}

HttpResponse TableRoutes::get()
{
    const QJsonValue id = parsedId();
    const QByteArray key =
        FindCache::key(m_table.name, "#get" + m_request.rawQuery, CallerFieldAccess::identityKey(m_caller));
    QueryOptions options;
    if (!m_worker.findCache.find(key)) { // parsed only to compile; a cached URL needs no parsing
        options = parseQueryParams(m_request.rawQuery);
        options.limit = 1;
        options.page = 1;
        options.metaTotalCount = options.metaFilterCount = false;
        options.aggregate = {};
    }
    const QByteArray data = findByIdJson(options, id, "#get");
    if (data == "[]")
        throw ApiError(404, "RESOURCE_NOT_FOUND",
                       QStringLiteral("%1 with id %2 not found").arg(m_table.name, m_match.id));
    return HttpResponse::json(200, Envelope::data(200, data));
}

HttpResponse TableRoutes::create()
{
    QJsonObject body = parseJsonObjectBody(m_request);
    const SystemTableRules rules = systemRules();
    rules.check(body);
    const QueryOptions reread = rowOptions();
    QJsonValue id;
    {
        WriteTransaction transaction(m_worker.engine.database(), m_worker.db);
        std::optional<FieldWriteGuard> guard;
        if (const CallerFieldAccess *access = fieldAccess()) {
            guard.emplace(*access, m_worker.db);
            guard->checkCreate(m_table, body);
        }
        id = writer().create(m_table, body);
        if (guard)
            guard->checkWritten(id); // conditional create rules, on the rows as created
        transaction.commit();
    }
    publishMetadataIfSystem();
    return HttpResponse::json(201, Envelope::data(201, rowJson(reread, id)));
}

HttpResponse TableRoutes::update()
{
    const QJsonValue id = parsedId();
    QJsonObject body = parseJsonObjectBody(m_request);
    const SystemTableRules rules = systemRules();
    rules.check(body);
    const QueryOptions reread = rowOptions();
    {
        WriteTransaction transaction(m_worker.engine.database(), m_worker.db);
        std::optional<FieldWriteGuard> guard;
        if (const CallerFieldAccess *access = fieldAccess()) {
            guard.emplace(*access, m_worker.db);
            guard->checkUpdate(m_table, id, body); // conditional update rules, on the row as it was
        }
        const QJsonValue written = writer().update(m_table, id, body);
        if (guard)
            guard->checkWritten(written);
        if (rules.endsSessions(body)) // a password set by someone else signs the user out everywhere
            AuthService(m_worker.engine, m_worker.db, *m_metadata).revokeSessions(written.toString());
        transaction.commit();
    }
    publishMetadataIfSystem();
    return HttpResponse::json(200, Envelope::data(200, rowJson(reread, id)));
}

HttpResponse TableRoutes::remove()
{
    const QJsonValue id = parsedId();
    QJsonObject none;
    systemRules().check(none);
    {
        WriteTransaction transaction(m_worker.engine.database(), m_worker.db);
        writer().remove(m_table, id);
        transaction.commit();
    }
    publishMetadataIfSystem();
    return HttpResponse::json(200, Envelope::success(200));
}

HttpResponse TableRoutes::schemaChange()
{
    SchemaService schema(m_worker.engine, m_worker.db);
    m_worker.findCache.clear();
    const QueryOptions reread = rowOptions(); // a bad query string is refused before anything changes
    if (m_request.method == "POST") {
        const qint64 id = schema.createTable(parseJsonObjectBody(m_request));
        m_metadata = m_worker.engine.metadata();
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
    m_metadata = m_worker.engine.metadata();
    if (m_request.method == "DELETE")
        return HttpResponse::json(200, Envelope::success(200));
    return HttpResponse::json(200, Envelope::data(200, rowJson(reread, id)));
}

SystemTableRules TableRoutes::systemRules() const
{
    return SystemTableRules(m_worker.db, m_table, m_caller, m_request.method,
                            m_match.hasId ? m_match.id : QString());
}

void TableRoutes::publishMetadataIfSystem()
{
    if (!m_table.isSystem)
        return;
    m_worker.engine.bumpAuthGeneration(); // users, roles, sessions may have changed
    m_worker.engine.reloadMetadata(m_worker.db);
    m_worker.findCache.clear();
}

} // namespace Hearth
