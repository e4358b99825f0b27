#include "httptestkit.h"
#include "testhttpclient.h"

#include <QSignalSpy>
#include <QWebSocket>
#include <QtEndian>
#include <QtTest>

using namespace Hearth;
using namespace Hearth::TestKit;

namespace {

const QByteArray kHandshake = "GET /ws/echo HTTP/1.1\r\n"
                              "Host: 127.0.0.1\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "\r\n";

// A masked client text frame (RFC 6455 5.3: clients must mask).
QByteArray clientTextFrame(const QByteArray &payload)
{
    Q_ASSERT(payload.size() < 126);
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    QByteArray frame;
    frame.append(char(0x81));
    frame.append(char(0x80 | payload.size()));
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

// The unmasked server frame the echo gateway sends back.
QByteArray serverTextFrame(const QByteArray &payload)
{
    return QByteArray(1, char(0x81)) + char(payload.size()) + payload;
}

} // namespace

class TestHttpWebSocket : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpServer> m_server;

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(m_server->port()).arg(path));
    }

    // The handshake answer and the echo of a frame, read raw.
    void expectUpgradeAndEcho(TestHttpClient &client, const QByteArray &payload)
    {
        const HttpReply upgrade = client.readResponse();
        QVERIFY2(upgrade.valid, qPrintable(upgrade.describe()));
        QCOMPARE(upgrade.status, 101);
        QCOMPARE(upgrade.header("sec-websocket-accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        const QByteArray expected = serverTextFrame(payload);
        QCOMPARE(client.readRawBytes(expected.size()), expected);
    }

private slots:
    void initTestCase()
    {
        QString error;
        m_server = startServer(testConfig(), &error, true);
        QVERIFY2(m_server, qPrintable(error));
    }

    void cleanupTestCase() { m_server.reset(); }

    void echoWithQWebSocket()
    {
        QWebSocket socket;
        QSignalSpy connected(&socket, &QWebSocket::connected);
        QSignalSpy text(&socket, &QWebSocket::textMessageReceived);
        QSignalSpy binary(&socket, &QWebSocket::binaryMessageReceived);
        socket.open(url(QStringLiteral("/ws/echo")));
        QVERIFY(connected.wait(5000));
        socket.sendTextMessage(QStringLiteral("hello hearth"));
        QVERIFY(text.wait(5000));
        QCOMPARE(text.first().first().toString(), QStringLiteral("hello hearth"));
        socket.sendBinaryMessage(QByteArray("\x00\x01\x02", 3));
        QVERIFY(binary.wait(5000));
        QCOMPARE(binary.first().first().toByteArray(), QByteArray("\x00\x01\x02", 3));

        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        socket.close();
        QVERIFY(disconnected.count() > 0 || disconnected.wait(5000));
    }

    void manyClients()
    {
        std::vector<std::unique_ptr<QWebSocket>> sockets;
        for (int i = 0; i < 4; ++i) {
            sockets.push_back(std::make_unique<QWebSocket>());
            QSignalSpy connected(sockets.back().get(), &QWebSocket::connected);
            sockets.back()->open(url(QStringLiteral("/ws/echo")));
            QVERIFY(connected.wait(5000));
        }
        for (int i = 0; i < 4; ++i) {
            QSignalSpy text(sockets[i].get(), &QWebSocket::textMessageReceived);
            sockets[i]->sendTextMessage(QString::number(i));
            QVERIFY(text.wait(5000));
            QCOMPARE(text.first().first().toString(), QString::number(i));
        }
    }

    void frameInSameWriteAsHandshake()
    {
        // bytes after the header block were read by the HTTP layer too; they
        // must reach the WebSocket after the handshake, in order
        TestHttpClient client(m_server->port());
        QVERIFY(client.sendRaw(kHandshake + clientTextFrame("early") + clientTextFrame("bird")));
        expectUpgradeAndEcho(client, "early");
        QCOMPARE(client.readRawBytes(serverTextFrame("bird").size()), serverTextFrame("bird"));
    }

    void handshakeInPieces()
    {
        TestHttpClient client(m_server->port());
        const qsizetype third = kHandshake.size() / 3;
        QVERIFY(client.sendRaw(kHandshake.left(third)));
        QThread::msleep(50);
        QVERIFY(client.sendRaw(kHandshake.mid(third, third)));
        QThread::msleep(50);
        QVERIFY(client.sendRaw(kHandshake.mid(2 * third)));
        QVERIFY(client.sendRaw(clientTextFrame("pieces")));
        expectUpgradeAndEcho(client, "pieces");
    }

    void upgradeAfterKeepAliveRequests()
    {
        TestHttpClient client(m_server->port());
        QCOMPARE(client.get("/plain").status, 200);
        QCOMPARE(client.get("/plain2").status, 200);
        QVERIFY(client.sendRaw(kHandshake + clientTextFrame("later")));
        expectUpgradeAndEcho(client, "later");
        QCOMPARE(client.connectionCount(), 1);
    }

    void unregisteredPathIs404()
    {
        TestHttpClient client(m_server->port());
        const HttpReply r = client.get("/ws/nope", {{"Upgrade", "websocket"},
                                                    {"Connection", "Upgrade"},
                                                    {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                                    {"Sec-WebSocket-Version", "13"}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("NOT_FOUND"));
        QCOMPARE(r.header("x-correlation-id").size(), 16);

        QWebSocket socket;
        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(url(QStringLiteral("/ws/nope")));
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(connected.count(), 0);
    }

    void invalidHandshakeIs400()
    {
        TestHttpClient client(m_server->port());
        const HttpReply r = client.get("/ws/echo", {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("BAD_REQUEST"));
    }

    void plainHttpStillServed()
    {
        TestHttpClient client(m_server->port());
        const HttpReply r = client.get("/ws/echo");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value("path").toString(), QStringLiteral("/ws/echo"));
    }

    void noGatewaysMeans404()
    {
        QString error;
        auto server = startServer(testConfig(), &error, false);
        QVERIFY2(server, qPrintable(error));
        TestHttpClient client(server->port());
        QVERIFY(client.sendRaw(kHandshake));
        const HttpReply r = client.readResponse();
        QCOMPARE(r.status, 404);
    }

    void stopClosesWebSockets()
    {
        QString error;
        auto server = startServer(testConfig(), &error, true);
        QVERIFY2(server, qPrintable(error));
        QWebSocket socket;
        QSignalSpy connected(&socket, &QWebSocket::connected);
        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/echo").arg(server->port())));
        QVERIFY(connected.wait(5000));
        server->stop();
        QVERIFY(disconnected.count() > 0 || disconnected.wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestHttpWebSocket)
#include "tst_httpwebsocket.moc"
