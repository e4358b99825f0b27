#include "script/ctxprelude.h"

namespace Hearth {

namespace {

// Plain ES2015 (QJSEngine 6.4). $body, $query and $data are parsed from the
// request's JSON text only when a script touches them, and written back only
// then: a hook that never looks at the data costs no JSON round trip.
const char *const kPrelude = R"JS((function (global) {
    'use strict';
    var defineProperty = Object.defineProperty;
    var statuses = ['400', '401', '403', '404', '409', '422', '429', '500', '503'];
    var defaultMessages = {
        '400': 'Bad request', '401': 'Unauthorized', '403': 'Forbidden', '404': 'Not found',
        '409': 'Conflict', '422': 'Unprocessable entity', '429': 'Too many requests',
        '500': 'Internal server error', '503': 'Service unavailable'
    };

    function hidden(target, key, value) {
        defineProperty(target, key, { value: value, enumerable: false, writable: true, configurable: true });
    }

    // Globals of the Node runtime Enfyra scripts are written for, missing in QJSEngine 6.4.
    if (typeof global.globalThis === 'undefined')
        hidden(global, 'globalThis', global);
    if (typeof Promise.any !== 'function') {
        hidden(Promise, 'any', function any(iterable) {
            var C = this;
            return new C(function (resolve, reject) {
                var items = Array.from(iterable);
                var errors = new Array(items.length);
                var pending = items.length;
                function rejectAll() {
                    var error = new Error('All promises were rejected');
                    error.name = 'AggregateError';
                    error.errors = errors;
                    reject(error);
                }
                if (!pending)
                    rejectAll();
                items.forEach(function (item, i) {
                    C.resolve(item).then(resolve, function (reason) {
                        errors[i] = reason;
                        if (--pending === 0)
                            rejectAll();
                    });
                });
            });
        });
    }

    function httpError(status, message, details) {
        var error = new Error(message === undefined || message === null ? defaultMessages[status] : String(message));
        error.__hearthHttp = true;
        error.status = Number(status);
        if (details !== undefined)
            error.details = details;
        return error;
    }

    function format(value) {
        if (typeof value === 'string')
            return value;
        if (value instanceof Error)
            return String(value);
        try {
            var text = JSON.stringify(value);
            return text === undefined ? String(value) : text;
        } catch (e) {
            return String(value);
        }
    }

    function json(value) {
        return JSON.stringify(value === undefined ? null : value);
    }

    // A find() result as the JSON text the server made, parsed only when a
    // script looks inside: returned as it is, it is sent without a round trip.
    function LazyResult(text) { hidden(this, '__raw', text); }
    function materialize(result) {
        if (result.__raw === undefined)
            return;
        var parsed = JSON.parse(result.__raw);
        result.__raw = undefined;
        for (var key in parsed)
            defineProperty(result, key, { value: parsed[key], enumerable: true, writable: true, configurable: true });
    }
    ['data', 'meta'].forEach(function (key) {
        defineProperty(LazyResult.prototype, key, {
            configurable: true,
            get: function () { materialize(this); return this.__raw === undefined && this.hasOwnProperty(key) ? this[key] : undefined; },
            set: function (value) {
                materialize(this);
                defineProperty(this, key, { value: value, enumerable: true, writable: true, configurable: true });
            }
        });
    });
    hidden(LazyResult.prototype, 'toJSON', function () {
        materialize(this);
        var out = {};
        for (var key in this)
            out[key] = this[key];
        return out;
    });

    function repository(bridge, ctx, table, secure, isMain) {
        function withQuery(options) {
            // Options left out of find() on the main table come from the request's query.
            if (!isMain)
                return options;
            var merged = {};
            var query = ctx.$query || {};
            for (var key in query)
                merged[key] = query[key];
            for (var own in options)
                merged[own] = options[own];
            return merged;
        }
        function dataOf(argument) {
            return argument && typeof argument === 'object' && 'data' in argument ? argument.data : argument;
        }
        function idOf(argument) {
            return argument && typeof argument === 'object' ? argument.id : argument;
        }
        return {
            find: function (options) {
                return new LazyResult(bridge.find(table, secure, json(withQuery(options || {}))));
            },
            create: function (argument) {
                return JSON.parse(bridge.create(table, secure, json(dataOf(argument))));
            },
            update: function (argument, data) {
                var id = idOf(argument);
                var body = data !== undefined ? data : dataOf(argument);
                return JSON.parse(bridge.update(table, secure, json(id), json(body)));
            },
            delete: function (argument) {
                return JSON.parse(bridge.remove(table, secure, json(idOf(argument))));
            },
            exists: function (filter) {
                return bridge.exists(table, secure, json(filter || {}));
            }
        };
    }

