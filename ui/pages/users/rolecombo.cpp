#include "pages/users/rolecombo.h"

#include <QComboBox>
#include <QJsonObject>
#include <QSignalBlocker>

namespace Hearth::RoleCombo {

void fill(QComboBox *combo, const QJsonArray &roles, const QJsonValue &current)
{
    const QSignalBlocker quiet(combo);
    combo->clear();
    combo->addItem(QComboBox::tr("No role"), QVariant());
    for (const QJsonValue &role : roles) {
        const QJsonObject r = role.toObject();
        combo->addItem(r.value(u"name").toString(), r.value(u"id").toVariant());
    }
    const int index = current.isNull() || current.isUndefined() ? 0 : combo->findData(current.toVariant());
    combo->setCurrentIndex(qMax(0, index));
}

QJsonValue selected(const QComboBox *combo)
{
    const QVariant id = combo->currentData();
    return id.isValid() ? QJsonValue::fromVariant(id) : QJsonValue(QJsonValue::Null);
}

} // namespace Hearth::RoleCombo
