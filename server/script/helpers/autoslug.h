#pragma once

#include <QString>

namespace Hearth {

// $helpers.autoSlug: a URL-friendly slug. Folded like the text filters (lower
// case, accents removed: "Héllo" -> "hello", "ß" -> "ss"), then every run of
// characters other than a-z and 0-9 becomes one '-', trimmed at both ends:
// "My Product Name" -> "my-product-name", "Héllo, Wörld!" -> "hello-world".
// Letters without a Latin form (Cyrillic, CJK) are dropped, as in Enfyra.
QString autoSlug(const QString &text);

} // namespace Hearth
