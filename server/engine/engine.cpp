#include "engine/engine.h"

#include "auth/passwordhasher.h"
#include "auth/secretkey.h"
#include "auth/securerandom.h"
#include "schema/metadatastore.h"
#include "script/scriptwatchdog.h"

#include <QDateTime>
#include <QDir>

#include <stdexcept>

namespace Hearth {

Engine::Engine(EngineConfig config) : m_config(std::move(config)) {}

Engine::~Engine()
{
    if (!m_sweeper.joinable())
        return;
    {
        std::lock_guard lock(m_sweeperMutex);
        m_stopping = true;
    }
    m_sweeperWake.notify_all();
    m_sweeper.join();
}

void Engine::sweepCaches()
{
    // Expired entries are invisible already; sweeping only gives their memory back.
    constexpr auto interval = std::chrono::seconds(5);
    std::unique_lock lock(m_sweeperMutex);
    while (!m_sweeperWake.wait_for(lock, interval, [this] { return m_stopping; })) {
        lock.unlock();
        m_cache.purgeExpired();
        m_rateLimiter.sweep();
        lock.lock();
    }
}

ScriptWatchdog &Engine::scriptWatchdog()
{
    std::call_once(m_watchdogOnce, [this] { m_scriptWatchdog = std::make_unique<ScriptWatchdog>(); });
    return *m_scriptWatchdog;
}

void Engine::open()
{
    m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
    if (!QDir().mkpath(m_config.dataDir))
        throw std::runtime_error("cannot create data folder " + m_config.dataDir.toStdString());
    m_database = std::make_unique<Database>(QDir(m_config.dataDir).filePath(QStringLiteral("data.db")));
    m_secretKey = SecretKey::load(m_config.dataDir).bytes;
    std::unique_ptr<SqlConnection> db = m_database->connect();
    {
        WriteTransaction transaction(*m_database, *db);
        MetadataStore::bootstrap(*db);
        ensureRootAdmin(*db);
        transaction.commit();
    }
    reloadMetadata(*db);
    m_checkpointer.start(*m_database);
    m_sweeper = std::thread(&Engine::sweepCaches, this);
}

QString Engine::adminEmail() const
{
    return m_config.adminEmail.isEmpty() ? QStringLiteral("admin@localhost") : m_config.adminEmail;
}

void Engine::ensureRootAdmin(SqlConnection &db)
{
    if (db.prepare("SELECT 1 FROM hearth_user WHERE isRootAdmin = 1 LIMIT 1").step())
        return;
    QString password = m_config.adminPassword;
    if (password.isEmpty()) {
        if (!m_config.createAdminIfMissing)
            return;
        password = QString::fromLatin1(secureRandomToken(12));
        m_generatedAdminPassword = password;
    }
    // An existing user with that email is promoted, keeping its password.
    SqlStatement insert = db.prepare("INSERT INTO hearth_user (id, email, password, isRootAdmin) "
                                     "VALUES (lower(hearth_uuid()), ?, ?, 1) "
                                     "ON CONFLICT (email) DO UPDATE SET isRootAdmin = 1");
    insert.bind(1, sqlText(adminEmail().trimmed().toLower()));
    insert.bind(2, PasswordHasher::hash(password.toUtf8()));
    insert.exec();
}

void Engine::setServerStatsProvider(std::function<QJsonObject()> provider)
{
    std::lock_guard lock(m_statsMutex);
    m_serverStats = std::move(provider);
}

QJsonObject Engine::serverStats() const
{
    std::lock_guard lock(m_statsMutex);
    return m_serverStats ? m_serverStats() : QJsonObject();
}

MetadataPtr Engine::metadata() const
{
    std::lock_guard lock(m_metadataMutex);
    return m_metadata;
}

void Engine::reloadMetadata(SqlConnection &db)
{
    MetadataPtr fresh = MetadataStore::load(db);
    // A budget that is not a positive number of megabytes counts as the default.
    // Set under the lock, so the budget always matches the published settings.
    const double limitMb = fresh->numberSetting("cacheLimitMb", 30);
    std::lock_guard lock(m_metadataMutex);
    m_cache.setMaxBytes(qint64((limitMb > 0 && limitMb <= 1024 * 1024 ? limitMb : 30) * 1024 * 1024));
    m_metadata = std::move(fresh);
}

} // namespace Hearth
