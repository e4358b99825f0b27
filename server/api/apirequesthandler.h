#pragma once

#include "auth/verifiedtokencache.h"
#include "http/irequesthandler.h"
#include "records/findcache.h"
#include "records/workercontext.h"
#include "schema/metadata.h"

#include <memory>
#include <optional>

namespace Hearth {

class Engine;
class ScriptHost;
class SqlConnection;

// The API on one worker thread: routes each request (API.md) and turns every
// failure into the error envelope. Owns the worker's database connection.
class ApiRequestHandler : public IRequestHandler
{
public:
    ApiRequestHandler(Engine &engine, int workerIndex);
    ~ApiRequestHandler() override;
    void handle(const HttpRequest &request, HttpResponder respond) override;

private:
    // The answer, or nothing when scripts took the request over (they answer later).
    std::optional<HttpResponse> dispatch(const HttpRequest &request, const HttpResponder &respond);
    HttpResponse error(const HttpRequest &request, const class ApiError &error) const;
    ScriptHost &scripts();

    Engine &m_engine;
    int m_workerIndex;
    std::unique_ptr<SqlConnection> m_db;
    FindCache m_findCache;
    WorkerContext m_worker;
    VerifiedTokenCache m_tokenCache;
    MetadataPtr m_cachesFor;                // caches belong to this metadata; dropped when it changes
    std::unique_ptr<ScriptHost> m_scripts;  // made on the first request that runs a script
    std::shared_ptr<QString> m_callerEmail; // of the request being dispatched, for the request log
};

// Creates one ApiRequestHandler per worker.
class ApiRequestHandlerFactory : public IRequestHandlerFactory
{
public:
    explicit ApiRequestHandlerFactory(Engine &engine) : m_engine(engine) {}
    std::unique_ptr<IRequestHandler> create(int workerIndex) override
    {
        return std::make_unique<ApiRequestHandler>(m_engine, workerIndex);
    }

private:
    Engine &m_engine;
};

} // namespace Hearth
