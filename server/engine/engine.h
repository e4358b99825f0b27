#pragma once

#include "data/database.h"
#include "schema/metadata.h"

#include <QString>

#include <memory>
#include <mutex>

namespace Hearth {

struct EngineConfig
{
    QString dataDir = QStringLiteral("hearth-data");
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

    MetadataPtr metadata() const;
    // Re-reads the metadata after a committed change and publishes it to every worker.
    void reloadMetadata(SqlConnection &db);

private:
    EngineConfig m_config;
    std::unique_ptr<Database> m_database;
    mutable std::mutex m_metadataMutex;
    MetadataPtr m_metadata;
};

} // namespace Hearth
