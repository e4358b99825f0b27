#pragma once

#include <QWidget>

class QLineEdit;
class QPushButton;
class QToolButton;

namespace Hearth {

// A new password: an edit with a Show/Hide toggle and a Generate button that
// fills in a strong random password (shown, so it can be copied).
class PasswordField : public QWidget
{
    Q_OBJECT
public:
    explicit PasswordField(QWidget *parent = nullptr);

    QString password() const;
    void setPassword(const QString &password);
    QLineEdit *edit() const { return m_edit; }

    // 20 characters from letters, digits and symbols, from the system's secure random source.
    static QString generate(int length = 20);
    // The server's rule (docs/auth.md): at least 8 characters.
    static constexpr int minimumLength = 8;

signals:
    void passwordChanged(const QString &password);

private:
    void setShown(bool shown);

    QLineEdit *m_edit;
    QToolButton *m_eye;
    QPushButton *m_generate;
};

} // namespace Hearth
