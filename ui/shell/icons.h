#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace Hearth::Icons {

// Hearth's own line icons (resources/icons/<name>.svg) drawn in a color, with
// the palette's colors for the normal, disabled and selected states when no
// color is given. Used where one consistent set reads best (the sidebar, the
// message bar).
QIcon own(const QString &name, const QColor &color = {});

// The system theme's icon for an action when the theme has one (and the
// console's colors are the system's, so it stays legible), else own(name).
// Names are Hearth's: refresh, start, stop, restart, lan, connect, signout,
// search, save, run, quit, show, info, warning, error, success, close, and
// the page names tables, data, routes, permissions, users, cache, server, settings.
QIcon themed(const QString &name);

// The flame: window, tray and .desktop icon.
QIcon app();

// Drops rendered icons, after the palette changed.
void clearCache();
// Whether themed() may use the system theme (false while the console's
// colors were forced against the system's).
void setSystemThemeAllowed(bool allowed);

} // namespace Hearth::Icons
