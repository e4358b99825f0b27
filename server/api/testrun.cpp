#include "api/testrun.h"

#include "api/requestbody.h"
#include "api/routematch.h"
#include "core/apierror.h"
#include "core/jsonkeys.h"
#include "data/sqlconnection.h"
#include "data/valuecoercion.h"
#include "schema/scriptdef.h"
#include "script/scriptrun.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

namespace Hearth {

namespace {

constexpr int kMaxTimeoutMs = 3'600'000;
const QStringList kMethods{QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                           QStringLiteral("PATCH"), QStringLiteral("DELETE")};

// The query string a client would send for query: values as text, JSON for
// objects, a repeated key for an array; $query then reads as in a real request.
QByteArray encodeQuery(const QJsonObject &query)
{
    QByteArray out;
    auto add = [&](const QString &key, const QJsonValue &value) {
        if (value.isNull() || value.isUndefined())
            return;
        const QString text = value.isString()   ? value.toString()
                             : value.isDouble() ? QString::fromUtf8(compactJson(value))
                             : value.isBool()   ? QString::fromLatin1(value.toBool() ? "true" : "false")
                                                : QString::fromUtf8(compactJson(value));
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(text);
    };
    for (auto it = query.begin(); it != query.end(); ++it) {
        if (it.value().isArray()) {
            for (const QJsonValue &item : it.value().toArray())
                add(it.key(), item);
        } else {
            add(it.key(), it.value());
        }
    }
    return out;
}

// A route's path with its :name segments filled from params where given.
QString filledPath(const QString &pattern, const QJsonObject &params)
{
    QStringList segments = pattern.split(QLatin1Char('/'));
    for (QString &segment : segments) {
        if (!segment.startsWith(QLatin1Char(':')))
            continue;
        const QJsonValue value = params.value(segment.mid(1));
        if (value.isString() || value.isDouble())
            segment = value.isString() ? value.toString() : QString::fromUtf8(compactJson(value));
    }
    return segments.join(QLatin1Char('/'));
}

// The route the test runs on, by id or by a path a request could have; params
// of a matched path come first, the body's params win.
RouteMatch resolveRoute(const Metadata &metadata, const QJsonValue &route, QStringList *problems)
{
    RouteMatch match;
    if (route.isUndefined() || route.isNull())
        return match;
    if (route.isString()) {
        match = matchRoute(metadata, route.toString().toUtf8());
    } else if (route.isDouble()) {
        for (const RouteDef &def : metadata.routes)
            if (def.id == route.toInteger(-1)) {
                match.route = &def;
                match.table = metadata.schema->table(def.mainTable);
            }
    }
    if (!match.route)
        *problems << QStringLiteral("route %1 does not exist").arg(QString::fromUtf8(compactJson(route)));
    return match;
}

Caller callerFor(WorkerContext &worker, const QString &userId)
{
    SqlStatement s = worker.db.prepare("SELECT email, roleId, isRootAdmin FROM hearth_user WHERE id = ?");
    s.bind(1, sqlText(userId));
    if (!s.step())
        throw ApiError::validation({QStringLiteral("userId %1 is not a user").arg(userId)});
    Caller caller;
    caller.authenticated = true;
    caller.userId = userId;
    caller.email = QString::fromUtf8(s.text(0));
    caller.roleId = s.int64(1);
    caller.isRootAdmin = s.int64(2);
    return caller;
}

QByteArray answer(const ScriptRun::AdHocOutcome &outcome, double durationMs)
{
    QJsonObject meta{{QStringLiteral("success"), !outcome.error},
                     {QStringLiteral("logs"), QJsonArray::fromStringList(outcome.logs)},
                     {QStringLiteral("durationMs"), durationMs}};
    if (outcome.error) {
        const int line = outcome.error->details().toObject().value(QLatin1StringView("line")).toInt();
        meta.insert(QStringLiteral("error"),
                    QJsonObject{{QStringLiteral("message"), outcome.error->messageText()},
                                {QStringLiteral("line"), line > 0 ? QJsonValue(line) : QJsonValue()},
                                {QStringLiteral("code"), QString::fromLatin1(outcome.error->code())},
                                {QStringLiteral("statusCode"), outcome.error->status()}});
    }
    // The result goes in as the JSON text the run made: no second parse.
    QByteArray out = compactJson(meta);
    out.chop(1);
    return out + ",\"result\":" + outcome.resultJson + '}';
}

} // namespace

void TestRun::start(ScriptHost &scripts, WorkerContext &worker, const MetadataPtr &metadata,
                    const HttpRequest &request, const Caller &caller, const HttpResponder &respond)
{
    const QJsonObject body = parseJsonObjectBody(request);
    rejectUnknownKeys(body, {"kind", "sourceCode", "route", "method", "body", "query", "params", "userId",
                             "timeout", "data"});
    QStringList problems;
    ScriptDef script;
    const QString kind = body.value(QLatin1StringView("kind")).toString();
    if (kind == u"preHook")
        script.kind = ScriptDef::Kind::PreHook;
    else if (kind == u"postHook")
        script.kind = ScriptDef::Kind::PostHook;
    else if (kind == u"handler")
        script.kind = ScriptDef::Kind::Handler;
    else
        problems << QStringLiteral("kind must be preHook, postHook or handler");
    const QJsonValue source = body.value(QLatin1StringView("sourceCode"));
    if (!source.isString())
        problems << QStringLiteral("sourceCode is required");
    const QJsonValue methodValue = body.value(QLatin1StringView("method"));
    const QString method =
        methodValue.isUndefined() ? QStringLiteral("GET") : methodValue.toString().toUpper();
    if (!kMethods.contains(method))
        problems << QStringLiteral("method must be one of %1").arg(kMethods.join(QStringLiteral(", ")));
    for (const char *key : {"query", "params"}) {
        const QJsonValue value = body.value(QLatin1StringView(key));
        if (!value.isUndefined() && !value.isNull() && !value.isObject())
            problems << QStringLiteral("%1 must be an object").arg(QLatin1StringView(key));
    }
    const QJsonValue userId = body.value(QLatin1StringView("userId"));
    if (!userId.isUndefined() && !userId.isNull() && !(userId.isString() && !userId.toString().isEmpty()))
        problems << QStringLiteral("userId must be a user's id");
    const QJsonValue timeout = body.value(QLatin1StringView("timeout"));
    if (!timeout.isUndefined() && !timeout.isNull() &&
        (!timeout.isDouble() || timeout.toDouble() != std::floor(timeout.toDouble()) ||
         timeout.toDouble() < 1 || timeout.toDouble() > kMaxTimeoutMs))
        problems << QStringLiteral("timeout must be a whole number of milliseconds from 1 to %1")
                        .arg(kMaxTimeoutMs);
    RouteMatch match = resolveRoute(*metadata, body.value(QLatin1StringView("route")), &problems);
    if (!problems.isEmpty())
        throw ApiError::validation(problems);

    script.name = QStringLiteral("test run");
    script.method = method;
    script.sourceCode = source.toString();
    script.timeoutMs = timeout.toInt(0);
    // Compiled code is cached by id and version: one slot per kind for test runs.
    script.version =
        QCryptographicHash::hash((method + u'\n' + script.sourceCode).toUtf8(), QCryptographicHash::Sha256);

    const QJsonObject params = body.value(QLatin1StringView("params")).toObject();
    for (auto it = params.begin(); it != params.end(); ++it)
        match.params.insert(it.key(), it.value());
    const QJsonValue route = body.value(QLatin1StringView("route"));
    const QString path = route.isString() ? route.toString()
                         : match.route    ? filledPath(match.route->path, match.params)
                                          : QStringLiteral("/");

    HttpRequest simulated;
    simulated.method = method.toLatin1();
    simulated.path = path.toUtf8();
    simulated.rawQuery = encodeQuery(body.value(QLatin1StringView("query")).toObject());
    simulated.target =
        QUrl::toPercentEncoding(path, "/") + (simulated.rawQuery.isEmpty() ? "" : "?" + simulated.rawQuery);
    for (const HttpHeader &header : request.headers)
        if (header.name != "content-length")
            simulated.headers.append(header);
    if (body.contains(QLatin1StringView("body")))
        simulated.body = compactJson(body.value(QLatin1StringView("body")));
    simulated.peerAddress = request.peerAddress;
    simulated.peerPort = request.peerPort;
    simulated.correlationId = request.correlationId;
    simulated.receivedAtMs = request.receivedAtMs;

    const Caller runAs = userId.isString() ? callerFor(worker, userId.toString()) : caller;
    QElapsedTimer elapsed;
    elapsed.start();
    ScriptRun::runAdHoc(
        scripts, worker, metadata, std::move(simulated), std::move(match), runAs, std::move(script),
        body.value(QLatin1StringView("data")).isUndefined() ? QJsonValue()
                                                            : body.value(QLatin1StringView("data")),
        [respond, elapsed](const ScriptRun::AdHocOutcome &outcome) {
            const double ms = double(elapsed.nsecsElapsed() / 1000) / 1000.0;
            respond(HttpResponse::json(200, answer(outcome, ms)));
        });
}

} // namespace Hearth
