#include "cache/cachestore.h"

#include "cache/globpattern.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <chrono>
#include <stdexcept>
#include <utility>

namespace Hearth {

namespace {

// Undefined has no JSON form; like JSON.stringify inside an array, it is null.
QJsonValue storable(const QJsonValue &value)
{
    return value.isUndefined() ? QJsonValue() : value;
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes);
}

QString quotedKey(const QString &key)
{
    return QLatin1Char('"') + (key.size() > 80 ? key.left(80) + QStringLiteral("…") : key) + QLatin1Char('"');
}

// Entries removed per lock hold by purgeExpired and setMaxBytes, and entries
// examined per lock hold by scan: keeps other threads' waits short.
constexpr int BatchSize = 1024;
constexpr int ScanBatchSize = 4096;
// Expired entries removed on each write, so they cannot pile up between sweeps.
constexpr int PurgePerWrite = 8;

} // namespace

CacheStore::CacheStore(qint64 maxBytes, Clock clock)
    : m_clock(clock ? std::move(clock) : Clock([] {
          return qint64(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count());
      })),
      m_maxBytes(maxBytes)
{
    if (maxBytes < 0)
        throw std::invalid_argument("cache budget must not be negative");
}

CacheStore::~CacheStore() = default;

qint64 CacheStore::jsonBytes(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).size();
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).size();
    // A scalar has no document of its own: measure it inside "[...]".
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).size() - 2;
}

QString CacheStore::kindName(Kind kind)
{
    return kind == Kind::System ? QStringLiteral("system") : QStringLiteral("user");
}

QString CacheStore::typeName(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("null");
}

qint64 CacheStore::checkedKeyBytes(const QString &key)
{
    const qint64 bytes = key.toUtf8().size();
    if (bytes > MaxKeyBytes)
        throw std::invalid_argument(QStringLiteral("cache key is %1 bytes long; the limit is %2 bytes")
                                        .arg(bytes)
                                        .arg(MaxKeyBytes)
                                        .toStdString());
    return bytes;
}

void CacheStore::checkTtl(qint64 ttlMs)
{
    if (ttlMs < 1 || ttlMs > MaxTtlMs)
        throw std::invalid_argument(QStringLiteral("cache TTL must be between 1 and %1 milliseconds (got %2)")
                                        .arg(MaxTtlMs)
                                        .arg(ttlMs)
                                        .toStdString());
}

std::optional<QJsonValue> CacheStore::get(const QString &key)
{
    Graveyard dead;
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock();
    Entry *entry = findLive(key, now, dead);
    if (!entry) {
        ++m_misses;
        return std::nullopt;
    }
    ++m_hits;
    touch(*entry, now);
    return entry->value;
}

CacheStore::WriteResult CacheStore::set(const QString &key, const QJsonValue &value, qint64 ttlMs)
{
    checkTtl(ttlMs);
    return write(key, value, ttlMs);
}

CacheStore::WriteResult CacheStore::setNoExpire(const QString &key, const QJsonValue &value)
{
    return write(key, value, std::nullopt);
}

CacheStore::WriteResult CacheStore::write(const QString &key, const QJsonValue &value,
                                          std::optional<qint64> ttlMs)
{
    const QJsonValue stored = storable(value);
    const qint64 bytes = checkedKeyBytes(key) + jsonBytes(stored) + EntryOverheadBytes;

    Graveyard dead; // declared before the lock: destroyed after it is released
    std::lock_guard lock(m_mutex);
    if (bytes > m_maxBytes) {
        ++m_rejected;
        return {false, bytes,
                QStringLiteral(
                    "cache value for key %1 takes %2 with its key, more than the whole cache budget of %3")
                    .arg(quotedKey(key), sizeText(bytes), sizeText(m_maxBytes))};
    }
    const qint64 now = m_clock();
    purgeSome(now, PurgePerWrite, dead);
    const qint64 expiresAt = ttlMs ? now + *ttlMs : Never;
    if (Entry *entry = findLive(key, now, dead)) {
        // Overwritten in place: the key keeps its place in scan order.
        unaccount(*entry);
        dead.push_back(std::exchange(entry->value, stored));
        entry->bytes = bytes;
        entry->kind = Kind::User;
        entry->lastAccess = now;
        setExpiry(*entry, expiresAt);
        account(*entry);
    } else {
        insert(key, stored, bytes, Kind::User, expiresAt).lastAccess = now;
    }
    ++m_sets;
    evictToBudget(now, std::numeric_limits<int>::max(), dead);
    return {true, bytes, {}};
}

bool CacheStore::deleteKey(const QString &key)
{
    Graveyard dead;
    std::lock_guard lock(m_mutex);
    Entry *entry = findLive(key, m_clock(), dead);
    if (!entry)
        return false;
    remove(*entry, dead);
    ++m_deletes;
    return true;
}

void CacheStore::touch(Entry &entry, qint64 now)
{
    entry.lastAccess = now;
    if (entry.kind == Kind::User)
        m_lru.moveToFront(&entry);
}

