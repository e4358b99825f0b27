#pragma once

#include "client/apiclient.h"

#include <QPointer>
#include <QWidget>

#include <functional>

namespace Hearth {

// A part of the Permissions or Users page that talks to the server itself
// (the Permissions tabs, the API tokens list): a client to talk through, and
// the page's message bar reached by signals (failed: the server's words;
// notice: a change was stored).
class AccessPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AccessPanel(QWidget *parent = nullptr) : QWidget(parent) {}

    void setClient(ApiClient *client) { m_client = client; }
    ApiClient *client() const { return m_client; }

    // Loads everything the panel shows.
    virtual void reload() = 0;

signals:
    void failed(const Hearth::ApiFailure &failure, const QString &context);
    void notice(const QString &text);

protected:
    // Sends; on failure emits failed(failure, errorContext) and runs onFailure (if any).
    void send(const QByteArray &method, const QString &path, const QJsonValue &body,
              std::function<void(const ApiResult &)> onSuccess, const QString &errorContext,
              std::function<void()> onFailure = {});

private:
    QPointer<ApiClient> m_client;
};

} // namespace Hearth
