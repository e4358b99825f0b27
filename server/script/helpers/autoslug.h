#pragma once

#include <QString>

namespace Hearth {

// $helpers.autoSlug: a URL-friendly slug. Folded like the text filters (lower
// case, accents removed: "Héllo" -> "hello"), the Latin letters that do not
// decompose spelled out ("ß" -> "ss", "æ" -> "ae", "ø" -> "o"), then every run
// of characters other than a-z and 0-9 becomes one '-', trimmed at both ends:
// "My Product Name" -> "my-product-name", "Héllo, Wörld!" -> "hello-world".
// Letters of other scripts (Cyrillic, CJK) are dropped.
QString autoSlug(const QString &text);

} // namespace Hearth
