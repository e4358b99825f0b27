#include "shell/theme.h"

#include "shell/icons.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace Hearth::Theme {

namespace {

QPalette &systemPalette()
{
    static QPalette palette;
    return palette;
}

bool &captured()
{
    static bool done = false;
    return done;
}

bool &dark()
{
    static bool value = false;
    return value;
}

void setGroupColors(QPalette &p, const QHash<QPalette::ColorRole, QColor> &colors, QPalette::ColorGroup group)
{
    for (auto it = colors.cbegin(); it != colors.cend(); ++it)
        p.setColor(group, it.key(), it.value());
}

} // namespace

void captureSystemPalette()
{
    systemPalette() = QGuiApplication::palette();
    captured() = true;
}

bool systemIsDark()
{
    if (!captured())
        captureSystemPalette();
    // Relative luminance of the window color: below the middle grey, the desktop is dark.
    const QColor window = systemPalette().color(QPalette::Active, QPalette::Window);
    const qreal luminance = 0.2126 * window.redF() + 0.7152 * window.greenF() + 0.0722 * window.blueF();
    return luminance < 0.5;
}

QPalette lightPalette()
{
    QPalette p;
    const QHash<QPalette::ColorRole, QColor> active{
        {QPalette::Window, QColor(0xf5, 0xf4, 0xf2)},
        {QPalette::WindowText, QColor(0x1f, 0x1d, 0x1b)},
        {QPalette::Base, QColor(0xff, 0xff, 0xff)},
        {QPalette::AlternateBase, QColor(0xf7, 0xf5, 0xf3)},
        {QPalette::ToolTipBase, QColor(0xff, 0xfb, 0xf2)},
        {QPalette::ToolTipText, QColor(0x1f, 0x1d, 0x1b)},
        {QPalette::PlaceholderText, QColor(0x8a, 0x84, 0x7e)},
        {QPalette::Text, QColor(0x1f, 0x1d, 0x1b)},
        {QPalette::Button, QColor(0xfb, 0xfa, 0xf9)},
        {QPalette::ButtonText, QColor(0x1f, 0x1d, 0x1b)},
        {QPalette::BrightText, QColor(0xff, 0xff, 0xff)},
        {QPalette::Light, QColor(0xff, 0xff, 0xff)},
        {QPalette::Midlight, QColor(0xea, 0xe7, 0xe3)},
        {QPalette::Mid, QColor(0xc9, 0xc4, 0xbe)},
        {QPalette::Dark, QColor(0xa8, 0xa2, 0x9b)},
        {QPalette::Shadow, QColor(0x6e, 0x69, 0x64)},
        {QPalette::Highlight, QColor(0xc2, 0x4a, 0x12)},
        {QPalette::HighlightedText, QColor(0xff, 0xff, 0xff)},
        {QPalette::Link, QColor(0xb0, 0x40, 0x0c)},
        {QPalette::LinkVisited, QColor(0x8a, 0x35, 0x10)},
    };
    setGroupColors(p, active, QPalette::Active);
    setGroupColors(p, active, QPalette::Inactive);
    QHash<QPalette::ColorRole, QColor> disabled = active;
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        disabled[role] = QColor(0xa6, 0xa0, 0x9a);
    disabled[QPalette::Highlight] = QColor(0xd8, 0xd2, 0xcc);
    setGroupColors(p, disabled, QPalette::Disabled);
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QHash<QPalette::ColorRole, QColor> active{
        {QPalette::Window, QColor(0x2a, 0x28, 0x27)},
        {QPalette::WindowText, QColor(0xec, 0xe8, 0xe4)},
        {QPalette::Base, QColor(0x1f, 0x1e, 0x1d)},
        {QPalette::AlternateBase, QColor(0x26, 0x24, 0x23)},
        {QPalette::ToolTipBase, QColor(0x35, 0x32, 0x30)},
        {QPalette::ToolTipText, QColor(0xec, 0xe8, 0xe4)},
        {QPalette::PlaceholderText, QColor(0x8d, 0x87, 0x82)},
        {QPalette::Text, QColor(0xec, 0xe8, 0xe4)},
        {QPalette::Button, QColor(0x35, 0x33, 0x31)},
        {QPalette::ButtonText, QColor(0xec, 0xe8, 0xe4)},
        {QPalette::BrightText, QColor(0xff, 0xff, 0xff)},
        {QPalette::Light, QColor(0x48, 0x45, 0x42)},
        {QPalette::Midlight, QColor(0x3c, 0x39, 0x37)},
        {QPalette::Mid, QColor(0x30, 0x2e, 0x2c)},
        {QPalette::Dark, QColor(0x1a, 0x19, 0x18)},
        {QPalette::Shadow, QColor(0x0d, 0x0c, 0x0c)},
        {QPalette::Highlight, QColor(0xe0, 0x5f, 0x1e)},
        {QPalette::HighlightedText, QColor(0xff, 0xff, 0xff)},
        {QPalette::Link, QColor(0xff, 0x9a, 0x57)},
        {QPalette::LinkVisited, QColor(0xe0, 0x86, 0x50)},
    };
    setGroupColors(p, active, QPalette::Active);
    setGroupColors(p, active, QPalette::Inactive);
    QHash<QPalette::ColorRole, QColor> disabled = active;
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        disabled[role] = QColor(0x75, 0x70, 0x6c);
    disabled[QPalette::Highlight] = QColor(0x4a, 0x46, 0x43);
    setGroupColors(p, disabled, QPalette::Disabled);
    return p;
}

void apply(ColorScheme scheme)
{
    if (!captured())
        captureSystemPalette();
    const bool wantDark = scheme == ColorScheme::Dark || (scheme == ColorScheme::System && systemIsDark());
    dark() = wantDark;
    if (!qApp->style() || qApp->style()->name().compare(u"fusion", Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(wantDark ? darkPalette() : lightPalette());
    // System-theme icons are drawn for the system's colors: use them only while those are ours.
    Icons::setSystemThemeAllowed(wantDark == systemIsDark());
    Icons::clearCache();
}

bool isDark()
{
    return dark();
}

QColor accent()
{
    return QApplication::palette().color(QPalette::Highlight);
}

QColor positive()
{
    return isDark() ? QColor(0x5c, 0xc9, 0x7b) : QColor(0x1f, 0x8a, 0x46);
}

QColor warning()
{
    return isDark() ? QColor(0xf2, 0xb8, 0x4b) : QColor(0xa8, 0x6a, 0x00);
}

QColor negative()
{
    return isDark() ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x26, 0x26);
}

QColor muted()
{
    const QPalette p = QApplication::palette();
    return mix(p.color(QPalette::WindowText), p.color(QPalette::Window), 0.38);
}

QColor mix(const QColor &a, const QColor &b, qreal amount)
{
    const qreal keep = 1.0 - amount;
    return QColor::fromRgbF(
        float(a.redF() * keep + b.redF() * amount), float(a.greenF() * keep + b.greenF() * amount),
        float(a.blueF() * keep + b.blueF() * amount), float(a.alphaF() * keep + b.alphaF() * amount));
}

QString toString(ColorScheme scheme)
{
    switch (scheme) {
    case ColorScheme::Light:
        return QStringLiteral("light");
    case ColorScheme::Dark:
        return QStringLiteral("dark");
    case ColorScheme::System:
        break;
    }
    return QStringLiteral("system");
}

ColorScheme fromString(const QString &text)
{
    if (text == u"light")
        return ColorScheme::Light;
    if (text == u"dark")
        return ColorScheme::Dark;
    return ColorScheme::System;
}

} // namespace Hearth::Theme
