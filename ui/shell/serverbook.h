#pragma once

#include <QList>
#include <QString>

namespace Hearth {

// Servers the console connected to before (URL and email, in the console's
// settings); their passwords live in the SecretStore under passwordKey().
struct KnownServer
{
    QString url;
    QString email;
};

namespace ServerBook {

QList<KnownServer> load();
// Puts server first (most recent), replacing an entry with the same URL.
void remember(const KnownServer &server);
void forget(const QString &url);
QString passwordKey(const KnownServer &server);

} // namespace ServerBook

} // namespace Hearth