bool CacheStore::exists(const QString &key)
{
    Graveyard dead;
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock();
    Entry *entry = findLive(key, now, dead);
    if (!entry)
        return false;
    touch(*entry, now);
    return true;
}

bool CacheStore::exists(const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        return exists(key);
    QJsonValue current;
    {
        Graveyard dead;
        std::lock_guard lock(m_mutex);
        const qint64 now = m_clock();
        Entry *entry = findLive(key, now, dead);
        if (!entry)
            return false;
        touch(*entry, now);
        current = entry->value; // shared, not copied: compared below without the lock
    }
    return current == value;
}

bool CacheStore::acquire(const QString &key, const QJsonValue &value, qint64 ttlMs)
{
    checkTtl(ttlMs);
    const QJsonValue stored = storable(value);
    const qint64 valueBytes = jsonBytes(stored);
    if (valueBytes > MaxLockValueBytes)
        throw std::invalid_argument(QStringLiteral("lock value is %1; a lock value may take at most %2")
                                        .arg(sizeText(valueBytes), sizeText(MaxLockValueBytes))
                                        .toStdString());
    const qint64 bytes = checkedKeyBytes(key) + valueBytes + EntryOverheadBytes;

    Graveyard dead;
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock();
    purgeSome(now, PurgePerWrite, dead);
    if (findLive(key, now, dead))
        return false;
    if (m_systemKeys >= MaxSystemKeys)
        throw std::runtime_error(
            QStringLiteral("too many cache locks held (%1); release locks or give them shorter TTLs")
                .arg(MaxSystemKeys)
                .toStdString());
    insert(key, stored, bytes, Kind::System, now + ttlMs).lastAccess = now;
    ++m_sets;
    return true;
}

bool CacheStore::release(const QString &key, const QJsonValue &value)
{
    const QJsonValue expected = storable(value);
    Graveyard dead;
    std::lock_guard lock(m_mutex);
    Entry *entry = findLive(key, m_clock(), dead);
    // Compared under the lock: compare-and-delete must be atomic. The cost is
    // bounded by the caller's own value (comparison stops at the first difference).
    if (!entry || entry->value != expected)
        return false;
    remove(*entry, dead);
    ++m_deletes;
    return true;
}

std::optional<qint64> CacheStore::ttl(const QString &key)
{
    Graveyard dead;
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock();
    const Entry *entry = findLive(key, now, dead);
    if (!entry)
        return std::nullopt;
    return entry->expiresAt == Never ? NoExpiry : entry->expiresAt - now;
}

bool CacheStore::setTtl(const QString &key, std::optional<qint64> ttlMs)
{
    if (ttlMs)
        checkTtl(*ttlMs);
    Graveyard dead;
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock();
    Entry *entry = findLive(key, now, dead);
    if (!entry)
        return false;
    setExpiry(*entry, ttlMs ? now + *ttlMs : Never);
    return true;
}

int CacheStore::purgeExpired()
{
    int total = 0;
    for (;;) {
        Graveyard dead;
        std::lock_guard lock(m_mutex);
        const int removed = purgeSome(m_clock(), BatchSize, dead);
        total += removed;
        if (removed < BatchSize)
            return total;
    }
}

qint64 CacheStore::maxBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_maxBytes;
}

int CacheStore::setMaxBytes(qint64 bytes)
{
    if (bytes < 0)
        throw std::invalid_argument("cache budget must not be negative");
    {
        std::lock_guard lock(m_mutex);
        m_maxBytes = bytes;
    }
    int total = 0;
    for (;;) {
        Graveyard dead;
        std::lock_guard lock(m_mutex);
        const int removed = evictToBudget(m_clock(), BatchSize, dead);
        total += removed;
        if (m_usedBytes <= m_maxBytes)
            return total;
    }
}

CacheStore::Stats CacheStore::stats() const
{
    std::lock_guard lock(m_mutex);
    Stats stats;
    stats.usedBytes = m_usedBytes;
    stats.maxBytes = m_maxBytes;
    stats.systemBytes = m_systemBytes;
    stats.systemKeys = m_systemKeys;
    stats.userKeys = qint64(m_entries.size()) - m_systemKeys;
    stats.hits = m_hits;
    stats.misses = m_misses;
    stats.evictions = m_evictions;
    stats.expirations = m_expirations;
    stats.sets = m_sets;
    stats.deletes = m_deletes;
    stats.rejected = m_rejected;
    return stats;
}

