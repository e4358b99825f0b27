#pragma once

#include "auth/caller.h"
#include "http/irequesthandler.h"
#include "records/workercontext.h"

namespace Hearth {

class ScriptHost;

// POST /admin/test/run (API.md "Admin endpoints"), the hook editor's Run
// button: {kind: "preHook"|"postHook"|"handler", sourceCode, route? (id or
// path), method? (GET), body?, query?, params?, userId?, timeout? (ms), data?
// (a postHook's $data)} runs sourceCode once in the worker's script engine,
// through ScriptRun::runAdHoc, with the $ctx a request to that route would
// give (as userId, else as the caller), and stores nothing. The answer is 200
// {success, result, logs, error?: {message, line, code, statusCode}, durationMs}
// whatever the script did; a malformed test request gets the error envelope.
class TestRun
{
public:
    static constexpr const char *Path = "/admin/test/run";

    // Answers through respond, now (a bad request: throws ApiError) or when the script is done.
    static void start(ScriptHost &scripts, WorkerContext &worker, const MetadataPtr &metadata,
                      const HttpRequest &request, const Caller &caller, const HttpResponder &respond);
};

} // namespace Hearth
