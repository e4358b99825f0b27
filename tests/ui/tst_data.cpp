// The Data page against a real in-process server, offscreen: paging as the
// view scrolls, server-side sort from the header, the filter builder, inline
// edits (and refusals), add / duplicate / delete / undo, relation labels, and
// exports of the current view.
#include "consoletestbed.h"

#include "pages/data/dataexporter.h"
#include "pages/data/datatablemodel.h"
#include "pages/data/relationpicker.h"
#include "pages/data/rowformdialog.h"
#include "pages/datapage.h"
#include "widgets/filterbuilder.h"

#include <QAbstractItemDelegate>
#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

using namespace Hearth;
using Hearth::Test::HttpReply;

namespace {

QByteArray encoded(const QJsonObject &filter)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(QJsonDocument(filter).toJson(QJsonDocument::Compact)));
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

class TestData : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;
    QList<qint64> m_authorIds;

    // GET through the admin client; the data array.
    QJsonArray rows(const QByteArray &target) const
    {
        const HttpReply reply = m_bed.admin().get(target);
        if (reply.status != 200)
            qWarning("GET %s: %s", target.constData(), qPrintable(reply.describe()));
        return reply.data();
    }

    QJsonObject post(qint64 id) const { return rows("/post/" + QByteArray::number(id)).at(0).toObject(); }

    // A page showing table, loaded, with pageSize rows a page.
    struct Open
    {
        std::unique_ptr<ApiClient> client;
        std::unique_ptr<DataPage> page;
    };
    Open open(const QString &table, int pageSize = 50) const
    {
        Open o;
        o.client = m_bed.signedInClient();
        o.page = std::make_unique<DataPage>();
        o.page->setPageSize(pageSize);
        o.page->resize(1100, 700);
        o.page->setClient(o.client.get());
        o.page->show();
        o.page->activate();
        DataPage *page = o.page.get();
        if (!QTest::qWaitFor([&] { return page->tablePicker()->findText(table) >= 0; }, 10'000))
            qWarning("table %s not listed", qPrintable(table));
        page->showTable(table);
        if (!QTest::qWaitFor(
                [&] {
                    return page->model()->schema().name == table && page->model()->hasLoaded() &&
                           !page->model()->isLoading();
                },
                10'000))
            qWarning("rows of %s not loaded", qPrintable(table));
        return o;
    }

    static QModelIndex cell(DataPage *page, qint64 id, const QString &key)
    {
        DataTableModel *m = page->model();
        return m->index(m->rowOfId(QJsonValue(id)), m->schema().indexOf(key));
    }

    static QJsonValue json(const QModelIndex &index)
    {
        return index.data(DataTableModel::JsonRole).value<QJsonValue>();
    }

    qint64 idOfTitle(const QString &table, const QString &title) const
    {
        const QJsonArray found =
            rows("/" + table.toUtf8() + "?fields=id&filter=" + encoded({{QStringLiteral("title"), title}}));
        return found.isEmpty() ? -1 : found.at(0).toObject().value(u"id").toInteger();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_bed.start());
        HttpReply r =
            m_bed.admin().post("/hearth_table", QJsonDocument::fromJson(R"({"name":"author","columns":[
                {"name":"name","type":"varchar","isNullable":false},
                {"name":"bio","type":"text"}]})")
                                                    .object());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        r = m_bed.admin().post("/hearth_table", QJsonDocument::fromJson(R"({"name":"post","columns":[
                {"name":"title","type":"varchar","length":200,"isNullable":false},
                {"name":"slug","type":"varchar","isUnique":true},
                {"name":"public","type":"boolean","defaultValue":false},
                {"name":"views","type":"int","defaultValue":0},
                {"name":"kind","type":"enum","options":["news","blog"],"defaultValue":"news"},
                {"name":"meta","type":"simple-json"},
                {"name":"published","type":"date"}],
              "relations":[{"propertyName":"author","type":"many-to-one","targetTable":"author",
                            "inversePropertyName":"posts"}]})")
                                                    .object());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        r = m_bed.admin().post("/hearth_table", QJsonDocument::fromJson(R"({"name":"note","columns":[
                {"name":"title","type":"varchar","isNullable":false},
                {"name":"done","type":"boolean","defaultValue":false},
                {"name":"priority","type":"int"}]})")
                                                    .object());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));

        for (const char *name : {"Ann", "Bea", "Cem"}) {
            r = m_bed.admin().post("/author", QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)}});
            QCOMPARE(r.status, 201);
            m_authorIds << r.data().at(0).toObject().value(u"id").toInteger();
        }
        for (int i = 1; i <= 42; ++i) {
            const QString title = i % 5 == 0 ? QStringLiteral("Apple pie %1").arg(i, 2, 10, QLatin1Char('0'))
                                             : QStringLiteral("Post %1").arg(i, 2, 10, QLatin1Char('0'));
            r = m_bed.admin().post("/post",
                                   QJsonObject{{QStringLiteral("title"), title},
                                               {QStringLiteral("slug"), QStringLiteral("s%1").arg(i)},
                                               {QStringLiteral("public"), i % 2 == 0},
                                               {QStringLiteral("views"), (i * 37) % 101},
                                               {QStringLiteral("kind"), i % 3 ? "news" : "blog"},
                                               {QStringLiteral("author"), m_authorIds.at(i % 3)}});
            QVERIFY2(r.status == 201, qPrintable(r.describe()));
        }
        for (int i = 1; i <= 6; ++i) {
            r = m_bed.admin().post("/note",
                                   QJsonObject{{QStringLiteral("title"), QStringLiteral("Note %1").arg(i)},
                                               {QStringLiteral("done"), i % 2 == 1},
                                               {QStringLiteral("priority"), i * 10}});
            QCOMPARE(r.status, 201);
        }
    }

    void cleanupTestCase() { m_bed.stop(); }

    void tablesAndRelationLabels()
    {
        Open o = open(QStringLiteral("post"));
        DataPage *page = o.page.get();
        QStringList listed;
        for (int i = 0; i < page->tablePicker()->count(); ++i)
            listed << page->tablePicker()->itemText(i);
        QCOMPARE(listed,
                 (QStringList{QStringLiteral("author"), QStringLiteral("note"), QStringLiteral("post")}));
        // Columns in the table's order, relations after them, the timestamps last.
        DataTableModel *m = page->model();
        QStringList headers;
        for (int c = 0; c < m->columnCount(); ++c)
            headers << m->headerData(c, Qt::Horizontal).toString();
        QCOMPARE(headers, (QStringList{"id", "title", "slug", "public", "views", "kind", "meta", "published",
                                       "author", "createdAt", "updatedAt"}));
        // Newest first by default, shown by the header's sort indicator.
        QCOMPARE(m->sortParameter(), QStringLiteral("-id"));
        QCOMPARE(page->view()->horizontalHeader()->sortIndicatorSection(), 0);
        QCOMPARE(page->view()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        // The author reads as the author's name, not as an id.
        const qint64 id = idOfTitle(QStringLiteral("post"), QStringLiteral("Post 04"));
        const QModelIndex author = cell(page, id, QStringLiteral("author"));
        QVERIFY(author.isValid());
        QCOMPARE(author.data().toString(), QStringLiteral("Bea")); // 4 % 3 = 1
        QCOMPARE(json(author).toObject().value(u"id").toInteger(), m_authorIds.at(1));
        QVERIFY(author.data(Qt::ToolTipRole).toString().contains(QStringLiteral("author")));

        // The other side: an author's posts by title, the first few of them.
        page->showTable(QStringLiteral("author"));
        QTRY_VERIFY(m->schema().name == u"author" && m->hasLoaded() && !m->isLoading());
        const QModelIndex posts =
            m->index(m->rowOfId(QJsonValue(m_authorIds.at(0))), m->schema().indexOf("posts"));
        QVERIFY(posts.isValid());
        QCOMPARE(posts.data().toString(),
                 QStringLiteral("Post 03, Post 06, Post 09, Post 12, Apple pie 15, …"));
        QVERIFY(!(m->flags(posts) & Qt::ItemIsEditable));
    }

    void pagingFetchesMoreOnScroll()
    {
        Open o = open(QStringLiteral("post"), 10);
        DataPage *page = o.page.get();
        DataTableModel *m = page->model();
        const qint64 total = rows("/post?fields=id&limit=0").size();
        QCOMPARE(m->totalCount(), total);
        QCOMPARE(m->filterCount(), total);
        QVERIFY(m->rowCount() >= 10);
        QVERIFY(m->rowCount() < total);
        QTRY_VERIFY(m->canFetchMore({})); // once the view has filled its height
        QVERIFY(ConsoleTestBed::labelText(page, "pageFooter").contains(QString::number(total)));
        // Scrolling to the bottom reads the next page.
        const int before = m->rowCount();
        page->view()->scrollToBottom();
        QTRY_VERIFY(m->rowCount() > before);
        QCOMPARE(m->rowCount() % 10, 0);
        // Until every row is there, each once, newest first.
        QVERIFY(QTest::qWaitFor(
            [&] {
                if (m->canFetchMore({}))
                    m->fetchMore({});
                return m->rowCount() == total;
            },
            10'000));
        QVERIFY(!m->canFetchMore({}));
        QSet<qint64> ids;
        for (int r = 0; r < m->rowCount(); ++r)
            ids.insert(m->row(r).value(u"id").toInteger());
        QCOMPARE(ids.size(), int(total));
        QVERIFY(m->row(0).value(u"id").toInteger() > m->row(1).value(u"id").toInteger());
    }

    void headerSortOrdersRows()
    {
        Open o = open(QStringLiteral("post"), 100);
        DataPage *page = o.page.get();
        DataTableModel *m = page->model();
        QHeaderView *header = page->view()->horizontalHeader();
        const int views = m->schema().indexOf(QStringLiteral("views"));
        const QPoint at(header->sectionViewportPosition(views) + 8, header->height() / 2);
        auto valuesOf = [m](const QString &key) {
            QList<qint64> values;
            for (int r = 0; r < m->rowCount(); ++r)
                values << m->row(r).value(key).toInteger();
            return values;
        };
        auto apiIds = [this](const QByteArray &sort) {
            QList<qint64> ids;
            for (const QJsonValue &v : rows("/post?fields=id&limit=0&sort=" + sort))
                ids << v.toObject().value(u"id").toInteger();
            return ids;
        };

        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(m->sortParameter(), QStringLiteral("views"));
        QTRY_VERIFY(!m->isLoading() && m->rowCount() > 0);
        QCOMPARE(header->sortIndicatorSection(), views);
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
        QList<qint64> shown = valuesOf(QStringLiteral("views"));
        QVERIFY(std::is_sorted(shown.begin(), shown.end()));
        QCOMPARE(valuesOf(QStringLiteral("id")), apiIds("views"));

        // A second click: descending.
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(m->sortParameter(), QStringLiteral("-views"));
        QTRY_VERIFY(!m->isLoading());
        QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(valuesOf(QStringLiteral("id")), apiIds("-views"));

        // The relation sorts by its label.
        const int author = m->schema().indexOf(QStringLiteral("author"));
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(author) + 8, header->height() / 2));
        QTRY_COMPARE(m->sortParameter(), QStringLiteral("author.name"));
        QTRY_VERIFY(!m->isLoading());
        QCOMPARE(m->index(0, author).data().toString(), QStringLiteral("Ann"));
        QCOMPARE(m->index(m->rowCount() - 1, author).data().toString(), QStringLiteral("Cem"));

        // JSON cannot be sorted by: the sort and its arrow stay.
        const int meta = m->schema().indexOf(QStringLiteral("meta"));
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(meta) + 8, header->height() / 2));
        QCOMPARE(m->sortParameter(), QStringLiteral("author.name"));
        QCOMPARE(header->sortIndicatorSection(), author);
        QVERIFY(!m->isLoading());
    }

    void filterBuilderShowsMatchingRows()
    {
        Open o = open(QStringLiteral("post"), 100);
        DataPage *page = o.page.get();
        page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(page));
        auto *panel = page->findChild<QWidget *>(QStringLiteral("filterPanel"));
        QVERIFY(panel && !panel->isVisible());
        // Ctrl+F: the builder opens with a condition to type into.
        page->focusFilter();
        QVERIFY(panel->isVisible());
        FilterBuilder *builder = page->filterBuilder();
        QCOMPARE(builder->conditionCount(), 1);
        auto fields = builder->findChildren<QComboBox *>(QStringLiteral("filterField"));
        auto ops = builder->findChildren<QComboBox *>(QStringLiteral("filterOperator"));
        auto values = builder->findChildren<QLineEdit *>(QStringLiteral("filterValue"));
        QCOMPARE(values.size(), 1);
        QTRY_VERIFY(values.first()->hasFocus());
        QCOMPARE(fields.first()->currentText(), QStringLiteral("title"));
        QCOMPARE(ops.first()->currentData().toString(), QStringLiteral("_contains"));
        QTest::keyClicks(values.first(), QStringLiteral("apple"));

        QTest::mouseClick(builder->findChild<QPushButton *>(QStringLiteral("filterAdd")), Qt::LeftButton);
        QCOMPARE(builder->conditionCount(), 2);
        fields = builder->findChildren<QComboBox *>(QStringLiteral("filterField"));
        ops = builder->findChildren<QComboBox *>(QStringLiteral("filterOperator"));
        auto choices = builder->findChildren<QComboBox *>(QStringLiteral("filterChoice"));
        fields.last()->setCurrentIndex(fields.last()->findText(QStringLiteral("public")));
        ops.last()->setCurrentIndex(ops.last()->findData(QStringLiteral("_eq")));
        QVERIFY(choices.last()->isVisible());
        choices.last()->setCurrentIndex(choices.last()->findText(QStringLiteral("true")));

        const QJsonObject expected =
            QJsonDocument::fromJson(R"({"_and":[{"title":{"_contains":"apple"}},{"public":{"_eq":true}}]})")
                .object();
        auto *jsonLine = builder->findChild<QLineEdit *>(QStringLiteral("filterJson"));
        QVERIFY(jsonLine->isReadOnly());
        QCOMPARE(jsonLine->text(), compact(expected));
        QTest::mouseClick(builder->findChild<QPushButton *>(QStringLiteral("filterApply")), Qt::LeftButton);
        QTRY_COMPARE(page->model()->filter(), expected);
        QTRY_VERIFY(!page->model()->isLoading());

        // Exactly the rows the API gives for that filter.
        QList<qint64> expectedIds;
        for (const QJsonValue &v : rows("/post?fields=id&limit=0&sort=-id&filter=" + encoded(expected)))
            expectedIds << v.toObject().value(u"id").toInteger();
        QVERIFY(!expectedIds.isEmpty());
        QList<qint64> shown;
        for (int r = 0; r < page->model()->rowCount(); ++r) {
            const QJsonObject row = page->model()->row(r);
            shown << row.value(u"id").toInteger();
            QVERIFY(row.value(u"title").toString().contains(QStringLiteral("Apple")));
            QVERIFY(row.value(u"public").toBool());
        }
        QCOMPARE(shown, expectedIds);
        QCOMPARE(page->model()->filterCount(), expectedIds.size());
        QVERIFY(ConsoleTestBed::labelText(page, "pageFooter").contains(QStringLiteral("match")));

        // Any instead of all: _or.
        builder->findChild<QComboBox *>(QStringLiteral("filterMatch"))->setCurrentIndex(1);
        QVERIFY(jsonLine->text().startsWith(QStringLiteral("{\"_or\":")));
        QTest::keyClick(values.first(), Qt::Key_Return); // Enter applies too
        QTRY_VERIFY(page->model()->filter().contains(u"_or"));
        QTRY_VERIFY(!page->model()->isLoading());
        QVERIFY(page->model()->rowCount() > expectedIds.size());

        // Operators that take lists and none.
        QCOMPARE(
            FilterBuilder::valueFor(FilterField::Number, QStringLiteral("_between"), QStringLiteral("3, 9")),
            QJsonValue(QJsonArray{3, 9}));
        QCOMPARE(FilterBuilder::valueFor(FilterField::Text, QStringLiteral("_in"), QStringLiteral("a,b")),
                 QJsonValue(QJsonArray{"a", "b"}));
        QCOMPARE(FilterBuilder::valueFor(FilterField::Text, QStringLiteral("_is_null"), QString()),
                 QJsonValue(true));

        // Through a relation, by the related row's label.
        while (builder->conditionCount() > 0)
            builder->removeCondition(0);
        builder->addCondition(QStringLiteral("author.name"), QStringLiteral("_eq"), QStringLiteral("Ann"));
        QCOMPARE(jsonLine->text(), QStringLiteral(R"({"author":{"name":{"_eq":"Ann"}}})"));
        auto *apply = builder->findChild<QPushButton *>(QStringLiteral("filterApply"));
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(!apply->isEnabled()); // nothing new to apply
        QTRY_COMPARE(page->model()->filterCount(), 14);
        QTRY_COMPARE(page->model()->rowCount(), 14);
        const int authorColumn = page->model()->schema().indexOf(QStringLiteral("author"));
        for (int r = 0; r < page->model()->rowCount(); ++r)
            QCOMPARE(page->model()->index(r, authorColumn).data().toString(), QStringLiteral("Ann"));

        // Clear shows every row again.
        QTest::mouseClick(builder->findChild<QPushButton *>(QStringLiteral("filterClear")), Qt::LeftButton);
        QTRY_VERIFY(page->model()->filter().isEmpty());
        QCOMPARE(jsonLine->text(), QStringLiteral("{}"));
        QTRY_COMPARE(page->model()->filterCount(), page->model()->totalCount());
    }

    void inlineEditSavesRow()
    {
        Open o = open(QStringLiteral("post"), 100);
        DataPage *page = o.page.get();
        DataTableModel *m = page->model();
        const qint64 id = idOfTitle(QStringLiteral("post"), QStringLiteral("Post 07"));

        // Through the model, as a view's editor would.
        QVERIFY(m->setData(cell(page, id, QStringLiteral("views")), 1234));
        QTRY_COMPARE(post(id).value(u"views").toInt(), 1234);
        QTRY_COMPARE(json(cell(page, id, QStringLiteral("views"))).toInt(), 1234);

        // Through the title cell's editor.
        QTableView *view = page->view();
        const QModelIndex title = cell(page, id, QStringLiteral("title"));
        view->setCurrentIndex(title);
        view->edit(title);
        auto *editor = view->viewport()->findChild<QLineEdit *>(QStringLiteral("edit_title"));
        QVERIFY(editor);
        QCOMPARE(editor->text(), QStringLiteral("Post 07"));
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("Seventh post"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(post(id).value(u"title").toString(), QStringLiteral("Seventh post"));

        // The check box of a boolean.
        const bool wasPublic = post(id).value(u"public").toBool();
        QVERIFY(m->setData(cell(page, id, QStringLiteral("public")), wasPublic ? Qt::Unchecked : Qt::Checked,
                           Qt::CheckStateRole));
        QTRY_COMPARE(post(id).value(u"public").toBool(), !wasPublic);

        // An enum through its choices.
        const QModelIndex kind = cell(page, id, QStringLiteral("kind"));
        view->edit(kind);
        auto *kinds = view->viewport()->findChild<QComboBox *>(QStringLiteral("edit_kind"));
        QVERIFY(kinds);
        QCOMPARE(kinds->findText(QStringLiteral("blog")) >= 0, true);
        const QString other =
            post(id).value(u"kind").toString() == u"news" ? QStringLiteral("blog") : QStringLiteral("news");
        kinds->setCurrentIndex(kinds->findText(other));
        QTest::keyClick(kinds, Qt::Key_Return);
        QTRY_COMPARE(post(id).value(u"kind").toString(), other);

        // JSON.
        QVERIFY(m->setData(cell(page, id, QStringLiteral("meta")), QStringLiteral(R"({"tags":["a","b"]})")));
        QTRY_COMPARE(post(id).value(u"meta").toObject().value(u"tags").toArray().size(), 2);

        // A date through its date editor. An empty date opens on today, which is not written unless changed.
        QVERIFY(post(id).value(u"published").isNull());
        const QModelIndex published = cell(page, id, QStringLiteral("published"));
        view->edit(published);
        auto *date = view->viewport()->findChild<QDateEdit *>(QStringLiteral("edit_published"));
        QVERIFY(date);
        QTest::keyClick(date, Qt::Key_Return);
        QTest::qWait(300);
        QVERIFY(post(id).value(u"published").isNull());
        QVERIFY(json(published).isNull());
        view->edit(published);
        QTRY_VERIFY((date = view->viewport()->findChild<QDateEdit *>(QStringLiteral("edit_published"))) &&
                    date->isVisible());
        date->setDate(QDate(2026, 3, 14));
        QTest::keyClick(date, Qt::Key_Return);
        QTRY_COMPARE(post(id).value(u"published").toString(), QStringLiteral("2026-03-14"));
        QTRY_COMPARE(cell(page, id, QStringLiteral("published")).data().toString(),
                     QStringLiteral("2026-03-14"));

        // A relation: pick another author by name; the cell shows the name.
        const QModelIndex author = cell(page, id, QStringLiteral("author"));
        view->edit(author);
        auto *picker = view->viewport()->findChild<RelationPicker *>();
        QVERIFY(picker);
        QTRY_VERIFY(picker->isLoaded());
        const int cem = picker->findText(QStringLiteral("Cem (#%1)").arg(m_authorIds.at(2)));
        QVERIFY2(cem >= 0, qPrintable(picker->itemText(0)));
        picker->setCurrentIndex(cem);
        QTest::keyClick(picker, Qt::Key_Return);
        QTRY_COMPARE(post(id).value(u"author").toObject().value(u"id").toInteger(), m_authorIds.at(2));
        QTRY_COMPARE(cell(page, id, QStringLiteral("author")).data().toString(), QStringLiteral("Cem"));
    }

    void badEditShowsMessageAndReverts()
    {
        Open o = open(QStringLiteral("post"), 100);
        DataPage *page = o.page.get();
        DataTableModel *m = page->model();
        const qint64 id = idOfTitle(QStringLiteral("post"), QStringLiteral("Post 08"));
        const int views = post(id).value(u"views").toInt();

        // Text into a number: the server's words, the old value back.
        QVERIFY(m->setData(cell(page, id, QStringLiteral("views")), QStringLiteral("many")));
        QTRY_VERIFY(page->messageBar()->isShowing());
        QCOMPARE(page->messageBar()->kind(), MessageBar::Error);
        QVERIFY2(page->messageBar()->text().contains(QStringLiteral("views")),
                 qPrintable(page->messageBar()->text()));
        QTRY_COMPARE(json(cell(page, id, QStringLiteral("views"))).toInt(), views);
        QCOMPARE(post(id).value(u"views").toInt(), views);

        // A unique value taken by another row.
        page->clearMessage();
        QVERIFY(m->setData(cell(page, id, QStringLiteral("slug")), QStringLiteral("s1")));
        QTRY_VERIFY(page->messageBar()->isShowing());
        QVERIFY2(page->messageBar()->text().contains(QStringLiteral("must be unique")),
                 qPrintable(page->messageBar()->text()));
        QTRY_COMPARE(json(cell(page, id, QStringLiteral("slug"))).toString(), QStringLiteral("s8"));
        QCOMPARE(post(id).value(u"slug").toString(), QStringLiteral("s8"));

        // A filter value the server cannot take: its words, the rows stay.
        page->clearMessage();
        const int shown = m->rowCount();
        page->filterBuilder()->addCondition(QStringLiteral("views"), QStringLiteral("_gt"),
                                            QStringLiteral("lots"));
        page->filterBuilder()->apply();
        QTRY_VERIFY(page->messageBar()->isShowing());
        QVERIFY2(page->messageBar()->text().contains(QStringLiteral("Invalid filter: views expects")),
                 qPrintable(page->messageBar()->text()));
        QTRY_VERIFY(!m->isLoading());
        QCOMPARE(m->rowCount(), shown);

        // Empty (null) where the column allows it, as the cell's menu does.
        QVERIFY(m->setData(cell(page, id, QStringLiteral("slug")), QVariant()));
        QTRY_VERIFY(post(id).value(u"slug").isNull());
        QTRY_VERIFY(json(cell(page, id, QStringLiteral("slug"))).isNull());
        QCOMPARE(cell(page, id, QStringLiteral("slug")).data().toString(), QStringLiteral("—"));

        // JSON that does not parse is not sent.
        page->clearMessage();
        QVERIFY(!m->setData(cell(page, id, QStringLiteral("meta")), QStringLiteral("{broken")));
        QVERIFY(page->messageBar()->isShowing());
        QVERIFY(page->messageBar()->text().contains(QStringLiteral("not valid JSON")));
    }

    void addDuplicateDeleteAndUndo()
    {
        Open o = open(QStringLiteral("note"));
        DataPage *page = o.page.get();
        DataTableModel *m = page->model();
        const int before = m->rowCount();
        QCOMPARE(before, 6);

        // Add: the form; a required column left empty is refused in the dialog.
        page->findChild<QAction *>(QStringLiteral("addRow"))->trigger();
        RowFormDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page->findChild<RowFormDialog *>()) && dialog->isVisible());
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QTest::mouseClick(ok, Qt::LeftButton);
        auto *problem = dialog->findChild<QLabel *>(QStringLiteral("formProblem"));
        QTRY_VERIFY(problem->isVisible());
        QVERIFY2(problem->text().contains(QStringLiteral("title is required")), qPrintable(problem->text()));
        QVERIFY(dialog->isVisible());
        auto *title = qobject_cast<QLineEdit *>(dialog->editor(QStringLiteral("title")));
        QVERIFY(title);
        QTest::keyClicks(title, QStringLiteral("Fresh note"));
        qobject_cast<QLineEdit *>(dialog->editor(QStringLiteral("priority")))->setText(QStringLiteral("7"));
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(!page->findChild<RowFormDialog *>());
        const qint64 fresh = idOfTitle(QStringLiteral("note"), QStringLiteral("Fresh note"));
        QVERIFY(fresh > 0);
        QTRY_COMPARE(m->rowCount(), before + 1);
        QTRY_COMPARE(page->view()->currentIndex().row(), m->rowOfId(QJsonValue(fresh)));
        QCOMPARE(rows("/note/" + QByteArray::number(fresh)).at(0).toObject().value(u"priority").toInt(), 7);
        QCOMPARE(rows("/note/" + QByteArray::number(fresh)).at(0).toObject().value(u"done").toBool(), false);

        // Duplicate the current row.
        const qint64 second = idOfTitle(QStringLiteral("note"), QStringLiteral("Note 2"));
        page->view()->setCurrentIndex(cell(page, second, QStringLiteral("title")));
        page->findChild<QAction *>(QStringLiteral("duplicateRow"))->trigger();
        QTRY_COMPARE(rows("/note?fields=id&filter=" + encoded({{QStringLiteral("title"), "Note 2"}})).size(),
                     2);
        QTRY_COMPARE(m->rowCount(), before + 2);

        // Delete two rows: asked first.
        const qint64 third = idOfTitle(QStringLiteral("note"), QStringLiteral("Note 3"));
        const qint64 fourth = idOfTitle(QStringLiteral("note"), QStringLiteral("Note 4"));
        QTableView *view = page->view();
        view->clearSelection();
        view->setCurrentIndex(cell(page, third, QStringLiteral("title")));
        view->selectionModel()->select(cell(page, third, QStringLiteral("title")),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        view->selectionModel()->select(cell(page, fourth, QStringLiteral("title")),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        auto *remove = page->findChild<QAction *>(QStringLiteral("deleteRows"));
        QVERIFY(remove->isEnabled());
        remove->trigger();
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = page->findChild<QMessageBox *>(QStringLiteral("deleteConfirm"))));
        QVERIFY(confirm->text().contains(QStringLiteral("2 rows")));
        // Cancel first: nothing goes.
        QTest::mouseClick(confirm->button(QMessageBox::Cancel), Qt::LeftButton);
        QTest::qWait(200);
        QCOMPARE(rows("/note/" + QByteArray::number(third)).size(), 1);
        // The Delete key asks the same.
        page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(page));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Delete);
        QTRY_VERIFY((confirm = page->findChild<QMessageBox *>(QStringLiteral("deleteConfirm"))) &&
                    confirm->isVisible());
        QTest::mouseClick(confirm->findChild<QPushButton *>(QStringLiteral("confirmDelete")), Qt::LeftButton);
        QTRY_COMPARE(m_bed.admin().get("/note/" + QByteArray::number(third)).status, 404);
        QTRY_COMPARE(m_bed.admin().get("/note/" + QByteArray::number(fourth)).status, 404);
        QTRY_COMPARE(m->rowCount(), before);
        QCOMPARE(m->rowOfId(QJsonValue(third)), -1);
        QCOMPARE(page->lastDeleted().size(), 2);
        auto *undo = page->findChild<QAction *>(QStringLiteral("undoDelete"));
        QTRY_VERIFY(undo->isEnabled());

        // Undo: the rows come back with their values (and new ids).
        undo->trigger();
        QTRY_VERIFY(idOfTitle(QStringLiteral("note"), QStringLiteral("Note 3")) > 0);
        QTRY_VERIFY(idOfTitle(QStringLiteral("note"), QStringLiteral("Note 4")) > 0);
        const QJsonObject back =
            rows("/note/" + QByteArray::number(idOfTitle(QStringLiteral("note"), QStringLiteral("Note 3"))))
                .at(0)
                .toObject();
        QCOMPARE(back.value(u"done").toBool(), true);
        QCOMPARE(back.value(u"priority").toInt(), 30);
        QTRY_COMPARE(m->rowCount(), before + 2);
        // In their old order.
        QVERIFY(idOfTitle(QStringLiteral("note"), QStringLiteral("Note 3")) <
                idOfTitle(QStringLiteral("note"), QStringLiteral("Note 4")));
        QVERIFY(!undo->isEnabled());
        QVERIFY(page->messageBar()->text().contains(QStringLiteral("Restored")));
    }

    void exportWritesCurrentView()
    {
        Open o = open(QStringLiteral("post"), 5);
        DataPage *page = o.page.get();
        const QJsonObject filter{{QStringLiteral("kind"), QJsonObject{{QStringLiteral("_eq"), "news"}}}};
        page->filterBuilder()->setFields({{QStringLiteral("kind"), FilterField::Enum, {"news", "blog"}}});
        page->filterBuilder()->addCondition(QStringLiteral("kind"), QStringLiteral("_eq"),
                                            QStringLiteral("news"));
        page->filterBuilder()->apply();
        page->model()->setSort(QStringLiteral("-title"));
        QTRY_VERIFY(page->model()->hasLoaded() && !page->model()->isLoading());
        QCOMPARE(page->model()->filter(), filter);
        const QJsonArray expected =
            rows("/post?limit=0&sort=-title&fields=id,title,author.id,author.name&filter=" + encoded(filter));
        QVERIFY(expected.size() > 5);
        QVERIFY(page->model()->rowCount() < expected.size()); // more than is loaded

        page->exporter()->setPageSize(7); // several pages
        QSignalSpy finished(page->exporter(), &DataExporter::finished);
        const QString csvPath = m_bed.homePath(QStringLiteral("posts.csv"));
        page->exportTo(csvPath);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
        QCOMPARE(finished.at(0).at(1).toInt(), expected.size());
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(csv.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), expected.size() + 1);
        QCOMPARE(lines.first(),
                 QStringLiteral("id,title,slug,public,views,kind,meta,published,author,createdAt,updatedAt"));
        for (int i = 0; i < expected.size(); ++i) {
            const QJsonObject row = expected.at(i).toObject();
            const QStringList cells = lines.at(i + 1).split(u',');
            QCOMPARE(cells.at(0), QString::number(row.value(u"id").toInteger()));
            QCOMPARE(cells.at(1), row.value(u"title").toString());
            QCOMPARE(cells.at(5), QStringLiteral("news"));
            // Counted from the end: a JSON cell before it may hold quoted commas.
            QCOMPARE(cells.at(cells.size() - 3),
                     QString::number(row.value(u"author").toObject().value(u"id").toInteger()));
        }

        const QString jsonPath = m_bed.homePath(QStringLiteral("posts.json"));
        page->exportTo(jsonPath);
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY(finished.at(1).at(0).toBool());
        QFile file(jsonPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray written = QJsonDocument::fromJson(file.readAll()).array();
        QCOMPARE(written.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            const QJsonObject row = written.at(i).toObject();
            QCOMPARE(row.value(u"id"), expected.at(i).toObject().value(u"id"));
            QCOMPARE(row.value(u"kind").toString(), QStringLiteral("news"));
            QCOMPARE(row.value(u"author").toObject().value(u"name"),
                     expected.at(i).toObject().value(u"author").toObject().value(u"name"));
        }
        QCOMPARE(page->messageBar()->text(),
                 QStringLiteral("%1 rows written to posts.json").arg(expected.size()));

        // Export… asks for the file; the JSON filter picks the format by the name's suffix.
        page->findChild<QAction *>(QStringLiteral("exportRows"))->trigger();
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page->findChild<QFileDialog *>(QStringLiteral("exportDialog"))) &&
                    dialog->isVisible());
        const QString chosen = m_bed.homePath(QStringLiteral("chosen.json"));
        dialog->selectFile(chosen);
        static_cast<QDialog *>(dialog)->accept(); // as the Save button does
        QTRY_COMPARE(finished.count(), 3);
        QVERIFY(finished.at(2).at(0).toBool());
        QFile chosenFile(chosen);
        QVERIFY(chosenFile.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(chosenFile.readAll()).array().size(), expected.size());

        // The CSV quoting, on its own.
        TableSchema schema;
        schema.fields = {DataField{.key = QStringLiteral("a")}};
        QCOMPARE(DataExporter::csv(schema, QJsonArray{QJsonObject{{"a", "x, \"y\""}}}),
                 QByteArray("a\r\n\"x, \"\"y\"\"\"\r\n"));
    }
};

QTEST_MAIN(TestData)
#include "tst_data.moc"
