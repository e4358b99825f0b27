#include "pages/tables/tableeditor.h"

#include "pages/tables/columnform.h"
#include "pages/tables/definitionlistmodel.h"
#include "pages/tables/relationform.h"
#include "pages/tables/tabledefinition.h"
#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/rowlist.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Hearth {

namespace {

QString columnTypeText(const QJsonObject &c)
{
    const QString type = c.value(u"type").toString();
    if (c.contains(u"length"))
        return QStringLiteral("%1(%2)").arg(type).arg(c.value(u"length").toInt());
    if (c.contains(u"options"))
        return QStringLiteral("%1: %2").arg(type, TableDefinition::optionsText(c.value(u"options")));
    return type;
}

QString columnFlagsText(const QJsonObject &c)
{
    QStringList flags;
    if (!c.value(u"isNullable").toBool())
        flags << TableEditor::tr("required");
    if (c.value(u"isUnique").toBool())
        flags << TableEditor::tr("unique");
    if (c.value(u"isIndexed").toBool())
        flags << TableEditor::tr("indexed");
    if (!c.value(u"isUpdatable").toBool())
        flags << TableEditor::tr("fixed");
    if (!c.value(u"isPublished").toBool())
        flags << TableEditor::tr("hidden");
    return flags.join(QStringLiteral(", "));
}

QTableView *listView(const QString &objectName, QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    setUpRowList(view);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultSectionSize(130);
    return view;
}

QPushButton *button(const QString &objectName, const QString &text, const QString &toolTip, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(objectName);
    b->setToolTip(toolTip);
    b->setAutoDefault(false);
    return b;
}

// A list, its Add / Remove buttons and the form of the selected entry, in one tab.
QWidget *entryTab(QTableView *view, const QList<QPushButton *> &buttonList, QWidget *form, QWidget *parent)
{
    auto *tab = new QWidget(parent);
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->setSpacing(8);
    layout->addWidget(view, 1);
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    for (QPushButton *b : buttonList)
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(form);
    return tab;
}

} // namespace

