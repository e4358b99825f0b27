#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

#include <functional>

namespace Hearth {

// The columns or the relations of a table being edited: a list of JSON
// entries (the request's shape) shown as a table, one row per entry, with
// columns that summarize each. Entries without an id are new, and show so.
class DefinitionListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    struct Column
    {
        QString title;
        std::function<QString(const QJsonObject &)> text;
    };

    explicit DefinitionListModel(const QList<Column> &columns, QObject *parent = nullptr);

    void setEntries(const QJsonArray &entries);
    QJsonArray entries() const;
    QJsonObject entry(int row) const { return m_entries.value(row); }
    void setEntry(int row, const QJsonObject &entry);
    int append(const QJsonObject &entry); // the new row
    void removeAt(int row);
    // Moves the entry at from to the place to (both rows of the list).
    void moveEntry(int from, int to);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Column> m_columns;
    QList<QJsonObject> m_entries;
};

} // namespace Hearth
