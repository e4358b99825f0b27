#include "http/httpparser.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Hearth;

namespace {

struct Outcome
{
    QList<HttpRequest> requests;
    int errorStatus = 0;
    int headsCompleted = 0;
    bool expectContinueSeen = false;
};

// Feeds bytes in pieces of `step` bytes (0 = all at once), parsing each piece
// completely as a connection would, and collects what comes out.
Outcome feed(HttpParser &parser, const QByteArray &bytes, int step)
{
    Outcome out;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const qsizetype n = step <= 0 ? bytes.size() - pos : qMin<qsizetype>(step, bytes.size() - pos);
        const QByteArrayView piece(bytes.constData() + pos, n);
        qsizetype offset = 0;
        for (;;) {
            qsizetype used = 0;
            const HttpParser::Result r = parser.parse(piece.sliced(offset), &used);
            offset += used;
            if (r == HttpParser::Result::Error) {
                out.errorStatus = parser.errorStatus();
                return out;
            }
            if (r == HttpParser::Result::RequestComplete)
                out.requests.append(parser.takeRequest());
            if (r == HttpParser::Result::HeadComplete) {
                ++out.headsCompleted;
                out.expectContinueSeen = out.expectContinueSeen || parser.expectsContinue();
            }
            if (r == HttpParser::Result::NeedMore || offset == piece.size())
                break;
        }
        pos += n;
    }
    return out;
}

Outcome feedWith(const QByteArray &bytes, int step, const HttpLimits &limits = {})
{
    HttpParser parser(limits);
    return feed(parser, bytes, step);
}

QByteArray headerValue(const HttpRequest &r, const char *name)
{
    return r.header(name);
}

void addStepColumn()
{
    QTest::addColumn<int>("step");
}

void addSteps()
{
    addStepColumn();
    QTest::newRow("whole") << 0;
    QTest::newRow("1 byte") << 1;
    QTest::newRow("2 bytes") << 2;
    QTest::newRow("7 bytes") << 7;
}

} // namespace

