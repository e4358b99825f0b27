#include "pages/data/dataexporter.h"

#include "widgets/jsontablemodel.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace Hearth {

namespace {

QString csvValue(const DataField &field, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return {};
    if (field.kind == DataField::ToOne)
        return value.isObject() ? value.toObject().value(u"id").toVariant().toString()
                                : value.toVariant().toString();
    if (field.kind == DataField::ToMany) {
        QStringList ids;
        for (const QJsonValue &v : value.toArray())
            ids << (v.isObject() ? v.toObject().value(u"id").toVariant().toString()
                                 : v.toVariant().toString());
        return ids.join(QStringLiteral(", "));
    }
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return JsonTableModel::displayText(value);
    if (value.isString())
        return value.toString();
    return QString::fromUtf8(value.isObject()
                                 ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
}

QString csvQuoted(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

} // namespace

DataExporter::DataExporter(ApiClient *client, QObject *parent) : QObject(parent), m_client(client) {}

DataExporter::Format DataExporter::formatFor(const QString &path)
{
    return QFileInfo(path).suffix().compare(u"json", Qt::CaseInsensitive) == 0 ? Json : Csv;
}

void DataExporter::start(const TableSchema &schema, const QJsonObject &filter, const QString &sort,
                         const QString &path, Format format)
{
    ++m_generation;
    m_schema = schema;
    m_filter = filter;
    m_sort = sort;
    m_path = path;
    m_format = format;
    m_rows = {};
    m_total = 0;
    m_running = true;
    fetchPage(1);
}

void DataExporter::cancel()
{
    if (!m_running)
        return;
    ++m_generation;
    finish(false, tr("Export cancelled"));
}

void DataExporter::fetchPage(int page)
{
    if (!m_client)
        return finish(false, tr("Not connected to a server"));
    const int generation = m_generation;
    const ApiQuery query{.filter = m_filter,
                         .fields = m_schema.fieldsParameter(),
                         .sort = m_sort,
                         .limit = m_pageSize,
                         .page = page,
                         .meta = page == 1 ? QStringLiteral("filterCount") : QString()};
    m_client->get(
        QLatin1Char('/') + m_schema.name + ApiClient::queryString(query),
        [this, generation, page](const ApiResult &result) {
            if (generation != m_generation)
                return;
            if (!result.ok())
                return finish(false, tr("Could not read the rows: %1").arg(result.failure().message));
            if (page == 1)
                m_total = qint64(result.meta().value(u"filterCount").toDouble());
            for (const QJsonValue &row : result.data())
                m_rows.append(row);
            emit progress(int(m_rows.size()), m_total);
            if (result.data().size() == m_pageSize && m_rows.size() < m_total)
                return fetchPage(page + 1);
            QString error;
            const QByteArray bytes = m_format == Json ? json(m_rows) : csv(m_schema, m_rows);
            if (!write(m_path, bytes, &error))
                return finish(false, error);
            const QString file = QFileInfo(m_path).fileName();
            finish(true, m_rows.size() == 1 ? tr("1 row written to %1").arg(file)
                                            : tr("%1 rows written to %2").arg(m_rows.size()).arg(file));
        },
        this);
}

void DataExporter::finish(bool ok, const QString &message)
{
    m_running = false;
    emit finished(ok, int(m_rows.size()), message);
}

QByteArray DataExporter::csv(const TableSchema &schema, const QJsonArray &rows)
{
    QStringList lines;
    QStringList header;
    for (const DataField &f : schema.fields)
        header << csvQuoted(f.key);
    lines << header.join(u',');
    for (const QJsonValue &value : rows) {
        const QJsonObject row = value.toObject();
        QStringList cells;
        for (const DataField &f : schema.fields)
            cells << csvQuoted(csvValue(f, row.value(f.key)));
        lines << cells.join(u',');
    }
    return (lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n")).toUtf8();
}

QByteArray DataExporter::json(const QJsonArray &rows)
{
    return QJsonDocument(rows).toJson(QJsonDocument::Indented);
}

bool DataExporter::write(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace Hearth
