#include "httptestkit.h"
#include "testhttpclient.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Hearth;
using namespace Hearth::TestKit;

namespace {

// Small limits so every test is quick; timeouts stay generous unless a test
// is about one of them.
HttpServerConfig limitsConfig()
{
    HttpServerConfig config = testConfig();
    HttpLimits &l = config.limits;
    l.maxRequestLineBytes = 256;
    l.maxHeaderBytes = 512;
    l.maxHeaderCount = 10;
    l.maxJsonBodyBytes = 1024;
    l.maxUploadBodyBytes = 8192;
    l.idleTimeoutMs = 20'000;
    l.headerTimeoutMs = 20'000;
    l.bodyTimeoutMs = 20'000;
    return config;
}

QByteArray head(const QByteArray &requestLine, const QByteArray &headers = {})
{
    return requestLine + "\r\nHost: t\r\n" + headers + "\r\n";
}

} // namespace

class TestHttpLimits : public QObject
{
    Q_OBJECT

private:
    // The answer is the error envelope with this status and code, it carries
    // a correlation id, and the server closes the connection afterwards.
    void expectErrorAndClose(TestHttpClient &client, int status, const QString &code)
    {
        const HttpReply r = client.readResponse();
        QVERIFY2(r.valid, qPrintable(r.describe()));
        QCOMPARE(r.status, status);
        QCOMPARE(r.errorCode(), code);
        QCOMPARE(r.object().value("statusCode").toInt(), status);
        QCOMPARE(r.object().value("success").toBool(true), false);
        QVERIFY(r.header("x-correlation-id").size() == 16);
        QCOMPARE(r.object().value("error").toObject().value("correlationId").toString().toLatin1(),
                 r.header("x-correlation-id"));
        QVERIFY(r.closesConnection());
        QVERIFY(client.waitForClose(5000));
    }

    std::unique_ptr<HttpServer> m_server;

private slots:
    void initTestCase()
    {
        QString error;
        m_server = startServer(limitsConfig(), &error);
        QVERIFY2(m_server, qPrintable(error));
    }

    void cleanupTestCase() { m_server.reset(); }

    void requestLineTooLong()
    {
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw(head("GET /" + QByteArray(300, 'a') + " HTTP/1.1")));
        expectErrorAndClose(client, 414, QStringLiteral("URI_TOO_LONG"));

