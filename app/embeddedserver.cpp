#include "embeddedserver.h"

#include "api/apirequesthandler.h"
#include "auth/secretkey.h"
#include "engine/engine.h"
#include "http/httpserver.h"
#include "secrets/secretstore.h"
#include "shell/lanaddresses.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QScopeGuard>

namespace Hearth {

Q_LOGGING_CATEGORY(lcEmbedded, "hearth.console")

namespace {

// 24 characters from 56 unambiguous ones: about 139 bits.
QString strongPassword()
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    constexpr int size = sizeof(alphabet) - 1;
    QString password;
    for (int i = 0; i < 24; ++i)
        password += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(size)]);
    return password;
}

QString randomKeyHex()
{
    QByteArray bytes(SecretKey::MinBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toHex());
}

// The hex key of an existing secret.key, or empty.
QString keyFileHex(const QString &dataDir)
{
    QFile file(QDir(dataDir).filePath(QLatin1StringView(SecretKey::FileName)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = file.read(4096).trimmed();
    if (text.size() < SecretKey::MinBytes * 2 || QByteArray::fromHex(text).toHex() != text.toLower())
        return {};
    return QString::fromLatin1(text);
}

bool isAny(const QHostAddress &address)
{
    return address == QHostAddress::Any || address == QHostAddress::AnyIPv4 ||
           address == QHostAddress::AnyIPv6;
}

} // namespace

EmbeddedServer::EmbeddedServer(const QString &dataDir, const HttpServerConfig &config, SecretStore *secrets,
                               QObject *parent)
    : ServerControl(parent), m_dataDir(QDir(dataDir).absolutePath()), m_config(config), m_secrets(secrets),
      m_context(new QObject), m_lan(!config.address.isLoopback())
{
    m_thread.setObjectName(QStringLiteral("hearth-console-server"));
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

EmbeddedServer::~EmbeddedServer()
{
    shutdown();
}

QString EmbeddedServer::credentialsKey() const
{
    return QStringLiteral("console-admin:") + m_dataDir;
}

QString EmbeddedServer::signingKeyKey() const
{
    return QStringLiteral("signing-key:") + m_dataDir;
}

HttpServerConfig EmbeddedServer::currentConfig() const
{
    HttpServerConfig config = m_config;
    if (!m_lan)
        config.address = QHostAddress::LocalHost;
    else if (config.address.isLoopback())
        config.address = QHostAddress::AnyIPv4;
    return config;
}

void EmbeddedServer::setState(State state, const QString &error)
{
    m_state = state;
    m_error = error;
    emit stateChanged(state);
}

void EmbeddedServer::start()
{
    if (m_state == State::Starting || m_state == State::Running || m_state == State::Stopping)
        return;
    setState(State::Starting);
    if (!m_secretsReady)
        prepareSecrets();
    else
        launch();
}

void EmbeddedServer::prepareSecrets()
{
    if (m_preparing)
        return;
    m_preparing = true;
    auto ready = [this] {
        m_preparing = false;
        m_secretsReady = true;
        launch();
    };
    m_secrets->read(
        credentialsKey(),
        [this, ready](bool found, const QString &value) {
            if (found) {
                const QJsonObject saved = QJsonDocument::fromJson(value.toUtf8()).object();
                m_credentials = {saved.value(u"email").toString(), saved.value(u"password").toString()};
            }
            if (!qEnvironmentVariableIsEmpty(SecretKey::EnvironmentVariable)) {
                ready(); // the user's own key wins
                return;
            }
            m_secrets->read(
                signingKeyKey(),
                [this, ready](bool found, const QString &value) {
                    if (m_secrets->usingFallback()) {
                        ready(); // no keychain: the engine keeps the data folder's 0600 secret.key
                        return;
                    }
                    if (found && value.size() >= SecretKey::MinBytes) {
                        m_signingKey = value;
                        ready();
                        return;
                    }
                    // The keychain answers but has no key for this folder: take the file's over, or make one.
                    QString key = keyFileHex(m_dataDir);
                    if (key.isEmpty())
                        key = randomKeyHex();
                    m_secrets->write(
                        signingKeyKey(), key,
                        [this, key, ready](bool ok, const QString &) {
                            if (ok && !m_secrets->usingFallback())
                                m_signingKey = key;
                            else if (m_secrets->usingFallback())
                                m_secrets->remove(signingKeyKey()); // the fallback for the key is secret.key
                            ready();
                        },
                        this);
                },
                this);
        },
        this);
}

void EmbeddedServer::launch()
{
    const HttpServerConfig config = currentConfig();
    const bool newProject = !QFile::exists(QDir(m_dataDir).filePath(QStringLiteral("data.db")));
    QString password = qEnvironmentVariable("HEARTH_ADMIN_PASSWORD");
    if (password.isEmpty() && newProject)
        password = strongPassword();
    const QString email = qEnvironmentVariable("HEARTH_ADMIN_EMAIL");
    const QString key = m_signingKey;
    const QString dataDir = m_dataDir;
    QMetaObject::invokeMethod(
        m_context,
        [this, config, password, email, key, dataDir, newProject] {
            Launch result;
            std::lock_guard lock(m_serverMutex);
            try {
                if (!m_engine) {
                    EngineConfig engineConfig;
                    engineConfig.dataDir = dataDir;
                    engineConfig.adminEmail = email;
                    engineConfig.adminPassword = password;
                    if (!key.isEmpty())
                        qputenv(SecretKey::EnvironmentVariable, key.toLatin1());
                    // Read once by open(): no need to leave the key in the environment.
                    const auto unset = qScopeGuard([&] {
                        if (!key.isEmpty())
                            qunsetenv(SecretKey::EnvironmentVariable);
                    });
                    auto engine = std::make_unique<Engine>(engineConfig);
                    engine->open();
                    result.adminEmail = engine->adminEmail();
                    if (!engine->generatedAdminPassword().isEmpty())
                        result.adminPassword = engine->generatedAdminPassword();
                    else if (newProject)
                        result.adminPassword = password;
                    m_engine = std::move(engine);
                }
                m_server = std::make_unique<HttpServer>(
                    config, std::make_shared<ApiRequestHandlerFactory>(*m_engine));
                // Workers and connections for /admin/runtime (the console's Server view).
                m_engine->setServerStatsProvider(
                    [server = m_server.get()] { return server->stats().toJson(); });
                QString error;
                if (m_server->start(&error)) {
                    result.address = m_server->address();
                    result.port = m_server->port();
                } else {
                    m_engine->setServerStatsProvider({});
                    m_server.reset();
                    result.error = error;
                }
            } catch (const std::exception &e) {
                result.error =
                    tr("cannot open the data folder %1: %2").arg(dataDir, QString::fromLocal8Bit(e.what()));
            }
            QMetaObject::invokeMethod(
                this, [this, result] { launched(result); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void EmbeddedServer::launched(const Launch &result)
{
    if (!result.error.isEmpty()) {
        qCWarning(lcEmbedded).noquote() << "the embedded server could not start:" << result.error;
        m_urls.clear();
        setState(State::Failed, result.error);
        return;
    }
    if (!result.adminPassword.isEmpty())
        rememberCredentials({result.adminEmail, result.adminPassword});
    else if (m_credentials.email.isEmpty())
        m_credentials.email = result.adminEmail;

    const QHostAddress local = result.address == QHostAddress::AnyIPv6
                                   ? QHostAddress(QHostAddress::LocalHostIPv6)
                                   : QHostAddress(QHostAddress::LocalHost);
    m_consoleUrl = httpUrl(isAny(result.address) ? local : result.address, result.port);
    m_urls = {m_consoleUrl};
    if (isAny(result.address))
        for (const QHostAddress &address : lanAddresses(result.address != QHostAddress::AnyIPv4))
            m_urls.append(httpUrl(address, result.port));
    m_lastTotal = 0;
    qCInfo(lcEmbedded).noquote() << "serving" << m_consoleUrl.toString() << "with data in" << m_dataDir;
    setState(State::Running);
}

void EmbeddedServer::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            {
                std::lock_guard lock(m_serverMutex);
                if (m_server) {
                    m_server->stop(); // lets requests in flight finish
                    m_engine->setServerStatsProvider({});
                    m_server.reset();
                }
            }
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_urls.clear();
                    setState(State::Stopped);
                    if (m_restartPending) {
                        m_restartPending = false;
                        start();
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void EmbeddedServer::restart()
{
    if (m_state == State::Running) {
        m_restartPending = true;
        stop();
    } else if (m_state == State::Stopped || m_state == State::Failed) {
        start();
    } else if (m_state == State::Stopping) {
        m_restartPending = true;
    }
}

void EmbeddedServer::setServeLan(bool lan)
{
    if (lan == m_lan)
        return;
    m_lan = lan;
    if (m_state == State::Running || m_state == State::Stopping)
        restart();
    else
        emit stateChanged(m_state); // the switch changed: let the UI show it
}

qint64 EmbeddedServer::totalRequests() const
{
    std::unique_lock lock(m_serverMutex, std::try_to_lock);
    if (!lock.owns_lock())
        return m_lastTotal; // the control thread is starting or stopping the server
    m_lastTotal = m_server ? m_server->stats().totalRequests : -1;
    return m_lastTotal;
}

void EmbeddedServer::rememberCredentials(const Credentials &credentials)
{
    m_credentials = credentials;
    const QJsonObject saved{{QStringLiteral("email"), credentials.email},
                            {QStringLiteral("password"), credentials.password}};
    m_secrets->write(credentialsKey(), QString::fromUtf8(QJsonDocument(saved).toJson(QJsonDocument::Compact)),
                     [](bool ok, const QString &error) {
                         if (!ok)
                             qCWarning(lcEmbedded).noquote()
                                 << "cannot keep the console's credentials:" << error;
                     });
}

void EmbeddedServer::shutdown()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            std::lock_guard lock(m_serverMutex);
            if (m_server) {
                m_server->stop();
                m_engine->setServerStatsProvider({});
                m_server.reset();
            }
            m_engine.reset(); // closes the database (checkpoints the WAL)
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_context;
    m_context = nullptr;
    m_urls.clear();
    m_state = State::Stopped;
}

} // namespace Hearth
