#include "pages/server/requestlogmodel.h"

#include "shell/theme.h"

#include <QDateTime>
#include <QLocale>

namespace Hearth {

RequestLogModel::RequestLogModel(QObject *parent) : QAbstractTableModel(parent) {}

void RequestLogModel::prepend(const QJsonArray &rows)
{
    if (rows.isEmpty())
        return;
    beginInsertRows({}, 0, int(rows.size()) - 1);
    QList<QJsonObject> fresh;
    fresh.reserve(rows.size() + m_rows.size());
    for (const QJsonValue &r : rows)
        fresh.append(r.toObject());
    fresh.append(m_rows);
    m_rows = std::move(fresh);
    endInsertRows();
    if (m_rows.size() > m_capacity) {
        beginRemoveRows({}, m_capacity, int(m_rows.size()) - 1);
        m_rows.resize(m_capacity);
        endRemoveRows();
    }
}

void RequestLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

bool RequestLogModel::hasPath(const QString &path) const
{
    for (const QJsonObject &r : m_rows)
        if (r.value(u"path").toString() == path)
            return true;
    return false;
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &r = m_rows.at(index.row());
    const int status = r.value(u"status").toInt();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromString(r.value(u"time").toString(), Qt::ISODateWithMs)
                .toLocalTime()
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case MethodColumn:
            return r.value(u"method").toString();
        case PathColumn:
            return r.value(u"path").toString();
        case StatusColumn:
            return status;
        case MsColumn:
            return QLocale().toString(r.value(u"ms").toDouble(), 'f', 1);
        case UserColumn:
            return r.value(u"user").isString() ? r.value(u"user").toString() : tr("anonymous");
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QLocale().toString(
                QDateTime::fromString(r.value(u"time").toString(), Qt::ISODateWithMs).toLocalTime(),
                QLocale::LongFormat);
        if (index.column() == PathColumn)
            return r.value(u"path").toString();
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn || index.column() == PathColumn) {
            if (status >= 500)
                return Theme::negative();
            if (status >= 400)
                return Theme::warning();
        }
        if (index.column() == UserColumn && !r.value(u"user").isString())
            return Theme::muted();
        if (index.column() == TimeColumn)
            return Theme::muted();
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == MsColumn || index.column() == StatusColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case SortRole:
        if (index.column() == MsColumn)
            return r.value(u"ms").toDouble();
        if (index.column() == TimeColumn)
            return r.value(u"id").toDouble();
        return data(index, Qt::DisplayRole);
    default:
        return {};
    }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case MethodColumn:
        return tr("Method");
    case PathColumn:
        return tr("Path");
    case StatusColumn:
        return tr("Status");
    case MsColumn:
        return tr("ms");
    case UserColumn:
        return tr("User");
    }
    return {};
}

void RequestLogModel::paletteChanged()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

} // namespace Hearth
