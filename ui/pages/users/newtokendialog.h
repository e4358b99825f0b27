#pragma once

#include "pages/users/formdialog.h"

#include <QJsonObject>

class QComboBox;
class QLineEdit;
class QPushButton;
class QWidget;

namespace Hearth {

// "New API token": a name and an expiry. After the server made it, the same
// dialog shows the token once, with a Copy button; it is never shown again.
class NewTokenDialog : public FormDialog
{
    Q_OBJECT
public:
    explicit NewTokenDialog(QWidget *parent = nullptr);

    // The POST /auth/api-tokens body: {name, expiresIn?}.
    QJsonObject body() const;
    // The server's answer: show the token and turn the dialog into "copy it and close".
    void showToken(const QString &token);
    QString shownToken() const;

protected:
    bool isComplete() const override;

private:
    QLineEdit *m_name;
    QComboBox *m_expiry;
    QWidget *m_result;
    QLineEdit *m_token;
    QPushButton *m_copy;
};

} // namespace Hearth
