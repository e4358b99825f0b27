// The server's settings through /hearth_setting: built-in ones take only the
// values they can use (a clear 400 otherwise, nothing stored), cannot be
// removed or renamed, the schema revision is read-only; a user's own settings
// take any JSON value.
#include "hearthtestserver.h"
#include "testchecks.h"

#include <QtTest>

using namespace Hearth;

class TestSettings : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;

    QByteArray idOf(const QString &key)
    {
        const QByteArray filter = QUrl::toPercentEncoding(
            QString::fromUtf8(QJsonDocument(QJsonObject{{"key", key}}).toJson(QJsonDocument::Compact)));
        const HttpReply found = m_admin->get("/hearth_setting?fields=id&filter=" + filter);
        return found.data().isEmpty()
                   ? QByteArray()
                   : QByteArray::number(found.data().first().toObject().value(u"id").toInteger());
    }

    QJsonValue valueOf(const QString &key)
    {
        return m_admin->get("/hearth_setting/" + idOf(key)).data().first().toObject().value(u"value");
    }

    HttpReply patchValue(const QString &key, const QJsonValue &value)
    {
        return m_admin->patch("/hearth_setting/" + idOf(key), QJsonObject{{"value", value}});
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<HearthTestServer>();
        QVERIFY(m_server->start());
        m_admin = m_server->adminClient();
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        m_server.reset();
    }

    void numbersKeepToTheirRange_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("good");
        QTest::addColumn<QJsonValue>("bad");
        QTest::addColumn<QString>("message");
        QTest::newRow("bcryptCost high") << "bcryptCost" << QJsonValue(11) << QJsonValue(99)
                                         << "bcryptCost must be a whole number from 4 to 15";
        QTest::newRow("bcryptCost text") << "bcryptCost" << QJsonValue(10) << QJsonValue("12")
                                         << "bcryptCost must be a whole number from 4 to 15";
        QTest::newRow("defaultQueryLimit fraction")
            << "defaultQueryLimit" << QJsonValue(25) << QJsonValue(2.5)
            << "defaultQueryLimit must be a whole number from 1 to 1000000";
        QTest::newRow("cacheLimitMb zero") << "cacheLimitMb" << QJsonValue(40) << QJsonValue(0)
                                           << "cacheLimitMb must be a number from 0.01 to 65536";
        QTest::newRow("accessTokenTtl word") << "accessTokenTtl" << QJsonValue("1h") << QJsonValue("banana")
                                             << "accessTokenTtl must be a duration such as \"30s\", \"15m\", "
                                                "\"1h\" or \"7d\"";
        QTest::newRow("loginFailureWindow zero")
            << "loginFailureWindow" << QJsonValue("20m") << QJsonValue("0s")
            << "loginFailureWindow must be a duration such as \"30s\", "
               "\"15m\", \"1h\" or \"7d\"";
    }

    void numbersKeepToTheirRange()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, good);
        QFETCH(QJsonValue, bad);
        QFETCH(QString, message);
        CHECK_STATUS(patchValue(key, good), 200);
        QCOMPARE(valueOf(key), good);
        const HttpReply refused = patchValue(key, bad);
        CHECK_ERROR(refused, 400, "VALIDATION_ERROR");
        QVERIFY2(refused.message() == message, qPrintable(refused.describe()));
        QCOMPARE(valueOf(key), good); // nothing stored
    }

    void builtInSettingsStay()
    {
        const QByteArray id = idOf(QStringLiteral("bcryptCost"));
        CHECK_FORBIDDEN(m_admin->del("/hearth_setting/" + id));
        CHECK_FORBIDDEN(m_admin->patch("/hearth_setting/" + id, QJsonObject{{"key", "cost"}}));
        CHECK_FORBIDDEN(patchValue(QStringLiteral("schemaRevision"), 42));
        QVERIFY(!idOf(QStringLiteral("bcryptCost")).isEmpty());
        // A built-in key cannot be made twice.
        CHECK_STATUS(m_admin->post("/hearth_setting", QJsonObject{{"key", "bcryptCost"}, {"value", 12}}),
                     409);
    }

    void ownSettingsTakeAnyValue()
    {
        const HttpReply created =
            m_admin->post("/hearth_setting",
                          QJsonObject{{"key", "shopName"}, {"value", QJsonObject{{"name", "Hearth Books"}}}});
        CHECK_STATUS(created, 201);
        CHECK_STATUS(patchValue(QStringLiteral("shopName"), "Hearth & Co"), 200);
        QCOMPARE(valueOf(QStringLiteral("shopName")), QJsonValue("Hearth & Co"));
        CHECK_STATUS(m_admin->patch("/hearth_setting/" + idOf(QStringLiteral("shopName")),
                                    QJsonObject{{"key", "storeName"}}),
                     200);
        CHECK_STATUS(m_admin->del("/hearth_setting/" + idOf(QStringLiteral("storeName"))), 200);
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
