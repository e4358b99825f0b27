#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace Hearth {

// Copies the write-ahead log into the database file from a thread of its
// own, so no request pays for a checkpoint (and its fsync) while holding the
// writer lock. Worker connections run with wal_autocheckpoint off.
class WalCheckpointer
{
public:
    WalCheckpointer() = default;
    ~WalCheckpointer() { stop(); }
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    void start(const QString &databasePath, int intervalMs = 1000);
    void stop();

private:
    void run(QString path, int intervalMs);

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

} // namespace Hearth
