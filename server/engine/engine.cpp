#include "engine/engine.h"

#include "schema/metadatastore.h"

#include <QDir>

#include <stdexcept>

namespace Hearth {

Engine::Engine(EngineConfig config) : m_config(std::move(config)) {}

Engine::~Engine() = default;

void Engine::open()
{
    if (!QDir().mkpath(m_config.dataDir))
        throw std::runtime_error("cannot create data folder " + m_config.dataDir.toStdString());
    m_database = std::make_unique<Database>(QDir(m_config.dataDir).filePath(QStringLiteral("data.db")));
    std::unique_ptr<SqlConnection> db = m_database->connect();
    {
        WriteTransaction transaction(*m_database, *db);
        MetadataStore::bootstrap(*db);
        transaction.commit();
    }
    reloadMetadata(*db);
}

MetadataPtr Engine::metadata() const
{
    std::lock_guard lock(m_metadataMutex);
    return m_metadata;
}

void Engine::reloadMetadata(SqlConnection &db)
{
    MetadataPtr fresh = MetadataStore::load(db);
    std::lock_guard lock(m_metadataMutex);
    m_metadata = std::move(fresh);
}

} // namespace Hearth
