// The Tables page as a schema editor against a real in-process server,
// offscreen: creating a table with columns and a relation, editing it
// (rename and add columns), dropping a column or a table, each reviewed in
// the preview dialog first (Cancel changes nothing, Confirm applies), and the
// server's refusals shown in plain words. What the UI did is checked through the API.
#include "consoletestbed.h"

#include "pages/tables/schemapreviewdialog.h"
#include "pages/tables/tableeditor.h"
#include "pages/tablespage.h"
#include "shell/mainwindow.h"
#include "widgets/messagebar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

using namespace Hearth;

namespace {

QString json(const QJsonValue &v)
{
    return v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
                        : QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
}

QJsonObject byKey(const QJsonArray &list, const char *key, const QString &value)
{
    for (const QJsonValue &v : list)
        if (v.toObject().value(QLatin1StringView(key)).toString() == value)
            return v.toObject();
    return {};
}

} // namespace

class TestTables : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;

    TestHttpClient &admin() { return m_bed.admin(); }

    // The /hearth_table row of a table by name (with columns and relations), or {}.
    QJsonObject tableRow(const QString &name)
    {
        const QByteArray filter = QUrl::toPercentEncoding(json(QJsonObject{{"name", name}}));
        const HttpReply r = admin().get("/hearth_table?filter=" + filter);
        return r.status == 200 && r.data().size() == 1 ? r.data().first().toObject() : QJsonObject();
    }

    qint64 createTable(const QJsonObject &definition)
    {
        const HttpReply r = admin().post("/hearth_table", definition);
        if (r.status != 201) {
            qWarning("creating a table failed: %s", qPrintable(r.describe()));
            return 0;
        }
        return r.data().first().toObject().value(u"id").toInteger();
    }

    static QJsonObject column(const QString &name, const QString &type)
    {
        return QJsonObject{{"name", name}, {"type", type}};
    }

    template <typename T> static T *child(QWidget *root, const char *name)
    {
        T *w = root->findChild<T *>(QLatin1StringView(name));
        if (!w)
            qWarning("no widget %s", name);
        return w;
    }

    static void setText(QWidget *root, const char *name, const QString &text)
    {
        auto *edit = child<QLineEdit>(root, name);
        QVERIFY(edit);
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
        QCOMPARE(edit->text(), text);
    }

    static void choose(QWidget *root, const char *name, const QString &text)
    {
        auto *combo = child<QComboBox>(root, name);
        QVERIFY(combo);
        const int index = combo->findText(text);
        QVERIFY2(index >= 0, qPrintable(text));
        combo->setCurrentIndex(index);
    }

    static void click(QWidget *root, const char *name)
    {
        auto *button = child<QAbstractButton>(root, name);
        QVERIFY(button);
        QVERIFY2(button->isEnabled(), name);
        QTest::mouseClick(button, Qt::LeftButton);
    }

    // Selects the row of the list that shows table name.
    static void selectTable(TablesPage &page, const QString &name)
    {
        QTRY_VERIFY(ConsoleTestBed::modelHas(page.model(), QStringLiteral("name"), name));
        QAbstractItemModel *shown = page.view()->model();
        for (int i = 0; i < shown->rowCount(); ++i)
            if (shown->index(i, 0).data().toString() == name) {
                page.view()->setCurrentIndex(shown->index(i, 0));
                break;
            }
        QTRY_COMPARE(page.editor()->savedName(), name);
    }

    // Selects an entry of the columns or relations list by its first column.
    static void selectEntry(QWidget *root, const char *list, const QString &name)
    {
        auto *view = child<QTableView>(root, list);
        QVERIFY(view);
        for (int i = 0; i < view->model()->rowCount(); ++i)
            if (view->model()->index(i, 0).data().toString() == name) {
                view->setCurrentIndex(view->model()->index(i, 0));
                return;
            }
        QFAIL(qPrintable(QStringLiteral("no entry %1").arg(name)));
    }

    std::unique_ptr<TablesPage> openPage(ApiClient *client)
    {
        auto page = std::make_unique<TablesPage>();
        page->resize(1100, 760);
        page->setClient(client);
        page->show();
        page->activate();
        return page;
    }