TableEditor::TableEditor(QWidget *parent)
    : QWidget(parent), m_heading(new QLabel(this)), m_status(new QLabel(this)),
      m_systemNote(new QLabel(this)), m_name(new QLineEdit(this)), m_primaryKey(new QComboBox(this)),
      m_description(new QLineEdit(this)), m_tabs(new QTabWidget(this)),
      m_columns(new DefinitionListModel({{tr("Name"),
                                          [](const QJsonObject &c) {
                                              return c.value(u"name").toString();
                                          }},
                                         {tr("Type"), columnTypeText},
                                         {tr("Flags"), columnFlagsText},
                                         {tr("Default"),
                                          [](const QJsonObject &c) {
                                              return TableDefinition::defaultText(c.value(u"defaultValue"));
                                          }}},
                                        this)),
      m_columnView(listView(QStringLiteral("columnList"), m_columns, this)),
      m_addColumn(
          button(QStringLiteral("addColumnButton"), tr("Add column"), tr("Add a column to the table"), this)),
      m_removeColumn(button(QStringLiteral("removeColumnButton"), tr("Remove column"),
                            tr("Remove the selected column: saving drops it with its values"), this)),
      m_columnUp(button(QStringLiteral("moveColumnUpButton"), tr("Move up"),
                        tr("Show the selected column earlier (Ctrl+Up)"), this)),
      m_columnDown(button(QStringLiteral("moveColumnDownButton"), tr("Move down"),
                          tr("Show the selected column later (Ctrl+Down)"), this)),
      m_columnForm(new ColumnForm(this)),
      m_relations(new DefinitionListModel({{tr("Property"),
                                            [](const QJsonObject &r) {
                                                return r.value(u"propertyName").toString();
                                            }},
                                           {tr("Kind"),
                                            [](const QJsonObject &r) {
                                                return r.value(u"type").toString();
                                            }},
                                           {tr("Target"),
                                            [](const QJsonObject &r) {
                                                return r.value(u"targetTable").toString();
                                            }},
                                           {tr("Inverse"),
                                            [](const QJsonObject &r) {
                                                return r.value(u"inversePropertyName").toString();
                                            }},
                                           {tr("On delete"),
                                            [](const QJsonObject &r) {
                                                return r.value(u"type").toString() == u"many-to-many"
                                                           ? QString()
                                                           : r.value(u"onDelete").toString();
                                            }}},
                                          this)),
      m_relationView(listView(QStringLiteral("relationList"), m_relations, this)),
      m_addRelation(button(QStringLiteral("addRelationButton"), tr("Add relation"),
                           tr("Link this table to another one (or to itself)"), this)),
      m_removeRelation(button(QStringLiteral("removeRelationButton"), tr("Remove relation"),
                              tr("Remove the selected relation: saving drops the links it holds"), this)),
      m_relationForm(new RelationForm(this)),
      m_drop(button(QStringLiteral("dropTableButton"), tr("Drop table…"),
                    tr("Delete this table, its rows and its route (you review it first)"), this)),
      m_revert(button(QStringLiteral("revertButton"), tr("Revert"), tr("Forget the unsaved changes"), this)),
      m_save(button(QStringLiteral("saveButton"), tr("Save"),
                    tr("Review the changes and apply them (Ctrl+S)"), this))
{
    setObjectName(QStringLiteral("tableEditor"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);

    auto *headingRow = new QHBoxLayout;
    m_heading->setObjectName(QStringLiteral("editorHeading"));
    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    headingFont.setWeight(QFont::DemiBold);
    m_heading->setFont(headingFont);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    headingRow->addWidget(m_heading);
    m_status->setObjectName(QStringLiteral("editorStatus"));
    headingRow->addWidget(m_status, 1, Qt::AlignBottom);
    layout->addLayout(headingRow);

    m_systemNote->setObjectName(QStringLiteral("systemNote"));
    m_systemNote->setWordWrap(true);
    m_systemNote->setText(tr("Hearth keeps this system table itself: its definition is shown read-only."));
    m_systemNote->hide();
    layout->addWidget(m_systemNote);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_name->setObjectName(QStringLiteral("tableNameEdit"));
    m_name->setPlaceholderText(tr("posts: letters, digits and _; also the route, /posts"));
    m_primaryKey->setObjectName(QStringLiteral("primaryKeyCombo"));
    m_primaryKey->addItem(tr("Integer (1, 2, 3…)"), QStringLiteral("int"));
    m_primaryKey->addItem(tr("UUID"), QStringLiteral("uuid"));
    m_primaryKey->setToolTip(tr("The type of id; chosen when the table is created"));
    auto *nameRow = new QHBoxLayout;
    nameRow->setSpacing(8);
    nameRow->addWidget(m_name, 1);
    nameRow->addWidget(new QLabel(tr("Primary key:"), this));
    nameRow->addWidget(m_primaryKey);
    auto *nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, nameRow);
    m_description->setObjectName(QStringLiteral("tableDescriptionEdit"));
    m_description->setPlaceholderText(tr("optional: what the rows are"));
    form->addRow(tr("&Description:"), m_description);
    layout->addLayout(form);

    m_tabs->setObjectName(QStringLiteral("definitionTabs"));
    auto *columnBox = new QGroupBox(tr("Selected column"), this);
    (new QVBoxLayout(columnBox))->addWidget(m_columnForm);
    auto *relationBox = new QGroupBox(tr("Selected relation"), this);
    (new QVBoxLayout(relationBox))->addWidget(m_relationForm);
    m_tabs->addTab(
        entryTab(m_columnView, {m_addColumn, m_removeColumn, m_columnUp, m_columnDown}, columnBox, this),
        QString());
    m_tabs->addTab(entryTab(m_relationView, {m_addRelation, m_removeRelation}, relationBox, this), QString());
    layout->addWidget(m_tabs, 1);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    buttons->addWidget(m_drop);
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);
    layout->addLayout(buttons);

    connect(m_name, &QLineEdit::textChanged, this, &TableEditor::edited);
    connect(m_description, &QLineEdit::textChanged, this, &TableEditor::edited);
    connect(m_primaryKey, &QComboBox::currentIndexChanged, this, &TableEditor::edited);
    connect(m_addColumn, &QPushButton::clicked, this, &TableEditor::addColumn);
    connect(m_removeColumn, &QPushButton::clicked, this, &TableEditor::removeColumn);
    connect(m_columnUp, &QPushButton::clicked, this, [this] { moveColumn(-1); });
    connect(m_columnDown, &QPushButton::clicked, this, [this] { moveColumn(+1); });
    // Keys on the lists: Delete removes the entry, Ctrl+Up/Down moves a column.
    auto shortcut = [](QWidget *on, const QKeySequence &key, std::function<void()> run) {
        auto *action = new QAction(on);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetShortcut);
        QObject::connect(action, &QAction::triggered, on, run);
        on->addAction(action);
    };
    shortcut(m_columnView, QKeySequence::Delete, [this] {
        if (m_removeColumn->isVisible())
            removeColumn();
    });
    shortcut(m_relationView, QKeySequence::Delete, [this] {
        if (m_removeRelation->isVisible())
            removeRelation();
    });
    shortcut(m_columnView, QKeySequence(Qt::CTRL | Qt::Key_Up), [this] {
        if (m_columnUp->isVisible())
            moveColumn(-1);
    });
    shortcut(m_columnView, QKeySequence(Qt::CTRL | Qt::Key_Down), [this] {
        if (m_columnDown->isVisible())
            moveColumn(+1);
    });
    connect(m_addRelation, &QPushButton::clicked, this, &TableEditor::addRelation);
    connect(m_removeRelation, &QPushButton::clicked, this, &TableEditor::removeRelation);
    connect(m_columnView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TableEditor::columnSelected);
    connect(m_relationView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TableEditor::relationSelected);
    connect(m_columnForm, &ColumnForm::changed, this, [this] {
        m_columns->setEntry(m_columnView->currentIndex().row(), m_columnForm->column());
        edited();
    });
    connect(m_relationForm, &RelationForm::changed, this, [this] {
        m_relations->setEntry(m_relationView->currentIndex().row(), m_relationForm->relation());
        edited();
    });
    connect(m_save, &QPushButton::clicked, this, &TableEditor::saveRequested);
    connect(m_drop, &QPushButton::clicked, this, &TableEditor::dropRequested);
    connect(m_revert, &QPushButton::clicked, this, &TableEditor::revert);
    m_drop->setIcon(Icons::own(QStringLiteral("warning")));
    m_save->setIcon(Icons::themed(QStringLiteral("save")));
    clear();
}

