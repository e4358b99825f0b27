#pragma once

#include "client/apiclient.h"
#include "pages/data/tableschema.h"

#include <QObject>
#include <QPointer>

namespace Hearth {

// Writes the rows of a table that match a filter, in a sort order, to a CSV or
// JSON file: every matching row, read a page at a time so no answer is huge.
// The file is written whole at the end (QSaveFile), or not at all.
//
//   auto *exporter = new DataExporter(client, this);
//   connect(exporter, &DataExporter::finished, …);
//   exporter->start(schema, filter, "-id", "/tmp/posts.csv", DataExporter::Csv);
class DataExporter : public QObject
{
    Q_OBJECT
public:
    enum Format
    {
        Csv,
        Json,
    };
    static constexpr int kPageSize = 500;

    explicit DataExporter(ApiClient *client, QObject *parent = nullptr);
    void setClient(ApiClient *client) { m_client = client; }
    // Rows read per request (default kPageSize).
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }

    // .json: Json, anything else: Csv.
    static Format formatFor(const QString &path);
    void start(const TableSchema &schema, const QJsonObject &filter, const QString &sort, const QString &path,
               Format format);
    bool isRunning() const { return m_running; }
    void cancel();

    // CSV: a header of field names, then one line per row; related rows as their ids.
    static QByteArray csv(const TableSchema &schema, const QJsonArray &rows);
    // JSON: the rows as the server answered them, related rows with their labels.
    static QByteArray json(const QJsonArray &rows);
    static bool write(const QString &path, const QByteArray &bytes, QString *error);

signals:
    void progress(int rows, qint64 total);
    // message: what was written, or why nothing was.
    void finished(bool ok, int rows, const QString &message);

private:
    void fetchPage(int page);
    void finish(bool ok, const QString &message);

    QPointer<ApiClient> m_client;
    TableSchema m_schema;
    QJsonObject m_filter;
    QString m_sort;
    QString m_path;
    Format m_format = Csv;
    QJsonArray m_rows;
    qint64 m_total = 0;
    int m_pageSize = kPageSize;
    bool m_running = false;
    int m_generation = 0;
};

} // namespace Hearth
