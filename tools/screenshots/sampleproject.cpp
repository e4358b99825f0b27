#include "sampleproject.h"

#include "client/apiclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hearth {

SampleProject::SampleProject(ApiClient *client, QObject *parent) : QObject(parent), m_client(client) {}

bool SampleProject::load(const QString &file, QString *error)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(file, in.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &parseError);
    m_steps = document.object().value(u"steps").toArray();
    if (m_steps.isEmpty()) {
        *error = QStringLiteral("%1 has no steps (%2)").arg(file, parseError.errorString());
        return false;
    }
    return true;
}

void SampleProject::play(std::function<void(const QString &error)> done)
{
    m_done = std::move(done);
    m_next = 0;
    playNext();
}

void SampleProject::playNext()
{
    if (m_next >= m_steps.size())
        return m_done({});
    const QJsonObject step = m_steps.at(m_next++).toObject();
    const QByteArray method = step.value(u"method").toString().toLatin1();
    const QString path = substitutePath(step.value(u"path").toString());
    const QJsonValue body = step.contains(u"body") ? substitute(step.value(u"body")) : QJsonValue::Undefined;
    const QString name = step.value(u"as").toString();
    m_client->send(
        method, path, body,
        [this, method, path, name](const ApiResult &result) {
            if (!result.ok())
                return m_done(QStringLiteral("%1 %2: %3")
                                  .arg(QString::fromLatin1(method), path, result.failure().message));
            if (!name.isEmpty())
                m_names.insert(name, result.first().value(u"id").toVariant());
            playNext();
        },
        this);
}

QJsonValue SampleProject::substitute(const QJsonValue &value) const
{
    if (value.isString()) {
        const QString text = value.toString();
        if (text.startsWith(u'$') && m_names.contains(text.mid(1)))
            return QJsonValue::fromVariant(m_names.value(text.mid(1)));
        return value;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(substitute(item));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(it.key(), substitute(it.value()));
        return out;
    }
    return value;
}

QString SampleProject::substitutePath(QString path) const
{
    for (auto it = m_names.begin(); it != m_names.end(); ++it)
        path.replace(QLatin1Char('$') + it.key(), it.value().toString());
    return path;
}

} // namespace Hearth
