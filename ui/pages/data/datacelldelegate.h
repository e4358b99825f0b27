#pragma once

#include <QPointer>
#include <QStyledItemDelegate>

namespace Hearth {

class ApiClient;
class DataTableModel;

// Edits the cells of a DataTableModel with the editor of each column's type
// (CellEditors); multi-line JSON and text get a larger editor over the cell.
// A value that cannot be sent (JSON that does not parse) is not written, and
// invalidInput() says why.
class DataCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    DataCellDelegate(DataTableModel *model, QObject *parent = nullptr);
    void setClient(ApiClient *client) { m_client = client; }

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;

signals:
    void invalidInput(const QString &message) const;

private:
    DataTableModel *m_model;
    QPointer<ApiClient> m_client;
};

} // namespace Hearth
