#pragma once

#include "auth/caller.h"
#include "http/httprequest.h"

#include <QJsonObject>

namespace Hearth {

class SqlConnection;
struct TableDef;

// What keeps the system tables consistent and safe when they are written
// through their canonical routes: read-only tables and rows, valid paths and
// method lists, user accounts only a root admin may raise or touch, and the
// last root admin kept. check() may normalise the body (emails).
class SystemTableRules
{
public:
    SystemTableRules(SqlConnection &db, const TableDef &table, const Caller &caller, const QByteArray &method,
                     const QString &rowId);
    void check(QJsonObject &body) const; // throws ApiError
    // After a committed write: whether the user's sessions must end (a new password).
    bool endsSessions(const QJsonObject &body) const;

private:
    void checkRoute(const QJsonObject &body) const;
    void checkMethodList(const QJsonObject &body, const char *key) const;
    void checkUser(QJsonObject &body) const;
    void checkReadOnlyRow() const;
    void checkSetting(const QJsonObject &body) const;
    bool targetIsRootAdmin() const;

    SqlConnection &m_db;
    const TableDef &m_table;
    const Caller &m_caller;
    QByteArray m_method;
    QString m_rowId; // empty for the collection
};

} // namespace Hearth
