#include "script/scriptrun.h"

#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/valuecoercion.h"
#include "query/queryparams.h"
#include "script/asyncruntime.h"
#include "script/ctxbridge.h"
#include "script/scriptengine.h"
#include "script/scripthelpers.h"
#include "script/scripthost.h"
#include "script/scriptwatchdog.h"

#include <QDateTime>
#include <QJSEngine>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QUrl>

namespace Hearth {

namespace {

Q_LOGGING_CATEGORY(lcRun, "hearth.script")

constexpr int kHookTimeoutMs = 5'000;
constexpr int kHandlerTimeoutMs = 30'000;

// $query as the default handler reads it again: the query object a preHook
// may have changed, back into a query string.
QByteArray encodeQuery(const QJsonObject &query)
{
    QByteArray out;
    auto add = [&](const QString &key, const QString &value) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    };
    for (auto it = query.begin(); it != query.end(); ++it) {
        const QJsonValue &v = it.value();
        if (v.isString())
            add(it.key(), v.toString());
        else if (v.isArray() && (it.key() == u"fields" || it.key() == u"sort" || it.key() == u"meta")) {
            QStringList parts;
            for (const QJsonValue &part : v.toArray())
                parts << part.toString();
            add(it.key(), parts.join(u','));
        } else if (!v.isNull() && !v.isUndefined())
            add(it.key(), QString::fromUtf8(compactJson(v)));
    }
    return out;
}

QByteArray withLogs(QByteArray body, const QStringList &logs)
{
    const QByteArray trimmed = body.trimmed();
    if (logs.isEmpty() || !trimmed.startsWith('{') || !trimmed.endsWith('}'))
        return body;
    QByteArray out = trimmed.chopped(1);
    if (out.trimmed() != "{")
        out += ',';
    return out + "\"logs\":" + compactJson(QJsonArray::fromStringList(logs)) + '}';
}

QJsonValue toJson(const QJSValue &value)
{
    if (value.isUndefined() || value.isNull())
        return QJsonValue::Null;
    return QJsonValue::fromVariant(value.toVariant());
}

} // namespace

ScriptRun::ScriptRun(ScriptHost &host, WorkerContext &worker, MetadataPtr metadata, HttpRequest request,
                     RouteMatch match, Caller caller, DefaultHandler defaultHandler, HttpResponder respond)
    : QObject(&host), m_host(host), m_worker(worker), m_metadata(std::move(metadata)),
      m_request(std::move(request)), m_match(std::move(match)), m_caller(std::move(caller)),
      m_defaultHandler(std::move(defaultHandler)), m_respond(std::move(respond))
{
    m_method = QString::fromLatin1(m_request.method);
}

ScriptRun::~ScriptRun()
{
    if (m_ticket)
        m_host.watchdog().disarm(m_ticket);
    if (m_bridge)
        m_bridge->close();
}

int ScriptRun::timeoutMs(const ScriptDef &script) const
{
    if (script.timeoutMs > 0)
        return script.timeoutMs;
    return script.kind == ScriptDef::Kind::Handler ? kHandlerTimeoutMs : kHookTimeoutMs;
}

QString ScriptRun::makeInit() const
{
    QJsonObject headers;
    for (const HttpHeader &h : m_request.headers)
        if (h.name != "authorization" && h.name != "cookie") // credentials stay out of scripts' reach
            headers.insert(QString::fromLatin1(h.name), QString::fromUtf8(h.value));
    QJsonValue user = QJsonValue::Null;
    if (m_caller.authenticated) {
        QJsonValue role = QJsonValue::Null;
        if (m_caller.roleId) {
            SqlStatement s = m_worker.db.prepare("SELECT name FROM hearth_role WHERE id = ?");
            s.bind(1, m_caller.roleId);
            role = QJsonObject{{QStringLiteral("id"), double(m_caller.roleId)},
                               {QStringLiteral("name"), s.step() ? QString::fromUtf8(s.text(0)) : QString()}};
        }
        user = QJsonObject{{QStringLiteral("id"), m_caller.userId},
                           {QStringLiteral("email"), m_caller.email},
                           {QStringLiteral("isRootAdmin"), m_caller.isRootAdmin},
                           {QStringLiteral("role"), role}};
    }
    const QJsonObject init{
        {QStringLiteral("params"), m_match.params},
        {QStringLiteral("user"), user},
        {QStringLiteral("method"), m_method},
        {QStringLiteral("url"), QString::fromUtf8(m_request.target)},
        {QStringLiteral("path"), QString::fromUtf8(m_request.path)},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("ip"), m_request.peerAddress.toString()},
        {QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("correlationId"), QString::fromLatin1(m_request.correlationId)},
        {QStringLiteral("mainTable"), m_match.table ? QJsonValue(m_match.table->name) : QJsonValue()},
    };
    return QString::fromUtf8(compactJson(init));
}

