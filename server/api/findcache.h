#pragma once

#include "query/queryoptions.h"

#include <QByteArray>
#include <QHash>

namespace Hearth {

// Compiled list queries of one worker, keyed by table and raw query string:
// the same list URL compiles once per schema version. Bounded; cleared
// whole when full or when the metadata changes.
class FindCache
{
public:
    const CompiledFind *find(const QByteArray &key) const
    {
        const auto it = m_entries.constFind(key);
        return it == m_entries.cend() ? nullptr : &*it;
    }
    void insert(const QByteArray &key, const CompiledFind &compiled)
    {
        if (m_entries.size() >= kCapacity)
            m_entries.clear();
        m_entries.insert(key, compiled);
    }
    void clear() { m_entries.clear(); }

private:
    static constexpr qsizetype kCapacity = 1024;
    QHash<QByteArray, CompiledFind> m_entries;
};

} // namespace Hearth
