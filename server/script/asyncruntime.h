#pragma once

#include <QJSValue>
#include <QString>

#include <functional>

class QJSEngine;

namespace Hearth {

// The JavaScript side of transformed scripts (see scripttransformer.h):
// - __hearth_run(generator): steps a generator the way an async function runs,
//   each yielded value being awaited; returns a Promise of its return value,
//   rejected with the original thrown value (an Error keeps its lineNumber).
// - __hearth_rest(value, keys): object-rest destructuring helper.
// - polyfills missing in QJSEngine 6.4, added only when absent and never
//   enumerable: Array.prototype.{flat, flatMap, at, findLast, findLastIndex},
//   String.prototype.{replaceAll, at, matchAll, trimStart, trimEnd}, Object.{fromEntries, hasOwn},
//   Promise.allSettled, Promise.prototype.finally.
// Promise callbacks run when the engine thread's Qt event loop spins.
class AsyncRuntime
{
public:
    static QString preludeSource();

    // Calls callback once value settles: fulfilled with its value (a plain value
    // counts as fulfilled), or rejected with the reason. Installs the runtime on
    // engine if needed. Call it on the engine's thread; the callback runs from
    // that thread's event loop, never before whenSettled returns. Callbacks of a
    // destroyed engine never run.
    using SettledCallback = std::function<void(bool fulfilled, const QJSValue &result)>;
    static void whenSettled(QJSEngine &engine, const QJSValue &value, SettledCallback callback);
};

// Evaluates the prelude in engine; later calls on the same engine do nothing.
void installAsyncRuntime(QJSEngine &engine);

} // namespace Hearth
