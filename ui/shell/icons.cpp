#include "shell/icons.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>

namespace Hearth::Icons {

namespace {

QHash<QString, QIcon> &cache()
{
    static QHash<QString, QIcon> icons;
    return icons;
}

bool &systemThemeAllowed()
{
    static bool allowed = true;
    return allowed;
}

QByteArray svgSource(const QString &name)
{
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QPixmap render(const QByteArray &svg, const QColor &color, int size, qreal ratio)
{
    QByteArray source = svg;
    source.replace("currentColor", color.name(QColor::HexRgb).toLatin1());
    QSvgRenderer renderer(source);
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.fill(Qt::transparent);
    if (color.alphaF() < 1.0) {
        QPixmap solid(pixmap.size());
        solid.fill(Qt::transparent);
        QPainter p(&solid);
        renderer.render(&p);
        p.end();
        QPainter out(&pixmap);
        out.setOpacity(color.alphaF());
        out.drawPixmap(0, 0, solid);
    } else {
        QPainter p(&pixmap);
        renderer.render(&p);
    }
    pixmap.setDevicePixelRatio(ratio);
    return pixmap;
}

void addRendered(QIcon &icon, const QByteArray &svg, const QColor &color, QIcon::Mode mode)
{
    for (int size : {16, 20, 22, 24, 32, 48})
        for (qreal ratio : {1.0, 2.0})
            icon.addPixmap(render(svg, color, size, ratio), mode);
}

// Freedesktop names tried, in order, for each of Hearth's names.
QStringList themeNames(const QString &name)
{
    static const QHash<QString, QStringList> names{
        {QStringLiteral("refresh"), {QStringLiteral("view-refresh")}},
        {QStringLiteral("start"), {QStringLiteral("media-playback-start")}},
        {QStringLiteral("stop"), {QStringLiteral("media-playback-stop")}},
        {QStringLiteral("restart"), {QStringLiteral("system-reboot"), QStringLiteral("view-refresh")}},
        {QStringLiteral("lan"), {QStringLiteral("network-wired")}},
        {QStringLiteral("connect"), {QStringLiteral("network-connect"), QStringLiteral("network-server")}},
        {QStringLiteral("signout"), {QStringLiteral("system-log-out")}},
        {QStringLiteral("search"), {QStringLiteral("edit-find"), QStringLiteral("system-search")}},
        {QStringLiteral("save"), {QStringLiteral("document-save")}},
        {QStringLiteral("run"), {QStringLiteral("system-run"), QStringLiteral("media-playback-start")}},
        {QStringLiteral("quit"), {QStringLiteral("application-exit")}},
        {QStringLiteral("show"), {QStringLiteral("window-new")}},
        {QStringLiteral("info"), {QStringLiteral("dialog-information")}},
        {QStringLiteral("warning"), {QStringLiteral("dialog-warning")}},
        {QStringLiteral("error"), {QStringLiteral("dialog-error")}},
        {QStringLiteral("close"), {QStringLiteral("window-close")}},
        {QStringLiteral("tables"),
         {QStringLiteral("view-form-table"), QStringLiteral("x-office-spreadsheet")}},
        {QStringLiteral("data"),
         {QStringLiteral("server-database"), QStringLiteral("network-server-database")}},
        {QStringLiteral("users"), {QStringLiteral("system-users"), QStringLiteral("user-group-properties")}},
        {QStringLiteral("permissions"), {QStringLiteral("security-high")}},
        {QStringLiteral("server"), {QStringLiteral("network-server")}},
        {QStringLiteral("settings"), {QStringLiteral("configure"), QStringLiteral("preferences-system")}},
    };
    return names.value(name);
}

} // namespace

QIcon own(const QString &name, const QColor &color)
{
    const QPalette palette = QApplication::palette();
    const QString key = name + QLatin1Char('|') + (color.isValid() ? color.name(QColor::HexArgb) : QString());
    auto found = cache().constFind(key);
    if (found != cache().constEnd())
        return *found;
    const QByteArray svg = svgSource(name);
    QIcon icon;
    if (!svg.isEmpty()) {
        if (color.isValid()) {
            addRendered(icon, svg, color, QIcon::Normal);
            QColor faded = color;
            faded.setAlphaF(0.4);
            addRendered(icon, svg, faded, QIcon::Disabled);
        } else {
            addRendered(icon, svg, palette.color(QPalette::Active, QPalette::WindowText), QIcon::Normal);
            addRendered(icon, svg, palette.color(QPalette::Disabled, QPalette::WindowText), QIcon::Disabled);
            addRendered(icon, svg, palette.color(QPalette::Active, QPalette::HighlightedText),
                        QIcon::Selected);
        }
    }
    cache().insert(key, icon);
    return icon;
}

QIcon themed(const QString &name)
{
    if (systemThemeAllowed()) {
        // hicolor holds application icons only: a theme worth asking is a real one.
        const QString theme = QIcon::themeName();
        if (!theme.isEmpty() && theme != u"hicolor") {
            for (const QString &candidate : themeNames(name))
                if (QIcon::hasThemeIcon(candidate))
                    return QIcon::fromTheme(candidate);
        }
    }
    return own(name);
}

QIcon app()
{
    static const QIcon icon(QStringLiteral(":/icons/hearth.svg"));
    return icon;
}

void clearCache()
{
    cache().clear();
}

void setSystemThemeAllowed(bool allowed)
{
    systemThemeAllowed() = allowed;
}

} // namespace Hearth::Icons
