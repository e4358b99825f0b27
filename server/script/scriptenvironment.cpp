#include "script/scriptenvironment.h"

#include <QProcessEnvironment>

namespace Hearth {

const QJsonObject &scriptEnvironment()
{
    static const QJsonObject environment = [] {
        static const char *const secretWords[] = {"KEY",        "SECRET",  "TOKEN", "PASSWORD", "PASS",
                                                  "CREDENTIAL", "PRIVATE", "AUTH",  "COOKIE",   "SESSION"};
        QJsonObject out;
        const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
        for (const QString &name : system.keys()) {
            const QString upper = name.toUpper();
            bool secret = upper.startsWith(QLatin1StringView("HEARTH_ADMIN_"));
            for (const char *word : secretWords)
                secret = secret || upper.contains(QLatin1StringView(word));
            if (!secret)
                out.insert(name, system.value(name));
        }
        out.insert(QStringLiteral("HEARTH_VERSION"), QStringLiteral(HEARTH_VERSION));
        return out;
    }();
    return environment;
}

} // namespace Hearth
