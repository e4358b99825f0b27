#pragma once

#include <QJsonObject>
#include <QString>

#include <initializer_list>

namespace Hearth {

// 400 BAD_REQUEST "<key> is not allowed" (or "<where>.<key> …") for the first
// key of object that is not in allowed: a typo in a body is never ignored.
void rejectUnknownKeys(const QJsonObject &object, std::initializer_list<const char *> allowed,
                       const QString &where = {});

} // namespace Hearth
