#include "shell/serverbook.h"

#include "shell/consolesettings.h"

namespace Hearth::ServerBook {

namespace {

constexpr int kMaxServers = 12;

void save(const QList<KnownServer> &servers)
{
    auto settings = ConsoleSettings::open();
    settings->beginWriteArray(QStringLiteral("servers"), int(servers.size()));
    for (int i = 0; i < servers.size(); ++i) {
        settings->setArrayIndex(i);
        settings->setValue(QStringLiteral("url"), servers.at(i).url);
        settings->setValue(QStringLiteral("email"), servers.at(i).email);
    }
    settings->endArray();
}

} // namespace

QList<KnownServer> load()
{
    auto settings = ConsoleSettings::open();
    QList<KnownServer> servers;
    const int count = settings->beginReadArray(QStringLiteral("servers"));
    for (int i = 0; i < count; ++i) {
        settings->setArrayIndex(i);
        const KnownServer server{settings->value(QStringLiteral("url")).toString(),
                                 settings->value(QStringLiteral("email")).toString()};
        if (!server.url.isEmpty())
            servers.append(server);
    }
    settings->endArray();
    return servers;
}

void remember(const KnownServer &server)
{
    QList<KnownServer> servers = load();
    servers.removeIf([&](const KnownServer &s) { return s.url == server.url; });
    servers.prepend(server);
    while (servers.size() > kMaxServers)
        servers.removeLast();
    save(servers);
}

void forget(const QString &url)
{
    QList<KnownServer> servers = load();
    servers.removeIf([&](const KnownServer &s) { return s.url == url; });
    save(servers);
}

QString passwordKey(const KnownServer &server)
{
    return QStringLiteral("server-password:%1 %2").arg(server.url, server.email);
}

} // namespace Hearth::ServerBook
