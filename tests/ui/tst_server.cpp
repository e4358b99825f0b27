// The Server view against a real in-process server, offscreen: the recent
// requests made over HTTP show newest first (each once, status colored), the
// filter and the pause work, the console's own polls stay out unless asked
// for, the requests chart gets the last minute's points, and the workers and
// connections figures show what /admin/runtime says.
#include "consoletestbed.h"

#include "pages/server/requestlogmodel.h"
#include "pages/server/requestlogpanel.h"
#include "pages/server/runtimepanel.h"
#include "pages/serverpage.h"
#include "shell/theme.h"
#include "widgets/figurecard.h"
#include "widgets/livechart.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

using namespace Hearth;

class TestServer : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;

    std::unique_ptr<ServerPage> openPage() const
    {
        auto page = std::make_unique<ServerPage>();
        page->setClient(m_bed.client());
        page->resize(1100, 850);
        page->show();
        page->activate();
        return page;
    }

    static int rowsWithPath(const RequestLogModel *model, const QString &path)
    {
        int n = 0;
        for (int i = 0; i < model->rowCount(); ++i)
            n += model->row(i).value("path").toString() == path ? 1 : 0;
        return n;
    }

    static int rowOfPath(const RequestLogModel *model, const QString &path)
    {
        for (int i = 0; i < model->rowCount(); ++i)
            if (model->row(i).value("path").toString() == path)
                return i;
        return -1;
    }

