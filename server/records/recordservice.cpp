#include "records/recordservice.h"

#include "auth/authservice.h"
#include "auth/fieldaccesspolicy.h"
#include "auth/fieldwriteguard.h"
#include "auth/passwordhasher.h"
#include "core/apierror.h"
#include "data/database.h"
#include "data/recordwriter.h"
#include "data/valuecoercion.h"
#include "engine/engine.h"
#include "query/querycompiler.h"
#include "query/queryrunner.h"
#include "records/systemtablerules.h"

#include <QJsonArray>

#include <optional>

namespace Hearth {

namespace {

QJsonObject idFilter(const QJsonValue &id)
{
    return {{QStringLiteral("id"), QJsonObject{{QStringLiteral("_eq"), id}}}};
}

} // namespace

RecordService::RecordService(WorkerContext &worker, MetadataPtr metadata, const Caller &caller, Mode mode)
    : m_worker(worker), m_metadata(std::move(metadata)), m_caller(caller), m_mode(mode)
{
    if (m_mode == Mode::Trusted)
        m_caller.isRootAdmin = true; // trusted code answers to no field rule, like a root admin
}

RecordService::~RecordService() = default;

QueryLimits RecordService::limits(const Metadata &metadata)
{
    QueryLimits limits;
    const QJsonValue max = metadata.settings.value(QLatin1StringView("maxQueryLimit"));
    if (max.isDouble() && max.toDouble() >= 1)
        limits.maxQueryLimit = qint64(max.toDouble());
    const QJsonValue byDefault = metadata.settings.value(QLatin1StringView("defaultQueryLimit"));
    if (byDefault.isDouble() && byDefault.toDouble() >= 1)
        limits.defaultLimit = qint64(byDefault.toDouble());
    // A list that gives no limit= must not be refused for one it never asked for.
    limits.defaultLimit = qMin(limits.defaultLimit, limits.maxQueryLimit);
    return limits;
}

const TableDef &RecordService::table(const QString &name) const
{
    const TableDef *table = m_metadata->schema->table(name);
    if (!table)
        throw ApiError(404, "NOT_FOUND", QStringLiteral("No table %1").arg(name));
    return *table;
}

QJsonValue RecordService::parseKey(const TableDef &table, const QJsonValue &key)
{
    SqlValue stored;
    if (!toStoredKey(table.primaryKeyType, key, &stored))
        throw ApiError::badRequest(
            QStringLiteral("Invalid id %1: %2").arg(displayValue(key), keyTypeError(table.primaryKeyType)));
    return storedKeyToJson(stored);
}

const CallerFieldAccess *RecordService::fieldAccess() const
{
    if (!m_fieldAccessResolved) {
        m_fieldAccess = CallerFieldAccess::forCaller(m_metadata, m_caller);
        m_fieldAccessResolved = true;
    }
    return m_fieldAccess.get();
}

QByteArray RecordService::accessKey() const
{
    return CallerFieldAccess::identityKey(m_caller);
}

RecordWriter RecordService::writer() const
{
    RecordWriter writer(m_worker.db, *m_metadata->schema);
    writer.setPasswordCost(int(m_metadata->numberSetting("bcryptCost", PasswordHasher::DefaultCost)));
    return writer;
}

QByteArray RecordService::find(const TableDef &table, const QueryOptions &options, QByteArray *metaJson,
                               const QByteArray &cacheKey)
{
    const CompiledFind *cached = cacheKey.isEmpty() ? nullptr : m_worker.findCache.find(cacheKey);
    CompiledFind compiled;
    if (!cached) {
        compiled = QueryCompiler(*m_metadata->schema, limits(*m_metadata), fieldAccess())
                       .compileFind(table, options);
        if (!cacheKey.isEmpty())
            m_worker.findCache.insert(cacheKey, compiled);
        cached = &compiled;
    }
    return runFindToJson(m_worker.db, *cached, metaJson);
}

QByteArray RecordService::findById(const TableDef &table, QueryOptions options, const QJsonValue &id,
                                   const QByteArray &cacheKey)
{
    // Compiled once per key with a stand-in id, whose binds are then swapped for
    // each row's: a get or a re-read costs no compilation after the first.
    const QJsonValue standIn = table.primaryKeyType == PrimaryKeyType::Uuid
                                   ? QJsonValue(QStringLiteral("00000000-0000-4000-8000-0000000c0de5"))
                                   : QJsonValue(-7346238463847.0);
    CompiledFind run;
    if (const CompiledFind *cached = cacheKey.isEmpty() ? nullptr : m_worker.findCache.find(cacheKey)) {
        run = *cached;
    } else {
        options.limit = 1;
        options.page = 1;
        options.metaTotalCount = options.metaFilterCount = false;
        options.aggregate = {};
        options.filter = options.filter.isObject()
                             ? QJsonValue(QJsonObject{
                                   {QStringLiteral("_and"), QJsonArray{options.filter, idFilter(standIn)}}})
                             : QJsonValue(idFilter(standIn));
        run = QueryCompiler(*m_metadata->schema, limits(*m_metadata), fieldAccess())
                  .compileFind(table, options);
        SqlValue standInStored;
        toStoredKey(table.primaryKeyType, standIn, &standInStored);
        for (qsizetype i = 0; i < run.rows.binds.size(); ++i)
            if (run.rows.binds[i] == standInStored)
                run.keyBinds << i;
        if (!cacheKey.isEmpty())
            m_worker.findCache.insert(cacheKey, run);
    }
    SqlValue stored;
    toStoredKey(table.primaryKeyType, id, &stored);
    for (qsizetype i : std::as_const(run.keyBinds))
        run.rows.binds[i] = stored;
    return runFindToJson(m_worker.db, run);
}

QueryOptions RecordService::rowOptions(const TableDef &table, QueryOptions options) const
{
    options.filter = QJsonValue::Undefined;
    options.limit = 1;
    options.page = 1;
    options.metaTotalCount = options.metaFilterCount = false;
    options.aggregate = {};
    (void)QueryCompiler(*m_metadata->schema, limits(*m_metadata), fieldAccess()).compileFind(table, options);
    return options;
}

bool RecordService::exists(const TableDef &table, const QJsonValue &filter)
{
    return runExists(
        m_worker.db,
        QueryCompiler(*m_metadata->schema, limits(*m_metadata), fieldAccess()).compileExists(table, filter));
}

QJsonValue RecordService::create(const TableDef &table, QJsonObject body)
{
    SystemTableRules(m_worker.db, table, m_caller, "POST", {}).check(body);
    QJsonValue id;
    {
        WriteTransaction transaction(m_worker.engine.database(), m_worker.db);
        std::optional<FieldWriteGuard> guard;
        if (const CallerFieldAccess *access = fieldAccess()) {
            guard.emplace(*access, m_worker.db);
            guard->checkCreate(table, body);
        }
        id = writer().create(table, body);
        if (guard)
            guard->checkWritten(id); // conditional create rules, on the rows as created
        transaction.commit();
    }
    afterSystemWrite(table);
    return id;
}

QJsonValue RecordService::update(const TableDef &table, const QJsonValue &id, QJsonObject body)
{
    const SystemTableRules rules(m_worker.db, table, m_caller, "PATCH",
                                 id.isString() ? id.toString() : QString::number(id.toInteger()));
    rules.check(body);
    QJsonValue written;
    {
        WriteTransaction transaction(m_worker.engine.database(), m_worker.db);
        std::optional<FieldWriteGuard> guard;
        if (const CallerFieldAccess *access = fieldAccess()) {
            guard.emplace(*access, m_worker.db);
            guard->checkUpdate(table, id, body); // conditional update rules, on the row as it was
        }
        written = writer().update(table, id, body);
        if (guard)
            guard->checkWritten(written);
        if (rules.endsSessions(body)) // a password set by someone else signs the user out everywhere
            AuthService(m_worker.engine, m_worker.db, *m_metadata).revokeSessions(written.toString());
        transaction.commit();
    }
    afterSystemWrite(table);
    return written;
}

void RecordService::remove(const TableDef &table, const QJsonValue &id)
{
    QJsonObject none;
    SystemTableRules(m_worker.db, table, m_caller, "DELETE",
                     id.isString() ? id.toString() : QString::number(id.toInteger()))
        .check(none);
    {
        WriteTransaction transaction(m_worker.engine.database(), m_worker.db);
        writer().remove(table, id);
        transaction.commit();
    }
    afterSystemWrite(table);
}

void RecordService::afterSystemWrite(const TableDef &table)
{
    if (!table.isSystem)
        return;
    m_worker.engine.bumpAuthGeneration(); // users, roles, sessions may have changed
    m_worker.engine.reloadMetadata(m_worker.db);
    m_worker.findCache.clear();
    m_metadata = m_worker.engine.metadata();
    m_fieldAccessResolved = false;
}

} // namespace Hearth
