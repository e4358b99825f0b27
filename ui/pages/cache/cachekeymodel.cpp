#include "pages/cache/cachekeymodel.h"

#include "shell/theme.h"
#include "widgets/monitorformat.h"

namespace Hearth {

CacheKeyModel::CacheKeyModel(QObject *parent) : JsonTableModel(parent)
{
    setColumns({{QStringLiteral("key"), tr("Key")},
                {QStringLiteral("kind"), tr("Kind")},
                {QStringLiteral("type"), tr("Type")},
                {QStringLiteral("bytes"), tr("Size")},
                {QStringLiteral("ttlMs"), tr("Expires in")}});
}

void CacheKeyModel::appendRows(const QJsonArray &rows)
{
    QJsonArray all;
    for (int i = 0; i < rowCount(); ++i)
        all.append(row(i));
    for (const QJsonValue &r : rows)
        all.append(r);
    setRows(all);
}

int CacheKeyModel::rowOf(const QString &key) const
{
    for (int i = 0; i < rowCount(); ++i)
        if (row(i).value(u"key").toString() == key)
            return i;
    return -1;
}

QStringList CacheKeyModel::keys() const
{
    QStringList out;
    for (int i = 0; i < rowCount(); ++i)
        out << row(i).value(u"key").toString();
    return out;
}

QVariant CacheKeyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const QString column = columns().value(index.column()).key;
    const QJsonObject r = row(index.row());
    const bool system = r.value(u"kind").toString() == u"system";
    if (role == Qt::DisplayRole) {
        if (column == u"bytes")
            return MonitorFormat::bytes(r.value(u"bytes").toDouble());
        if (column == u"ttlMs")
            return r.value(u"ttlMs").isNull() ? tr("never")
                                              : MonitorFormat::duration(r.value(u"ttlMs").toDouble());
        if (column == u"kind")
            return system ? tr("System") : tr("User");
    }
    if (role == Qt::ForegroundRole && system)
        return Theme::muted();
    if (role == Qt::ToolTipRole && system)
        return tr("Kept by the server (rate limits, locks): read only");
    if (role == SortRole && column == u"ttlMs" && r.value(u"ttlMs").isNull())
        return 1e300; // "never" sorts after every time
    return JsonTableModel::data(index, role);
}

} // namespace Hearth