private slots:
    void initTestCase() { QVERIFY(m_bed.startSignedIn()); }

    void cleanupTestCase() { m_bed.stop(); }

    void requestLogShowsRequestsMadeOverHttp()
    {
        auto page = openPage();
        RequestLogModel *model = page->requestLog()->model();
        QTRY_VERIFY(page->requestLog()->findChild<QLabel *>("requestLogNote")->text().contains("live"));
        QCOMPARE(m_bed.admin().get("/hearth_role?limit=1").status, 200);
        QCOMPARE(m_bed.admin().get("/log_probe_missing").status, 404);
        QTRY_VERIFY(rowOfPath(model, "/log_probe_missing") >= 0);
        QTRY_VERIFY(rowOfPath(model, "/hearth_role") >= 0);

        // Newest first, each once however many polls went by.
        QVERIFY(rowOfPath(model, "/log_probe_missing") < rowOfPath(model, "/hearth_role"));
        QTest::qWait(2200);
        QCOMPARE(rowsWithPath(model, "/log_probe_missing"), 1);
        const int row = rowOfPath(model, "/log_probe_missing");
        QCOMPARE(model->index(row, RequestLogModel::MethodColumn).data().toString(), QStringLiteral("GET"));
        QCOMPARE(model->index(row, RequestLogModel::StatusColumn).data().toInt(), 404);
        QCOMPARE(model->index(row, RequestLogModel::UserColumn).data().toString(),
                 HearthTestServer::adminEmail());
        QVERIFY(!model->index(row, RequestLogModel::TimeColumn).data().toString().isEmpty());
        // 4xx in the warning color, 2xx plain.
        QCOMPARE(model->index(row, RequestLogModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>(),
                 Theme::warning());
        QVERIFY(!model->index(rowOfPath(model, "/hearth_role"), RequestLogModel::StatusColumn)
                     .data(Qt::ForegroundRole)
                     .isValid());

        // The console's own polling only on demand.
        QVERIFY(rowOfPath(model, "/admin/runtime") < 0);
        QVERIFY(rowOfPath(model, "/admin/requests") < 0);
        page->requestLog()->findChild<QCheckBox *>("showConsolePolls")->setChecked(true);
        QTRY_VERIFY(rowOfPath(model, "/admin/runtime") >= 0);
        QVERIFY(rowOfPath(model, "/log_probe_missing") >= 0); // the list was read again, all of it
    }

    void filterNarrowsTheLog()
    {
        QCOMPARE(m_bed.admin().get("/filter_probe_one").status, 404);
        QCOMPARE(m_bed.admin().get("/hearth_role?limit=1").status, 200);
        auto page = openPage();
        RequestLogModel *model = page->requestLog()->model();
        QTRY_VERIFY(rowOfPath(model, "/hearth_role") >= 0);
        QVERIFY(rowOfPath(model, "/filter_probe_one") >= 0);

        page->focusFilter(); // Ctrl+F
        QLineEdit *filter = page->requestLog()->filterEdit();
        QVERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("filter_probe"));
        QTRY_VERIFY(rowOfPath(model, "/hearth_role") < 0);
        QTRY_COMPARE(model->rowCount(), 1);
        QCOMPARE(model->row(0).value("path").toString(), QStringLiteral("/filter_probe_one"));
        // New matching requests come in; others stay out.
        QCOMPARE(m_bed.admin().get("/filter_probe_two").status, 404);
        QCOMPARE(m_bed.admin().get("/hearth_role?limit=2").status, 200);
        QTRY_VERIFY(rowOfPath(model, "/filter_probe_two") == 0);
        QTest::qWait(1200);
        QCOMPARE(model->rowCount(), 2);

        // A status matches too.
        filter->clear();
        QTest::keyClicks(filter, QStringLiteral("404"));
        QTRY_VERIFY(rowOfPath(model, "/hearth_role") < 0 && model->rowCount() >= 2);
        for (int i = 0; i < model->rowCount(); ++i)
            QCOMPARE(model->row(i).value("status").toInt(), 404);
    }

    void pauseHoldsTheLog()
    {
        auto page = openPage();
        RequestLogModel *model = page->requestLog()->model();
        QTRY_VERIFY(model->rowCount() > 0);
        auto *pause = page->requestLog()->findChild<QToolButton *>("pauseLog");
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(page->requestLog()->isPaused());
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        QTest::qWait(300); // an answer in flight may still land
        QCOMPARE(m_bed.admin().get("/paused_probe").status, 404);
        QTest::qWait(2200);
        QVERIFY(rowOfPath(model, "/paused_probe") < 0);
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(!page->requestLog()->isPaused());
        QTRY_VERIFY(rowOfPath(model, "/paused_probe") >= 0);
    }

    void newRowsKeepTheReadersPlace()
    {
        RequestLogPanel panel;
        panel.resize(800, 300);
        panel.show();
        auto rows = [](int from, int to) {
            QJsonArray out; // newest first
            for (int id = to; id >= from; --id)
                out.append(QJsonObject{{"id", id},
                                       {"time", "2026-01-01T10:00:00.000Z"},
                                       {"method", "GET"},
                                       {"path", QStringLiteral("/r%1").arg(id)},
                                       {"status", id % 7 ? 200 : 503},
                                       {"ms", 1.5},
                                       {"user", QJsonValue::Null}});
            return out;
        };
        panel.model()->prepend(rows(1, 100));
        QTableView *view = panel.view();
        QCOMPARE(panel.model()->row(0).value("path").toString(), QStringLiteral("/r100"));
        // 5xx in the error color.
        QCOMPARE(
            panel.model()->index(2, RequestLogModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>(),
            Theme::negative());
        QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() / 2);
        const QString reading = panel.model()->row(view->rowAt(0)).value("path").toString();
        panel.model()->prepend(rows(101, 105));
        QCOMPARE(panel.model()->rowCount(), 105);
        QCOMPARE(panel.model()->row(view->rowAt(0)).value("path").toString(), reading);
        // At the top, new rows show.
        view->verticalScrollBar()->setValue(0);
        panel.model()->prepend(rows(106, 106));
        QCOMPARE(panel.model()->row(view->rowAt(0)).value("path").toString(), QStringLiteral("/r106"));
        // The oldest fall off past the capacity.
        panel.model()->setCapacity(50);
        panel.model()->prepend(rows(107, 110));
        QCOMPARE(panel.model()->rowCount(), 50);
        QCOMPARE(panel.model()->row(49).value("path").toString(), QStringLiteral("/r61"));
    }

    void requestsChartAndFigures()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(m_bed.admin().get("/hearth_role?limit=1").status, 200);
        QSignalSpy busy(m_bed.client(), &ApiClient::busyChanged);
        auto page = openPage();
        RuntimePanel *runtime = page->runtimePanel();
        LiveChart *chart = runtime->chart();
        // The last minute, one point a second (the second still filling left out).
        QTRY_VERIFY(chart->sampleCount(runtime->requestsLine()) >= 55);
        // Requests of the second still filling show on a later poll.
        QTRY_VERIFY(chart->maxValue(runtime->requestsLine()) >= 1);
        QVERIFY(chart->sampleCount(runtime->p50Line()) >= 1);
        QVERIFY(chart->maxValue(runtime->p99Line()) > 0);
        QVERIFY(chart->maxValue(runtime->p99Line()) >= chart->maxValue(runtime->p50Line()));

        // The figures are /admin/runtime's.
        const QJsonObject figures = m_bed.admin().get("/admin/runtime").data().at(0).toObject();
        auto card = [&](const char *name) {
            return page->findChild<FigureCard *>(QLatin1StringView(name));
        };
        QVERIFY(card("workersCard"));
        QTRY_COMPARE(card("workersCard")->value(), QString::number(figures.value("workers").toInt()));
        QVERIFY(card("workersCard")->note().startsWith("connections each: "));
        QCOMPARE(card("workersCard")->note().count(u',') + 1, figures.value("workers").toInt());
        QVERIFY(card("connectionsCard")->value().toInt() >= 1); // at least the console's own
        QVERIFY(card("connectionsCard")->note().contains("since start"));
        QVERIFY(card("totalRequestsCard")->value().remove(QRegularExpression("[^0-9]")).toInt() >= 5);
        QVERIFY(card("memoryCard")->value().contains("MB"));
        QVERIFY(card("latencyCard")->value().endsWith("ms"));
        QVERIFY(card("requestRateCard")->value() != QStringLiteral("—"));
        // Every figure in the table as well.
        auto *table = page->findChild<QTableView *>("runtimeTable");
        QVERIFY(table && table->model()->rowCount() > 8);

        // Polls every second in the background: the busy indicator only moved for the version.
        QTest::qWait(1500);
        int userCalls = 0;
        for (const QList<QVariant> &args : std::as_const(busy))
            userCalls += args.at(0).toInt() > 0 ? 1 : 0;
        QCOMPARE(userCalls, 1);

        // Hidden: no polls.
        page->deactivate();
        QTest::qWait(300);
        QCOMPARE(m_bed.admin().get("/hidden_probe").status, 404);
        QTest::qWait(1500);
        QVERIFY(rowOfPath(page->requestLog()->model(), "/hidden_probe") < 0);
    }
};

QTEST_MAIN(TestServer)
#include "tst_server.moc"
