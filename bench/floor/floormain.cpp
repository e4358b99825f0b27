// hearth-bench-floor: the floors the benchmark compares Hearth against.
//
//   hearth-bench-floor minimal --listen 127.0.0.1:PORT [--workers N]
//       Plain Qt, no Hearth code: one QTcpServer accepting on the main thread
//       and handing sockets round-robin to N worker threads (the same thread
//       model as Hearth's HttpServer), each answering every request with a
//       fixed tiny JSON on a keep-alive connection. It parses only enough to
//       find where a request ends (blank line, Content-Length).
//   hearth-bench-floor tiny --listen … [--workers N]
//       Hearth's own HttpServer with an IRequestHandler that answers the same
//       tiny JSON: the HTTP layer against the minimal responder.
//   hearth-bench-floor sqlite --listen … --data DIR [--workers N]
//       Hearth's HttpServer with a handler running raw sqlite3 prepared
//       statements (prepared once per worker) on DIR/data.db and writing the
//       rows straight to JSON in Hearth's envelope: the floor for lists.
//
// All modes print "listening on PORT" on stdout once ready (useful with
// port 0) and stop cleanly on SIGINT/SIGTERM.

#include "floorsqlite.h"
#include "floortiny.h"

#include "http/httpserver.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QSemaphore>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>
#include <vector>

namespace {

// ---------------------------------------------------------------- signals

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

void quitOnSignals()
{
    if (::pipe(g_signalPipe) != 0)
        return;
    ::fcntl(g_signalPipe[1], F_SETFL, O_NONBLOCK);
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, qApp);
    QObject::connect(notifier, &QSocketNotifier::activated, qApp, [] { QCoreApplication::quit(); });
    struct sigaction action = {};
    action.sa_handler = &onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

// ---------------------------------------------------------------- minimal

// One keep-alive connection: finds request ends, answers each with the fixed reply.
class MinimalConnection : public QObject
{
public:
    MinimalConnection(qintptr descriptor, QObject *parent) : QObject(parent)
    {
        m_socket = new QTcpSocket(this);
        if (!m_socket->setSocketDescriptor(descriptor)) {
            ::close(int(descriptor));
            deleteLater();
            return;
        }
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { deleteLater(); });
        if (m_socket->bytesAvailable() > 0)
            onReadyRead();
    }

private:
    void onReadyRead()
    {
        m_in += m_socket->readAll();
        qsizetype pos = 0;
        QByteArray out;
        for (;;) {
            if (m_bodyLeft > 0) { // skip a request body
                const qsizetype take = qMin<qsizetype>(m_bodyLeft, m_in.size() - pos);
                pos += take;
                m_bodyLeft -= take;
                if (m_bodyLeft > 0)
                    break;
                out += floorTinyResponse();
                continue;
            }
            const qsizetype end = m_in.indexOf("\r\n\r\n", pos);
            if (end < 0)
                break;
            const QByteArrayView head(m_in.constData() + pos, end - pos);
            pos = end + 4;
            m_bodyLeft = contentLength(head);
            if (m_bodyLeft == 0)
                out += floorTinyResponse();
        }
        m_in.remove(0, pos);
        if (!out.isEmpty())
            m_socket->write(out);
    }

    static qsizetype contentLength(QByteArrayView head)
    {
        static constexpr char kName[] = "\r\ncontent-length:";
        const qsizetype n = qsizetype(sizeof kName - 1);
        for (qsizetype i = 0; i + n <= head.size(); ++i) {
            if (head[i] != '\r' || qstrnicmp(head.data() + i, kName, n) != 0)
                continue;
            qsizetype j = i + n;
            while (j < head.size() && head[j] == ' ')
                ++j;
            qsizetype value = 0;
            while (j < head.size() && head[j] >= '0' && head[j] <= '9')
                value = value * 10 + (head[j++] - '0');
            return value;
        }
        return 0;
    }

    QTcpSocket *m_socket = nullptr;
    QByteArray m_in;
    qsizetype m_bodyLeft = 0;
};

class MinimalWorker : public QThread
{
public:
    void run() override
    {
        m_context = new QObject;
        m_started.release();
        exec();
        delete m_context; // and the open connections with it
    }
    void startAndWait()
    {
        start();
        m_started.acquire();
    }
    void add(qintptr descriptor)
    {
        QObject *context = m_context;
        QMetaObject::invokeMethod(
            context, [descriptor, context] { new MinimalConnection(descriptor, context); },
            Qt::QueuedConnection);
    }

private:
    QObject *m_context = nullptr;
    QSemaphore m_started;
};