void TableEditor::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        // Light/dark switched: icons and the status color follow.
        m_drop->setIcon(Icons::own(QStringLiteral("warning")));
        m_save->setIcon(Icons::themed(QStringLiteral("save")));
        updateState();
    }
}

void TableEditor::startNew()
{
    m_hasTable = true;
    m_system = false;
    m_tableId = 0;
    m_savedName.clear();
    m_saved = QJsonObject{{QStringLiteral("name"), QString()},
                          {QStringLiteral("description"), QString()},
                          {QStringLiteral("primaryKeyType"), QStringLiteral("int")},
                          {QStringLiteral("columns"), QJsonArray()},
                          {QStringLiteral("relations"), QJsonArray()}};
    showDefinition(m_saved);
    focusName();
}

void TableEditor::load(const QJsonObject &row, const QHash<qint64, QString> &tableNames)
{
    m_hasTable = true;
    m_system = row.value(u"isSystem").toBool();
    m_tableId = row.value(u"id").toInteger();
    m_saved = TableDefinition::fromRow(row, tableNames);
    m_savedName = m_saved.value(u"name").toString();
    showDefinition(m_saved);
}

void TableEditor::setTargets(const QStringList &tables)
{
    m_targets = tables;
    m_relationForm->setTargets(tables);
    relationSelected(); // the combo was refilled: show the relation's target again
}

void TableEditor::clear()
{
    m_hasTable = false;
    m_system = false;
    m_tableId = 0;
    m_savedName.clear();
    m_saved = {};
    showDefinition({});
}

