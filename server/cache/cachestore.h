#pragma once

#include "cache/lrulist.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace Hearth {

// The in-process key/value store behind $ctx.$cache and the cache monitor.
// One instance is shared by every worker thread.
//
// Values are JSON values. Each entry is accounted as the UTF-8 size of its key
// plus the size of the value's compact JSON text plus EntryOverheadBytes.
//
// Two kinds of entries share one key space:
// - user entries (set, setNoExpire) count against the memory budget; when a
//   write takes the user bytes over it, the least recently used user entries
//   are evicted (expired ones go first). A value whose entry alone exceeds the
//   budget is refused.
// - system entries are locks (acquire). A lock evicted under memory pressure
//   would let a second holder in, so locks are never evicted and not counted
//   against the budget; instead each lock value is capped (MaxLockValueBytes)
//   and so is the number of locks (MaxSystemKeys). A set() on a lock key turns
//   it into a user entry, as a plain SET over a lock does in Redis.
//
// Expiry uses a monotonic clock. An expired entry is absent to every call; it
// is removed when touched, by a few removals amortized on each write, and by
// purgeExpired(), which the owner calls periodically.
//
// Locking: one mutex, held only for hash lookups, list splices and index
// updates (not sharded: shards would split the LRU order and the budget, and
// these sections are far shorter than a script's work). Value sizes are
// computed before taking it, and removed values are destroyed after releasing
// it, so big values never stall other threads.
// Argument errors (key too long, a TTL out of range, an oversized lock value)
// throw std::invalid_argument with a message fit for a script error.
class CacheStore
{
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    enum class Kind
    {
        User,
        System
    };

    static constexpr qint64 DefaultMaxBytes = 30 * 1024 * 1024;
    static constexpr qint64 EntryOverheadBytes = 64; // bookkeeping per entry
    static constexpr qsizetype MaxKeyBytes = 8 * 1024;
    static constexpr qint64 MaxLockValueBytes = 64 * 1024;
    static constexpr qsizetype MaxSystemKeys = 100'000;
    static constexpr qint64 MaxTtlMs = 100LL * 365 * 24 * 3600 * 1000; // a century
    static constexpr qint64 NoExpiry = -1;                             // ttl() of a persistent key
    static constexpr int DefaultScanCount = 100;
    static constexpr int MaxScanCount = 1000;

    struct WriteResult
    {
        bool stored = false;
        qint64 bytes = 0; // the entry's accounted size
        QString error;    // why it was refused; empty when stored
        explicit operator bool() const { return stored; }
    };

    // Counters only grow; a console derives per-second rates from two samples.
    // Bytes and key counts include expired entries not yet swept.
    struct Stats
    {
        qint64 usedBytes = 0; // user entries, counted against maxBytes
        qint64 maxBytes = 0;
        qint64 systemBytes = 0; // locks, not counted
        qint64 userKeys = 0;
        qint64 systemKeys = 0;
        quint64 hits = 0;        // get() found a live key
        quint64 misses = 0;      // get() found nothing (or an expired key)
        quint64 evictions = 0;   // user entries dropped for the budget
        quint64 expirations = 0; // expired entries removed
        quint64 sets = 0;        // stored writes: set, setNoExpire, acquire
        quint64 deletes = 0;     // deleteKey and release that removed a key
        quint64 rejected = 0;    // values refused as larger than the budget
    };

    struct KeyInfo
    {
        QString key;
        Kind kind = Kind::User;
        QJsonValue::Type type = QJsonValue::Null;
        qint64 bytes = 0;
        qint64 ttlMs = NoExpiry;
    };

    struct ScanPage
    {
        QList<KeyInfo> keys;
        quint64 nextCursor = 0; // 0: the scan is complete
    };

    struct EntryInfo
    {
        QString key;
        QJsonValue value;
        Kind kind = Kind::User;
        qint64 bytes = 0;
        qint64 ttlMs = NoExpiry;
        qint64 idleMs = 0; // since the last get/set/exists
    };

    explicit CacheStore(qint64 maxBytes = DefaultMaxBytes, Clock clock = {});
    ~CacheStore();
    CacheStore(const CacheStore &) = delete;
    CacheStore &operator=(const CacheStore &) = delete;

