#include "pages/tables/schemachanges.h"

#include "pages/tables/tabledefinition.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Hearth::SchemaChanges {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Hearth::SchemaChanges", text);
}

QString quoted(const QString &name)
{
    return QStringLiteral("“%1”").arg(name);
}

// "many-to-one to users"
QString relationShape(const QJsonObject &r)
{
    return tr("%1 to %2").arg(r.value(u"type").toString(), r.value(u"targetTable").toString());
}

QString relationName(const QJsonObject &r)
{
    const QString table = r.value(u"table").toString();
    const QString property = r.value(u"propertyName").toString();
    return quoted(table.isEmpty() ? property : table + u'.' + property);
}

QStringList names(const QJsonValue &list)
{
    QStringList out;
    for (const QJsonValue &v : list.toArray())
        out << v.toString();
    return out;
}

int lengthOf(const QJsonValue &v)
{
    return v.toInt() > 0 ? v.toInt() : 255; // 0: the varchar default
}

// The lines for one entry of changedColumns: {name, changes:{field:{from,to}}}.
void describeColumnChanges(const QJsonObject &entry, QList<Line> &out)
{
    const QString name = quoted(entry.value(u"name").toString());
    const QJsonObject changes = entry.value(u"changes").toObject();
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const QJsonValue from = it.value().toObject().value(u"from");
        const QJsonValue to = it.value().toObject().value(u"to");
        const QString field = it.key();
        if (field == u"type") {
            out.append({tr("Change the type of %1 from %2 to %3: values that cannot be converted are lost")
                            .arg(name, from.toString(), to.toString()),
                        Line::Destructive});
        } else if (field == u"isNullable") {
            out.append({to.toBool() ? tr("Let %1 be empty").arg(name) : tr("Make %1 required").arg(name),
                        Line::Change});
        } else if (field == u"isUnique") {
            out.append({to.toBool() ? tr("Make %1 unique").arg(name)
                                    : tr("Let %1 repeat values (no longer unique)").arg(name),
                        Line::Change});
        } else if (field == u"isIndexed") {
            out.append({to.toBool() ? tr("Index %1").arg(name) : tr("Drop the index on %1").arg(name),
                        Line::Change});
        } else if (field == u"isUpdatable") {
            out.append({to.toBool() ? tr("Let %1 be changed after a row is created").arg(name)
                                    : tr("Make %1 fixed once a row is created").arg(name),
                        Line::Change});
        } else if (field == u"isPublished") {
            out.append({to.toBool()
                            ? tr("Publish %1 (readable unless a field permission denies it)").arg(name)
                            : tr("Hide %1 unless a field permission allows it").arg(name),
                        Line::Change});
        } else if (field == u"defaultValue") {
            out.append(
                {to.isNull()
                     ? tr("Remove the default of %1").arg(name)
                     : tr("Set the default of %1 to %2").arg(name, quoted(TableDefinition::defaultText(to))),
                 Line::Change});
        } else if (field == u"options") {
            const QStringList before = names(from), after = names(to);
            bool dropped = false;
            for (const QString &o : before)
                dropped = dropped || !after.contains(o);
            out.append(
                {dropped ? tr("Change the options of %1 to %2: values no longer listed may be lost")
                               .arg(name, after.join(QStringLiteral(", ")))
                         : tr("Change the options of %1 to %2").arg(name, after.join(QStringLiteral(", "))),
                 dropped ? Line::Destructive : Line::Change});
        } else if (field == u"length") {
            const int a = lengthOf(from), b = lengthOf(to);
            out.append({b < a ? tr("Shorten %1 from %2 to %3 characters: longer values may not fit")
                                    .arg(name)
                                    .arg(a)
                                    .arg(b)
                              : tr("Lengthen %1 from %2 to %3 characters").arg(name).arg(a).arg(b),
                        b < a ? Line::Destructive : Line::Change});
        } else if (field == u"description") {
            out.append({tr("Change the description of %1").arg(name), Line::Change});
        } else {
            out.append({tr("Change %1 of %2").arg(field, name), Line::Change});
        }
    }
}

} // namespace

