// The Routes & Hooks page against a real in-process server, offscreen: a
// route and a preHook made through the UI, code typed into the editor, saved
// with Ctrl+S and answering a real request; Run (Ctrl+Enter and the button)
// with result, logs, duration, the error line marked and run-as-user; the
// completion list; deleting with a confirmation.
#include "consoletestbed.h"

#include "pages/routes/routedialog.h"
#include "pages/routes/routetree.h"
#include "pages/routes/runpanel.h"
#include "pages/routes/scripteditor.h"
#include "pages/routespage.h"
#include "shell/mainwindow.h"
#include "shell/theme.h"

#include <Qsci/qscilexerjavascript.h>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QtTest>

using namespace Hearth;

class TestRoutes : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;

    static QByteArray filterOf(const QJsonObject &filter)
    {
        return QUrl::toPercentEncoding(
            QString::fromUtf8(QJsonDocument(filter).toJson(QJsonDocument::Compact)));
    }
    qint64 created(const HttpReply &r) const
    {
        if (r.status != 201)
            qWarning("create: %s", qPrintable(r.describe()));
        return r.status == 201 ? r.data().at(0).toObject().value(u"id").toInteger() : 0;
    }
    QJsonArray list(const QByteArray &table, const QJsonObject &filter) const
    {
        return m_bed.admin().get("/" + table + "?limit=0&filter=" + filterOf(filter)).data();
    }
    // A route and a GET handler made through the API; the handler's key in the page.
    QString routeWithHandler(const QString &path)
    {
        const qint64 route = created(m_bed.admin().post("/hearth_route", QJsonObject{{"path", path}}));
        const qint64 handler = created(m_bed.admin().post(
            "/hearth_route_handler",
            QJsonObject{{"route", route}, {"method", "GET"}, {"sourceCode", "return { stored: true };"}}));
        return handler ? QStringLiteral("handler:%1").arg(handler) : QString();
    }
    // A page on its own, loaded, with key open in the editor.
    std::unique_ptr<RoutesPage> pageWith(const QString &key)
    {
        auto page = std::make_unique<RoutesPage>();
        page->setClient(m_bed.client());
        page->resize(780, 560); // inside the offscreen screen, where completion lists can show
        page->show();
        QSignalSpy loaded(page.get(), &RoutesPage::loaded);
        page->activate();
        if (!loaded.wait(10'000))
            qWarning("the page did not load");
        if (!key.isEmpty() && !page->openScript(key))
            qWarning("%s is not in the tree", qPrintable(key));
        return page;
    }
    static void replaceCode(ScriptEditor *editor, const QString &code)
    {
        editor->setFocus();
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_Delete);
        // Typed line by line: Return would accept a completion list left open.
        const QStringList lines = code.split(u'\n');
        for (int i = 0; i < lines.size(); ++i) {
            QTest::keyClicks(editor, lines.at(i));
            editor->cancelList();
            if (i + 1 < lines.size())
                QTest::keyClick(editor, Qt::Key_Return);
        }
    }
    static QString text(QWidget *root, const char *name)
    {
        if (auto *edit = root->findChild<QPlainTextEdit *>(QLatin1StringView(name)))
            return edit->toPlainText();
        return ConsoleTestBed::labelText(root, name);
    }

private slots:
    void initTestCase() { QVERIFY(m_bed.startSignedIn()); }
    void cleanupTestCase() { m_bed.stop(); }

    void createRouteAndPreHookThenSaveWithCtrlS()
    {
        MainWindow window;
        window.setClient(m_bed.client());
        window.resize(790, 590); // inside the offscreen screen, where completion lists can show
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *page = qobject_cast<RoutesPage *>(window.page(QStringLiteral("routes")));
        QVERIFY(page);
        QSignalSpy loaded(page, &RoutesPage::loaded);
        window.showPage(QStringLiteral("routes"));
        QVERIFY(loaded.wait(10'000));

        // New Route…: path with a :param, GET public.
        page->findChild<QAction *>(QStringLiteral("newRouteAction"))->trigger();
        RouteDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page->findChild<RouteDialog *>()) && dialog->isVisible());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("routePath")),
                         QStringLiteral("/ui-hello/:name"));
        dialog->findChild<QWidget *>(QStringLiteral("routePublicMethods"))
            ->findChild<QCheckBox *>(QStringLiteral("GET"))
            ->setChecked(true);
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                          Qt::LeftButton);
        QTRY_COMPARE(list("hearth_route", {{"path", "/ui-hello/:name"}}).size(), 1);
        const QJsonObject route = list("hearth_route", {{"path", "/ui-hello/:name"}}).at(0).toObject();
        QCOMPARE(route.value(u"publicMethods"), QJsonValue(QJsonArray{"GET"}));
        QTRY_VERIFY(page->tree()->currentItem() &&
                    page->tree()->currentItem()->text(0) == QStringLiteral("/ui-hello/:name"));

        // Add ▸ Pre-hook: stored at once and opened in the editor.
        page->findChild<QAction *>(QStringLiteral("addPreHookAction"))->trigger();
        QTRY_VERIFY(page->currentScriptKey().startsWith(u"pre:"));
        const QString key = page->currentScriptKey();
        const QByteArray hookPath = "/hearth_pre_hook/" + key.mid(4).toLatin1();
        QCOMPARE(m_bed.admin()
                     .get(hookPath + "?fields=route.id")
                     .data()
                     .at(0)
                     .toObject()
                     .value(u"route")
                     .toObject()
                     .value(u"id")
                     .toInteger(),
                 route.value(u"id").toInteger());

        // Typed code: marked unsaved until Ctrl+S stores it.
        const QString code = QStringLiteral("const who = $ctx.$params.name;\nreturn { hello: who };");
        replaceCode(page->editor(), code);
        QCOMPARE(page->editor()->text(), code);
        QVERIFY(page->isModified(key));
        QVERIFY(text(page, "scriptState").contains(QStringLiteral("Unsaved")));
        QVERIFY(page->tree()->currentItem()->text(0).startsWith(QStringLiteral("●")));
        // Offscreen, nothing gives the window back its activation when the dialog closes.
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(page->editor(), Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE(m_bed.admin().get(hookPath).data().at(0).toObject().value(u"sourceCode").toString(),
                     code);
        QTRY_VERIFY(!page->isModified(key));
        QCOMPARE(text(page, "scriptState"), QStringLiteral("Saved"));

        // The hook answers a real request to the route, anonymously (GET is public).
        TestHttpClient anonymous(m_bed.server().port());
        const HttpReply answer = anonymous.get("/ui-hello/world");
        QVERIFY2(answer.status == 200, qPrintable(answer.describe()));
        QCOMPARE(answer.object(), QJsonObject({{"hello", "world"}}));

        // Settings are saved too: disabled, the route answers without the hook.
        page->findChild<QCheckBox *>(QStringLiteral("scriptEnabled"))->setChecked(false);
        QVERIFY(page->isModified(key));
        page->findChild<QPushButton *>(QStringLiteral("saveButton"))->click();
        QTRY_COMPARE(m_bed.admin().get(hookPath).data().at(0).toObject().value(u"isEnabled"),
                     QJsonValue(false));
        QVERIFY(anonymous.get("/ui-hello/world").object() != QJsonObject({{"hello", "world"}}));

        // Ctrl+Enter runs the editor's script through /admin/test/run.
        QTest::keyClicks(page->findChild<QLineEdit *>(QStringLiteral("runParams")),
                         QStringLiteral("{\"name\": \"ui\"}"));
        QSignalSpy ran(page, &RoutesPage::ran);
        page->editor()->setFocus();
        QTest::keyClick(page->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(ran.count(), 1);
        QVERIFY2(text(page, "runResult").contains(QStringLiteral("\"hello\": \"ui\"")),
                 qPrintable(text(page, "runResult")));
    }

    void runShowsResultLogsAndDuration()
    {
        const QString key = routeWithHandler(QStringLiteral("/ui-run/:slug"));
        QVERIFY(!key.isEmpty());
        auto page = pageWith(key);
        QCOMPARE(page->currentScriptKey(), key);
        QCOMPARE(page->editor()->text(), QStringLiteral("return { stored: true };"));

        replaceCode(page->editor(),
                    QStringLiteral("$ctx.$logs('hello from the run');\n"
                                   "return { sum: 1 + 2, body: $ctx.$body, limit: $ctx.$query.limit, "
                                   "slug: $ctx.$params.slug, method: $ctx.$req.method };"));
        page->findChild<QComboBox *>(QStringLiteral("runMethod"))->setCurrentText(QStringLiteral("POST"));
        QTest::keyClicks(page->findChild<QPlainTextEdit *>(QStringLiteral("runBody")),
                         QStringLiteral("{\"n\": 1}"));
        QTest::keyClicks(page->findChild<QLineEdit *>(QStringLiteral("runQuery")),
                         QStringLiteral("{\"limit\": 5}"));
        QTest::keyClicks(page->findChild<QLineEdit *>(QStringLiteral("runParams")),
                         QStringLiteral("{\"slug\": \"abc\"}"));
        QSignalSpy ran(page.get(), &RoutesPage::ran);
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("runButton")), Qt::LeftButton);
        QTRY_COMPARE(ran.count(), 1);

        const QJsonObject result = QJsonDocument::fromJson(text(page.get(), "runResult").toUtf8())
                                       .object(); // pretty JSON, parsed back
        QCOMPARE(result, QJsonObject({{"sum", 3},
                                      {"body", QJsonObject{{"n", 1}}},
                                      {"limit", "5"},
                                      {"slug", "abc"},
                                      {"method", "POST"}}));
        QVERIFY(text(page.get(), "runResult").contains(u'\n')); // indented, not one line
        QCOMPARE(text(page.get(), "runLogs"), QStringLiteral("hello from the run"));
        QVERIFY2(QRegularExpression(QStringLiteral("^Succeeded in [0-9.,]+ ms$"))
                     .match(text(page.get(), "runStatus"))
                     .hasMatch(),
                 qPrintable(text(page.get(), "runStatus")));
        QVERIFY(!page->findChild<QLabel *>(QStringLiteral("runError"))->isVisible());
        QCOMPARE(page->editor()->errorLine(), 0);
        // Running stores nothing.
        QVERIFY(page->isModified(key));
        QCOMPARE(m_bed.admin()
                     .get("/hearth_route_handler/" + key.mid(8).toLatin1())
                     .data()
                     .at(0)
                     .toObject()
                     .value(u"sourceCode"),
                 QJsonValue("return { stored: true };"));

        // A body that is not JSON is refused before the run.
        page->findChild<QPlainTextEdit *>(QStringLiteral("runBody"))->setPlainText(QStringLiteral("{oops"));
        page->run();
        QCOMPARE(ran.count(), 1);
        QVERIFY(text(page.get(), "runError").contains(QStringLiteral("body")));
    }

    void errorLineIsMarkedInTheEditor()
    {
        const QString key = routeWithHandler(QStringLiteral("/ui-broken"));
        auto page = pageWith(key);
        replaceCode(page->editor(),
                    QStringLiteral("$ctx.$logs('before');\nconst a = 1;\nnull.boom();\nreturn a;"));
        QSignalSpy ran(page.get(), &RoutesPage::ran);
        page->run();
        QTRY_COMPARE(ran.count(), 1);
        QCOMPARE(ran.at(0).at(0).toJsonObject().value(u"success"), QJsonValue(false));
        auto *error = page->findChild<QLabel *>(QStringLiteral("runError"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("line 3")) &&
                     error->text().contains(QStringLiteral("TypeError")),
                 qPrintable(error->text()));
        QVERIFY(text(page.get(), "runStatus").startsWith(QStringLiteral("Failed after")));
        QCOMPARE(text(page.get(), "runLogs"), QStringLiteral("before"));
        QCOMPARE(page->editor()->errorLine(), 3);
        QVERIFY(page->editor()->hasErrorMarker(3));
        QVERIFY(!page->editor()->hasErrorMarker(1));
        QVERIFY(!page->editor()->hasErrorMarker(2));
        int line = -1, index = -1;
        page->editor()->getCursorPosition(&line, &index);
        QCOMPARE(line, 2); // the caret went to the failing line

        // Fixed and run again: the mark goes.
        replaceCode(page->editor(), QStringLiteral("return 1;"));
        page->run();
        QTRY_COMPARE(ran.count(), 2);
        QCOMPARE(page->editor()->errorLine(), 0);
        QVERIFY(!page->editor()->hasErrorMarker(1));
    }

    void runAsAnotherUser()
    {
        const HttpReply user = m_bed.admin().post(
            "/hearth_user", QJsonObject{{"email", "runner@ui.test"}, {"password", "a-long-password-1"}});
        QCOMPARE(user.status, 201);
        const QString key = routeWithHandler(QStringLiteral("/ui-whoami"));
        auto page = pageWith(key);
        auto *users = page->findChild<QComboBox *>(QStringLiteral("runAsUser"));
        const int index = users->findText(QStringLiteral("runner@ui.test"));
        QVERIFY(index > 0);
        users->setCurrentIndex(index);
        replaceCode(page->editor(), QStringLiteral("return $ctx.$user.email;"));
        QSignalSpy ran(page.get(), &RoutesPage::ran);
        page->run();
        QTRY_COMPARE(ran.count(), 1);
        QCOMPARE(text(page.get(), "runResult"), QStringLiteral("\"runner@ui.test\""));
        // "Me" runs as the signed-in admin.
        users->setCurrentIndex(0);
        page->run();
        QTRY_COMPARE(ran.count(), 2);
        QCOMPARE(text(page.get(), "runResult"), QStringLiteral("\"%1\"").arg(HearthTestServer::adminEmail()));
    }

    void completionOffersCtxAndTables()
    {
        const HttpReply table = m_bed.admin().post(
            "/hearth_table",
            QJsonObject{{"name", "ui_notes"},
                        {"columns", QJsonArray{QJsonObject{{"name", "body"}, {"type", "text"}}}}});
        QCOMPARE(table.status, 201);
        const QString key = routeWithHandler(QStringLiteral("/ui-complete"));
        auto page = pageWith(key);
        ScriptEditor *editor = page->editor();
        const QStringList words = editor->completionEntries();
        for (const char *word :
             {"$ctx.$body",
              "$ctx.$query",
              "$ctx.$params",
              "$ctx.$user",
              "$ctx.$share",
              "$ctx.$logs(...values)",
              "$ctx.$repos.ui_notes",
              "$ctx.$repos.ui_notes.find({filter, fields, sort, limit, page, meta, deep, aggregate})",
              "$ctx.$repos.ui_notes.exists(filter)",
              "$ctx.$repos.secure.ui_notes",
              "#ui_notes",
              "$ctx.$helpers.$jwt(payload, expiresIn)",
              "$ctx.$helpers.autoSlug(text)",
              "$ctx.$helpers.$rateLimit.byIp({maxRequests, perSeconds})",
              "$ctx.$helpers.$sleep(ms)",
              "$ctx.$cache.get(key)",
              "$ctx.$cache.acquire(key, value, ttlMs)",
              "$ctx.$throw['404'](message, details)",
              "@BODY",
              "@THROW404",
              "$ctx.$repos.hearth_user"})
            QVERIFY2(words.contains(QLatin1StringView(word)), word);

        // The editor: JavaScript, line numbers, folding, brace matching.
        QVERIFY(qobject_cast<QsciLexerJavaScript *>(editor->lexer()));
        QVERIFY(editor->marginLineNumbers(0));
        QVERIFY(editor->folding() != QsciScintilla::NoFoldStyle);
        QCOMPARE(editor->braceMatching(), QsciScintilla::SloppyBraceMatch);

        // Typing a table's prefix opens the list (the API words are prepared in a thread).
        replaceCode(editor, QString());
        QTest::keyClicks(editor, QStringLiteral("$ctx.$repos.ui_no"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                editor->autoCompleteFromAPIs();
                return editor->isListActive();
            }(),
            5000);
        QTest::keyClick(editor, Qt::Key_Return); // takes the (only) choice
        QCOMPARE(editor->text(), QStringLiteral("$ctx.$repos.ui_notes"));
        QVERIFY(!editor->isListActive());
        // After the table, its methods.
        QTest::keyClicks(editor, QStringLiteral(".exi"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                editor->autoCompleteFromAPIs();
                return editor->isListActive();
            }(),
            5000);
        QTest::keyClick(editor, Qt::Key_Return);
        QCOMPARE(editor->text(), QStringLiteral("$ctx.$repos.ui_notes.exists"));
    }

    void editAndDeleteARoute()
    {
        const qint64 id = created(m_bed.admin().post("/hearth_route", QJsonObject{{"path", "/ui-edit-me"}}));
        auto page = pageWith(QString());
        QVERIFY(page->selectRoute(QStringLiteral("/ui-edit-me")));

        // A path the server refuses: its words in the dialog, which stays open.
        page->findChild<QAction *>(QStringLiteral("editRouteAction"))->trigger();
        RouteDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page->findChild<RouteDialog *>()) && dialog->isVisible());
        auto *path = dialog->findChild<QLineEdit *>(QStringLiteral("routePath"));
        QCOMPARE(path->text(), QStringLiteral("/ui-edit-me"));
        path->setText(QStringLiteral("/admin/mine"));
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        ok->click();
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("routeDialogError"));
        QTRY_VERIFY(error->isVisible());
        QVERIFY(!error->text().isEmpty());
        QVERIFY(dialog->isVisible());

        // A good path and fewer methods: stored, and the tree shows it.
        path->setText(QStringLiteral("/ui-edited/:id"));
        dialog->findChild<QWidget *>(QStringLiteral("routeMethods"))
            ->findChild<QCheckBox *>(QStringLiteral("DELETE"))
            ->setChecked(false);
        ok->click();
        QTRY_COMPARE(m_bed.admin()
                         .get("/hearth_route/" + QByteArray::number(id))
                         .data()
                         .at(0)
                         .toObject()
                         .value(u"path"),
                     QJsonValue("/ui-edited/:id"));
        QCOMPARE(m_bed.admin()
                     .get("/hearth_route/" + QByteArray::number(id))
                     .data()
                     .at(0)
                     .toObject()
                     .value(u"availableMethods"),
                 QJsonValue(QJsonArray{"GET", "POST", "PATCH"}));
        QTRY_VERIFY(page->tree()->currentItem() &&
                    page->tree()->currentItem()->text(0) == QStringLiteral("/ui-edited/:id"));

        // Delete asks first; Cancel keeps the route.
        page->findChild<QAction *>(QStringLiteral("deleteRouteAction"))->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = page->findChild<QMessageBox *>(QStringLiteral("confirmDelete"))) &&
                    box->isVisible());
        box->button(QMessageBox::Cancel)->click();
        QTest::qWait(200);
        QCOMPARE(list("hearth_route", {{"id", id}}).size(), 1);
        page->findChild<QAction *>(QStringLiteral("deleteRouteAction"))->trigger();
        QTRY_VERIFY((box = page->findChild<QMessageBox *>(QStringLiteral("confirmDelete"))) &&
                    box->isVisible());
        box->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        QTRY_COMPARE(list("hearth_route", {{"id", id}}).size(), 0);
        QTRY_VERIFY(!page->selectRoute(QStringLiteral("/ui-edited/:id")));
    }

    void handlerAddedFromTheMenuAnswersRequests()
    {
        const qint64 route = created(m_bed.admin().post(
            "/hearth_route", QJsonObject{{"path", "/ui-handled"}, {"publicMethods", QJsonArray{"GET"}}}));
        QVERIFY(route);
        auto page = pageWith(QString());
        QVERIFY(page->selectRoute(QStringLiteral("/ui-handled")));
        QAction *addGet = page->findChild<QAction *>(QStringLiteral("addHandlerGETAction"));
        QVERIFY(addGet->isEnabled());
        addGet->trigger();
        QTRY_VERIFY(page->currentScriptKey().startsWith(u"handler:"));
        const QString key = page->currentScriptKey();
        QVERIFY(!addGet->isEnabled()); // one handler per method
        replaceCode(page->editor(), QStringLiteral("return { handled: $ctx.$req.method };"));
        page->save();
        QTRY_VERIFY(!page->isModified(key));
        TestHttpClient anonymous(m_bed.server().port());
        QTRY_COMPARE(anonymous.get("/ui-handled").object(), QJsonObject({{"handled", "GET"}}));
    }

    void unsavedEditsStayUntilSaved()
    {
        const QString first = routeWithHandler(QStringLiteral("/ui-draft-a"));
        const QString second = routeWithHandler(QStringLiteral("/ui-draft-b"));
        auto page = pageWith(first);
        replaceCode(page->editor(), QStringLiteral("return 'draft';"));
        QVERIFY(page->isModified(first));
        // Another script, then a reload, then back: the edit is still there, marked.
        QVERIFY(page->openScript(second));
        QCOMPARE(page->editor()->text(), QStringLiteral("return { stored: true };"));
        QVERIFY(!page->isModified(second));
        QSignalSpy loaded(page.get(), &RoutesPage::loaded);
        page->refresh();
        QVERIFY(loaded.wait(10'000));
        QVERIFY(page->openScript(first));
        QCOMPARE(page->editor()->text(), QStringLiteral("return 'draft';"));
        QVERIFY(page->isModified(first));
        QVERIFY(page->tree()->currentItem()->text(0).startsWith(QStringLiteral("●")));
        // What the window lists before closing or switching servers.
        QCOMPARE(page->unsavedChanges(), QStringList{QStringLiteral("GET handler of /ui-draft-a")});
        // Typing back the stored text is no change.
        replaceCode(page->editor(), QStringLiteral("return { stored: true };"));
        QVERIFY(!page->isModified(first));
        QVERIFY(page->unsavedChanges().isEmpty());
        QVERIFY(!page->tree()->currentItem()->text(0).startsWith(QStringLiteral("●")));
    }

    void editorFollowsLightAndDark()
    {
        auto page = pageWith(routeWithHandler(QStringLiteral("/ui-colors")));
        Theme::apply(Theme::ColorScheme::Dark);
        QTRY_VERIFY(page->editor()->lexer()->defaultPaper().lightness() < 100);
        QVERIFY(page->editor()->lexer()->defaultColor().lightness() > 150);
        Theme::apply(Theme::ColorScheme::Light);
        QTRY_VERIFY(page->editor()->lexer()->defaultPaper().lightness() > 200);
        QVERIFY(page->editor()->lexer()->defaultColor().lightness() < 100);
    }

    void deleteAHookAfterConfirming()
    {
        const qint64 route = created(m_bed.admin().post("/hearth_route", QJsonObject{{"path", "/ui-gone"}}));
        const qint64 hook =
            created(m_bed.admin().post("/hearth_post_hook", QJsonObject{{"name", "audit"},
                                                                        {"route", route},
                                                                        {"sourceCode", "return;"},
                                                                        {"runAfterResponse", true},
                                                                        {"priority", 4}}));
        auto page = pageWith(QStringLiteral("post:%1").arg(hook));
        QVERIFY(page->findChild<QCheckBox *>(QStringLiteral("scriptAfterResponse"))->isChecked());
        QCOMPARE(page->findChild<QSpinBox *>(QStringLiteral("scriptPriority"))->value(), 4);

        // A post-hook runs on the Data given as $ctx.$data.
        auto *data = page->findChild<QLineEdit *>(QStringLiteral("runData"));
        QVERIFY(data->isVisible());
        data->setText(QStringLiteral("{\"data\": [{\"id\": 1}, {\"id\": 2}]}"));
        replaceCode(page->editor(), QStringLiteral("return { rows: $ctx.$data.data.length };"));
        QSignalSpy ran(page.get(), &RoutesPage::ran);
        page->run();
        QTRY_COMPARE(ran.count(), 1);
        QCOMPARE(QJsonDocument::fromJson(text(page.get(), "runResult").toUtf8()).object(),
                 QJsonObject({{"rows", 2}}));
        // Delete in the list asks first.
        page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(page.get()));
        page->tree()->setFocus();
        QTest::keyClick(page->tree(), Qt::Key_Delete);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = page->findChild<QMessageBox *>(QStringLiteral("confirmDelete"))) &&
                    box->isVisible());
        QCOMPARE(list("hearth_post_hook", {{"id", hook}}).size(), 1); // nothing yet
        box->findChild<QPushButton *>(QStringLiteral("confirmButton"))->click();
        QTRY_COMPARE(list("hearth_post_hook", {{"id", hook}}).size(), 0);
        QTRY_VERIFY(page->currentScriptKey().isEmpty());
    }
};

QTEST_MAIN(TestRoutes)
#include "tst_routes.moc"
