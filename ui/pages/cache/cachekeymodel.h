#pragma once

#include "widgets/jsontablemodel.h"

namespace Hearth {

// The rows of GET /admin/cache/keys ({key, kind, type, bytes, ttlMs}) with
// sizes and times to live in words ("1.2 kB", "4 min 59 s", "never") and the
// server's own (system) keys in a muted color.
class CacheKeyModel : public JsonTableModel
{
    Q_OBJECT
public:
    explicit CacheKeyModel(QObject *parent = nullptr);

    // Adds a page of keys (a scan's next page) after those shown.
    void appendRows(const QJsonArray &rows);
    // The row of key, -1 when not shown.
    int rowOf(const QString &key) const;
    QStringList keys() const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
};

} // namespace Hearth
