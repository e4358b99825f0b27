#include "auth/useraccountrules.h"

#include "core/apierror.h"

namespace Hearth {

namespace {
bool looksLikeEmail(const QString &email)
{
    const qsizetype at = email.indexOf(u'@');
    if (at <= 0 || at != email.lastIndexOf(u'@') || at == email.size() - 1 || email.size() > 255)
        return false;
    for (QChar c : email)
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return false;
    return true;
}
} // namespace

void normalizeUserBody(QJsonObject &body)
{
    const QJsonValue email = body.value(QLatin1StringView("email"));
    if (!email.isString())
        return; // absent, or a type error the writer reports
    const QString normalized = email.toString().trimmed().toLower();
    if (!looksLikeEmail(normalized))
        throw ApiError::validation({QStringLiteral("email must be a valid email address")});
    body.insert(QStringLiteral("email"), normalized);
}

} // namespace Hearth