class TestHttpParser : public QObject
{
    Q_OBJECT

private slots:
    void simpleGet_data() { addSteps(); }
    void simpleGet()
    {
        QFETCH(int, step);
        const Outcome out =
            feedWith("GET /posts?limit=5&x=%41 HTTP/1.1\r\nHost: example\r\nX-Thing: \t value  "
                     "with  spaces \t\r\nACCEPT: */*\r\n\r\n",
                     step);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);
        const HttpRequest &r = out.requests.first();
        QCOMPARE(r.method, QByteArray("GET"));
        QCOMPARE(r.target, QByteArray("/posts?limit=5&x=%41"));
        QCOMPARE(r.path, QByteArray("/posts"));
        QCOMPARE(r.rawQuery, QByteArray("limit=5&x=%41")); // the query is not decoded
        QCOMPARE(r.httpMinor, 1);
        QVERIFY(r.keepAlive);
        QVERIFY(!r.isHead);
        QCOMPARE(r.headers.size(), 3);
        QCOMPARE(r.headers[1].name, QByteArray("x-thing"));
        QCOMPARE(headerValue(r, "x-thing"), QByteArray("value  with  spaces"));
        QCOMPARE(headerValue(r, "accept"), QByteArray("*/*"));
        QVERIFY(r.body.isEmpty());
        QVERIFY(r.receivedAtMs > 0);
    }

    void stopsAtRequestBoundary()
    {
        HttpParser parser;
        const QByteArray first = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
        const QByteArray bytes = first + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
        qsizetype used = 0;
        QCOMPARE(parser.parse(bytes, &used), HttpParser::Result::RequestComplete);
        QCOMPARE(used, first.size());
        QCOMPARE(parser.takeRequest().path, QByteArray("/a"));
        QVERIFY(parser.isIdle());
        QCOMPARE(parser.parse(QByteArrayView(bytes).sliced(used), &used),
                 HttpParser::Result::RequestComplete);
        QCOMPARE(parser.takeRequest().path, QByteArray("/b"));
    }

    void pipelined_data() { addSteps(); }
    void pipelined()
    {
        QFETCH(int, step);
        const QByteArray bytes = "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
                                 "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                                 "PUT /three HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "3\r\nabc\r\n0\r\n\r\n"
                                 "DELETE /four HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        const Outcome out = feedWith(bytes, step);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 4);
        QCOMPARE(out.requests[0].path, QByteArray("/one"));
        QCOMPARE(out.requests[1].method, QByteArray("POST"));
        QCOMPARE(out.requests[1].body, QByteArray("hello"));
        QCOMPARE(out.requests[2].body, QByteArray("abc"));
        QCOMPARE(out.requests[3].method, QByteArray("DELETE"));
        QVERIFY(!out.requests[3].keepAlive);
    }

    void contentLengthBody_data() { addSteps(); }
    void contentLengthBody()
    {
        QFETCH(int, step);
        const QByteArray body = "{\"title\":\"x\",\"n\":1}";
        const Outcome out = feedWith("POST /posts HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                                     "Content-Length: " +
                                         QByteArray::number(body.size()) + "\r\n\r\n" + body,
                                     step);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);
        QCOMPARE(out.requests[0].body, body);
        QCOMPARE(out.headsCompleted, 1);
    }

    void chunkedBody_data() { addSteps(); }
    void chunkedBody()
    {
        QFETCH(int, step);
        const Outcome out = feedWith("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
                                     "4\r\nWiki\r\n"
                                     "5;name=value;other\r\npedia\r\n"
                                     "D \r\n in\r\n\r\nchunks\r\n"
                                     "0\r\nX-Trailer: later\r\nChecksum: abc\r\n\r\n",
                                     step);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);
        QCOMPARE(out.requests[0].body, QByteArray("Wikipedia in\r\n\r\nchunks"));
        // trailers are validated and dropped, never merged into the headers
        QVERIFY(!out.requests[0].hasHeader("x-trailer"));
    }

    void equalDuplicateContentLengthAccepted()
    {
        const Outcome out =
            feedWith("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3, 3\r\n\r\nabc", 0);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);
        QCOMPARE(out.requests[0].body, QByteArray("abc"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n  folded\r\n\r\n")
                                  << 400;
        QTest::newRow("obs-fold tab")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n\tfolded\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : h\r\n\r\n") << 400;
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nJunk\r\n\r\n") << 400;
        QTest::newRow("empty header name") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n") << 400;
        QTest::newRow("control char in value")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x01z\r\n\r\n") << 400;
        QTest::newRow("CL differs") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                                                  "Content-Length: 4\r\n\r\nabcd")
                                    << 400;
        QTest::newRow("CL list differs")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\n") << 400;
        QTest::newRow("CL not a number")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n") << 400;
        QTest::newRow("CL negative") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n")
                                     << 400;
        QTest::newRow("CL plus") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n")
                                 << 400;
        QTest::newRow("CL empty") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n")
                                  << 400;
        QTest::newRow("CL and TE") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                                                 "Transfer-Encoding: chunked\r\n\r\n")
                                   << 400;
        QTest::newRow("TE gzip") << QByteArray(
                                        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n")
                                 << 501;
        QTest::newRow("TE gzip, chunked")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
        QTest::newRow("TE twice") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                                                "Transfer-Encoding: chunked\r\n\r\n")
                                  << 501;
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << 505;
        QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\nHost: h\r\n\r\n") << 505;
        QTest::newRow("HTTP/0.9") << QByteArray("GET / HTTP/0.9\r\n\r\n") << 505;
        QTest::newRow("bad version") << QByteArray("GET / HTTP/1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("not HTTP") << QByteArray("GET / FOO/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("no version") << QByteArray("GET /\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("extra token") << QByteArray("GET / x HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("bad method") << QByteArray("G(ET / HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n") << 400;
        QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
        QTest::newRow("relative target") << QByteArray("GET posts HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("asterisk not OPTIONS") << QByteArray("GET * HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("fragment") << QByteArray("GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("control char in target")
            << QByteArray("GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("bad escape") << QByteArray("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("truncated escape") << QByteArray("GET /a%2 HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("escape at end") << QByteArray("GET /a% HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("decoded NUL") << QByteArray("GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("raw non-UTF-8") << QByteArray("GET /caf\xe9 HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("decoded non-UTF-8") << QByteArray("GET /caf%E9 HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("overlong UTF-8") << QByteArray("GET /%C0%AF HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
        QTest::newRow("bad chunk size")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                          "\r\nzz\r\n")
            << 400;
        QTest::newRow("chunk ext without ;") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
                                                           "chunked\r\n\r\n3 x\r\nabc\r\n0\r\n\r\n")
                                             << 400;
        QTest::newRow("chunk longer than size")
            << QByteArray(
                   "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n")
            << 400;
        QTest::newRow("bad trailer") << QByteArray(
                                            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            "0\r\nbad trailer\r\n\r\n")
                                     << 400;
        QTest::newRow("expectation") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nExpect: the-unexpected\r\n"
                                                   "Content-Length: 1\r\n\r\nx")
                                     << 417;
        QTest::newRow("endless blank lines") << QByteArray("\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n") << 400;
    }
    void errors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        for (int step : {0, 1, 5}) {
            const Outcome out = feedWith(bytes, step);
            QVERIFY2(out.requests.isEmpty(), qPrintable(QString::number(step)));
            QCOMPARE(out.errorStatus, status);
        }
    }

    void errorIsSticky()
    {
        HttpParser parser;
        qsizetype used = -1;
        QCOMPARE(parser.parse(QByteArrayView("GET / HTTP/3.0\r\n"), &used), HttpParser::Result::Error);
        QVERIFY(parser.hasError());
        QCOMPARE(parser.errorStatus(), 505);
        QVERIFY(!parser.errorMessage().isEmpty());
        QCOMPARE(parser.parse(QByteArrayView("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), &used),
                 HttpParser::Result::Error);
        QCOMPARE(used, 0);
        parser.reset();
        QVERIFY(!parser.hasError());
        QCOMPARE(parser.parse(QByteArrayView("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), &used),
                 HttpParser::Result::RequestComplete);
    }

    void errorKeepsWhatWasParsed()
    {
        HttpLimits limits;
        limits.maxJsonBodyBytes = 4;
        HttpParser parser(limits);
        qsizetype used = 0;
        QCOMPARE(parser.parse(QByteArrayView("PUT /items/7 HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n"),
                              &used),
                 HttpParser::Result::Error);
        QCOMPARE(parser.errorStatus(), 413);
        QCOMPARE(parser.request().method, QByteArray("PUT"));
        QCOMPARE(parser.request().path, QByteArray("/items/7"));
    }

    void decodedPath()
    {
        const Outcome out = feedWith("GET /caf%C3%A9/a%2Fb/%E2%82%AC HTTP/1.1\r\nHost: h\r\n\r\n", 1);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);
        QCOMPARE(out.requests[0].path, QByteArray("/caf\xc3\xa9/a/b/\xe2\x82\xac"));
        QCOMPARE(out.requests[0].target, QByteArray("/caf%C3%A9/a%2Fb/%E2%82%AC"));
        // raw UTF-8 (not percent-encoded) is accepted as well
        const Outcome raw = feedWith("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", 0);
        QCOMPARE(raw.errorStatus, 0);
        QCOMPARE(raw.requests[0].path, QByteArray("/caf\xc3\xa9"));
    }

    void targetForms()
    {
        Outcome out =
            feedWith("GET http://example.com:8080/a/b?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", 0);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests[0].path, QByteArray("/a/b"));
        QCOMPARE(out.requests[0].rawQuery, QByteArray("x=1"));
        out = feedWith("GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", 0);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests[0].path, QByteArray("/"));
        out = feedWith("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 0);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests[0].path, QByteArray("*"));
        out = feedWith("GET /?a=1 HTTP/1.1\r\nHost: h\r\n\r\n", 0);
        QCOMPARE(out.requests[0].path, QByteArray("/"));
        QCOMPARE(out.requests[0].rawQuery, QByteArray("a=1"));
    }

    void keepAliveRules_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<int>("minor");
        QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r\n") << true << 1;
        QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                                   << false << 1;
        QTest::newRow("1.1 Close list")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nConnection: TE, Close\r\n\r\n") << false << 1;
        QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false << 0;
        QTest::newRow("1.0 keep-alive")
            << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true << 0;
        QTest::newRow("1.0 keep-alive and close")
            << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n") << false << 0;
    }
    void keepAliveRules()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, keepAlive);
        QFETCH(int, minor);
        const Outcome out = feedWith(bytes, 0);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);
        QCOMPARE(out.requests[0].keepAlive, keepAlive);
        QCOMPARE(out.requests[0].httpMinor, minor);
    }

    void headBecomesGet()
    {
        const Outcome out = feedWith("HEAD /posts HTTP/1.1\r\nHost: h\r\n\r\n", 1);
        QCOMPARE(out.requests.size(), 1);
        QCOMPARE(out.requests[0].method, QByteArray("GET"));
        QVERIFY(out.requests[0].isHead);
    }

    void expectContinue()
    {
        HttpParser parser;
        qsizetype used = 0;
        const QByteArray head =
            "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n";
        QCOMPARE(parser.parse(head, &used), HttpParser::Result::HeadComplete);
        QCOMPARE(used, head.size());
        QVERIFY(parser.expectsContinue());
        QVERIFY(parser.isReadingBody());
        QCOMPARE(parser.parse(QByteArrayView("abc"), &used), HttpParser::Result::RequestComplete);
        QCOMPARE(parser.takeRequest().body, QByteArray("abc"));
        QVERIFY(!parser.expectsContinue());

        // HTTP/1.0 has no 100 Continue: the expectation is ignored
        const Outcome old =
            feedWith("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx", 0);
        QCOMPARE(old.errorStatus, 0);
        QVERIFY(!old.expectContinueSeen);
    }

    void leadingBlankLinesAndBareLf()
    {
        const Outcome out =
            feedWith("\r\n\r\nGET /a HTTP/1.1\nHost: h\n\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n", 1);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 2);
        QCOMPARE(out.requests[0].path, QByteArray("/a"));
        QCOMPARE(out.requests[1].path, QByteArray("/b"));
    }

    void idleState()
    {
        HttpParser parser;
        QVERIFY(parser.isIdle());
        qsizetype used = 0;
        QCOMPARE(parser.parse(QByteArrayView("GE"), &used), HttpParser::Result::NeedMore);
        QCOMPARE(used, 2);
        QVERIFY(!parser.isIdle());
        QCOMPARE(parser.parse(QByteArrayView("T / HTTP/1.1\r\nHost: h\r\n\r\n"), &used),
                 HttpParser::Result::RequestComplete);
        parser.takeRequest();
        QVERIFY(parser.isIdle());
    }

    void rawHeadKept_data() { addSteps(); }
    void rawHeadKept()
    {
        QFETCH(int, step);
        HttpParser parser;
        parser.setKeepRawHead(true);
        const QByteArray first = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
        const QByteArray head =
            "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        const Outcome out = feed(parser, "\r\n" + first + head, step);
        QCOMPARE(out.requests.size(), 2);
        QCOMPARE(parser.rawHead(), head);
    }

    // ---- limits ----

    void requestLineLimit()
    {
        HttpLimits limits;
        limits.maxRequestLineBytes = 32;
        const QByteArray atLimit = "GET /" + QByteArray(32 - 14, 'a') + " HTTP/1.1"; // exactly 32 bytes
        QCOMPARE(atLimit.size(), 32);
        Outcome out = feedWith(atLimit + "\r\nHost: h\r\n\r\n", 1, limits);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);

        out = feedWith("GET /" + QByteArray(32 - 13, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n", 0, limits);
        QCOMPARE(out.errorStatus, 414);

        // detected before any line end arrives: nothing endless is buffered
        HttpParser parser(limits);
        qsizetype used = 0;
        QCOMPARE(parser.parse(QByteArrayView("GET /" + QByteArray(20, 'a')), &used),
                 HttpParser::Result::NeedMore);
        QCOMPARE(parser.parse(QByteArrayView(QByteArray(20, 'a')), &used), HttpParser::Result::Error);
        QCOMPARE(parser.errorStatus(), 414);
        // one byte at a time as well
        out = feedWith("GET /" + QByteArray(1000, 'a'), 1, limits);
        QCOMPARE(out.errorStatus, 414);
    }

    void headerBytesLimit()
    {
        HttpLimits limits;
        limits.maxHeaderBytes = 64;
        // "Host: h\r\n" = 9 bytes, "X-Fill: " + n + "\r\n" = 10 + n
        Outcome out =
            feedWith("GET / HTTP/1.1\r\nHost: h\r\nX-Fill: " + QByteArray(45, 'f') + "\r\n\r\n", 1, limits);
        QCOMPARE(out.errorStatus, 0); // 9 + 55 = 64
        out = feedWith("GET / HTTP/1.1\r\nHost: h\r\nX-Fill: " + QByteArray(46, 'f') + "\r\n\r\n", 0, limits);
        QCOMPARE(out.errorStatus, 431);

        // a header line that never ends is refused once it passes the budget
        HttpParser parser(limits);
        qsizetype used = 0;
        QCOMPARE(parser.parse(QByteArrayView("GET / HTTP/1.1\r\nX-Long: " + QByteArray(40, 'x')), &used),
                 HttpParser::Result::NeedMore);
        QCOMPARE(parser.parse(QByteArrayView(QByteArray(40, 'x')), &used), HttpParser::Result::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }

    void headerCountLimit()
    {
        HttpLimits limits;
        limits.maxHeaderCount = 3;
        Outcome out = feedWith("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", 1, limits);
        QCOMPARE(out.errorStatus, 0);
        out = feedWith("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 1, limits);
        QCOMPARE(out.errorStatus, 431);
    }

    void bodyLimitByContentLength()
    {
        HttpLimits limits;
        limits.maxJsonBodyBytes = 10;
        Outcome out =
            feedWith("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", 3, limits);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests[0].body, QByteArray("0123456789"));

        // refused at the end of the head, before any body byte
        HttpParser parser(limits);
        qsizetype used = 0;
        QCOMPARE(
            parser.parse(QByteArrayView("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n"), &used),
            HttpParser::Result::Error);
        QCOMPARE(parser.errorStatus(), 413);

        out = feedWith("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 0,
                       limits);
        QCOMPARE(out.errorStatus, 413);
    }

    void bodyLimitChunked()
    {
        HttpLimits limits;
        limits.maxJsonBodyBytes = 10;
        const QByteArray head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        Outcome out = feedWith(head + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", 1, limits);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests[0].body, QByteArray("0123456789"));

        // checked as the body grows: the second chunk's size line is enough
        HttpParser parser(limits);
        qsizetype used = 0;
        QCOMPARE(parser.parse(head, &used), HttpParser::Result::HeadComplete);
        QCOMPARE(parser.parse(QByteArrayView("6\r\n012345\r\n6\r\n"), &used), HttpParser::Result::Error);
        QCOMPARE(parser.errorStatus(), 413);

        out = feedWith(head + "ffffffffffffffffffffffff\r\n", 0, limits);
        QCOMPARE(out.errorStatus, 413);
    }

    void uploadStreamedToFile_data() { addSteps(); }
    void uploadStreamedToFile()
    {
        QFETCH(int, step);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        HttpLimits limits;
        limits.maxJsonBodyBytes = 10;
        limits.maxUploadBodyBytes = 4096;
        HttpParser parser(limits);
        parser.setUploadDirectory(dir.path());
        QByteArray payload;
        for (int i = 0; i < 3000; ++i)
            payload.append(char('a' + i % 26));
        const Outcome out =
            feed(parser,
                 "POST /files HTTP/1.1\r\nHost: h\r\nContent-Type: Application/Octet-Stream\r\n"
                 "Content-Length: " +
                     QByteArray::number(payload.size()) + "\r\n\r\n" + payload,
                 step == 0 ? 0 : step * 97);
        QCOMPARE(out.errorStatus, 0);
        QCOMPARE(out.requests.size(), 1);
        const HttpRequest &r = out.requests[0];
        QVERIFY(r.body.isEmpty());
        QVERIFY(!r.bodyFilePath.isEmpty());
        QCOMPARE(QFileInfo(r.bodyFilePath).absolutePath(), QDir(dir.path()).absolutePath());
        QFile file(r.bodyFilePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), payload);
        file.close();
        QVERIFY(QFile::remove(r.bodyFilePath)); // the caller's to remove
    }

    void uploadChunkedMultipart()
    {
        QTemporaryDir dir;
        HttpLimits limits;
        limits.maxJsonBodyBytes = 4;
        limits.maxUploadBodyBytes = 64;
        HttpParser parser(limits);
        parser.setUploadDirectory(dir.path());
        const QByteArray head =
            "POST /f HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
            "Transfer-Encoding: chunked\r\n\r\n";
        Outcome out = feed(parser, head + "8\r\n--xyz\r\nA\r\n0\r\n\r\n", 1);
        QCOMPARE(out.errorStatus, 0);
        QFile file(out.requests[0].bodyFilePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("--xyz\r\nA"));
        file.close();
        file.remove();

        // over the upload limit: 413, and the partial file is gone
        out = feed(parser, head + "20\r\n" + QByteArray(32, 'u') + "\r\n21\r\n", 0);
        QCOMPARE(out.errorStatus, 413);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);

        out = feedWith(
            "POST /f HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data\r\nContent-Length: 65\r\n\r\n",
            0, limits);
        QCOMPARE(out.errorStatus, 413);
    }

    void abandonedUploadRemoved()
    {
        QTemporaryDir dir;
        {
            HttpParser parser;
            parser.setUploadDirectory(dir.path());
            qsizetype used = 0;
            QCOMPARE(parser.parse(
                         QByteArrayView("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/octet-stream"
                                        "\r\nContent-Length: 100\r\n\r\nhalf"),
                         &used),
                     HttpParser::Result::HeadComplete);
            QCOMPARE(parser.parse(QByteArrayView("half"), &used), HttpParser::Result::NeedMore);
        }
        // (on Linux the file may still be unnamed, O_TMPFILE, until complete)
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
