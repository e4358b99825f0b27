#include "asyncruntime.h"

#include <QHash>
#include <QJSEngine>
#include <QLoggingCategory>
#include <QObject>

namespace Hearth {

namespace {

Q_LOGGING_CATEGORY(lcAsyncRuntime, "hearth.script.async")

// Plain ES2015 so it runs unchanged in QJSEngine 6.4. Promise methods are
// captured up front so a script replacing Promise.prototype.then cannot break
// the driver of other scripts sharing the engine.
const char *const kPrelude = R"JS((function (global) {
    'use strict';
    var PromiseCtor = Promise;
    var promiseResolve = Promise.resolve;
    var promiseThen = Promise.prototype.then;
    var defineProperty = Object.defineProperty;
    var hasOwnProperty = Object.prototype.hasOwnProperty;
    var propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

    function resolved(value) {
        return promiseResolve.call(PromiseCtor, value);
    }
    function polyfill(target, name, value) {
        if (typeof target[name] === 'undefined')
            defineProperty(target, name, { value: value, writable: true, configurable: true, enumerable: false });
    }
    function fixed(name, value) {
        if (!hasOwnProperty.call(global, name))
            defineProperty(global, name, { value: value, writable: false, configurable: false, enumerable: false });
    }
    function toInteger(value) {
        var n = Number(value);
        if (n !== n)
            return 0;
        return n < 0 ? Math.ceil(n) : Math.floor(n);
    }
    function defineData(target, key, value) {
        defineProperty(target, key, { value: value, writable: true, enumerable: true, configurable: true });
    }

    // Runs a generator like an async function body: every yielded value is
    // awaited (resumed in a later job, also for plain values), a rejection is
    // thrown back in at the yield, and the result is a Promise.
    fixed('__hearth_run', function (generator) {
        return new PromiseCtor(function (resolve, reject) {
            function step(method, argument) {
                var result;
                try {
                    result = generator[method](argument);
                } catch (error) {
                    reject(error);
                    return;
                }
                if (result.done)
                    resolve(result.value);
                else
                    promiseThen.call(resolved(result.value), onFulfilled, onRejected);
            }
            function onFulfilled(value) {
                step('next', value);
            }
            function onRejected(reason) {
                step('throw', reason);
            }
            step('next', undefined);
        });
    });

    // `{ a, ...rest } = value` is rewritten to read `__hearth_rest__` for rest:
    // a view inheriting from value (so a, b… still read value's properties)
    // with the remaining own enumerable properties under that key.
    fixed('__hearth_rest', function (source, keys) {
        if (source === null || source === undefined)
            throw new TypeError('Cannot destructure ' + source + ' with a rest element');
        var object = Object(source);
        var excluded = Object.create(null);
        var i;
        for (i = 0; i < keys.length; ++i)
            excluded[String(keys[i])] = true;
        var rest = {};
        var names = Object.keys(object);
        for (i = 0; i < names.length; ++i) {
            if (!(names[i] in excluded))
                defineData(rest, names[i], object[names[i]]);
        }
        var symbols = Object.getOwnPropertySymbols(object);
        for (i = 0; i < symbols.length; ++i) {
            if (propertyIsEnumerable.call(object, symbols[i]))
                defineData(rest, symbols[i], object[symbols[i]]);
        }
        var view = Object.create(object);
        defineProperty(view, '__hearth_rest__', { value: rest });
        return view;
    });

