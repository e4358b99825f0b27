#pragma once

#include <QFrame>

class QLabel;

namespace Hearth {

// One live figure as a small card: a caption above a large value, and an
// optional note below ("of 30 MB", "2 + 1 per worker"). The monitor views
// (Cache, Server) show their headline numbers in a row of these.
class FigureCard : public QFrame
{
    Q_OBJECT
public:
    // objectName names the card for tests and accessibility ("workersCard").
    FigureCard(const QString &caption, const QString &objectName, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &note = {});
    QString value() const;
    QString note() const;
    // "—": not known (yet).
    void clearValue();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyStyle();

    QLabel *m_caption;
    QLabel *m_value;
    QLabel *m_note;
};

} // namespace Hearth
