#include "widgets/timestamptext.h"

#include <QDateTime>
#include <QLocale>

namespace Hearth {

std::optional<QString> readableTimestamp(const QString &text)
{
    // Cheap shape check first: most strings in a list are not timestamps.
    if (text.size() < 20 || text.size() > 30 || text.at(10) != u'T' || !text.endsWith(u'Z') ||
        text.at(4) != u'-')
        return std::nullopt;
    const QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!when.isValid())
        return std::nullopt;
    return QLocale::c().toString(when.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace Hearth
