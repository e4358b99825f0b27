#include "pages/data/datatablemodel.h"

#include "shell/theme.h"
#include "widgets/jsontablemodel.h"
#include "widgets/timestamptext.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>

namespace Hearth {

DataTableModel::DataTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void DataTableModel::setClient(ApiClient *client)
{
    m_client = client;
    clear();
}

void DataTableModel::setSchema(const TableSchema &schema, const QJsonObject &filter, const QString &sort)
{
    resetRows([&] {
        m_schema = schema;
        m_filter = filter;
        m_sort = sort;
    });
}

void DataTableModel::updateSchema(const TableSchema &schema)
{
    m_schema = schema;
    emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

void DataTableModel::setFilter(const QJsonObject &filter)
{
    m_filter = filter;
    reload();
}

void DataTableModel::setSort(const QString &sort)
{
    m_sort = sort;
    reload();
}

int DataTableModel::sortColumn() const
{
    const QString key = m_sort.startsWith(u'-') ? m_sort.mid(1) : m_sort;
    for (int i = 0; i < m_schema.fields.size(); ++i)
        if (!key.isEmpty() && m_schema.fields.at(i).sortKey() == key)
            return i;
    return m_sort.isEmpty() ? m_schema.indexOf(QStringLiteral("id")) : -1;
}

Qt::SortOrder DataTableModel::sortOrder() const
{
    return m_sort.startsWith(u'-') ? Qt::DescendingOrder : Qt::AscendingOrder;
}

void DataTableModel::reload(bool keepLoaded)
{
    if (!m_schema.isValid())
        return;
    ++m_generation;
    const int pages = keepLoaded ? qMax(1, m_loadedPages) : 1;
    fetch(1, pages * m_pageSize, true);
}

void DataTableModel::clear()
{
    resetRows({});
}

void DataTableModel::resetRows(const std::function<void()> &change)
{
    beginResetModel();
    ++m_generation;
    if (change)
        change();
    m_rows.clear();
    m_loadedPages = 0;
    m_more = false;
    m_loaded = false;
    m_totalCount = m_filterCount = 0;
    endResetModel();
    setFetching(false);
    emit countsChanged();
}

int DataTableModel::rowOfId(const QJsonValue &id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).value(u"id") == id)
            return i;
    return -1;
}

void DataTableModel::fetch(int page, int limit, bool replace)
{
    if (!m_client)
        return;
    const int generation = m_generation;
    setFetching(true);
    const ApiQuery query{.filter = m_filter,
                         .fields = m_schema.fieldsParameter(),
                         .sort = m_sort,
                         .limit = limit,
                         .page = page,
                         // Counted once per (re)load, not for every page scrolled to.
                         .meta = replace ? QStringLiteral("totalCount,filterCount") : QString(),
                         .deep = m_schema.deepParameter()};
    m_client->get(
        QLatin1Char('/') + m_schema.name + ApiClient::queryString(query),
        [this, generation, page, limit, replace](const ApiResult &result) {
            if (generation != m_generation)
                return;
            setFetching(false);
            if (!result.ok()) {
                m_more = false; // no endless retries from the view; Refresh tries again
                emit failed(result.failure(), tr("Could not load the rows of %1").arg(m_schema.name));
                return;
            }
            const QJsonArray data = result.data();
            if (replace) {
                m_totalCount = qint64(result.meta().value(u"totalCount").toDouble());
                m_filterCount = qint64(result.meta().value(u"filterCount").toDouble());
                beginResetModel();
                m_rows.clear();
                for (const QJsonValue &v : data)
                    m_rows.append(v.toObject());
                m_loadedPages = limit / m_pageSize;
                endResetModel();
            } else {
                // Rows added meanwhile shift the pages: skip the ones already shown.
                QList<QJsonObject> fresh;
                for (const QJsonValue &v : data)
                    if (rowOfId(v.toObject().value(u"id")) < 0)
                        fresh.append(v.toObject());
                if (!fresh.isEmpty()) {
                    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
                    m_rows.append(fresh);
                    endInsertRows();
                }
                m_loadedPages = page;
            }
            m_loaded = true;
            m_more = data.size() == limit && m_rows.size() < m_filterCount;
            emit countsChanged();
            if (replace)
                emit reloaded();
        },
        this);
}

void DataTableModel::setFetching(bool fetching)
{
    if (fetching == m_fetching)
        return;
    m_fetching = fetching;
    emit loadingChanged(fetching);
}

int DataTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DataTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_schema.fields.size());
}