private slots:
    void initTestCase() { QVERIFY(m_bed.start()); }
    void cleanupTestCase() { m_bed.stop(); }

    void createTableWithColumnsAndRelation()
    {
        const qint64 authors =
            createTable({{"name", "tt_authors"}, {"columns", QJsonArray{column("name", "varchar")}}});
        QVERIFY(authors > 0);
        const HttpReply author = admin().post("/tt_authors", QJsonObject{{"name", "Frank"}});
        QCOMPARE(author.status, 201);
        const qint64 authorId = author.data().first().toObject().value(u"id").toInteger();

        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        QTRY_VERIFY(
            ConsoleTestBed::modelHas(page->model(), QStringLiteral("name"), QStringLiteral("tt_authors")));
        TableEditor *editor = page->editor();
        QVERIFY(!editor->isVisible()); // nothing chosen yet: the empty state
        click(page.get(), "newTableButton");
        QVERIFY(editor->isVisible());
        QVERIFY(editor->isNew());

        setText(editor, "tableNameEdit", QStringLiteral("tt_books"));
        setText(editor, "tableDescriptionEdit", QStringLiteral("Books on the shelf"));
        click(editor, "addColumnButton");
        setText(editor, "columnNameEdit", QStringLiteral("title"));
        child<QSpinBox>(editor, "columnLengthSpin")->setValue(120);
        click(editor, "columnNullableCheck"); // required
        click(editor, "addColumnButton");
        setText(editor, "columnNameEdit", QStringLiteral("format"));
        choose(editor, "columnTypeCombo", QStringLiteral("enum"));
        QVERIFY(child<QLineEdit>(editor, "columnOptionsEdit")->isVisible());
        QVERIFY(!child<QSpinBox>(editor, "columnLengthSpin")->isVisible());
        setText(editor, "columnOptionsEdit", QStringLiteral("paper, ebook"));
        setText(editor, "columnDefaultEdit", QStringLiteral("paper"));
        click(editor, "columnIndexedCheck");
        click(editor, "addRelationButton");
        setText(editor, "relationNameEdit", QStringLiteral("author"));
        choose(editor, "relationTypeCombo", QStringLiteral("many-to-one"));
        choose(editor, "relationTargetCombo", QStringLiteral("tt_authors"));
        setText(editor, "relationInverseEdit", QStringLiteral("books"));
        choose(editor, "relationOnDeleteCombo", QStringLiteral("CASCADE"));
        QCOMPARE(ConsoleTestBed::labelText(editor, "editorStatus"), QStringLiteral("not created yet"));

        click(editor, "saveButton");
        QTRY_VERIFY(page->previewDialog());
        SchemaPreviewDialog *dialog = page->previewDialog();
        const QStringList lines = dialog->lineTexts();
        QCOMPARE(lines, QStringList({QStringLiteral("Create table “tt_books”, served at /tt_books"),
                                     QStringLiteral("Add column “title” (varchar(120), required)"),
                                     QStringLiteral("Add column “format” (enum)"),
                                     QStringLiteral("Add relation “author”: many-to-one to tt_authors")}));
        QVERIFY(!dialog->isDestructive());
        QVERIFY(!dialog->findChild<QLabel *>(QStringLiteral("destructiveWarning")));
        // Nothing is sent before Confirm.
        QVERIFY(tableRow(QStringLiteral("tt_books")).isEmpty());
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);

        QTRY_COMPARE(page->messageBar()->kind(), MessageBar::Positive);
        QVERIFY2(page->messageBar()->text().startsWith(QStringLiteral("Table tt_books created")),
                 qPrintable(page->messageBar()->text()));
        const QJsonObject row = tableRow(QStringLiteral("tt_books"));
        QCOMPARE(row.value(u"description").toString(), QStringLiteral("Books on the shelf"));
        const QJsonArray columns = row.value(u"columns").toArray();
        const QJsonObject title = byKey(columns, "name", QStringLiteral("title"));
        QCOMPARE(title.value(u"type").toString(), QStringLiteral("varchar"));
        QCOMPARE(title.value(u"length").toInt(), 120);
        QCOMPARE(title.value(u"isNullable").toBool(), false);
        const QJsonObject format = byKey(columns, "name", QStringLiteral("format"));
        QCOMPARE(format.value(u"type").toString(), QStringLiteral("enum"));
        QCOMPARE(format.value(u"options").toArray(), (QJsonArray{"paper", "ebook"}));
        QCOMPARE(format.value(u"defaultValue").toString(), QStringLiteral("paper"));
        QCOMPARE(format.value(u"isIndexed").toBool(), true);
        const QJsonObject relation =
            byKey(row.value(u"relations").toArray(), "propertyName", QStringLiteral("author"));
        QCOMPARE(relation.value(u"type").toString(), QStringLiteral("many-to-one"));
        QCOMPARE(relation.value(u"targetTable").toObject().value(u"id").toInteger(), authors);
        QCOMPARE(relation.value(u"inversePropertyName").toString(), QStringLiteral("books"));
        QCOMPARE(relation.value(u"onDelete").toString(), QStringLiteral("CASCADE"));

        // The new route works: a row with the relation, the enum's default filled in.
        const HttpReply created =
            admin().post("/tt_books", QJsonObject{{"title", "Dune"}, {"author", authorId}});
        QVERIFY2(created.status == 201, qPrintable(created.describe()));
        const HttpReply listed = admin().get("/tt_books?fields=title,format,author.name");
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.data().size(), 1);
        const QJsonObject book = listed.data().first().toObject();
        QCOMPARE(book.value(u"title").toString(), QStringLiteral("Dune"));
        QCOMPARE(book.value(u"format").toString(), QStringLiteral("paper"));
        QCOMPARE(book.value(u"author").toObject().value(u"name").toString(), QStringLiteral("Frank"));
        QCOMPARE(admin().post("/tt_books", QJsonObject{{"format", "paper"}}).status,
                 400); // title is required

        // The editor now shows the saved table, selected in the list.
        QTRY_COMPARE(editor->savedName(), QStringLiteral("tt_books"));
        QVERIFY(!editor->isNew());
        QVERIFY(!editor->isDirty());
        QTRY_COMPARE(page->view()->currentIndex().data().toString(), QStringLiteral("tt_books"));
        QVERIFY(ConsoleTestBed::labelText(editor, "editorStatus").contains(QStringLiteral("/tt_books")));
    }

    // Every kind of column and relation the API knows opens clean: no false "unsaved changes".
    void everyKindOfDefinitionOpensUnchanged()
    {
        QVERIFY(createTable({{"name", "tt_tags"}}) > 0);
        const QJsonDocument doc = QJsonDocument::fromJson(R"({"name":"tt_kinds","primaryKeyType":"uuid",
            "description":"all kinds","columns":[
            {"name":"v","type":"varchar","length":40,"isNullable":false,"isUnique":true,"description":"d"},
            {"name":"t","type":"text","isPublished":false},{"name":"i","type":"int","defaultValue":7,"isIndexed":true},
            {"name":"b","type":"bigint"},{"name":"f","type":"float","defaultValue":1.5},
            {"name":"ok","type":"boolean","defaultValue":true,"isUpdatable":false},{"name":"u","type":"uuid"},
            {"name":"d","type":"date"},{"name":"dt","type":"datetime"},{"name":"ts","type":"timestamp"},
            {"name":"e","type":"enum","options":["a","b"],"defaultValue":"b"},
            {"name":"j","type":"simple-json","defaultValue":{"x":[1,"y"]}},
            {"name":"s","type":"array-select","options":["p","q"],"defaultValue":["p"]},
            {"name":"r","type":"richtext"},{"name":"c","type":"code"}],
            "relations":[{"propertyName":"parent","type":"many-to-one","targetTable":"tt_kinds","inversePropertyName":"children"},
            {"propertyName":"tags","type":"many-to-many","targetTable":"tt_tags","inversePropertyName":"kinds"},
            {"propertyName":"owner","type":"one-to-one","targetTable":"hearth_user","onDelete":"RESTRICT","isNullable":false}]})");
        QVERIFY(createTable(doc.object()) > 0);

        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_kinds"));
        TableEditor *editor = page->editor();
        QCOMPARE(editor->definition().value(u"columns").toArray().size(), 15);
        QCOMPARE(editor->definition().value(u"relations").toArray().size(), 3);
        QVERIFY2(!editor->isDirty(), qPrintable(json(editor->definition()) + QStringLiteral("\n") +
                                                json(editor->savedDefinition())));
        // Walking through every entry with the forms changes nothing either.
        auto *columns = child<QTableView>(editor, "columnList");
        for (int i = 0; i < columns->model()->rowCount(); ++i) {
            columns->setCurrentIndex(columns->model()->index(i, 0));
            QVERIFY2(!editor->isDirty(), qPrintable(columns->model()->index(i, 0).data().toString()));
        }
        auto *relations = child<QTableView>(editor, "relationList");
        for (int i = 0; i < relations->model()->rowCount(); ++i) {
            relations->setCurrentIndex(relations->model()->index(i, 0));
            QVERIFY2(!editor->isDirty(), qPrintable(relations->model()->index(i, 0).data().toString()));
        }
        QCOMPARE(child<QComboBox>(editor, "relationTargetCombo")->currentText(),
                 QStringLiteral("hearth_user"));
        // Sent back as it is, the server sees no change at all.
        const HttpReply preview =
            admin().patch("/hearth_table/" + QByteArray::number(editor->tableId()), editor->definition());
        const QJsonObject p = preview.data().first().toObject();
        for (const char *key : {"addedColumns", "removedColumns", "renamedColumns", "changedColumns",
                                "addedRelations", "removedRelations", "changedRelations"})
            QVERIFY2(p.value(QLatin1StringView(key)).toArray().isEmpty(), qPrintable(json(p)));
    }

    void editAddAndRenameColumnsWithCtrlS()
    {
        QVERIFY(createTable({{"name", "tt_notes"}, {"columns", QJsonArray{column("body", "text")}}}) > 0);
        QCOMPARE(admin().post("/tt_notes", QJsonObject{{"body", "hello"}}).status, 201);

        auto client = m_bed.signedInClient();
        MainWindow window;
        window.resize(1300, 860);
        window.setClient(client.get());
        window.show();
        window.showPage(QStringLiteral("tables"));
        auto *page = qobject_cast<TablesPage *>(window.page(QStringLiteral("tables")));
        QVERIFY(page);
        selectTable(*page, QStringLiteral("tt_notes"));
        TableEditor *editor = page->editor();
        QVERIFY(!editor->isDirty());
        QVERIFY(!child<QPushButton>(editor, "saveButton")->isEnabled());

        selectEntry(editor, "columnList", QStringLiteral("body"));
        setText(editor, "columnNameEdit", QStringLiteral("content"));
        QVERIFY(editor->isDirty());
        QVERIFY(ConsoleTestBed::labelText(editor, "editorStatus").contains(QStringLiteral("unsaved")));
        QVERIFY(child<QPushButton>(editor, "saveButton")->isEnabled());
        click(editor, "addColumnButton");
        setText(editor, "columnNameEdit", QStringLiteral("priority"));
        choose(editor, "columnTypeCombo", QStringLiteral("int"));
        setText(editor, "columnDefaultEdit", QStringLiteral("3"));

        QTest::keyClick(&window, Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY(page->previewDialog());
        SchemaPreviewDialog *dialog = page->previewDialog();
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->lineTexts(),
                 QStringList({QStringLiteral("Add column “priority” (int)"),
                              QStringLiteral("Rename column “body” to “content” (values kept)")}));
        QVERIFY(!dialog->isDestructive());
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);

        QTRY_COMPARE(page->messageBar()->text(), QStringLiteral("Changes to tt_notes saved."));
        const QJsonArray columns = tableRow(QStringLiteral("tt_notes")).value(u"columns").toArray();
        QVERIFY(byKey(columns, "name", QStringLiteral("body")).isEmpty());
        QVERIFY(!byKey(columns, "name", QStringLiteral("content")).isEmpty());
        QCOMPARE(byKey(columns, "name", QStringLiteral("priority")).value(u"defaultValue").toInt(), 3);
        const HttpReply rows = admin().get("/tt_notes");
        QCOMPARE(rows.data().first().toObject().value(u"content").toString(), QStringLiteral("hello"));
        QCOMPARE(admin()
                     .post("/tt_notes", QJsonObject{{"content", "x"}})
                     .data()
                     .first()
                     .toObject()
                     .value(u"priority")
                     .toInt(),
                 3);
        QTRY_VERIFY(!editor->isDirty());
        QVERIFY(!child<QPushButton>(editor, "saveButton")->isEnabled());
    }

    void renameTableMovesItsRoute()
    {
        QVERIFY(createTable({{"name", "tt_drafts"}, {"columns", QJsonArray{column("body", "text")}}}) > 0);
        QCOMPARE(admin().post("/tt_drafts", QJsonObject{{"body", "kept"}}).status, 201);
        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_drafts"));
        setText(page->editor(), "tableNameEdit", QStringLiteral("tt_essays"));
        setText(page->editor(), "tableDescriptionEdit", QStringLiteral("Long texts"));
        page->save();
        QTRY_VERIFY(page->previewDialog());
        QCOMPARE(page->previewDialog()->lineTexts(),
                 QStringList({QStringLiteral("Change the description of table “tt_drafts”"),
                              QStringLiteral("Rename table “tt_drafts” to “tt_essays”; its route moves from "
                                             "/tt_drafts to /tt_essays")}));
        QTest::mouseClick(page->previewDialog()->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE(page->messageBar()->text(), QStringLiteral("Changes to tt_essays saved."));
        QCOMPARE(admin().get("/tt_drafts").status, 404);
        const HttpReply rows = admin().get("/tt_essays");
        QCOMPARE(rows.status, 200);
        QCOMPARE(rows.data().first().toObject().value(u"body").toString(), QStringLiteral("kept"));
        QCOMPARE(tableRow(QStringLiteral("tt_essays")).value(u"description").toString(),
                 QStringLiteral("Long texts"));
        QTRY_COMPARE(page->editor()->savedName(), QStringLiteral("tt_essays"));
        QTRY_VERIFY(
            ConsoleTestBed::modelHas(page->model(), QStringLiteral("name"), QStringLiteral("tt_essays")));
        QVERIFY(
            !ConsoleTestBed::modelHas(page->model(), QStringLiteral("name"), QStringLiteral("tt_drafts")));
    }

    void reorderColumns()
    {
        QVERIFY(createTable({{"name", "tt_order"},
                             {"columns",
                              QJsonArray{column("a", "int"), column("b", "int"), column("c", "int")}}}) > 0);
        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_order"));
        TableEditor *editor = page->editor();
        selectEntry(editor, "columnList", QStringLiteral("c"));
        QVERIFY(!child<QPushButton>(editor, "moveColumnDownButton")->isEnabled()); // already last
        click(editor, "moveColumnUpButton");
        click(editor, "moveColumnUpButton");
        QVERIFY(!child<QPushButton>(editor, "moveColumnUpButton")->isEnabled()); // now first
        QVERIFY(editor->isDirty());
        page->save();
        QTRY_VERIFY(page->previewDialog());
        QCOMPARE(page->previewDialog()->lineTexts(),
                 QStringList{QStringLiteral("Change the order of the columns (values kept)")});
        QTest::mouseClick(page->previewDialog()->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE(page->messageBar()->text(), QStringLiteral("Changes to tt_order saved."));
        QMap<int, QString> byPosition;
        for (const QJsonValue &c : tableRow(QStringLiteral("tt_order")).value(u"columns").toArray())
            byPosition.insert(c.toObject().value(u"position").toInt(),
                              c.toObject().value(u"name").toString());
        const QStringList order = byPosition.values();
        QCOMPARE(order, QStringList({"c", "a", "b"}));
        QTRY_VERIFY(!editor->isDirty());
    }

    void dropColumnWarnsCancelKeepsConfirmApplies()
    {
        QVERIFY(createTable({{"name", "tt_items"},
                             {"columns", QJsonArray{column("name", "varchar"), column("price", "float")}}}) >
                0);
        QCOMPARE(admin().post("/tt_items", QJsonObject{{"name", "pen"}, {"price", 1.5}}).status, 201);

        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_items"));
        TableEditor *editor = page->editor();
        selectEntry(editor, "columnList", QStringLiteral("price"));
        click(editor, "removeColumnButton");
        QVERIFY(editor->isDirty());
        page->save();
        QTRY_VERIFY(page->previewDialog());
        SchemaPreviewDialog *dialog = page->previewDialog();
        QVERIFY(dialog->isDestructive());
        QVERIFY(dialog->lineTexts().contains(QStringLiteral("Drop column “price” and all of its values")));
        auto *warning = dialog->findChild<QLabel *>(QStringLiteral("destructiveWarning"));
        QVERIFY(warning);
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(QStringLiteral("deletes data")));
        QVERIFY(dialog->cancelButton()->isDefault()); // Enter does not drop data

        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(!page->previewDialog());
        QVERIFY(!byKey(tableRow(QStringLiteral("tt_items")).value(u"columns").toArray(), "name",
                       QStringLiteral("price"))
                     .isEmpty());
        QCOMPARE(admin().get("/tt_items").data().first().toObject().value(u"price").toDouble(), 1.5);
        QVERIFY(editor->isDirty()); // the edit is kept, to save later or revert

        page->save();
        QTRY_VERIFY(page->previewDialog());
        QTest::mouseClick(page->previewDialog()->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE(page->messageBar()->text(), QStringLiteral("Changes to tt_items saved."));
        const QJsonArray columns = tableRow(QStringLiteral("tt_items")).value(u"columns").toArray();
        QVERIFY(byKey(columns, "name", QStringLiteral("price")).isEmpty());
        const QJsonObject item = admin().get("/tt_items").data().first().toObject();
        QCOMPARE(item.value(u"name").toString(), QStringLiteral("pen"));
        QVERIFY(!item.contains(u"price"));
    }

    void retypeIsMarkedAsLosingData()
    {
        QVERIFY(createTable({{"name", "tt_codes"}, {"columns", QJsonArray{column("code", "varchar")}}}) > 0);
        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_codes"));
        choose(page->editor(), "columnTypeCombo", QStringLiteral("int"));
        page->save();
        QTRY_VERIFY(page->previewDialog());
        SchemaPreviewDialog *dialog = page->previewDialog();
        QVERIFY(dialog->isDestructive());
        QCOMPARE(
            dialog->lineTexts().value(0),
            QStringLiteral("Change the type of “code” from varchar to int: values that cannot be converted "
                           "are lost"));
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(!page->previewDialog());
        QCOMPARE(byKey(tableRow(QStringLiteral("tt_codes")).value(u"columns").toArray(), "name",
                       QStringLiteral("code"))
                     .value(u"type")
                     .toString(),
                 QStringLiteral("varchar"));
        // Revert forgets the edit.
        click(page->editor(), "revertButton");
        QVERIFY(!page->editor()->isDirty());
        QCOMPARE(child<QComboBox>(page->editor(), "columnTypeCombo")->currentText(),
                 QStringLiteral("varchar"));
    }

    void dropTableWarnsCancelKeepsConfirmDrops()
    {
        QVERIFY(createTable({{"name", "tt_owners"}, {"columns", QJsonArray{column("name", "varchar")}}}) > 0);
        QVERIFY(createTable({{"name", "tt_pets"},
                             {"columns", QJsonArray{column("name", "varchar")}},
                             {"relations", QJsonArray{QJsonObject{{"propertyName", "owner"},
                                                                  {"type", "many-to-one"},
                                                                  {"targetTable", "tt_owners"}}}}}) > 0);
        QCOMPARE(admin().post("/tt_owners", QJsonObject{{"name", "Ann"}}).status, 201);

        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_owners"));
        click(page->editor(), "dropTableButton");
        QTRY_VERIFY(page->previewDialog());
        SchemaPreviewDialog *dialog = page->previewDialog();
        QVERIFY(dialog->isDestructive());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("destructiveWarning")));
        const QStringList lines = dialog->lineTexts();
        QCOMPARE(lines.value(0),
                 QStringLiteral("Drop table “tt_owners” and all of its rows (columns name); its "
                                "route /tt_owners goes away"));
        QVERIFY2(lines.contains(QStringLiteral(
                     "Drop relation “tt_pets.owner” (many-to-one to tt_owners) and the links it holds")),
                 qPrintable(lines.join(u'\n')));
        QCOMPARE(dialog->confirmButton()->text(), QStringLiteral("Drop table"));

        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(!page->previewDialog());
        QVERIFY(!tableRow(QStringLiteral("tt_owners")).isEmpty());
        QCOMPARE(admin().get("/tt_owners").status, 200);
        QCOMPARE(page->editor()->savedName(), QStringLiteral("tt_owners"));

        click(page->editor(), "dropTableButton");
        QTRY_VERIFY(page->previewDialog());
        QTest::mouseClick(page->previewDialog()->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE(page->messageBar()->text(), QStringLiteral("Table tt_owners dropped."));
        QVERIFY(tableRow(QStringLiteral("tt_owners")).isEmpty());
        QCOMPARE(admin().get("/tt_owners").status, 404);
        QVERIFY(byKey(tableRow(QStringLiteral("tt_pets")).value(u"relations").toArray(), "propertyName",
                      QStringLiteral("owner"))
                    .isEmpty());
        QTRY_VERIFY(
            !ConsoleTestBed::modelHas(page->model(), QStringLiteral("name"), QStringLiteral("tt_owners")));
        QVERIFY(!page->editor()->isVisible()); // back to the empty state
    }

    void serverRefusalsReadPlainly()
    {
        QVERIFY(createTable({{"name", "tt_dup"}}) > 0);
        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        QTRY_VERIFY(
            ConsoleTestBed::modelHas(page->model(), QStringLiteral("name"), QStringLiteral("tt_dup")));

        // A name that is taken: refused when applied, said in words, the draft kept.
        page->newTable();
        setText(page->editor(), "tableNameEdit", QStringLiteral("tt_dup"));
        page->save();
        QTRY_VERIFY(page->previewDialog());
        QTest::mouseClick(page->previewDialog()->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE(page->messageBar()->kind(), MessageBar::Error);
        QCOMPARE(page->messageBar()->text(),
                 QStringLiteral("Could not create table tt_dup: Table tt_dup already exists"));
        QVERIFY(page->editor()->isNew());
        QCOMPARE(page->editor()->definition().value(u"name").toString(), QStringLiteral("tt_dup"));

        // A bad column name: refused at the preview, no dialog.
        page->editor()->revert();
        selectTable(*page, QStringLiteral("tt_dup"));
        click(page->editor(), "addColumnButton");
        setText(page->editor(), "columnNameEdit", QStringLiteral("bad name"));
        page->save();
        QTRY_VERIFY(page->messageBar()->text().contains(QStringLiteral("is not a valid name")));
        QVERIFY(
            page->messageBar()->text().startsWith(QStringLiteral("Could not save the changes to tt_dup: ")));
        QVERIFY(!page->previewDialog());
        QVERIFY(tableRow(QStringLiteral("tt_dup")).value(u"columns").toArray().isEmpty());
    }

    void blockersDisableConfirmAndStaleHashIsRefused()
    {
        QVERIFY(createTable({{"name", "tt_tasks"}, {"columns", QJsonArray{column("title", "varchar")}}}) > 0);
        QCOMPARE(admin().post("/tt_tasks", QJsonObject{{"title", "a"}}).status, 201);
        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_tasks"));
        TableEditor *editor = page->editor();

        // A new required column without a default cannot fill the existing row: the server says so.
        click(editor, "addColumnButton");
        setText(editor, "columnNameEdit", QStringLiteral("owner"));
        click(editor, "columnNullableCheck");
        page->save();
        QTRY_VERIFY(page->previewDialog());
        SchemaPreviewDialog *dialog = page->previewDialog();
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("blockerNote")));
        QVERIFY(!dialog->confirmButton()->isEnabled());
        QVERIFY(dialog->lineTexts().size() >= 2);
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(!page->previewDialog());

        // With a default it goes through the review; a flag change reads plainly too.
        setText(editor, "columnDefaultEdit", QStringLiteral("nobody"));
        selectEntry(editor, "columnList", QStringLiteral("title"));
        click(editor, "columnUniqueCheck");
        page->save();
        QTRY_VERIFY(page->previewDialog());
        dialog = page->previewDialog();
        QVERIFY(dialog->confirmButton()->isEnabled());
        QVERIFY2(dialog->lineTexts().contains(QStringLiteral("Make “title” unique")),
                 qPrintable(dialog->lineTexts().join(u'\n')));
        // Someone changes the schema meanwhile: the preview's hash no longer holds.
        const qint64 id = editor->tableId();
        QCOMPARE(admin()
                     .patch("/hearth_table/" + QByteArray::number(id) + "?schemaConfirmHash=x",
                            QJsonObject{{"description", "changed elsewhere"}})
                     .status,
                 422);
        const HttpReply preview = admin().patch("/hearth_table/" + QByteArray::number(id),
                                                QJsonObject{{"description", "elsewhere"}});
        const QString hash = preview.data().first().toObject().value(u"requiredConfirmHash").toString();
        QCOMPARE(admin()
                     .patch("/hearth_table/" + QByteArray::number(id) + "?schemaConfirmHash=" + hash.toUtf8(),
                            QJsonObject{{"description", "elsewhere"}})
                     .status,
                 200);
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE(page->messageBar()->kind(), MessageBar::Error);
        QVERIFY2(page->messageBar()->text().startsWith(QStringLiteral(
                     "Could not save the changes to tt_tasks: schemaConfirmHash does not match")),
                 qPrintable(page->messageBar()->text()));
        QVERIFY(byKey(tableRow(QStringLiteral("tt_tasks")).value(u"columns").toArray(), "name",
                      QStringLiteral("owner"))
                    .isEmpty());
        QVERIFY(editor->isDirty()); // the edits wait for a fresh save
        QVERIFY(child<QPushButton>(editor, "saveButton")->isEnabled());
    }

    void unsavedChangesAskBeforeLeavingTheTable()
    {
        QVERIFY(createTable({{"name", "tt_left"}}) > 0);
        QVERIFY(createTable({{"name", "tt_right"}}) > 0);
        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        selectTable(*page, QStringLiteral("tt_left"));
        setText(page->editor(), "tableDescriptionEdit", QStringLiteral("edited"));

        auto answer = [&page](QMessageBox::StandardButton button) {
            QTRY_VERIFY(page->findChild<QMessageBox *>(QStringLiteral("discardChangesBox")));
            auto *box = page->findChild<QMessageBox *>(QStringLiteral("discardChangesBox"));
            QTest::mouseClick(box->button(button), Qt::LeftButton);
            QTRY_VERIFY(!page->findChild<QMessageBox *>(QStringLiteral("discardChangesBox")));
        };
        QAbstractItemModel *shown = page->view()->model();
        auto rowOf = [shown](const QString &name) {
            for (int i = 0; i < shown->rowCount(); ++i)
                if (shown->index(i, 0).data().toString() == name)
                    return shown->index(i, 0);
            return QModelIndex();
        };
        page->view()->setCurrentIndex(rowOf(QStringLiteral("tt_right")));
        answer(QMessageBox::Cancel);
        QCOMPARE(page->editor()->savedName(), QStringLiteral("tt_left"));
        QVERIFY(page->editor()->isDirty());
        QCOMPARE(page->view()->currentIndex().data().toString(), QStringLiteral("tt_left"));

        page->view()->setCurrentIndex(rowOf(QStringLiteral("tt_right")));
        answer(QMessageBox::Discard);
        QTRY_COMPARE(page->editor()->savedName(), QStringLiteral("tt_right"));
        QVERIFY(!page->editor()->isDirty());
        QVERIFY(tableRow(QStringLiteral("tt_left")).value(u"description").toString().isEmpty());
    }

    void closingTheWindowAsksAboutUnsavedChanges()
    {
        QVERIFY(createTable({{"name", "tt_closing"}}) > 0);
        auto client = m_bed.signedInClient();
        MainWindow window;
        window.setClient(client.get());
        window.show();
        window.showPage(QStringLiteral("tables"));
        auto *page = qobject_cast<TablesPage *>(window.page(QStringLiteral("tables")));
        QVERIFY(page);
        QTRY_VERIFY(page->model()->rowCount() > 0);
        selectTable(*page, QStringLiteral("tt_closing"));
        QVERIFY(page->unsavedChanges().isEmpty());
        setText(page->editor(), "tableDescriptionEdit", QStringLiteral("not saved"));
        QCOMPARE(page->unsavedChanges(), QStringList{QStringLiteral("table “tt_closing”")});

        // The question lists what would be lost; Cancel keeps the window, Discard closes it.
        QString listed;
        auto answerWith = [&](QMessageBox::ButtonRole role) {
            QTimer::singleShot(0, &window, [&, role] {
                auto *box = window.findChild<QMessageBox *>(QStringLiteral("confirmDiscardUnsaved"));
                QVERIFY(box);
                listed = box->informativeText();
                for (QAbstractButton *button : box->buttons())
                    if (box->buttonRole(button) == role)
                        button->click();
            });
        };
        answerWith(QMessageBox::RejectRole);
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        QVERIFY2(listed.contains(QStringLiteral("table “tt_closing” (Tables)")), qPrintable(listed));
        QCOMPARE(page->editor()->isDirty(), true);

        answerWith(QMessageBox::DestructiveRole);
        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
    }

    void systemTablesAreReadOnly()
    {
        auto client = m_bed.signedInClient();
        auto page = openPage(client.get());
        child<QCheckBox>(page.get(), "showSystemRows")->setChecked(true);
        selectTable(*page, QStringLiteral("hearth_user"));
        TableEditor *editor = page->editor();
        QVERIFY(editor->isSystem());
        QVERIFY(child<QLabel>(editor, "systemNote")->isVisible());
        QVERIFY(!child<QPushButton>(editor, "saveButton")->isVisible());
        QVERIFY(!child<QPushButton>(editor, "dropTableButton")->isVisible());
        QVERIFY(child<QLineEdit>(editor, "tableNameEdit")->isReadOnly());
        // Listed only on demand.
        child<QCheckBox>(page.get(), "showSystemRows")->setChecked(false);
        QVERIFY(
            !ConsoleTestBed::modelHas(page->model(), QStringLiteral("name"), QStringLiteral("hearth_user")));
    }
};

QTEST_MAIN(TestTables)
#include "tst_tables.moc"
