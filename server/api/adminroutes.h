#pragma once

#include "auth/caller.h"
#include "http/irequesthandler.h"
#include "records/workercontext.h"

#include <functional>
#include <optional>

namespace Hearth {

class ScriptHost;

// The built-in /admin routes (API.md "Admin endpoints"), for the root admin
// only (401 without a caller, 403 for anyone else):
// - POST /admin/test/run: the hook editor's Run button (TestRun), answered
//   when the script is done;
// - the cache monitor over the engine's CacheStore: GET /admin/cache/overview,
//   GET /admin/cache/keys?pattern&cursor&count, GET|POST|DELETE /admin/cache/key,
//   PATCH /admin/cache/key/ttl.
// - GET /admin/runtime (workers, connections, load, latency, memory) and
//   GET /admin/requests (the recent requests), for the Server view.
class AdminRoutes
{
public:
    AdminRoutes(WorkerContext &worker, const MetadataPtr &metadata, const HttpRequest &request,
                const Authentication &authentication);
    // Only the built-in paths: anything else under /admin/ may be a user route.
    static bool handles(const QByteArray &path);
    // The answer, or nothing when a test run took the request over (it answers
    // through respond). scripts gives the worker's ScriptHost, made on first use.
    std::optional<HttpResponse> handle(const std::function<ScriptHost &()> &scripts,
                                       const HttpResponder &respond);

private:
    HttpResponse runtime();
    HttpResponse requests();
    HttpResponse overview();
    HttpResponse keys();
    HttpResponse getKey();
    HttpResponse setKey();
    HttpResponse deleteKey();
    HttpResponse setTtl();
    QString queryKey() const; // ?key=, required

    WorkerContext &m_worker;
    MetadataPtr m_metadata;
    const HttpRequest &m_request;
    const Authentication &m_authentication;
};

} // namespace Hearth
