#include "pages/permissions/fieldgrid.h"

#include "pages/permissions/conditiondialog.h"
#include "pages/permissions/fieldrulecell.h"
#include "pages/users/mutedlabel.h"
#include "shell/theme.h"
#include "widgets/jsontablemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <memory>

namespace Hearth {

namespace {

const QStringList kActions{QStringLiteral("read"), QStringLiteral("create"), QStringLiteral("update")};
constexpr int kFirstActionColumn = 3;

qint64 idAt(const QJsonObject &row, const QString &path)
{
    return JsonTableModel::valueAt(row, path).toInteger(-1);
}

} // namespace

FieldGrid::FieldGrid(QWidget *parent)
    : AccessPanel(parent), m_tableCombo(new QComboBox(this)), m_subject(new QComboBox(this)),
      m_hint(new MutedLabel(this)), m_grid(new QTableWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->setSpacing(8);
    auto *bar = new QHBoxLayout;
    auto *tableLabel = new QLabel(tr("&Table:"), this);
    tableLabel->setBuddy(m_tableCombo);
    m_tableCombo->setObjectName(QStringLiteral("fieldTableCombo"));
    m_tableCombo->setMinimumContentsLength(16);
    connect(m_tableCombo, &QComboBox::currentIndexChanged, this, &FieldGrid::loadTable);
    auto *subjectLabel = new QLabel(tr("&Rules for:"), this);
    subjectLabel->setBuddy(m_subject);
    m_subject->setObjectName(QStringLiteral("fieldSubjectCombo"));
    m_subject->setMinimumContentsLength(20);
    m_subject->setToolTip(tr("A role, or one user (user rules win over role rules)"));
    connect(m_subject, &QComboBox::currentIndexChanged, this, &FieldGrid::rebuild);
    bar->addWidget(tableLabel);
    bar->addWidget(m_tableCombo);
    bar->addSpacing(12);
    bar->addWidget(subjectLabel);
    bar->addWidget(m_subject);
    bar->addStretch(1);
    layout->addLayout(bar);

    m_hint->setObjectName(QStringLiteral("fieldHint"));
    layout->addWidget(m_hint);

    m_grid->setObjectName(QStringLiteral("fieldGrid"));
    m_grid->setColumnCount(kFirstActionColumn + int(kActions.size()));
    m_grid->setHorizontalHeaderLabels(
        {tr("Field"), tr("Type"), tr("Published"), tr("Read"), tr("Create"), tr("Update")});
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid->setAlternatingRowColors(true);
    m_grid->verticalHeader()->hide();
    m_grid->verticalHeader()->setDefaultSectionSize(m_grid->fontMetrics().height() + 18);
    m_grid->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_grid->horizontalHeader()->setHighlightSections(false);
    m_grid->horizontalHeader()->setMinimumSectionSize(90);
    for (int c = kFirstActionColumn; c < m_grid->columnCount(); ++c)
        m_grid->horizontalHeader()->setSectionResizeMode(c, QHeaderView::Stretch);
    m_grid->horizontalHeaderItem(2)->setToolTip(
        tr("isPublished: the baseline for reading the field when no rule decides"));
    connect(m_grid, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (m_building || item->column() != 2 || item->row() >= m_fields.size())
            return;
        togglePublished(m_fields.at(item->row()), item->checkState() == Qt::Checked);
    });
    layout->addWidget(m_grid, 1);
}

void FieldGrid::setRoles(const QJsonArray &roles)
{
    m_roles = roles;
    fillSubjects();
}

void FieldGrid::fillSubjects()
{
    const QVariant current = m_subject->currentData();
    {
        const QSignalBlocker quiet(m_subject);
        m_subject->clear();
        for (const QJsonValue &role : std::as_const(m_roles))
            m_subject->addItem(tr("Role: %1").arg(role.toObject().value(u"name").toString()),
                               QStringLiteral("role:%1").arg(role.toObject().value(u"id").toInteger()));
        if (!m_roles.isEmpty() && !m_users.isEmpty())
            m_subject->insertSeparator(m_subject->count());
        for (const QJsonValue &user : std::as_const(m_users))
            m_subject->addItem(tr("User: %1").arg(user.toObject().value(u"email").toString()),
                               QStringLiteral("user:%1").arg(user.toObject().value(u"id").toString()));
        m_subject->setCurrentIndex(qMax(0, m_subject->findData(current)));
    }
    rebuild();
}

