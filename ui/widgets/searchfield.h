#pragma once

#include <QLineEdit>

class QAction;

namespace Hearth {

// The console's filter box: a clear button and a search icon drawn in the
// current palette's colors (redrawn when light/dark changes). Callers set the
// placeholder ("Filter (Ctrl+F)").
class SearchField : public QLineEdit
{
    Q_OBJECT
public:
    explicit SearchField(QWidget *parent = nullptr);

protected:
    void changeEvent(QEvent *event) override;

private:
    QAction *m_icon;
};

} // namespace Hearth
