#pragma once

#include "pages/recordlistpage.h"

namespace Hearth {

// The keys of the server's cache (GET /admin/cache/keys).
class CachePage : public RecordListPage
{
    Q_OBJECT
public:
    explicit CachePage(QWidget *parent = nullptr);

protected:
    void loadFailed(const ApiFailure &failure) override;
};

} // namespace Hearth
