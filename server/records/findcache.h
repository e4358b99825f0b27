#pragma once

#include "query/queryoptions.h"

#include <QByteArray>
#include <QHash>

namespace Hearth {

// Compiled list queries of one worker, keyed by table, raw query string and caller:
// the same list URL compiles once per schema version. Bounded; cleared
// whole when full or when the metadata changes.
class FindCache
{
public:
    // The key of a list: table and raw query string, and who asks. access is
    // CallerFieldAccess::identityKey (empty for the root admin, whose key
    // stays the plain "table?query"): SQL compiled under one caller's field
    // permissions is never served to another.
    static QByteArray key(const QString &table, const QByteArray &rawQuery, const QByteArray &access = {})
    {
        QByteArray key;
        if (!access.isEmpty()) // length-prefixed, and no table name starts with \x01
            key = '\x01' + QByteArray::number(access.size()) + ':' + access;
        return key + table.toUtf8() + '?' + rawQuery;
    }

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
