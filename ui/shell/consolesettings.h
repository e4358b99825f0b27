#pragma once

#include "shell/theme.h"

#include <QObject>
#include <QSettings>

#include <memory>

namespace Hearth {

// The console's own preferences (not the server's /hearth_setting): kept with
// QSettings in the user's config folder (~/.config/Hearth/console.conf), shared
// by every window of the process.
class ConsoleSettings : public QObject
{
    Q_OBJECT
public:
    static ConsoleSettings &instance();

    Theme::ColorScheme colorScheme() const;
    void setColorScheme(Theme::ColorScheme scheme);

    // Closing the window leaves the embedded server serving, with a tray icon (default on).
    bool keepServingInTray() const;
    void setKeepServingInTray(bool keep);

    // The QSettings every part of the console writes to (window state, remembered servers).
    static std::unique_ptr<QSettings> open();

signals:
    void colorSchemeChanged(Hearth::Theme::ColorScheme scheme);
    void keepServingInTrayChanged(bool keep);

private:
    ConsoleSettings() = default;
};

} // namespace Hearth
