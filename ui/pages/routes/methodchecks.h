#pragma once

#include <QStringList>
#include <QWidget>

class QCheckBox;

namespace Hearth {

// A row of check boxes, one per HTTP method (GET POST PUT PATCH DELETE): the
// methods, publicMethods and availableMethods lists of routes and hooks.
class MethodChecks : public QWidget
{
    Q_OBJECT
public:
    explicit MethodChecks(QWidget *parent = nullptr);

    static QStringList allMethods();

    QStringList methods() const;
    void setMethods(const QStringList &methods);
    QCheckBox *box(const QString &method) const;

signals:
    void changed();

private:
    QList<QCheckBox *> m_boxes;
};

} // namespace Hearth
