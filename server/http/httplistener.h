#pragma once

#include <QSet>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace Hearth {

// The accepting socket, on the server's IO thread. Every accepted descriptor
// goes to the placement callback, which hands it to a worker; when that
// refuses (connection cap reached) the client gets a 503 envelope from this
// thread and the socket is closed politely.
class HttpListener : public QTcpServer
{
    Q_OBJECT
public:
    // Returns false when the connection must be refused.
    using Placement = std::function<bool(qintptr descriptor)>;

    explicit HttpListener(Placement placement, QObject *parent = nullptr);
    ~HttpListener() override;

    qint64 refusedConnections() const { return m_refused; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuse(qintptr descriptor);
    void dropRefused(QTcpSocket *socket);

    Placement m_placement;
    QSet<QTcpSocket *> m_refusing;
    qint64 m_refused = 0;
};

} // namespace Hearth
