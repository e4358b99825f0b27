// The Permissions page against a real in-process server, offscreen: roles
// made, renamed and deleted; a tick in the route matrix turns a user's 403
// into 200; a deny in the field grid hides the field from a user of that
// role, a condition narrows it to matching rows, and the Published baseline
// toggles the column's isPublished. Every effect is checked by signing in as
// that user over plain HTTP.
#include "accesstestkit.h"
#include "consoletestbed.h"

#include "pages/permissions/conditiondialog.h"
#include "pages/permissions/fieldgrid.h"
#include "pages/permissions/fieldrulecell.h"
#include "pages/permissions/roledialog.h"
#include "pages/permissions/rolespanel.h"
#include "pages/permissions/routematrix.h"
#include "pages/permissionspage.h"
#include "widgets/jsontablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QtTest>

using namespace Hearth;
using namespace Hearth::AccessTestKit;

class TestPermissions : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;

    std::unique_ptr<PermissionsPage> openPage()
    {
        auto page = std::make_unique<PermissionsPage>();
        page->setClient(m_bed.client());
        page->resize(1200, 760);
        page->show();
        QSignalSpy roles(page->rolesPanel(), &RolesPanel::rolesLoaded);
        page->activate();
        if (!roles.wait(10'000))
            qWarning("the roles did not load");
        return page;
    }

    qint64 post(const QByteArray &path, const QJsonObject &body)
    {
        const HttpReply r = m_bed.admin().post(path, body);
        if (r.status != 201)
            qWarning("POST %s: %s", path.constData(), qPrintable(r.describe()));
        return r.data().at(0).toObject().value(u"id").toInteger();
    }

    // A role and a user of it; the user's access token.
    QByteArray roleWithUser(const QString &role, const QString &email, qint64 *roleId = nullptr)
    {
        const qint64 id = post("/hearth_role", {{QStringLiteral("name"), role}});
        if (roleId)
            *roleId = id;
        post("/hearth_user", {{QStringLiteral("email"), email},
                              {QStringLiteral("password"), QStringLiteral("user-password-1")},
                              {QStringLiteral("role"), id}});
        return login(m_bed, email, QStringLiteral("user-password-1"));
    }

    qint64 routeId(const QString &path)
    {
        return adminRow(m_bed, "hearth_route", QStringLiteral("path"), path, "id").value(u"id").toInteger();
    }

    static QJsonObject table(const QString &name, const QStringList &columns)
    {
        QJsonArray list;
        for (const QString &c : columns)
            list.append(QJsonObject{{QStringLiteral("name"), c},
                                    {QStringLiteral("type"), QStringLiteral("varchar")}});
        return {{QStringLiteral("name"), name}, {QStringLiteral("columns"), list}};
    }

private slots:
    void initTestCase() { QVERIFY(m_bed.startSignedIn()); }

    void rolesAreCreatedRenamedAndDeleted()
    {
        auto page = openPage();
        RolesPanel *roles = page->rolesPanel();
        QTest::mouseClick(roles->findChild<QPushButton *>(QStringLiteral("newRoleButton")), Qt::LeftButton);
        RoleDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = visible<RoleDialog>()));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("roleNameEdit")),
                         QStringLiteral("reviewer"));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("roleDescriptionEdit")),
                         QStringLiteral("Reads drafts"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        QTRY_VERIFY(!visible<RoleDialog>());
        QCOMPARE(adminRow(m_bed, "hearth_role", QStringLiteral("name"), QStringLiteral("reviewer"))
                     .value(u"description")
                     .toString(),
                 QStringLiteral("Reads drafts"));
        QTRY_VERIFY(
            ConsoleTestBed::modelHas(roles->model(), QStringLiteral("name"), QStringLiteral("reviewer")));
        // The other tabs choose among the roles.
        QTRY_VERIFY(page->routeMatrix()->roleCombo()->findText(QStringLiteral("reviewer")) >= 0);
        QVERIFY(page->fieldGrid()->subjectCombo()->findText(QStringLiteral("Role: reviewer")) >= 0);

        // A name taken: the server's words in the dialog, which stays open.
        QVERIFY(roles->selectRole(QStringLiteral("reviewer")));
        QTest::mouseClick(roles->findChild<QPushButton *>(QStringLiteral("newRoleButton")), Qt::LeftButton);
        QTRY_VERIFY((dialog = visible<RoleDialog>()));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("roleNameEdit")),
                         QStringLiteral("reviewer"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("errorLabel"));
        QTRY_VERIFY(error->isVisible());
        QCOMPARE(error->text(), QStringLiteral("name must be unique"));
        dialog->reject();

        // Rename.
        QTest::mouseClick(roles->findChild<QPushButton *>(QStringLiteral("renameRoleButton")),
                          Qt::LeftButton);
        QTRY_VERIFY((dialog = visible<RoleDialog>()));
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("roleNameEdit"));
        QCOMPARE(name->text(), QStringLiteral("reviewer"));
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("proofreader"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        QTRY_VERIFY(
            !adminRow(m_bed, "hearth_role", QStringLiteral("name"), QStringLiteral("proofreader")).isEmpty());
        QVERIFY(adminRow(m_bed, "hearth_role", QStringLiteral("name"), QStringLiteral("reviewer")).isEmpty());

        // Delete, after confirming.
        QTRY_VERIFY(
            ConsoleTestBed::modelHas(roles->model(), QStringLiteral("name"), QStringLiteral("proofreader")));
        QVERIFY(roles->selectRole(QStringLiteral("proofreader")));
        QTest::mouseClick(roles->findChild<QPushButton *>(QStringLiteral("deleteRoleButton")),
                          Qt::LeftButton);
        QVERIFY(confirm());
        QTRY_VERIFY(
            !ConsoleTestBed::modelHas(roles->model(), QStringLiteral("name"), QStringLiteral("proofreader")));
        QVERIFY(
            adminRow(m_bed, "hearth_role", QStringLiteral("name"), QStringLiteral("proofreader")).isEmpty());
    }

    void routeMatrixTickGrantsTheRoute()
    {
        QCOMPARE(m_bed.admin()
                     .post("/hearth_table", table(QStringLiteral("pm_note"), {QStringLiteral("title")}))
                     .status,
                 201);
        const QByteArray reader =
            roleWithUser(QStringLiteral("note_reader"), QStringLiteral("nora@example.com"));
        const QByteArray other =
            roleWithUser(QStringLiteral("note_other"), QStringLiteral("otto@example.com"));
        const qint64 route = routeId(QStringLiteral("/pm_note"));
        // POST is public; otto alone may DELETE.
        QCOMPARE(
            m_bed.admin()
                .patch("/hearth_route/" + QByteArray::number(route),
                       QJsonObject{{QStringLiteral("publicMethods"), QJsonArray{QStringLiteral("POST")}}})
                .status,
            200);
        const QString otto =
            adminRow(m_bed, "hearth_user", QStringLiteral("email"), QStringLiteral("otto@example.com"), "id")
                .value(u"id")
                .toString();
        post("/hearth_route_permission", {{QStringLiteral("route"), route},
                                          {QStringLiteral("allowedUsers"), QJsonArray{otto}},
                                          {QStringLiteral("methods"), QJsonArray{QStringLiteral("DELETE")}}});
        QCOMPARE(getAs(m_bed, reader, "/pm_note").status, 403);

        auto page = openPage();
        page->tabs()->setCurrentWidget(page->routeMatrix());
        RouteMatrix *matrix = page->routeMatrix();
        QTRY_VERIFY(matrix->cell(QStringLiteral("/pm_note"), QStringLiteral("GET")));
        matrix->roleCombo()->setCurrentIndex(matrix->roleCombo()->findText(QStringLiteral("note_reader")));

        QTableWidgetItem *publicPost = matrix->cell(QStringLiteral("/pm_note"), QStringLiteral("POST"));
        QCOMPARE(publicPost->text(), QStringLiteral("public"));
        QCOMPARE(publicPost->checkState(), Qt::Checked);
        QVERIFY(!(publicPost->flags() & Qt::ItemIsUserCheckable));
        const int lastColumn = matrix->table()->columnCount() - 1;
        QVERIFY(matrix->table()
                    ->item(publicPost->row(), lastColumn)
                    ->text()
                    .contains(QStringLiteral("otto@example.com: DELETE")));
        // System routes only on demand.
        QVERIFY(!matrix->cell(QStringLiteral("/hearth_user"), QStringLiteral("GET")));
        matrix->findChild<QCheckBox *>(QStringLiteral("showSystemRoutes"))->setChecked(true);
        QVERIFY(matrix->cell(QStringLiteral("/hearth_user"), QStringLiteral("GET")));
        matrix->findChild<QCheckBox *>(QStringLiteral("showSystemRoutes"))->setChecked(false);

        QTableWidgetItem *get = matrix->cell(QStringLiteral("/pm_note"), QStringLiteral("GET"));
        QCOMPARE(get->checkState(), Qt::Unchecked);
        matrix->table()->setFocus();
        matrix->table()->setCurrentItem(get);
        QTest::keyClick(matrix->table(), Qt::Key_Space);
        QTRY_COMPARE(getAs(m_bed, reader, "/pm_note").status, 200);
        QCOMPARE(getAs(m_bed, other, "/pm_note").status, 403); // the role's grant, not everyone's
        QTRY_COMPARE(page->messageBar()->text(), QStringLiteral("note_reader may now call GET /pm_note"));

        // A second method extends the same rule; unticking narrows it, and the last one removes it.
        QTRY_VERIFY(matrix->table()->isEnabled());
        QTableWidgetItem *patch = matrix->cell(QStringLiteral("/pm_note"), QStringLiteral("PATCH"));
        matrix->table()->setCurrentItem(patch);
        QTest::keyClick(matrix->table(), Qt::Key_Space);
        QTRY_COMPARE(page->messageBar()->text(), QStringLiteral("note_reader may now call PATCH /pm_note"));
        QJsonObject filter{
            {QStringLiteral("route"),
             QJsonObject{{QStringLiteral("id"), QJsonObject{{QStringLiteral("_eq"), route}}}}},
            {QStringLiteral("role"),
             QJsonObject{{QStringLiteral("name"),
                          QJsonObject{{QStringLiteral("_eq"), QStringLiteral("note_reader")}}}}}};
        HttpReply rules =
            m_bed.admin().get("/hearth_route_permission?fields=id,methods&" + filterQuery(filter));
        QCOMPARE(rules.data().size(), 1);
        QCOMPARE(rules.data().at(0).toObject().value(u"methods").toArray(),
                 (QJsonArray{QStringLiteral("GET"), QStringLiteral("PATCH")}));

        QTRY_VERIFY(matrix->table()->isEnabled());
        QTRY_COMPARE(matrix->cell(QStringLiteral("/pm_note"), QStringLiteral("GET"))->checkState(),
                     Qt::Checked);
        for (const QString &method : {QStringLiteral("GET"), QStringLiteral("PATCH")}) {
            QTRY_VERIFY(matrix->table()->isEnabled());
            matrix->table()->setCurrentItem(matrix->cell(QStringLiteral("/pm_note"), method));
            QTest::keyClick(matrix->table(), Qt::Key_Space);
            QTRY_COMPARE(page->messageBar()->text(),
                         QStringLiteral("note_reader may no longer call %1 /pm_note").arg(method));
        }
        QTRY_COMPARE(getAs(m_bed, reader, "/pm_note").status, 403);
        rules = m_bed.admin().get("/hearth_route_permission?fields=id,methods&" + filterQuery(filter));
        QCOMPARE(rules.data().size(), 0);
    }

    void fieldGridDenyHidesTheField()
    {
        QCOMPARE(m_bed.admin()
                     .post("/hearth_table", table(QStringLiteral("pf_doc"),
                                                  {QStringLiteral("title"), QStringLiteral("secret")}))
                     .status,
                 201);
        qint64 role = 0;
        const QByteArray reader =
            roleWithUser(QStringLiteral("doc_reader"), QStringLiteral("dora@example.com"), &role);
        post("/hearth_route_permission", {{QStringLiteral("route"), routeId(QStringLiteral("/pf_doc"))},
                                          {QStringLiteral("role"), role},
                                          {QStringLiteral("methods"), QJsonArray{QStringLiteral("GET")}}});
        post("/pf_doc", {{QStringLiteral("title"), QStringLiteral("public")},
                         {QStringLiteral("secret"), QStringLiteral("s1")}});
        post("/pf_doc", {{QStringLiteral("title"), QStringLiteral("private")},
                         {QStringLiteral("secret"), QStringLiteral("s2")}});
        auto rowsAsReader = [&] {
            QHash<QString, QJsonObject> rows;
            for (const QJsonValue &row : getAs(m_bed, reader, "/pf_doc?limit=0").data())
                rows.insert(row.toObject().value(u"title").toString(), row.toObject());
            return rows;
        };
        QVERIFY(rowsAsReader().value(QStringLiteral("public")).contains(u"secret"));

        auto page = openPage();
        page->tabs()->setCurrentWidget(page->fieldGrid());
        FieldGrid *grid = page->fieldGrid();
        QTRY_VERIFY(grid->tableCombo()->findText(QStringLiteral("pf_doc")) >= 0);
        QSignalSpy shown(grid, &FieldGrid::tableShown);
        grid->tableCombo()->setCurrentIndex(grid->tableCombo()->findText(QStringLiteral("pf_doc")));
        QTRY_VERIFY(grid->subjectCombo()->findText(QStringLiteral("Role: doc_reader")) >= 0);
        grid->subjectCombo()->setCurrentIndex(
            grid->subjectCombo()->findText(QStringLiteral("Role: doc_reader")));
        QTRY_VERIFY(grid->cell(QStringLiteral("secret"), QStringLiteral("read")));
        // The isPublished baseline beside each field; no rule yet.
        QCOMPARE(grid->publishedItem(QStringLiteral("secret"))->checkState(), Qt::Checked);
        FieldRuleCell *cell = grid->cell(QStringLiteral("secret"), QStringLiteral("read"));
        QCOMPARE(cell->combo()->currentIndex(), 0);
        QVERIFY(!cell->conditionButton()->isEnabled());

        // Deny: the keyboard picks the last entry of the combo.
        cell->combo()->setFocus();
        QTest::keyClick(cell->combo(), Qt::Key_End);
        QTRY_VERIFY(!rowsAsReader().value(QStringLiteral("public")).contains(u"secret"));
        QVERIFY(rowsAsReader().value(QStringLiteral("public")).contains(u"title"));
        QVERIFY(rowsAsReader().value(QStringLiteral("private")).isEmpty() == false);
        QVERIFY(!rowsAsReader().value(QStringLiteral("private")).contains(u"secret"));
        // The grid shows what is stored.
        QTRY_COMPARE(
            grid->cell(QStringLiteral("secret"), QStringLiteral("read"))->rule().value(u"effect").toString(),
            QStringLiteral("deny"));

        // A condition: checked as JSON first (nothing sent when it is not), then stored.
        cell = grid->cell(QStringLiteral("secret"), QStringLiteral("read"));
        QVERIFY(cell->conditionButton()->isEnabled());
        QTest::mouseClick(cell->conditionButton(), Qt::LeftButton);
        ConditionDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = visible<ConditionDialog>()));
        auto *editor = dialog->findChild<QPlainTextEdit *>(QStringLiteral("conditionEdit"));
        QTest::keyClicks(editor, QStringLiteral("{\"title\": {\"_eq\": \"public\"}"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("errorLabel"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().startsWith(QStringLiteral("Not valid JSON")), qPrintable(error->text()));
        const qint64 ruleId = cell->rule().value(u"id").toInteger();
        const QByteArray rulePath = "/hearth_field_permission/" + QByteArray::number(ruleId);
        QVERIFY(m_bed.admin().get(rulePath).data().at(0).toObject().value(u"condition").isNull());
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("[1, 2]"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        QVERIFY(error->text().contains(QStringLiteral("must be a JSON object")));
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("{\"title\": {\"_eq\": \"public\"}}"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        QTRY_VERIFY(!visible<ConditionDialog>());
        QCOMPARE(m_bed.admin().get(rulePath).data().at(0).toObject().value(u"condition").toObject(),
                 (QJsonObject{{QStringLiteral("title"),
                               QJsonObject{{QStringLiteral("_eq"), QStringLiteral("public")}}}}));
        // Denied only where the row matches.
        QTRY_VERIFY(rowsAsReader().value(QStringLiteral("private")).contains(u"secret"));
        QVERIFY(!rowsAsReader().value(QStringLiteral("public")).contains(u"secret"));

        // (none) removes the rule.
        QTRY_VERIFY(
            grid->cell(QStringLiteral("secret"), QStringLiteral("read"))->conditionButton()->isChecked());
        cell = grid->cell(QStringLiteral("secret"), QStringLiteral("read"));
        cell->combo()->setFocus();
        QTest::keyClick(cell->combo(), Qt::Key_Home);
        QTRY_COMPARE(m_bed.admin().get(rulePath).status, 404);
        QTRY_VERIFY(rowsAsReader().value(QStringLiteral("public")).contains(u"secret"));

        // Published off: the column's baseline, stored in hearth_column; the other columns survive.
        QTRY_VERIFY(grid->grid()->isEnabled());
        QTableWidgetItem *published = grid->publishedItem(QStringLiteral("title"));
        grid->grid()->setFocus();
        grid->grid()->setCurrentItem(published);
        QTest::keyClick(grid->grid(), Qt::Key_Space);
        const QByteArray titleColumn =
            "/hearth_column?fields=isPublished&" +
            filterQuery({{QStringLiteral("name"), QStringLiteral("title")},
                         {QStringLiteral("table"),
                          QJsonObject{{QStringLiteral("name"),
                                       QJsonObject{{QStringLiteral("_eq"), QStringLiteral("pf_doc")}}}}}});
        QTRY_VERIFY2(
            !m_bed.admin().get(titleColumn).data().at(0).toObject().value(u"isPublished").toBool(true),
            qPrintable(page->messageBar()->text()));
        QTRY_VERIFY(!rowsAsReader().value(QStringLiteral("private")).contains(u"title"));
        const QJsonObject asRoot = m_bed.admin().get("/pf_doc?limit=1").data().at(0).toObject();
        QVERIFY(asRoot.contains(u"title"));
        QCOMPARE(asRoot.value(u"secret").toString(), QStringLiteral("s1"));
        QTRY_COMPARE(grid->publishedItem(QStringLiteral("title"))->checkState(), Qt::Unchecked);
    }

    void fieldGridRulesForOneUserAndRelations()
    {
        // pf_item: a column and a relation to pf_doc; frank (no role) may read it as a listed user.
        QJsonObject definition = table(QStringLiteral("pf_item"), {QStringLiteral("label")});
        definition.insert(QStringLiteral("relations"),
                          QJsonArray{QJsonObject{{QStringLiteral("propertyName"), QStringLiteral("doc")},
                                                 {QStringLiteral("type"), QStringLiteral("many-to-one")},
                                                 {QStringLiteral("targetTable"), QStringLiteral("pf_doc")}}});
        QCOMPARE(m_bed.admin().post("/hearth_table", definition).status, 201);
        const QString frankId =
            m_bed.admin()
                .post("/hearth_user", {{QStringLiteral("email"), QStringLiteral("frank@example.com")},
                                       {QStringLiteral("password"), QStringLiteral("user-password-1")}})
                .data()
                .at(0)
                .toObject()
                .value(u"id")
                .toString();
        const QByteArray frank =
            login(m_bed, QStringLiteral("frank@example.com"), QStringLiteral("user-password-1"));
        post("/hearth_route_permission", {{QStringLiteral("route"), routeId(QStringLiteral("/pf_item"))},
                                          {QStringLiteral("allowedUsers"), QJsonArray{frankId}},
                                          {QStringLiteral("methods"), QJsonArray{QStringLiteral("GET")}}});
        const qint64 doc =
            m_bed.admin().get("/pf_doc?limit=1&fields=id").data().at(0).toObject().value(u"id").toInteger();
        post("/pf_item", {{QStringLiteral("label"), QStringLiteral("one")}, {QStringLiteral("doc"), doc}});
        auto itemAsFrank = [&] {
            return getAs(m_bed, frank, "/pf_item?limit=1").data().at(0).toObject();
        };
        QVERIFY(itemAsFrank().contains(u"label"));
        QVERIFY(itemAsFrank().contains(u"doc"));

        auto page = openPage();
        page->tabs()->setCurrentWidget(page->fieldGrid());
        FieldGrid *grid = page->fieldGrid();
        QTRY_VERIFY(grid->tableCombo()->findText(QStringLiteral("pf_item")) >= 0);
        grid->tableCombo()->setCurrentIndex(grid->tableCombo()->findText(QStringLiteral("pf_item")));
        QTRY_VERIFY(grid->subjectCombo()->findText(QStringLiteral("User: frank@example.com")) >= 0);
        grid->subjectCombo()->setCurrentIndex(
            grid->subjectCombo()->findText(QStringLiteral("User: frank@example.com")));
        QTRY_VERIFY(grid->cell(QStringLiteral("label"), QStringLiteral("read")));
        QVERIFY(grid->cell(QStringLiteral("doc"), QStringLiteral("read"))); // relations have rows too

        FieldRuleCell *cell = grid->cell(QStringLiteral("label"), QStringLiteral("read"));
        cell->combo()->setFocus();
        QTest::keyClick(cell->combo(), Qt::Key_End);
        QTRY_VERIFY(!itemAsFrank().contains(u"label"));
        const QJsonObject rule = adminRow(m_bed, "hearth_field_permission", QStringLiteral("action"),
                                          QStringLiteral("read"), "id,effect,role.id,allowedUsers.id");
        QCOMPARE(rule.value(u"effect").toString(), QStringLiteral("deny"));
        QVERIFY(rule.value(u"role").isNull());
        QCOMPARE(rule.value(u"allowedUsers").toArray().at(0).toObject().value(u"id").toString(), frankId);

        // A relation's Published baseline: hearth_relation.isPublished, through the table's preview.
        QTRY_VERIFY(grid->grid()->isEnabled());
        grid->grid()->setFocus();
        grid->grid()->setCurrentItem(grid->publishedItem(QStringLiteral("doc")));
        QTest::keyClick(grid->grid(), Qt::Key_Space);
        QTRY_VERIFY2(!adminRow(m_bed, "hearth_relation", QStringLiteral("propertyName"),
                               QStringLiteral("doc"), "isPublished")
                          .value(u"isPublished")
                          .toBool(true),
                     qPrintable(page->messageBar()->text()));
        QTRY_VERIFY(!itemAsFrank().contains(u"doc"));
        // The relation still links the rows.
        QCOMPARE(m_bed.admin()
                     .get("/pf_item?limit=1&fields=doc.id")
                     .data()
                     .at(0)
                     .toObject()
                     .value(u"doc")
                     .toObject()
                     .value(u"id")
                     .toInteger(),
                 doc);
    }

    void cleanupTestCase() { m_bed.stop(); }
};

QTEST_MAIN(TestPermissions)
#include "tst_permissions.moc"
