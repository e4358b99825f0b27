#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Hearth {

// Case- and accent-insensitive form of UTF-8 text: "Résumé" -> "resume".
// The text operators fold both sides with this, in C++ and in SQL (hearth_fold).
QByteArray foldText(QByteArrayView utf8);

} // namespace Hearth
