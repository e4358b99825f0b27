#include "core/textfold.h"

#include <QString>

namespace Hearth {

QByteArray foldText(QByteArrayView utf8)
{
    bool ascii = true;
    for (char c : utf8)
        if (uchar(c) >= 0x80) {
            ascii = false;
            break;
        }
    if (ascii) { // the common case, without a round trip through UTF-16
        QByteArray out(utf8.data(), utf8.size());
        for (char &c : out)
            if (c >= 'A' && c <= 'Z')
                c = char(c + ('a' - 'A'));
        return out;
    }
    const QString decomposed = QString::fromUtf8(utf8).normalized(QString::NormalizationForm_KD);
    QString kept;
    kept.reserve(decomposed.size());
    for (QChar c : decomposed)
        if (c.category() != QChar::Mark_NonSpacing && c.category() != QChar::Mark_Enclosing)
            kept.append(c);
    return kept.toCaseFolded().toUtf8();
}

} // namespace Hearth
