#pragma once

#include <QString>

namespace Hearth {

// Who is making a request, as authentication established it.
struct Caller
{
    bool authenticated = false;
    QString userId; // uuid of the hearth_user row
    QString email;
    qint64 roleId = 0; // 0: no role
    bool isRootAdmin = false;
    QString sessionId;     // the login session behind an access token
    qint64 apiTokenId = 0; // the API token used instead, if any
};

// What the Authorization header gave: nothing, a caller, or a bad token.
struct Authentication
{
    enum class Status
    {
        Anonymous,
        Authenticated,
        InvalidToken,
        ExpiredToken
    };
    Status status = Status::Anonymous;
    Caller caller;
    bool presentedToken() const { return status != Status::Anonymous; }
};

} // namespace Hearth
