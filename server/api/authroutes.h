#pragma once

#include "auth/caller.h"
#include "http/httpresponse.h"
#include "records/workercontext.h"

namespace Hearth {

// The built-in auth routes (API.md "Auth"): /auth/login, /auth/refresh-token,
// /auth/logout, /auth/api-tokens[/:id], /me.
class AuthRoutes
{
public:
    AuthRoutes(WorkerContext &worker, const MetadataPtr &metadata, const HttpRequest &request,
               const Authentication &authentication);
    static bool handles(const QByteArray &path);
    HttpResponse handle();

private:
    HttpResponse login();
    HttpResponse refreshToken();
    HttpResponse logout();
    HttpResponse me();
    HttpResponse updateMe();
    HttpResponse apiTokens(const QByteArray &rest);

    WorkerContext &m_worker;
    MetadataPtr m_metadata;
    const HttpRequest &m_request;
    const Authentication &m_authentication;
};

} // namespace Hearth
