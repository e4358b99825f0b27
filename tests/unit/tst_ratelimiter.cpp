// RateLimiter: the $rateLimit contract (sliding window; allowed, remaining,
// resetAt, retryAfter), option validation, key templates, bounded memory and
// exact counting under concurrent checks. Time is injected: no sleeps.
#include "cache/ratelimiter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <functional>
#include <limits>
#include <stdexcept>
#include <thread>

using namespace Hearth;

namespace {

constexpr qint64 UnixBaseMs = 1'700'000'000'000; // a whole second
constexpr qint64 UnixBase = UnixBaseMs / 1000;

QString invalidMessage(const std::function<void()> &call)
{
    try {
        call();
    } catch (const std::invalid_argument &e) {
        return QString::fromUtf8(e.what());
    }
    return QStringLiteral("(no std::invalid_argument)");
}

} // namespace

class TestRateLimiter : public QObject
{
    Q_OBJECT

private:
    qint64 m_steady = 0;
    qint64 m_unixOffset = UnixBaseMs; // the wall clock = m_unixOffset + m_steady

    RateLimiter::Clock clock()
    {
        return [this] {
            return RateLimiter::Instant{m_steady, m_unixOffset + m_steady};
        };
    }
    void advance(qint64 ms) { m_steady += ms; }

private slots:
    void init()
    {
        m_steady = 5'000'000; // the monotonic clock has its own origin
        m_unixOffset = UnixBaseMs - m_steady;
    }

