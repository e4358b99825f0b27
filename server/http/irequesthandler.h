#pragma once

#include "http/httprequest.h"
#include "http/httpresponse.h"

#include <functional>
#include <memory>

namespace Hearth {

using HttpResponder = std::function<void(HttpResponse)>;

// What the HTTP layer calls for each complete request. One instance lives on
// each worker thread and is only ever called from that thread. The handler
// must call respond exactly once, on the same thread, now or later (a
// suspended script answers later); the connection keeps further pipelined
// requests waiting until then so answers stay in order.
class IRequestHandler
{
public:
    virtual ~IRequestHandler() = default;
    virtual void handle(const HttpRequest &request, HttpResponder respond) = 0;
};

// Creates the per-worker handler. create() runs on the worker thread itself,
// so the handler may open thread-bound resources (a database connection).
class IRequestHandlerFactory
{
public:
    virtual ~IRequestHandlerFactory() = default;
    virtual std::unique_ptr<IRequestHandler> create(int workerIndex) = 0;
};

} // namespace Hearth