void FieldGrid::reload()
{
    const int generation = ++m_listGeneration;
    send(
        "GET",
        QStringLiteral("/hearth_table") +
            ApiClient::queryString({.filter = {{QStringLiteral("isSystem"), false}},
                                    .fields = QStringLiteral("id,name"),
                                    .sort = QStringLiteral("name"),
                                    .limit = 0}),
        QJsonValue::Undefined,
        [this, generation](const ApiResult &r) {
            if (generation != m_listGeneration)
                return;
            const QVariant current = m_tableCombo->currentData();
            {
                const QSignalBlocker quiet(m_tableCombo);
                m_tableCombo->clear();
                for (const QJsonValue &table : r.data())
                    m_tableCombo->addItem(table.toObject().value(u"name").toString(),
                                          table.toObject().value(u"id").toVariant());
                m_tableCombo->setCurrentIndex(qMax(0, m_tableCombo->findData(current)));
            }
            loadTable();
        },
        tr("Could not list the tables"));
    send(
        "GET",
        QStringLiteral("/hearth_user") +
            ApiClient::queryString(
                {.fields = QStringLiteral("id,email"), .sort = QStringLiteral("email"), .limit = 0}),
        QJsonValue::Undefined,
        [this, generation](const ApiResult &r) {
            if (generation != m_listGeneration)
                return;
            m_users = r.data();
            fillSubjects();
        },
        tr("Could not list the users"));
}

void FieldGrid::loadTable()
{
    const int generation = ++m_tableGeneration;
    if (m_tableCombo->currentIndex() < 0) {
        m_table = {};
        rebuild();
        return;
    }
    const QString id = m_tableCombo->currentData().toString();
    auto pending = std::make_shared<int>(2);
    auto arrived = [this, generation, pending] {
        if (generation == m_tableGeneration && --*pending == 0) {
            rebuild();
            emit tableShown();
        }
    };
    send(
        "GET", QStringLiteral("/hearth_table/") + id, QJsonValue::Undefined,
        [this, arrived](const ApiResult &r) {
            m_table = r.first();
            arrived();
        },
        tr("Could not read the table"), [this] { m_grid->setEnabled(true); });
    send(
        "GET",
        QStringLiteral("/hearth_field_permission") +
            ApiClient::queryString(
                {.fields = QStringLiteral(
                     "id,action,effect,condition,isEnabled,column.id,relation.id,role.id,allowedUsers.id"),
                 .sort = QStringLiteral("id"),
                 .limit = 0}),
        QJsonValue::Undefined,
        [this, arrived](const ApiResult &r) {
            m_rules = r.data();
            arrived();
        },
        tr("Could not list the field permissions"), [this] { m_grid->setEnabled(true); });
}

void FieldGrid::rebuild()
{
    m_building = true;
    const int scrolled = m_grid->verticalScrollBar()->value();
    m_fields.clear();
    QList<QJsonObject> columns;
    for (const QJsonValue &c : m_table.value(u"columns").toArray())
        if (c.toObject().value(u"name").toString() != u"id") // the primary key is never hidden
            columns << c.toObject();
    std::stable_sort(columns.begin(), columns.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(u"position").toInt() < b.value(u"position").toInt();
    });
    for (const QJsonObject &c : std::as_const(columns))
        m_fields.append({false, c.value(u"id").toInteger(), c.value(u"name").toString(),
                         c.value(u"type").toString(), c.value(u"isPublished").toBool(true)});
    for (const QJsonValue &value : m_table.value(u"relations").toArray()) {
        const QJsonObject r = value.toObject();
        m_fields.append({true, r.value(u"id").toInteger(), r.value(u"propertyName").toString(),
                         r.value(u"type").toString(), r.value(u"isPublished").toBool(true)});
    }

    const bool hasSubject = m_subject->currentIndex() >= 0 && m_subject->currentData().isValid();
    m_grid->setEnabled(true);
    m_grid->clearContents();
    m_grid->setRowCount(int(m_fields.size()));
    for (int row = 0; row < m_fields.size(); ++row) {
        const Field &field = m_fields.at(row);
        auto *name = new QTableWidgetItem(field.name);
        name->setFlags(Qt::ItemIsEnabled);
        name->setToolTip(field.isRelation ? tr("A relation") : tr("A column"));
        m_grid->setItem(row, 0, name);
        auto *type = new QTableWidgetItem(field.type);
        type->setFlags(Qt::ItemIsEnabled);
        type->setForeground(Theme::muted());
        m_grid->setItem(row, 1, type);
        auto *published = new QTableWidgetItem(field.isPublished ? tr("yes") : tr("no"));
        published->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        published->setCheckState(field.isPublished ? Qt::Checked : Qt::Unchecked);
        published->setToolTip(field.isPublished ? tr("Published: readable unless a rule denies it")
                                                : tr("Not published: hidden unless a rule allows it"));
        m_grid->setItem(row, 2, published);
        for (int a = 0; a < kActions.size(); ++a) {
            const QString action = kActions.at(a);
            auto *cell = new FieldRuleCell(m_grid);
            cell->setObjectName(QStringLiteral("rule:%1:%2").arg(field.name, action));
            const QList<QJsonObject> rules = hasSubject ? rulesFor(field, action) : QList<QJsonObject>();
            cell->setRule(rules.value(0), int(rules.size()) - 1);
            cell->setEnabled(hasSubject);
            connect(cell, &FieldRuleCell::effectChosen, this,
                    [this, field, action](const QString &effect) { setEffect(field, action, effect); });
            connect(cell, &FieldRuleCell::conditionRequested, this,
                    [this, field, action] { editCondition(field, action); });
            m_grid->setCellWidget(row, kFirstActionColumn + a, cell);
        }
    }
    for (int c = 0; c < kFirstActionColumn; ++c) {
        m_grid->resizeColumnToContents(c);
        m_grid->setColumnWidth(c, qMax(m_grid->columnWidth(c) + 16, c == 0 ? 180 : 100));
    }
    m_grid->verticalScrollBar()->setValue(scrolled);

    if (m_tableCombo->count() == 0)
        m_hint->setText(tr("No tables yet. Field permissions refine who reads and writes each column."));
    else if (!hasSubject)
        m_hint->setText(tr("Create a role (or a user) to give it field rules."));
    else
        m_hint->setText(
            tr("The first decisive tier wins: user rules with a condition, role rules with a "
               "condition, user rules, role rules, then the baseline (Published for read; allowed "
               "for create and update). Deny wins within a tier; root admins bypass all of it."));
    m_building = false;
}

