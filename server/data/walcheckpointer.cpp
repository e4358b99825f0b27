#include "data/walcheckpointer.h"

#include "data/sqlconnection.h"

#include <QtGlobal>

namespace Hearth {

void WalCheckpointer::start(const QString &databasePath, int intervalMs)
{
    stop();
    m_stopping = false;
    m_thread = std::thread(&WalCheckpointer::run, this, databasePath, intervalMs);
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

void WalCheckpointer::run(QString path, int intervalMs)
{
    std::unique_ptr<SqlConnection> db;
    try {
        db = SqlConnection::open(path);
    } catch (const std::exception &e) {
        qWarning("WAL checkpointer cannot open the database: %s", e.what());
        return;
    }
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, std::chrono::milliseconds(intervalMs), [this] { return m_stopping; })) {
        lock.unlock();
        try {
            // PASSIVE never waits for readers or writers; what it cannot copy now waits for the next round.
            db->exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (const std::exception &e) {
            qWarning("WAL checkpoint failed: %s", e.what());
        }
        lock.lock();
    }
}

} // namespace Hearth
