#include "sqlitepeek.h"

#include <sqlite3.h>

namespace Hearth::Test {

QString sqliteValue(const QString &path, const QByteArray &sql, const QStringList &params)
{
    sqlite3 *db = nullptr;
    QString out;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(db);
        return QStringLiteral("<cannot open>");
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &stmt, nullptr) == SQLITE_OK) {
        for (qsizetype i = 0; i < params.size(); ++i)
            sqlite3_bind_text(stmt, int(i + 1), params[i].toUtf8().constData(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(stmt) == SQLITE_ROW)
            out = sqlite3_column_type(stmt, 0) == SQLITE_NULL
                      ? QStringLiteral("NULL")
                      : QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    } else {
        out = QStringLiteral("<cannot prepare: %1>").arg(QString::fromUtf8(sqlite3_errmsg(db)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return out;
}

} // namespace Hearth::Test
