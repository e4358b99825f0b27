#pragma once

#include <QJsonArray>
#include <QJsonValue>

class QComboBox;

namespace Hearth::RoleCombo {

// Fills combo with "No role" and the roles {id, name}, selecting current (a role id, or null).
void fill(QComboBox *combo, const QJsonArray &roles, const QJsonValue &current);
// The chosen role's id, or null for "No role".
QJsonValue selected(const QComboBox *combo);

} // namespace Hearth::RoleCombo
