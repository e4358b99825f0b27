#pragma once

#include "auth/loginthrottle.h"
#include "cache/cachestore.h"
#include "cache/ratelimiter.h"
#include "data/database.h"
#include "data/walcheckpointer.h"
#include "engine/requestlog.h"
#include "schema/metadata.h"

#include <QString>

#include <QJsonObject>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace Hearth {

class ScriptWatchdog;

struct EngineConfig
{
    QString dataDir = QStringLiteral("hearth-data");
    // The first root admin, created when the project has none. Empty email:
    // admin@localhost with a generated password when createAdminIfMissing.
    QString adminEmail;
    QString adminPassword;
    bool createAdminIfMissing = true;
};

// The project as the server sees it: the data folder, the database and the
// current metadata snapshot. Shared by all workers; thread-safe.
class Engine
{
public:
    explicit Engine(EngineConfig config);
    ~Engine();

    // Creates the data folder and database on first start, brings system
    // tables up to date and loads the metadata. Throws std::exception.
    void open();

    const QString &dataDir() const { return m_config.dataDir; }
    Database &database() { return *m_database; }

    // The key that signs access tokens (HEARTH_SECRET_KEY or the data folder's key file).
    const QByteArray &secretKey() const { return m_secretKey; }
    LoginThrottle &loginThrottle() { return m_loginThrottle; }
    // The last requests and the last minute's numbers, for /admin/runtime and the console.
    RequestLog &requestLog() { return m_requestLog; }
    // Who serves the engine tells its numbers (workers, connections) through this.
    void setServerStatsProvider(std::function<QJsonObject()> provider);
    QJsonObject serverStats() const;
    qint64 startedAtMs() const { return m_startedAtMs; }
    // Bumped by every write in this process that can change who a token stands
    // for (users, roles, sessions): workers' cached callers are then re-checked.
    quint64 authGeneration() const { return m_authGeneration.load(std::memory_order_acquire); }
    void bumpAuthGeneration() { m_authGeneration.fetch_add(1, std::memory_order_acq_rel); }
    // The password generated for the first root admin at this start, to show
    // once; empty when none was generated.
    const QString &generatedAdminPassword() const { return m_generatedAdminPassword; }
    QString adminEmail() const;

    // Watches every worker's running scripts (timeouts, memory).
    ScriptWatchdog &scriptWatchdog();
    // Behind $ctx.$cache and the cache monitor, and behind $helpers.$rateLimit:
    // one of each for the whole process. The cache's budget is the setting
    // cacheLimitMb (default 30), applied with every new metadata.
    CacheStore &cache() { return m_cache; }
    RateLimiter &rateLimiter() { return m_rateLimiter; }

    MetadataPtr metadata() const;
    // Re-reads the metadata after a committed change and publishes it to every worker.
    void reloadMetadata(SqlConnection &db);

private:
    void ensureRootAdmin(SqlConnection &db);
    void sweepCaches(); // the sweeper thread: drops expired cache entries and idle rate limit keys

    EngineConfig m_config;
    QByteArray m_secretKey;
    LoginThrottle m_loginThrottle;
    std::atomic<quint64> m_authGeneration{0};
    std::once_flag m_watchdogOnce;
    std::unique_ptr<ScriptWatchdog> m_scriptWatchdog;
    QString m_generatedAdminPassword;
    std::unique_ptr<Database> m_database;
    WalCheckpointer m_checkpointer;
    CacheStore m_cache;
    RequestLog m_requestLog;
    mutable std::mutex m_statsMutex;
    std::function<QJsonObject()> m_serverStats;
    qint64 m_startedAtMs = 0;
    RateLimiter m_rateLimiter;
    std::thread m_sweeper;
    std::mutex m_sweeperMutex;
    std::condition_variable m_sweeperWake;
    bool m_stopping = false;
    mutable std::mutex m_metadataMutex;
    MetadataPtr m_metadata;
};

} // namespace Hearth
