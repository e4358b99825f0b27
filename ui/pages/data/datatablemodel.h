#pragma once

#include "client/apiclient.h"
#include "pages/data/tableschema.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace Hearth {

// The rows of one table, read from the server a page at a time as the view
// scrolls (canFetchMore/fetchMore), ordered and filtered by the server, and
// editable in place: setData() shows the new value at once, PATCHes the row,
// reads it back, and puts the old value back when the server refuses.
class DataTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role
    {
        JsonRole = Qt::UserRole + 1, // the cell's QJsonValue as the server sent it
        FieldRole,                   // the column's DataField::Kind
    };

    explicit DataTableModel(QObject *parent = nullptr);

    void setClient(ApiClient *client);
    // A table to show (nothing loaded until reload()), with the filter and sort to read it by.
    void setSchema(const TableSchema &schema, const QJsonObject &filter = {},
                   const QString &sort = QStringLiteral("-id"));
    // The same table's schema read again, with the same fields: rows, filter and sort stay.
    void updateSchema(const TableSchema &schema);
    const TableSchema &schema() const { return m_schema; }
    const DataField &field(int column) const { return m_schema.fields.at(column); }

    // Both load the first page again.
    void setFilter(const QJsonObject &filter);
    QJsonObject filter() const { return m_filter; }
    // The sort parameter ("-id", "title"); empty: the server's order (id).
    void setSort(const QString &sort);
    QString sortParameter() const { return m_sort; }
    // The column and order of the sort, or -1 when it is not a shown column.
    int sortColumn() const;
    Qt::SortOrder sortOrder() const;

    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    int pageSize() const { return m_pageSize; }

    // Loads again from the first page; keepLoaded: as many rows as are loaded now.
    void reload(bool keepLoaded = false);
    void clear();
    bool isLoading() const { return m_fetching; }
    bool hasLoaded() const { return m_loaded; }
    // meta.totalCount (every row of the table) and meta.filterCount (the rows matching the filter).
    qint64 totalCount() const { return m_totalCount; }
    qint64 filterCount() const { return m_filterCount; }

    QJsonObject row(int index) const { return m_rows.value(index); }
    int rowOfId(const QJsonValue &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // value: a QJsonValue (what the editors give), or plain text / numbers / bools, converted by
    // the column's type. A ToOne value may be a related row {"id":…, "name":…} (shown until saved).
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // A cell's value as text, as the view shows it (exports use it too).
    static QString displayText(const DataField &field, const QJsonValue &value);
    // A value from an editor or a test as the JSON the server takes; nullopt with *error when it
    // cannot be one (text that is not JSON for a JSON column).
    static std::optional<QJsonValue> toJson(const DataField &field, const QVariant &value, QString *error);

signals:
    void loadingChanged(bool loading);
    // New rows or counts: the footer changes.
    void countsChanged();
    // The first page (or the rows kept by reload(true)) replaced the rows.
    void reloaded();
    void failed(const Hearth::ApiFailure &failure, const QString &context);
    // A cell the server took (row re-read).
    void saved(const QString &key, const QJsonValue &id);

private:
    // Drops the rows (and answers still on their way) inside one model reset; change runs within it.
    void resetRows(const std::function<void()> &change);
    void fetch(int page, int limit, bool replace);
    void setFetching(bool fetching);
    void replaceRow(const QJsonObject &row);
    void revertCell(const QJsonValue &id, const QString &key, const QJsonValue &value);
    QString rowPath(const QJsonValue &id) const;

    QPointer<ApiClient> m_client;
    TableSchema m_schema;
    QJsonObject m_filter;
    QString m_sort = QStringLiteral("-id");
    int m_pageSize = 50;
    QList<QJsonObject> m_rows;
    int m_loadedPages = 0;
    bool m_more = false;
    bool m_fetching = false;
    bool m_loaded = false;
    int m_generation = 0; // answers for an older table / filter / sort are dropped
    qint64 m_totalCount = 0;
    qint64 m_filterCount = 0;
};

} // namespace Hearth
