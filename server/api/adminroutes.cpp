#include "api/adminroutes.h"

#include "api/envelope.h"
#include "api/methodnotallowed.h"
#include "api/requestbody.h"
#include "api/testrun.h"
#include "auth/routeaccess.h"
#include "cache/cachestore.h"
#include "core/apierror.h"
#include "core/jsonkeys.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "query/queryparams.h"
#include "script/scriptwatchdog.h"

#include <QDateTime>

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <stdexcept>

namespace Hearth {

namespace {

constexpr QByteArrayView kOverview = "/admin/cache/overview";
constexpr QByteArrayView kKeys = "/admin/cache/keys";
constexpr QByteArrayView kKey = "/admin/cache/key";
constexpr QByteArrayView kKeyTtl = "/admin/cache/key/ttl";
constexpr QByteArrayView kRuntime = "/admin/runtime";
constexpr QByteArrayView kRequests = "/admin/requests";

QByteArrayView trimmedPath(QByteArrayView path)
{
    while (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    return path;
}

QJsonValue ttlJson(qint64 ttlMs)
{
    return ttlMs == CacheStore::NoExpiry ? QJsonValue() : QJsonValue(double(ttlMs));
}

QJsonObject keyJson(const CacheStore::KeyInfo &info)
{
    return {{QStringLiteral("key"), info.key},
            {QStringLiteral("kind"), CacheStore::kindName(info.kind)},
            {QStringLiteral("type"), CacheStore::typeName(info.type)},
            {QStringLiteral("bytes"), double(info.bytes)},
            {QStringLiteral("ttlMs"), ttlJson(info.ttlMs)}};
}

QJsonObject entryJson(const CacheStore::EntryInfo &entry)
{
    return {{QStringLiteral("key"), entry.key},
            {QStringLiteral("value"), entry.value},
            {QStringLiteral("kind"), CacheStore::kindName(entry.kind)},
            {QStringLiteral("type"), CacheStore::typeName(entry.value.type())},
            {QStringLiteral("bytes"), double(entry.bytes)},
            {QStringLiteral("ttlMs"), ttlJson(entry.ttlMs)},
            {QStringLiteral("idleMs"), double(entry.idleMs)}};
}

HttpResponse dataResponse(int status, const QJsonObject &row, const QJsonObject &meta = {})
{
    return HttpResponse::json(status, Envelope::data(status, compactJson(QJsonArray{row}),
                                                     meta.isEmpty() ? QByteArray() : compactJson(meta)));
}

ApiError keyNotFound(const QString &key)
{
    return ApiError(404, "NOT_FOUND", QStringLiteral("Cache key %1 not found").arg(key));
}

// A body's key: a non-empty string.
QString bodyKey(const QJsonObject &body, QStringList *problems)
{
    const QJsonValue key = body.value(QLatin1StringView("key"));
    if (!key.isString() || key.toString().isEmpty())
        *problems << QStringLiteral("key is required");
    return key.toString();
}

// A body's ttlMs: a whole number of milliseconds, or null for none.
std::optional<qint64> bodyTtl(const QJsonValue &ttl, QStringList *problems)
{
    if (ttl.isNull() || ttl.isUndefined())
        return std::nullopt;
    const double ms = ttl.toDouble(std::nan(""));
    if (!ttl.isDouble() || ms != std::floor(ms) || ms < 1 || ms > double(CacheStore::MaxTtlMs)) {
        *problems << QStringLiteral("ttlMs must be a whole number of milliseconds from 1 to %1, or null")
                         .arg(CacheStore::MaxTtlMs);
        return std::nullopt;
    }
    return qint64(ms);
}

} // namespace

AdminRoutes::AdminRoutes(WorkerContext &worker, const MetadataPtr &metadata, const HttpRequest &request,
                         const Authentication &authentication)
    : m_worker(worker), m_metadata(metadata), m_request(request), m_authentication(authentication)
{}

HttpResponse AdminRoutes::runtime()
{
    // Workers, connections, load and memory, for the console's Server view.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonObject row = m_worker.engine.serverStats();
    const QJsonObject statistics = m_worker.engine.requestLog().statistics(now);
    for (auto it = statistics.begin(); it != statistics.end(); ++it)
        row.insert(it.key(), it.value());
    row.insert(QStringLiteral("version"), QStringLiteral(HEARTH_VERSION));
    row.insert(QStringLiteral("uptimeMs"), double(now - m_worker.engine.startedAtMs()));
    row.insert(QStringLiteral("memory"),
               QJsonObject{{QStringLiteral("rssMb"), double(ScriptWatchdog::residentMb())}});
    return dataResponse(200, row);
}

HttpResponse AdminRoutes::requests()
{
    // The recent requests, newest first: ?limit (100, at most 1000), ?after (an id), ?q (text).
    const QJsonObject params = queryParamsToJson(m_request.rawQuery);
    bool ok = true;
    const int limit = params.contains(QLatin1StringView("limit"))
                          ? params.value(QLatin1StringView("limit")).toString().toInt(&ok)
                          : 100;
    if (!ok || limit < 1 || limit > 1000)
        throw ApiError::badRequest(QStringLiteral("limit must be a number from 1 to 1000"));
    const quint64 after = params.value(QLatin1StringView("after")).toString().toULongLong();
    const QJsonArray rows =
        m_worker.engine.requestLog().recent(limit, after, params.value(QLatin1StringView("q")).toString());
    return HttpResponse::json(200, Envelope::data(200, compactJson(rows)));
}

bool AdminRoutes::handles(const QByteArray &path)
{
    const QByteArrayView p = trimmedPath(path);
    return p == TestRun::Path || p == kOverview || p == kKeys || p == kKey || p == kKeyTtl || p == kRuntime ||
           p == kRequests;
}

std::optional<HttpResponse> AdminRoutes::handle(const std::function<ScriptHost &()> &scripts,
                                                const HttpResponder &respond)
{
    const Caller caller = requireCaller(m_authentication);
    if (!caller.isRootAdmin)
        throw ApiError(403, "FORBIDDEN", QStringLiteral("Only the root admin may use /admin routes"));
    const QByteArrayView path = trimmedPath(m_request.path);
    const QByteArray &method = m_request.method;
    if (path == TestRun::Path) {
        if (method != "POST")
            return methodNotAllowed(m_request, "POST");
        TestRun::start(scripts(), m_worker, m_metadata, m_request, caller, respond);
        return std::nullopt;
    }
    if (path == kRuntime)
        return method == "GET" ? runtime() : methodNotAllowed(m_request, "GET, HEAD");
    if (path == kRequests)
        return method == "GET" ? requests() : methodNotAllowed(m_request, "GET, HEAD");
    if (path == kOverview)
        return method == "GET" ? overview() : methodNotAllowed(m_request, "GET, HEAD");
    if (path == kKeys)
        return method == "GET" ? keys() : methodNotAllowed(m_request, "GET, HEAD");
    if (path == kKeyTtl)
        return method == "PATCH" ? setTtl() : methodNotAllowed(m_request, "PATCH");
    if (method == "GET")
        return getKey();
    if (method == "POST")
        return setKey();
    if (method == "DELETE")
        return deleteKey();
    return methodNotAllowed(m_request, "GET, HEAD, POST, DELETE");
}

HttpResponse AdminRoutes::overview()
{
    const CacheStore::Stats stats = m_worker.engine.cache().stats();
    const quint64 lookups = stats.hits + stats.misses;
    return dataResponse(200,
                        {{QStringLiteral("usedBytes"), double(stats.usedBytes)},
                         {QStringLiteral("limitBytes"), double(stats.maxBytes)},
                         {QStringLiteral("keyCount"), double(stats.userKeys + stats.systemKeys)},
                         {QStringLiteral("userKeys"), double(stats.userKeys)},
                         {QStringLiteral("systemKeys"), double(stats.systemKeys)},
                         {QStringLiteral("hits"), double(stats.hits)},
                         {QStringLiteral("misses"), double(stats.misses)},
                         {QStringLiteral("hitRatio"), lookups ? double(stats.hits) / double(lookups) : 0.0},
                         {QStringLiteral("evictions"), double(stats.evictions)},
                         {QStringLiteral("expirations"), double(stats.expirations)}});
}

HttpResponse AdminRoutes::keys()
{
    const QJsonObject query = queryParamsToJson(m_request.rawQuery);
    const QString pattern = query.value(QLatin1StringView("pattern")).toString();
    bool ok = true;
    const QString cursorText = query.value(QLatin1StringView("cursor")).toString();
    const quint64 cursor = cursorText.isEmpty() ? 0 : cursorText.toULongLong(&ok);
    if (!ok)
        throw ApiError::badRequest(QStringLiteral("Invalid cursor: %1").arg(cursorText));
    const QString countText = query.value(QLatin1StringView("count")).toString();
    const int count = countText.isEmpty() ? CacheStore::DefaultScanCount : countText.toInt(&ok);
    if (!ok || count < 1 || count > CacheStore::MaxScanCount)
        throw ApiError::badRequest(
            QStringLiteral("Invalid count: an integer from 1 to %1").arg(CacheStore::MaxScanCount));
    const CacheStore::ScanPage page =
        m_worker.engine.cache().scan(pattern.isEmpty() ? QStringLiteral("*") : pattern, cursor, count);
    QJsonArray rows;
    for (const CacheStore::KeyInfo &info : page.keys)
        rows.append(keyJson(info));
    const QJsonObject meta{{QStringLiteral("nextCursor"), double(page.nextCursor)}};
    return HttpResponse::json(200, Envelope::data(200, compactJson(rows), compactJson(meta)));
}

QString AdminRoutes::queryKey() const
{
    const QString key = queryParamsToJson(m_request.rawQuery).value(QLatin1StringView("key")).toString();
    if (key.isEmpty())
        throw ApiError::validation({QStringLiteral("key is required")});
    return key;
}

HttpResponse AdminRoutes::getKey()
{
    const QString key = queryKey();
    const std::optional<CacheStore::EntryInfo> entry = m_worker.engine.cache().entry(key);
    if (!entry)
        throw keyNotFound(key);
    return dataResponse(200, entryJson(*entry));
}

HttpResponse AdminRoutes::setKey()
{
    const QJsonObject body = parseJsonObjectBody(m_request);
    rejectUnknownKeys(body, {"key", "value", "ttlMs"});
    QStringList problems;
    const QString key = bodyKey(body, &problems);
    if (!body.contains(QLatin1StringView("value")))
        problems << QStringLiteral("value is required");
    const std::optional<qint64> ttl = bodyTtl(body.value(QLatin1StringView("ttlMs")), &problems);
    if (!problems.isEmpty())
        throw ApiError::validation(problems);
    CacheStore &cache = m_worker.engine.cache();
    const bool existed = cache.exists(key);
    const QJsonValue value = body.value(QLatin1StringView("value"));
    CacheStore::WriteResult written;
    try {
        written = ttl ? cache.set(key, value, *ttl) : cache.setNoExpire(key, value);
    } catch (const std::invalid_argument &e) {
        throw ApiError::badRequest(QString::fromUtf8(e.what()));
    }
    if (!written)
        throw ApiError(413, "PAYLOAD_TOO_LARGE", written.error);
    const std::optional<CacheStore::EntryInfo> entry = cache.entry(key);
    if (!entry) // evicted or removed by another request at once
        throw keyNotFound(key);
    return dataResponse(existed ? 200 : 201, entryJson(*entry));
}

HttpResponse AdminRoutes::deleteKey()
{
    const QString key = queryKey();
    if (!m_worker.engine.cache().deleteKey(key))
        throw keyNotFound(key);
    return HttpResponse::json(200, Envelope::success(200));
}

HttpResponse AdminRoutes::setTtl()
{
    const QJsonObject body = parseJsonObjectBody(m_request);
    rejectUnknownKeys(body, {"key", "ttlMs"});
    QStringList problems;
    const QString key = bodyKey(body, &problems);
    if (!body.contains(QLatin1StringView("ttlMs")))
        problems << QStringLiteral("ttlMs is required (null: no expiry)");
    const std::optional<qint64> ttl = bodyTtl(body.value(QLatin1StringView("ttlMs")), &problems);
    if (!problems.isEmpty())
        throw ApiError::validation(problems);
    CacheStore &cache = m_worker.engine.cache();
    if (!cache.setTtl(key, ttl))
        throw keyNotFound(key);
    const std::optional<CacheStore::EntryInfo> entry = cache.entry(key);
    if (!entry)
        throw keyNotFound(key);
    return dataResponse(200, entryJson(*entry));
}

} // namespace Hearth
