#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include "auth/caller.h"

namespace Hearth {

// Access tokens one worker has already checked, until they expire: a signed-in
// request then costs a hash lookup instead of base64, HMAC, JSON parsing and a
// session query. The caller found for a token is reused only while nothing
// that could change it was written since: a stamp of the engine's auth
// generation (this process's writes to users, roles, sessions) and SQLite's
// data_version (writes by any other connection, the reset CLI included)
// must match. Per worker thread, so no locking.
class VerifiedTokenCache
{
public:
    struct Stamp
    {
        quint64 authGeneration = 0;
        qint64 dataVersion = -1;
        bool operator==(const Stamp &) const = default;
    };
    struct Entry
    {
        QString userId;
        QString sessionId;
        qint64 expiresAt = 0; // seconds since the epoch
        Caller caller;        // valid while stamp is current
        Stamp stamp;          // dataVersion -1: the session was never looked up
    };

    Entry *find(const QByteArray &token, qint64 nowSeconds)
    {
        const auto it = m_entries.find(token);
        return it != m_entries.end() && it->expiresAt > nowSeconds ? &*it : nullptr;
    }
    Entry *insert(const QByteArray &token, Entry entry)
    {
        if (m_entries.size() >= kCapacity)
            m_entries.clear();
        return &*m_entries.insert(token, std::move(entry));
    }

private:
    static constexpr qsizetype kCapacity = 4096;
    QHash<QByteArray, Entry> m_entries;
};

} // namespace Hearth
