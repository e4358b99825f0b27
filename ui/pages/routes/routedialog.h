#pragma once

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Hearth {

class MethodChecks;

// Creates or edits a route: path (with :name segments), the methods it
// answers, the ones open without sign-in, enabled, description. It does not
// talk to the server: accepted() hands the page the row to send, and the page
// closes it when the server agreed (or shows the server's words with setError).
class RouteDialog : public QDialog
{
    Q_OBJECT
public:
    // route: the row to edit, or empty for a new route.
    explicit RouteDialog(const QJsonObject &route, QWidget *parent = nullptr);

    qint64 routeId() const { return m_id; }
    // The body for POST /hearth_route or PATCH /hearth_route/:id.
    QJsonObject row() const;
    void setError(const QString &message);
    void setBusy(bool busy);

signals:
    void submitted(const QJsonObject &row);

private:
    void updateOk();

    qint64 m_id = 0;
    QLineEdit *m_path;
    QLineEdit *m_description;
    QCheckBox *m_enabled;
    MethodChecks *m_methods;
    MethodChecks *m_public;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace Hearth
