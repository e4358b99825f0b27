#include "pages/permissions/accesspanel.h"

namespace Hearth {

void AccessPanel::send(const QByteArray &method, const QString &path, const QJsonValue &body,
                       std::function<void(const ApiResult &)> onSuccess, const QString &errorContext,
                       std::function<void()> onFailure)
{
    if (!m_client)
        return;
    const QPointer<ApiClient> sentBy = m_client;
    m_client->send(
        method, path, body,
        [this, sentBy, onSuccess, onFailure, errorContext](const ApiResult &result) {
            if (sentBy != m_client)
                return; // the console switched servers meanwhile
            if (!result.ok()) {
                emit failed(result.failure(), errorContext);
                if (onFailure)
                    onFailure();
                return;
            }
            if (onSuccess)
                onSuccess(result);
        },
        this);
}

} // namespace Hearth
