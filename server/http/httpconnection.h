#pragma once

#include "core/apierror.h"
#include "http/httpparser.h"
#include "http/httpresponse.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>

class QTcpSocket;

namespace Hearth {

class HttpWorker;

// One client connection on a worker thread. Reads and parses, hands one
// request at a time to the worker's IRequestHandler, and writes the answers
// in request order: pipelined requests wait (unparsed) until the answer in
// progress has been written, which may be much later for an asynchronous
// handler. Owns the timeouts of the connection and the polite close.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    explicit HttpConnection(HttpWorker *worker);
    ~HttpConnection() override;

    bool start(qintptr descriptor);

    // For the worker's periodic deadline sweep (cheaper than a timer each).
    bool isPastDeadline(qint64 nowMs) const { return m_deadline != 0 && nowMs >= m_deadline; }
    void onDeadline();
    // Server stopping: an answer in progress is still written, then the
    // connection closes; an idle one closes now.
    void drain();
    void abortNow();

private:
    enum class Phase
    {
        Reading,
        Dispatched,
        Closing,
        Closed
    };
    enum class Deadline
    {
        None,
        Idle,
        Header,
        Body,
        Linger
    };

    // What the answer needs to know about the request it answers.
    struct Exchange
    {
        QByteArray method; // as logged: HEAD stays HEAD
        QByteArray path;
        QByteArray correlationId;
        QByteArray corsOrigin; // Access-Control-Allow-Origin value, empty = none
        QString bodyFilePath;
        bool keepAlive = false;
        bool http10 = false;
        bool isHead = false;
    };

    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void processInput();
    bool fillBuffer();
    void dispatch(HttpRequest &&request);
    void callHandler(const HttpRequest &request);
    void handleUpgrade(const HttpRequest &request);
    void handOffWebSocket();
    void onHandlerResponse(quint64 sequence, HttpResponse &&response);
    void handlerThrew(quint64 sequence, const ApiError &error);
    void failRequest(int status, const QString &message);
    void respondError(const ApiError &error);
    void complete(HttpResponse &&response);
    void startClosing();
    void finish();
    void discardInput();
    void removeUploadFile();
    void logRequest(int status);
    void setDeadline(Deadline kind, int timeoutMs);

    HttpWorker *const m_worker;
    QTcpSocket *m_socket = nullptr;
    HttpParser m_parser;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;

    QByteArray m_in; // bytes read from the socket; m_in[m_inPos..] not parsed yet
    qsizetype m_inPos = 0;
    QByteArray m_out; // reused encoding buffer

    Phase m_phase = Phase::Reading;
    Deadline m_deadlineKind = Deadline::None;
    qint64 m_deadline = 0; // monotonic ms, 0 = none
    Exchange m_exchange;
    QElapsedTimer m_requestTimer;
    quint64 m_sequence = 0; // identifies the request a responder answers
    bool m_processing = false;
    bool m_writePaused = false;
    bool m_halfClosePending = false;
    bool m_peerGone = false;
    bool m_draining = false;
};

} // namespace Hearth