QList<Line> describe(const QJsonObject &preview, const QJsonObject &definition)
{
    // "varchar(120), required" for a column of the definition, by name.
    auto detail = [&definition](const QString &name) {
        for (const QJsonValue &v : definition.value(u"columns").toArray()) {
            const QJsonObject c = v.toObject();
            if (c.value(u"name").toString() != name)
                continue;
            QString type = c.value(u"type").toString();
            if (c.contains(u"length"))
                type += QStringLiteral("(%1)").arg(c.value(u"length").toInt());
            return c.value(u"isNullable").toBool(true) ? tr(" (%1)").arg(type)
                                                       : tr(" (%1, required)").arg(type);
        }
        return QString();
    };
    QList<Line> out;
    const QString table = preview.value(u"tableName").toString();
    const QString operation = preview.value(u"operation").toString();

    if (operation == u"delete") {
        const QStringList columns = names(preview.value(u"removedColumns"));
        out.append(
            {columns.isEmpty()
                 ? tr("Drop table %1 and all of its rows; its route /%2 goes away").arg(quoted(table), table)
                 : tr("Drop table %1 and all of its rows (columns %2); its route /%3 goes away")
                       .arg(quoted(table), columns.join(QStringLiteral(", ")), table),
             Line::Destructive});
    } else if (operation == u"create") {
        out.append({tr("Create table %1, served at /%2").arg(quoted(table), table), Line::Change});
    }

    const QJsonObject renamedTable = preview.value(u"renamedTable").toObject();
    if (!renamedTable.isEmpty()) {
        const QString from = renamedTable.value(u"from").toString(),
                      to = renamedTable.value(u"to").toString();
        out.append({tr("Rename table %1 to %2; its route moves from /%3 to /%4")
                        .arg(quoted(from), quoted(to), from, to),
                    Line::Change});
    }

    if (operation != u"delete") {
        for (const QString &name : names(preview.value(u"addedColumns")))
            out.append({tr("Add column %1").arg(quoted(name)) + detail(name), Line::Change});
        for (const QJsonValue &v : preview.value(u"renamedColumns").toArray())
            out.append({tr("Rename column %1 to %2 (values kept)")
                            .arg(quoted(v.toObject().value(u"from").toString()),
                                 quoted(v.toObject().value(u"to").toString())),
                        Line::Change});
        for (const QJsonValue &v : preview.value(u"changedColumns").toArray())
            describeColumnChanges(v.toObject(), out);
        for (const QString &name : names(preview.value(u"removedColumns")))
            out.append({tr("Drop column %1 and all of its values").arg(quoted(name)), Line::Destructive});
    }

    for (const QJsonValue &v : preview.value(u"addedRelations").toArray())
        out.append({tr("Add relation %1: %2").arg(relationName(v.toObject()), relationShape(v.toObject())),
                    Line::Change});
    for (const QJsonValue &v : preview.value(u"changedRelations").toArray()) {
        const QJsonObject from = v.toObject().value(u"from").toObject();
        const QJsonObject to = v.toObject().value(u"to").toObject();
        const QString shapeFrom = relationShape(from), shapeTo = relationShape(to);
        const QString name = from.value(u"propertyName") == to.value(u"propertyName")
                                 ? relationName(to)
                                 : tr("%1 (now %2)").arg(relationName(from), relationName(to));
        out.append({shapeFrom == shapeTo
                        ? tr("Change relation %1 (%2): nullable, on delete or inverse; links that no longer "
                             "fit are lost")
                              .arg(name, shapeTo)
                        : tr("Change relation %1 from %2 to %3: links that no longer fit are lost")
                              .arg(name, shapeFrom, shapeTo),
                    Line::Destructive});
    }
    for (const QJsonValue &v : preview.value(u"removedRelations").toArray())
        out.append({tr("Drop relation %1 (%2) and the links it holds")
                        .arg(relationName(v.toObject()), relationShape(v.toObject())),
                    Line::Destructive});

    for (const QJsonValue &v : preview.value(u"warnings").toArray())
        out.append({v.toString(), Line::Warning});
    for (const QJsonValue &v : preview.value(u"errors").toArray())
        out.append({v.toString(), Line::Blocker});
    return out;
}

bool isDestructive(const QList<Line> &lines)
{
    for (const Line &line : lines)
        if (line.kind == Line::Destructive || line.kind == Line::Warning)
            return true;
    return false;
}

bool hasBlockers(const QList<Line> &lines)
{
    for (const Line &line : lines)
        if (line.kind == Line::Blocker)
            return true;
    return false;
}

} // namespace Hearth::SchemaChanges
