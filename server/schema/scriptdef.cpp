#include "schema/scriptdef.h"

namespace Hearth {

QString ScriptDef::label() const
{
    const char *kind = this->kind == Kind::PreHook    ? "preHook"
                       : this->kind == Kind::PostHook ? "postHook"
                                                      : "handler";
    if (this->kind == Kind::Handler)
        return QStringLiteral("%1 %2 (#%3)").arg(QLatin1StringView(kind), method).arg(id);
    return QStringLiteral("%1 '%2' (#%3)").arg(QLatin1StringView(kind), name).arg(id);
}

} // namespace Hearth
