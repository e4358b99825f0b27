#pragma once

#include "client/apiclient.h"
#include "pages/data/tableschema.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

class QDialogButtonBox;
class QLabel;

namespace Hearth {

// A new row of a table: one editor per column and to-one relation (left empty,
// the server's default applies), created with POST /<table> when accepted. A
// refusal (a required column, a unique value taken) is shown in the dialog,
// which stays open; created() follows a success.
class RowFormDialog : public QDialog
{
    Q_OBJECT
public:
    RowFormDialog(ApiClient *client, const TableSchema &schema, QWidget *parent = nullptr);

    // The editor of a field (for tests and focus), or null.
    QWidget *editor(const QString &key) const { return m_editors.value(key); }
    // The body the editors make now; nullopt with *error when a value cannot be sent.
    std::optional<QJsonObject> body(QString *error) const;

public slots:
    void accept() override;

signals:
    void created(const QJsonObject &row);

private:
    void showProblem(const QString &text);

    QPointer<ApiClient> m_client;
    TableSchema m_schema;
    QHash<QString, QWidget *> m_editors;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Hearth
