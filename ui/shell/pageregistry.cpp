#include "shell/pageregistry.h"

namespace Hearth {

void PageRegistry::replace(PageInfo info)
{
    for (PageInfo &page : m_pages) {
        if (page.id == info.id) {
            page = std::move(info);
            return;
        }
    }
    m_pages.append(std::move(info));
}

const PageInfo *PageRegistry::find(const QString &id) const
{
    for (const PageInfo &page : m_pages)
        if (page.id == id)
            return &page;
    return nullptr;
}

} // namespace Hearth
