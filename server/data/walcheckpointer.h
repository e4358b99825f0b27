#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace Hearth {

class Database;

// Copies the write-ahead log into the database file from a thread of its
// own, so no request pays for a checkpoint (and its fsync) itself. Worker
// connections run with wal_autocheckpoint off. The checkpoint takes the
// writer lock: only a checkpoint that no new write overtakes lets SQLite
// rewind the log, which otherwise grows without bound under steady writes.
class WalCheckpointer
{
public:
    WalCheckpointer() = default;
    ~WalCheckpointer() { stop(); }
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    void start(Database &database, int intervalMs = 100);
    void stop();

private:
    void run(Database *database, int intervalMs);

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

} // namespace Hearth
