// The Cache view against a real in-process server, offscreen: keys set by a
// hook appear with their values, user keys are edited (value, time to live)
// and deleted through the UI and checked through the API, system keys are
// read-only, the pattern narrows the list and pages with the cursor, and the
// hits / misses chart grows from the overview polls while the page is shown.
#include "consoletestbed.h"

#include "pages/cache/cachekeymodel.h"
#include "pages/cache/cacheoverviewpanel.h"
#include "pages/cache/cachevalueeditor.h"
#include "pages/cachepage.h"
#include "widgets/figurecard.h"
#include "widgets/livechart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>

using namespace Hearth;

class TestCache : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;

    static QByteArray enc(const QString &text) { return QUrl::toPercentEncoding(text); }

    // GET /admin/cache/key through the API: the entry, or an empty object when absent.
    QJsonObject entry(const QString &key) const
    {
        const HttpReply r = m_bed.admin().get("/admin/cache/key?key=" + enc(key));
        return r.status == 200 ? r.data().at(0).toObject() : QJsonObject();
    }

    bool setKey(const QString &key, const QJsonValue &value, qint64 ttlMs = 600'000) const
    {
        const HttpReply r = m_bed.admin().post(
            "/admin/cache/key", QJsonObject{{"key", key}, {"value", value}, {"ttlMs", double(ttlMs)}});
        return r.status == 200 || r.status == 201;
    }

    // A page shown and polling, as the window shows it.
    std::unique_ptr<CachePage> openPage() const
    {
        auto page = std::make_unique<CachePage>();
        page->setClient(m_bed.client());
        page->resize(1100, 800);
        page->show();
        page->activate();
        return page;
    }

    // Clicks the key's row in the browser and waits for its value in the editor.
    static bool openKey(CachePage *page, const QString &key)
    {
        if (!QTest::qWaitFor([&] { return page->keyModel()->rowOf(key) >= 0; }, 5000))
            return false;
        QTableView *view = page->keyView();
        const QModelIndex index = page->keyModel()->index(page->keyModel()->rowOf(key), 0);
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
        return QTest::qWaitFor([&] { return page->editor()->key() == key && page->editor()->hasEntry(); },
                               5000);
    }

    template <typename T> static T *child(QWidget *root, const char *name)
    {
        T *found = root->findChild<T *>(QLatin1StringView(name));
        if (!found)
            qWarning("no %s", name);
        return found;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_bed.startSignedIn());
        // A table whose GET runs a preHook that fills the cache, as scripts do.
        const HttpReply table = m_bed.admin().post(
            "/hearth_table",
            QJsonObject{{"name", "ui_notes"},
                        {"columns", QJsonArray{QJsonObject{{"name", "title"}, {"type", "varchar"}}}}});
        QVERIFY2(table.status == 201, qPrintable(table.describe()));
        const HttpReply route = m_bed.admin().get(
            "/hearth_route?fields=id&filter=" +
            enc(QString::fromUtf8(
                QJsonDocument(QJsonObject{{"path", "/ui_notes"}}).toJson(QJsonDocument::Compact))));
        QVERIFY2(route.status == 200 && route.data().size() == 1, qPrintable(route.describe()));
        const HttpReply hook = m_bed.admin().post(
            "/hearth_pre_hook", QJsonObject{{"name", "ui cache filler"},
                                            {"route", route.data().at(0).toObject().value("id")},
                                            {"methods", QJsonArray{"GET"}},
                                            {"sourceCode", R"JS(
await $ctx.$cache.set('greeting', { text: 'hello from a hook', n: 1 }, 600000);
await $ctx.$cache.get('greeting');
await $ctx.$cache.get('never-set');
await $ctx.$cache.acquire('lock:ui-notes', 'worker', 600000);
)JS"}});
        QVERIFY2(hook.status == 201, qPrintable(hook.describe()));
    }

    void cleanupTestCase() { m_bed.stop(); }

    void keySetByAHookShowsWithItsValue()
    {
        auto page = openPage();
        QTRY_VERIFY(page->hasLoadedKeys());
        QCOMPARE(m_bed.admin().get("/ui_notes").status, 200); // the hook sets 'greeting'
        page->refresh();                                      // F5
        QVERIFY(openKey(page.get(), QStringLiteral("greeting")));
        const int row = page->keyModel()->rowOf(QStringLiteral("greeting"));
        QCOMPARE(page->keyModel()->index(row, 1).data().toString(), QStringLiteral("User"));
        QCOMPARE(page->keyModel()->index(row, 2).data().toString(), QStringLiteral("object"));
        QVERIFY(page->keyModel()->index(row, 4).data().toString().contains(QStringLiteral("min")));
        auto *value = child<QPlainTextEdit>(page.get(), "cacheValueEdit");
        QVERIFY(value);
        QVERIFY(value->toPlainText().contains(QStringLiteral("\"text\": \"hello from a hook\"")));
        QVERIFY(value->toPlainText().contains(u'\n')); // pretty-printed
        QVERIFY(!value->isReadOnly());
        QVERIFY(child<QPushButton>(page.get(), "saveValue")->isEnabled());
    }

    void systemKeyIsReadOnly()
    {
        QCOMPARE(m_bed.admin().get("/ui_notes").status, 200); // the hook takes 'lock:ui-notes'
        auto page = openPage();
        QVERIFY(openKey(page.get(), QStringLiteral("lock:ui-notes")));
        QVERIFY(!page->editor()->isEditable());
        QVERIFY(child<QPlainTextEdit>(page.get(), "cacheValueEdit")->isReadOnly());
        QVERIFY(!child<QPushButton>(page.get(), "saveValue")->isEnabled());
        QVERIFY(!child<QPushButton>(page.get(), "deleteKey")->isEnabled());
        QVERIFY(!child<QPushButton>(page.get(), "applyTtl")->isEnabled());
        const int row = page->keyModel()->rowOf(QStringLiteral("lock:ui-notes"));
        QCOMPARE(page->keyModel()->index(row, 1).data().toString(), QStringLiteral("System"));
    }

    void userKeyValueAndTtlAreEdited()
    {
        QVERIFY(setKey(QStringLiteral("ui:edit"), QJsonObject{{"a", 1}}));
        auto page = openPage();
        QVERIFY(openKey(page.get(), QStringLiteral("ui:edit")));
        auto *value = child<QPlainTextEdit>(page.get(), "cacheValueEdit");

        // Not JSON: a warning, nothing sent.
        value->setFocus();
        QTest::keyClick(value, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(value, QStringLiteral("{oops"));
        page->save(); // Ctrl+S
        QTRY_VERIFY(page->messageBar()->isShowing());
        QVERIFY(page->messageBar()->text().contains(QStringLiteral("not JSON")));
        QCOMPARE(entry(QStringLiteral("ui:edit")).value("value").toObject(), (QJsonObject{{"a", 1}}));

        // A new value; the time to live left is kept.
        QTest::keyClick(value, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(value, QStringLiteral("{\"a\": 2, \"tags\": [\"x\", \"y\"]}"));
        QTest::mouseClick(child<QPushButton>(page.get(), "saveValue"), Qt::LeftButton);
        QTRY_COMPARE(entry(QStringLiteral("ui:edit")).value("value").toObject(),
                     (QJsonObject{{"a", 2}, {"tags", QJsonArray{"x", "y"}}}));
        const double kept = entry(QStringLiteral("ui:edit")).value("ttlMs").toDouble();
        QVERIFY2(kept > 500'000 && kept <= 600'000, qPrintable(QString::number(kept)));

        // A new time to live: 5 minutes.
        QTRY_VERIFY(child<QPushButton>(page.get(), "applyTtl")->isEnabled());
        auto *unit = child<QComboBox>(page.get(), "ttlUnit");
        unit->setCurrentIndex(unit->findText(QStringLiteral("minutes")));
        auto *amount = child<QSpinBox>(page.get(), "ttlAmount");
        amount->setFocus();
        amount->selectAll();
        QTest::keyClicks(amount, QStringLiteral("5"));
        QCOMPARE(amount->value(), 5);
        QTest::mouseClick(child<QPushButton>(page.get(), "applyTtl"), Qt::LeftButton);
        QTRY_VERIFY(entry(QStringLiteral("ui:edit")).value("ttlMs").toDouble() <= 300'000);
        QVERIFY(entry(QStringLiteral("ui:edit")).value("ttlMs").toDouble() > 290'000);
        QCOMPARE(entry(QStringLiteral("ui:edit")).value("value").toObject().value("a").toInt(), 2);

        // Never expires; a value being edited meanwhile stays in the editor, unsaved.
        QTest::keyClick(value, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(value, QStringLiteral("{\"draft\": true}"));
        QTest::mouseClick(child<QCheckBox>(page.get(), "ttlNever"), Qt::LeftButton);
        QVERIFY(!amount->isEnabled());
        QTest::mouseClick(child<QPushButton>(page.get(), "applyTtl"), Qt::LeftButton);
        QTRY_VERIFY(entry(QStringLiteral("ui:edit")).value("ttlMs").isNull());
        QCOMPARE(entry(QStringLiteral("ui:edit")).value("value").toObject().value("a").toInt(), 2);

        QTRY_COMPARE(
            page->keyModel()->index(page->keyModel()->rowOf(QStringLiteral("ui:edit")), 4).data().toString(),
            QStringLiteral("never"));
        QVERIFY(child<QCheckBox>(page.get(), "ttlNever")->isChecked());
        QCOMPARE(value->toPlainText(), QStringLiteral("{\"draft\": true}"));
    }

    void unsavedValueIsNotLostSilently()
    {
        QVERIFY(setKey(QStringLiteral("ui:keep1"), QStringLiteral("one")));
        QVERIFY(setKey(QStringLiteral("ui:keep2"), QStringLiteral("two")));
        auto page = openPage();
        QVERIFY(openKey(page.get(), QStringLiteral("ui:keep1")));
        auto *value = child<QPlainTextEdit>(page.get(), "cacheValueEdit");
        value->setFocus();
        QTest::keyClick(value, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(value, QStringLiteral("\"changed\""));
        QVERIFY(page->editor()->hasUnsavedChanges());

        QTableView *view = page->keyView();
        auto clickRow = [&](const QString &key) {
            const QModelIndex index = page->keyModel()->index(page->keyModel()->rowOf(key), 0);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
        };
        auto answer = [&](QMessageBox::ButtonRole role) {
            QMessageBox *box = nullptr;
            if (!QTest::qWaitFor([&] { return (box = page->findChild<QMessageBox *>("confirmDiscard")); },
                                 3000))
                return false;
            for (QAbstractButton *b : box->buttons())
                if (box->buttonRole(b) == role)
                    b->click();
            return QTest::qWaitFor([&] { return !page->findChild<QMessageBox *>("confirmDiscard"); }, 3000);
        };

        // Cancel: still on the edited key, the edit kept.
        clickRow(QStringLiteral("ui:keep2"));
        QVERIFY(answer(QMessageBox::RejectRole));
        QCOMPARE(page->editor()->key(), QStringLiteral("ui:keep1"));
        QCOMPARE(value->toPlainText(), QStringLiteral("\"changed\""));
        QCOMPARE(view->currentIndex().row(), page->keyModel()->rowOf(QStringLiteral("ui:keep1")));

        // Discard: the other key shows; nothing was sent.
        clickRow(QStringLiteral("ui:keep2"));
        QVERIFY(answer(QMessageBox::DestructiveRole));
        QTRY_COMPARE(page->editor()->key(), QStringLiteral("ui:keep2"));
        QTRY_COMPARE(value->toPlainText(), QStringLiteral("\"two\""));
        QCOMPARE(view->currentIndex().row(), page->keyModel()->rowOf(QStringLiteral("ui:keep2")));
        QCOMPARE(entry(QStringLiteral("ui:keep1")).value("value").toString(), QStringLiteral("one"));
    }

    void newKeyIsCreated()
    {
        auto page = openPage();
        QTRY_VERIFY(page->hasLoadedKeys());
        auto *create = page->findChild<QAction *>(QStringLiteral("newKeyAction"));
        QVERIFY(create);
        create->trigger(); // Ctrl+N
        QVERIFY(page->editor()->isNewKey());
        auto *save = child<QPushButton>(page.get(), "saveValue");
        QVERIFY(!save->isEnabled()); // no key yet
        QVERIFY(!child<QPushButton>(page.get(), "deleteKey")->isEnabled());
        QTest::keyClicks(child<QLineEdit>(page.get(), "newKeyEdit"), QStringLiteral("ui:made"));
        QVERIFY(save->isEnabled());
        auto *value = child<QPlainTextEdit>(page.get(), "cacheValueEdit");
        value->setFocus();
        QTest::keyClick(value, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(value, QStringLiteral("{\"made\": \"in the console\"}"));
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_COMPARE(entry(QStringLiteral("ui:made")).value("value").toObject(),
                     (QJsonObject{{"made", "in the console"}}));
        const double ttl = entry(QStringLiteral("ui:made")).value("ttlMs").toDouble();
        QVERIFY2(ttl > 3'500'000 && ttl <= 3'600'000, qPrintable(QString::number(ttl))); // an hour
        // Listed and selected, the editor on the stored entry.
        QTRY_VERIFY(page->keyModel()->rowOf(QStringLiteral("ui:made")) >= 0);
        QTRY_COMPARE(page->keyView()->currentIndex().row(),
                     page->keyModel()->rowOf(QStringLiteral("ui:made")));
        QVERIFY(!page->editor()->isNewKey());
        QCOMPARE(page->editor()->key(), QStringLiteral("ui:made"));
    }

    void keyIsDeletedAfterConfirmation()
    {
        QVERIFY(setKey(QStringLiteral("ui:gone"), QStringLiteral("bye")));
        auto page = openPage();
        QVERIFY(openKey(page.get(), QStringLiteral("ui:gone")));
        QCOMPARE(child<QPlainTextEdit>(page.get(), "cacheValueEdit")->toPlainText(),
                 QStringLiteral("\"bye\""));

        // Cancel keeps it (asked with the Delete key in the list).
        page->keyView()->setFocus();
        QTest::keyClick(page->keyView(), Qt::Key_Delete);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = page->findChild<QMessageBox *>(QStringLiteral("confirmDeleteKey"))));
        QVERIFY(box->text().contains(QStringLiteral("ui:gone")));
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!page->findChild<QMessageBox *>(QStringLiteral("confirmDeleteKey")));
        QVERIFY(!entry(QStringLiteral("ui:gone")).isEmpty());

        // Delete removes it from the server and the list.
        QTest::mouseClick(child<QPushButton>(page.get(), "deleteKey"), Qt::LeftButton);
        QTRY_VERIFY((box = page->findChild<QMessageBox *>(QStringLiteral("confirmDeleteKey"))));
        QAbstractButton *remove = nullptr;
        for (QAbstractButton *b : box->buttons())
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                remove = b;
        QVERIFY(remove);
        remove->click();
        QTRY_VERIFY(entry(QStringLiteral("ui:gone")).isEmpty());
        QTRY_COMPARE(page->keyModel()->rowOf(QStringLiteral("ui:gone")), -1);
        QVERIFY(!page->editor()->hasEntry());
    }

    void patternNarrowsTheListAndPages()
    {
        QVERIFY(setKey(QStringLiteral("ui:alpha"), 1));
        QVERIFY(setKey(QStringLiteral("ui:beta"), 2));
        QVERIFY(setKey(QStringLiteral("other:gamma"), 3));
        auto page = openPage();
        QTRY_VERIFY(page->keyModel()->rowOf(QStringLiteral("other:gamma")) >= 0);

        page->focusFilter(); // Ctrl+F
        QVERIFY(page->patternEdit()->hasFocus());
        QTest::keyClicks(page->patternEdit(), QStringLiteral("ui:"));
        QTRY_VERIFY(page->keyModel()->rowOf(QStringLiteral("other:gamma")) < 0);
        QVERIFY(page->keyModel()->rowOf(QStringLiteral("ui:alpha")) >= 0);
        QVERIFY(page->keyModel()->rowOf(QStringLiteral("ui:beta")) >= 0);
        for (const QString &key : page->keyModel()->keys())
            QVERIFY2(key.contains(QStringLiteral("ui:")), qPrintable(key));

        // A glob is sent as it is.
        page->patternEdit()->clear();
        QTest::keyClicks(page->patternEdit(), QStringLiteral("*gamm?"));
        QTest::keyClick(page->patternEdit(), Qt::Key_Return);
        QTRY_COMPARE(page->keyModel()->keys(), QStringList{QStringLiteral("other:gamma")});
        QCOMPARE(CachePage::globFor(QStringLiteral("greet")), QStringLiteral("*greet*"));

        // Nothing matches: the empty note says so.
        page->patternEdit()->setText(QStringLiteral("no-such-key-*"));
        QTRY_COMPARE(page->keyModel()->rowCount(), 0);
        QTRY_VERIFY(child<QLabel>(page.get(), "emptyNote")->isVisible());

        // 130 keys come a page (100) at a time.
        for (int i = 0; i < 130; ++i)
            QVERIFY(setKey(QStringLiteral("page:%1").arg(i, 3, 10, QLatin1Char('0')), i));
        page->patternEdit()->setText(QStringLiteral("page:*"));
        QTRY_COMPARE(page->keyModel()->rowCount(), 100);
        auto *more = child<QPushButton>(page.get(), "loadMoreKeys");
        QVERIFY(more->isVisible());
        QTest::mouseClick(more, Qt::LeftButton);
        QTRY_COMPARE(page->keyModel()->rowCount(), 130);
        QVERIFY(!more->isVisible());
        const QStringList keys = page->keyModel()->keys();
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()).size(), 130);
    }

    void chartGainsPointsWhileShown()
    {
        QSignalSpy busy(m_bed.client(), &ApiClient::busyChanged);
        auto page = openPage();
        LiveChart *chart = page->overview()->chart();
        const int hits = page->overview()->hitsLine();
        const int misses = page->overview()->missesLine();
        // The figures of the first answer.
        QTRY_VERIFY(child<FigureCard>(page.get(), "keysCard")->value() != QStringLiteral("—"));
        QVERIFY(child<FigureCard>(page.get(), "keysCard")->note().contains(QStringLiteral("user")));
        QVERIFY(ConsoleTestBed::labelText(page.get(), "cacheUsageText").contains(QStringLiteral(" of ")));
        QVERIFY(child<FigureCard>(page.get(), "hitRatioCard")->value().contains(u'%'));

        // Hits and misses made now show as rates on the next polls.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                m_bed.admin().get("/ui_notes"); // a hit and a miss in the hook
                return chart->maxValue(hits) > 0 && chart->maxValue(misses) > 0;
            }(),
            8000);
        QVERIFY(chart->sampleCount(hits) >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(chart->sampleCount(hits) >= 3, 6000);
        QCOMPARE(chart->sampleCount(hits), chart->sampleCount(misses));

        // Polls run in the background: the busy indicator never moved for them.
        int userCalls = 0;
        for (const QList<QVariant> &args : std::as_const(busy))
            userCalls += args.at(0).toInt() > 0 ? 1 : 0;
        QCOMPARE(userCalls, 1); // the key list's first load only

        // Hidden: no more polls.
        page->deactivate();
        QTest::qWait(300); // an answer in flight may still land
        const int frozen = chart->sampleCount(hits);
        QTest::qWait(2200);
        QCOMPARE(chart->sampleCount(hits), frozen);
    }
};

QTEST_MAIN(TestCache)
#include "tst_cache.moc"
