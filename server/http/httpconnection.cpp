#include "http/httpconnection.h"

#include "http/httpascii.h"
#include "http/httpclock.h"
#include "http/httpcorrelationid.h"
#include "http/httpcors.h"
#include "http/httplogging.h"
#include "http/httpresponseencoder.h"
#include "http/httpsocketops.h"
#include "http/httpworker.h"

#include <QFile>
#include <QPointer>
#include <QTcpSocket>

namespace Hearth {

namespace {

constexpr qint64 kReadChunkBytes = 64 * 1024;
// Qt stops reading from the kernel beyond this, so a client pipelining while
// a request is in progress meets TCP backpressure instead of filling memory.
constexpr qint64 kSocketReadBufferBytes = 256 * 1024;
// Pipelined requests are not parsed while this much of the answers is unread.
constexpr qint64 kMaxPendingWriteBytes = 1 << 20;
// Larger bodies are handed to the socket as they are, not copied behind the head.
constexpr qsizetype kInlineBodyBytes = 64 * 1024;
constexpr qsizetype kMaxKeptOutCapacity = 256 * 1024;
// How long a closing connection waits for the client to finish sending.
constexpr int kLingerMs = 2000;

QByteArray orDash(const QByteArray &s)
{
    return s.isEmpty() ? QByteArrayLiteral("-") : s;
}

} // namespace

HttpConnection::HttpConnection(HttpWorker *worker) : m_worker(worker)
{
    const HttpServerConfig &config = worker->config();
    m_parser.setLimits(config.limits);
    m_parser.setUploadDirectory(config.uploadDirectory);
    m_parser.setKeepRawHead(worker->hasWebSocketGateways());
}

HttpConnection::~HttpConnection()
{
    removeUploadFile();
}

bool HttpConnection::start(qintptr descriptor)
{
    m_socket = new QTcpSocket(this);
    if (!m_socket->setSocketDescriptor(descriptor)) {
        closeSocketDescriptor(descriptor);
        return false;
    }
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(kSocketReadBufferBytes);
    m_peerAddress = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    setDeadline(Deadline::Idle, m_worker->config().limits.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        processInput();
    return true;
}

void HttpConnection::setDeadline(Deadline kind, int timeoutMs)
{
    m_deadlineKind = kind;
    m_deadline = kind == Deadline::None ? 0 : monotonicMs() + qMax(1, timeoutMs);
}

void HttpConnection::onReadyRead()
{
    switch (m_phase) {
    case Phase::Reading:
        processInput();
        break;
    case Phase::Closing:
        discardInput();
        break;
    case Phase::Dispatched: // the bytes wait in the socket for their turn
    case Phase::Closed:
        break;
    }
}

void HttpConnection::processInput()
{
    if (m_processing || m_phase != Phase::Reading)
        return;
    m_processing = true;
    const HttpLimits &limits = m_worker->config().limits;
    while (m_phase == Phase::Reading) {
        if (m_socket->bytesToWrite() > kMaxPendingWriteBytes) {
            m_writePaused = true; // the client is not reading its answers; resumed by onBytesWritten
            break;
        }
        if (m_inPos >= m_in.size() && !fillBuffer())
            break;
        const bool wasIdle = m_parser.isIdle();
        qsizetype used = 0;
        const HttpParser::Result result =
            m_parser.parse(m_in.constData() + m_inPos, m_in.size() - m_inPos, &used);
        m_inPos += used;
        switch (result) {
        case HttpParser::Result::NeedMore:
            if (m_parser.isReadingBody())
                setDeadline(Deadline::Body, limits.bodyTimeoutMs);
            else if (wasIdle && !m_parser.isIdle())
                setDeadline(Deadline::Header, limits.headerTimeoutMs);
            break;
        case HttpParser::Result::HeadComplete:
            setDeadline(Deadline::Body, limits.bodyTimeoutMs);
            if (m_parser.expectsContinue())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n", 25);
            break;
        case HttpParser::Result::RequestComplete:
            dispatch(m_parser.takeRequest());
            break;
        case HttpParser::Result::Error:
            failRequest(m_parser.errorStatus(), m_parser.errorMessage());
            break;
        }
    }
    m_processing = false;
    // Answers produced in this pass go out together, in one flush.
    if (m_socket && m_phase != Phase::Closed && m_socket->bytesToWrite() > 0)
        m_socket->flush();
}

bool HttpConnection::fillBuffer()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return false;
    const qint64 wanted = qMin(available, kReadChunkBytes);
    m_in.resize(qsizetype(wanted)); // keeps the capacity of earlier reads
    const qint64 got = m_socket->read(m_in.data(), wanted);
    m_in.resize(qsizetype(qMax<qint64>(got, 0)));
    m_inPos = 0;
    return got > 0;
}

void HttpConnection::dispatch(HttpRequest &&request)
{
    m_phase = Phase::Dispatched;
    setDeadline(Deadline::None, 0);
    if (m_worker->config().logRequests)
        m_requestTimer.start();
    request.correlationId = HttpCorrelationId::generate();
    request.peerAddress = m_peerAddress;
    request.peerPort = m_peerPort;

    m_exchange.method = request.isHead ? QByteArrayLiteral("HEAD") : request.method;
    m_exchange.path = request.path;
    m_exchange.correlationId = request.correlationId;
    m_exchange.bodyFilePath = request.bodyFilePath;
    m_exchange.keepAlive = request.keepAlive && !m_draining;
    m_exchange.http10 = request.httpMinor == 0;
    m_exchange.isHead = request.isHead;
    const QByteArray origin = request.header("origin");
    m_exchange.corsOrigin = origin.isEmpty() ? QByteArray() : m_worker->cors().allowOrigin(origin);
    m_worker->countRequest();

    if (HttpCors::isPreflight(request)) {
        HttpResponse preflight = m_worker->cors().preflightResponse(request);
        m_exchange.corsOrigin.clear(); // a preflight answer carries its own Access-Control-* headers
        if (preflight.status == 0)
            respondError(ApiError(403, "FORBIDDEN", QStringLiteral("Origin not allowed")));
        else
            complete(std::move(preflight));
        return;
    }
    if (HttpAscii::listContainsToken(request.header("upgrade"), "websocket")) {
        handleUpgrade(request);
        return;
    }
    callHandler(request);
}

void HttpConnection::callHandler(const HttpRequest &request)
{
    const quint64 sequence = ++m_sequence;
    QPointer<HttpConnection> self(this);
    HttpResponder respond = [self, sequence](HttpResponse response) {
        if (self)
            self->onHandlerResponse(sequence, std::move(response));
    };
    m_worker->enterHandler(monotonicMs());
    try {
        m_worker->handler()->handle(request, std::move(respond));
    } catch (const ApiError &error) {
        handlerThrew(sequence, error);
    } catch (const std::exception &error) {
        qCWarning(lcHttp, "Request handler failed on %s %s: %s", request.method.constData(),
                  request.path.constData(), error.what());
        handlerThrew(sequence, ApiError::internal());
    } catch (...) {
        qCWarning(lcHttp, "Request handler failed on %s %s with an unknown exception",
                  request.method.constData(), request.path.constData());
        handlerThrew(sequence, ApiError::internal());
    }
    m_worker->leaveHandler();
}

void HttpConnection::handlerThrew(quint64 sequence, const ApiError &error)
{
    if (sequence == m_sequence && m_phase == Phase::Dispatched)
        respondError(error);
    else
        qCWarning(lcHttp, "A request handler threw after answering; the exception was ignored");
}

void HttpConnection::onHandlerResponse(quint64 sequence, HttpResponse &&response)
{
    if (sequence == m_sequence && m_phase == Phase::Dispatched) {
        complete(std::move(response));
        return;
    }
    if (m_phase != Phase::Closed)
        qCWarning(lcHttp, "A request handler answered the same request twice; the second answer was dropped");
}

void HttpConnection::handleUpgrade(const HttpRequest &request)
{
    // A client whose upgrade fails does not go on with plain HTTP (QWebSocket
    // waits for the close), so a refusal ends the connection.
    m_exchange.keepAlive = false;
    if (!m_worker->hasWebSocketGateway(request.path)) {
        respondError(ApiError::notFound(QStringLiteral("No WebSocket endpoint at this path")));
        return;
    }
    if (request.isHead || request.method != "GET" || request.header("sec-websocket-key").isEmpty() ||
        !request.body.isEmpty() || !request.bodyFilePath.isEmpty()) {
        respondError(ApiError::badRequest(QStringLiteral("Invalid WebSocket handshake")));
        return;
    }
    handOffWebSocket();
}

void HttpConnection::handOffWebSocket()
{
    QTcpSocket *socket = m_socket;
    disconnect(socket, nullptr, this, nullptr);
    // QWebSocketServer reads the handshake from the socket itself, so the
    // header block the parser took must be unread again: ungetChar() puts a
    // byte back in front of Qt's read buffer (last byte first). Qt 6.4 reads
    // the handshake through a QTextStream, which swallows whatever follows it
    // in the buffer, so bytes after the head are held back and returned by
    // the worker once the upgrade is done.
    QByteArray trailing = m_in.mid(m_inPos);
    trailing += socket->readAll();
    const QByteArray &head = m_parser.rawHead();
    for (qsizetype i = head.size() - 1; i >= 0; --i)
        socket->ungetChar(head.at(i));
    m_in.resize(0);
    m_inPos = 0;
    socket->setReadBufferSize(0); // QWebSocket manages its own reading
    m_socket = nullptr;
    logRequest(101);
    m_phase = Phase::Closed;
    setDeadline(Deadline::None, 0);
    m_worker->handOffWebSocket(socket, std::move(trailing));
    m_worker->connectionClosed(this);
}

void HttpConnection::failRequest(int status, const QString &message)
{
    // What the parser understood of the request, for the envelope and the log.
    const HttpRequest &partial = m_parser.request();
    m_exchange = Exchange();
    m_exchange.method = partial.isHead ? QByteArrayLiteral("HEAD") : partial.method;
    m_exchange.path = partial.path;
    m_exchange.correlationId = HttpCorrelationId::generate();
    m_exchange.isHead = partial.isHead;
    m_exchange.http10 = partial.httpMinor == 0;
    m_exchange.keepAlive = false;
    const QByteArray origin = partial.header("origin");
    if (!origin.isEmpty())
        m_exchange.corsOrigin = m_worker->cors().allowOrigin(origin);
    if (m_worker->config().logRequests)
        m_requestTimer.start();
    m_worker->countRequest();
    m_phase = Phase::Dispatched;
    setDeadline(Deadline::None, 0);
    respondError(ApiError(status, QByteArray(), message));
}

void HttpConnection::respondError(const ApiError &error)
{
    HttpResponse response;
    response.status = error.status();
    response.body =
        errorEnvelope(error, ErrorOrigin{m_exchange.path, m_exchange.method, m_exchange.correlationId});
    complete(std::move(response));
}

void HttpConnection::complete(HttpResponse &&response)
{
    bool close = !m_exchange.keepAlive || m_draining || m_peerGone;
    for (const HttpHeader &h : response.headers) // a handler may end the connection
        if (HttpAscii::equalsIgnoreCase(h.name, "connection") &&
            HttpAscii::listContainsToken(h.value, "close"))
            close = true;
    if (!m_peerGone) {
        HttpResponseEncoder::Context context;
        context.correlationId = m_exchange.correlationId;
        context.corsOrigin = m_exchange.corsOrigin;
        context.isHead = m_exchange.isHead;
        context.close = close;
        context.keepAliveHttp10 = m_exchange.http10 && !close;
        const bool sendsBody = !m_exchange.isHead && !HttpResponseEncoder::isBodyless(response.status);
        const bool separateBody = sendsBody && response.body.size() > kInlineBodyBytes;
        m_out.resize(0);
        HttpResponseEncoder::encode(response, context, m_out, !separateBody);
        m_socket->write(m_out);
        if (separateBody)
            m_socket->write(response.body);
        if (m_out.capacity() > kMaxKeptOutCapacity)
            m_out = QByteArray();
        if (!m_processing)
            m_socket->flush();
    }
    removeUploadFile();
    logRequest(response.status);
    if (m_phase == Phase::Closed) // the write found the peer gone
        return;
    if (m_peerGone) {
        finish();
        return;
    }
    if (close) {
        startClosing();
        return;
    }
    m_phase = Phase::Reading;
    setDeadline(Deadline::Idle, m_worker->config().limits.idleTimeoutMs);
    if (!m_processing) {
        // An asynchronous answer: continue with pipelined input from the event
        // loop, not inside the handler's own call to respond().
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
    }
}

void HttpConnection::startClosing()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closing;
    setDeadline(Deadline::Linger, kLingerMs);
    if (m_draining) {
        // The server is stopping: flush and close without waiting for the client.
        m_socket->disconnectFromHost();
        return;
    }
    m_socket->flush();
    if (m_socket->bytesToWrite() == 0)
        halfCloseSocket(m_socket);
    else
        m_halfClosePending = true;
    discardInput();
}

