#pragma once

#include "client/apiclient.h"
#include "shell/page.h"
#include "widgets/jsontablemodel.h"

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace Hearth {

// A page that lists the rows of one path (a table's route, or any list the API
// answers) read-only: a filter box (Ctrl+F), a sortable table, and the selected
// row's fields in full beside it. The base of the simple pages, and a start for
// richer ones:
//
//   auto *users = new RecordListPage;
//   users->setSource(QStringLiteral("/hearth_user"), {.fields = "id,email,role.name", .sort = "email", .limit
//   = 0}); users->setColumns({{"email", tr("Email")}, {"role.name", tr("Role")}});
//   users->setNouns(tr("user"), tr("users"));
class RecordListPage : public Page
{
    Q_OBJECT
public:
    explicit RecordListPage(QWidget *parent = nullptr);

    // What to list: GET path + ApiClient::queryString(query). Reloads when shown.
    void setSource(const QString &path, const ApiQuery &query = {});
    QString path() const { return m_path; }
    ApiQuery query() const { return m_query; }
    // Columns to show (empty: every key of the rows).
    void setColumns(const QList<JsonColumn> &columns);
    // Words for the footer: "12 tables".
    void setNouns(const QString &singular, const QString &plural);
    // A header check box that shows rows whose isSystem is true (hidden until checked).
    void setSystemRowsToggle(const QString &text, const QString &toolTip = {});
    // Said before the server's message when loading fails ("Could not load the users").
    void setErrorContext(const QString &context) { m_errorContext = context; }

    JsonTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    // The rows of the last answer (before acceptsRow), and its meta.
    const QJsonArray &rows() const { return m_rows; }
    const QJsonObject &meta() const { return m_meta; }
    QJsonObject selectedRow() const;

    Actions actions() const override { return RefreshAction | FilterAction; }

public slots:
    void refresh() override;
    void focusFilter() override;

signals:
    void loaded();
    void selectionChanged(const QJsonObject &row);

protected:
    // Which loaded rows to show (e.g. hide system tables). Call reapplyRows() when its answer changes.
    virtual bool acceptsRow(const QJsonObject &row) const;
    // A failed load; default: showError(failure, errorContext).
    virtual void loadFailed(const ApiFailure &failure);
    void reapplyRows();
    void reset() override;
    void paletteChanged() override;

private:
    void updateFooter();
    void showSelected();
    bool eventFilter(QObject *watched, QEvent *event) override;

    QString m_path;
    ApiQuery m_query;
    QString m_singular;
    QString m_plural;
    QString m_errorContext;
    QJsonArray m_rows;
    QJsonObject m_meta;
    int m_generation = 0; // answers to older refreshes are ignored
    QLineEdit *m_filter;
    QSplitter *m_splitter;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QLabel *m_empty; // "No tables yet" over the empty view
    QCheckBox *m_showSystem = nullptr;
    JsonTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
};

} // namespace Hearth
