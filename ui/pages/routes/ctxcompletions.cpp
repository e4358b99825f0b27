#include "pages/routes/ctxcompletions.h"

namespace Hearth::CtxCompletions {

namespace {

const QStringList kStatuses{QStringLiteral("400"), QStringLiteral("401"), QStringLiteral("403"),
                            QStringLiteral("404"), QStringLiteral("409"), QStringLiteral("422"),
                            QStringLiteral("429"), QStringLiteral("500"), QStringLiteral("503")};

// What a repository offers, on $repos.<table>, $repos.secure.<table> and $repos.main.
const QStringList kRepoMethods{
    QStringLiteral("find({filter, fields, sort, limit, page, meta, deep, aggregate})"),
    QStringLiteral("create({data})"), QStringLiteral("update({id, data})"), QStringLiteral("delete({id})"),
    QStringLiteral("exists(filter)")};

QStringList repoEntries(const QString &prefix)
{
    QStringList out{prefix};
    for (const QString &method : kRepoMethods)
        out << prefix + u'.' + method;
    return out;
}

} // namespace

QStringList entries(const QStringList &tables)
{
    const QString ctx = QStringLiteral("$ctx");
    QStringList out{ctx};
    for (const char *member : {"$body", "$query", "$params", "$user", "$share", "$data", "$statusCode",
                               "$error", "$env", "$repos", "$helpers", "$cache", "$api", "$req"})
        out << ctx + u'.' + QLatin1StringView(member);
    out << QStringLiteral("$ctx.$logs(...values)");
    for (const char *field : {"id", "email", "isRootAdmin", "role"})
        out << QStringLiteral("$ctx.$user.") + QLatin1StringView(field);
    for (const char *field : {"method", "url", "path", "headers", "ip", "query", "params"})
        out << QStringLiteral("$ctx.$req.") + QLatin1StringView(field);
    out << QStringLiteral("$ctx.$api.request");
    for (const char *field : {"method", "url", "timestamp", "correlationId", "ip"})
        out << QStringLiteral("$ctx.$api.request.") + QLatin1StringView(field);
    for (const char *field : {"statusCode", "code", "message", "details"})
        out << QStringLiteral("$ctx.$error.") + QLatin1StringView(field);
    out << QStringLiteral("$ctx.$throw");
    for (const QString &status : kStatuses)
        out << QStringLiteral("$ctx.$throw['%1'](message, details)").arg(status);

    out << repoEntries(QStringLiteral("$ctx.$repos.main")) << QStringLiteral("$ctx.$repos.secure");
    for (const QString &table : tables) {
        out << repoEntries(QStringLiteral("$ctx.$repos.") + table)
            << repoEntries(QStringLiteral("$ctx.$repos.secure.") + table) << u'#' + table;
    }

    const QString helpers = QStringLiteral("$ctx.$helpers.");
    out << helpers + QStringLiteral("$jwt(payload, expiresIn)") << helpers + QStringLiteral("$bcrypt")
        << helpers + QStringLiteral("$bcrypt.hash(plain)")
        << helpers + QStringLiteral("$bcrypt.compare(plain, hash)")
        << helpers + QStringLiteral("autoSlug(text)") << helpers + QStringLiteral("$crypto")
        << helpers + QStringLiteral("$crypto.randomUUID()")
        << helpers + QStringLiteral("$crypto.randomBytes(n, encoding)")
        << helpers + QStringLiteral("$crypto.sha256(data, encoding)")
        << helpers + QStringLiteral("$crypto.hmacSha256(data, secret, encoding)")
        << helpers + QStringLiteral("$crypto.generateSshKeyPair(comment)")
        << helpers + QStringLiteral("$sleep(ms)") << helpers + QStringLiteral("$rateLimit");
    for (const char *limit : {"byIp", "byUser", "byRoute", "byIpGlobal", "byUserGlobal"})
        out << helpers +
                   QStringLiteral("$rateLimit.%1({maxRequests, perSeconds})").arg(QLatin1StringView(limit));
    out << helpers + QStringLiteral("$rateLimit.check(key, {maxRequests, perSeconds})")
        << helpers + QStringLiteral("$rateLimit.status(key, {maxRequests, perSeconds})")
        << helpers + QStringLiteral("$rateLimit.reset(key)");

    const QString cache = QStringLiteral("$ctx.$cache.");
    out << cache + QStringLiteral("get(key)") << cache + QStringLiteral("set(key, value, ttlMs)")
        << cache + QStringLiteral("setNoExpire(key, value)") << cache + QStringLiteral("deleteKey(key)")
        << cache + QStringLiteral("exists(key, value)")
        << cache + QStringLiteral("acquire(key, value, ttlMs)")
        << cache + QStringLiteral("release(key, value)");

    for (const char *macro : {"@BODY", "@QUERY", "@PARAMS", "@USER", "@REQ", "@REPOS", "@HELPERS", "@CACHE",
                              "@LOGS", "@SHARE", "@DATA", "@STATUS", "@ERROR", "@API", "@ENV", "@THROW"})
        out << QLatin1StringView(macro);
    for (const QString &status : kStatuses)
        out << QStringLiteral("@THROW") + status;
    return out;
}

} // namespace Hearth::CtxCompletions
