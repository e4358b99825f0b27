#include "query/fieldselection.h"

#include "core/apierror.h"
#include "query/optionvalue.h"

#include <limits>

namespace Hearth {

namespace {

[[noreturn]] void invalidFields(const QString &message)
{
    throw ApiError::badRequest(QStringLiteral("Invalid fields: ") + message);
}

[[noreturn]] void invalidDeep(const QString &message)
{
    throw ApiError::badRequest(QStringLiteral("Invalid deep: ") + message);
}

// The fields tokens of one level, before they are checked against the schema.
struct FieldSpec
{
    bool all = false;     // "*"
    bool exclude = false; // some "-x" token: everything but the excluded
    QStringList listed;   // first mention order
    QStringList excluded;
    std::vector<std::pair<QString, FieldSpec>> children; // "rel.x" tokens, by relation

    bool isEmpty() const { return !all && !exclude && listed.isEmpty() && children.empty(); }

    const FieldSpec *find(const QString &name) const
    {
        for (const auto &[n, spec] : children)
            if (n == name)
                return &spec;
        return nullptr;
    }

    FieldSpec &child(const QString &name)
    {
        for (auto &[n, spec] : children)
            if (n == name)
                return spec;
        children.emplace_back(name, FieldSpec());
        return children.back().second;
    }
};

void addOnce(QStringList &list, const QString &name)
{
    if (!list.contains(name))
        list << name;
}

void addFields(FieldSpec &root, QStringView fields, int maxHops)
{
    for (QStringView token : fields.split(u',')) {
        token = token.trimmed();
        if (token.isEmpty())
            continue;
        bool negative = token.startsWith(u'-');
        const QList<QStringView> path = (negative ? token.mid(1) : token).split(u'.');
        if (path.size() - 1 > maxHops)
            invalidFields(QStringLiteral("nesting deeper than %1").arg(maxHops));
        FieldSpec *spec = &root;
        for (qsizetype i = 0; i < path.size(); ++i) {
            QStringView segment = path[i];
            const bool last = i + 1 == path.size();
            if (last && segment.startsWith(u'-')) {
                negative = true;
                segment = segment.mid(1);
            }
            if (segment.isEmpty() || segment.startsWith(u'-') || (segment == u"*" && (!last || negative)))
                invalidFields(QStringLiteral("bad token %1").arg(token));
            const QString name = segment.toString();
            if (!last) {
                addOnce(spec->listed, name);
                spec = &spec->child(name);
            } else if (name == u"*") {
                spec->all = true;
            } else if (negative) {
                addOnce(spec->excluded, name);
                spec->exclude = true;
            } else {
                addOnce(spec->listed, name);
            }
        }
    }
}

QString defaultFields(const TableDef &table)
{
    return table.defaultFields.isEmpty() ? QStringLiteral("*") : table.defaultFields;
}

// The options of one deep entry, checked.
struct DeepEntry
{
    const RelationDef *relation = nullptr;
    QJsonObject options;
};

class SelectionBuilder
{
public:
    explicit SelectionBuilder(CompileContext &ctx) : m_ctx(ctx) {}