    void allowsUntilTheLimitThenRefuses()
    {
        RateLimiter limiter(clock());
        const QString key = QStringLiteral("ip:10.0.0.1:/auth/login");
        for (int i = 1; i <= 5; ++i) {
            const RateLimiter::Result r = limiter.check(key, 5, 60);
            QVERIFY(r.allowed);
            QCOMPARE(r.remaining, 5 - i);
            QCOMPARE(r.retryAfter, 0);
            QCOMPARE(r.resetAt, UnixBase + 60); // the first request leaves the window then
            QCOMPARE(r.limit, 5);
            QCOMPARE(r.window, 60);
        }
        advance(20'000);
        const RateLimiter::Result refused = limiter.check(key, 5, 60);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.remaining, 0);
        QCOMPARE(refused.retryAfter, 40);
        QCOMPARE(refused.resetAt, UnixBase + 60);
        QCOMPARE(refused.limit, 5);
        QCOMPARE(refused.window, 60);
        // Refused requests are not counted: they do not push the window out.
        for (int i = 0; i < 10; ++i)
            QVERIFY(!limiter.check(key, 5, 60).allowed);
        QCOMPARE(limiter.stats().timestamps, 5);
        advance(40'000);
        QVERIFY(limiter.check(key, 5, 60).allowed);
    }

    void windowSlidesOneRequestAtATime()
    {
        RateLimiter limiter(clock());
        const QString key = QStringLiteral("k");
        // Requests at 0 s, 3 s, 6 s in a 10-second window of 3.
        for (int i = 0; i < 3; ++i) {
            QVERIFY(limiter.check(key, 3, 10).allowed);
            advance(3000);
        }
        // Now 9 s.
        RateLimiter::Result r = limiter.check(key, 3, 10);
        QVERIFY(!r.allowed);
        QCOMPARE(r.retryAfter, 1);
        QCOMPARE(r.resetAt, UnixBase + 10);
        advance(999); // 9.999 s: rounded up, never early
        r = limiter.check(key, 3, 10);
        QVERIFY(!r.allowed);
        QCOMPARE(r.retryAfter, 1);
        advance(1); // 10 s: the 0 s request has left
        r = limiter.check(key, 3, 10);
        QVERIFY(r.allowed);
        QCOMPARE(r.remaining, 0);
        QCOMPARE(r.resetAt, UnixBase + 13); // next to leave: the 3 s request
        advance(1);                         // 10.001 s
        r = limiter.check(key, 3, 10);
        QVERIFY(!r.allowed);
        QCOMPARE(r.retryAfter, 3); // 2.999 s rounded up
        QCOMPARE(r.resetAt, UnixBase + 13);
        advance(2999); // 13 s: only one more slot, the 6 s request still holds one
        QVERIFY(limiter.check(key, 3, 10).allowed);
        r = limiter.check(key, 3, 10);
        QVERIFY(!r.allowed);
        QCOMPARE(r.resetAt, UnixBase + 16);
        QCOMPARE(r.retryAfter, 3);
        advance(10'000); // 23 s: the window has emptied
        r = limiter.status(key, 3, 10);
        QVERIFY(r.allowed);
        QCOMPARE(r.remaining, 3);
    }

    void resetAtRoundsUp()
    {
        m_unixOffset += 400; // the wall clock reads x.400 s
        RateLimiter limiter(clock());
        RateLimiter::Result r = limiter.check(QStringLiteral("k"), 1, 10);
        QCOMPARE(r.resetAt, UnixBase + 11); // x + 10.4 s, rounded up
        advance(9'500);
        r = limiter.check(QStringLiteral("k"), 1, 10);
        QVERIFY(!r.allowed);
        QCOMPARE(r.retryAfter, 1); // 0.5 s rounded up
        QCOMPARE(r.resetAt, UnixBase + 11);
    }

    void statusDoesNotCount()
    {
        RateLimiter limiter(clock());
        const QString key = QStringLiteral("ip:1.2.3.4:/api/expensive");
        for (int i = 0; i < 10; ++i) {
            const RateLimiter::Result r = limiter.status(key, 2, 3600);
            QVERIFY(r.allowed);
            QCOMPARE(r.remaining, 2);
            QCOMPARE(r.retryAfter, 0);
            QCOMPARE(r.resetAt, UnixBase + 3600); // empty window: as if counted now
            QCOMPARE(r.limit, 2);
            QCOMPARE(r.window, 3600);
        }
        QCOMPARE(limiter.stats().keys, 0); // status creates nothing
        QCOMPARE(limiter.check(key, 2, 3600).remaining, 1);
        advance(1000);
        RateLimiter::Result r = limiter.status(key, 2, 3600);
        QVERIFY(r.allowed);
        QCOMPARE(r.remaining, 1); // what check reported
        QCOMPARE(r.resetAt, UnixBase + 3600);
        QCOMPARE(limiter.check(key, 2, 3600).remaining, 0);
        r = limiter.status(key, 2, 3600);
        QVERIFY(!r.allowed);
        QCOMPARE(r.remaining, 0);
        QCOMPARE(r.retryAfter, 3599);
        QCOMPARE(r.resetAt, UnixBase + 3600);
        QCOMPARE(limiter.stats().timestamps, 2);
    }

    void resetClearsTheKey()
    {
        RateLimiter limiter(clock());
        const QString key = QStringLiteral("ip:1.2.3.4:/auth/forgot-password");
        QVERIFY(limiter.check(key, 1, 60).allowed);
        QVERIFY(!limiter.check(key, 1, 60).allowed);
        QVERIFY(limiter.reset(key));
        const RateLimiter::Result r = limiter.check(key, 1, 60);
        QVERIFY(r.allowed);
        QCOMPARE(r.remaining, 0);
        QVERIFY(limiter.reset(key));
        QVERIFY(!limiter.reset(key));
        QVERIFY(!limiter.reset(QStringLiteral("never-seen")));
        QCOMPARE(limiter.stats().keys, 0);
        QCOMPARE(limiter.stats().timestamps, 0);
    }

    void keysAreIndependent()
    {
        RateLimiter limiter(clock());
        const QString a = RateLimiter::keyByIp(QStringLiteral("10.0.0.1"), QStringLiteral("/posts"));
        const QString b = RateLimiter::keyByIp(QStringLiteral("10.0.0.2"), QStringLiteral("/posts"));
        const QString c = RateLimiter::keyByIpGlobal(QStringLiteral("10.0.0.1"));
        QVERIFY(limiter.check(a, 1, 60).allowed);
        QVERIFY(!limiter.check(a, 1, 60).allowed);
        QVERIFY(limiter.check(b, 1, 60).allowed);
        QVERIFY(limiter.check(c, 1, 60).allowed);
        QVERIFY(limiter.reset(b));
        QVERIFY(!limiter.check(a, 1, 60).allowed);
        QCOMPARE(limiter.stats().keys, 2);
    }

    void smallerLimitTrimsTheLog()
    {
        RateLimiter limiter(clock());
        for (int i = 0; i < 5; ++i) {
            QVERIFY(limiter.check(QStringLiteral("k"), 5, 10).allowed);
            advance(1000);
        }
        // Now 5 s, requests at 0..4 s. With a limit of 2 the 3 s request is the
        // one whose departure lets a request in (at 13 s).
        const RateLimiter::Result r = limiter.check(QStringLiteral("k"), 2, 10);
        QVERIFY(!r.allowed);
        QCOMPARE(r.retryAfter, 8);
        QCOMPARE(r.resetAt, UnixBase + 13);
        QCOMPARE(limiter.stats().timestamps, 2);
        advance(8000);
        QVERIFY(limiter.check(QStringLiteral("k"), 2, 10).allowed);
    }

    void validation_data()
    {
        QTest::addColumn<int>("maxRequests");
        QTest::addColumn<int>("perSeconds");
        QTest::addColumn<QString>("message");
        QTest::newRow("max 0") << 0 << 60 << "maxRequests must be an integer from 1 to 100000 (got 0)";
        QTest::newRow("max negative")
            << -3 << 60 << "maxRequests must be an integer from 1 to 100000 (got -3)";
        QTest::newRow("max too big") << 100001 << 60 << "maxRequests must be an integer from 1 to 100000";
        QTest::newRow("per 0") << 10 << 0 << "perSeconds must be an integer from 1 to 31622400 (got 0)";
        QTest::newRow("per too big") << 10 << 31622401 << "perSeconds must be an integer from 1 to 31622400";
    }

    void validation()
    {
        QFETCH(int, maxRequests);
        QFETCH(int, perSeconds);
        QFETCH(QString, message);
        RateLimiter limiter(clock());
        QString text = invalidMessage([&] { limiter.check(QStringLiteral("k"), maxRequests, perSeconds); });
        QVERIFY2(text.contains(message), qPrintable(text));
        text = invalidMessage([&] { limiter.status(QStringLiteral("k"), maxRequests, perSeconds); });
        QVERIFY2(text.contains(message), qPrintable(text));
        QCOMPARE(limiter.stats().keys, 0);
    }

    void validationOfKeysAndLimits()
    {
        RateLimiter limiter(clock());
        QVERIFY(invalidMessage([&] {
                    limiter.check(QString(), 1, 1);
                }).contains(QStringLiteral("must not be empty")));
        const QString longKey(RateLimiter::MaxKeyLength + 1, QLatin1Char('k'));
        QVERIFY(invalidMessage([&] {
                    limiter.check(longKey, 1, 1);
                }).contains(QStringLiteral("the limit is 1024")));
        QVERIFY(
            limiter.check(QString(RateLimiter::MaxKeyLength, QLatin1Char('k')), 100000, 31622400).allowed);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RateLimiter(clock(), 0));
    }

    void parseScriptOptions_data()
    {
        QTest::addColumn<QJsonValue>("options");
        QTest::addColumn<QString>("message"); // empty: accepted
        QTest::newRow("ok") << QJsonValue(QJsonObject{{"maxRequests", 100}, {"perSeconds", 60}}) << QString();
        QTest::newRow("ok as doubles")
            << QJsonValue(QJsonObject{{"maxRequests", 5.0}, {"perSeconds", 3600.0}}) << QString();
        QTest::newRow("extra fields ignored")
            << QJsonValue(QJsonObject{{"maxRequests", 1}, {"perSeconds", 1}, {"x", true}}) << QString();
        QTest::newRow("not an object") << QJsonValue(100) << "options must be an object";
        QTest::newRow("null") << QJsonValue() << "options must be an object";
        QTest::newRow("array") << QJsonValue(QJsonArray{100, 60}) << "options must be an object";
        QTest::newRow("missing max") << QJsonValue(QJsonObject{{"perSeconds", 60}})
                                     << "maxRequests is required";
        QTest::newRow("missing per") << QJsonValue(QJsonObject{{"maxRequests", 6}})
                                     << "perSeconds is required";
        QTest::newRow("null max") << QJsonValue(
                                         QJsonObject{{"maxRequests", QJsonValue()}, {"perSeconds", 60}})
                                  << "maxRequests is required";
        QTest::newRow("string") << QJsonValue(QJsonObject{{"maxRequests", "100"}, {"perSeconds", 60}})
                                << "maxRequests must be a number (got a string)";
        QTest::newRow("boolean") << QJsonValue(QJsonObject{{"maxRequests", 5}, {"perSeconds", true}})
                                 << "perSeconds must be a number (got a boolean)";
        QTest::newRow("fraction") << QJsonValue(QJsonObject{{"maxRequests", 1.5}, {"perSeconds", 60}})
                                  << "maxRequests must be an integer from 1 to 100000 (got 1.5)";
        QTest::newRow("zero") << QJsonValue(QJsonObject{{"maxRequests", 5}, {"perSeconds", 0}})
                              << "perSeconds must be an integer from 1 to 31622400 (got 0)";
        QTest::newRow("huge") << QJsonValue(QJsonObject{{"maxRequests", 1e12}, {"perSeconds", 60}})
                              << "maxRequests must be an integer from 1 to 100000 (got 1e+12)";
        QTest::newRow("infinite") << QJsonValue(
                                         QJsonObject{{"maxRequests", std::numeric_limits<double>::infinity()},
                                                     {"perSeconds", 60}})
                                  << "maxRequests must be";
    }

    void parseScriptOptions()
    {
        QFETCH(QJsonValue, options);
        QFETCH(QString, message);
        if (message.isEmpty()) {
            const RateLimiter::Options parsed = RateLimiter::parseOptions(options);
            QCOMPARE(parsed.maxRequests, options[QStringLiteral("maxRequests")].toInt());
            QCOMPARE(parsed.perSeconds, options[QStringLiteral("perSeconds")].toInt());
        } else {
            const QString text = invalidMessage([&] { RateLimiter::parseOptions(options); });
            QVERIFY2(text.contains(message), qPrintable(text));
        }
    }

    void keyTemplates()
    {
        QCOMPARE(RateLimiter::keyByIp(QStringLiteral("10.0.0.1"), QStringLiteral("/auth/login")),
                 QStringLiteral("ip:10.0.0.1:/auth/login"));
        QCOMPARE(RateLimiter::keyByUser(QStringLiteral("42"), QStringLiteral("/posts")),
                 QStringLiteral("user:42:/posts"));
        QCOMPARE(RateLimiter::keyByRoute(QStringLiteral("/posts")), QStringLiteral("route:/posts"));
        QCOMPARE(RateLimiter::keyByIpGlobal(QStringLiteral("10.0.0.1")), QStringLiteral("ip:10.0.0.1"));
        QCOMPARE(RateLimiter::keyByUserGlobal(QStringLiteral("42")), QStringLiteral("user:42"));
        // One client, one key, however its address was spelled.
        QCOMPARE(RateLimiter::keyByIpGlobal(QStringLiteral("::ffff:10.0.0.1")),
                 QStringLiteral("ip:10.0.0.1"));
        QCOMPARE(RateLimiter::keyByIpGlobal(QStringLiteral(" ::FFFF:10.0.0.1 ")),
                 QStringLiteral("ip:10.0.0.1"));
        QCOMPARE(RateLimiter::keyByIp(QStringLiteral("FE80::1"), QStringLiteral("/x")),
                 QStringLiteral("ip:fe80::1:/x"));
        QCOMPARE(RateLimiter::normalizedIp(QStringLiteral("::ffff:abcd")), QStringLiteral("::ffff:abcd"));
        // Ids: numbers without a fraction, whatever JSON produced them.
        QCOMPARE(RateLimiter::idText(7), QStringLiteral("7"));
        QCOMPARE(RateLimiter::idText(7.0), QStringLiteral("7"));
        QCOMPARE(RateLimiter::idText(QStringLiteral("7")), QStringLiteral("7"));
        QCOMPARE(RateLimiter::idText(QStringLiteral("a1b2-uuid")), QStringLiteral("a1b2-uuid"));
        QCOMPARE(RateLimiter::idText(1.5), QStringLiteral("1.5"));
        QCOMPARE(RateLimiter::idText(QJsonValue()), QString());
        QCOMPARE(RateLimiter::idText(QJsonValue(QJsonValue::Undefined)), QString());
        QCOMPARE(RateLimiter::keyByUserGlobal(RateLimiter::idText(12.0)), QStringLiteral("user:12"));
    }

    void resultAsJson()
    {
        RateLimiter limiter(clock());
        const QJsonObject json = limiter.check(QStringLiteral("k"), 100, 60).toJson();
        QCOMPARE(json, (QJsonObject{{"allowed", true},
                                    {"remaining", 99},
                                    {"resetAt", double(UnixBase + 60)},
                                    {"retryAfter", 0},
                                    {"limit", 100},
                                    {"window", 60}}));
    }

    void sweepDropsEmptyWindows()
    {
        RateLimiter limiter(clock());
        for (int i = 0; i < 100; ++i)
            QVERIFY(limiter.check(QStringLiteral("k%1").arg(i), 10, 10).allowed);
        QVERIFY(limiter.check(QStringLiteral("long"), 10, 60).allowed);
        advance(5000);
        for (int i = 0; i < 50; ++i)
            QVERIFY(limiter.check(QStringLiteral("k%1").arg(i), 10, 10).allowed);
        QCOMPARE(limiter.sweep(), 0);
        QCOMPARE(limiter.stats().keys, 101);
        QCOMPARE(limiter.stats().timestamps, 151);
        advance(5000); // 10 s: the 0 s requests leave
        QCOMPARE(limiter.sweep(), 50);
        QCOMPARE(limiter.stats().keys, 51);
        QCOMPARE(limiter.stats().timestamps, 51);
        advance(5000); // each key sweeps with its own window
        QCOMPARE(limiter.sweep(), 50);
        QCOMPARE(limiter.stats().keys, 1);
        advance(45'000);
        QCOMPARE(limiter.sweep(), 1);
        const RateLimiter::Stats stats = limiter.stats();
        QCOMPARE(stats.keys, 0);
        QCOMPARE(stats.timestamps, 0);
        QCOMPARE(stats.evictedKeys, 0u);
    }

    void memoryIsBounded()
    {
        {
            // Beyond maxKeys, the least recently checked key is forgotten.
            RateLimiter limiter(clock(), 3);
            for (const char *key : {"a", "b", "c"})
                QVERIFY(limiter.check(QString::fromLatin1(key), 1, 60).allowed);
            QVERIFY(!limiter.check(QStringLiteral("a"), 1, 60).allowed); // a is now the most recent
            QVERIFY(limiter.check(QStringLiteral("d"), 1, 60).allowed);
            QCOMPARE(limiter.stats().keys, 3);
            QCOMPARE(limiter.stats().evictedKeys, 1u);
            QVERIFY(!limiter.check(QStringLiteral("a"), 1, 60).allowed);
            QVERIFY(!limiter.check(QStringLiteral("c"), 1, 60).allowed);
            QVERIFY(limiter.check(QStringLiteral("b"), 1, 60).allowed); // forgotten, so counted afresh
        }
        {
            // Beyond maxTimestamps in all, too.
            RateLimiter limiter(clock(), 100, 10);
            for (int i = 0; i < 6; ++i)
                QVERIFY(limiter.check(QStringLiteral("x"), 100, 60).allowed);
            for (int i = 0; i < 5; ++i)
                QVERIFY(limiter.check(QStringLiteral("y"), 100, 60).allowed);
            RateLimiter::Stats stats = limiter.stats();
            QCOMPARE(stats.keys, 1);
            QCOMPARE(stats.timestamps, 5);
            QCOMPARE(stats.evictedKeys, 1u);
            // A single key never evicts itself.
            for (int i = 0; i < 20; ++i)
                QVERIFY(limiter.check(QStringLiteral("y"), 100, 60).allowed);
            stats = limiter.stats();
            QCOMPARE(stats.keys, 1);
            QCOMPARE(stats.timestamps, 25);
        }
        {
            // A long-lived busy key keeps a log no longer than its limit.
            RateLimiter limiter(clock());
            for (int i = 0; i < 20000; ++i) {
                limiter.check(QStringLiteral("busy"), 100, 1);
                advance(3);
            }
            QVERIFY(limiter.stats().timestamps <= 100);
        }
    }

    // Eight threads share one key and its limit: exactly the limit is allowed.
    void concurrentChecksCountExactly()
    {
        constexpr int Threads = 8;
        constexpr int Checks = 500;
        RateLimiter limiter;
        std::atomic<int> allowed{0};
        std::atomic<int> remainingZeroSeen{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < Checks; ++i) {
                    const RateLimiter::Result r = limiter.check(QStringLiteral("shared"), 1000, 3600);
                    if (r.allowed)
                        ++allowed;
                    if (r.allowed && r.remaining == 0)
                        ++remainingZeroSeen;
                    limiter.check(QStringLiteral("own:%1").arg(t), 10, 1);
                    if (i % 100 == 0)
                        limiter.sweep();
                    limiter.status(QStringLiteral("shared"), 1000, 3600);
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(allowed.load(), 1000);
        QCOMPARE(remainingZeroSeen.load(), 1);
        const RateLimiter::Result r = limiter.status(QStringLiteral("shared"), 1000, 3600);
        QVERIFY(!r.allowed);
        QVERIFY(r.retryAfter >= 3599 && r.retryAfter <= 3600);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
