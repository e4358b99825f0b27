#pragma once

#include "auth/caller.h"
#include "records/workercontext.h"

#include <QJSValue>
#include <QObject>
#include <QStringList>

#include <functional>

class QJSEngine;

namespace Hearth {

// The native side of one request's $ctx: what scripts reach through $repos
// and $logs (API.md "Scripts"). Every call runs on the worker thread; a
// refusal is thrown into the script as {__hearthApi, status, code, message,
// details}, so a script may catch it and an uncaught one becomes that error
// response. Helpers and the cache hang off `helpers`, set by their owner.
class CtxBridge : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QObject *helpers READ helpers CONSTANT)
public:
    CtxBridge(QJSEngine &engine, WorkerContext &worker, MetadataPtr metadata, const Caller &caller,
              QObject *parent = nullptr);

    const QStringList &logs() const { return m_logs; }
    QObject *helpers()
    {
        if (!m_helpers && m_helpersFactory)
            m_helpers = m_helpersFactory();
        return m_helpers;
    }
    void setHelpersFactory(std::function<QObject *()> factory) { m_helpersFactory = std::move(factory); }
    // After the request ended: calls from a script still running throw.
    void close() { m_closed = true; }

    // The request as $ctx reads it ($params, $user, $req, $api), made on first read.
    void setInitProvider(std::function<QString()> provider) { m_initProvider = std::move(provider); }
    // $query as JSON text, made on first read (a bad query string is refused then).
    void setQueryProvider(std::function<QString()> provider) { m_queryProvider = std::move(provider); }
    // The handler's answer, handed to a script only when it reads $data.
    void setDataText(const QByteArray &text) { m_dataText = text; }
    Q_INVOKABLE QString initText() const { return m_initProvider ? m_initProvider() : QStringLiteral("{}"); }
    Q_INVOKABLE QString queryText();
    Q_INVOKABLE QString dataText() const { return QString::fromUtf8(m_dataText); }

    Q_INVOKABLE void log(const QString &line);
    Q_INVOKABLE bool hasTable(const QString &name) const;
    Q_INVOKABLE QString find(const QString &table, bool secure, const QString &optionsJson);
    Q_INVOKABLE QString create(const QString &table, bool secure, const QString &dataJson);
    Q_INVOKABLE QString update(const QString &table, bool secure, const QString &idJson,
                               const QString &dataJson);
    Q_INVOKABLE QString remove(const QString &table, bool secure, const QString &idJson);
    Q_INVOKABLE bool exists(const QString &table, bool secure, const QString &filterJson);

    // Throws an ApiError into the script (also used by the helpers' bridge).
    static void throwApiError(QJSEngine &engine, const class ApiError &error);

private:
    template <typename Function> auto guarded(Function function) -> decltype(function());

    QJSEngine &m_engine;
    WorkerContext &m_worker;
    MetadataPtr m_metadata;
    Caller m_caller;
    QStringList m_logs;
    QObject *m_helpers = nullptr;
    std::function<QString()> m_initProvider;
    std::function<QString()> m_queryProvider;
    std::function<QObject *()> m_helpersFactory;
    QByteArray m_dataText;
    bool m_closed = false;
};

} // namespace Hearth
