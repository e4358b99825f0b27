#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <exception>

namespace Hearth {

// A failure that becomes an error envelope (API.md "Envelopes"). Thrown from
// anywhere below the API layer and caught once, where the response is built.
class ApiError : public std::exception
{
public:
    ApiError(int status, QByteArray code, QString message, QJsonValue details = {});
    // VALIDATION_ERROR carries an array of messages.
    static ApiError validation(const QStringList &messages, QJsonValue details = {});
    static ApiError badRequest(const QString &message, QJsonValue details = {});
    static ApiError notFound(const QString &message);
    static ApiError conflict(const QString &message, QJsonValue details = {});
    static ApiError internal(); // never says why: internals are logged, not returned

    int status() const { return m_status; }
    const QByteArray &code() const { return m_code; }
    const QJsonValue &message() const { return m_message; } // string, or array for VALIDATION_ERROR
    QString messageText() const;                            // message as one string
    const QJsonValue &details() const { return m_details; }
    const char *what() const noexcept override { return m_what.constData(); }

    static QByteArray defaultCode(int status);

private:
    int m_status;
    QByteArray m_code;
    QJsonValue m_message;
    QJsonValue m_details;
    QByteArray m_what;
};

// Where an error happened, for the envelope's error.path/method/correlationId.
struct ErrorOrigin
{
    QByteArray path;
    QByteArray method;
    QByteArray correlationId;
};

// {"success":false,"statusCode":…,"message":…,"error":{code,message,details,timestamp,path,method,correlationId}}
QByteArray errorEnvelope(const ApiError &error, const ErrorOrigin &origin);

} // namespace Hearth
