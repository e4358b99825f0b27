#pragma once

#include "client/apiclient.h"
#include "pages/tables/schemachanges.h"
#include "shell/page.h"

#include <QHash>
#include <QPointer>

#include <functional>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace Hearth {

class BusyIndicator;
class JsonTableModel;
class SchemaPreviewDialog;
class TableEditor;

// The schema editor: the project's tables (GET /hearth_table, system tables
// on demand) beside the definition of the selected one, which can be edited,
// renamed or dropped, and new tables created. Every change is reviewed first:
// PATCH and DELETE ask the server for a preview (API.md "Admin endpoints"),
// shown in plain words with destructive changes marked, and only Confirm
// sends it again with its schemaConfirmHash. A new table, which the server
// creates at once, is summed up by the console the same way before it is sent.
class TablesPage : public Page
{
    Q_OBJECT
public:
    explicit TablesPage(QWidget *parent = nullptr);
    ~TablesPage() override;

    Actions actions() const override { return RefreshAction | SaveAction | FilterAction; }
    QStringList unsavedChanges() const override;

    // The tables listed (the rows of the last answer that the system toggle lets through).
    JsonTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    TableEditor *editor() const { return m_editor; }
    // The review dialog while one is open, else null.
    SchemaPreviewDialog *previewDialog() const;

public slots:
    void refresh() override;
    void save() override;
    void focusFilter() override;
    void newTable();
    void dropTable();

signals:
    void loaded();

protected:
    void reset() override;
    void paletteChanged() override;

private:
    void applyRows();
    void syncSelection();
    void selectionChanged();
    void openTable(qint64 id);
    void showEditor(bool show);
    // Runs then() at once when nothing is unsaved, else after the user agreed to discard it.
    void confirmDiscard(std::function<void()> then);
    // Shows the change for review; apply() runs on Confirm, Cancel changes nothing.
    void review(const QString &heading, const QList<SchemaChanges::Line> &lines, const QString &confirmText,
                std::function<void()> apply);
    void applied(const QJsonObject &row, const QString &message);
    // A call with the page's busy feedback; a failure shows in the message bar as "context: message".
    void request(const QByteArray &method, const QString &path, const QJsonValue &body,
                 const QString &errorContext, std::function<void(const ApiResult &)> onSuccess);
    void setBusy(int delta);
    // A change is on its way (preview, review, apply): no second one meanwhile.
    void setChanging(bool changing);
    void updateFooter();
    bool eventFilter(QObject *watched, QEvent *event) override;
    QHash<qint64, QString> tableNames() const;

    QJsonArray m_rows;
    int m_listGeneration = 0;
    int m_openGeneration = 0;
    int m_busy = 0;
    bool m_changing = false;
    bool m_loadFailed = false; // the message bar shows a failed load
    bool m_syncing = false;
    QLineEdit *m_filter;
    QCheckBox *m_showSystem;
    QAction *m_newAction;
    BusyIndicator *m_busyIndicator;
    JsonTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLabel *m_listEmpty;
    QStackedWidget *m_stack;
    QWidget *m_emptyState;
    TableEditor *m_editor;
    QPointer<SchemaPreviewDialog> m_preview;
};

} // namespace Hearth
