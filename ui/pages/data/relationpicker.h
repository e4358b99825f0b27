#pragma once

#include "client/apiclient.h"
#include "pages/data/tableschema.h"

#include <QComboBox>
#include <QPointer>

namespace Hearth {

// Picks the row a to-one relation points at: the target table's rows by label
// ("Ann (#3)"), loaded from the server when the picker is made, with "—" for none
// when the relation may be empty.
class RelationPicker : public QComboBox
{
    Q_OBJECT
public:
    // How many target rows are offered (the current one is always among them).
    static constexpr int kRowsOffered = 500;

    RelationPicker(ApiClient *client, const DataField &field, bool allowNone, QWidget *parent = nullptr);

    // The related row ({"id":…, "name":…}) or null.
    void setCurrentRow(const QJsonValue &row);
    QJsonValue currentRow() const;
    bool isLoaded() const { return m_loaded; }

signals:
    void loaded();

private:
    void addRow(const QJsonObject &row);
    int indexOfId(const QJsonValue &id) const;

    DataField m_field;
    QJsonValue m_wanted; // the row to select once the list arrives
    bool m_loaded = false;
};

} // namespace Hearth
