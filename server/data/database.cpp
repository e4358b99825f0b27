#include "data/database.h"

#include <QtGlobal>

namespace Hearth {

WriteTransaction::WriteTransaction(Database &database, SqlConnection &db, ForeignKeys foreignKeys)
    : m_lock(database.writeMutex()), m_db(db), m_foreignKeys(foreignKeys)
{
    if (m_foreignKeys == ForeignKeys::Suspended)
        m_db.exec("PRAGMA foreign_keys=OFF");
    m_db.exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction()
{
    try {
        if (!m_done)
            m_db.exec("ROLLBACK");
        if (m_foreignKeys == ForeignKeys::Suspended)
            m_db.exec("PRAGMA foreign_keys=ON");
    } catch (const std::exception &e) {
        qWarning("ending a transaction failed: %s", e.what());
    }
}

void WriteTransaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace Hearth
