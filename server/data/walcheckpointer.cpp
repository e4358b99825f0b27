#include "data/walcheckpointer.h"

#include "data/database.h"

#include <QtGlobal>

namespace Hearth {

void WalCheckpointer::start(Database &database, int intervalMs)
{
    stop();
    m_stopping = false;
    m_thread = std::thread(&WalCheckpointer::run, this, &database, intervalMs);
}

void WalCheckpointer::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void WalCheckpointer::run(Database *database, int intervalMs)
{
    std::unique_ptr<SqlConnection> db;
    try {
        db = database->connect();
    } catch (const std::exception &e) {
        qWarning("WAL checkpointer cannot open the database: %s", e.what());
        return;
    }
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, std::chrono::milliseconds(intervalMs), [this] { return m_stopping; })) {
        lock.unlock();
        try {
            // PASSIVE never waits (a reader's old snapshot only delays the rewind to
            // a later round); holding the writer lock keeps writers from appending
            // meanwhile, so once readers move on the log is copied whole and rewinds.
            std::lock_guard writers(database->writeMutex());
            db->exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (const std::exception &e) {
            qWarning("WAL checkpoint failed: %s", e.what());
        }
        lock.lock();
    }
}

} // namespace Hearth