        TestHttpClient ok(m_server->port());
        QCOMPARE(ok.get("/" + QByteArray(200, 'a')).status, 200);
    }

    void requestLineRefusedBeforeItEnds()
    {
        // no line end ever comes: the answer must not wait for one
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw("GET /" + QByteArray(2000, 'a')));
        expectErrorAndClose(client, 414, QStringLiteral("URI_TOO_LONG"));
    }

    void headerBlockTooLarge()
    {
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw(head("GET / HTTP/1.1", "X-Big: " + QByteArray(600, 'x') + "\r\n")));
        expectErrorAndClose(client, 431, QStringLiteral("HEADERS_TOO_LARGE"));

        TestHttpClient endless(m_server->port());
        QVERIFY(endless.sendRaw("GET / HTTP/1.1\r\nX-Endless: " + QByteArray(4000, 'x')));
        expectErrorAndClose(endless, 431, QStringLiteral("HEADERS_TOO_LARGE"));
    }

    void tooManyHeaders()
    {
        QByteArray headers;
        for (int i = 0; i < 10; ++i)
            headers += "X-H" + QByteArray::number(i) + ": v\r\n";
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw(head("GET / HTTP/1.1", headers))); // Host + 10 = 11
        expectErrorAndClose(client, 431, QStringLiteral("HEADERS_TOO_LARGE"));

        TestHttpClient ok(m_server->port());
        QVERIFY(ok.sendRaw(head("GET / HTTP/1.1", headers.left(headers.size() - 9)))); // Host + 9
        QCOMPARE(ok.readResponse().status, 200);
    }

    void bodyTooLargeByContentLength()
    {
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw(head("POST /p HTTP/1.1", "Content-Length: 2000\r\n") + QByteArray(2000, 'j')));
        expectErrorAndClose(client, 413, QStringLiteral("PAYLOAD_TOO_LARGE"));

        // refused on the declared length alone, the body never sent
        TestHttpClient declared(m_server->port());
        QVERIFY(declared.sendRaw(head("POST /p HTTP/1.1", "Content-Length: 100000000\r\n")));
        expectErrorAndClose(declared, 413, QStringLiteral("PAYLOAD_TOO_LARGE"));

        TestHttpClient ok(m_server->port());
        const HttpReply r = ok.post("/p", QByteArray(1024, 'j'), "text/plain");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("body").toString().size(), 1024);
    }

    void bodyTooLargeChunked()
    {
        TestHttpClient client(m_server->port());
        QByteArray bytes = head("POST /p HTTP/1.1", "Transfer-Encoding: chunked\r\n");
        for (int i = 0; i < 5; ++i)
            bytes += "100\r\n" + QByteArray(256, 'c') + "\r\n"; // the fifth passes 1024
        QVERIFY(client.sendRaw(bytes));
        expectErrorAndClose(client, 413, QStringLiteral("PAYLOAD_TOO_LARGE"));
    }

    void expectContinueOverLimit()
    {
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw(head("POST /p HTTP/1.1", "Expect: 100-continue\r\nContent-Length: 5000\r\n")));
        // 413 straight away: no 100 Continue, and the body is never sent
        expectErrorAndClose(client, 413, QStringLiteral("PAYLOAD_TOO_LARGE"));
    }

    void uploadTooLarge()
    {
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw(head("POST /files HTTP/1.1",
                                    "Content-Type: application/octet-stream\r\nContent-Length: 9000\r\n")));
        expectErrorAndClose(client, 413, QStringLiteral("PAYLOAD_TOO_LARGE"));

        TestHttpClient chunked(m_server->port());
        QByteArray bytes = head("POST /files HTTP/1.1", "Content-Type: multipart/form-data; boundary=b\r\n"
                                                        "Transfer-Encoding: chunked\r\n");
        for (int i = 0; i < 3; ++i)
            bytes += "1000\r\n" + QByteArray(4096, 'u') + "\r\n";
        QVERIFY(chunked.sendRaw(bytes));
        expectErrorAndClose(chunked, 413, QStringLiteral("PAYLOAD_TOO_LARGE"));
    }

    void uploadStreamedToFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        HttpServerConfig config = limitsConfig();
        config.uploadDirectory = dir.path();
        QString error;
        auto server = startServer(config, &error);
        QVERIFY2(server, qPrintable(error));

        QByteArray payload(6000, 'u'); // over the JSON limit, under the upload limit
        payload.replace(0, 5, "HELLO");
        TestHttpClient client(server->port());
        const HttpReply r = client.post("/files", payload, "application/octet-stream");
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value("body").toString(), QString());
        QCOMPARE(o.value("bodyFileSize").toInt(), 6000);
        QVERIFY(o.value("bodyFileHead").toString().startsWith(QLatin1String("HELLO")));
        const QString path = o.value("bodyFile").toString();
        QCOMPARE(QFileInfo(path).absolutePath(), QDir(dir.path()).absolutePath());
        QVERIFY2(!QFile::exists(path), "the upload file is removed after the answer");

        // chunked multipart as well
        QByteArray bytes = head("POST /files HTTP/1.1", "Content-Type: multipart/form-data; boundary=b\r\n"
                                                        "Transfer-Encoding: chunked\r\n");
        bytes += "800\r\n" + QByteArray(2048, 'm') + "\r\n0\r\n\r\n";
        QVERIFY(client.sendRaw(bytes));
        const HttpReply chunked = client.readResponse();
        QCOMPARE(chunked.status, 200);
        QCOMPARE(chunked.object().value("bodyFileSize").toInt(), 2048);
        QVERIFY(!QFile::exists(chunked.object().value("bodyFile").toString()));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
    }

    void idleTimeoutCloses()
    {
        HttpServerConfig config = limitsConfig();
        config.limits.idleTimeoutMs = 300;
        QString error;
        auto server = startServer(config, &error);
        QVERIFY2(server, qPrintable(error));

        TestHttpClient client(server->port());
        QCOMPARE(client.get("/once").status, 200);
        QVERIFY(client.waitForClose(5000));
        QVERIFY(client.readRawUntilClose().isEmpty()); // closed silently, no answer

        TestHttpClient silent(server->port());
        QVERIFY(silent.connectToServer());
        QVERIFY(silent.waitForClose(5000));

        // a request that takes longer than the idle timeout is not idle
        TestHttpClient slow(server->port());
        const HttpReply r = slow.get("/delay?ms=900");
        QCOMPARE(r.status, 200);
    }

    void headerTimeout()
    {
        HttpServerConfig config = limitsConfig();
        config.limits.headerTimeoutMs = 300;
        QString error;
        auto server = startServer(config, &error);
        QVERIFY2(server, qPrintable(error));

        TestHttpClient client(server->port());
        QVERIFY(client.sendRaw("GET /slow HTTP/1.1\r\nHost: t\r\n"));
        expectErrorAndClose(client, 408, QStringLiteral("REQUEST_TIMEOUT"));

        // slowloris: bytes keep coming, the header block never completes
        TestHttpClient loris(server->port());
        QVERIFY(loris.sendRaw("GET /slow HTTP/1.1\r\nHost: t\r\n"));
        bool answered = false;
        for (int i = 0; i < 50 && !answered; ++i) {
            loris.sendRaw("X-Drip: " + QByteArray::number(i) + "\r\n");
            answered = !loris.receivesNothingWithin(100);
        }
        QVERIFY2(answered, "the header timeout counts from the first byte, not the last");
        expectErrorAndClose(loris, 408, QStringLiteral("REQUEST_TIMEOUT"));
    }

    void bodyTimeout()
    {
        HttpServerConfig config = limitsConfig();
        config.limits.bodyTimeoutMs = 300;
        QString error;
        auto server = startServer(config, &error);
        QVERIFY2(server, qPrintable(error));

        TestHttpClient client(server->port());
        QVERIFY(client.sendRaw(head("POST /p HTTP/1.1", "Content-Length: 10\r\n") + "abc"));
        expectErrorAndClose(client, 408, QStringLiteral("REQUEST_TIMEOUT"));
    }

    void connectionCap()
    {
        HttpServerConfig config = limitsConfig();
        config.limits.maxConnections = 2;
        QString error;
        auto server = startServer(config, &error);
        QVERIFY2(server, qPrintable(error));

        TestHttpClient one(server->port());
        TestHttpClient two(server->port());
        QCOMPARE(one.get("/1").status, 200);
        QCOMPARE(two.get("/2").status, 200);

        TestHttpClient three(server->port());
        const HttpReply r = three.get("/3");
        QVERIFY2(r.valid, qPrintable(r.describe()));
        QCOMPARE(r.status, 503);
        QCOMPARE(r.errorCode(), QStringLiteral("SERVICE_UNAVAILABLE"));
        QVERIFY(r.closesConnection());
        QCOMPARE(r.header("x-correlation-id").size(), 16);
        QVERIFY(three.waitForClose(5000));
        QCOMPARE(server->stats().openConnections, qint64(2));

        // room again once a connection goes
        one.disconnectFromServer();
        QTRY_COMPARE(server->stats().openConnections, qint64(1));
        TestHttpClient four(server->port());
        QCOMPARE(four.get("/4").status, 200);
        QCOMPARE(two.get("/2again").status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpLimits)
#include "tst_httplimits.moc"
