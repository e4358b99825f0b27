#include "client/apiclient.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace Hearth {

struct ApiClient::Call
{
    QByteArray method;
    QString path;
    QByteArray body;
    bool hasBody = false;
    ApiCallback callback;
    QPointer<QObject> context;
    bool hasContext = false;
    RequestFlags flags;
    bool retried = false; // refreshed and sent again once already
    QByteArray tokenUsed; // the access token it was sent with
    bool countedBusy = false;
};

namespace {

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// Qt's wording for what went wrong on the wire, said plainly.
QString networkProblem(QNetworkReply::NetworkError error, const QString &fallback)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QObject::tr("connection refused");
    case QNetworkReply::HostNotFoundError:
        return QObject::tr("host not found");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QObject::tr("no answer in time");
    case QNetworkReply::RemoteHostClosedError:
        return QObject::tr("the server closed the connection");
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
        return QObject::tr("the network is down");
    case QNetworkReply::SslHandshakeFailedError:
        return QObject::tr("the secure connection failed");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return QObject::tr("the proxy cannot be reached");
    default:
        return fallback;
    }
}

} // namespace

ApiClient::ApiClient(const QUrl &baseUrl, QObject *parent)
    : QObject(parent), m_baseUrl(baseUrl), m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<Hearth::ApiFailure>();
    if (m_baseUrl.path().endsWith(u'/'))
        m_baseUrl.setPath(m_baseUrl.path().chopped(1));
    // A proxy from the environment must never see calls to this machine.
    if (isLoopback(m_baseUrl))
        m_network->setProxy(QNetworkProxy::NoProxy);
}

ApiClient::~ApiClient()
{
    // Replies still running are aborted with the manager; their callbacks must not run.
    const QList<QNetworkReply *> replies = m_network->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies)
        reply->disconnect(this);
}

