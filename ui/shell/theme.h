#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace Hearth {

// The console's look: the Fusion style with a light or a dark palette. With
// ColorScheme::System the scheme follows the desktop's: Qt 6.4 has no
// QStyleHints::colorScheme(), so the platform palette's window color is read
// once at start (captureSystemPalette) and a dark window means a dark desktop.
namespace Theme {

enum class ColorScheme
{
    System,
    Light,
    Dark
};

// Call once, after QApplication exists and before apply(): remembers the platform's palette.
void captureSystemPalette();
bool systemIsDark();

// Sets the Fusion style and the palette for scheme (windows and widgets get PaletteChange).
void apply(ColorScheme scheme);
bool isDark(); // the scheme applied now

QPalette lightPalette();
QPalette darkPalette();

// Colors for states (running, stopped, errors), legible on the current palette.
QColor accent();
QColor positive();
QColor warning();
QColor negative();
QColor muted(); // secondary text
// a blended with b: amount 0 = a, 1 = b.
QColor mix(const QColor &a, const QColor &b, qreal amount);

QString toString(ColorScheme scheme);
ColorScheme fromString(const QString &text);

} // namespace Theme

} // namespace Hearth
