#pragma once

namespace Hearth {

// A link embedded in an object kept in an LruList. The object owns no memory
// through it, so linking, unlinking and moving to the front never allocate.
struct LruLink
{
    LruLink *prev = nullptr;
    LruLink *next = nullptr;

    bool isLinked() const { return next != nullptr; }
};

// Intrusive doubly linked recency list: the front is the most recently used,
// the back the least. Every operation is O(1). Not thread-safe: the owner
// guards it with its own lock. Objects must outlive their membership.
class LruList
{
public:
    LruList() { m_sentinel.prev = m_sentinel.next = &m_sentinel; }
    LruList(const LruList &) = delete;
    LruList &operator=(const LruList &) = delete;

    bool isEmpty() const { return m_sentinel.next == &m_sentinel; }

    void pushFront(LruLink *link)
    {
        link->prev = &m_sentinel;
        link->next = m_sentinel.next;
        m_sentinel.next->prev = link;
        m_sentinel.next = link;
    }

    void remove(LruLink *link)
    {
        link->prev->next = link->next;
        link->next->prev = link->prev;
        link->prev = link->next = nullptr;
    }

    void moveToFront(LruLink *link)
    {
        if (m_sentinel.next == link)
            return;
        remove(link);
        pushFront(link);
    }

    // The least recently used link, or nullptr when the list is empty.
    LruLink *back() const { return isEmpty() ? nullptr : m_sentinel.prev; }

private:
    LruLink m_sentinel;
};

} // namespace Hearth
