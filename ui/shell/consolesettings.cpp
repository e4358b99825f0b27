#include "shell/consolesettings.h"

namespace Hearth {

ConsoleSettings &ConsoleSettings::instance()
{
    static ConsoleSettings settings;
    return settings;
}

std::unique_ptr<QSettings> ConsoleSettings::open()
{
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope,
                                       QStringLiteral("Hearth"), QStringLiteral("console"));
}

Theme::ColorScheme ConsoleSettings::colorScheme() const
{
    return Theme::fromString(open()->value(QStringLiteral("appearance/colorScheme")).toString());
}

void ConsoleSettings::setColorScheme(Theme::ColorScheme scheme)
{
    if (scheme == colorScheme())
        return;
    open()->setValue(QStringLiteral("appearance/colorScheme"), Theme::toString(scheme));
    emit colorSchemeChanged(scheme);
}

bool ConsoleSettings::keepServingInTray() const
{
    return open()->value(QStringLiteral("server/keepServingInTray"), true).toBool();
}

void ConsoleSettings::setKeepServingInTray(bool keep)
{
    if (keep == keepServingInTray())
        return;
    open()->setValue(QStringLiteral("server/keepServingInTray"), keep);
    emit keepServingInTrayChanged(keep);
}

} // namespace Hearth
