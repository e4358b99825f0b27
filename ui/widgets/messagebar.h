#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace Hearth {

// An inline message above a view (like KMessageWidget): an icon, the message in
// plain words (selectable, so it can be copied into a bug report), an optional
// action button and a close button. Hidden until a message is shown.
class MessageBar : public QFrame
{
    Q_OBJECT
public:
    enum Kind
    {
        Info,
        Positive,
        Warning,
        Error
    };
    Q_ENUM(Kind)

    explicit MessageBar(QWidget *parent = nullptr);

    // Shows text (plain text; details go to the tooltip). Replaces any message shown.
    void showMessage(const QString &text, Kind kind = Info, const QString &details = {});
    // One button beside the message, e.g. "Sign in…"; cleared by the next showMessage().
    void setAction(const QString &text, std::function<void()> handler);
    void dismiss();

    QString text() const;
    Kind kind() const { return m_kind; }
    bool isShowing() const;

signals:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void restyle();

    Kind m_kind = Info;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
    std::function<void()> m_handler;
    QColor m_background;
    QColor m_border;
};

} // namespace Hearth
