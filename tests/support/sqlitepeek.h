#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Hearth::Test {

// One value from a server's SQLite file, read on a read-only connection of the
// test's own: "NULL" for SQL NULL, "<cannot …>" when the file or query fails.
// For checking what is stored where the API does not show it (hashes, sessions).
QString sqliteValue(const QString &path, const QByteArray &sql, const QStringList &params = {});

} // namespace Hearth::Test

namespace Hearth {
using Test::sqliteValue;
} // namespace Hearth