QString DataTableModel::displayText(const DataField &field, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("—");
    switch (field.kind) {
    case DataField::ToOne:
        return relatedRowText(value, field.targetLabel);
    case DataField::ToMany: {
        const QJsonArray related = value.toArray();
        QStringList parts;
        for (const QJsonValue &v : related)
            if (parts.size() < TableSchema::kToManyShown)
                parts << relatedRowText(v, field.targetLabel);
        if (related.size() > TableSchema::kToManyShown)
            parts << QStringLiteral("…");
        return parts.isEmpty() ? QStringLiteral("—") : parts.join(QStringLiteral(", "));
    }
    case DataField::DateTime:
        return readableTimestamp(value.toString()).value_or(value.toString());
    case DataField::Json:
        if (value.isObject())
            return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        if (value.isArray())
            return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        return JsonTableModel::displayText(value);
    default:
        return JsonTableModel::displayText(value);
    }
}

QVariant DataTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_schema.fields.size())
        return {};
    const DataField &f = m_schema.fields.at(index.column());
    const QJsonValue value = m_rows.at(index.row()).value(f.key);
    switch (role) {
    case Qt::DisplayRole: {
        if (f.kind == DataField::Boolean && value.isBool())
            return QString(); // the check box says it
        QString text = displayText(f, value);
        const qsizetype newline = text.indexOf(u'\n');
        if (newline >= 0)
            text = text.left(newline) + QStringLiteral(" …");
        return text.size() > 200 ? text.left(200) + QStringLiteral("…") : text;
    }
    case Qt::EditRole:
        return displayText(f, value);
    case Qt::ToolTipRole: {
        const QString text = displayText(f, value);
        if (f.kind == DataField::ToOne && value.isObject())
            return tr("%1 #%2 in %3")
                .arg(text, value.toObject().value(u"id").toVariant().toString(), f.targetTable);
        return text.size() > 40 || text.contains(u'\n') ? text.left(2000) : QVariant();
    }
    case Qt::CheckStateRole:
        if (f.kind == DataField::Boolean)
            return value.toBool() ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::TextAlignmentRole:
        return f.isNumber() ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                            : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (value.isNull() || value.isUndefined() || f.system)
            return Theme::muted();
        return {};
    case JsonRole:
        return QVariant::fromValue(value);
    case FieldRole:
        return int(f.kind);
    default:
        return {};
    }
}

QVariant DataTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_schema.fields.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    const DataField &f = m_schema.fields.at(section);
    if (role == Qt::DisplayRole)
        return f.key;
    if (role == Qt::ToolTipRole) {
        QString tip = f.isRelation() ? tr("%1 → %2").arg(f.type, f.targetTable) : f.type;
        if (f.sortKey().isEmpty())
            tip += tr(" (cannot be sorted)");
        else
            tip += tr(" (click to sort)");
        return tip;
    }
    return {};
}

Qt::ItemFlags DataTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (!index.isValid() || index.column() >= m_schema.fields.size())
        return flags;
    const DataField &f = m_schema.fields.at(index.column());
    if (!f.editable)
        return flags;
    if (f.kind == DataField::Boolean)
        return flags | Qt::ItemIsUserCheckable;
    return flags | Qt::ItemIsEditable;
}

std::optional<QJsonValue> DataTableModel::toJson(const DataField &field, const QVariant &value,
                                                 QString *error)
{
    if (value.metaType() == QMetaType::fromType<QJsonValue>())
        return value.value<QJsonValue>();
    if (!value.isValid() || value.isNull())
        return QJsonValue(QJsonValue::Null);
    const QString text = value.toString();
    switch (field.kind) {
    case DataField::Integer: {
        bool ok = false;
        const qint64 n = text.trimmed().toLongLong(&ok);
        return ok ? QJsonValue(n) : QJsonValue(text); // the server says what is wrong with text
    }
    case DataField::Float: {
        bool ok = false;
        const double d = text.trimmed().toDouble(&ok);
        return ok ? QJsonValue(d) : QJsonValue(text);
    }
    case DataField::Boolean:
        if (value.metaType() == QMetaType::fromType<bool>())
            return QJsonValue(value.toBool());
        if (value.metaType() == QMetaType::fromType<int>())
            return QJsonValue(value.toInt() == Qt::Checked || value.toInt() == 1);
        if (text == u"true" || text == u"false")
            return QJsonValue(text == u"true");
        return QJsonValue(text);
    case DataField::Date:
        if (value.metaType() == QMetaType::fromType<QDate>())
            return QJsonValue(value.toDate().toString(Qt::ISODate));
        return QJsonValue(text);
    case DataField::DateTime:
        if (value.metaType() == QMetaType::fromType<QDateTime>())
            return QJsonValue(value.toDateTime().toUTC().toString(Qt::ISODateWithMs));
        return QJsonValue(text);
    case DataField::Json: {
        if (text.trimmed().isEmpty())
            return QJsonValue(QJsonValue::Null);
        QJsonParseError parsed;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &parsed);
        if (parsed.error != QJsonParseError::NoError || doc.array().size() != 1) {
            if (error)
                *error = tr("%1 is not valid JSON: %2").arg(field.key, parsed.errorString());
            return std::nullopt;
        }
        return doc.array().first();
    }
    case DataField::ToOne: {
        if (value.metaType() == QMetaType::fromType<QJsonObject>())
            return QJsonValue(value.toJsonObject());
        bool ok = false;
        const qint64 id = text.toLongLong(&ok);
        return ok ? QJsonValue(id) : QJsonValue(text);
    }
    default:
        return QJsonValue(text);
    }
}