void ScriptRun::start()
{
    try {
        m_engine = m_host.engine();
        m_host.watchdog().setMemoryLimitMb(qint64(m_metadata->numberSetting("scriptMemoryLimitMb", 1024)));
        m_bridge = new CtxBridge(m_engine->js(), m_worker, m_metadata, m_caller, this);
        // Made when a script first reads $helpers or $cache.
        m_bridge->setHelpersFactory([this] {
            return new ScriptHelpers(m_engine, m_worker.engine, *m_metadata, m_request, m_match, m_caller,
                                     m_bridge);
        });
        // The request goes in as text, parsed in the engine only when a script reads it.
        m_bridge->setInitProvider([this] { return makeInit(); });
        m_bridge->setQueryProvider([this] {
            return m_request.rawQuery.isEmpty()
                       ? QString()
                       : QString::fromUtf8(compactJson(queryParamsToJson(m_request.rawQuery)));
        });
        m_ctx = m_engine->js()
                    .globalObject()
                    .property(QStringLiteral("__hearth_ctx"))
                    .call({m_engine->js().newQObject(m_bridge), QString::fromUtf8(m_request.body)});
        if (m_ctx.isError())
            throw std::runtime_error(m_ctx.toString().toStdString());
        QJSEngine::setObjectOwnership(m_bridge, QJSEngine::CppOwnership);
    } catch (const ApiError &e) {
        setError(e);
        finish();
        return;
    } catch (const std::exception &e) {
        qCWarning(lcRun) << "cannot start scripts:" << e.what();
        setError(ApiError::internal());
        finish();
        return;
    }
    if (m_adHocScript) {
        runAdHocScript();
        return;
    }
    m_pre = m_metadata->hooksFor(ScriptDef::Kind::PreHook, m_match.route->id, m_method);
    for (const ScriptDef *hook : m_metadata->hooksFor(ScriptDef::Kind::PostHook, m_match.route->id, m_method))
        (hook->runAfterResponse ? m_afterResponse : m_post).append(hook);
    runPre(0);
}

