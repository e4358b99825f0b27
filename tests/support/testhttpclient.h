#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMultiMap>
#include <QString>

#include <memory>
#include <utility>

class QTcpSocket;

namespace Hearth::Test {

// One HTTP response as the client received it.
struct HttpReply
{
    bool valid = false; // a complete response was received
    QString error;      // why not, when !valid
    int status = 0;
    QByteArray reason;
    QByteArray version;                        // "HTTP/1.1"
    QMultiMap<QByteArray, QByteArray> headers; // names lower-case
    QByteArray body;

    // First value of a header (name in any case), or empty.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QList<QByteArray> headerValues(QByteArrayView name) const;
    bool closesConnection() const; // Connection: close

    QJsonDocument json() const; // parse of the body (null document when not JSON)
    QJsonObject object() const; // json().object()
    QJsonArray data() const;    // the success envelope's "data" array
    QString errorCode() const;  // the error envelope's error.code
    QString message() const;    // the envelope's "message" as text
    // "HTTP/1.1 200 OK + body" for test failure messages.
    QString describe() const;
};

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

// A small blocking HTTP/1.1 client on a raw QTcpSocket, for tests. Keeps the
// connection alive between requests (connectionCount() shows reuse) and
// reconnects when the server closed it. Every wait has a timeout, so a broken
// server fails the test instead of hanging it.
//
//   TestHttpClient client(server.port());
//   HttpReply r = client.get("/posts?limit=5");
//   QCOMPARE(r.status, 200);
//   r = client.post("/posts", QJsonObject{{"title", "x"}});
class TestHttpClient
{
public:
    explicit TestHttpClient(quint16 port, const QHostAddress &host = QHostAddress::LocalHost);
    ~TestHttpClient();
    TestHttpClient(const TestHttpClient &) = delete;
    TestHttpClient &operator=(const TestHttpClient &) = delete;

    void setTimeout(int ms) { m_timeoutMs = ms; } // per request / read; default 10 s
    int timeout() const { return m_timeoutMs; }
    // Sent with every request; an empty value removes the header.
    void setDefaultHeader(const QByteArray &name, const QByteArray &value);
    void setBearerToken(const QByteArray &token); // Authorization: Bearer <token>; empty removes it

    bool connectToServer(); // opens a new connection (closing any current one)
    bool isConnected() const;
    void disconnectFromServer();
    int connectionCount() const { return m_connectionCount; } // TCP connections opened so far
    quint16 port() const { return m_port; }

    // A full request: Host and Content-Length are added unless given in headers.
    HttpReply request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                      const HttpHeaders &headers = {});
    HttpReply get(const QByteArray &target, const HttpHeaders &headers = {});
    HttpReply head(const QByteArray &target, const HttpHeaders &headers = {});
    HttpReply del(const QByteArray &target, const HttpHeaders &headers = {});
    HttpReply options(const QByteArray &target, const HttpHeaders &headers = {});
    HttpReply post(const QByteArray &target, const QJsonObject &body, const HttpHeaders &headers = {});
    HttpReply post(const QByteArray &target, const QJsonArray &body, const HttpHeaders &headers = {});
    HttpReply post(const QByteArray &target, const QByteArray &body,
                   const QByteArray &contentType = "application/json", const HttpHeaders &headers = {});
    HttpReply patch(const QByteArray &target, const QJsonObject &body, const HttpHeaders &headers = {});
    HttpReply patch(const QByteArray &target, const QByteArray &body,
                    const QByteArray &contentType = "application/json", const HttpHeaders &headers = {});
    HttpReply put(const QByteArray &target, const QJsonObject &body, const HttpHeaders &headers = {});
    HttpReply put(const QByteArray &target, const QByteArray &body,
                  const QByteArray &contentType = "application/json", const HttpHeaders &headers = {});

    // --- raw access: pipelining, malformed input, limits ---
    bool sendRaw(const QByteArray &bytes); // connects first if needed
    // The next response, 1xx interim ones included; headRequest: no body follows.
    HttpReply readResponse(bool headRequest = false);
    // Every response until the server closes the connection.
    QList<HttpReply> readResponsesUntilClose();
    // Every byte until the server closes the connection (or the timeout).
    QByteArray readRawUntilClose();
    // Exactly count bytes (fewer only on close or timeout), e.g. a WebSocket
    // frame after a 101 answer.
    QByteArray readRawBytes(qsizetype count);
    // True when the server closed the connection within ms (default: timeout()).
    bool waitForClose(int ms = -1);
    // True when the server closed the connection or sent nothing within ms;
    // false when bytes arrived (they stay buffered for readResponse()).
    bool receivesNothingWithin(int ms);
    QTcpSocket *socket() const { return m_socket.get(); }

private:
    QByteArray buildRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                            const HttpHeaders &headers) const;
    bool readMore(const QDeadlineTimer &deadline);
    bool readLine(QByteArray *line, const QDeadlineTimer &deadline);
    bool readBytes(qsizetype count, QByteArray *out, const QDeadlineTimer &deadline);
    void noteEof();

    QHostAddress m_host;
    quint16 m_port;
    int m_timeoutMs = 10'000;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer; // received, not yet parsed
    bool m_eof = false;
    int m_connectionCount = 0;
    HttpHeaders m_defaultHeaders;
};

} // namespace Hearth::Test

namespace Hearth {
using Test::HttpHeaders;
using Test::HttpReply;
using Test::TestHttpClient;
} // namespace Hearth
