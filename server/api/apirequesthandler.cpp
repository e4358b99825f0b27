#include "api/apirequesthandler.h"

#include "api/adminroutes.h"
#include "api/authroutes.h"
#include "api/envelope.h"
#include "api/routematch.h"
#include "api/tableroutes.h"
#include "auth/authservice.h"
#include "auth/routeaccess.h"
#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/sqlerror.h"
#include "engine/engine.h"
#include "records/workercontext.h"
#include "script/scripthost.h"
#include "script/scriptrun.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace Hearth {

Q_LOGGING_CATEGORY(lcApi, "hearth.api")

ApiRequestHandler::ApiRequestHandler(Engine &engine, int workerIndex)
    : m_engine(engine), m_workerIndex(workerIndex),
      m_db(engine.database().connect()), m_worker{engine, *m_db, m_findCache}
{}

ApiRequestHandler::~ApiRequestHandler()
{
    m_scripts.reset(); // runs still waiting end before the connection they use
}

ScriptHost &ApiRequestHandler::scripts()
{
    if (!m_scripts)
        m_scripts = std::make_unique<ScriptHost>(m_engine.scriptWatchdog());
    return *m_scripts;
}

void ApiRequestHandler::handle(const HttpRequest &request, HttpResponder answer)
{
    // Every answer, now or later (scripts), goes into the request log on its way out.
    QElapsedTimer timer;
    timer.start();
    m_callerEmail = std::make_shared<QString>(); // dispatch fills it in once the caller is known
    HttpResponder respond = [this, answer = std::move(answer), timer,
                             method = request.isHead ? QByteArray("HEAD") : request.method,
                             path = request.path, email = m_callerEmail](HttpResponse response) mutable {
        m_engine.requestLog().record(method, path, response.status, double(timer.nsecsElapsed()) / 1e6,
                                     *email, QDateTime::currentMSecsSinceEpoch());
        answer(std::move(response));
    };
    HttpResponse response;
    try {
        std::optional<HttpResponse> answer = dispatch(request, respond);
        if (!answer)
            return; // scripts answer when they are done
        response = std::move(*answer);
    } catch (const ApiError &e) {
        response = error(request, e);
    } catch (const SqlError &e) {
        qCWarning(lcApi) << "database error on" << request.method << request.path << ":" << e.what();
        response = error(request, ApiError::internal());
    } catch (const std::exception &e) {
        qCWarning(lcApi) << "internal error on" << request.method << request.path << ":" << e.what();
        response = error(request, ApiError::internal());
    }
    respond(std::move(response));
}

HttpResponse ApiRequestHandler::error(const HttpRequest &request, const ApiError &e) const
{
    return HttpResponse::json(e.status(),
                              errorEnvelope(e, {request.path, request.method, request.correlationId}));
}

std::optional<HttpResponse> ApiRequestHandler::dispatch(const HttpRequest &request,
                                                        const HttpResponder &respond)
{
    const MetadataPtr metadata = m_engine.metadata();
    if (metadata != m_cachesFor) {
        m_findCache.clear();
        m_db->clearStatementCache();
        m_cachesFor = metadata;
    }
    if (request.path == "/" && request.method == "GET") {
        const QJsonObject info{{QStringLiteral("name"), QStringLiteral("Hearth")},
                               {QStringLiteral("version"), QStringLiteral(HEARTH_VERSION)}};
        return HttpResponse::json(
            200, Envelope::data(200, QJsonDocument(QJsonArray{info}).toJson(QJsonDocument::Compact)));
    }
    const Authentication authentication =
        AuthService(m_engine, *m_db, *metadata, &m_tokenCache).authenticate(request.header("authorization"));
    *m_callerEmail = authentication.caller.email;
    if (AuthRoutes::handles(request.path)) {
        // The sign-in routes take hooks too (Enfyra's example: rate-limit logins in a
        // preHook on POST /auth/login): their system route rows carry them.
        RouteMatch match = matchRoute(*metadata, request.path);
        if (!match.route || !metadata->hasScripts(match.route->id) || request.method == "OPTIONS")
            return AuthRoutes(m_worker, metadata, request, authentication).handle();
        auto defaultHandler = [this, metadata, authentication](const HttpRequest &changed) {
            return AuthRoutes(m_worker, metadata, changed, authentication).handle();
        };
        auto *run = new ScriptRun(
            scripts(), m_worker, metadata, request, match,
            authentication.status == Authentication::Status::Authenticated ? authentication.caller : Caller{},
            defaultHandler, respond);
        run->start();
        return std::nullopt;
    }
    if (AdminRoutes::handles(request.path))
        return AdminRoutes(m_worker, metadata, request, authentication)
            .handle([this]() -> ScriptHost & { return scripts(); }, respond);
    const RouteMatch match = matchRoute(*metadata, request.path);
    const bool scripted = match.route && metadata->hasScripts(match.route->id) && request.method != "OPTIONS";
    if (!match.route || !match.route->isEnabled || (!match.table && !scripted))
        throw ApiError(404, "NOT_FOUND",
                       QStringLiteral("Cannot %1 %2")
                           .arg(QString::fromLatin1(request.isHead ? QByteArray("HEAD") : request.method),
                                QString::fromUtf8(request.path)));
    // OPTIONS only tells which methods exist, so it needs no access.
    const Caller caller = request.method == "OPTIONS"
                              ? Caller{}
                              : checkRouteAccess(*metadata, *match.route, request.method, authentication);
    if (!scripted)
        return TableRoutes(m_worker, metadata, request, match, caller).handle();
    auto defaultHandler = [this, metadata, match, caller](const HttpRequest &changed) {
        if (!match.table) // a custom route answers only through its handler scripts
            throw ApiError(404, "NOT_FOUND",
                           QStringLiteral("Cannot %1 %2")
                               .arg(QString::fromLatin1(changed.method), QString::fromUtf8(changed.path)));
        return TableRoutes(m_worker, metadata, changed, match, caller).handle();
    };
    auto *run = new ScriptRun(scripts(), m_worker, metadata, request, match, caller, defaultHandler, respond);
    run->start();
    return std::nullopt;
}

} // namespace Hearth
