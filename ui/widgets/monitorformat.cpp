#include "widgets/monitorformat.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace Hearth::MonitorFormat {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MonitorFormat", text);
}

} // namespace

QString bytes(double bytes)
{
    if (bytes < 1000)
        return tr("%1 bytes").arg(qint64(bytes));
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString duration(double ms)
{
    if (ms < 1000)
        return tr("%1 ms").arg(qint64(std::round(ms)));
    const qint64 s = qint64(ms / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return s % 60 ? tr("%1 min %2 s").arg(s / 60).arg(s % 60) : tr("%1 min").arg(s / 60);
    if (s < 86400)
        return s % 3600 / 60 ? tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60) : tr("%1 h").arg(s / 3600);
    return s % 86400 / 3600 ? tr("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600)
                            : tr("%1 d").arg(s / 86400);
}

QString number(double value)
{
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return QLocale().toString(qint64(value));
    return QLocale().toString(value, 'f', std::abs(value) < 10 ? 1 : 0);
}

QString percent(double fraction)
{
    return tr("%1 %").arg(QLocale().toString(fraction * 100, 'f', 1));
}

} // namespace Hearth::MonitorFormat
