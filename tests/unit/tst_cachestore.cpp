// CacheStore: the $ctx.$cache contract (get/set/TTL/locks), the LRU budget over
// user keys, stats, glob scans with stable cursors, and a multi-threaded run.
// Time is injected, so expiry needs no sleeps.
#include "cache/cachestore.h"
#include "cache/globpattern.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>

using namespace Hearth;

namespace {

// Entries in the LRU tests: 2-byte keys ("k0".."k9"), 34-byte values (a
// 32-character string with its quotes) and the fixed overhead: 100 bytes each.
const QString Value32 = QString(32, QLatin1Char('v'));
constexpr qint64 EntryBytes = 2 + 34 + CacheStore::EntryOverheadBytes;

QString k(int i)
{
    return QStringLiteral("k%1").arg(i);
}

QSet<QString> scanAll(CacheStore &store, const QString &pattern, int count = 1000)
{
    QSet<QString> keys;
    quint64 cursor = 0;
    do {
        const CacheStore::ScanPage page = store.scan(pattern, cursor, count);
        for (const CacheStore::KeyInfo &info : page.keys)
            keys.insert(info.key);
        cursor = page.nextCursor;
    } while (cursor != 0);
    return keys;
}

} // namespace

class TestCacheStore : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = 1'000'000;
    CacheStore::Clock clock()
    {
        return [this] {
            return m_now;
        };
    }

