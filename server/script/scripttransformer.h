#pragma once

#include <QString>
#include <QStringView>

namespace Hearth {

struct ScriptTransformResult
{
    QString code;  // QJSEngine-compatible source; empty when error is set
    QString error; // e.g. "'await' is only valid in async functions"; empty on success
    int errorLine = 0;
    // FunctionBody: the function returns a Promise (the body awaits at its top
    // level); otherwise it returns the body's value directly.
    bool returnsPromise = true;

    bool ok() const { return error.isEmpty(); }
};

// Turns a user script (Enfyra style: a function body with `await`, `$ctx` and
// macros) into JavaScript QJSEngine 6.4 runs: macros and #table shortcuts are
// expanded, async functions and `await` become generators stepped by
// __hearth_run (see asyncruntime.h), object spread becomes Object.assign.
// Newlines are never added or removed inside the script, so line N of the
// script is line N of the result and engine errors report the script's lines.
class ScriptTransformer
{
public:
    enum class Mode
    {
        // A function body. Result: `(function ($ctx) { … })`, a function that
        // runs the body and returns a Promise of its return value — or the
        // value itself when the body has no top-level await (returnsPromise).
        FunctionBody,
        // One expression. Result: `(function ($ctx) { … })` returning a Promise
        // of the expression's value (`await` allowed inside).
        Expression,
        // The transformed source alone, without any wrapper; top-level `await`
        // becomes `(yield …)`, so it must end up inside a generator.
        Fragment,
    };

    static ScriptTransformResult transform(QStringView source, Mode mode = Mode::FunctionBody);

    // The text before and after the script in FunctionBody mode. The prefix has
    // no newline, so the script's first line stays line 1.
    static QString functionBodyPrefix();
    static QString functionBodySuffix();
};

} // namespace Hearth
