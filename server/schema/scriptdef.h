#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Hearth {

// A stored script: a pre-hook, a post-hook or a route handler.
struct ScriptDef
{
    enum class Kind
    {
        PreHook,
        PostHook,
        Handler
    };
    qint64 id = 0;
    Kind kind = Kind::PreHook;
    QString name;
    QString sourceCode;
    int priority = 0;
    bool isGlobal = false;
    QStringList methods; // hooks: empty = every method
    QString method;      // handlers: the one method it serves
    int timeoutMs = 0;   // 0 = the default of its kind
    bool runAfterResponse = false;
    qint64 routeId = 0;
    QByteArray version; // changes whenever the row does: compiled code is cached by id + version

    bool appliesTo(const QString &requestMethod) const
    {
        return methods.isEmpty() || methods.contains(requestMethod);
    }
    // Where a script error points: "preHook 'audit' (#3)".
    QString label() const;
};

} // namespace Hearth