void ScriptRun::runScript(const ScriptDef &script, Success onSuccess, std::function<void()> onFailure)
{
    if (m_stopped) { // the engine was interrupted: it runs nothing more
        onFailure();
        return;
    }
    ScriptCompileError compileError;
    const QJSValue function = m_engine->function(script, &compileError);
    if (function.isUndefined()) {
        setError(ApiError(400, "SCRIPT_EXECUTION_ERROR",
                          QStringLiteral("%1 does not compile, line %2: %3")
                              .arg(script.label())
                              .arg(compileError.line)
                              .arg(compileError.message),
                          QJsonObject{{QStringLiteral("script"), script.label()},
                                      {QStringLiteral("line"), compileError.line}}));
        onFailure();
        return;
    }
    const quint64 step = ++m_step;
    const int timeout = timeoutMs(script);
    QPointer<ScriptRun> self(this);
    auto timedOut = [this, step, timeout, &script, onFailure](ScriptWatchdog::Reason reason) {
        if (step != m_step)
            return; // settled meanwhile
        ++m_step;
        m_ticket = 0;
        m_stopped = m_stopped || m_engine->isInterrupted();
        // Interrupted, or still awaiting: either way the script may not go on
        // (an awaiting one would keep stepping from the event loop), so the
        // engine takes no new request and goes when this run lets go of it.
        m_host.retire(m_engine);
        if (reason == ScriptWatchdog::Reason::Memory || m_engine->wasInterruptedForMemory())
            setError(ApiError(400, "SCRIPT_EXECUTION_ERROR",
                              QStringLiteral("%1 was stopped: the server's script memory limit was reached")
                                  .arg(script.label())));
        else
            setError(ApiError(
                408, "SCRIPT_TIMEOUT",
                QStringLiteral("%1 ran past its timeout of %2 ms").arg(script.label()).arg(timeout)));
        onFailure();
    };
    m_ticket = m_host.watchdog().arm(m_engine, m_host.heartbeat(), ScriptWatchdog::nowMs() + timeout, this,
                                     timedOut);
    const ScriptEngine::Outcome outcome = m_engine->call(function, m_ctx);
    const QJSValue &promise = outcome.value;
    if (!self)
        return;
    if (m_engine->isInterrupted() && step == m_step) { // stopped while it ran: no promise to wait for
        m_host.watchdog().disarm(m_ticket);
        timedOut(ScriptWatchdog::Reason::Timeout);
        return;
    }
    // A script that did not wait (no top-level await, no Promise returned) is
    // done now: go on at once instead of through the event loop.
    const bool thenable =
        !outcome.threw && promise.isObject() && promise.property(QStringLiteral("then")).isCallable();
    if (!thenable) {
        ++m_step;
        m_host.watchdog().disarm(m_ticket);
        m_ticket = 0;
        if (outcome.threw) {
            setError(scriptError(script, promise));
            onFailure();
        } else {
            onSuccess(promise);
        }
        return;
    }
    AsyncRuntime::whenSettled(
        m_engine->js(), promise,
        [self, step, &script, onSuccess, onFailure](bool fulfilled, const QJSValue &value) {
            if (!self || step != self->m_step)
                return; // ended meanwhile (timeout), or the run is gone
            ++self->m_step;
            self->m_host.watchdog().disarm(self->m_ticket);
            self->m_ticket = 0;
            if (self->m_engine->isInterrupted()) {
                self->m_stopped = true;
                self->m_host.retire(self->m_engine);
                self->setError(self->m_engine->wasInterruptedForMemory()
                                   ? ApiError(400, "SCRIPT_EXECUTION_ERROR",
                                              QStringLiteral("%1 was stopped: the server's script memory "
                                                             "limit was reached")
                                                  .arg(script.label()))
                                   : ApiError(408, "SCRIPT_TIMEOUT",
                                              QStringLiteral("%1 ran past its timeout").arg(script.label())));
                onFailure();
            } else if (fulfilled) {
                onSuccess(value);
            } else {
                self->setError(self->scriptError(script, value));
                onFailure();
            }
        });
}

ApiError ScriptRun::scriptError(const ScriptDef &script, const QJSValue &thrown) const
{
    const QJSValue info =
        m_engine->js().globalObject().property(QStringLiteral("__hearth_error_info")).call({thrown});
    const QString kind = info.property(QStringLiteral("kind")).toString();
    const QString message = info.property(QStringLiteral("message")).toString();
    const QJsonValue details = toJson(info.property(QStringLiteral("details")));
    if (kind == u"http")
        return ApiError(info.property(QStringLiteral("status")).toInt(), "HTTP_ERROR", message, details);
    if (kind == u"api") {
        const QByteArray code = info.property(QStringLiteral("code")).toString().toLatin1();
        // A refusal of the server thrown through the script keeps its shape:
        // VALIDATION_ERROR answers its messages as an array.
        const QJSValue messages = info.property(QStringLiteral("messages"));
        if (code == "VALIDATION_ERROR" && messages.isArray())
            return ApiError::validation(toJson(messages).toVariant().toStringList(), details);
        return ApiError(info.property(QStringLiteral("status")).toInt(), code, message, details);
    }
    const int line = info.property(QStringLiteral("line")).toInt();
    return ApiError(400, "SCRIPT_EXECUTION_ERROR",
                    line > 0 ? QStringLiteral("%1, line %2: %3").arg(script.label()).arg(line).arg(message)
                             : QStringLiteral("%1: %2").arg(script.label(), message),
                    QJsonObject{{QStringLiteral("script"), script.label()}, {QStringLiteral("line"), line}});
}

void ScriptRun::setError(const ApiError &error)
{
    m_error = error;
    if (m_stopped || m_ctx.isUndefined())
        return;
    QJsonObject object{{QStringLiteral("statusCode"), error.status()},
                       {QStringLiteral("code"), QString::fromLatin1(error.code())},
                       {QStringLiteral("message"), error.messageText()}};
    if (!error.details().isUndefined() && !error.details().isNull())
        object.insert(QStringLiteral("details"), error.details());
    m_ctx.setProperty(QStringLiteral("$error"), m_engine->js().toScriptValue(object));
    m_ctx.property(QStringLiteral("__setData")).callWithInstance(m_ctx, {QJSValue(QJSValue::NullValue)});
}