    // The value, or nothing when absent or expired. Counts a hit or a miss.
    std::optional<QJsonValue> get(const QString &key);
    // Stores a user entry expiring after ttlMs (1..MaxTtlMs). Undefined is
    // stored as null. Refused (stored == false, error set) when the entry alone
    // is larger than the budget; the previous value then stays.
    WriteResult set(const QString &key, const QJsonValue &value, qint64 ttlMs);
    WriteResult setNoExpire(const QString &key, const QJsonValue &value);
    bool deleteKey(const QString &key);
    bool exists(const QString &key);
    // True only when the key holds a value equal to value (JSON equality:
    // 1 == 1.0, object key order ignored). An Undefined value (the script
    // passed none) asks only whether the key exists.
    bool exists(const QString &key, const QJsonValue &value);
    // A lock: stores a system entry only when the key is absent or expired.
    // Throws std::runtime_error when MaxSystemKeys locks are already held.
    bool acquire(const QString &key, const QJsonValue &value, qint64 ttlMs);
    // Deletes the key only when it holds a value equal to value.
    bool release(const QString &key, const QJsonValue &value);
    // Remaining milliseconds (>= 1), NoExpiry, or nothing when absent.
    std::optional<qint64> ttl(const QString &key);
    // A new TTL from now, or none to make the key persistent. False when absent.
    bool setTtl(const QString &key, std::optional<qint64> ttlMs);

    // Removes every expired entry (in short batches); returns how many.
    int purgeExpired();

    qint64 maxBytes() const;
    // Takes effect at once: evicts user entries down to the new budget and
    // returns how many were evicted. bytes must be >= 0.
    int setMaxBytes(qint64 bytes);
    Stats stats() const;

    // Live keys matching a glob, in creation order. cursor is 0 to start, then
    // the previous page's nextCursor. count is clamped to 1..MaxScanCount. A key
    // present for the whole scan is returned exactly once, however keys are added,
    // overwritten or removed between pages; a key created during the scan may or
    // may not be returned.
    ScanPage scan(const QString &pattern, quint64 cursor, int count = DefaultScanCount);
    // Details for the value viewer; neither a hit nor a use for the LRU order.
    std::optional<EntryInfo> entry(const QString &key);

    // The compact JSON size of a value, as the budget counts it.
    static qint64 jsonBytes(const QJsonValue &value);
    static QString kindName(Kind kind);
    static QString typeName(QJsonValue::Type type);

private:
    static constexpr qint64 Never = std::numeric_limits<qint64>::max();

    struct Entry : LruLink
    {
        const QString *key = nullptr; // the map node's own key
        QJsonValue value;
        qint64 bytes = 0;
        qint64 expiresAt = Never;
        qint64 lastAccess = 0;
        quint64 seq = 0;
        Kind kind = Kind::User;
        std::multimap<qint64, Entry *>::iterator expiryPos; // valid when expiresAt != Never
        std::map<quint64, Entry *>::iterator seqPos;
    };
    using Graveyard = std::vector<QJsonValue>; // values to destroy after unlocking

    static qint64 checkedKeyBytes(const QString &key);
    static void checkTtl(qint64 ttlMs);
    WriteResult write(const QString &key, const QJsonValue &value, std::optional<qint64> ttlMs);

    // All below run with m_mutex held.
    Entry *findLive(const QString &key, qint64 now, Graveyard &dead);
    // A read: the entry becomes the most recently used.
    void touch(Entry &entry, qint64 now);
    Entry &insert(const QString &key, const QJsonValue &value, qint64 bytes, Kind kind, qint64 expiresAt);
    void account(Entry &entry);
    void unaccount(Entry &entry);
    void setExpiry(Entry &entry, qint64 expiresAt);
    void remove(Entry &entry, Graveyard &dead);
    int purgeSome(qint64 now, int limit, Graveyard &dead);
    int evictToBudget(qint64 now, int limit, Graveyard &dead);
    static KeyInfo info(const Entry &entry, qint64 now);

    const Clock m_clock;
    mutable std::mutex m_mutex;
    std::unordered_map<QString, Entry> m_entries;
    LruList m_lru;                             // user entries only
    std::multimap<qint64, Entry *> m_byExpiry; // entries with a TTL, soonest first
    std::map<quint64, Entry *> m_bySeq;        // creation order, for scan cursors
    quint64 m_nextSeq = 1;
    qint64 m_maxBytes;
    qint64 m_usedBytes = 0;
    qint64 m_systemBytes = 0;
    qint64 m_systemKeys = 0;
    quint64 m_hits = 0;
    quint64 m_misses = 0;
    quint64 m_evictions = 0;
    quint64 m_expirations = 0;
    quint64 m_sets = 0;
    quint64 m_deletes = 0;
    quint64 m_rejected = 0;
};

} // namespace Hearth
