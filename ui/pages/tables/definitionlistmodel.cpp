#include "pages/tables/definitionlistmodel.h"

#include <QFont>

namespace Hearth {

DefinitionListModel::DefinitionListModel(const QList<Column> &columns, QObject *parent)
    : QAbstractTableModel(parent), m_columns(columns)
{}

void DefinitionListModel::setEntries(const QJsonArray &entries)
{
    beginResetModel();
    m_entries.clear();
    for (const QJsonValue &v : entries)
        m_entries << v.toObject();
    endResetModel();
}

QJsonArray DefinitionListModel::entries() const
{
    QJsonArray out;
    for (const QJsonObject &e : m_entries)
        out.append(e);
    return out;
}

void DefinitionListModel::setEntry(int row, const QJsonObject &entry)
{
    if (row < 0 || row >= m_entries.size() || m_entries[row] == entry)
        return;
    m_entries[row] = entry;
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

int DefinitionListModel::append(const QJsonObject &entry)
{
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries << entry;
    endInsertRows();
    return row;
}

void DefinitionListModel::removeAt(int row)
{
    if (row < 0 || row >= m_entries.size())
        return;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
}

void DefinitionListModel::moveEntry(int from, int to)
{
    if (from == to || from < 0 || to < 0 || from >= m_entries.size() || to >= m_entries.size())
        return;
    // beginMoveRows names the row the entry goes before, counted before the move.
    beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    m_entries.move(from, to);
    endMoveRows();
}

int DefinitionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int DefinitionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant DefinitionListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size() || index.column() >= m_columns.size())
        return {};
    const QJsonObject &entry = m_entries[index.row()];
    const bool isNew = !entry.contains(u"id");
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        const QString text = m_columns[index.column()].text(entry);
        if (role == Qt::ToolTipRole && isNew && index.column() == 0)
            return tr("%1 (new, not saved yet)").arg(text);
        return text;
    }
    case Qt::FontRole:
        if (isNew) { // new entries in italics until saved
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    default:
        return {};
    }
}

QVariant DefinitionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_columns.size())
        return m_columns[section].title;
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace Hearth