void ScriptRun::runPre(qsizetype index)
{
    if (index == m_pre.size()) {
        runHandler();
        return;
    }
    runScript(
        *m_pre[index],
        [this, index](const QJSValue &result) {
            if (result.isUndefined()) {
                runPre(index + 1);
                return;
            }
            // A preHook that returns a value answers instead of the handler.
            m_ctx.property(QStringLiteral("__setData")).callWithInstance(m_ctx, {result});
            runPost(0);
        },
        [this] { runPost(0); });
}

void ScriptRun::runHandler()
{
    if (const ScriptDef *handler = m_metadata->handlerFor(m_match.route->id, m_method)) {
        runScript(
            *handler,
            [this](const QJSValue &result) {
                m_ctx.property(QStringLiteral("__setData")).callWithInstance(m_ctx, {result});
                runPost(0);
            },
            [this] { runPost(0); });
        return;
    }
    runDefaultHandler();
    runPost(0);
}

ScriptRun::Exported ScriptRun::exported()
{
    if (m_export.isUndefined())
        m_export = m_ctx.property(QStringLiteral("__export"));
    const QJSValue values = m_export.callWithInstance(m_ctx);
    Exported out;
    out.statusCode = values.property(0);
    out.error = values.property(1);
    if (const QJSValue body = values.property(2); !body.isUndefined())
        out.body = body.toString().toUtf8();
    out.query = values.property(3);
    if (const QJSValue data = values.property(4); !data.isUndefined())
        out.data = data.toString().toUtf8();
    return out;
}

void ScriptRun::runDefaultHandler()
{
    // What preHooks made of $body and $query is what the handler gets.
    const Exported exported = this->exported();
    HttpRequest request = m_request;
    if (exported.body)
        request.body = *exported.body;
    if (!exported.query.isUndefined())
        request.rawQuery = encodeQuery(toJson(exported.query).toObject());
    try {
        const HttpResponse response = m_defaultHandler(request);
        m_defaultStatus = response.status;
        m_defaultHeaders = response.headers; // e.g. a 405's Allow
        if (response.status >= 400) {
            const QJsonObject envelope = QJsonDocument::fromJson(response.body).object();
            const QJsonObject error = envelope.value(QLatin1StringView("error")).toObject();
            setError(ApiError(response.status, error.value(QLatin1StringView("code")).toString().toLatin1(),
                              error.value(QLatin1StringView("message")).toString()));
            return;
        }
        m_ctx.setProperty(QStringLiteral("$statusCode"), response.status);
        m_dataText = response.body;
        m_bridge->setDataText(m_dataText);
        m_ctx.property(QStringLiteral("__useBridgeData")).callWithInstance(m_ctx);
    } catch (const ApiError &e) {
        setError(e);
    } catch (const std::exception &e) {
        qCWarning(lcRun) << "default handler failed:" << e.what();
        setError(ApiError::internal());
    }
}

void ScriptRun::runPost(qsizetype index)
{
    if (index == m_post.size()) {
        finish();
        return;
    }
    const ScriptDef &hook = *m_post[index];
    // Each postHook on its own: one that fails is logged, leaves $data,
    // $statusCode and $error as they were before it, and the others still run.
    const std::optional<ApiError> before = m_error;
    m_checkpoint =
        m_stopped ? QJSValue() : m_ctx.property(QStringLiteral("__checkpoint")).callWithInstance(m_ctx);
    runScript(
        hook, [this, index](const QJSValue &) { runPost(index + 1); },
        [this, index, before, &hook] {
            qCWarning(lcRun).noquote()
                << hook.label() << "failed:" << (m_error ? m_error->messageText() : QString());
            if (m_bridge)
                m_bridge->log(QStringLiteral("%1 failed: %2")
                                  .arg(hook.label(), m_error ? m_error->messageText() : QString()));
            if (!m_stopped) {
                m_error = before;
                m_ctx.property(QStringLiteral("__restore")).callWithInstance(m_ctx, {m_checkpoint});
            }
            m_checkpoint = QJSValue();
            runPost(index + 1);
        });
}

