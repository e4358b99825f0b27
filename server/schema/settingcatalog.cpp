#include "schema/settingcatalog.h"

#include "auth/duration.h"
#include "core/apierror.h"

#include <cmath>

namespace Hearth {

const QList<SettingSpec> &settingCatalog()
{
    using K = SettingSpec::Kind;
    static const QList<SettingSpec> catalog{
        {"schemaRevision", 0, "Bumped by every schema change; schema confirm hashes depend on it", K::System},
        {"maxQueryLimit", 10000, "Largest limit= a list accepts (limit=0 means this many)", K::Integer, 1,
         1'000'000},
        {"defaultQueryLimit", 10, "Rows a list returns when limit= is not given", K::Integer, 1, 1'000'000},
        {"accessTokenTtl", "15m", "Lifetime of an access token (30s, 15m, 1h, 7d)", K::Duration},
        {"refreshTokenTtl", "1d", "Lifetime of a refresh token", K::Duration},
        {"refreshTokenTtlRemember", "7d", "Lifetime of a refresh token when logging in with remember",
         K::Duration},
        {"bcryptCost", 10, "bcrypt cost of new password hashes (4 to 15)", K::Integer, 4, 15},
        {"loginMaxFailures", 5, "Failed logins for one email from one address before 429", K::Integer, 1,
         1000},
        {"loginFailureWindow", "15m", "How long failed logins are counted (and the lock lasts)", K::Duration},
        {"scriptMemoryLimitMb", 1024, "Resident memory (MB) above which running scripts are stopped",
         K::Integer, 64, 1'048'576},
        {"cacheLimitMb", 30, "Budget (MB) of $ctx.$cache; least recently used keys go beyond it", K::Number,
         0.01, 65'536},
    };
    return catalog;
}

const SettingSpec *findSetting(const QString &key)
{
    for (const SettingSpec &spec : settingCatalog())
        if (key == QLatin1StringView(spec.key))
            return &spec;
    return nullptr;
}

void validateSettingValue(const QString &key, const QJsonValue &value)
{
    const SettingSpec *spec = findSetting(key);
    if (!spec)
        return;
    switch (spec->kind) {
    case SettingSpec::Kind::System:
        throw ApiError(403, "FORBIDDEN", QStringLiteral("%1 is maintained by the server").arg(key));
    case SettingSpec::Kind::Integer:
    case SettingSpec::Kind::Number: {
        const bool whole = spec->kind == SettingSpec::Kind::Integer;
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || (whole && number != std::floor(number)) || !(number >= spec->min) ||
            !(number <= spec->max))
            throw ApiError::validation(
                {QStringLiteral("%1 must be a %2 from %3 to %4")
                     .arg(key, whole ? QStringLiteral("whole number") : QStringLiteral("number"),
                          QString::number(spec->min, 'g', 12), QString::number(spec->max, 'g', 12))});
        return;
    }
    case SettingSpec::Kind::Duration: {
        const std::optional<qint64> seconds =
            value.isString() ? parseDurationSeconds(value.toString()) : std::nullopt;
        if (!seconds || *seconds < 1)
            throw ApiError::validation(
                {QStringLiteral("%1 must be a duration such as \"30s\", \"15m\", \"1h\" or \"7d\"")
                     .arg(key)});
        return;
    }
    }
}

} // namespace Hearth
