#pragma once

#include <QObject>

class QSocketNotifier;

namespace Hearth {

// Turns SIGINT and SIGTERM into a Qt signal on the main thread (through a
// self-pipe: a signal handler may do almost nothing itself).
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    static void handler(int signalNumber);
    static int s_pipe[2];
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Hearth
