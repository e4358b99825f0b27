#pragma once

#include "pages/data/tableschema.h"
#include "shell/page.h"

#include <QJsonArray>

class QAction;
class QComboBox;
class QFrame;
class QLabel;
class QTableView;
class QToolBar;

namespace Hearth {

class BusyIndicator;
class DataCellDelegate;
class DataExporter;
class DataTableModel;
class FilterBuilder;

// The rows of one of the project's tables, to browse and edit: pick the table
// in the header; rows load a page at a time as the view scrolls; a header click
// sorts on the server; the filter builder (Ctrl+F) narrows them; cells are edited
// in place with an editor for their type; rows are added, duplicated, deleted
// (with an undo that creates them again) and exported to CSV or JSON.
class DataPage : public Page
{
    Q_OBJECT
public:
    explicit DataPage(QWidget *parent = nullptr);

    QComboBox *tablePicker() const { return m_tables; }
    // Shows table (when it exists on the server).
    void showTable(const QString &table);
    QString currentTable() const;

    DataTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    FilterBuilder *filterBuilder() const { return m_filter; }
    DataExporter *exporter() const { return m_exporter; }
    // Rows read per page (default 50).
    void setPageSize(int rows);

    // The rows of the current view (filter and sort), all of them, to path; finished() of exporter().
    void exportTo(const QString &path);
    // The rows deleted last, kept for undoDelete().
    QJsonArray lastDeleted() const { return m_deleted; }

    Actions actions() const override { return RefreshAction | FilterAction; }

public slots:
    void refresh() override;
    void focusFilter() override;
    void addRow();
    void duplicateRow();
    // Asks first (a message box), then deletes the selected rows.
    void deleteRows();
    // Creates the rows deleted last again (new ids; to-many links other than many-to-many are not restored).
    void undoDelete();
    void exportView(); // asks for a file

protected:
    void reset() override;
    void paletteChanged() override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void tablesLoaded(const QJsonArray &tables);
    void showRowsOf(const QString &table);
    QList<QJsonObject> selectedRows() const;
    void deleteConfirmed(const QString &table, const QList<QJsonObject> &rows);
    void restoreNext(const TableSchema &schema, const QList<QJsonObject> &rows, int restored,
                     const QStringList &failures);
    void selectId(const QJsonValue &id);
    void updateActions();
    void updateFooter();
    void updateIcons();
    void showContextMenu(const QPoint &pos);

    QComboBox *m_tables;
    BusyIndicator *m_busy;
    QToolBar *m_toolbar;
    QAction *m_addAction;
    QAction *m_duplicateAction;
    QAction *m_deleteAction;
    QAction *m_undoAction;
    QAction *m_filterAction;
    QAction *m_exportAction;
    QFrame *m_filterPanel;
    FilterBuilder *m_filter;
    QTableView *m_view;
    QLabel *m_empty;
    DataTableModel *m_model;
    DataCellDelegate *m_delegate;
    DataExporter *m_exporter;
    SchemaSet m_schemas;
    QString m_wanted; // the table to show once the list arrives
    QJsonValue m_selectAfterLoad;
    QString m_sizedFor; // the table whose column widths were fitted
    QJsonArray m_deleted;
    QString m_deletedFrom;
    int m_pending = 0; // deletes or re-creations in flight
};

} // namespace Hearth
