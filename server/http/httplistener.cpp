#include "http/httplistener.h"

#include "core/apierror.h"
#include "http/httpcorrelationid.h"
#include "http/httpresponseencoder.h"
#include "http/httpsocketops.h"

#include <QTcpSocket>
#include <QTimer>

namespace Hearth {

namespace {

// Refused sockets wait this long for the client to finish sending and close.
constexpr int kRefusalLingerMs = 2000;
// Beyond this many refusals in progress, new ones are closed without an answer.
constexpr qsizetype kMaxRefusing = 1024;

} // namespace

HttpListener::HttpListener(Placement placement, QObject *parent)
    : QTcpServer(parent), m_placement(std::move(placement))
{}

HttpListener::~HttpListener()
{
    close();
    qDeleteAll(m_refusing);
}

void HttpListener::incomingConnection(qintptr descriptor)
{
    if (!m_placement(descriptor))
        refuse(descriptor);
}

void HttpListener::refuse(qintptr descriptor)
{
    ++m_refused;
    if (m_refusing.size() >= kMaxRefusing) {
        closeSocketDescriptor(descriptor);
        return;
    }
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        closeSocketDescriptor(descriptor);
        return;
    }
    m_refusing.insert(socket);

    const QByteArray correlationId = HttpCorrelationId::generate();
    HttpResponse response;
    response.status = 503;
    response.body =
        errorEnvelope(ApiError(503, "SERVICE_UNAVAILABLE", QStringLiteral("Too many connections")),
                      ErrorOrigin{QByteArray(), QByteArray(), correlationId});
    HttpResponseEncoder::Context context;
    context.correlationId = correlationId;
    context.close = true;
    QByteArray bytes;
    HttpResponseEncoder::encode(response, context, bytes);

    // Answer without reading the request, then half close and drain what the
    // client still sends, so the answer is not lost to a reset.
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    connect(socket, &QTcpSocket::bytesWritten, socket, [socket] {
        if (socket->bytesToWrite() == 0)
            halfCloseSocket(socket);
    });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { dropRefused(socket); });
    QTimer::singleShot(kRefusalLingerMs, socket, [this, socket] { dropRefused(socket); });
    socket->write(bytes);
    socket->flush();
    if (socket->bytesToWrite() == 0)
        halfCloseSocket(socket);
}

void HttpListener::dropRefused(QTcpSocket *socket)
{
    if (!m_refusing.remove(socket))
        return;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

} // namespace Hearth
