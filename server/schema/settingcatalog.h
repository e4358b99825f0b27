#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

namespace Hearth {

// The server's built-in settings (rows of hearth_setting): their defaults,
// descriptions and what values they take. One list, so the first start, the
// API's validation and the docs agree.
struct SettingSpec
{
    enum class Kind
    {
        System,   // maintained by the server, read-only through the API
        Integer,  // a whole number from min to max
        Number,   // a number from min to max (fractions allowed)
        Duration, // "30s", "15m", "1h", "7d" (see parseDurationSeconds), at least one second
    };
    const char *key;
    QJsonValue defaultValue;
    const char *description;
    Kind kind;
    double min = 0;
    double max = 0;
};

const QList<SettingSpec> &settingCatalog();
// The built-in setting of that key, or null for a user's own setting.
const SettingSpec *findSetting(const QString &key);
// Throws ApiError 400 VALIDATION_ERROR when value does not fit the built-in setting key.
// A user's own settings take any JSON value.
void validateSettingValue(const QString &key, const QJsonValue &value);

} // namespace Hearth
