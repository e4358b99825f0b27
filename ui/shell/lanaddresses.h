#pragma once

#include <QHostAddress>
#include <QList>
#include <QUrl>

class QWidget;

namespace Hearth {

// The addresses other machines on the LAN can use to reach this one: IPv4 (and,
// with ipv6, global IPv6) addresses of interfaces that are up, running and
// not loopback; link-local addresses left out.
QList<QHostAddress> lanAddresses(bool ipv6 = false);

// http://<address>:<port> with IPv6 brackets.
QUrl httpUrl(const QHostAddress &address, quint16 port);

// Asks before serving the LAN, listing the addresses it will be reachable at.
// True when the user agreed.
bool confirmServeLan(QWidget *parent, quint16 port);

} // namespace Hearth
