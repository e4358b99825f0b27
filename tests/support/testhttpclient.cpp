#include "testhttpclient.h"

#include <QJsonParseError>
#include <QTcpSocket>

namespace Hearth::Test {

namespace {

QByteArray lowerAscii(QByteArrayView s)
{
    QByteArray out = s.toByteArray();
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c + 32);
    return out;
}

bool hasHeaderNamed(const HttpHeaders &headers, QByteArrayView lowerName)
{
    for (const auto &h : headers)
        if (lowerAscii(h.first) == lowerName)
            return true;
    return false;
}

} // namespace

// ---- HttpReply ----

QByteArray HttpReply::header(QByteArrayView name) const
{
    return headers.value(lowerAscii(name));
}

bool HttpReply::hasHeader(QByteArrayView name) const
{
    return headers.contains(lowerAscii(name));
}

QList<QByteArray> HttpReply::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values = headers.values(lowerAscii(name));
    std::reverse(values.begin(), values.end()); // QMultiMap lists the newest first
    return values;
}

bool HttpReply::closesConnection() const
{
    for (const QByteArray &value : headerValues("connection"))
        for (const QByteArray &token : value.split(','))
            if (lowerAscii(token.trimmed()) == "close")
                return true;
    return false;
}

QJsonDocument HttpReply::json() const
{
    QJsonParseError error;
    return QJsonDocument::fromJson(body, &error);
}

QJsonObject HttpReply::object() const
{
    return json().object();
}

QJsonArray HttpReply::data() const
{
    return object().value(QLatin1String("data")).toArray();
}

QString HttpReply::errorCode() const
{
    return object().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
}

QString HttpReply::message() const
{
    const QJsonValue m = object().value(QLatin1String("message"));
    if (m.isArray()) {
        QStringList parts;
        for (const QJsonValue &v : m.toArray())
            parts << v.toString();
        return parts.join(QLatin1String("; "));
    }
    return m.toString();
}

QString HttpReply::describe() const
{
    if (!valid)
        return QStringLiteral("no valid response: ") + error;
    return QStringLiteral("%1 %2 %3 %4")
        .arg(QString::fromLatin1(version))
        .arg(status)
        .arg(QString::fromLatin1(reason))
        .arg(QString::fromUtf8(body.left(500)));
}

// ---- TestHttpClient ----

TestHttpClient::TestHttpClient(quint16 port, const QHostAddress &host) : m_host(host), m_port(port) {}

TestHttpClient::~TestHttpClient()
{
    disconnectFromServer();
}

void TestHttpClient::setDefaultHeader(const QByteArray &name, const QByteArray &value)
{
    const QByteArray lower = lowerAscii(name);
    m_defaultHeaders.removeIf([&](const auto &h) { return lowerAscii(h.first) == lower; });
    if (!value.isEmpty())
        m_defaultHeaders.append({name, value});
}

void TestHttpClient::setBearerToken(const QByteArray &token)
{
    setDefaultHeader("Authorization", token.isEmpty() ? QByteArray() : "Bearer " + token);
}

bool TestHttpClient::connectToServer()
{
    disconnectFromServer();
    m_socket = std::make_unique<QTcpSocket>();
    m_socket->connectToHost(m_host, m_port);
    if (!m_socket->waitForConnected(m_timeoutMs)) {
        m_socket.reset();
        return false;
    }
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_eof = false;
    m_buffer.clear();
    ++m_connectionCount;
    return true;
}

bool TestHttpClient::isConnected() const
{
    return m_socket && !m_eof && m_socket->state() == QAbstractSocket::ConnectedState;
}

void TestHttpClient::disconnectFromServer()
{
    if (!m_socket)
        return;
    m_socket->abort();
    m_socket.reset();
    m_buffer.clear();
    m_eof = true;
}

void TestHttpClient::noteEof()
{
    if (m_socket && m_socket->state() != QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0)
        m_eof = true;
}

bool TestHttpClient::readMore(const QDeadlineTimer &deadline)
{
    if (!m_socket)
        return false;
    if (m_socket->bytesAvailable() > 0) {
        m_buffer += m_socket->readAll();
        return true;
    }
    if (m_eof || m_socket->state() != QAbstractSocket::ConnectedState) {
        m_eof = true;
        return false;
    }
    const int wait = int(qMax<qint64>(0, deadline.remainingTime()));
    if (!m_socket->waitForReadyRead(wait)) {
        if (m_socket->bytesAvailable() > 0) {
            m_buffer += m_socket->readAll();
            return true;
        }
        noteEof();
        return false;
    }
    m_buffer += m_socket->readAll();
    return true;
}

bool TestHttpClient::readLine(QByteArray *line, const QDeadlineTimer &deadline)
{
    qsizetype end;
    while ((end = m_buffer.indexOf("\r\n")) < 0)
        if (!readMore(deadline))
            return false;
    *line = m_buffer.left(end);
    m_buffer.remove(0, end + 2);
    return true;
}

