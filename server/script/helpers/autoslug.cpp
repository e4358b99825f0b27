#include "script/helpers/autoslug.h"

#include "core/textfold.h"

namespace Hearth {

namespace {

// Latin letters that no decomposition takes apart, spelled as slugs usually spell them.
QLatin1StringView latinSpelling(char16_t c)
{
    switch (c) {
    case u'ß':
        return QLatin1StringView("ss");
    case u'æ':
        return QLatin1StringView("ae");
    case u'œ':
        return QLatin1StringView("oe");
    case u'ø':
        return QLatin1StringView("o");
    case u'đ':
    case u'ð':
        return QLatin1StringView("d");
    case u'ł':
        return QLatin1StringView("l");
    case u'þ':
        return QLatin1StringView("th");
    case u'ı':
        return QLatin1StringView("i");
    default:
        return {};
    }
}

} // namespace

QString autoSlug(const QString &text)
{
    const QString folded = QString::fromUtf8(foldText(text.toUtf8()));
    QString slug;
    slug.reserve(folded.size());
    bool gap = false;
    const auto append = [&](QLatin1StringView part) {
        if (gap && !slug.isEmpty())
            slug += QLatin1Char('-');
        slug += part;
        gap = false;
    };
    for (const QChar ch : folded) {
        const char16_t c = ch.unicode();
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            const char ascii = char(c);
            append(QLatin1StringView(&ascii, 1));
        } else if (const QLatin1StringView spelled = latinSpelling(c); !spelled.isEmpty()) {
            append(spelled);
        } else {
            gap = true;
        }
    }
    return slug;
}

} // namespace Hearth
