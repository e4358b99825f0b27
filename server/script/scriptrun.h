#pragma once

#include "api/routematch.h"
#include "auth/caller.h"
#include "core/apierror.h"
#include "http/irequesthandler.h"
#include "records/workercontext.h"
#include "schema/scriptdef.h"

#include <QJSValue>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace Hearth {

class CtxBridge;
class ScriptEngine;
class ScriptHost;

// One request through the script lifecycle of API.md: preHooks in order (one
// that returns a value answers in place of the handler), the route's handler
// script or the default CRUD, postHooks (always, each on its own, also after
// an error), then the answer; post-hooks marked runAfterResponse run after it
// is sent. Scripts may await: the run goes on from the worker's event loop and
// answers when done. Deletes itself at the end.
class ScriptRun : public QObject
{
    Q_OBJECT
public:
    // defaultHandler: the canonical route's answer for a request (throws ApiError).
    using DefaultHandler = std::function<HttpResponse(const HttpRequest &request)>;

    ScriptRun(ScriptHost &host, WorkerContext &worker, MetadataPtr metadata, HttpRequest request,
              RouteMatch match, Caller caller, DefaultHandler defaultHandler, HttpResponder respond);
    ~ScriptRun() override;

    void start();

    // The console's Run button (POST /admin/test/run): script, which is not
    // stored, runs alone and once with the $ctx of request, match (route may be
    // null) and caller, under the same timeout rules; done gets the outcome
    // instead of a response being sent. A postHook starts with data as $data.
    struct AdHocOutcome
    {
        QByteArray resultJson; // the return value; a postHook returning nothing: the $data it left
        QStringList logs;
        std::optional<ApiError> error; // none: the script succeeded
    };
    using AdHocDone = std::function<void(const AdHocOutcome &outcome)>;
    static void runAdHoc(ScriptHost &host, WorkerContext &worker, MetadataPtr metadata, HttpRequest request,
                         RouteMatch match, Caller caller, ScriptDef script, const QJsonValue &data,
                         AdHocDone done);

private:
    using Success = std::function<void(const QJSValue &result)>;
    void runScript(const ScriptDef &script, Success onSuccess, std::function<void()> onFailure);
    void runPre(qsizetype index);
    void runHandler();
    void runDefaultHandler();
    void runPost(qsizetype index);
    void runAfterResponse(qsizetype index);
    void runAdHocScript();
    void finish();
    void setError(const ApiError &error);
    ApiError scriptError(const ScriptDef &script, const QJSValue &thrown) const;
    QString makeInit() const;
    // What the scripts left in $ctx: status, error, and what they touched.
    struct Exported
    {
        QJSValue statusCode;
        QJSValue error;
        std::optional<QByteArray> body;
        QJSValue query; // undefined when untouched
        std::optional<QByteArray> data;
    };
    Exported exported(); // the request as $ctx reads it, JSON text
    int timeoutMs(const ScriptDef &script) const;

    ScriptHost &m_host;
    WorkerContext &m_worker;
    MetadataPtr m_metadata;
    HttpRequest m_request;
    RouteMatch m_match;
    Caller m_caller;
    DefaultHandler m_defaultHandler;
    HttpResponder m_respond;

    std::shared_ptr<ScriptEngine> m_engine;
    CtxBridge *m_bridge = nullptr;
    QJSValue m_ctx;
    QJSValue m_export;     // $ctx's __export, looked up once
    QJSValue m_checkpoint; // $data, $statusCode and $error before the running postHook
    QString m_method;      // as scripts see it: HEAD runs as GET
    QList<const ScriptDef *> m_pre;
    QList<const ScriptDef *> m_post;
    QList<const ScriptDef *> m_afterResponse;
    std::optional<ApiError> m_error;
    QByteArray m_dataText;   // the default handler's answer, until a script touches $data
    int m_defaultStatus = 0; // the default handler's status and headers
    QList<HttpHeader> m_defaultHeaders;
    quint64 m_ticket = 0;   // the watchdog's, for the script running now
    quint64 m_step = 0;     // which script step a settlement belongs to
    bool m_stopped = false; // a script was interrupted: the engine takes no more work
    bool m_responded = false;
    std::optional<ScriptDef> m_adHocScript; // set: an ad hoc run (runAdHoc)
    QJsonValue m_adHocData;
    QByteArray m_adHocResult = "null";
    AdHocDone m_adHocDone;
};

} // namespace Hearth