bool TestHttpClient::readBytes(qsizetype count, QByteArray *out, const QDeadlineTimer &deadline)
{
    while (m_buffer.size() < count)
        if (!readMore(deadline))
            return false;
    out->append(m_buffer.left(count));
    m_buffer.remove(0, count);
    return true;
}

bool TestHttpClient::sendRaw(const QByteArray &bytes)
{
    if (!isConnected() && !connectToServer())
        return false;
    m_socket->write(bytes);
    const QDeadlineTimer deadline(m_timeoutMs);
    while (m_socket->bytesToWrite() > 0) {
        if (!m_socket->waitForBytesWritten(int(qMax<qint64>(0, deadline.remainingTime()))))
            return false;
    }
    return true;
}

HttpReply TestHttpClient::readResponse(bool headRequest)
{
    HttpReply reply;
    const QDeadlineTimer deadline(m_timeoutMs);
    auto failed = [&](const QString &why) {
        reply.valid = false;
        reply.error = why + (m_eof ? QStringLiteral(" (connection closed)") : QStringLiteral(" (timeout)"));
        return reply;
    };
    if (!m_socket)
        return failed(QStringLiteral("not connected"));

    qsizetype headEnd;
    while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0)
        if (!readMore(deadline))
            return failed(QStringLiteral("no complete response head"));
    const QByteArray head = m_buffer.left(headEnd);
    m_buffer.remove(0, headEnd + 4);

    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> statusParts = lines.value(0).trimmed().split(' ');
    if (statusParts.size() < 2 || !statusParts[0].startsWith("HTTP/"))
        return failed(QStringLiteral("malformed status line: ") + QString::fromLatin1(lines.value(0)));
    reply.version = statusParts[0];
    reply.status = statusParts[1].toInt();
    reply.reason = lines.value(0).trimmed().mid(statusParts[0].size() + statusParts[1].size() + 2);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return failed(QStringLiteral("malformed header line: ") + QString::fromLatin1(line));
        reply.headers.insert(lowerAscii(line.left(colon)), line.mid(colon + 1).trimmed());
    }

    const bool noBody = headRequest || reply.status < 200 || reply.status == 204 || reply.status == 304;
    if (noBody) {
        // nothing follows the head
    } else if (lowerAscii(reply.header("transfer-encoding")).contains("chunked")) {
        for (;;) {
            QByteArray sizeLine;
            if (!readLine(&sizeLine, deadline))
                return failed(QStringLiteral("incomplete chunked body"));
            const qsizetype semicolon = sizeLine.indexOf(';');
            bool ok = false;
            const qint64 size =
                (semicolon < 0 ? sizeLine : sizeLine.left(semicolon)).trimmed().toLongLong(&ok, 16);
            if (!ok)
                return failed(QStringLiteral("malformed chunk size"));
            if (size == 0) {
                QByteArray trailer;
                do {
                    if (!readLine(&trailer, deadline))
                        return failed(QStringLiteral("incomplete chunked trailers"));
                } while (!trailer.isEmpty());
                break;
            }
            QByteArray crlf;
            if (!readBytes(qsizetype(size), &reply.body, deadline) || !readBytes(2, &crlf, deadline))
                return failed(QStringLiteral("incomplete chunk"));
        }
    } else if (reply.hasHeader("content-length")) {
        bool ok = false;
        const qint64 length = reply.header("content-length").toLongLong(&ok);
        if (!ok || length < 0)
            return failed(QStringLiteral("malformed Content-Length"));
        if (!readBytes(qsizetype(length), &reply.body, deadline))
            return failed(QStringLiteral("incomplete body"));
    } else {
        while (readMore(deadline)) {
        }
        if (!m_eof)
            return failed(QStringLiteral("body without length did not end"));
        reply.body = m_buffer;
        m_buffer.clear();
    }
    reply.valid = true;
    return reply;
}

