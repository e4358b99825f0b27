#pragma once

#include <QtGlobal>

class QAbstractSocket;

namespace Hearth {

// Socket operations QAbstractSocket has no API for.

// Shuts down the sending side only (shutdown(SHUT_WR)). Closing a socket that
// still has unread input makes the kernel send RST, which can destroy an
// error answer before the client reads it; after a half close the client
// sees the answer and EOF, and closes its side when it is done sending.
void halfCloseSocket(QAbstractSocket *socket);

// Closes an accepted descriptor that no QTcpSocket took over.
void closeSocketDescriptor(qintptr descriptor);

} // namespace Hearth
