#pragma once

#include "auth/caller.h"
#include "query/queryoptions.h"
#include "records/workercontext.h"

#include <QJsonObject>
#include <QJsonValue>

#include <memory>

namespace Hearth {

class CallerFieldAccess;
class RecordWriter;

// Reads and writes of tables for one caller, the way the canonical routes
// and scripts' $repos both do them: field permissions (Secure, unless the
// caller is a root admin), the system tables' rules, one write transaction
// per write, and new metadata published after a write to a system table.
class RecordService
{
public:
    enum class Mode
    {
        Secure,
        Trusted
    }; // Trusted: no field permissions, system rules as for a root admin

    RecordService(WorkerContext &worker, MetadataPtr metadata, const Caller &caller,
                  Mode mode = Mode::Secure);
    ~RecordService();

    const MetadataPtr &metadata() const { return m_metadata; }
    static QueryLimits limits(const Metadata &metadata);
    // The table a name stands for; 404 when there is none.
    const TableDef &table(const QString &name) const;
    // A key from a URL or a script, in its stored form; 400 when it cannot be one.
    static QJsonValue parseKey(const TableDef &table, const QJsonValue &key);

    // Rows as JSON array text, meta (if asked) as JSON object text. With a
    // cacheKey, the compiled query is kept per worker.
    QByteArray find(const TableDef &table, const QueryOptions &options, QByteArray *metaJson = nullptr,
                    const QByteArray &cacheKey = {});
    // The row with this key (within options.filter), as JSON array text ("[]" when
    // absent). With a cacheKey it is compiled once and the key swapped in.
    QByteArray findById(const TableDef &table, QueryOptions options, const QJsonValue &id,
                        const QByteArray &cacheKey = {});
    // Options for re-reading a written row, checked now so a bad fields/deep is
    // refused before anything is written.
    QueryOptions rowOptions(const TableDef &table, QueryOptions options) const;
    bool exists(const TableDef &table, const QJsonValue &filter);

    // Each in its own write transaction; the new row's (or the row's) id.
    QJsonValue create(const TableDef &table, QJsonObject body);
    QJsonValue update(const TableDef &table, const QJsonValue &id, QJsonObject body);
    void remove(const TableDef &table, const QJsonValue &id);

    // The caller's field permissions; null when none apply (trusted, root admin).
    const CallerFieldAccess *fieldAccess() const;
    QByteArray accessKey() const; // who asks, for cache keys

private:
    RecordWriter writer() const;
    void afterSystemWrite(const TableDef &table);

    WorkerContext &m_worker;
    MetadataPtr m_metadata;
    Caller m_caller;
    Mode m_mode;
    mutable std::shared_ptr<const CallerFieldAccess> m_fieldAccess;
    mutable bool m_fieldAccessResolved = false;
};

} // namespace Hearth