QByteArray TestHttpClient::buildRequest(const QByteArray &method, const QByteArray &target,
                                        const QByteArray &body, const HttpHeaders &headers) const
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\n";
    if (!hasHeaderNamed(headers, "host"))
        out += "Host: " + m_host.toString().toLatin1() + ':' + QByteArray::number(m_port) + "\r\n";
    for (const auto &h : m_defaultHeaders)
        if (!hasHeaderNamed(headers, lowerAscii(h.first)))
            out += h.first + ": " + h.second + "\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    const bool framed =
        hasHeaderNamed(headers, "content-length") || hasHeaderNamed(headers, "transfer-encoding");
    if (!framed && (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH"))
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

HttpReply TestHttpClient::request(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                                  const HttpHeaders &headers)
{
    // A kept-alive connection the server has closed meanwhile is noticed here
    // (waitForReadyRead(0) processes a pending EOF) and replaced.
    bool reused = false;
    if (isConnected()) {
        if (m_buffer.isEmpty() && m_socket->bytesAvailable() == 0)
            m_socket->waitForReadyRead(0);
        noteEof();
        reused = isConnected();
    }
    const QByteArray bytes = buildRequest(method, target, body, headers);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!sendRaw(bytes)) {
            HttpReply reply;
            reply.error = QStringLiteral("could not send the request");
            if (reused && attempt == 0) {
                disconnectFromServer();
                continue;
            }
            return reply;
        }
        HttpReply reply;
        do {
            reply = readResponse(method == "HEAD");
        } while (reply.valid && reply.status >= 100 && reply.status < 200);
        // The server may have closed a reused connection just before our
        // request arrived; that is retried once on a new connection.
        if (!reply.valid && reused && attempt == 0 && m_eof && m_buffer.isEmpty()) {
            disconnectFromServer();
            continue;
        }
        if (reply.valid &&
            (reply.closesConnection() || (reply.version == "HTTP/1.0" && !reply.hasHeader("connection"))))
            disconnectFromServer();
        return reply;
    }
    return HttpReply();
}

HttpReply TestHttpClient::get(const QByteArray &target, const HttpHeaders &headers)
{
    return request("GET", target, {}, headers);
}

HttpReply TestHttpClient::head(const QByteArray &target, const HttpHeaders &headers)
{
    return request("HEAD", target, {}, headers);
}

HttpReply TestHttpClient::del(const QByteArray &target, const HttpHeaders &headers)
{
    return request("DELETE", target, {}, headers);
}

HttpReply TestHttpClient::options(const QByteArray &target, const HttpHeaders &headers)
{
    return request("OPTIONS", target, {}, headers);
}

static HttpHeaders withContentType(HttpHeaders headers, const QByteArray &contentType)
{
    if (!contentType.isEmpty() && !hasHeaderNamed(headers, "content-type"))
        headers.prepend({"Content-Type", contentType});
    return headers;
}

HttpReply TestHttpClient::post(const QByteArray &target, const QJsonObject &body, const HttpHeaders &headers)
{
    return post(target, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", headers);
}

HttpReply TestHttpClient::post(const QByteArray &target, const QJsonArray &body, const HttpHeaders &headers)
{
    return post(target, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", headers);
}

HttpReply TestHttpClient::post(const QByteArray &target, const QByteArray &body,
                               const QByteArray &contentType, const HttpHeaders &headers)
{
    return request("POST", target, body, withContentType(headers, contentType));
}

HttpReply TestHttpClient::patch(const QByteArray &target, const QJsonObject &body, const HttpHeaders &headers)
{
    return patch(target, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", headers);
}

HttpReply TestHttpClient::patch(const QByteArray &target, const QByteArray &body,
                                const QByteArray &contentType, const HttpHeaders &headers)
{
    return request("PATCH", target, body, withContentType(headers, contentType));
}

HttpReply TestHttpClient::put(const QByteArray &target, const QJsonObject &body, const HttpHeaders &headers)
{
    return put(target, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", headers);
}

HttpReply TestHttpClient::put(const QByteArray &target, const QByteArray &body, const QByteArray &contentType,
                              const HttpHeaders &headers)
{
    return request("PUT", target, body, withContentType(headers, contentType));
}

QList<HttpReply> TestHttpClient::readResponsesUntilClose()
{
    QList<HttpReply> replies;
    for (;;) {
        HttpReply reply = readResponse();
        if (!reply.valid)
            break;
        replies.append(reply);
    }
    return replies;
}

QByteArray TestHttpClient::readRawUntilClose()
{
    const QDeadlineTimer deadline(m_timeoutMs);
    while (readMore(deadline)) {
    }
    return std::exchange(m_buffer, QByteArray());
}

QByteArray TestHttpClient::readRawBytes(qsizetype count)
{
    const QDeadlineTimer deadline(m_timeoutMs);
    while (m_buffer.size() < count && readMore(deadline)) {
    }
    const QByteArray out = m_buffer.left(count);
    m_buffer.remove(0, out.size());
    return out;
}

bool TestHttpClient::waitForClose(int ms)
{
    if (!m_socket)
        return true;
    const QDeadlineTimer deadline(ms < 0 ? m_timeoutMs : ms);
    while (!m_eof) {
        if (!readMore(deadline) && !m_eof)
            return false; // timeout
    }
    return true;
}

bool TestHttpClient::receivesNothingWithin(int ms)
{
    if (!m_buffer.isEmpty())
        return false;
    const QDeadlineTimer deadline(ms);
    do {
        if (readMore(deadline))
            return false;
        if (m_eof)
            return true;
    } while (!deadline.hasExpired());
    return true;
}

} // namespace Hearth::Test
