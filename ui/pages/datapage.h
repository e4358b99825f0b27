#pragma once

#include "pages/recordlistpage.h"

class QComboBox;

#include <QHash>

namespace Hearth {

// The rows of one of the project's tables, newest first: pick the table in the header.
class DataPage : public RecordListPage
{
    Q_OBJECT
public:
    explicit DataPage(QWidget *parent = nullptr);

    QComboBox *tablePicker() const { return m_tables; }
    // Shows table (when it exists on the server).
    void showTable(const QString &table);

public slots:
    void refresh() override;

protected:
    void reset() override;

private:
    void tablesLoaded(const QJsonArray &tables);
    void showRowsOf(const QString &table);

    QComboBox *m_tables;
    QHash<QString, QStringList> m_columnOrder; // per table: its columns by position, then its relations
    QString m_wanted;                          // the table to show once the list arrives
};

} // namespace Hearth
