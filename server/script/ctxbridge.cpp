#include "script/ctxbridge.h"

#include "core/apierror.h"
#include "data/sqlerror.h"
#include "data/valuecoercion.h"
#include "query/queryparams.h"
#include "records/findcache.h"
#include "records/recordservice.h"

#include <QJSEngine>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace Hearth {

namespace {

Q_LOGGING_CATEGORY(lcBridge, "hearth.script")
constexpr qsizetype kMaxLogLines = 1000;
constexpr qsizetype kMaxLogLineChars = 10'000;

QJsonValue parseJson(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]");
    return doc.isArray() && doc.array().size() == 1 ? doc.array().first() : QJsonValue(QJsonValue::Undefined);
}

QJsonObject objectArgument(const QString &text, const char *what)
{
    const QJsonValue value = parseJson(text);
    if (value.isNull() || value.isUndefined())
        return {};
    if (!value.isObject())
        throw ApiError::badRequest(QStringLiteral("%1 must be an object").arg(QLatin1StringView(what)));
    return value.toObject();
}

QString withData(const QByteArray &rows, const QByteArray &meta = {})
{
    QByteArray out = "{\"data\":" + rows;
    if (!meta.isEmpty())
        out += ",\"meta\":" + meta;
    return QString::fromUtf8(out + '}');
}

} // namespace

CtxBridge::CtxBridge(QJSEngine &engine, WorkerContext &worker, MetadataPtr metadata, const Caller &caller,
                     QObject *parent)
    : QObject(parent), m_engine(engine), m_worker(worker), m_metadata(std::move(metadata)), m_caller(caller)
{}

void CtxBridge::throwApiError(QJSEngine &engine, const ApiError &error)
{
    QJSValue thrown = engine.newObject();
    thrown.setProperty(QStringLiteral("__hearthApi"), true);
    thrown.setProperty(QStringLiteral("status"), error.status());
    thrown.setProperty(QStringLiteral("code"), QString::fromLatin1(error.code()));
    thrown.setProperty(QStringLiteral("message"), error.messageText());
    if (error.message().isArray()) // VALIDATION_ERROR: each message on its own
        thrown.setProperty(QStringLiteral("messages"), engine.toScriptValue(error.message()));
    if (!error.details().isUndefined() && !error.details().isNull())
        thrown.setProperty(QStringLiteral("details"), engine.toScriptValue(error.details()));
    thrown.setProperty(QStringLiteral("toString"),
                       engine.evaluate(QStringLiteral("(function () { return this.message; })")));
    engine.throwError(thrown);
}

template <typename Function> auto CtxBridge::guarded(Function function) -> decltype(function())
{
    try {
        if (m_closed)
            throw ApiError(409, "CONFLICT", QStringLiteral("The request this script served has ended"));
        return function();
    } catch (const ApiError &e) {
        throwApiError(m_engine, e);
    } catch (const std::exception &e) {
        qCWarning(lcBridge) << "script call failed:" << e.what();
        throwApiError(m_engine, ApiError::internal());
    }
    return {};
}

QString CtxBridge::queryText()
{
    return guarded([&] { return m_queryProvider ? m_queryProvider() : QString(); });
}

void CtxBridge::log(const QString &line)
{
    if (m_logs.size() < kMaxLogLines)
        m_logs << line.left(kMaxLogLineChars);
}

bool CtxBridge::hasTable(const QString &name) const
{
    return m_metadata->schema->table(name) != nullptr;
}

QString CtxBridge::find(const QString &table, bool secure, const QString &optionsJson)
{
    return guarded([&] {
        RecordService records(m_worker, m_metadata, m_caller,
                              secure ? RecordService::Mode::Secure : RecordService::Mode::Trusted);
        const TableDef &def = records.table(table);
        // The same find() from a script compiles once per worker, like a list URL.
        const QByteArray key = FindCache::key(def.name, "#repo" + optionsJson.toUtf8(), records.accessKey());
        QueryOptions options;
        if (!m_worker.findCache.find(key))
            options = queryOptionsFromJson(objectArgument(optionsJson, "find options"),
                                           RecordService::limits(*m_metadata));
        QByteArray meta;
        const QByteArray rows = records.find(def, options, &meta, key);
        return withData(rows, meta);
    });
}

QString CtxBridge::create(const QString &table, bool secure, const QString &dataJson)
{
    return guarded([&] {
        RecordService records(m_worker, m_metadata, m_caller,
                              secure ? RecordService::Mode::Secure : RecordService::Mode::Trusted);
        const TableDef &def = records.table(table);
        const QJsonValue id = records.create(def, objectArgument(dataJson, "data"));
        return withData(records.findById(records.table(table), {}, id));
    });
}

QString CtxBridge::update(const QString &table, bool secure, const QString &idJson, const QString &dataJson)
{
    return guarded([&] {
        RecordService records(m_worker, m_metadata, m_caller,
                              secure ? RecordService::Mode::Secure : RecordService::Mode::Trusted);
        const TableDef &def = records.table(table);
        const QJsonValue id = RecordService::parseKey(def, parseJson(idJson));
        records.update(def, id, objectArgument(dataJson, "data"));
        return withData(records.findById(records.table(table), {}, id));
    });
}

QString CtxBridge::remove(const QString &table, bool secure, const QString &idJson)
{
    return guarded([&] {
        RecordService records(m_worker, m_metadata, m_caller,
                              secure ? RecordService::Mode::Secure : RecordService::Mode::Trusted);
        const TableDef &def = records.table(table);
        const QJsonValue id = RecordService::parseKey(def, parseJson(idJson));
        records.remove(def, id);
        return withData(compactJson(QJsonArray{QJsonObject{{QStringLiteral("id"), id}}}));
    });
}

bool CtxBridge::exists(const QString &table, bool secure, const QString &filterJson)
{
    return guarded([&] {
        RecordService records(m_worker, m_metadata, m_caller,
                              secure ? RecordService::Mode::Secure : RecordService::Mode::Trusted);
        return records.exists(records.table(table), objectArgument(filterJson, "filter"));
    });
}

} // namespace Hearth
