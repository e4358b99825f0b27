#include "shell/lanaddresses.h"

#include "shell/icons.h"

#include <QMessageBox>
#include <QNetworkInterface>
#include <QPushButton>

namespace Hearth {

QList<QHostAddress> lanAddresses(bool ipv6)
{
    QList<QHostAddress> result;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!(flags & QNetworkInterface::IsUp) || !(flags & QNetworkInterface::IsRunning) ||
            (flags & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            const QHostAddress address = entry.ip();
            if (address.isLoopback() || address.isLinkLocal())
                continue;
            if (address.protocol() == QAbstractSocket::IPv4Protocol ||
                (ipv6 && address.protocol() == QAbstractSocket::IPv6Protocol && address.isGlobal()))
                result.append(address);
        }
    }
    return result;
}

QUrl httpUrl(const QHostAddress &address, quint16 port)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(address.toString());
    url.setPort(port);
    return url;
}

bool confirmServeLan(QWidget *parent, quint16 port)
{
    const QList<QHostAddress> addresses = lanAddresses();
    QStringList lines;
    for (const QHostAddress &address : addresses)
        lines << QStringLiteral("    ") + httpUrl(address, port).toString();
    QMessageBox box(parent);
    box.setWindowTitle(QObject::tr("Serve the LAN"));
    box.setIconPixmap(Icons::own(QStringLiteral("lan")).pixmap(48, 48));
    box.setText(QObject::tr("Let other devices on your network use this Hearth?"));
    QString informative;
    if (lines.isEmpty())
        informative = QObject::tr("This computer has no LAN address right now; Hearth will listen on every "
                                  "interface and be reachable once it has one.");
    else
        informative =
            QObject::tr(
                "The server will restart and listen on every interface. Other devices reach it at:\n\n%1")
                .arg(lines.join(u'\n'));
    informative +=
        QObject::tr("\n\nAnyone who can reach these addresses can call the public routes and try to "
                    "sign in. Do this on networks you trust.");
    box.setInformativeText(informative);
    QPushButton *serve = box.addButton(QObject::tr("Serve the LAN"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(qobject_cast<QPushButton *>(box.button(QMessageBox::Cancel)));
    box.exec();
    return box.clickedButton() == serve;
}

} // namespace Hearth
