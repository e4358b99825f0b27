#include "widgets/jsontablemodel.h"

#include "shell/theme.h"
#include "widgets/timestamptext.h"

#include <QJsonDocument>

namespace Hearth {

JsonTableModel::JsonTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void JsonTableModel::setColumns(const QList<JsonColumn> &columns)
{
    beginResetModel();
    m_fixedColumns = columns;
    for (JsonColumn &c : m_fixedColumns)
        if (c.title.isEmpty())
            c.title = titleFor(c.key);
    m_columns = m_fixedColumns.isEmpty() ? columnsFromRows(QJsonArray()) : m_fixedColumns;
    endResetModel();
}

void JsonTableModel::setPreferredOrder(const QStringList &keys)
{
    m_preferredOrder = keys;
}

void JsonTableModel::setRows(const QJsonArray &rows)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(rows.size());
    for (const QJsonValue &v : rows)
        m_rows.append(v.toObject());
    m_columns = m_fixedColumns.isEmpty() ? columnsFromRows(rows) : m_fixedColumns;
    endResetModel();
}

void JsonTableModel::clear()
{
    setRows(QJsonArray());
}

QJsonObject JsonTableModel::row(int index) const
{
    return index >= 0 && index < m_rows.size() ? m_rows.at(index) : QJsonObject();
}

int JsonTableModel::columnOf(const QString &key) const
{
    for (int i = 0; i < m_columns.size(); ++i)
        if (m_columns.at(i).key == key)
            return i;
    return -1;
}

int JsonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JsonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_columns.size())
        return {};
    const QJsonValue value = valueAt(m_rows.at(index.row()), m_columns.at(index.column()).key);
    switch (role) {
    case Qt::DisplayRole: {
        QString text = displayText(value);
        // One line per cell: long texts (descriptions, source code) are cut, the tooltip has them whole.
        const qsizetype newline = text.indexOf(u'\n');
        if (newline >= 0)
            text = text.left(newline) + QStringLiteral(" …");
        return text.size() > 200 ? text.left(200) + QStringLiteral("…") : text;
    }
    case Qt::ToolTipRole: {
        const QString text = displayText(value);
        return text.size() > 40 || text.contains(u'\n') ? text.left(2000) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return value.isDouble() ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (value.isNull() || value.isUndefined() || (value.isBool() && !value.toBool()) ||
            (value.isArray() && value.toArray().isEmpty()))
            return Theme::muted();
        return {};
    case SortRole:
        if (value.isDouble())
            return value.toDouble();
        if (value.isBool())
            return int(value.toBool());
        return displayText(value).toLower();
    case JsonRole:
        return QVariant::fromValue(value);
    default:
        return {};
    }
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return m_columns.at(section).title;
    if (role == Qt::ToolTipRole)
        return m_columns.at(section).key;
    return {};
}

QJsonValue JsonTableModel::valueAt(const QJsonObject &row, const QString &path)
{
    if (!path.contains(u'.'))
        return row.value(path);
    QJsonValue current = row;
    for (const QString &part : path.split(u'.')) {
        if (current.isArray()) {
            // A to-many relation: the values of its rows, as a list.
            QJsonArray values;
            for (const QJsonValue &item : current.toArray())
                values.append(item.toObject().value(part));
            current = values;
            continue;
        }
        current = current.toObject().value(part);
        if (current.isUndefined() || current.isNull())
            return current;
    }
    return current;
}

QString JsonTableModel::displayText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("—");
    case QJsonValue::Bool:
        return value.toBool() ? tr("Yes") : tr("No");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        const qint64 whole = qint64(d);
        return double(whole) == d ? QString::number(whole) : QString::number(d, 'g', 12);
    }
    case QJsonValue::String:
        return readableTimestamp(value.toString()).value_or(value.toString());
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        if (array.isEmpty())
            return QStringLiteral("—");
        bool scalars = true;
        bool ids = true; // related rows reduced to their ids: [{"id":2},{"id":5}] reads "2, 5"
        for (const QJsonValue &v : array) {
            scalars = scalars && !v.isArray() && !v.isObject();
            ids = ids && v.isObject() && v.toObject().size() == 1 && v.toObject().contains(u"id");
        }
        if (scalars || ids) {
            QStringList parts;
            for (const QJsonValue &v : array)
                parts << displayText(v);
            return parts.join(QStringLiteral(", "));
        }
        return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        // A related row reduced to its id reads best as the id.
        if (object.size() == 1 && object.contains(u"id"))
            return displayText(object.value(u"id"));
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    }
    return {};
}

QString JsonTableModel::titleFor(const QString &key)
{
    QStringList parts;
    for (const QString &part : key.split(u'.')) {
        QString words;
        for (qsizetype i = 0; i < part.size(); ++i) {
            const QChar c = part.at(i);
            if (c == u'_') {
                words += u' ';
            } else if (c.isUpper() && i > 0 && !part.at(i - 1).isUpper()) {
                words += u' ';
                words += c.toLower();
            } else {
                words += c;
            }
        }
        parts << words;
    }
    QString title = parts.join(QStringLiteral(" › "));
    if (title == u"id")
        return QStringLiteral("ID");
    if (!title.isEmpty())
        title[0] = title.at(0).toUpper();
    return title;
}

QList<JsonColumn> JsonTableModel::columnsFromRows(const QJsonArray &rows) const
{
    QStringList keys;
    for (const QJsonValue &v : rows)
        for (const QString &key : v.toObject().keys())
            if (!keys.contains(key))
                keys << key;
    // QJsonObject keys are sorted; put the id first and the timestamps last, as people expect.
    QStringList ordered;
    if (keys.removeOne(QStringLiteral("id")))
        ordered << QStringLiteral("id");
    for (const QString &key : m_preferredOrder)
        if (keys.removeOne(key))
            ordered << key;
    QStringList tail;
    for (const char *late : {"createdAt", "updatedAt"})
        if (keys.removeOne(QLatin1StringView(late)))
            tail << QLatin1StringView(late);
    ordered << keys << tail;
    QList<JsonColumn> columns;
    for (const QString &key : ordered)
        columns.append({key, titleFor(key)});
    return columns;
}

} // namespace Hearth