CacheStore::ScanPage CacheStore::scan(const QString &pattern, quint64 cursor, int count)
{
    const GlobPattern glob(pattern);
    const qsizetype wanted = qBound(1, count, MaxScanCount);
    ScanPage page;
    quint64 position = cursor;
    for (;;) {
        // The cursor is a creation sequence number, so the lock can be dropped
        // between batches: whatever changes meanwhile, upper_bound resumes after
        // the last key examined.
        std::lock_guard lock(m_mutex);
        const qint64 now = m_clock();
        auto it = m_bySeq.upper_bound(position);
        for (int examined = 0; it != m_bySeq.end() && examined < ScanBatchSize && page.keys.size() < wanted;
             ++it, ++examined) {
            position = it->first;
            const Entry &entry = *it->second;
            if (entry.expiresAt > now && glob.matches(*entry.key))
                page.keys.append(info(entry, now));
        }
        if (it == m_bySeq.end()) {
            page.nextCursor = 0;
            return page;
        }
        if (page.keys.size() >= wanted) {
            page.nextCursor = position;
            return page;
        }
    }
}

std::optional<CacheStore::EntryInfo> CacheStore::entry(const QString &key)
{
    Graveyard dead;
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock();
    const Entry *entry = findLive(key, now, dead);
    if (!entry)
        return std::nullopt;
    const KeyInfo keyInfo = info(*entry, now);
    EntryInfo result;
    result.key = keyInfo.key;
    result.value = entry->value;
    result.kind = keyInfo.kind;
    result.bytes = keyInfo.bytes;
    result.ttlMs = keyInfo.ttlMs;
    result.idleMs = now - entry->lastAccess;
    return result;
}

CacheStore::Entry *CacheStore::findLive(const QString &key, qint64 now, Graveyard &dead)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return nullptr;
    Entry &entry = it->second;
    if (entry.expiresAt <= now) {
        remove(entry, dead);
        ++m_expirations;
        return nullptr;
    }
    return &entry;
}

CacheStore::Entry &CacheStore::insert(const QString &key, const QJsonValue &value, qint64 bytes, Kind kind,
                                      qint64 expiresAt)
{
    const auto [it, inserted] = m_entries.try_emplace(key);
    Q_ASSERT(inserted);
    Entry &entry = it->second;
    entry.key = &it->first; // node-based map: the key's address is stable
    entry.value = value;
    entry.bytes = bytes;
    entry.kind = kind;
    entry.seq = m_nextSeq++;
    entry.seqPos = m_bySeq.emplace_hint(m_bySeq.end(), entry.seq, &entry);
    setExpiry(entry, expiresAt);
    account(entry);
    return entry;
}

void CacheStore::account(Entry &entry)
{
    if (entry.kind == Kind::User) {
        m_usedBytes += entry.bytes;
        m_lru.pushFront(&entry);
    } else {
        m_systemBytes += entry.bytes;
        ++m_systemKeys;
    }
}

void CacheStore::unaccount(Entry &entry)
{
    if (entry.kind == Kind::User) {
        m_usedBytes -= entry.bytes;
        m_lru.remove(&entry);
    } else {
        m_systemBytes -= entry.bytes;
        --m_systemKeys;
    }
}

void CacheStore::setExpiry(Entry &entry, qint64 expiresAt)
{
    if (entry.expiresAt != Never)
        m_byExpiry.erase(entry.expiryPos);
    entry.expiresAt = expiresAt;
    if (expiresAt != Never)
        entry.expiryPos = m_byExpiry.emplace(expiresAt, &entry);
}

void CacheStore::remove(Entry &entry, Graveyard &dead)
{
    unaccount(entry);
    if (entry.expiresAt != Never)
        m_byExpiry.erase(entry.expiryPos);
    m_bySeq.erase(entry.seqPos);
    dead.push_back(std::move(entry.value));
    // Erase through an iterator: erasing by a reference to the node's own key
    // would read the key while destroying it.
    m_entries.erase(m_entries.find(*entry.key));
}

int CacheStore::purgeSome(qint64 now, int limit, Graveyard &dead)
{
    int removed = 0;
    while (removed < limit && !m_byExpiry.empty() && m_byExpiry.begin()->first <= now) {
        remove(*m_byExpiry.begin()->second, dead);
        ++m_expirations;
        ++removed;
    }
    return removed;
}

int CacheStore::evictToBudget(qint64 now, int limit, Graveyard &dead)
{
    int removed = 0;
    while (removed < limit && m_usedBytes > m_maxBytes) {
        // Expired entries are dead weight: they go before any live key.
        if (!m_byExpiry.empty() && m_byExpiry.begin()->first <= now) {
            remove(*m_byExpiry.begin()->second, dead);
            ++m_expirations;
        } else {
            LruLink *oldest = m_lru.back();
            Q_ASSERT(oldest);
            if (!oldest)
                break;
            remove(*static_cast<Entry *>(oldest), dead);
            ++m_evictions;
        }
        ++removed;
    }
    return removed;
}

CacheStore::KeyInfo CacheStore::info(const Entry &entry, qint64 now)
{
    KeyInfo info;
    info.key = *entry.key;
    info.kind = entry.kind;
    info.type = entry.value.type();
    info.bytes = entry.bytes;
    info.ttlMs = entry.expiresAt == Never ? NoExpiry : entry.expiresAt - now;
    return info;
}

} // namespace Hearth
