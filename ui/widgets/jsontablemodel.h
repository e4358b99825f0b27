#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace Hearth {

// One column of a JsonTableModel: a key of the row ("email") or a path into
// nested objects ("role.name"), and its header.
struct JsonColumn
{
    QString key;
    QString title; // empty: made from the key ("isRootAdmin" → "Is root admin")
};

// Rows of an API answer (the envelope's data array) as a read-only table. The
// columns are given, or taken from the rows' keys (id first, createdAt and
// updatedAt last). Values show as people read them: booleans as Yes/No, lists
// as "GET, POST", objects as compact JSON; SortRole gives numbers as numbers.
class JsonTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role
    {
        SortRole = Qt::UserRole + 1, // QVariant to sort by
        JsonRole,                    // the cell's QJsonValue
    };

    explicit JsonTableModel(QObject *parent = nullptr);

    void setColumns(const QList<JsonColumn> &columns); // empty: columns from the rows
    QList<JsonColumn> columns() const { return m_columns; }
    // With columns from the rows: these keys first, in this order (e.g. a table's schema order).
    void setPreferredOrder(const QStringList &keys);
    void setRows(const QJsonArray &rows);
    void clear();

    QJsonObject row(int index) const;
    int columnOf(const QString &key) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "role.name" in {"role":{"name":"x"}}; undefined when absent.
    static QJsonValue valueAt(const QJsonObject &row, const QString &path);
    static QString displayText(const QJsonValue &value);
    static QString titleFor(const QString &key);

private:
    QList<JsonColumn> columnsFromRows(const QJsonArray &rows) const;

    QList<JsonColumn> m_fixedColumns;
    QStringList m_preferredOrder;
    QList<JsonColumn> m_columns;
    QList<QJsonObject> m_rows;
};

} // namespace Hearth
