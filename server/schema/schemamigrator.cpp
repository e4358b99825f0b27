#include "schema/schemamigrator.h"

#include "core/apierror.h"
#include "data/sqlconnection.h"
#include "data/valuecoercion.h"
#include "schema/columnconversion.h"
#include "schema/ddlbuilder.h"

#include <QJsonObject>
#include <QSet>

namespace Hearth {

namespace {

const RelationDef *storingRelation(const TableDef &table, const ColumnDef &c)
{
    for (const RelationDef &r : table.relations)
        if (r.ownsForeignKey() && r.foreignKeyColumn == c.name)
            return &r;
    return nullptr;
}

// What makes a column "the same column" before and after a change. A relation's key column is
// the same only while the relation points at the same table: ids of another table are no values
// to keep.
QString columnKey(const ColumnDef &c, const TableDef &table, const Schema &schema)
{
    if (c.isForeignKey) {
        const RelationDef *r = storingRelation(table, c);
        const TableDef *target = r ? schema.table(r->targetTable) : nullptr;
        return QStringLiteral("r:%1:%2").arg(c.relationId).arg(target ? target->id : 0);
    }
    if (c.isGenerated)
        return QStringLiteral("b:") + c.name;
    if (c.id != 0)
        return QStringLiteral("c:%1").arg(c.id);
    return QStringLiteral("n:") + c.name;
}

// Everything about a column that lives in its CREATE TABLE text.
QString storageSignature(const ColumnDef &c, const TableDef &table, const Schema &schema)
{
    QString signature = c.name + u'|' + columnTypeName(c.type) + u'|' + QString::number(c.isNullable) + u'|' +
                        QString::fromUtf8(DdlBuilder::sqlLiteral(c.defaultValue, c.type));
    if (const RelationDef *r = storingRelation(table, c)) {
        const TableDef *target = schema.table(r->targetTable);
        signature += QStringLiteral("|fk:%1:%2").arg(target ? target->id : 0).arg(onDeleteName(r->onDelete));
    }
    return signature;
}

// Junction table name -> the tables it links (by id): a relation pointed at another table needs
// a new junction, since its links and foreign keys belong to the old one.
QHash<QString, QString> junctionTables(const Schema &schema)
{
    QHash<QString, QString> out;
    for (const TableDef &t : schema.tables())
        for (const RelationDef &r : t.relations)
            if (r.type == RelationType::ManyToMany && !r.isInverse) {
                const TableDef *target = schema.table(r.targetTable);
                out.insert(r.junctionTable, QStringLiteral("%1:%2").arg(t.id).arg(target ? target->id : 0));
            }
    return out;
}

QByteArray rebuildName(const TableDef &t)
{
    return quoteIdentifier(QStringLiteral("hearth_rebuild_") + t.name);
}

} // namespace

SchemaMigrator::SchemaMigrator(const Schema &from, const Schema &to) : m_from(from), m_to(to)
{
    for (const TableDef &t : m_to.tables()) {
        TablePlan plan;
        plan.to = &t;
        plan.from = m_from.tableById(t.id);
        if (!plan.from || t.id == 0) {
            plan.from = t.id == 0 ? m_from.table(t.name) : nullptr;
            plan.kind = plan.from ? Kind::Keep : Kind::Create;
        }
        if (plan.from && plan.kind != Kind::Create) {
            QHash<QString, QString> before;
            for (const ColumnDef &c : plan.from->columns)
                before.insert(columnKey(c, *plan.from, m_from), storageSignature(c, *plan.from, m_from));
            QHash<QString, QString> after;
            for (const ColumnDef &c : t.columns)
                after.insert(columnKey(c, t, m_to), storageSignature(c, t, m_to));
            plan.kind = before == after ? Kind::Keep : Kind::Rebuild;
            // A shorter varchar or fewer options are not in the CREATE TABLE text, but the values
            // they no longer accept must be converted.
            for (const ColumnSource &s : columnSources(plan))
                if (narrows(s))
                    plan.kind = Kind::Rebuild;
        }
        m_plans.append(plan);
    }
    for (const TableDef &t : m_from.tables())
        if (t.id != 0 && !m_to.tableById(t.id))
            m_plans.append(TablePlan{Kind::Drop, &t, nullptr});

    const QHash<QString, QString> before = junctionTables(m_from);
    const QHash<QString, QString> after = junctionTables(m_to);
    for (auto it = after.cbegin(); it != after.cend(); ++it)
        if (before.value(it.key()) != it.value())
            m_createdJunctions << it.key();
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        if (after.value(it.key()) != it.value())
            m_droppedJunctions << it.key();
}

QStringList SchemaMigrator::affectedTables() const
{
    QStringList out;
    for (const TablePlan &p : m_plans) {
        if (p.kind == Kind::Keep && p.from->name == p.to->name &&
            p.from->columns.size() == p.to->columns.size()) {
            bool sameIndexes = true;
            for (qsizetype i = 0; i < p.to->columns.size(); ++i)
                if (p.to->columns[i].isUnique != p.from->columns[i].isUnique ||
                    p.to->columns[i].isIndexed != p.from->columns[i].isIndexed)
                    sameIndexes = false;
            if (sameIndexes)
                continue;
        }
        out << (p.to ? p.to->name : p.from->name);
    }
    return out;
}

QList<SchemaMigrator::ColumnSource> SchemaMigrator::columnSources(const TablePlan &plan) const
{
    QHash<QString, const ColumnDef *> old;
    if (plan.from)
        for (const ColumnDef &c : plan.from->columns)
            old.insert(columnKey(c, *plan.from, m_from), &c);
    QList<ColumnSource> sources;
    for (const ColumnDef &c : plan.to->columns)
        sources.append(ColumnSource{&c, old.value(columnKey(c, *plan.to, m_to), nullptr)});
    return sources;
}

bool SchemaMigrator::narrows(const ColumnSource &s)
{
    if (!s.from || s.from->type != s.to->type)
        return false;
    if (s.to->type == ColumnType::Varchar)
        return s.to->maxLength() < s.from->maxLength();
    if (s.to->type == ColumnType::Enum || s.to->type == ColumnType::ArraySelect)
        for (const QString &option : s.from->options)
            if (!s.to->options.contains(option))
                return true;
    return false;
}

QByteArray SchemaMigrator::conversionExpression(const ColumnSource &s) const
{
    if (!s.from)
        return "NULL";
    if (s.from->type == s.to->type && !narrows(s))
        return quoteIdentifier(s.from->name);
    if (s.to->type == ColumnType::Varchar && s.from->type == ColumnType::Varchar)
        return "substr(" + quoteIdentifier(s.from->name) + ", 1, " + QByteArray::number(s.to->maxLength()) +
               ')';
    return "hearth_convert(" + quoteIdentifier(s.from->name) + ", " +
           DdlBuilder::sqlLiteral(QString::fromUtf8(ColumnConversion::targetSpec(*s.to)), ColumnType::Text) +
           ')';
}

bool SchemaMigrator::fillsWithDefault(const ColumnSource &s)
{
    // A new column's rows get the default, and so do the nulls of a column that cannot hold null.
    // A nullable column keeps its nulls: a default is for rows written later.
    return s.to->hasDefault() && !s.to->defaultValue.isNull() && (!s.from || !s.to->isNullable);
}

QByteArray SchemaMigrator::sourceExpression(const ColumnSource &s) const
{
    const QByteArray expr = conversionExpression(s);
    if (!fillsWithDefault(s))
        return expr;
    return "coalesce(" + expr + ", " + DdlBuilder::sqlLiteral(s.to->defaultValue, s.to->type) + ')';
}

qint64 SchemaMigrator::count(SqlConnection &db, const QByteArray &sql) const
{
    SqlStatement s = db.prepare(sql);
    return s.step() ? s.int64(0) : 0;
}

QList<MigrationIssue> SchemaMigrator::inspect(SqlConnection &db) const
{
    ColumnConversion::registerSqlFunction(db.handle());
    QList<MigrationIssue> issues;
    for (const TablePlan &p : m_plans) {
        if (p.kind == Kind::Drop) {
            const qint64 rows = count(db, "SELECT count(*) FROM " + quoteIdentifier(p.from->name));
            if (rows > 0)
                issues.append(MigrationIssue{
                    p.from->name,
                    {},
                    rows,
                    false,
                    QStringLiteral("%1 rows of %2 will be deleted").arg(rows).arg(p.from->name)});
            continue;
        }
        if (p.kind == Kind::Create)
            continue;
        const QByteArray table = quoteIdentifier(p.from->name);
        QSet<QString> kept;
        for (const ColumnSource &s : columnSources(p)) {
            if (s.from)
                kept.insert(columnKey(*s.from, *p.from, m_from));
            if (p.kind != Kind::Rebuild)
                continue;
            const QByteArray expr = sourceExpression(s);
            const QByteArray converted = conversionExpression(s);
            if (s.from && converted != quoteIdentifier(s.from->name)) {
                const qint64 lossy =
                    count(db, "SELECT count(*) FROM " + table + " WHERE " + quoteIdentifier(s.from->name) +
                                  " IS NOT NULL AND (" + converted + ") IS NULL");
                const qint64 shortened = s.to->type == ColumnType::Varchar
                                             ? count(db, "SELECT count(*) FROM " + table + " WHERE length(" +
                                                             quoteIdentifier(s.from->name) + ") > " +
                                                             QByteArray::number(s.to->maxLength()))
                                             : 0;
                if (lossy > 0) {
                    const bool toDefault = fillsWithDefault(s);
                    issues.append(MigrationIssue{
                        p.to->name, s.to->name, lossy, !s.to->isNullable && !toDefault,
                        QStringLiteral("%1 values of %2.%3 cannot be converted to %4 and become %5")
                            .arg(lossy)
                            .arg(p.to->name, s.to->name, columnTypeName(s.to->type),
                                 toDefault ? QStringLiteral("the default ") +
                                                 QString::fromUtf8(compactJson(s.to->defaultValue))
                                           : QStringLiteral("null"))});
                }
                if (shortened > 0)
                    issues.append(MigrationIssue{
                        p.to->name, s.to->name, shortened, false,
                        QStringLiteral("%1 values of %2.%3 are longer than %4 characters and will be cut")
                            .arg(shortened)
                            .arg(p.to->name, s.to->name)
                            .arg(s.to->maxLength())});
            }
            if (!s.to->isNullable && !s.to->isPrimary) {
                const qint64 missing =
                    count(db, "SELECT count(*) FROM " + table + " WHERE (" + expr + ") IS NULL");
                if (missing > 0)
                    issues.append(MigrationIssue{
                        p.to->name, s.to->name, missing, true,
                        QStringLiteral("%1 rows of %2 would have no value for required %3: give it a "
                                       "defaultValue or make it nullable")
                            .arg(missing)
                            .arg(p.to->name, s.to->name)});
            }
        }
        for (const ColumnDef &c : p.from->columns) {
            if (kept.contains(columnKey(c, *p.from, m_from)))
                continue;
            const qint64 values = count(db, "SELECT count(*) FROM " + table + " WHERE " +
                                                quoteIdentifier(c.name) + " IS NOT NULL");
            if (values > 0)
                issues.append(MigrationIssue{p.from->name, c.name, values, false,
                                             QStringLiteral("%1 values of %2.%3 will be deleted")
                                                 .arg(values)
                                                 .arg(p.from->name, c.name)});
        }
        for (const ColumnSource &s : columnSources(p)) {
            if (!s.to->isUnique || (s.from && s.from->isUnique && p.kind == Kind::Keep))
                continue;
            // The values the column will hold: converted, cut or filled with the default.
            const QByteArray value = sourceExpression(s);
            const qint64 duplicates =
                count(db, "SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE (" + value +
                              ") IS NOT NULL GROUP BY (" + value + ") HAVING count(*) > 1)");
            if (duplicates > 0)
                issues.append(
                    MigrationIssue{p.to->name, s.to->name, duplicates, true,
                                   QStringLiteral("%1.%2 cannot be unique: %3 values appear more than once")
                                       .arg(p.to->name, s.to->name)
                                       .arg(duplicates)});
        }
    }
    for (const QString &j : m_droppedJunctions) {
        const qint64 links = count(db, "SELECT count(*) FROM " + quoteIdentifier(j));
        if (links > 0)
            issues.append(MigrationIssue{
                j, {}, links, false, QStringLiteral("%1 many-to-many links will be deleted").arg(links)});
    }
    return issues;
}

void SchemaMigrator::syncIndexes(SqlConnection &db, const TableDef &table) const
{
    // What the flags ask for: one index per unique or indexed column.
    struct Wanted
    {
        const ColumnDef *column;
        QString name; // uq_<table>_<column> or ix_<table>_<column>
        bool done = false;
    };
    QList<Wanted> wanted;
    for (const ColumnDef &c : table.columns)
        if (!c.isPrimary && (c.isUnique || c.isIndexed))
            wanted.append(Wanted{&c, (c.isUnique ? QStringLiteral("uq_%1_%2") : QStringLiteral("ix_%1_%2"))
                                         .arg(table.name, c.name)});

    // What the table has, judged by what each index covers, not by its name: index names are
    // global in SQLite, and uq_a_b_c may already belong to table a_b (column c) when table a
    // (column b_c) wants it.
    struct Existing
    {
        QString name;
        bool unique;
        QString columns;
    };
    QList<Existing> existing;
    {
        SqlStatement s =
            db.prepare("SELECT il.name, il.\"unique\", "
                       "(SELECT group_concat(ii.name) FROM pragma_index_info(il.name) ii) "
                       "FROM pragma_index_list(?) il WHERE il.origin = 'c' AND "
                       "(il.name LIKE 'uq\\_%' ESCAPE '\\' OR il.name LIKE 'ix\\_%' ESCAPE '\\')");
        s.bind(1, sqlText(table.name));
        while (s.step())
            existing.append(
                Existing{QString::fromUtf8(s.text(0)), s.int64(1) != 0, QString::fromUtf8(s.text(2))});
    }
    for (const Existing &e : std::as_const(existing)) {
        bool keep = false;
        for (Wanted &w : wanted) {
            // Kept when it covers the column as asked and carries the column's name (or that name
            // with a suffix, when the plain one was taken); after a table rename it is renamed.
            if (!w.done && e.columns == w.column->name && e.unique == w.column->isUnique &&
                (e.name == w.name || e.name.startsWith(w.name + u'_'))) {
                w.done = keep = true;
                break;
            }
        }
        if (!keep)
            db.exec("DROP INDEX " + quoteIdentifier(e.name));
    }
    for (const Wanted &w : std::as_const(wanted)) {
        if (w.done)
            continue;
        QString name = w.name;
        for (int n = 2;; ++n) {
            SqlStatement taken = db.prepare("SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?)");
            taken.bind(1, sqlText(name));
            if (!taken.step())
                break;
            name = w.name + u'_' + QString::number(n);
        }
        db.exec(QByteArray(w.column->isUnique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") +
                quoteIdentifier(name) + " ON " + quoteIdentifier(table.name) + '(' +
                quoteIdentifier(w.column->name) + ')');
    }
}

void SchemaMigrator::apply(SqlConnection &db) const
{
    QStringList blocking;
    for (const MigrationIssue &issue : inspect(db))
        if (issue.blocking)
            blocking << issue.message;
    if (!blocking.isEmpty())
        throw ApiError::conflict(QStringLiteral("The schema change cannot be applied: ") +
                                     blocking.join(u"; "),
                                 QJsonArray::fromStringList(blocking));

    for (const TablePlan &p : m_plans) {
        if (p.kind == Kind::Create || p.kind == Kind::Drop || p.from->name == p.to->name)
            continue;
        QString from = p.from->name;
        if (from.compare(p.to->name, Qt::CaseInsensitive) == 0) {
            // SQLite sees "posts" and "Posts" as one name: go through a free (reserved) one.
            const QString step = QStringLiteral("hearth_rename_") + p.to->name;
            db.exec("ALTER TABLE " + quoteIdentifier(from) + " RENAME TO " + quoteIdentifier(step));
            from = step;
        }
        db.exec("ALTER TABLE " + quoteIdentifier(from) + " RENAME TO " + quoteIdentifier(p.to->name));
    }
    for (const QString &j : m_droppedJunctions)
        db.exec("DROP TABLE IF EXISTS " + quoteIdentifier(j));
    for (const TablePlan &p : m_plans)
        if (p.kind == Kind::Drop)
            db.exec("DROP TABLE IF EXISTS " + quoteIdentifier(p.from->name));

    for (const TablePlan &p : m_plans) {
        if (p.kind == Kind::Create) {
            db.exec(DdlBuilder::createTable(*p.to, m_to));
        } else if (p.kind == Kind::Rebuild) {
            const QByteArray temp = rebuildName(*p.to);
            db.exec("DROP TABLE IF EXISTS " + temp);
            db.exec(DdlBuilder::createTable(*p.to, m_to, QStringLiteral("hearth_rebuild_") + p.to->name));
            QByteArray columns, values;
            for (const ColumnSource &s : columnSources(p)) {
                if (!columns.isEmpty()) {
                    columns += ", ";
                    values += ", ";
                }
                columns += quoteIdentifier(s.to->name);
                values += sourceExpression(s);
            }
            db.exec("INSERT INTO " + temp + " (" + columns + ") SELECT " + values + " FROM " +
                    quoteIdentifier(p.to->name));
            // AUTOINCREMENT never hands out an id twice, also not one of a row deleted before the
            // rebuild: the new table continues the old one's sequence.
            qint64 sequence = 0;
            {
                SqlStatement s = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?");
                s.bind(1, sqlText(p.to->name));
                if (s.step())
                    sequence = s.int64(0);
            }
            db.exec("DROP TABLE " + quoteIdentifier(p.to->name));
            db.exec("ALTER TABLE " + temp + " RENAME TO " + quoteIdentifier(p.to->name));
            if (sequence > 0) {
                SqlStatement update =
                    db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = ?2");
                update.bind(1, sequence);
                update.bind(2, sqlText(p.to->name));
                update.exec();
                if (db.changes() == 0) {
                    SqlStatement insert =
                        db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?2, ?1)");
                    insert.bind(1, sequence);
                    insert.bind(2, sqlText(p.to->name));
                    insert.exec();
                }
            }
        }
    }
    for (const TablePlan &p : m_plans)
        if (p.kind != Kind::Drop)
            syncIndexes(db, *p.to);
    for (const TableDef &t : m_to.tables())
        for (const QByteArray &sql : DdlBuilder::createJunctionTables(t, m_to))
            db.exec(sql);

    SqlStatement check = db.prepare("PRAGMA foreign_key_check");
    if (check.step())
        throw ApiError::conflict(
            QStringLiteral("The schema change would break a relation: %1 has a row pointing "
                           "to a missing %2")
                .arg(QString::fromUtf8(check.text(0)), QString::fromUtf8(check.text(2))));
    db.clearStatementCache();
}

} // namespace Hearth
