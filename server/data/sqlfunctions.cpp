#include "data/sqlfunctions.h"

#include "core/textfold.h"

#include <QUuid>

#include <sqlite3.h>

namespace Hearth {

namespace {
void foldFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(argv[0]));
    const QByteArray folded = foldText(QByteArrayView(text, sqlite3_value_bytes(argv[0])));
    sqlite3_result_text(ctx, folded.constData(), int(folded.size()), SQLITE_TRANSIENT);
}

void uuidFunction(sqlite3_context *ctx, int, sqlite3_value **)
{
    const QByteArray uuid = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    sqlite3_result_text(ctx, uuid.constData(), int(uuid.size()), SQLITE_TRANSIENT);
}
} // namespace

void registerSqlFunctions(sqlite3 *db)
{
    sqlite3_create_function_v2(db, "hearth_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                               nullptr, foldFunction, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "hearth_uuid", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, nullptr, uuidFunction,
                               nullptr, nullptr, nullptr);
}

} // namespace Hearth