    var ArrayProto = Array.prototype;
    function flatten(target, source, depth) {
        var length = source.length >>> 0;
        for (var i = 0; i < length; ++i) {
            if (!(i in source))
                continue;
            var value = source[i];
            if (depth > 0 && Array.isArray(value))
                flatten(target, value, depth - 1);
            else
                target.push(value);
        }
        return target;
    }
    polyfill(ArrayProto, 'flat', function flat() {
        var depth = arguments.length > 0 && arguments[0] !== undefined ? toInteger(arguments[0]) : 1;
        return flatten([], Object(this), depth);
    });
    polyfill(ArrayProto, 'flatMap', function flatMap(callback, thisArg) {
        if (typeof callback !== 'function')
            throw new TypeError('Array.prototype.flatMap callback must be a function');
        var source = Object(this);
        var length = source.length >>> 0;
        var out = [];
        for (var i = 0; i < length; ++i) {
            if (!(i in source))
                continue;
            var value = callback.call(thisArg, source[i], i, source);
            if (Array.isArray(value))
                flatten(out, value, 0);
            else
                out.push(value);
        }
        return out;
    });
    polyfill(ArrayProto, 'at', function at(index) {
        var source = Object(this);
        var length = source.length >>> 0;
        var k = toInteger(index);
        if (k < 0)
            k += length;
        return k < 0 || k >= length ? undefined : source[k];
    });
    polyfill(ArrayProto, 'findLast', function findLast(predicate, thisArg) {
        if (typeof predicate !== 'function')
            throw new TypeError('Array.prototype.findLast predicate must be a function');
        var source = Object(this);
        for (var i = (source.length >>> 0) - 1; i >= 0; --i) {
            if (predicate.call(thisArg, source[i], i, source))
                return source[i];
        }
        return undefined;
    });
    polyfill(ArrayProto, 'findLastIndex', function findLastIndex(predicate, thisArg) {
        if (typeof predicate !== 'function')
            throw new TypeError('Array.prototype.findLastIndex predicate must be a function');
        var source = Object(this);
        for (var i = (source.length >>> 0) - 1; i >= 0; --i) {
            if (predicate.call(thisArg, source[i], i, source))
                return i;
        }
        return -1;
    });

    polyfill(String.prototype, 'at', function at(index) {
        if (this === null || this === undefined)
            throw new TypeError('String.prototype.at called on ' + this);
        var s = String(this);
        var k = toInteger(index);
        if (k < 0)
            k += s.length;
        return k < 0 || k >= s.length ? undefined : s.charAt(k);
    });
    polyfill(String.prototype, 'replaceAll', function replaceAll(searchValue, replaceValue) {
        if (this === null || this === undefined)
            throw new TypeError('String.prototype.replaceAll called on ' + this);
        var s = String(this);
        if (searchValue instanceof RegExp) {
            if (!searchValue.global)
                throw new TypeError('replaceAll must be called with a global RegExp');
            return s.replace(searchValue, replaceValue);
        }
        var escaped = String(searchValue).replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
        return s.replace(new RegExp(escaped, 'g'), replaceValue);
    });

    polyfill(String.prototype, 'trimStart', function trimStart() {
        if (this === null || this === undefined)
            throw new TypeError('String.prototype.trimStart called on ' + this);
        return String(this).replace(/^\s+/, '');
    });
    polyfill(String.prototype, 'trimEnd', function trimEnd() {
        if (this === null || this === undefined)
            throw new TypeError('String.prototype.trimEnd called on ' + this);
        return String(this).replace(/\s+$/, '');
    });
    // Collects every match up front and iterates them: same values as the lazy
    // iterator of the spec for anything a script can observe after the call.
    polyfill(String.prototype, 'matchAll', function matchAll(regexp) {
        if (this === null || this === undefined)
            throw new TypeError('String.prototype.matchAll called on ' + this);
        var s = String(this);
        var re;
        if (regexp instanceof RegExp) {
            if (!regexp.global)
                throw new TypeError('matchAll must be called with a global RegExp');
            re = new RegExp(regexp.source, regexp.flags);
            re.lastIndex = regexp.lastIndex;
        } else {
            re = new RegExp(regexp === undefined ? '(?:)' : regexp, 'g');
        }
        var matches = [];
        var match;
        while ((match = re.exec(s)) !== null) {
            matches.push(match);
            if (match[0] === '')
                re.lastIndex += 1;
        }
        return matches[Symbol.iterator]();
    });

    polyfill(Object, 'fromEntries', function fromEntries(entries) {
        if (entries === null || entries === undefined)
            throw new TypeError('Object.fromEntries requires an iterable');
        var out = {};
        for (var entry of entries) {
            if (Object(entry) !== entry)
                throw new TypeError('Iterator value ' + entry + ' is not an entry object');
            defineData(out, entry[0], entry[1]);
        }
        return out;
    });
    polyfill(Object, 'hasOwn', function hasOwn(object, key) {
        if (object === null || object === undefined)
            throw new TypeError('Cannot convert undefined or null to object');
        return hasOwnProperty.call(Object(object), key);
    });