void HttpConnection::discardInput()
{
    m_in.resize(0);
    m_inPos = 0;
    if (m_socket)
        m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::onBytesWritten()
{
    if (m_phase == Phase::Closing) {
        if (m_halfClosePending && m_socket->bytesToWrite() == 0) {
            m_halfClosePending = false;
            halfCloseSocket(m_socket);
        }
        return;
    }
    if (m_deadlineKind == Deadline::Idle) // a client slowly reading a large answer is not idle
        setDeadline(Deadline::Idle, m_worker->config().limits.idleTimeoutMs);
    if (m_writePaused && m_phase == Phase::Reading && m_socket->bytesToWrite() <= kMaxPendingWriteBytes / 2) {
        m_writePaused = false;
        processInput();
    }
}

void HttpConnection::onDisconnected()
{
    if (m_phase == Phase::Dispatched) {
        // The handler still answers (and may still read an upload); the
        // connection goes when it does.
        m_peerGone = true;
        return;
    }
    finish();
}

void HttpConnection::onDeadline()
{
    const Deadline kind = m_deadlineKind;
    setDeadline(Deadline::None, 0);
    switch (kind) {
    case Deadline::None:
        break;
    case Deadline::Idle:
        if (m_phase == Phase::Reading)
            startClosing();
        break;
    case Deadline::Header:
        if (m_phase == Phase::Reading)
            failRequest(408, QStringLiteral("The request header was not received in time"));
        break;
    case Deadline::Body:
        if (m_phase == Phase::Reading)
            failRequest(408, QStringLiteral("The request body was not received in time"));
        break;
    case Deadline::Linger:
        finish();
        break;
    }
}

void HttpConnection::drain()
{
    m_draining = true;
    switch (m_phase) {
    case Phase::Reading:
        startClosing();
        break;
    case Phase::Closing:
        finish();
        break;
    case Phase::Dispatched: // complete() closes after the answer
    case Phase::Closed:
        break;
    }
}

void HttpConnection::abortNow()
{
    finish();
}

void HttpConnection::finish()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    setDeadline(Deadline::None, 0);
    removeUploadFile();
    m_parser.reset();
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
    m_worker->connectionClosed(this);
}

void HttpConnection::removeUploadFile()
{
    if (!m_exchange.bodyFilePath.isEmpty()) {
        QFile::remove(m_exchange.bodyFilePath);
        m_exchange.bodyFilePath.clear();
    }
}

void HttpConnection::logRequest(int status)
{
    if (!m_worker->config().logRequests || !lcHttp().isInfoEnabled())
        return;
    const double ms = m_requestTimer.isValid() ? double(m_requestTimer.nsecsElapsed()) / 1e6 : 0.0;
    qCInfo(lcHttp, "%s %s %d %.1fms", orDash(m_exchange.method).constData(),
           orDash(m_exchange.path).constData(), status, ms);
}

} // namespace Hearth
