#include "api/authroutes.h"

#include "api/envelope.h"
#include "api/methodnotallowed.h"
#include "api/requestbody.h"
#include "auth/authservice.h"
#include "auth/passwordhasher.h"
#include "auth/routeaccess.h"
#include "auth/useraccountrules.h"
#include "core/apierror.h"
#include "core/jsonkeys.h"
#include "data/database.h"
#include "data/recordwriter.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "query/querycompiler.h"
#include "query/queryparams.h"

#include <QJsonArray>

namespace Hearth {

namespace {

QString requiredString(const QJsonObject &body, const char *key, QStringList *problems)
{
    const QJsonValue v = body.value(QLatin1StringView(key));
    if (!v.isString() || v.toString().isEmpty())
        *problems << QStringLiteral("%1 is required").arg(QLatin1StringView(key));
    return v.toString();
}

HttpResponse rawJson(int status, const QJsonObject &object)
{
    return HttpResponse::json(status, compactJson(object));
}

// /me is the caller's own row: its columns, the ids of its relations and its
// role's columns. Nothing may reach other rows through a relation (the other
// users of the role, their sessions): no deep, no field path but role.<column>.
void checkMeQuery(const Schema &schema, const QueryOptions &options)
{
    if (!options.deep.isEmpty())
        throw ApiError::badRequest(QStringLiteral("Invalid deep: /me has no deep"));
    const TableDef *roles = schema.table(u"hearth_role");
    for (const QString &part : options.fields.split(u',', Qt::SkipEmptyParts)) {
        QStringView field = QStringView(part).trimmed();
        if (field.startsWith(u'-'))
            field = field.mid(1);
        const qsizetype dot = field.indexOf(u'.');
        if (dot < 0)
            continue;
        const QStringView rest = field.mid(dot + 1);
        if (field.left(dot) == u"role" && roles && roles->column(rest))
            continue;
        throw ApiError::badRequest(
            QStringLiteral("Invalid fields: %1 is not available on /me").arg(field.toString()));
    }
}

} // namespace

AuthRoutes::AuthRoutes(WorkerContext &worker, const MetadataPtr &metadata, const HttpRequest &request,
                       const Authentication &authentication)
    : m_worker(worker), m_metadata(metadata), m_request(request), m_authentication(authentication)
{}

bool AuthRoutes::handles(const QByteArray &path)
{
    // Only the built-in paths: anything else under /auth/ may be the rows of a
    // user table named "auth" (/auth/1).
    QByteArrayView p = path;
    while (p.size() > 1 && p.endsWith('/'))
        p.chop(1);
    return p == "/me" || p == "/auth/login" || p == "/auth/refresh-token" || p == "/auth/logout" ||
           p == "/auth/api-tokens" || p.startsWith("/auth/api-tokens/");
}

HttpResponse AuthRoutes::handle()
{
    QByteArray path = m_request.path;
    while (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    const QByteArray &method = m_request.method;
    if (path == "/me") {
        if (method == "GET")
            return me();
        if (method == "PATCH")
            return updateMe();
        return methodNotAllowed(m_request, "GET, HEAD, PATCH");
    }
    if (path == "/auth/login" || path == "/auth/refresh-token" || path == "/auth/logout") {
        if (method != "POST")
            return methodNotAllowed(m_request, "POST");
        if (path == "/auth/login")
            return login();
        return path == "/auth/logout" ? logout() : refreshToken();
    }
    if (path == "/auth/api-tokens" || path.startsWith("/auth/api-tokens/"))
        return apiTokens(path.mid(int(qstrlen("/auth/api-tokens"))));
    throw ApiError(
        404, "NOT_FOUND",
        QStringLiteral("Cannot %1 %2").arg(QString::fromLatin1(method), QString::fromUtf8(m_request.path)));
}

HttpResponse AuthRoutes::login()
{
    const QJsonObject body = parseJsonObjectBody(m_request);
    rejectUnknownKeys(body, {"email", "password", "remember"});
    QStringList problems;
    const QString email = requiredString(body, "email", &problems);
    const QString password = requiredString(body, "password", &problems);
    const QJsonValue remember = body.value(QLatin1StringView("remember"));
    if (!remember.isUndefined() && !remember.isNull() && !remember.isBool())
        problems << QStringLiteral("remember must be a boolean");
    if (!problems.isEmpty())
        throw ApiError::validation(problems);
    AuthService auth(m_worker.engine, m_worker.db, *m_metadata);
    try {
        return rawJson(200, auth.login(email, password, remember.toBool(), m_request.peerAddress.toString(),
                                       QString::fromUtf8(m_request.header("user-agent")))
                                .toJson());
    } catch (const ApiError &e) {
        if (e.status() != 429)
            throw;
        HttpResponse response = HttpResponse::json(
            429, errorEnvelope(e, {m_request.path, m_request.method, m_request.correlationId}));
        response.setHeader("Retry-After",
                           QByteArray::number(qint64(
                               e.details().toObject().value(QLatin1StringView("retryAfter")).toDouble())));
        return response;
    }
}

HttpResponse AuthRoutes::refreshToken()
{
    const QJsonObject body = parseJsonObjectBody(m_request);
    rejectUnknownKeys(body, {"refreshToken"});
    QStringList problems;
    const QString token = requiredString(body, "refreshToken", &problems);
    if (!problems.isEmpty())
        throw ApiError::validation(problems);
    AuthService auth(m_worker.engine, m_worker.db, *m_metadata);
    return rawJson(200, auth.refresh(token.toUtf8()).toJson());
}

HttpResponse AuthRoutes::logout()
{
    const Caller caller = requireCaller(m_authentication);
    const QJsonObject body = parseJsonObjectBody(m_request);
    rejectUnknownKeys(body, {"refreshToken"});
    QStringList problems;
    const QString token = requiredString(body, "refreshToken", &problems);
    if (!problems.isEmpty())
        throw ApiError::validation(problems);
    AuthService(m_worker.engine, m_worker.db, *m_metadata).logout(caller, token.toUtf8());
    return HttpResponse::json(200, Envelope::success(200));
}

HttpResponse AuthRoutes::me()
{
    const Caller caller = requireCaller(m_authentication);
    const TableDef &users = *m_metadata->schema->table(u"hearth_user");
    QueryOptions options = parseQueryParams(m_request.rawQuery);
    if (options.fields.isEmpty())
        options.fields = QStringLiteral("*,role.id,role.name");
    checkMeQuery(*m_metadata->schema, options);
    options.filter = QJsonObject{{QStringLiteral("id"), QJsonObject{{QStringLiteral("_eq"), caller.userId}}}};
    options.limit = 1;
    options.page = 1;
    options.metaTotalCount = options.metaFilterCount = false;
    options.aggregate = {};
    const CompiledFind find = QueryCompiler(*m_metadata->schema).compileFind(users, options);
    return HttpResponse::json(200, Envelope::data(200, runFindToJson(m_worker.db, find)));
}

HttpResponse AuthRoutes::updateMe()
{
    const Caller caller = requireCaller(m_authentication);
    QJsonObject body = parseJsonObjectBody(m_request);
    for (const char *forbidden : {"role", "roleId", "isRootAdmin", "id", "sessions", "apiTokens"})
        if (body.contains(QLatin1StringView(forbidden)))
            throw ApiError(
                403, "FORBIDDEN",
                QStringLiteral("%1 cannot be changed through /me").arg(QLatin1StringView(forbidden)));
    rejectUnknownKeys(body, {"email", "password", "currentPassword"});
    normalizeUserBody(body);
    const QJsonValue current = body.take(QStringLiteral("currentPassword"));
    const bool changesPassword = body.contains(QLatin1StringView("password"));
    if (changesPassword) {
        SqlStatement s = m_worker.db.prepare("SELECT password FROM hearth_user WHERE id = ?");
        s.bind(1, sqlText(caller.userId));
        const QByteArray stored = s.step() ? s.text(0).toByteArray() : QByteArray();
        if (!current.isString() || !PasswordHasher::verify(current.toString().toUtf8(), stored))
            throw ApiError::validation({QStringLiteral("currentPassword is wrong or missing")});
    }
    const TableDef &users = *m_metadata->schema->table(u"hearth_user");
    {
        WriteTransaction transaction(m_worker.engine.database(), m_worker.db);
        RecordWriter writer(m_worker.db, *m_metadata->schema);
        writer.setPasswordCost(int(m_metadata->numberSetting("bcryptCost", PasswordHasher::DefaultCost)));
        writer.update(users, caller.userId, body);
        if (changesPassword) // other sign-ins of this user end; this one goes on
            AuthService(m_worker.engine, m_worker.db, *m_metadata)
                .revokeSessions(caller.userId, caller.sessionId);
        transaction.commit();
    }
    return me();
}

HttpResponse AuthRoutes::apiTokens(const QByteArray &rest)
{
    const Caller caller = requireCaller(m_authentication);
    AuthService auth(m_worker.engine, m_worker.db, *m_metadata);
    if (rest.isEmpty()) {
        if (m_request.method == "GET")
            return HttpResponse::json(200, Envelope::data(200, auth.listApiTokensJson(caller)));
        if (m_request.method == "POST")
            return HttpResponse::json(
                201, Envelope::data(201, compactJson(QJsonArray{
                                             auth.createApiToken(caller, parseJsonObjectBody(m_request))})));
        return methodNotAllowed(m_request, "GET, HEAD, POST");
    }
    if (m_request.method != "DELETE")
        return methodNotAllowed(m_request, "DELETE");
    bool ok = false;
    const qint64 id = rest.mid(1).toLongLong(&ok);
    if (!ok || id <= 0)
        throw ApiError::badRequest(QStringLiteral("Invalid id %1").arg(QString::fromUtf8(rest.mid(1))));
    auth.deleteApiToken(caller, id);
    return HttpResponse::json(200, Envelope::success(200));
}

} // namespace Hearth
