#include "pages/routes/methodchecks.h"

#include <QCheckBox>
#include <QHBoxLayout>

namespace Hearth {

MethodChecks::MethodChecks(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    for (const QString &method : allMethods()) {
        auto *box = new QCheckBox(method, this);
        box->setObjectName(method);
        connect(box, &QCheckBox::toggled, this, &MethodChecks::changed);
        layout->addWidget(box);
        m_boxes << box;
    }
    layout->addStretch(1);
}

QStringList MethodChecks::allMethods()
{
    return {QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"), QStringLiteral("PATCH"),
            QStringLiteral("DELETE")};
}

QStringList MethodChecks::methods() const
{
    QStringList out;
    for (QCheckBox *box : m_boxes)
        if (box->isChecked())
            out << box->text();
    return out;
}

void MethodChecks::setMethods(const QStringList &methods)
{
    for (QCheckBox *box : std::as_const(m_boxes)) {
        const QSignalBlocker quiet(box);
        box->setChecked(methods.contains(box->text(), Qt::CaseInsensitive));
    }
}

QCheckBox *MethodChecks::box(const QString &method) const
{
    for (QCheckBox *box : m_boxes)
        if (box->text() == method)
            return box;
    return nullptr;
}

} // namespace Hearth