QJsonObject TableEditor::definition() const
{
    if (!m_hasTable)
        return {};
    const QString name = m_name->text().trimmed();
    QJsonArray relations = m_relations->entries();
    // A relation of the table to itself follows a rename made in the same change.
    if (!m_savedName.isEmpty() && name != m_savedName)
        for (qsizetype i = 0; i < relations.size(); ++i) {
            QJsonObject r = relations[i].toObject();
            if (r.value(u"targetTable").toString() == m_savedName) {
                r.insert(QStringLiteral("targetTable"), name);
                relations[i] = r;
            }
        }
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("description"), m_description->text().trimmed()},
                       {QStringLiteral("primaryKeyType"), m_primaryKey->currentData().toString()},
                       {QStringLiteral("columns"), m_columns->entries()},
                       {QStringLiteral("relations"), relations}};
}

bool TableEditor::isDirty() const
{
    return m_hasTable && !m_system && definition() != m_saved;
}

void TableEditor::focusName()
{
    m_name->setFocus(Qt::OtherFocusReason);
}

void TableEditor::setBusy(bool busy)
{
    m_busy = busy;
    updateState();
}

void TableEditor::revert()
{
    showDefinition(m_saved);
}

void TableEditor::showDefinition(const QJsonObject &definition)
{
    m_loading = true;
    m_name->setText(definition.value(u"name").toString());
    m_description->setText(definition.value(u"description").toString());
    m_primaryKey->setCurrentIndex(
        qMax(0, m_primaryKey->findData(definition.value(u"primaryKeyType").toString(QStringLiteral("int")))));
    m_columns->setEntries(definition.value(u"columns").toArray());
    m_relations->setEntries(definition.value(u"relations").toArray());
    m_loading = false;
    setReadOnly(!m_hasTable || m_system);
    m_systemNote->setVisible(m_system);
    if (m_columns->rowCount() > 0)
        m_columnView->setCurrentIndex(m_columns->index(0, 0));
    if (m_relations->rowCount() > 0)
        m_relationView->setCurrentIndex(m_relations->index(0, 0));
    columnSelected();
    relationSelected();
    for (QTableView *view : {m_columnView, m_relationView}) { // room for names typed later
        view->resizeColumnToContents(0);
        view->setColumnWidth(0, qMax(view->columnWidth(0) + 24, 130));
    }
    updateState();
}

void TableEditor::setReadOnly(bool readOnly)
{
    m_name->setReadOnly(readOnly);
    m_description->setReadOnly(readOnly);
    m_columnForm->setReadOnly(readOnly);
    m_relationForm->setReadOnly(readOnly);
    for (QPushButton *b : {m_addColumn, m_addRelation})
        b->setVisible(!readOnly);
    for (QPushButton *b :
         {m_removeColumn, m_columnUp, m_columnDown, m_removeRelation, m_drop, m_revert, m_save})
        b->setVisible(!readOnly);
}

void TableEditor::addColumn()
{
    const int row = m_columns->append(
        TableDefinition::canonicalColumn({{QStringLiteral("name"), freshName(QStringLiteral("column"))},
                                          {QStringLiteral("type"), QStringLiteral("varchar")}}));
    m_tabs->setCurrentIndex(0);
    m_columnView->setCurrentIndex(m_columns->index(row, 0));
    m_columnForm->focusName();
    edited();
}

void TableEditor::removeColumn()
{
    const int row = m_columnView->currentIndex().row();
    if (row < 0)
        return;
    m_columns->removeAt(row);
    if (m_columns->rowCount() > 0)
        m_columnView->setCurrentIndex(m_columns->index(qMin(row, m_columns->rowCount() - 1), 0));
    columnSelected();
    edited();
}

void TableEditor::moveColumn(int by)
{
    const int row = m_columnView->currentIndex().row();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_columns->rowCount())
        return;
    m_columns->moveEntry(row, to);
    m_columnView->setCurrentIndex(m_columns->index(to, 0)); // the current index may have moved along already
    columnSelected();
    edited();
}