QString ApiClient::displayUrl() const
{
    return m_baseUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

void ApiClient::signIn(const QString &email, const QString &password, ApiCallback callback,
                       const QObject *context, bool remember)
{
    QJsonObject body{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
    if (remember)
        body.insert(QStringLiteral("remember"), true);
    send(
        "POST", QStringLiteral("/auth/login"), body,
        [this, email, callback](const ApiResult &result) {
            if (result.ok()) {
                const bool was = isSignedIn();
                m_email = email;
                setTokens(result.json());
                if (!was)
                    emit signedInChanged(true);
            }
            if (callback)
                callback(result);
        },
        context, NoAuth);
}

void ApiClient::signOut(ApiCallback callback, const QObject *context)
{
    if (!isSignedIn()) {
        if (callback)
            callback(ApiResult(ApiReply{200, {}, {}, {}, {}}));
        return;
    }
    const QJsonObject body{{QStringLiteral("refreshToken"), QString::fromLatin1(m_refreshToken)}};
    send(
        "POST", QStringLiteral("/auth/logout"), body,
        [this, callback](const ApiResult &result) {
            // Signed out here whatever the server said: the tokens are gone from this side.
            const bool was = isSignedIn();
            clearTokens();
            if (was)
                emit signedInChanged(false);
            if (callback)
                callback(result);
        },
        context);
}

void ApiClient::get(const QString &path, ApiCallback callback, const QObject *context, RequestFlags flags)
{
    send("GET", path, QJsonValue::Undefined, std::move(callback), context, flags);
}

void ApiClient::post(const QString &path, const QJsonValue &body, ApiCallback callback,
                     const QObject *context, RequestFlags flags)
{
    send("POST", path, body, std::move(callback), context, flags);
}

void ApiClient::patch(const QString &path, const QJsonValue &body, ApiCallback callback,
                      const QObject *context, RequestFlags flags)
{
    send("PATCH", path, body, std::move(callback), context, flags);
}

void ApiClient::del(const QString &path, ApiCallback callback, const QObject *context, RequestFlags flags)
{
    send("DELETE", path, QJsonValue::Undefined, std::move(callback), context, flags);
}

void ApiClient::send(const QByteArray &method, const QString &path, const QJsonValue &body,
                     ApiCallback callback, const QObject *context, RequestFlags flags)
{
    auto call = std::make_shared<Call>();
    call->method = method;
    call->path = path.startsWith(u'/') ? path : QLatin1Char('/') + path;
    if (!body.isUndefined()) {
        call->hasBody = true;
        call->body = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                     : body.isArray()
                         ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                         // A scalar body: wrapped and unwrapped to get its JSON text.
                         : QJsonDocument(QJsonArray{body}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    }
    call->callback = std::move(callback);
    call->context = const_cast<QObject *>(context);
    call->hasContext = context != nullptr;
    call->flags = flags;
    if (!(flags & Background)) {
        call->countedBusy = true;
        emit busyChanged(++m_busy);
    }
    // Calls made while a refresh is under way wait for the new token.
    if (m_refreshing && !(flags & NoAuth)) {
        m_waitingForRefresh.append(call);
        return;
    }
    dispatch(call);
}

void ApiClient::dispatch(const std::shared_ptr<Call> &call)
{
    QUrl url(m_baseUrl.toString(QUrl::FullyEncoded) + call->path, QUrl::TolerantMode);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false); // the server speaks HTTP/1.1
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json");
    if (call->hasBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    call->tokenUsed.clear();
    if (!(call->flags & NoAuth) && !m_accessToken.isEmpty()) {
        call->tokenUsed = m_accessToken;
        request.setRawHeader("Authorization", "Bearer " + m_accessToken);
    }
    QNetworkReply *reply = call->hasBody ? m_network->sendCustomRequest(request, call->method, call->body)
                                         : m_network->sendCustomRequest(request, call->method);
    connect(reply, &QNetworkReply::finished, this, [this, reply, call] { handleFinished(reply, call); });
}

QString ApiClient::envelopeMessage(const QJsonObject &envelope)
{
    const QJsonObject error = envelope.value(u"error").toObject();
    QJsonValue message = envelope.value(u"message");
    if (message.isUndefined() || message.isNull())
        message = error.value(u"message");
    if (message.isArray()) {
        QStringList parts;
        for (const QJsonValue &v : message.toArray())
            parts << v.toString();
        parts.removeAll(QString());
        return parts.join(QStringLiteral("; "));
    }
    return message.toString();
}

void ApiClient::handleFinished(QNetworkReply *reply, const std::shared_ptr<Call> &call)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();

    if (status == 0) {
        setReachable(false);
        ApiFailure failure;
        failure.code = QStringLiteral("NETWORK_ERROR");
        failure.method = call->method;
        failure.path = call->path;
        failure.message =
            tr("Cannot reach %1: %2").arg(displayUrl(), networkProblem(reply->error(), reply->errorString()));
        finish(call, ApiResult(failure));
        return;
    }
    setReachable(true);

    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject json = document.object();
    const bool success = status >= 200 && status < 300;
    if (success) {
        if (!body.isEmpty() && !document.isObject()) {
            ApiFailure failure;
            failure.httpStatus = status;
            failure.code = QStringLiteral("INVALID_RESPONSE");
            failure.method = call->method;
            failure.path = call->path;
            failure.message = tr("%1 answered %2 %3 with something that is not JSON")
                                  .arg(displayUrl(), QString::fromLatin1(call->method), call->path);
            finish(call, ApiResult(failure));
            return;
        }
        ApiReply answer;
        answer.httpStatus = status;
        answer.json = json;
        answer.data = json.value(u"data").toArray();
        answer.meta = json.value(u"meta").toObject();
        answer.message = json.value(u"message").toString();
        finish(call, ApiResult(answer));
        return;
    }

    const QJsonObject error = json.value(u"error").toObject();
    ApiFailure failure;
    failure.httpStatus = status;
    failure.method = call->method;
    failure.path = call->path;
    failure.code = error.value(u"code").toString();
    failure.details = error.value(u"details");
    failure.correlationId = error.value(u"correlationId").toString();
    if (failure.correlationId.isEmpty())
        failure.correlationId = QString::fromLatin1(reply->rawHeader("X-Correlation-Id"));
    failure.message = envelopeMessage(json);
    if (failure.message.isEmpty()) {
        const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        failure.message = tr("%1 %2 failed: HTTP %3 %4")
                              .arg(QString::fromLatin1(call->method), call->path)
                              .arg(status)
                              .arg(reason)
                              .trimmed();
    }
    if (failure.code.isEmpty())
        failure.code = QStringLiteral("HTTP_%1").arg(status);

    const bool expired = status == 401 && failure.code == u"TOKEN_EXPIRED";
    if (expired && !(call->flags & NoAuth) && !call->retried && !m_refreshToken.isEmpty()) {
        call->retried = true;
        if (!call->tokenUsed.isEmpty() && call->tokenUsed != m_accessToken && !m_accessToken.isEmpty()) {
            dispatch(call); // a refresh finished while this call was on its way
            return;
        }
        m_waitingForRefresh.append(call);
        startRefresh();
        return;
    }
    finish(call, ApiResult(failure));
}

void ApiClient::finish(const std::shared_ptr<Call> &call, const ApiResult &result)
{
    if (call->countedBusy) {
        call->countedBusy = false;
        emit busyChanged(--m_busy);
    }
    if (!call->callback || (call->hasContext && !call->context))
        return;
    call->callback(result);
}

void ApiClient::startRefresh()
{
    if (m_refreshing)
        return;
    m_refreshing = true;
    const QJsonObject body{{QStringLiteral("refreshToken"), QString::fromLatin1(m_refreshToken)}};
    send(
        "POST", QStringLiteral("/auth/refresh-token"), body,
        [this](const ApiResult &result) { refreshFinished(result); }, nullptr, NoAuth | Background);
}

void ApiClient::refreshFinished(const ApiResult &result)
{
    m_refreshing = false;
    QList<std::shared_ptr<Call>> waiting;
    waiting.swap(m_waitingForRefresh);
    if (result.ok() && !result.json().value(u"accessToken").toString().isEmpty()) {
        setTokens(result.json());
        emit tokensRefreshed();
        for (const auto &call : waiting)
            dispatch(call);
        return;
    }
    ApiFailure why = result.ok() ? ApiFailure{} : result.failure();
    if (why.isNetworkError()) {
        // Not a refused session: the server is away. The calls fail with that reason, the tokens stay.
        for (const auto &call : waiting) {
            ApiFailure failure = why;
            failure.method = call->method;
            failure.path = call->path;
            finish(call, ApiResult(failure));
        }
        return;
    }
    const QString reason = why.message.isEmpty() ? tr("the server refused to renew it") : why.message;
    why.code = QStringLiteral("SESSION_ENDED");
    why.httpStatus = 401;
    why.message = tr("Your session on %1 has ended (%2). Sign in again.").arg(displayUrl(), reason);
    const bool was = isSignedIn();
    clearTokens();
    for (const auto &call : waiting) {
        ApiFailure failure = why;
        failure.method = call->method;
        failure.path = call->path;
        finish(call, ApiResult(failure));
    }
    if (was)
        emit signedInChanged(false);
    emit sessionEnded(why);
}

void ApiClient::setTokens(const QJsonObject &pair)
{
    m_accessToken = pair.value(u"accessToken").toString().toLatin1();
    m_refreshToken = pair.value(u"refreshToken").toString().toLatin1();
    m_expTime = qint64(pair.value(u"expTime").toDouble());
}

void ApiClient::clearTokens()
{
    m_accessToken.clear();
    m_refreshToken.clear();
    m_expTime = 0;
}

void ApiClient::setReachable(bool reachable)
{
    if (m_reachable == reachable)
        return;
    m_reachable = reachable;
    emit reachableChanged(reachable);
}

QString ApiClient::queryString(const ApiQuery &query)
{
    QStringList parts;
    auto add = [&](const char *key, const QString &value) {
        parts << QLatin1StringView(key) + QLatin1Char('=') +
                     QString::fromLatin1(QUrl::toPercentEncoding(value, ",.-*"));
    };
    auto addJson = [&](const char *key, const QJsonObject &value) {
        if (!value.isEmpty())
            add(key, QString::fromUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact)));
    };
    addJson("filter", query.filter);
    if (!query.fields.isEmpty())
        add("fields", query.fields);
    if (!query.sort.isEmpty())
        add("sort", query.sort);
    if (query.limit)
        add("limit", QString::number(*query.limit));
    if (query.page)
        add("page", QString::number(*query.page));
    if (!query.meta.isEmpty())
        add("meta", query.meta);
    addJson("deep", query.deep);
    addJson("aggregate", query.aggregate);
    return parts.isEmpty() ? QString() : QLatin1Char('?') + parts.join(QLatin1Char('&'));
}

} // namespace Hearth
