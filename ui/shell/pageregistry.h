#pragma once

#include <QList>
#include <QString>

#include <functional>

namespace Hearth {

class Page;

// What the sidebar shows for a page, and how to make it.
struct PageInfo
{
    QString id;       // stable: remembered as the last page shown ("tables")
    QString title;    // sidebar and header ("Tables")
    QString icon;     // a Hearth icon name (resources/icons/<icon>.svg, see Icons)
    QString subtitle; // one line under the header's title
    std::function<Page *()> create;
};

// The pages of the console in sidebar order. The built-in ones are listed in
// ui/pages/builtinpages.cpp; adding a page is one add<>() line there.
class PageRegistry
{
public:
    void add(PageInfo info) { m_pages.append(std::move(info)); }
    template <typename P>
    void add(const QString &id, const QString &title, const QString &icon, const QString &subtitle = {})
    {
        add(PageInfo{id, title, icon, subtitle, [] {
                         return new P;
                     }});
    }
    // Puts a page in place of the one with the same id (e.g. a richer Users page).
    void replace(PageInfo info);

    const QList<PageInfo> &pages() const { return m_pages; }
    const PageInfo *find(const QString &id) const;

    // The console's pages: Tables, Data, Routes & Hooks, Permissions, Users, Cache, Server, Settings.
    static PageRegistry builtin();

private:
    QList<PageInfo> m_pages;
};

} // namespace Hearth