bool DataTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_rows.size() ||
        !(role == Qt::EditRole || role == Qt::CheckStateRole))
        return false;
    const DataField &f = m_schema.fields.at(index.column());
    if (!f.editable || !m_client)
        return false;
    QString error;
    // A check box gives a Qt::CheckState.
    std::optional<QJsonValue> json = role == Qt::CheckStateRole
                                         ? std::optional<QJsonValue>(QJsonValue(value.toInt() == Qt::Checked))
                                         : toJson(f, value, &error);
    if (!json) {
        ApiFailure failure;
        failure.message = error;
        emit failed(failure, tr("Not saved"));
        return false;
    }
    QJsonObject &row = m_rows[index.row()];
    const QJsonValue old = row.value(f.key);
    // A related row is stored by id; the object only shows its label until the row is read back.
    const QJsonValue sent =
        f.kind == DataField::ToOne && json->isObject() ? json->toObject().value(u"id") : *json;
    const QJsonValue oldSent =
        f.kind == DataField::ToOne && old.isObject() ? old.toObject().value(u"id") : old;
    if (sent == oldSent)
        return false;
    const QJsonValue id = row.value(u"id");
    row.insert(f.key, f.kind == DataField::ToOne && !json->isObject() && !json->isNull()
                          ? QJsonValue(QJsonObject{{QStringLiteral("id"), *json}})
                          : *json);
    emit dataChanged(index, index);
    const QString key = f.key;
    m_client->patch(
        rowPath(id), QJsonObject{{key, sent}},
        [this, id, key, old](const ApiResult &result) {
            if (!result.ok()) {
                revertCell(id, key, old);
                emit failed(result.failure(), tr("Could not save %1").arg(key));
                return;
            }
            // Read the row back with the labels of its related rows.
            m_client->get(
                rowPath(id) + ApiClient::queryString(
                                  {.fields = m_schema.fieldsParameter(), .deep = m_schema.deepParameter()}),
                [this, id, key](const ApiResult &reread) {
                    if (reread.ok() && !reread.data().isEmpty())
                        replaceRow(reread.first());
                    emit saved(key, id);
                },
                this);
        },
        this);
    return true;
}

void DataTableModel::replaceRow(const QJsonObject &row)
{
    const int r = rowOfId(row.value(u"id"));
    if (r < 0)
        return;
    m_rows[r] = row;
    emit dataChanged(index(r, 0), index(r, columnCount() - 1));
}

void DataTableModel::revertCell(const QJsonValue &id, const QString &key, const QJsonValue &value)
{
    const int r = rowOfId(id);
    const int c = m_schema.indexOf(key);
    if (r < 0 || c < 0)
        return;
    m_rows[r].insert(key, value);
    emit dataChanged(index(r, c), index(r, c));
}

QString DataTableModel::rowPath(const QJsonValue &id) const
{
    return QStringLiteral("/%1/%2").arg(m_schema.name, id.toVariant().toString());
}

bool DataTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loaded && m_more && !m_fetching;
}

void DataTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    fetch(m_loadedPages + 1, m_pageSize, false);
}

void DataTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= m_schema.fields.size())
        return;
    const QString key = m_schema.fields.at(column).sortKey();
    if (key.isEmpty())
        return;
    const QString sort = order == Qt::DescendingOrder ? u'-' + key : key;
    if (sort != m_sort)
        setSort(sort);
}

} // namespace Hearth