    function repositories(bridge, ctx, mainTable) {
        var cache = {};
        function get(secure) {
            return function (target, name) {
                if (typeof name !== 'string')
                    return undefined;
                var key = (secure ? 's:' : 't:') + name;
                if (!cache[key]) {
                    if (!bridge.hasTable(name))
                        return undefined;
                    cache[key] = repository(bridge, ctx, name, secure, false);
                }
                return cache[key];
            };
        }
        var secureRepos = new Proxy({}, { get: get(true) });
        var trusted = get(false);
        return new Proxy({}, {
            get: function (target, name) {
                if (name === 'secure')
                    return secureRepos;
                if (name === 'main') {
                    if (!mainTable)
                        return undefined;
                    return cache.main || (cache.main = repository(bridge, ctx, mainTable, true, true));
                }
                return trusted(target, name);
            }
        });
    }

    var thrower = {};
    statuses.forEach(function (status) {
        thrower[status] = function (message, details) { throw httpError(status, message, details); };
    });
    Object.freeze(thrower);

    // $ctx: one small object per request; its members live on a shared
    // prototype and are built from the request only when a script reads them.
    var proto = {};
    function lazy(name, make) {
        defineProperty(proto, name, {
            enumerable: true, configurable: true,
            get: function () {
                var value = make(this);
                defineProperty(this, name, { value: value, enumerable: true, writable: true, configurable: true });
                return value;
            },
            set: function (value) {
                defineProperty(this, name, { value: value, enumerable: true, writable: true, configurable: true });
            }
        });
    }
    function init(ctx) {
        var s = ctx.__s;
        return s.init || (s.init = JSON.parse(ctx.__b.initText()));
    }
    // A body that is not JSON is the client's error, as on the canonical routes.
    function parseBody(text) {
        try {
            return JSON.parse(text);
        } catch (e) {
            var error = new Error('Malformed JSON body');
            error.__hearthApi = true;
            error.status = 400;
            error.code = 'BAD_REQUEST';
            throw error;
        }
    }
    // Whether JSON text that went through JS values (text) still says what
    // sent said. Numbers JS cannot carry exactly have 16 digits or more; text
    // without such a run loses nothing and needs no comparison.
    var longNumber = /\d{16}/;
    function sameAsSent(sent, text) {
        if (!longNumber.test(sent))
            return false;
        try {
            return json(JSON.parse(sent)) === text;
        } catch (e) {
            return false;
        }
    }
    defineProperty(proto, '$body', {
        enumerable: true,
        get: function () {
            var s = this.__s;
            if (!s.bodyParsed) {
                s.body = s.bodyText ? parseBody(s.bodyText) : {};
                s.bodyParsed = true;
            }
            return s.body;
        },
        set: function (value) { this.__s.body = value; this.__s.bodyParsed = true; }
    });
    defineProperty(proto, '$query', {
        enumerable: true,
        get: function () {
            var s = this.__s;
            if (!s.queryParsed) {
                var text = this.__b.queryText();
                s.query = text ? JSON.parse(text) : {};
                s.queryParsed = true;
            }
            return s.query;
        },
        set: function (value) { this.__s.query = value; this.__s.queryParsed = true; }
    });
    defineProperty(proto, '$data', {
        enumerable: true,
        get: function () {
            var s = this.__s;
            if (!s.dataParsed && !s.dataSet) {
                // The handler's answer stays in the server until a script reads it.
                s.data = s.dataInBridge ? JSON.parse(this.__b.dataText()) : null;
                s.dataParsed = true;
            }
            return s.data;
        },
        set: function (value) { this.__s.data = value; this.__s.dataSet = true; }
    });
    lazy('$params', function (ctx) { return init(ctx).params || {}; });
    lazy('$user', function (ctx) { return init(ctx).user || null; });
    lazy('$req', function (ctx) {
        var i = init(ctx);
        var req = { method: i.method, url: i.url, path: i.path, headers: i.headers || {}, ip: i.ip,
                    params: ctx.$params };
        defineProperty(req, 'query', { enumerable: true, get: function () { return ctx.$query; } });
        return req;
    });
    lazy('$api', function (ctx) {
        var i = init(ctx);
        return { request: { method: i.method, url: i.url, timestamp: i.timestamp, correlationId: i.correlationId,
                            ip: i.ip } };
    });
    lazy('$env', function () { return global.__hearth_env || {}; });
    lazy('$share', function () { return {}; });
    lazy('$repos', function (ctx) { return repositories(ctx.__b, ctx, init(ctx).mainTable); });
    lazy('$helpers', function (ctx) { return global.__hearth_helpers ? global.__hearth_helpers(ctx.__b, ctx) : {}; });
    lazy('$cache', function (ctx) { return global.__hearth_cache ? global.__hearth_cache(ctx.__b, ctx) : {}; });
    defineProperty(proto, '$throw', { enumerable: true, value: thrower });
    defineProperty(proto, '$logs', {
        enumerable: true,
        value: function () { this.__b.log(Array.prototype.map.call(arguments, format).join(' ')); }
    });

