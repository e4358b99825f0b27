#pragma once

#include <QLabel>

namespace Hearth {

// Secondary text (hints, empty states) in the theme's muted color, which
// follows a switch between light and dark.
class MutedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit MutedLabel(const QString &text = {}, QWidget *parent = nullptr);
    explicit MutedLabel(QWidget *parent) : MutedLabel(QString(), parent) {}

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColor();

    bool m_applying = false;
};

} // namespace Hearth