void TableEditor::addRelation()
{
    // Point at another table by default: the first one offered that is not this one.
    QString target = m_savedName;
    for (const QString &t : std::as_const(m_targets))
        if (t != m_savedName) {
            target = t;
            break;
        }
    const int row = m_relations->append(TableDefinition::canonicalRelation(
        {{QStringLiteral("propertyName"), freshName(QStringLiteral("link"))},
         {QStringLiteral("type"), QStringLiteral("many-to-one")},
         {QStringLiteral("targetTable"), target}}));
    m_tabs->setCurrentIndex(1);
    m_relationView->setCurrentIndex(m_relations->index(row, 0));
    m_relationForm->focusName();
    edited();
}

void TableEditor::removeRelation()
{
    const int row = m_relationView->currentIndex().row();
    if (row < 0)
        return;
    m_relations->removeAt(row);
    if (m_relations->rowCount() > 0)
        m_relationView->setCurrentIndex(m_relations->index(qMin(row, m_relations->rowCount() - 1), 0));
    relationSelected();
    edited();
}

void TableEditor::columnSelected()
{
    const int row = m_columnView->currentIndex().row();
    m_columnForm->setColumn(row < 0 ? QJsonObject() : m_columns->entry(row));
    m_columnForm->setEnabled(row >= 0);
    m_removeColumn->setEnabled(row >= 0);
    m_columnUp->setEnabled(row > 0);
    m_columnDown->setEnabled(row >= 0 && row + 1 < m_columns->rowCount());
}

void TableEditor::relationSelected()
{
    const int row = m_relationView->currentIndex().row();
    m_relationForm->setRelation(row < 0 ? QJsonObject() : m_relations->entry(row));
    m_relationForm->setEnabled(row >= 0);
    m_removeRelation->setEnabled(row >= 0);
}

void TableEditor::edited()
{
    if (m_loading)
        return;
    updateState();
}

void TableEditor::updateState()
{
    const bool dirty = isDirty();
    const QString name = m_name->text().trimmed();
    if (!m_hasTable)
        m_heading->setText(QString());
    else if (isNew())
        m_heading->setText(name.isEmpty() ? tr("New table") : tr("New table %1").arg(name));
    else
        m_heading->setText(m_savedName);

    QPalette palette = m_status->palette();
    if (isNew()) {
        m_status->setText(tr("not created yet"));
        palette.setColor(QPalette::WindowText, Theme::warning());
    } else if (dirty) {
        m_status->setText(tr("● unsaved changes"));
        palette.setColor(QPalette::WindowText, Theme::warning());
    } else if (m_hasTable) {
        m_status->setText(m_system ? tr("system table, served at /%1").arg(m_savedName)
                                   : tr("saved, served at /%1").arg(m_savedName));
        palette.setColor(QPalette::WindowText, Theme::muted());
    } else {
        m_status->clear();
    }
    m_status->setPalette(palette);

    m_primaryKey->setEnabled(isNew() && !m_system);
    m_tabs->setTabText(0, tr("Columns (%1)").arg(m_columns->rowCount()));
    m_tabs->setTabText(1, tr("Relations (%1)").arg(m_relations->rowCount()));
    m_save->setEnabled(!m_busy && (dirty || isNew()));
    m_revert->setEnabled(!m_busy && dirty);
    m_drop->setEnabled(!m_busy && m_hasTable && !isNew() && !m_system);
    m_drop->setVisible(!isNew() && !m_system && m_hasTable);
    if (dirty != m_lastDirty) {
        m_lastDirty = dirty;
        emit dirtyChanged(dirty);
    }
}

QString TableEditor::freshName(const QString &base) const
{
    QStringList taken;
    for (const QJsonValue &c : m_columns->entries())
        taken << c.toObject().value(u"name").toString().toLower();
    for (const QJsonValue &r : m_relations->entries())
        taken << r.toObject().value(u"propertyName").toString().toLower();
    for (int n = 1;; ++n) {
        const QString name = base + QString::number(n);
        if (!taken.contains(name.toLower()))
            return name;
    }
}

} // namespace Hearth
