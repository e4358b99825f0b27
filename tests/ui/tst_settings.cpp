// The Settings page against a real in-process server, offscreen: a server
// setting is chosen in the list, changed in place and stored with its JSON
// type; bad values are refused in plain words (by the page or by the server)
// and nothing changes; read-only settings cannot be edited.
#include "consoletestbed.h"

#include "pages/settingspage.h"
#include "widgets/messagebar.h"

#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

using namespace Hearth;

class TestSettingsPage : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;
    std::unique_ptr<SettingsPage> m_page;

    QJsonValue storedValue(const QString &key) const
    {
        const QByteArray filter = QUrl::toPercentEncoding(
            QString::fromUtf8(QJsonDocument(QJsonObject{{"key", key}}).toJson(QJsonDocument::Compact)));
        const HttpReply r = m_bed.admin().get("/hearth_setting?fields=value&filter=" + filter);
        return r.data().isEmpty() ? QJsonValue::Undefined : r.data().first().toObject().value(u"value");
    }

    bool select(const QString &key)
    {
        auto *model = m_page->serverSettingsView()->model();
        for (int i = 0; i < model->rowCount(); ++i)
            if (model->index(i, 0).data().toString() == key) {
                m_page->serverSettingsView()->selectRow(i);
                return true;
            }
        return false;
    }

    void type(const QString &text)
    {
        QLineEdit *edit = m_page->valueEdit();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_bed.startSignedIn());
        m_page = std::make_unique<SettingsPage>();
        m_page->setClient(m_bed.client());
        m_page->show();
        m_page->activate();
        QTRY_VERIFY(m_page->serverSettingsView()->model()->rowCount() > 5);
    }

    void cleanupTestCase()
    {
        m_page.reset();
        m_bed.stop();
    }

    void numberIsChangedInPlace()
    {
        QVERIFY(select(QStringLiteral("defaultQueryLimit")));
        QCOMPARE(m_page->valueEdit()->text(), QStringLiteral("10"));
        QVERIFY(m_page->unsavedChanges().isEmpty());
        type(QStringLiteral("25"));
        QCOMPARE(m_page->unsavedChanges(), QStringList{QStringLiteral("setting “defaultQueryLimit”")});
        QTest::keyClick(m_page->valueEdit(), Qt::Key_Return);
        QTRY_COMPARE(storedValue(QStringLiteral("defaultQueryLimit")), QJsonValue(25));
        QTRY_COMPARE(m_page->messageBar()->text(), QStringLiteral("Saved defaultQueryLimit."));
        QTRY_VERIFY(m_page->unsavedChanges().isEmpty());
        // The list shows the new value and keeps the setting chosen.
        QTRY_COMPARE(m_page->valueEdit()->text(), QStringLiteral("25"));
    }

    void durationStaysText()
    {
        QVERIFY(select(QStringLiteral("accessTokenTtl")));
        type(QStringLiteral("1h"));
        QTest::mouseClick(m_page->findChild<QPushButton *>(QStringLiteral("saveSettingButton")),
                          Qt::LeftButton);
        QTRY_COMPARE(storedValue(QStringLiteral("accessTokenTtl")), QJsonValue(QStringLiteral("1h")));
    }

    void badValuesAreRefusedInPlainWords()
    {
        // Not a number: the page says so and sends nothing.
        QVERIFY(select(QStringLiteral("defaultQueryLimit")));
        type(QStringLiteral("lots"));
        m_page->save();
        QCOMPARE(m_page->messageBar()->kind(), MessageBar::Error);
        QCOMPARE(m_page->messageBar()->text(),
                 QStringLiteral("defaultQueryLimit: a number is expected, not “lots”"));
        QCOMPARE(storedValue(QStringLiteral("defaultQueryLimit")), QJsonValue(25));

        // Out of range: the server's words.
        QVERIFY(select(QStringLiteral("bcryptCost")));
        type(QStringLiteral("99"));
        m_page->save();
        QTRY_COMPARE(
            m_page->messageBar()->text(),
            QStringLiteral("Could not save bcryptCost: bcryptCost must be a whole number from 4 to 15"));
        QCOMPARE(storedValue(QStringLiteral("bcryptCost")), QJsonValue(10));
    }

    void readOnlySettingCannotBeEdited()
    {
        QVERIFY(select(QStringLiteral("schemaRevision")));
        QVERIFY(!m_page->valueEdit()->isEnabled());
        QVERIFY(
            m_page->findChild<QLabel *>(QStringLiteral("settingDescription"))->text().contains(u"read-only"));
    }
};

QTEST_MAIN(TestSettingsPage)
#include "tst_settings.moc"
