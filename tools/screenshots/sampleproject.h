#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QObject>

#include <functional>

namespace Hearth {

class ApiClient;

// A project described as a list of requests (sampleproject.json), played in
// order against a server through an ApiClient. A step's "as" keeps the first
// id of its answer; a later string "$name" (a whole JSON string, or a path
// segment) is replaced by it.
class SampleProject : public QObject
{
    Q_OBJECT
public:
    explicit SampleProject(ApiClient *client, QObject *parent = nullptr);

    // False when the file cannot be read or has no steps.
    bool load(const QString &file, QString *error);
    // Plays every step; done(error) with an empty error when all succeeded.
    void play(std::function<void(const QString &error)> done);

private:
    void playNext();
    QJsonValue substitute(const QJsonValue &value) const;
    QString substitutePath(QString path) const;

    ApiClient *m_client;
    QJsonArray m_steps;
    int m_next = 0;
    QVariantMap m_names;
    std::function<void(const QString &)> m_done;
};

} // namespace Hearth
