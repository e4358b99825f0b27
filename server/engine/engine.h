#pragma once

#include "auth/loginthrottle.h"
#include "data/database.h"
#include "data/walcheckpointer.h"
#include "schema/metadata.h"

#include <QString>

#include <memory>
#include <mutex>

namespace Hearth {

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
    // The password generated for the first root admin at this start, to show
    // once; empty when none was generated.
    const QString &generatedAdminPassword() const { return m_generatedAdminPassword; }
    QString adminEmail() const;

    MetadataPtr metadata() const;
    // Re-reads the metadata after a committed change and publishes it to every worker.
    void reloadMetadata(SqlConnection &db);

private:
    void ensureRootAdmin(SqlConnection &db);

    EngineConfig m_config;
    QByteArray m_secretKey;
    LoginThrottle m_loginThrottle;
    QString m_generatedAdminPassword;
    std::unique_ptr<Database> m_database;
    WalCheckpointer m_checkpointer;
    mutable std::mutex m_metadataMutex;
    MetadataPtr m_metadata;
};

} // namespace Hearth
