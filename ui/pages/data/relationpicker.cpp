#include "pages/data/relationpicker.h"

namespace Hearth {

RelationPicker::RelationPicker(ApiClient *client, const DataField &field, bool allowNone, QWidget *parent)
    : QComboBox(parent), m_field(field)
{
    setObjectName(QStringLiteral("relationPicker"));
    setToolTip(tr("A row of %1").arg(field.targetTable));
    if (allowNone)
        addItem(QStringLiteral("—"), QVariant::fromValue(QJsonValue(QJsonValue::Null)));
    if (!client)
        return;
    QString fields = QStringLiteral("id");
    if (!field.targetLabel.isEmpty())
        fields += u',' + field.targetLabel;
    const QString path = QLatin1Char('/') + field.targetTable +
                         ApiClient::queryString(
                             {.fields = fields,
                              .sort = field.targetLabel.isEmpty() ? QStringLiteral("id") : field.targetLabel,
                              .limit = kRowsOffered});
    client->get(
        path,
        [this](const ApiResult &result) {
            m_loaded = true;
            if (result.ok()) {
                const QJsonValue wanted = m_wanted;
                for (const QJsonValue &row : result.data())
                    if (indexOfId(row.toObject().value(u"id")) < 0)
                        addRow(row.toObject());
                setCurrentRow(wanted);
            } else {
                setToolTip(tr("Could not list %1: %2").arg(m_field.targetTable, result.failure().message));
            }
            emit loaded();
        },
        this);
}

void RelationPicker::addRow(const QJsonObject &row)
{
    const QString id = row.value(u"id").toVariant().toString();
    const QString label = relatedRowText(row, m_field.targetLabel);
    addItem(label.startsWith(u'#') ? label : QStringLiteral("%1 (#%2)").arg(label, id),
            QVariant::fromValue(QJsonValue(row)));
}

int RelationPicker::indexOfId(const QJsonValue &id) const
{
    for (int i = 0; i < count(); ++i) {
        const QJsonValue row = itemData(i).value<QJsonValue>();
        if (row.isObject() && row.toObject().value(u"id") == id)
            return i;
    }
    return -1;
}

void RelationPicker::setCurrentRow(const QJsonValue &row)
{
    m_wanted = row;
    if (!row.isObject()) {
        // "—" is the first item when the relation may be empty.
        setCurrentIndex(count() > 0 && !itemData(0).value<QJsonValue>().isObject() ? 0 : -1);
        return;
    }
    int i = indexOfId(row.toObject().value(u"id"));
    if (i < 0) {
        addRow(row.toObject());
        i = count() - 1;
    }
    setCurrentIndex(i);
}

QJsonValue RelationPicker::currentRow() const
{
    const QVariant data = currentData();
    return data.isValid() ? data.value<QJsonValue>() : QJsonValue(QJsonValue::Null);
}

} // namespace Hearth
