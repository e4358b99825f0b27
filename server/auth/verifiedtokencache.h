#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace Hearth {

// Access tokens whose signature one worker has already checked, until they
// expire: a signed-in request then costs a hash lookup instead of base64,
// HMAC and JSON parsing. Only the signature work is skipped; the session is
// still looked up per request, so a logout takes effect at once. Per worker
// thread, so no locking.
class VerifiedTokenCache
{
public:
    struct Entry
    {
        QString userId;
        QString sessionId;
        qint64 expiresAt = 0; // seconds since the epoch
    };

    const Entry *find(const QByteArray &token, qint64 nowSeconds) const
    {
        const auto it = m_entries.constFind(token);
        return it != m_entries.cend() && it->expiresAt > nowSeconds ? &*it : nullptr;
    }
    void insert(const QByteArray &token, Entry entry)
    {
        if (m_entries.size() >= kCapacity)
            m_entries.clear();
        m_entries.insert(token, std::move(entry));
    }

private:
    static constexpr qsizetype kCapacity = 4096;
    QHash<QByteArray, Entry> m_entries;
};

} // namespace Hearth