QString FieldGrid::subjectText() const
{
    return m_subject->currentText();
}

QList<QJsonObject> FieldGrid::rulesFor(const Field &field, const QString &action) const
{
    const QString subject = m_subject->currentData().toString();
    const bool isRole = subject.startsWith(u"role:");
    const QString subjectId = subject.section(u':', 1);
    QList<QJsonObject> out;
    for (const QJsonValue &value : m_rules) {
        const QJsonObject rule = value.toObject();
        if (rule.value(u"action").toString() != action)
            continue;
        if (idAt(rule, field.isRelation ? QStringLiteral("relation.id") : QStringLiteral("column.id")) !=
            field.id)
            continue;
        bool matches = false;
        if (isRole) {
            matches = idAt(rule, QStringLiteral("role.id")) == subjectId.toLongLong();
        } else {
            for (const QJsonValue &user : rule.value(u"allowedUsers").toArray())
                matches = matches || user.toObject().value(u"id").toString() == subjectId;
        }
        if (matches)
            out << rule;
    }
    // The enabled rule first: that is the one that acts.
    std::stable_sort(out.begin(), out.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(u"isEnabled").toBool(true) && !b.value(u"isEnabled").toBool(true);
    });
    return out;
}

void FieldGrid::setEffect(const Field &field, const QString &action, const QString &effect)
{
    const QList<QJsonObject> rules = rulesFor(field, action);
    const QString what =
        tr("%1 of %2.%3 for %4").arg(action, m_tableCombo->currentText(), field.name, subjectText());
    const QString context = tr("Could not change the %1 rule of %2").arg(action, field.name);
    auto done = [this, what, effect](const ApiResult &) {
        emit notice(effect.isEmpty()
                        ? tr("No rule now: %1").arg(what)
                        : tr("%1: %2").arg(effect == u"allow" ? tr("Allowed") : tr("Denied"), what));
        loadTable();
    };
    auto restore = [this] {
        loadTable();
    }; // show what is stored, not what was chosen
    m_grid->setEnabled(false);
    if (effect.isEmpty()) {
        auto pending = std::make_shared<int>(int(rules.size()));
        for (const QJsonObject &rule : rules)
            send(
                "DELETE", QStringLiteral("/hearth_field_permission/%1").arg(rule.value(u"id").toInteger()),
                QJsonValue::Undefined,
                [done, pending](const ApiResult &r) {
                    if (--*pending == 0)
                        done(r);
                },
                context, restore);
        return;
    }
    if (!rules.isEmpty()) {
        send("PATCH",
             QStringLiteral("/hearth_field_permission/%1").arg(rules.first().value(u"id").toInteger()),
             QJsonObject{{QStringLiteral("effect"), effect}, {QStringLiteral("isEnabled"), true}}, done,
             context, restore);
        return;
    }
    QJsonObject body{{field.isRelation ? QStringLiteral("relation") : QStringLiteral("column"), field.id},
                     {QStringLiteral("action"), action},
                     {QStringLiteral("effect"), effect}};
    const QString subject = m_subject->currentData().toString();
    if (subject.startsWith(u"role:"))
        body.insert(QStringLiteral("role"), subject.section(u':', 1).toLongLong());
    else
        body.insert(QStringLiteral("allowedUsers"), QJsonArray{subject.section(u':', 1)});
    send("POST", QStringLiteral("/hearth_field_permission"), body, done, context, restore);
}