    polyfill(PromiseCtor, 'allSettled', function allSettled(iterable) {
        var C = this;
        return C.all(Array.from(iterable, function (item) {
            return C.resolve(item).then(function (value) {
                return { status: 'fulfilled', value: value };
            }, function (reason) {
                return { status: 'rejected', reason: reason };
            });
        }));
    });
    polyfill(PromiseCtor.prototype, 'finally', function (onFinally) {
        if (typeof onFinally !== 'function')
            return this.then(onFinally, onFinally);
        return this.then(function (value) {
            return resolved(onFinally()).then(function () { return value; });
        }, function (reason) {
            return resolved(onFinally()).then(function () { throw reason; });
        });
    });

    return {
        watch: function (value, id, sink) {
            promiseThen.call(resolved(value), function (result) {
                sink.settle(id, true, result);
            }, function (reason) {
                sink.settle(id, false, reason);
            });
        }
    };
})(this)
)JS";

// Per engine (a child of it): holds the callbacks of whenSettled until the JS
// side reports back through settle().
class SettleDispatcher : public QObject
{
    Q_OBJECT

public:
    explicit SettleDispatcher(QJSEngine *engine) : QObject(engine) {}

    Q_INVOKABLE void settle(int id, bool fulfilled, const QJSValue &result)
    {
        const auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        const AsyncRuntime::SettledCallback callback = std::move(it.value());
        m_pending.erase(it);
        callback(fulfilled, result);
    }

    int add(AsyncRuntime::SettledCallback callback)
    {
        m_nextId = (m_nextId + 1) & 0x3fffffff;
        m_pending.insert(m_nextId, std::move(callback));
        return m_nextId;
    }

    AsyncRuntime::SettledCallback take(int id) { return m_pending.take(id); }

    QJSValue m_watch;
    QJSValue m_sink;

private:
    QHash<int, AsyncRuntime::SettledCallback> m_pending;
    int m_nextId = 0;
};

SettleDispatcher *dispatcherOf(QJSEngine &engine)
{
    return engine.findChild<SettleDispatcher *>(QString(), Qt::FindDirectChildrenOnly);
}

} // namespace

QString AsyncRuntime::preludeSource()
{
    return QString::fromUtf8(kPrelude);
}

void installAsyncRuntime(QJSEngine &engine)
{
    if (dispatcherOf(engine))
        return;
    const QJSValue internals =
        engine.evaluate(AsyncRuntime::preludeSource(), QStringLiteral("hearth:asyncruntime.js"));
    if (internals.isError() || !internals.property(QStringLiteral("watch")).isCallable()) {
        qCWarning(lcAsyncRuntime) << "async runtime prelude failed:" << internals.toString();
        return;
    }
    auto *dispatcher = new SettleDispatcher(&engine);
    QJSEngine::setObjectOwnership(dispatcher, QJSEngine::CppOwnership);
    dispatcher->m_watch = internals.property(QStringLiteral("watch"));
    dispatcher->m_sink = engine.newQObject(dispatcher);
}

void AsyncRuntime::whenSettled(QJSEngine &engine, const QJSValue &value, SettledCallback callback)
{
    installAsyncRuntime(engine);
    SettleDispatcher *dispatcher = dispatcherOf(engine);
    if (!dispatcher) {
        QMetaObject::invokeMethod(
            &engine,
            [callback = std::move(callback)] {
                callback(false, QJSValue(QStringLiteral("async runtime unavailable")));
            },
            Qt::QueuedConnection);
        return;
    }
    const int id = dispatcher->add(std::move(callback));
    const QJSValue watched = dispatcher->m_watch.call({value, id, dispatcher->m_sink});
    if (watched.isError()) {
        // The engine refused (e.g. interrupted): report it later, like a settlement.
        QMetaObject::invokeMethod(
            dispatcher,
            [dispatcher, id, watched] {
                if (const SettledCallback cb = dispatcher->take(id))
                    cb(false, watched);
            },
            Qt::QueuedConnection);
    }
}

} // namespace Hearth

#include "asyncruntime.moc"