    std::unique_ptr<SelectionNode> level(const TableDef &table, const FieldSpec &spec,
                                         const QJsonObject &deep, int hops)
    {
        const QList<DeepEntry> deepEntries = readDeep(table, deep);
        checkNames(table, spec);

        QStringList names;
        if (spec.all || spec.exclude) {
            for (const ColumnDef &c : table.columns)
                if (!c.isPrimary && !c.isForeignKey && !c.isSecret && !spec.excluded.contains(c.name))
                    names << c.name;
            for (const RelationDef &r : table.relations)
                if (!spec.excluded.contains(r.propertyName))
                    names << r.propertyName;
        } else {
            for (const QString &name : spec.listed)
                if (name != table.primaryKey().name && !spec.excluded.contains(name))
                    names << name;
        }
        for (const DeepEntry &d : deepEntries)
            addOnce(names, d.relation->propertyName);

        auto node = std::make_unique<SelectionNode>();
        node->table = &table;
        for (const QString &name : std::as_const(names)) {
            const FieldReadRule rule = m_ctx.readRule(table, name);
            if (rule.kind == FieldReadRule::Deny)
                continue; // hidden fields are silently left out
            SelectionItem item;
            if (rule.kind == FieldReadRule::Conditional)
                item.condition = rule.condition;
            if (const ColumnDef *column = table.column(name)) {
                item.column = column;
            } else {
                item.relation = table.relation(name);
                const DeepEntry *d = nullptr;
                for (const DeepEntry &e : deepEntries)
                    if (e.relation == item.relation)
                        d = &e;
                item.child = relationLevel(*item.relation, spec.find(name), d, hops);
            }
            node->items.push_back(std::move(item));
        }
        return node;
    }

private:
    std::unique_ptr<SelectionNode> relationLevel(const RelationDef &relation, const FieldSpec *tokens,
                                                 const DeepEntry *deep, int hops)
    {
        const TableDef &target = m_ctx.targetOf(relation);
        const int maxHops = m_ctx.limits().maxDeepDepth;
        FieldSpec spec = tokens ? *tokens : FieldSpec();
        const QJsonObject options = deep ? deep->options : QJsonObject();
        if (deep && hops + 1 > maxHops)
            invalidDeep(QStringLiteral("nesting deeper than %1").arg(maxHops));
        const int hopsLeft = maxHops - hops - 1;
        if (options.contains(u"fields"))
            addFields(spec, listOption(options.value(u"fields"), u"deep fields"), hopsLeft);
        if (spec.isEmpty() && deep) // deep asks for the rows themselves
            addFields(spec, defaultFields(target), hopsLeft);

        std::unique_ptr<SelectionNode> child;
        if (spec.isEmpty()) {
            child = std::make_unique<SelectionNode>();
            child->table = &target;
        } else {
            if (hops + 1 > maxHops)
                invalidFields(QStringLiteral("nesting deeper than %1").arg(maxHops));
            child = level(target, spec, options.value(u"deep").toObject(), hops + 1);
        }
        if (options.contains(u"filter"))
            child->filter = options.value(u"filter");
        if (options.contains(u"sort"))
            child->sort = listOption(options.value(u"sort"), u"deep sort");
        if (options.contains(u"limit")) {
            child->limit = integerOption(options.value(u"limit"), u"deep limit", 0);
            if (*child->limit > m_ctx.limits().maxQueryLimit)
                invalidDeep(QStringLiteral("limit above %1").arg(m_ctx.limits().maxQueryLimit));
        }
        if (options.contains(u"page"))
            child->page = integerOption(options.value(u"page"), u"deep page", 1);
        if (child->limit && *child->limit > 0 &&
            child->page - 1 > std::numeric_limits<qint64>::max() / *child->limit)
            invalidDeep(QStringLiteral("page too large"));
        return child;
    }

    QList<DeepEntry> readDeep(const TableDef &table, const QJsonObject &deep) const
    {
        QList<DeepEntry> out;
        for (auto it = deep.begin(); it != deep.end(); ++it) {
            const RelationDef *relation = table.relation(it.key());
            if (!relation)
                invalidDeep(QStringLiteral("unknown relation %1 on %2").arg(it.key(), table.name));
            if (!it.value().isObject())
                invalidDeep(QStringLiteral("%1 expects an object").arg(it.key()));
            const QJsonObject options = it.value().toObject();
            for (auto o = options.begin(); o != options.end(); ++o) {
                const QString &key = o.key();
                if (key != u"fields" && key != u"filter" && key != u"sort" && key != u"limit" &&
                    key != u"page" && key != u"deep")
                    invalidDeep(QStringLiteral("unknown key %1").arg(key));
            }
            if (options.contains(u"filter") && !options.value(u"filter").isObject() &&
                !options.value(u"filter").isNull())
                invalidDeep(QStringLiteral("filter of %1 expects an object").arg(it.key()));
            if (options.contains(u"deep") && !options.value(u"deep").isObject())
                invalidDeep(QStringLiteral("deep of %1 expects an object").arg(it.key()));
            out << DeepEntry{relation, options};
        }
        return out;
    }

    static void checkNames(const TableDef &table, const FieldSpec &spec)
    {
        auto check = [&](const QString &name) {
            if (name == table.primaryKey().name || table.relation(name))
                return;
            const ColumnDef *column = table.column(name);
            if (!column || column->isForeignKey)
                invalidFields(QStringLiteral("unknown field %1 on %2").arg(name, table.name));
        };
        for (const QString &name : spec.listed)
            check(name);
        for (const QString &name : spec.excluded)
            check(name);
        for (const auto &[name, child] : spec.children) {
            check(name);
            if (!table.relation(name))
                invalidFields(QStringLiteral("%1 is not a relation on %2").arg(name, table.name));
        }
    }

    CompileContext &m_ctx;
};

} // namespace

std::unique_ptr<SelectionNode> buildSelection(CompileContext &ctx, const TableDef &table, QStringView fields,
                                              const QJsonObject &deep)
{
    FieldSpec spec;
    const int maxHops = ctx.limits().maxDeepDepth;
    const QString tableDefault = defaultFields(table);
    addFields(spec, fields.trimmed().isEmpty() ? QStringView(tableDefault) : fields, maxHops);
    return SelectionBuilder(ctx).level(table, spec, deep, 0);
}

} // namespace Hearth
