#include "data/database.h"

#include <QLoggingCategory>

namespace Hearth {

WriteTransaction::WriteTransaction(Database &database, SqlConnection &db)
    : m_lock(database.writeMutex()), m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction()
{
    if (m_done)
        return;
    try {
        m_db.exec("ROLLBACK");
    } catch (const std::exception &e) {
        qWarning("rollback failed: %s", e.what());
    }
}

void WriteTransaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace Hearth
