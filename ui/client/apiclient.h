#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace Hearth {

// Why a call did not succeed, in words fit to show to the user as they are.
struct ApiFailure
{
    int httpStatus = 0; // 0: no HTTP answer at all (network error, unreadable answer)
    QString code;       // the envelope's error.code, or NETWORK_ERROR, INVALID_RESPONSE, SESSION_ENDED
    QString message;    // plain words; for VALIDATION_ERROR the messages joined
    QJsonValue details; // the envelope's error.details, when any
    QString correlationId;
    QByteArray method;
    QString path;

    bool isNetworkError() const { return httpStatus == 0 && code == u"NETWORK_ERROR"; }
};

// A successful answer: the envelope taken apart (API.md "Envelopes").
struct ApiReply
{
    int httpStatus = 0;
    QJsonObject json; // the whole body (auth routes answer plain objects, not envelopes)
    QJsonArray data;  // the envelope's data array (empty when absent)
    QJsonObject meta; // the envelope's meta, when asked for
    QString message;
};

// What a callback receives: a reply, or a failure.
class ApiResult
{
public:
    explicit ApiResult(ApiReply reply) : m_reply(std::move(reply)) {}
    explicit ApiResult(ApiFailure failure) : m_failure(std::move(failure)) {}

    bool ok() const { return !m_failure.has_value(); }
    const ApiFailure &failure() const { return *m_failure; } // only when !ok()
    const ApiReply &reply() const { return m_reply; }
    int httpStatus() const { return m_failure ? m_failure->httpStatus : m_reply.httpStatus; }
    const QJsonArray &data() const { return m_reply.data; }
    const QJsonObject &meta() const { return m_reply.meta; }
    const QJsonObject &json() const { return m_reply.json; }
    QJsonObject first() const
    {
        return m_reply.data.isEmpty() ? QJsonObject() : m_reply.data.first().toObject();
    }

private:
    ApiReply m_reply;
    std::optional<ApiFailure> m_failure;
};

using ApiCallback = std::function<void(const ApiResult &)>;

// The query parameters of a list (API.md "Query parameters"). Empty members are left out.
// Members have initializers so designated initialization may leave any out.
struct ApiQuery
{
    QJsonObject filter = {};
    QString fields = {}; // "id,name,author.name"
    QString sort = {};   // "-createdAt,title"
    std::optional<int> limit = {};
    std::optional<int> page = {};
    QString meta = {}; // "totalCount", "filterCount" or both
    QJsonObject deep = {};
    QJsonObject aggregate = {};
};

// An asynchronous client for one Hearth server. Every call returns at once;
// the callback runs later on the thread that owns the client (the GUI thread),
// so nothing here ever blocks the event loop.
//
//   client->get(QStringLiteral("/hearth_table") + ApiClient::queryString({.fields = "id,name", .limit = 0}),
//               [this](const ApiResult &r) {
//                   if (!r.ok())
//                       return showError(r.failure());
//                   m_model->setRows(r.data());
//               }, this);
//
// Signed in, it sends the access token with every call, and when the server
// answers 401 TOKEN_EXPIRED it exchanges the refresh token for a new pair once
// and repeats the calls that were refused. When that fails the session is over:
// sessionEnded() is emitted and the refused calls fail with SESSION_ENDED.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    enum RequestFlag
    {
        NoFlags = 0,
        Background = 0x1, // polling: not counted by busyCount()
        NoAuth = 0x2,     // sent without the access token, never refreshed
    };
    Q_DECLARE_FLAGS(RequestFlags, RequestFlag)

    explicit ApiClient(const QUrl &baseUrl, QObject *parent = nullptr);
    ~ApiClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    // The base URL as people write it: "http://127.0.0.1:1105".
    QString displayUrl() const;

    // POST /auth/login. On success the tokens are kept and signedInChanged(true) is emitted.
    void signIn(const QString &email, const QString &password, ApiCallback callback = {},
                const QObject *context = nullptr, bool remember = false);
    // POST /auth/logout, then forgets the tokens whatever the server said.
    void signOut(ApiCallback callback = {}, const QObject *context = nullptr);
    bool isSignedIn() const { return !m_accessToken.isEmpty(); }
    QString email() const { return m_email; }
    QByteArray accessToken() const { return m_accessToken; }
    QByteArray refreshToken() const { return m_refreshToken; }
    // When the access token runs out (epoch ms, from the server's expTime); 0 when unknown.
    qint64 accessTokenExpiry() const { return m_expTime; }

    // Calls in flight that the user waits for (Background calls excluded).
    int busyCount() const { return m_busy; }
    // How long one call may take before it fails with "timed out" (default 60 s).
    void setTimeout(int ms) { m_timeoutMs = ms; }

    // path is relative to the base URL and may carry a query: "/posts?limit=5".
    // The callback is dropped when context (if given) is destroyed first.
    void get(const QString &path, ApiCallback callback, const QObject *context = nullptr,
             RequestFlags flags = NoFlags);
    void post(const QString &path, const QJsonValue &body, ApiCallback callback,
              const QObject *context = nullptr, RequestFlags flags = NoFlags);
    void patch(const QString &path, const QJsonValue &body, ApiCallback callback,
               const QObject *context = nullptr, RequestFlags flags = NoFlags);
    void del(const QString &path, ApiCallback callback, const QObject *context = nullptr,
             RequestFlags flags = NoFlags);
    // Any method; body undefined = no body.
    void send(const QByteArray &method, const QString &path, const QJsonValue &body, ApiCallback callback,
              const QObject *context = nullptr, RequestFlags flags = NoFlags);

    // "?filter=%7B…%7D&fields=id,name&limit=0", or an empty string when the query is empty.
    static QString queryString(const ApiQuery &query);
    // The plain-words message of an error envelope (VALIDATION_ERROR arrays joined).
    static QString envelopeMessage(const QJsonObject &envelope);

signals:
    void busyChanged(int count);
    void signedInChanged(bool signedIn);
    // The refresh token was refused: the user has to sign in again.
    void sessionEnded(const Hearth::ApiFailure &why);
    void tokensRefreshed();
    // Whether the last call got an HTTP answer (false after a network error).
    void reachableChanged(bool reachable);

private:
    struct Call;
    void dispatch(const std::shared_ptr<Call> &call);
    void handleFinished(QNetworkReply *reply, const std::shared_ptr<Call> &call);
    void finish(const std::shared_ptr<Call> &call, const ApiResult &result);
    void startRefresh();
    void refreshFinished(const ApiResult &result);
    void setTokens(const QJsonObject &pair);
    void clearTokens();
    void setReachable(bool reachable);

    QUrl m_baseUrl;
    QNetworkAccessManager *m_network;
    QByteArray m_accessToken;
    QByteArray m_refreshToken;
    qint64 m_expTime = 0;
    QString m_email;
    int m_busy = 0;
    int m_timeoutMs = 60'000;
    bool m_refreshing = false;
    bool m_reachable = true;
    QList<std::shared_ptr<Call>> m_waitingForRefresh;
};

} // namespace Hearth

Q_DECLARE_OPERATORS_FOR_FLAGS(Hearth::ApiClient::RequestFlags)
Q_DECLARE_METATYPE(Hearth::ApiFailure)
