#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace Hearth {

// The server's recent requests (GET /admin/requests rows: {id, time, method,
// path, status, ms, user}), newest first. New rows go on top without resetting
// the view, so the selection and scroll position stay; the oldest fall off past
// the capacity. Client errors (4xx) show in the warning color, server errors
// (5xx) in the error color.
class RequestLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeColumn,
        MethodColumn,
        PathColumn,
        StatusColumn,
        MsColumn,
        UserColumn,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
    };

    explicit RequestLogModel(QObject *parent = nullptr);

    // Rows newer than those held, newest first (as the server answers).
    void prepend(const QJsonArray &rows);
    void clear();
    void setCapacity(int rows) { m_capacity = rows; }

    QJsonObject row(int index) const { return m_rows.value(index); }
    // Whether some row has this path (tests, and "is it there yet").
    bool hasPath(const QString &path) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Restyle after the palette changed (status colors).
    void paletteChanged();

private:
    QList<QJsonObject> m_rows;
    int m_capacity = 1000;
};

} // namespace Hearth
