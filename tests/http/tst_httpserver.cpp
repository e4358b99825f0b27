#include "httptestkit.h"
#include "testhttpclient.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QtTest>

using namespace Hearth;
using namespace Hearth::TestKit;

namespace {

bool isCorrelationId(const QByteArray &id)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{16}$"));
    return re.match(QString::fromLatin1(id)).hasMatch();
}

QByteArray rawGet(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpServer> m_server;

    quint16 port() const { return m_server->port(); }

private slots:
    void initTestCase()
    {
        HttpServerConfig config = testConfig();
        config.corsAllowedOrigins = {QStringLiteral("https://app.example")};
        QString error;
        m_server = startServer(config, &error);
        QVERIFY2(m_server, qPrintable(error));
        QVERIFY(m_server->isRunning());
        QVERIFY(m_server->port() != 0);
        QCOMPARE(m_server->stats().workerCount, 2);
    }

    void cleanupTestCase()
    {
        m_server.reset();
        // every handler was created and destroyed on its worker thread
        QCOMPARE(counters().handlersCreated.load(), counters().handlersDestroyed.load());
        QCOMPARE(counters().handlersCreatedOnMainThread.load(), 0);
        QCOMPARE(counters().handlersDestroyedOnMainThread.load(), 0);
    }

    void keepAliveReuse()
    {
        TestHttpClient client(port());
        QSet<QByteArray> ids;
        for (int i = 0; i < 5; ++i) {
            const HttpReply r = client.get("/posts?limit=" + QByteArray::number(i));
            QVERIFY2(r.valid, qPrintable(r.describe()));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("server"), QByteArray("Hearth"));
            QVERIFY(r.header("date").endsWith(" GMT"));
            QCOMPARE(r.header("content-type"), QByteArray("application/json"));
            QCOMPARE(r.header("content-length").toInt(), r.body.size());
            QVERIFY(!r.hasHeader("connection"));
            QVERIFY(isCorrelationId(r.header("x-correlation-id")));
            ids.insert(r.header("x-correlation-id"));
            QCOMPARE(r.object().value("query").toString(), QStringLiteral("limit=%1").arg(i));
        }
        QCOMPARE(ids.size(), 5);
        QCOMPARE(client.connectionCount(), 1);
    }

    void echoesRequest()
    {
        TestHttpClient client(port());
        const HttpReply r = client.post("/things/%C3%A9t%C3%A9?x=1&y=%20", QJsonObject{{"title", "x"}},
                                        {{"X-Custom-Header", "  Some Value "}});
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value("method").toString(), QStringLiteral("POST"));
        QCOMPARE(o.value("path").toString(), QString::fromUtf8("/things/été"));
        QCOMPARE(o.value("query").toString(), QStringLiteral("x=1&y=%20"));
        QCOMPARE(o.value("body").toString(), QStringLiteral("{\"title\":\"x\"}"));
        const QJsonObject headers = o.value("headers").toObject();
        QCOMPARE(headers.value("x-custom-header").toString(), QStringLiteral("Some Value"));
        QCOMPARE(headers.value("content-type").toString(), QStringLiteral("application/json"));
        QCOMPARE(o.value("correlationId").toString().toLatin1(), r.header("x-correlation-id"));
        QCOMPARE(o.value("peer").toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(r.header("x-echo"), QByteArray("yes")); // the handler's own header
    }

    void handlerNeverOnMainThread()
    {
        QSet<int> workers;
        for (int i = 0; i < 6; ++i) {
            TestHttpClient client(port());
            const HttpReply r = client.get("/where");
            QCOMPARE(r.status, 200);
            QCOMPARE(r.object().value("mainThread").toBool(), false);
            workers.insert(r.object().value("worker").toInt());
        }
        QVERIFY(workers.size() >= 1);
    }

    void asynchronousAnswer()
    {
        TestHttpClient client(port());
        const HttpReply r = client.get("/delay?ms=150");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("path").toString(), QStringLiteral("/delay"));
        QCOMPARE(client.get("/after").status, 200);
        QCOMPARE(client.connectionCount(), 1);
    }

    void pipelinedInOrder()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw(rawGet("/delay?ms=400") + rawGet("/second") +
                               "POST /third HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"));
        const HttpReply first = client.readResponse();
        const HttpReply second = client.readResponse();
        const HttpReply third = client.readResponse();
        QVERIFY2(first.valid && second.valid && third.valid, qPrintable(third.describe()));
        QCOMPARE(first.object().value("path").toString(), QStringLiteral("/delay"));
        QCOMPARE(second.object().value("path").toString(), QStringLiteral("/second"));
        QCOMPARE(third.object().value("path").toString(), QStringLiteral("/third"));
        QCOMPARE(third.object().value("body").toString(), QStringLiteral("abc"));
        QVERIFY(first.header("x-correlation-id") != second.header("x-correlation-id"));
        // the connection stays usable
        QCOMPARE(client.get("/fourth").status, 200);
        QCOMPARE(client.connectionCount(), 1);
    }

    void pipelinedStopsAtConnectionClose()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw(rawGet("/a") + rawGet("/b", "Connection: close\r\n") + rawGet("/c")));
        const QList<HttpReply> replies = client.readResponsesUntilClose();
        QCOMPARE(replies.size(), 2);
        QCOMPARE(replies[1].object().value("path").toString(), QStringLiteral("/b"));
        QVERIFY(replies[1].closesConnection());
    }

    void connectionClose()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw(rawGet("/bye", "Connection: close\r\n")));
        const HttpReply r = client.readResponse();
        QCOMPARE(r.status, 200);
        QVERIFY(r.closesConnection());
        QVERIFY(client.waitForClose(5000));
    }

    void handlerClosesConnection()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw(rawGet("/close-me") + rawGet("/never")));
        const QList<HttpReply> replies = client.readResponsesUntilClose();
        QCOMPARE(replies.size(), 1);
        QVERIFY(replies[0].closesConnection());
        QCOMPARE(replies[0].headerValues("connection").size(), 1);
    }

    void clientGoneDuringAsyncRequest()
    {
        counters().slowRequestStarted.tryAcquire(counters().slowRequestStarted.available());
        {
            TestHttpClient client(port());
            QVERIFY(client.sendRaw(rawGet("/delay?ms=300")));
            QVERIFY(counters().slowRequestStarted.tryAcquire(1, 5000));
        } // the client aborts while the handler still works
        QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().openConnections, qint64(0), 5000);
        TestHttpClient next(port());
        QCOMPARE(next.get("/still-serving").status, 200);
    }

    void http10()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw("GET /old HTTP/1.0\r\n\r\n"));
        HttpReply r = client.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("httpMinor").toInt(), 0);
        QVERIFY(r.closesConnection());
        QVERIFY(client.waitForClose(5000));

        TestHttpClient keep(port());
        QVERIFY(keep.sendRaw("GET /old1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        r = keep.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection").toLower(), QByteArray("keep-alive"));
        QVERIFY(keep.sendRaw("GET /old2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        r = keep.readResponse();
        QCOMPARE(r.object().value("path").toString(), QStringLiteral("/old2"));
        QCOMPARE(keep.connectionCount(), 1);
    }

    void expectContinue()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw(
            "POST /up HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
        HttpReply r = client.readResponse();
        QCOMPARE(r.status, 100);
        QVERIFY(r.body.isEmpty());
        QVERIFY(client.sendRaw("hello"));
        r = client.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("body").toString(), QStringLiteral("hello"));

        // other expectations are refused
        TestHttpClient other(port());
        QVERIFY(other.sendRaw("POST /up HTTP/1.1\r\nHost: t\r\nExpect: magic\r\nContent-Length: 5\r\n\r\n"));
        r = other.readResponse();
        QCOMPARE(r.status, 417);
        QCOMPARE(r.errorCode(), QStringLiteral("EXPECTATION_FAILED"));
    }

    void chunkedRequestBody()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw("POST /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-T: 1\r\n\r\n"));
        const HttpReply r = client.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("body").toString(), QStringLiteral("hello world"));
        QCOMPARE(client.get("/next").status, 200);
    }

    void head()
    {
        TestHttpClient client(port());
        const HttpReply get = client.get("/big?bytes=1234");
        const HttpReply head = client.head("/big?bytes=1234");
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        QCOMPARE(head.header("content-length"), QByteArray("1234"));
        QCOMPARE(head.header("content-length"), get.header("content-length"));
        QCOMPARE(head.header("content-type"), get.header("content-type"));
        // no body bytes followed the head: the next answer parses cleanly
        const HttpReply next = client.get("/next");
        QCOMPARE(next.status, 200);
        QCOMPARE(next.object().value("path").toString(), QStringLiteral("/next"));
        QCOMPARE(client.connectionCount(), 1);

        // the handler saw GET with isHead
        TestHttpClient raw(port());
        QVERIFY(raw.sendRaw("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n" + rawGet("/probe")));
        const HttpReply echoed = raw.readResponse(true);
        QVERIFY(echoed.valid);
        QVERIFY(echoed.header("content-length").toInt() > 0);
        const HttpReply probe = raw.readResponse();
        QCOMPARE(probe.status, 200);
        QCOMPARE(probe.object().value("path").toString(), QStringLiteral("/probe"));
    }

    void bodylessStatus()
    {
        TestHttpClient client(port());
        const HttpReply r = client.get("/status?code=204");
        QCOMPARE(r.status, 204);
        QVERIFY(!r.hasHeader("content-length"));
        QCOMPARE(client.get("/next").status, 200);
    }

    void largeBody()
    {
        TestHttpClient client(port());
        const HttpReply r = client.get("/big?bytes=300000");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), 300000);
        QCOMPARE(r.header("content-type"), QByteArray("text/plain"));
        QCOMPARE(client.get("/next").status, 200);
    }

    void corsPreflightAllowed()
    {
        TestHttpClient client(port());
        const HttpReply r =
            client.options("/posts", {{"Origin", "https://app.example"},
                                      {"Access-Control-Request-Method", "PATCH"},
                                      {"Access-Control-Request-Headers", "authorization, content-type"}});
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://app.example"));
        QCOMPARE(r.header("access-control-allow-methods"),
                 QByteArray("GET, POST, PATCH, PUT, DELETE, OPTIONS"));
        QCOMPARE(r.header("access-control-allow-headers"), QByteArray("authorization, content-type"));
        QCOMPARE(r.header("access-control-max-age"), QByteArray("600"));
        QCOMPARE(r.header("vary"), QByteArray("Origin"));
        QVERIFY(isCorrelationId(r.header("x-correlation-id")));
        QVERIFY(!r.hasHeader("x-echo")); // answered by the HTTP layer, not the handler
        QCOMPARE(client.get("/next").status, 200);
    }

    void corsPreflightRefused()
    {
        TestHttpClient client(port());
        const HttpReply r = client.options(
            "/posts", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("FORBIDDEN"));
        QVERIFY(!r.hasHeader("access-control-allow-origin"));
        QCOMPARE(r.object().value("success").toBool(true), false);
    }

    void corsActualRequest()
    {
        TestHttpClient client(port());
        HttpReply r = client.get("/posts", {{"Origin", "https://app.example"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://app.example"));
        QCOMPARE(r.header("vary"), QByteArray("Origin"));
        QCOMPARE(r.header("access-control-expose-headers"), QByteArray("X-Correlation-Id"));

        r = client.get("/throw", {{"Origin", "https://app.example"}}); // errors too
        QCOMPARE(r.status, 409);
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://app.example"));

        r = client.get("/posts", {{"Origin", "https://evil.example"}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.hasHeader("access-control-allow-origin"));

        r = client.get("/posts");
        QVERIFY(!r.hasHeader("access-control-allow-origin"));
    }

    void plainOptionsGoesToHandler()
    {
        TestHttpClient client(port());
        HttpReply r = client.options("/posts");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("method").toString(), QStringLiteral("OPTIONS"));
        r = client.options("/posts", {{"Origin", "https://app.example"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("method").toString(), QStringLiteral("OPTIONS"));
    }

    void corsAnyOrigin()
    {
        HttpServerConfig config = testConfig();
        config.corsAllowedOrigins = {QStringLiteral("*")};
        QString error;
        auto server = startServer(config, &error);
        QVERIFY2(server, qPrintable(error));
        TestHttpClient client(server->port());
        HttpReply r = client.options(
            "/x", {{"Origin", "http://any.example"}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("*"));
        r = client.get("/x", {{"Origin", "http://any.example"}});
        QCOMPARE(r.header("access-control-allow-origin"), QByteArray("*"));
    }

    void handlerThrowsApiError()
    {
        TestHttpClient client(port());
        const HttpReply r = client.get("/throw");
        QCOMPARE(r.status, 409);
        const QJsonObject o = r.object();
        QCOMPARE(o.value("success").toBool(true), false);
        QCOMPARE(o.value("statusCode").toInt(), 409);
        QCOMPARE(o.value("message").toString(), QStringLiteral("Already there"));
        const QJsonObject e = o.value("error").toObject();
        QCOMPARE(e.value("code").toString(), QStringLiteral("CONFLICT"));
        QCOMPARE(e.value("path").toString(), QStringLiteral("/throw"));
        QCOMPARE(e.value("method").toString(), QStringLiteral("GET"));
        QCOMPARE(e.value("correlationId").toString().toLatin1(), r.header("x-correlation-id"));
        QVERIFY(!e.value("timestamp").toString().isEmpty());
        QCOMPARE(client.get("/next").status, 200); // the connection survives
    }

    void handlerThrowsOtherException()
    {
        TestHttpClient client(port());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("secret internals"));
        const HttpReply r = client.get("/throw-std");
        QCOMPARE(r.status, 500);
        QCOMPARE(r.errorCode(), QStringLiteral("INTERNAL_ERROR"));
        QVERIFY(!r.body.contains("secret"));
        QVERIFY(isCorrelationId(r.header("x-correlation-id")));
        QCOMPARE(client.get("/next").status, 200);
    }

    void handlerAnswersTwice()
    {
        TestHttpClient client(port());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("answered the same request twice"));
        const HttpReply r = client.get("/twice");
        QCOMPARE(r.status, 200);
        const HttpReply next = client.get("/next");
        QCOMPARE(next.status, 200);
        QCOMPARE(next.object().value("path").toString(), QStringLiteral("/next"));
    }

    void nonUtf8Path()
    {
        TestHttpClient client(port());
        QVERIFY(client.sendRaw(rawGet("/caf%E9")));
        HttpReply r = client.readResponse();
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("BAD_REQUEST"));
        QVERIFY(isCorrelationId(r.header("x-correlation-id")));
        QCOMPARE(r.object().value("error").toObject().value("correlationId").toString().toLatin1(),
                 r.header("x-correlation-id"));
        QVERIFY(r.closesConnection());
        QVERIFY(client.waitForClose(5000));

        TestHttpClient raw(port());
        QVERIFY(raw.sendRaw(rawGet("/caf\xe9")));
        r = raw.readResponse();
        QCOMPARE(r.status, 400);
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400 << "BAD_REQUEST";
        QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << "BAD_REQUEST";
        QTest::newRow("version") << QByteArray("GET / HTTP/2.0\r\nHost: t\r\n\r\n") << 505
                                 << "HTTP_VERSION_NOT_SUPPORTED";
        QTest::newRow("smuggling") << QByteArray("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
                                                 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                                   << 400 << "BAD_REQUEST";
        QTest::newRow("gzip") << QByteArray("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n")
                              << 501 << "NOT_IMPLEMENTED";
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n") << 400
                                  << "BAD_REQUEST";
    }
    void malformedRequests()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        QFETCH(QString, code);
        TestHttpClient client(port());
        QVERIFY(client.sendRaw(bytes));
        const HttpReply r = client.readResponse();
        QCOMPARE(r.status, status);
        QCOMPARE(r.errorCode(), code);
        QCOMPARE(r.object().value("statusCode").toInt(), status);
        QVERIFY(isCorrelationId(r.header("x-correlation-id")));
        QVERIFY(r.closesConnection());
        QVERIFY(client.waitForClose(5000));
    }

    void stats()
    {
        const qint64 before = m_server->stats().totalRequests;
        TestHttpClient client(port());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(client.get("/count").status, 200);
        const HttpServerStats s = m_server->stats();
        QVERIFY(s.totalRequests >= before + 3);
        QVERIFY(s.totalConnections >= 1);
        QCOMPARE(s.connectionsPerWorker.size(), 2);
        QVERIFY(s.openConnections >= 1);
    }

    void logLine()
    {
        HttpServerConfig config = testConfig();
        config.logRequests = true;
        QString error;
        auto server = startServer(config, &error);
        QVERIFY2(server, qPrintable(error));
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression("^GET /logged 200 \\d+\\.\\dms$"));
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression("^HEAD /logged 200 \\d+\\.\\dms$"));
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression("^GET /throw 409 \\d+\\.\\dms$"));
        TestHttpClient client(server->port());
        QCOMPARE(client.get("/logged").status, 200);
        QCOMPARE(client.head("/logged").status, 200);
        QCOMPARE(client.get("/throw").status, 409);
        server->stop(); // joins the workers: every line has been written
    }

    void busyWorkerGetsNoNewConnections()
    {
        // A and C take one connection on each worker; A's handler then blocks
        // its worker. B arrives while both have one connection: it must not
        // land behind the blocked worker.
        QTRY_COMPARE(m_server->stats().openConnections, qint64(0)); // earlier tests' connections are gone
        TestHttpClient a(port());
        TestHttpClient c(port());
        QVERIFY(a.connectToServer());
        QVERIFY(c.connectToServer());
        QTRY_COMPARE(m_server->stats().connectionsPerWorker, (QList<qint64>{1, 1}));
        counters().slowRequestStarted.tryAcquire(counters().slowRequestStarted.available());
        QVERIFY(a.sendRaw(rawGet("/sleep?ms=3500")));
        QVERIFY(counters().slowRequestStarted.tryAcquire(1, 5000));
        QThread::msleep(1300); // now past the 1 s "busy" threshold

        TestHttpClient b(port());
        const HttpReply rb = b.get("/quick");
        QCOMPARE(rb.status, 200);
        QVERIFY2(a.receivesNothingWithin(0), "the blocked request must still be running");
        const HttpReply ra = a.readResponse();
        QCOMPARE(ra.status, 200);
        QVERIFY(ra.object().value("worker").toInt() != rb.object().value("worker").toInt());
    }

    void blockedWorkerDoesNotBlockOtherConnection()
    {
        QTRY_COMPARE(m_server->stats().openConnections, qint64(0));
        TestHttpClient a(port());
        TestHttpClient b(port());
        QVERIFY(a.connectToServer());
        QVERIFY(b.connectToServer());
        // the least-busy placement put them on different workers
        QTRY_COMPARE(m_server->stats().connectionsPerWorker, (QList<qint64>{1, 1}));
        counters().slowRequestStarted.tryAcquire(counters().slowRequestStarted.available());
        QVERIFY(a.sendRaw(rawGet("/sleep?ms=2000")));
        QVERIFY(counters().slowRequestStarted.tryAcquire(1, 5000));
        const HttpReply rb = b.get("/quick");
        QCOMPARE(rb.status, 200);
        QVERIFY2(a.receivesNothingWithin(0), "the blocked request must still be running");
        QCOMPARE(a.readResponse().status, 200);
    }

    void stopLetsInFlightRequestFinish()
    {
        QString error;
        auto server = startServer(testConfig(), &error);
        QVERIFY2(server, qPrintable(error));
        TestHttpClient client(server->port());
        TestHttpClient idle(server->port());
        QVERIFY(idle.connectToServer());
        counters().slowRequestStarted.tryAcquire(counters().slowRequestStarted.available());
        QVERIFY(client.sendRaw(rawGet("/delay?ms=500")));
        QVERIFY(counters().slowRequestStarted.tryAcquire(1, 5000));
        server->stop();
        QVERIFY(!server->isRunning());
        const HttpReply r = client.readResponse();
        QVERIFY2(r.valid, qPrintable(r.describe()));
        QCOMPARE(r.status, 200);
        QVERIFY(r.closesConnection());
        QVERIFY(client.waitForClose(5000));
        QVERIFY(idle.waitForClose(5000));
        // not listening any more
        TestHttpClient late(server->port());
        QVERIFY(!late.connectToServer() || !late.get("/x").valid);
    }

    void startFailures()
    {
        HttpServerConfig config = testConfig();
        config.port = port(); // taken by m_server
        HttpServer busy(config, std::make_shared<EchoHandlerFactory>());
        QString error;
        QVERIFY(!busy.start(&error));
        QVERIFY(error.contains(QString::number(port())));
        QVERIFY(!busy.isRunning());

        struct ThrowingFactory : IRequestHandlerFactory
        {
            std::unique_ptr<IRequestHandler> create(int) override { throw std::runtime_error("no database"); }
        };
        HttpServer broken(testConfig(), std::make_shared<ThrowingFactory>());
        QVERIFY(!broken.start(&error));
        QVERIFY(error.contains(QLatin1String("no database")));
        QCOMPARE(broken.stats().workerCount, 0);
    }

    void restartAfterStop()
    {
        QString error;
        auto server = startServer(testConfig(), &error);
        QVERIFY2(server, qPrintable(error));
        server->stop();
        QVERIFY(server->start(&error));
        TestHttpClient client(server->port());
        QCOMPARE(client.get("/again").status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
