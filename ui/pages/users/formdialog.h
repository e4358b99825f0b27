#pragma once

#include <QDialog>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace Hearth {

class BusyIndicator;

// A small modal form whose OK button does not close it: it emits submitted(),
// the page sends the request, and either accept()s the dialog or shows the
// server's words in the dialog (showError) so the user can correct the form.
// Opened with open(), never exec(), so the GUI keeps running.
class FormDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FormDialog(const QString &title, const QString &okText, QWidget *parent = nullptr);

    // The form's rows; a note above them (empty: none).
    QFormLayout *form() const { return m_form; }
    void setNote(const QString &text);
    // Widgets below the form (e.g. a result shown after success).
    void addBelow(QWidget *widget);

    // The request is on its way: inputs and OK disabled, spinner on.
    void setBusy(bool busy);
    void showError(const QString &text);
    void clearError();
    QPushButton *okButton() const { return m_ok; }
    QDialogButtonBox *buttons() const { return m_buttons; }

signals:
    void submitted();

protected:
    // Whether the form may be sent (OK enabled). Call updateOk() when an input changes.
    virtual bool isComplete() const { return true; }
    void updateOk();

private:
    QVBoxLayout *m_layout;
    QLabel *m_note;
    QFormLayout *m_form;
    QLabel *m_error;
    BusyIndicator *m_busyIndicator;
    QDialogButtonBox *m_buttons;
    QPushButton *m_ok;
    bool m_busy = false;
};

} // namespace Hearth
