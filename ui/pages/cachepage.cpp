#include "pages/cachepage.h"

namespace Hearth {

CachePage::CachePage(QWidget *parent) : RecordListPage(parent)
{
    setSubtitle(tr("What scripts keep in $ctx.$cache: keys, values and time to live."));
    setSource(QStringLiteral("/admin/cache/keys?pattern=*&count=1000"));
    setColumns({{QStringLiteral("key"), tr("Key")},
                {QStringLiteral("type"), tr("Type")},
                {QStringLiteral("bytes"), tr("Bytes")},
                {QStringLiteral("ttlMs"), tr("Expires in (ms)")},
                {QStringLiteral("kind"), tr("Kind")}});
    setNouns(tr("key"), tr("keys"));
    setErrorContext(tr("Could not list the cache keys"));
}

void CachePage::loadFailed(const ApiFailure &failure)
{
    if (failure.httpStatus == 404) {
        showMessage(tr("This server has no cache monitor (GET /admin/cache/keys answered 404)."),
                    MessageBar::Info);
        return;
    }
    RecordListPage::loadFailed(failure);
}

} // namespace Hearth
