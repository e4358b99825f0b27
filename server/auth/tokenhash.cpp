#include "auth/tokenhash.h"

#include <QCryptographicHash>

namespace Hearth {

QByteArray hashToken(QByteArrayView token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex();
}

} // namespace Hearth