class MinimalServer : public QTcpServer
{
public:
    explicit MinimalServer(int workers)
    {
        for (int i = 0; i < workers; ++i) {
            m_workers.push_back(std::make_unique<MinimalWorker>());
            m_workers.back()->startAndWait();
        }
    }
    ~MinimalServer() override
    {
        close();
        for (auto &worker : m_workers) {
            worker->quit();
            worker->wait();
        }
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        m_workers[m_next]->add(descriptor);
        m_next = (m_next + 1) % m_workers.size();
    }

private:
    std::vector<std::unique_ptr<MinimalWorker>> m_workers;
    std::size_t m_next = 0;
};

// ---------------------------------------------------------------- command line

struct Options
{
    QString mode;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;
    int workers = 0;
    QString dataDir;
};

[[noreturn]] void usage(const char *message)
{
    std::fprintf(stderr,
                 "hearth-bench-floor: %s\n"
                 "usage: hearth-bench-floor minimal|tiny|sqlite --listen ADDR:PORT [--workers N] "
                 "[--data DIR]\n",
                 message);
    std::exit(2);
}

Options parse(const QStringList &args)
{
    Options o;
    if (args.size() < 2)
        usage("missing mode");
    o.mode = args[1];
    if (o.mode != u"minimal" && o.mode != u"tiny" && o.mode != u"sqlite")
        usage("unknown mode");
    for (qsizetype i = 2; i < args.size(); ++i) {
        const QString &a = args[i];
        if (i + 1 >= args.size())
            usage("option without value");
        const QString v = args[++i];
        if (a == u"--listen") {
            const qsizetype colon = v.lastIndexOf(u':');
            bool ok = false;
            const uint port = v.mid(colon + 1).toUInt(&ok);
            if (colon <= 0 || !ok || port > 65535 || !o.address.setAddress(v.left(colon)))
                usage("--listen needs ADDR:PORT");
            o.port = quint16(port);
        } else if (a == u"--workers") {
            o.workers = v.toInt();
            if (o.workers < 1 || o.workers > 256)
                usage("--workers needs 1..256");
        } else if (a == u"--data") {
            o.dataDir = v;
        } else {
            usage("unknown option");
        }
    }
    if (o.mode == u"sqlite" && o.dataDir.isEmpty())
        usage("sqlite needs --data DIR");
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // As `hearth serve --log-level warning`: per-request info lines off.
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.info=false\n"));
    const Options o = parse(QCoreApplication::arguments());
    const int workers = o.workers > 0 ? o.workers : qMax(2, QThread::idealThreadCount());
    quitOnSignals();

    quint16 port = 0;
    std::unique_ptr<MinimalServer> minimal;
    std::unique_ptr<Hearth::HttpServer> hearth;
    if (o.mode == u"minimal") {
        minimal = std::make_unique<MinimalServer>(workers);
        minimal->setListenBacklogSize(1024);
        if (!minimal->listen(o.address, o.port)) {
            std::fprintf(stderr, "hearth-bench-floor: cannot listen: %s\n", qPrintable(minimal->errorString()));
            return 1;
        }
        port = minimal->serverPort();
    } else {
        Hearth::HttpServerConfig config;
        config.address = o.address;
        config.port = o.port;
        config.workerCount = workers;
        std::shared_ptr<Hearth::IRequestHandlerFactory> factory;
        if (o.mode == u"tiny")
            factory = std::make_shared<FloorTinyHandlerFactory>();
        else
            factory = std::make_shared<FloorSqliteHandlerFactory>(o.dataDir + QStringLiteral("/data.db"));
        hearth = std::make_unique<Hearth::HttpServer>(config, factory);
        QString error;
        if (!hearth->start(&error)) {
            std::fprintf(stderr, "hearth-bench-floor: %s\n", qPrintable(error));
            return 1;
        }
        port = hearth->port();
    }
    std::printf("listening on %u\n", unsigned(port));
    std::fflush(stdout);
    const int code = QCoreApplication::exec();
    if (hearth)
        hearth->stop();
    minimal.reset();
    return code;
}
