#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace Hearth {

class BusyIndicator;

// The Run panel under the script editor (docs/scripting.md "Trying a script"):
// what the simulated request carries (method, body, query, params, the user it
// runs as) and what the run gave back (result, logs, error, duration).
class RunPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunPanel(QWidget *parent = nullptr);

    // The users to run as: rows of /hearth_user ({id, email}); the first choice is "me".
    void setUsers(const QJsonArray &users);
    void setMethod(const QString &method);
    // Shows the Data field: a postHook's starting $ctx.$data.
    void setDataVisible(bool visible);
    QString method() const;

    // The inputs as POST /admin/test/run members (method, body, query, params, data, userId);
    // empty with *problem set when a JSON field does not parse.
    QJsonObject request(QString *problem) const;

    void setRunning(bool running);
    void setRunEnabled(bool enabled);
    // The answer of /admin/test/run: {success, result, logs, error?, durationMs}.
    void showOutcome(const QJsonObject &outcome);
    // The run did not happen (bad input, server refused).
    void showProblem(const QString &message);
    void clearOutput();

signals:
    void runRequested();

private:
    void paintStatus(const QColor &color);

    QComboBox *m_method;
    QComboBox *m_user;
    QPlainTextEdit *m_body;
    QLineEdit *m_query;
    QLineEdit *m_params;
    QLineEdit *m_data;
    QLabel *m_dataLabel;
    QPushButton *m_run;
    BusyIndicator *m_busy;
    QLabel *m_status;
    QLabel *m_error;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_result;
    QPlainTextEdit *m_logs;
};

} // namespace Hearth