    // For the pipeline (not enumerable, not for scripts).
    hidden(proto, '__setData', function (value) {
        var s = this.__s;
        s.data = value; s.dataSet = true; s.dataParsed = false;
    });
    hidden(proto, '__useBridgeData', function () {
        var s = this.__s;
        s.dataInBridge = true; s.data = undefined; s.dataSet = false; s.dataParsed = false;
    });
    // Around each postHook: one that fails leaves $data, $statusCode and $error
    // as they were (a $data it never replaced is read again from the server).
    hidden(proto, '__checkpoint', function () {
        var s = this.__s;
        return { data: s.data, dataSet: s.dataSet, dataParsed: s.dataParsed, dataInBridge: s.dataInBridge,
                 statusCode: this.$statusCode, error: this.$error };
    });
    hidden(proto, '__restore', function (c) {
        var s = this.__s;
        s.data = c.data; s.dataSet = c.dataSet; s.dataParsed = c.dataParsed; s.dataInBridge = c.dataInBridge;
        this.$statusCode = c.statusCode;
        this.$error = c.error;
    });
    // [statusCode, error, body, query, data]: what the pipeline reads back; body,
    // query and data only when a script changed them (else undefined).
    hidden(proto, '__export', function () {
        var s = this.__s;
        var body, data;
        if (s.bodyParsed) {
            // A body scripts read but left as it was goes on as the client sent
            // it: a round trip through JS numbers would change integers past 2^53.
            var text = json(s.body);
            if (s.bodyText ? !sameAsSent(s.bodyText, text) : text !== '{}')
                body = text;
        }
        if (s.dataSet || s.dataParsed) {
            var value = s.data;
            if (value instanceof LazyResult && value.__raw !== undefined) {
                data = value.__raw; // an untouched find() result goes out as the text the server made
            } else {
                var dataText = json(value);
                // The handler's answer read but not changed: the server's text goes out.
                if (s.dataSet || !s.dataInBridge || !sameAsSent(this.__b.dataText(), dataText))
                    data = dataText;
            }
        }
        return [this.$statusCode, this.$error, body, s.queryParsed ? s.query : undefined, data];
    });

    hidden(global, '__hearth_ctx', function (bridge, bodyText) {
        var ctx = Object.create(proto);
        hidden(ctx, '__b', bridge);
        hidden(ctx, '__s', { bodyText: bodyText, dataInBridge: false,
                             init: undefined, body: undefined, query: undefined, data: undefined,
                             bodyParsed: false, queryParsed: false, dataParsed: false, dataSet: false });
        ctx.$statusCode = 200;
        ctx.$error = null;
        return ctx;
    });

    // Calls a script's function: what it throws (an Error or any value) comes
    // back marked, since the engine hands a thrown string back like a result.
    var Thrown = function (error) { this.error = error; };
    hidden(global, '__hearth_call', function (fn, ctx) {
        try {
            return fn(ctx);
        } catch (error) {
            return new Thrown(error);
        }
    });
    hidden(global, '__hearth_thrown', function (value) {
        return value instanceof Thrown;
    });

    hidden(global, '__hearth_error_info', function (error) {
        // What the pipeline needs from whatever a script threw.
        if (error && error.__hearthHttp)
            return { kind: 'http', status: error.status, message: error.message, details: error.details,
                     line: error.lineNumber };
        if (error && error.__hearthApi)
            return { kind: 'api', status: error.status, code: error.code, message: error.message,
                     messages: error.messages, details: error.details };
        if (error instanceof Error)
            return { kind: 'error', message: String(error), line: error.lineNumber };
        return { kind: 'error', message: format(error) };
    });
})(this);
)JS";

} // namespace

QString ctxPreludeSource()
{
    return QString::fromUtf8(kPrelude);
}

} // namespace Hearth
