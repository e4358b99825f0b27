// What every console test needs: a throwaway home (settings and fallback
// secrets never touch the user's), a real in-process Hearth server, a root
// admin HTTP client for checking what the UI did through the API, and
// ApiClients signed in the way the console signs in.
#pragma once

#include "hearthtestserver.h"

#include "client/apiclient.h"
#include "widgets/jsontablemodel.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <optional>

namespace Hearth {

class ConsoleTestBed
{
public:
    // Call from initTestCase(); false (with a warning) when the server did not start.
    bool start()
    {
        if (!m_home.isValid())
            return false;
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
        QStandardPaths::setTestModeEnabled(true);
        m_server = std::make_unique<HearthTestServer>();
        if (!m_server->start())
            return false;
        m_admin = m_server->adminClient();
        return true;
    }

    // start(), and a console client signed in as the root admin that the bed keeps (client()).
    bool startSignedIn()
    {
        if (!start())
            return false;
        m_client = signedInClient();
        return m_client->isSignedIn();
    }
    ApiClient *client() const { return m_client.get(); }

    // Call from cleanupTestCase().
    void stop()
    {
        m_client.reset();
        m_admin.reset();
        m_server.reset();
    }

    HearthTestServer &server() const { return *m_server; }
    // Root admin over plain HTTP: the API's view of what the UI did.
    TestHttpClient &admin() const { return *m_admin; }
    QString homePath(const QString &relative) const { return m_home.filePath(relative); }
    QUrl serverUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port())); }

    // A console client signed in as the root admin (null answer → a warning, not signed in).
    std::unique_ptr<ApiClient> signedInClient() const
    {
        return signedInClient(HearthTestServer::adminEmail(), HearthTestServer::adminPassword());
    }

    std::unique_ptr<ApiClient> signedInClient(const QString &email, const QString &password) const
    {
        auto client = std::make_unique<ApiClient>(serverUrl());
        std::optional<ApiResult> answer;
        client->signIn(email, password, [&](const ApiResult &r) { answer = r; });
        (void)QTest::qWaitFor([&] { return answer.has_value(); }, 10'000);
        if (!answer || !answer->ok())
            qWarning("sign-in failed: %s", answer ? qPrintable(answer->failure().message) : "no answer");
        return client;
    }

    // Sets a hearth_setting by key (e.g. accessTokenTtl) as the root admin.
    bool setSetting(const QString &key, const QJsonValue &value) const
    {
        return m_server->setSetting(key, value);
    }

    // Whether some row of the model has row[key] == value (as text).
    static bool modelHas(const JsonTableModel *model, const QString &key, const QString &value)
    {
        for (int i = 0; i < model->rowCount(); ++i)
            if (model->row(i).value(key).toVariant().toString() == value)
                return true;
        return false;
    }

    // The text of the QLabel named objectName under root, or "<no name>".
    static QString labelText(QWidget *root, const char *objectName)
    {
        auto *label = root->findChild<QLabel *>(QLatin1StringView(objectName));
        return label ? label->text() : QStringLiteral("<no %1>").arg(QLatin1StringView(objectName));
    }

private:
    QTemporaryDir m_home;
    std::unique_ptr<HearthTestServer> m_server;
    std::unique_ptr<TestHttpClient> m_admin;
    std::unique_ptr<ApiClient> m_client;
};

} // namespace Hearth