void FieldGrid::editCondition(const Field &field, const QString &action)
{
    const QList<QJsonObject> rules = rulesFor(field, action);
    if (rules.isEmpty() || !client())
        return;
    const QJsonObject rule = rules.first();
    const QString what =
        tr("The %1 rule of %2 (%3)").arg(action, field.name, rule.value(u"effect").toString());
    auto *dialog = new ConditionDialog(what, rule.value(u"condition").toObject(), window());
    connect(dialog, &FormDialog::submitted, this, [this, dialog, rule, field] {
        QString error;
        const std::optional<QJsonObject> condition = dialog->condition(&error);
        if (!condition) {
            dialog->showError(error); // nothing is sent
            return;
        }
        dialog->setBusy(true);
        client()->patch(
            QStringLiteral("/hearth_field_permission/%1").arg(rule.value(u"id").toInteger()),
            QJsonObject{{QStringLiteral("condition"),
                         condition->isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(*condition)}},
            [this, dialog, field, empty = condition->isEmpty()](const ApiResult &result) {
                if (!result.ok()) {
                    dialog->showError(result.failure().message);
                    return;
                }
                dialog->accept();
                emit notice(empty ? tr("Condition removed from a rule of %1").arg(field.name)
                                  : tr("Condition saved on a rule of %1").arg(field.name));
                loadTable();
            },
            dialog);
    });
    dialog->open();
}

void FieldGrid::togglePublished(const Field &field, bool published)
{
    // Columns and relations change through their table: the whole list, the one entry changed.
    const QString key = field.isRelation ? QStringLiteral("relations") : QStringLiteral("columns");
    QJsonArray entries;
    for (const QJsonValue &value : m_table.value(key).toArray()) {
        QJsonObject entry = value.toObject();
        if (entry.value(u"id").toInteger() == field.id)
            entry.insert(QStringLiteral("isPublished"), published);
        const QJsonValue target = entry.value(u"targetTable");
        if (target.isDouble())
            entry.insert(QStringLiteral("targetTable"), QJsonObject{{QStringLiteral("id"), target}});
        entries.append(entry);
    }
    m_grid->setEnabled(false);
    applySchema(QStringLiteral("/hearth_table/%1").arg(m_table.value(u"id").toInteger()),
                QJsonObject{{key, entries}},
                published ? tr("%1.%2 is published").arg(m_tableCombo->currentText(), field.name)
                          : tr("%1.%2 is no longer published").arg(m_tableCombo->currentText(), field.name));
}

void FieldGrid::applySchema(const QString &path, const QJsonObject &body, const QString &done)
{
    const QString context = tr("Could not change the table");
    auto restore = [this] {
        loadTable();
    };
    // The first PATCH answers a preview; a change that loses nothing is applied with its hash.
    send(
        "PATCH", path, body,
        [this, path, body, done, context, restore](const ApiResult &preview) {
            const QJsonObject answer = preview.first();
            if (!answer.value(u"_preview").toBool()) {
                emit notice(done);
                loadTable();
                return;
            }
            if (answer.value(u"isDestructive").toBool()) {
                ApiFailure refusal;
                refusal.message = tr("the server says this change would lose data; use the Tables page");
                emit failed(refusal, context);
                loadTable();
                return;
            }
            const QString hash = answer.value(u"requiredConfirmHash").toString();
            send(
                "PATCH",
                path + QStringLiteral("?schemaConfirmHash=") +
                    QString::fromLatin1(QUrl::toPercentEncoding(hash)),
                body,
                [this, done](const ApiResult &) {
                    emit notice(done);
                    loadTable();
                },
                context, restore);
        },
        context, restore);
}

FieldRuleCell *FieldGrid::cell(const QString &field, const QString &action) const
{
    const int column = kFirstActionColumn + int(kActions.indexOf(action));
    for (int row = 0; row < m_fields.size(); ++row)
        if (m_fields.at(row).name == field)
            return qobject_cast<FieldRuleCell *>(m_grid->cellWidget(row, column));
    return nullptr;
}

QTableWidgetItem *FieldGrid::publishedItem(const QString &field) const
{
    for (int row = 0; row < m_fields.size(); ++row)
        if (m_fields.at(row).name == field)
            return m_grid->item(row, 2);
    return nullptr;
}

} // namespace Hearth
