#include "script/helpers/autoslug.h"

#include "core/textfold.h"

namespace Hearth {

QString autoSlug(const QString &text)
{
    const QByteArray folded = foldText(text.toUtf8());
    QString slug;
    slug.reserve(folded.size());
    bool gap = false;
    for (char c : folded) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (gap && !slug.isEmpty())
                slug += QLatin1Char('-');
            slug += QLatin1Char(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    return slug;
}

} // namespace Hearth