private slots:
    void init() { m_now = 1'000'000; }

    void getAndSetEveryJsonType()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        const QJsonObject object{{"name", "Ada"}, {"tags", QJsonArray{1, 2}}};
        const QList<QJsonValue> values{QJsonValue(),       true,  42, 1.5, QStringLiteral("text"),
                                       QJsonArray{1, "a"}, object};
        for (int i = 0; i < values.size(); ++i)
            QVERIFY(store.setNoExpire(k(i), values[i]));
        for (int i = 0; i < values.size(); ++i) {
            const std::optional<QJsonValue> got = store.get(k(i));
            QVERIFY(got.has_value());
            QCOMPARE(*got, values[i]);
        }
        QVERIFY(!store.get(QStringLiteral("missing")).has_value());
        // A stored null is present; undefined is stored as null.
        QVERIFY(store.setNoExpire(QStringLiteral("u"), QJsonValue(QJsonValue::Undefined)));
        QCOMPARE(*store.get(QStringLiteral("u")), QJsonValue());
        // Overwrite replaces the value and its accounted size.
        QVERIFY(store.setNoExpire(k(0), QStringLiteral("longer value")));
        QCOMPARE(*store.get(k(0)), QJsonValue(QStringLiteral("longer value")));
        QCOMPARE(store.entry(k(0))->bytes, 2 + 14 + CacheStore::EntryOverheadBytes);
    }

    void ttlAndExpiry()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        QVERIFY(store.set(QStringLiteral("a"), 1, 1000));
        QCOMPARE(store.ttl(QStringLiteral("a")), std::optional<qint64>(1000));
        m_now += 999;
        QCOMPARE(store.ttl(QStringLiteral("a")), std::optional<qint64>(1));
        QCOMPARE(*store.get(QStringLiteral("a")), QJsonValue(1));
        m_now += 1; // expires exactly at set time + ttl
        QVERIFY(!store.get(QStringLiteral("a")).has_value());
        QVERIFY(!store.ttl(QStringLiteral("a")).has_value());
        QVERIFY(!store.exists(QStringLiteral("a")));
        QCOMPARE(store.stats().expirations, 1u);
        QCOMPARE(store.stats().userKeys, 0);
        QCOMPARE(store.stats().usedBytes, 0);

        // A set over a live key restarts its TTL.
        QVERIFY(store.set(QStringLiteral("b"), 1, 100));
        m_now += 90;
        QVERIFY(store.set(QStringLiteral("b"), 2, 100));
        m_now += 90;
        QCOMPARE(*store.get(QStringLiteral("b")), QJsonValue(2));
    }

    void setNoExpireAndSetTtl()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        QVERIFY(store.setNoExpire(QStringLiteral("p"), QStringLiteral("forever")));
        QCOMPARE(store.ttl(QStringLiteral("p")), std::optional<qint64>(CacheStore::NoExpiry));
        m_now += 10LL * 365 * 24 * 3600 * 1000;
        QVERIFY(store.get(QStringLiteral("p")).has_value());

        // setNoExpire over a key with a TTL removes the TTL; set adds one back.
        QVERIFY(store.set(QStringLiteral("t"), 1, 50));
        QVERIFY(store.setNoExpire(QStringLiteral("t"), 2));
        m_now += 100;
        QCOMPARE(store.ttl(QStringLiteral("t")), std::optional<qint64>(CacheStore::NoExpiry));
        QVERIFY(store.set(QStringLiteral("t"), 3, 50));
        QCOMPARE(store.ttl(QStringLiteral("t")), std::optional<qint64>(50));

        // setTtl: a new TTL from now, or none.
        QVERIFY(store.setTtl(QStringLiteral("p"), 500));
        QCOMPARE(store.ttl(QStringLiteral("p")), std::optional<qint64>(500));
        QVERIFY(store.setTtl(QStringLiteral("t"), std::nullopt));
        QCOMPARE(store.ttl(QStringLiteral("t")), std::optional<qint64>(CacheStore::NoExpiry));
        m_now += 500;
        QVERIFY(!store.exists(QStringLiteral("p")));
        QVERIFY(store.exists(QStringLiteral("t")));
        QVERIFY(!store.setTtl(QStringLiteral("p"), 10)); // expired: absent
        QVERIFY(!store.setTtl(QStringLiteral("missing"), 10));
    }

    void deleteKey()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        QVERIFY(store.setNoExpire(QStringLiteral("a"), 1));
        QVERIFY(store.deleteKey(QStringLiteral("a")));
        QVERIFY(!store.deleteKey(QStringLiteral("a")));
        QVERIFY(!store.get(QStringLiteral("a")).has_value());
        QVERIFY(store.set(QStringLiteral("b"), 1, 10));
        m_now += 10;
        QVERIFY(!store.deleteKey(QStringLiteral("b"))); // expired counts as absent
        const CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.deletes, 1u);
        QCOMPARE(stats.expirations, 1u);
        QCOMPARE(stats.userKeys, 0);
    }

    void existsWithAndWithoutValue()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        QVERIFY(store.setNoExpire(QStringLiteral("n"), 1));
        QVERIFY(store.setNoExpire(QStringLiteral("o"), QJsonObject{{"a", 1}, {"b", "x"}}));
        QVERIFY(store.setNoExpire(QStringLiteral("s"), QStringLiteral("user-456")));
        QVERIFY(store.exists(QStringLiteral("n")));
        QVERIFY(!store.exists(QStringLiteral("missing")));
        QVERIFY(!store.exists(QStringLiteral("missing"), 1));
        QVERIFY(store.exists(QStringLiteral("n"), 1.0)); // JSON numbers: 1 == 1.0
        QVERIFY(!store.exists(QStringLiteral("n"), 2));
        QVERIFY(!store.exists(QStringLiteral("n"), QStringLiteral("1"))); // types differ
        QVERIFY(store.exists(QStringLiteral("o"), QJsonObject{{"b", "x"}, {"a", 1}}));
        QVERIFY(!store.exists(QStringLiteral("o"), QJsonObject{{"a", 1}}));
        QVERIFY(store.exists(QStringLiteral("s"), QStringLiteral("user-456")));
        QVERIFY(!store.exists(QStringLiteral("s"), QStringLiteral("user-457")));
        // No value given (undefined): any value.
        QVERIFY(store.exists(QStringLiteral("s"), QJsonValue(QJsonValue::Undefined)));
        QVERIFY(store.set(QStringLiteral("e"), true, 5));
        m_now += 5;
        QVERIFY(!store.exists(QStringLiteral("e"), true));
        QCOMPARE(store.stats().hits + store.stats().misses, 0u); // exists is not a get
    }

    void acquireAndRelease()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        const QString lock = QStringLiteral("user-lock:123");
        QVERIFY(store.acquire(lock, QStringLiteral("user-456"), 10000));
        QVERIFY(!store.acquire(lock, QStringLiteral("user-789"), 10000));
        QVERIFY(!store.acquire(lock, QStringLiteral("user-456"), 10000)); // not reentrant
        QVERIFY(store.exists(lock, QStringLiteral("user-456")));
        QVERIFY(!store.exists(lock, QStringLiteral("user-789")));
        QCOMPARE(*store.get(lock), QJsonValue(QStringLiteral("user-456")));
        QCOMPARE(store.ttl(lock), std::optional<qint64>(10000));

        QVERIFY(!store.release(lock, QStringLiteral("user-789"))); // not the holder
        QVERIFY(store.exists(lock));
        QVERIFY(store.release(lock, QStringLiteral("user-456")));
        QVERIFY(!store.exists(lock));
        QVERIFY(!store.release(lock, QStringLiteral("user-456"))); // already released
        QVERIFY(store.acquire(lock, QStringLiteral("user-789"), 10000));

        // A lock whose holder vanished frees itself at its TTL.
        m_now += 9999;
        QVERIFY(!store.acquire(lock, QStringLiteral("user-1"), 100));
        m_now += 1;
        QVERIFY(store.acquire(lock, QStringLiteral("user-1"), 100));
        QVERIFY(!store.release(lock, QStringLiteral("user-789"))); // the old holder's lock is gone

        // acquire is SET NX: a live user key blocks it; an expired one does not.
        QVERIFY(store.setNoExpire(QStringLiteral("plain"), 1));
        QVERIFY(!store.acquire(QStringLiteral("plain"), 2, 100));
        QVERIFY(store.set(QStringLiteral("short"), 1, 10));
        m_now += 10;
        QVERIFY(store.acquire(QStringLiteral("short"), 2, 100));
        QCOMPARE(store.entry(QStringLiteral("short"))->kind, CacheStore::Kind::System);

        // release is compare-and-delete on any key; set turns a lock into a user key.
        QVERIFY(store.release(QStringLiteral("plain"), 1));
        QVERIFY(store.setNoExpire(lock, QStringLiteral("plain now")));
        QCOMPARE(store.entry(lock)->kind, CacheStore::Kind::User);
        const CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.systemKeys, 1);
        QCOMPARE(stats.userKeys, 1);
    }

    void argumentErrors()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.set(QStringLiteral("a"), 1, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.set(QStringLiteral("a"), 1, -5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 store.set(QStringLiteral("a"), 1, CacheStore::MaxTtlMs + 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.acquire(QStringLiteral("a"), 1, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.setTtl(QStringLiteral("a"), 0));
        const QString longKey(CacheStore::MaxKeyBytes + 1, QLatin1Char('x'));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.setNoExpire(longKey, 1));
        QVERIFY(!store.get(longKey).has_value()); // reads never throw: such a key cannot exist
        QVERIFY(store.setNoExpire(QString(CacheStore::MaxKeyBytes, QLatin1Char('x')), 1));
        const QString bigLockValue(CacheStore::MaxLockValueBytes, QLatin1Char('v')); // + 2 quotes
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 store.acquire(QStringLiteral("l"), bigLockValue, 100));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.setMaxBytes(-1));
        try {
            store.set(QStringLiteral("a"), 1, 0);
        } catch (const std::invalid_argument &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("TTL")), e.what());
        }
        QCOMPARE(store.stats().sets, 1u);
    }

    void lruEvictsLeastRecentlyUsedUserKeys()
    {
        CacheStore store(10 * EntryBytes, clock());
        for (int i = 0; i < 10; ++i)
            QCOMPARE(store.setNoExpire(k(i), Value32).bytes, EntryBytes);
        QCOMPARE(store.stats().usedBytes, 10 * EntryBytes); // exactly at the budget: nothing evicted
        QCOMPARE(store.stats().evictions, 0u);

        QVERIFY(store.get(k(0)).has_value());                              // read: most recent
        QVERIFY(store.exists(k(1)));                                       // checked: most recent
        QVERIFY(store.setNoExpire(k(2), Value32));                         // rewritten: most recent
        QVERIFY(store.entry(k(3)).has_value());                            // viewed in the console: no effect
        QVERIFY(store.scan(QStringLiteral("*"), 0, 10).keys.size() == 10); // nor a scan

        QVERIFY(store.setNoExpire(QStringLiteral("n1"), Value32));
        QVERIFY(!store.entry(k(3)).has_value()); // the least recently used
        QVERIFY(store.setNoExpire(QStringLiteral("n2"), Value32));
        QVERIFY(!store.entry(k(4)).has_value());
        for (int i : {0, 1, 2, 5, 6, 7, 8, 9})
            QVERIFY2(store.entry(k(i)).has_value(), qPrintable(k(i)));

        // A bigger value evicts as many as it needs, oldest first.
        QVERIFY(store.setNoExpire(QStringLiteral("n3"), QString(32 + 2 * EntryBytes, QLatin1Char('v'))));
        for (int i : {5, 6, 7})
            QVERIFY(!store.entry(k(i)).has_value());
        QVERIFY(store.entry(k(8)).has_value());
        const CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.evictions, 5u);
        QVERIFY(stats.usedBytes <= stats.maxBytes);
    }

    void expiredKeysGoBeforeLiveOnes()
    {
        CacheStore store(10 * EntryBytes, clock());
        for (int i = 0; i < 9; ++i)
            QVERIFY(store.setNoExpire(k(i), Value32));
        QVERIFY(store.set(k(9), Value32, 100)); // the most recently used, but soon expired
        m_now += 100;
        QVERIFY(store.setNoExpire(QStringLiteral("kn"), Value32));
        const CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.evictions, 0u);
        QCOMPARE(stats.expirations, 1u);
        QCOMPARE(stats.userKeys, 10);
    }

    void locksAreNeverEvictedNorCounted()
    {
        CacheStore store(10 * EntryBytes, clock());
        QVERIFY(store.acquire(QStringLiteral("lock"), QStringLiteral("owner"), 60000));
        QVERIFY(store.setNoExpire(QStringLiteral("pin"), QString(10 * EntryBytes - 100, QLatin1Char('p'))));
        for (int i = 0; i < 100; ++i)
            QVERIFY(store.setNoExpire(k(i % 10), Value32));
        QVERIFY(store.exists(QStringLiteral("lock"), QStringLiteral("owner")));
        QVERIFY(!store.exists(QStringLiteral("pin")));
        const CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.systemKeys, 1);
        QCOMPARE(stats.systemBytes, 4 + 7 + CacheStore::EntryOverheadBytes);
        QCOMPARE(stats.usedBytes, 10 * EntryBytes); // the lock is not in it
        QCOMPARE(stats.userKeys, 10);
        // Shrinking the budget to nothing evicts every user key, never the lock.
        QCOMPARE(store.setMaxBytes(0), 10);
        QVERIFY(store.release(QStringLiteral("lock"), QStringLiteral("owner")));
    }

    void oversizedValueIsRefused()
    {
        CacheStore store(10 * EntryBytes, clock());
        for (int i = 0; i < 10; ++i)
            QVERIFY(store.setNoExpire(k(i), Value32));
        const QString huge(10 * EntryBytes, QLatin1Char('h'));
        const CacheStore::WriteResult refused = store.set(k(0), huge, 1000);
        QVERIFY(!refused);
        QVERIFY(!refused.stored);
        QVERIFY2(refused.error.contains(QStringLiteral("budget")), qPrintable(refused.error));
        QVERIFY2(refused.error.contains(QStringLiteral("\"k0\"")), qPrintable(refused.error));
        QCOMPARE(refused.bytes, 2 + qint64(huge.size()) + 2 + CacheStore::EntryOverheadBytes);
        // Nothing was evicted and the old value stays.
        QCOMPARE(*store.get(k(0)), QJsonValue(Value32));
        CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.userKeys, 10);
        QCOMPARE(stats.evictions, 0u);
        QCOMPARE(stats.rejected, 1u);
        QCOMPARE(stats.sets, 10u);
        // An entry exactly the size of the budget fits (alone).
        QVERIFY(
            store.setNoExpire(QStringLiteral("x"), QString(10 * EntryBytes - 1 - 2 - 64, QLatin1Char('x'))));
        stats = store.stats();
        QCOMPARE(stats.userKeys, 1);
        QCOMPARE(stats.usedBytes, 10 * EntryBytes);
    }

    void budgetChangeEvictsDownToIt()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        QCOMPARE(store.maxBytes(), 30 * 1024 * 1024);
        for (int i = 0; i < 10; ++i)
            QVERIFY(store.setNoExpire(k(i), Value32));
        QVERIFY(store.get(k(0)).has_value());
        QCOMPARE(store.setMaxBytes(5 * EntryBytes), 5);
        QCOMPARE(store.maxBytes(), 5 * EntryBytes);
        QVERIFY(store.entry(k(0)).has_value());
        for (int i = 1; i <= 5; ++i)
            QVERIFY(!store.entry(k(i)).has_value());
        for (int i = 6; i < 10; ++i)
            QVERIFY(store.entry(k(i)).has_value());
        QCOMPARE(store.stats().usedBytes, 5 * EntryBytes);
        QCOMPARE(store.setMaxBytes(100 * EntryBytes), 0);
        QVERIFY(store.setNoExpire(QStringLiteral("more"), Value32));

        // Many evictions at once (several lock batches).
        QCOMPARE(store.setMaxBytes(CacheStore::DefaultMaxBytes), 0);
        for (int i = 0; i < 5000; ++i)
            QVERIFY(store.setNoExpire(QStringLiteral("bulk%1").arg(i), 1));
        QVERIFY(store.setMaxBytes(10 * EntryBytes) > 4900);
        QVERIFY(store.stats().usedBytes <= 10 * EntryBytes);
    }

    void purgeExpiredAndAmortizedSweeping()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        for (int i = 0; i < 3000; ++i)
            QVERIFY(store.set(QStringLiteral("t%1").arg(i), i, 1000 + i % 10));
        QVERIFY(store.setNoExpire(QStringLiteral("keep"), 1));
        QCOMPARE(store.purgeExpired(), 0);
        m_now += 1004;
        QCOMPARE(store.purgeExpired(), 1500); // expiry times 1000..1004 of 1000..1009
        m_now += 5;
        // Writes remove a few expired keys each, so they cannot pile up unswept.
        for (int i = 0; i < 10; ++i)
            QVERIFY(store.setNoExpire(QStringLiteral("w%1").arg(i), i));
        QCOMPARE(store.stats().expirations, 1580u);
        QCOMPARE(store.purgeExpired(), 1420); // more than one batch
        const CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.userKeys, 11);
        QCOMPARE(stats.usedBytes, 11 * (2 + 1 + CacheStore::EntryOverheadBytes) + 2);
    }

    void statsCounters()
    {
        CacheStore store(3 * EntryBytes, clock());
        QVERIFY(store.setNoExpire(k(0), Value32));
        QVERIFY(store.set(k(1), Value32, 10));
        QVERIFY(store.get(k(0)));
        QVERIFY(store.get(k(0)));
        QVERIFY(!store.get(k(7)));
        m_now += 10;
        QVERIFY(!store.get(k(1))); // a miss and an expiration
        QVERIFY(store.setNoExpire(k(2), Value32));
        QVERIFY(store.setNoExpire(k(3), Value32));
        QVERIFY(store.setNoExpire(k(4), Value32)); // evicts k0
        QVERIFY(store.deleteKey(k(4)));
        QVERIFY(store.acquire(QStringLiteral("l"), 1, 100));
        QVERIFY(store.release(QStringLiteral("l"), 1));
        QVERIFY(!store.set(k(5), QString(3 * EntryBytes, QLatin1Char('x')), 100));
        const CacheStore::Stats stats = store.stats();
        QCOMPARE(stats.hits, 2u);
        QCOMPARE(stats.misses, 2u);
        QCOMPARE(stats.sets, 6u);
        QCOMPARE(stats.deletes, 2u);
        QCOMPARE(stats.expirations, 1u);
        QCOMPARE(stats.evictions, 1u);
        QCOMPARE(stats.rejected, 1u);
        QCOMPARE(stats.userKeys, 2);
        QCOMPARE(stats.systemKeys, 0);
        QCOMPARE(stats.usedBytes, 2 * EntryBytes);
        QCOMPARE(stats.maxBytes, 3 * EntryBytes);
        QCOMPARE(stats.systemBytes, 0);
    }

    void jsonBytesIsCompactJsonSize()
    {
        QCOMPARE(CacheStore::jsonBytes(QJsonValue()), 4);
        QCOMPARE(CacheStore::jsonBytes(true), 4);
        QCOMPARE(CacheStore::jsonBytes(false), 5);
        QCOMPARE(CacheStore::jsonBytes(12), 2);
        QCOMPARE(CacheStore::jsonBytes(1.5), 3);
        QCOMPARE(CacheStore::jsonBytes(QStringLiteral("abc")), 5);
        QCOMPARE(CacheStore::jsonBytes(QStringLiteral("a\"b\n")), 8);
        QCOMPARE(CacheStore::jsonBytes(QStringLiteral("é")), 4); // UTF-8
        QCOMPARE(CacheStore::jsonBytes(QJsonObject{{"a", 1}}), 7);
        QCOMPARE(CacheStore::jsonBytes(QJsonArray{1, "x", QJsonValue()}), 12);
    }

    void globPatterns_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("matches");
        QTest::newRow("empty matches all") << ""
                                           << "anything" << true;
        QTest::newRow("star") << "*"
                              << "" << true;
        QTest::newRow("prefix") << "user:*"
                                << "user:1" << true;
        QTest::newRow("prefix no") << "user:*"
                                   << "users:1" << false;
        QTest::newRow("infix") << "a*b*c"
                               << "axxbyyc" << true;
        QTest::newRow("infix backtrack") << "a*bc"
                                         << "abcbc" << true;
        QTest::newRow("infix no") << "a*b*c"
                                  << "axxbyy" << false;
        QTest::newRow("question") << "k?"
                                  << "k1" << true;
        QTest::newRow("question no") << "k?"
                                     << "k10" << false;
        QTest::newRow("set") << "k[123]"
                             << "k2" << true;
        QTest::newRow("set no") << "k[123]"
                                << "k4" << false;
        QTest::newRow("range") << "k[a-c]x"
                               << "kbx" << true;
        QTest::newRow("reversed range") << "k[c-a]x"
                                        << "kbx" << true;
        QTest::newRow("negated") << "k[^a-c]"
                                 << "kd" << true;
        QTest::newRow("negated no") << "k[^a-c]"
                                    << "kb" << false;
        QTest::newRow("dash literal at end") << "k[a-]"
                                             << "k-" << true;
        QTest::newRow("escaped star") << "a\\*"
                                      << "a*" << true;
        QTest::newRow("escaped star no") << "a\\*"
                                         << "ab" << false;
        QTest::newRow("escaped bracket") << "u\\[x\\]"
                                         << "u[x]" << true;
        QTest::newRow("unclosed bracket literal") << "a[b"
                                                  << "a[b" << true;
        QTest::newRow("case sensitive") << "User*"
                                        << "user" << false;
        QTest::newRow("many stars") << "**a**"
                                    << "bab" << true;
        QTest::newRow("unicode") << "é?"
                                 << "éa" << true;
    }

    void globPatterns()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, matches);
        QCOMPARE(GlobPattern(pattern).matches(text), matches);
    }

    void scanWithPatterns()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        for (const char *key : {"user:1", "user:2", "user:10", "session:a", "u[x]"})
            QVERIFY(store.setNoExpire(QString::fromUtf8(key), QStringLiteral("v")));
        QVERIFY(store.acquire(QStringLiteral("user:lock"), QStringLiteral("me"), 5000));
        QVERIFY(store.set(QStringLiteral("user:gone"), 1, 10));
        m_now += 10; // user:gone expired: not listed

        auto keys = [&](const char *pattern) {
            QStringList list = scanAll(store, QString::fromUtf8(pattern)).values();
            list.sort();
            return list.join(QLatin1Char(','));
        };
        QCOMPARE(keys("user:*"), QStringLiteral("user:1,user:10,user:2,user:lock"));
        QCOMPARE(keys("user:?"), QStringLiteral("user:1,user:2"));
        QCOMPARE(keys("user:[12]*"), QStringLiteral("user:1,user:10,user:2"));
        QCOMPARE(keys("user:[^1]*"), QStringLiteral("user:2,user:lock"));
        QCOMPARE(keys("u\\[x\\]"), QStringLiteral("u[x]"));
        QCOMPARE(keys("nothing*"), QString());
        QCOMPARE(scanAll(store, QString()).size(), 6);

        // Key details: kind, JSON type, accounted size, TTL; in creation order.
        QVERIFY(store.setNoExpire(QStringLiteral("obj"), QJsonObject{{"a", 1}}));
        const CacheStore::ScanPage page = store.scan(QStringLiteral("*"), 0, 100);
        QCOMPARE(page.nextCursor, 0u);
        QCOMPARE(page.keys.size(), 7);
        QCOMPARE(page.keys.first().key, QStringLiteral("user:1"));
        const CacheStore::KeyInfo &lock = page.keys[5];
        QCOMPARE(lock.key, QStringLiteral("user:lock"));
        QCOMPARE(lock.kind, CacheStore::Kind::System);
        QCOMPARE(lock.type, QJsonValue::String);
        QCOMPARE(lock.ttlMs, 4990);
        QCOMPARE(lock.bytes, 9 + 4 + CacheStore::EntryOverheadBytes);
        const CacheStore::KeyInfo &obj = page.keys.last();
        QCOMPARE(obj.kind, CacheStore::Kind::User);
        QCOMPARE(obj.type, QJsonValue::Object);
        QCOMPARE(obj.ttlMs, CacheStore::NoExpiry);
        QCOMPARE(CacheStore::typeName(obj.type), QStringLiteral("object"));
        QCOMPARE(CacheStore::kindName(lock.kind), QStringLiteral("system"));
    }

    void scanPagesAndCountCap()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        for (int i = 0; i < 5000; ++i)
            QVERIFY(store.setNoExpire(QStringLiteral("key%1").arg(i), i));
        CacheStore::ScanPage page = store.scan(QStringLiteral("*"), 0, 100000);
        QCOMPARE(page.keys.size(), CacheStore::MaxScanCount);
        QVERIFY(page.nextCursor != 0);
        page = store.scan(QStringLiteral("*"), 0, 0);
        QCOMPARE(page.keys.size(), 1);
        // A sparse pattern still fills its page, across lock batches if need be.
        page = store.scan(QStringLiteral("key*7"), 0, 200);
        QCOMPARE(page.keys.size(), 200);
        QVERIFY(page.nextCursor != 0);
        page = store.scan(QStringLiteral("key499?"), 0, 10);
        QCOMPARE(page.keys.size(), 10);
        QCOMPARE(page.keys.first().key, QStringLiteral("key4990"));
        QCOMPARE(page.nextCursor, 0u);
        QCOMPARE(scanAll(store, QStringLiteral("key*7"), 200).size(), 500);
        QCOMPARE(scanAll(store, QStringLiteral("*"), 7).size(), 5000);
    }

    void scanCursorStableUnderChanges()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        for (int i = 0; i < 600; ++i)
            QVERIFY(store.setNoExpire(QStringLiteral("a%1").arg(i), i));
        QSet<QString> removed;
        QHash<QString, int> seen;
        quint64 cursor = 0;
        int round = 0;
        do {
            const CacheStore::ScanPage page = store.scan(QStringLiteral("a*"), cursor, 37);
            QVERIFY(page.keys.size() <= 37);
            for (const CacheStore::KeyInfo &info : page.keys)
                ++seen[info.key];
            cursor = page.nextCursor;
            // Between pages: new keys, removals (seen and unseen), overwrites,
            // expiries and keys deleted and created again under a new name.
            ++round;
            for (int j = 0; j < 5; ++j)
                QVERIFY(store.setNoExpire(QStringLiteral("a-new-%1-%2").arg(round).arg(j), j));
            for (int victim : {(round * 7) % 600, (round * 131 + 300) % 600}) {
                const QString key = QStringLiteral("a%1").arg(victim);
                if (store.deleteKey(key))
                    removed.insert(key);
            }
            QVERIFY(
                store.setNoExpire(QStringLiteral("a%1").arg((round * 53) % 600 + 600), round)); // more keys
            if (!removed.contains(QStringLiteral("a%1").arg((round * 17) % 600)))
                QVERIFY(
                    store.setNoExpire(QStringLiteral("a%1").arg((round * 17) % 600), -round)); // overwrite
            QVERIFY(store.set(QStringLiteral("a-short-%1").arg(round), 1, 1));
            m_now += 1;
        } while (cursor != 0);

        for (auto it = seen.cbegin(); it != seen.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key()));
        for (int i = 0; i < 600; ++i) {
            const QString key = QStringLiteral("a%1").arg(i);
            if (!removed.contains(key))
                QVERIFY2(seen.contains(key), qPrintable(key)); // present throughout: seen once
        }
        QVERIFY(!removed.isEmpty());
    }

    void entryDetails()
    {
        CacheStore store(CacheStore::DefaultMaxBytes, clock());
        const QJsonObject value{{"id", 7}, {"name", "Ada"}};
        QVERIFY(store.set(QStringLiteral("user:7"), value, 60000));
        m_now += 1500;
        std::optional<CacheStore::EntryInfo> info = store.entry(QStringLiteral("user:7"));
        QVERIFY(info.has_value());
        QCOMPARE(info->key, QStringLiteral("user:7"));
        QCOMPARE(info->value, QJsonValue(value));
        QCOMPARE(info->kind, CacheStore::Kind::User);
        QCOMPARE(info->bytes, 6 + 21 + CacheStore::EntryOverheadBytes); // {"id":7,"name":"Ada"}
        QCOMPARE(info->ttlMs, 58500);
        QCOMPARE(info->idleMs, 1500);
        QVERIFY(store.get(QStringLiteral("user:7")));
        QCOMPARE(store.entry(QStringLiteral("user:7"))->idleMs, 0);
        QCOMPARE(store.stats().hits, 1u); // entry() is not a hit
        QVERIFY(!store.entry(QStringLiteral("missing")).has_value());
        QVERIFY(store.acquire(QStringLiteral("l"), QStringLiteral("me"), 1000));
        info = store.entry(QStringLiteral("l"));
        QCOMPARE(info->kind, CacheStore::Kind::System);
        QCOMPARE(info->ttlMs, 1000);
    }

    // Eight threads share one small store: reads, writes with and without TTLs,
    // deletes, exists, locks (checked for mutual exclusion), scans, stats, budget
    // changes and sweeps all at once. Afterwards the accounting must agree with
    // what a full scan finds.
    void concurrentHammering()
    {
        constexpr int Threads = 8;
        constexpr int Operations = 20000;
        constexpr int Locks = 4;
        CacheStore store(64 * 1024);
        std::atomic<int> holders[Locks] = {};
        std::atomic<int> exclusionViolations{0};
        std::atomic<int> releaseFailures{0};
        std::atomic<int> badValues{0};
        std::atomic<int> acquired{0};

        auto work = [&](int thread) {
            std::mt19937 random(thread * 7919 + 1);
            for (int i = 0; i < Operations; ++i) {
                const int keyNumber = int(random() % 400);
                const QString key = QStringLiteral("key:%1").arg(keyNumber);
                switch (random() % 16) {
                case 0:
                case 1:
                case 2:
                    store.setNoExpire(key,
                                      QJsonObject{{"n", keyNumber},
                                                  {"pad", QString(int(random() % 300), QLatin1Char('x'))}});
                    break;
                case 3:
                case 4:
                    store.set(key, QJsonObject{{"n", keyNumber}}, 1 + int(random() % 5));
                    break;
                case 5:
                case 6:
                case 7:
                case 8: {
                    // Values are shared between threads: read them while others replace them.
                    const std::optional<QJsonValue> value = store.get(key);
                    if (value && value->toObject().value(QStringLiteral("n")).toInt(-1) != keyNumber)
                        ++badValues;
                    break;
                }
                case 9:
                    store.deleteKey(key);
                    break;
                case 10:
                    store.exists(key, QJsonObject{{"n", keyNumber}});
                    break;
                case 11:
                case 12: {
                    const int lock = int(random() % Locks);
                    const QString lockKey = QStringLiteral("lock:%1").arg(lock);
                    const QString owner = QStringLiteral("thread-%1-%2").arg(thread).arg(i);
                    if (store.acquire(lockKey, owner, 10000)) {
                        ++acquired;
                        if (holders[lock].fetch_add(1) != 0)
                            ++exclusionViolations;
                        std::this_thread::yield();
                        holders[lock].fetch_sub(1);
                        if (!store.release(lockKey, owner))
                            ++releaseFailures;
                    }
                    break;
                }
                case 13:
                    store.ttl(key);
                    store.entry(key);
                    break;
                case 14:
                    if (i % 50 == 0)
                        store.scan(QStringLiteral("key:1*"), 0, 50);
                    else
                        store.stats();
                    break;
                case 15:
                    if (i % 500 == 0)
                        store.setMaxBytes(thread % 2 ? 32 * 1024 : 64 * 1024);
                    else if (i % 100 == 0)
                        store.purgeExpired();
                    else
                        store.setTtl(key, std::nullopt);
                    break;
                }
            }
        };

        std::vector<std::thread> threads;
        for (int t = 0; t < Threads; ++t)
            threads.emplace_back(work, t);
        for (std::thread &thread : threads)
            thread.join();

        QCOMPARE(exclusionViolations.load(), 0);
        QCOMPARE(releaseFailures.load(), 0);
        QCOMPARE(badValues.load(), 0);
        QVERIFY(acquired.load() > 0);

        // Every TTL above was at most 5 ms: wait them out, then the books must balance.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        store.purgeExpired();
        const CacheStore::Stats stats = store.stats();
        QVERIFY(stats.usedBytes <= stats.maxBytes);
        QVERIFY(stats.evictions > 0);
        QCOMPARE(stats.systemKeys, 0);
        QCOMPARE(stats.systemBytes, 0);
        qint64 bytes = 0;
        qint64 keys = 0;
        quint64 cursor = 0;
        do {
            const CacheStore::ScanPage page = store.scan(QStringLiteral("*"), cursor, 1000);
            for (const CacheStore::KeyInfo &info : page.keys) {
                bytes += info.bytes;
                ++keys;
            }
            cursor = page.nextCursor;
        } while (cursor != 0);
        QCOMPARE(keys, stats.userKeys);
        QCOMPARE(bytes, stats.usedBytes);
    }
};

QTEST_GUILESS_MAIN(TestCacheStore)
#include "tst_cachestore.moc"
