#include "core/jsonkeys.h"

#include "core/apierror.h"

namespace Hearth {

void rejectUnknownKeys(const QJsonObject &object, std::initializer_list<const char *> allowed,
                       const QString &where)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool known = false;
        for (const char *key : allowed)
            known = known || it.key() == QLatin1StringView(key);
        if (!known)
            throw ApiError::badRequest(where.isEmpty()
                                           ? QStringLiteral("%1 is not allowed").arg(it.key())
                                           : QStringLiteral("%1.%2 is not allowed").arg(where, it.key()));
    }
}

} // namespace Hearth