void ScriptRun::runAdHoc(ScriptHost &host, WorkerContext &worker, MetadataPtr metadata, HttpRequest request,
                         RouteMatch match, Caller caller, ScriptDef script, const QJsonValue &data,
                         AdHocDone done)
{
    auto *run = new ScriptRun(host, worker, std::move(metadata), std::move(request), std::move(match),
                              std::move(caller), {}, {});
    run->m_adHocScript = std::move(script);
    run->m_adHocData = data;
    run->m_adHocDone = std::move(done);
    run->start();
}

void ScriptRun::runAdHocScript()
{
    const ScriptDef &script = *m_adHocScript;
    const bool postHook = script.kind == ScriptDef::Kind::PostHook;
    if (postHook)
        m_ctx.property(QStringLiteral("__setData"))
            .callWithInstance(m_ctx, {m_engine->js().toScriptValue(m_adHocData)});
    runScript(
        script,
        [this, postHook](const QJSValue &result) {
            // Through $data, so the result is serialized as an answer would be.
            if (!postHook || !result.isUndefined())
                m_ctx.property(QStringLiteral("__setData")).callWithInstance(m_ctx, {result});
            if (const Exported exported = this->exported(); exported.data)
                m_adHocResult = *exported.data;
            finish();
        },
        [this] { finish(); });
}

void ScriptRun::finish()
{
    if (m_adHocDone) { // reports to its caller; nothing is sent from here
        m_adHocDone({m_adHocResult, m_bridge ? m_bridge->logs() : QStringList(), m_error});
        deleteLater();
        return;
    }
    HttpResponse response;
    std::optional<ApiError> error = m_error;
    QByteArray body;
    int status = 200;
    if (!m_stopped && !m_ctx.isUndefined()) {
        const Exported exported = this->exported();
        const QJSValue &scriptError = exported.error;
        if (scriptError.isObject()) {
            const QJsonObject e = toJson(scriptError).toObject();
            const int code = e.value(QLatin1StringView("statusCode"))
                                 .toInt(e.value(QLatin1StringView("status")).toInt(500));
            const int errorStatus = code >= 400 && code <= 599 ? code : 500;
            QByteArray errorCode = e.value(QLatin1StringView("code")).toString().toLatin1();
            if (errorCode.isEmpty())
                errorCode = ApiError::defaultCode(errorStatus);
            const QString message = e.value(QLatin1StringView("message")).toString();
            const QJsonValue details = e.value(QLatin1StringView("details"));
            // The error as the pipeline set it, unless a script changed it: it
            // keeps its exact shape (VALIDATION_ERROR's array of messages).
            const auto none = [](const QJsonValue &v) {
                return v.isNull() || v.isUndefined();
            };
            const bool unchanged = m_error && m_error->status() == errorStatus &&
                                   m_error->code() == errorCode && m_error->messageText() == message &&
                                   (none(details) ? none(m_error->details()) : m_error->details() == details);
            if (!unchanged)
                error = ApiError(errorStatus, errorCode, message, details);
        } else {
            error.reset(); // a postHook cleared $error: its $data answers
        }
        const QJSValue &statusCode = exported.statusCode;
        if (statusCode.isNumber() && statusCode.toInt() >= 100 && statusCode.toInt() <= 599)
            status = statusCode.toInt();
        body = exported.data ? *exported.data : m_dataText;
        if (body.isEmpty())
            body = "null";
    }
    const QStringList logs = m_bridge ? m_bridge->logs() : QStringList();
    if (error)
        response = HttpResponse::json(
            error->status(),
            withLogs(errorEnvelope(*error, {m_request.path, m_request.method, m_request.correlationId}),
                     logs));
    else
        response = HttpResponse::json(status, withLogs(body, logs));
    if (response.status == m_defaultStatus) // still the default handler's answer
        for (const HttpHeader &h : std::as_const(m_defaultHeaders))
            response.setHeader(h.name, h.value);
    m_responded = true;
    m_respond(std::move(response));
    runAfterResponse(0);
}

void ScriptRun::runAfterResponse(qsizetype index)
{
    if (index >= m_afterResponse.size() || m_stopped) {
        deleteLater();
        return;
    }
    const ScriptDef &hook = *m_afterResponse[index];
    runScript(
        hook, [this, index](const QJSValue &) { runAfterResponse(index + 1); },
        [this, index, &hook] {
            qCWarning(lcRun).noquote()
                << hook.label()
                << "(after the response) failed:" << (m_error ? m_error->messageText() : QString());
            runAfterResponse(index + 1);
        });
}

} // namespace Hearth
