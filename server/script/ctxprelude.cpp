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
        defineProperty(target, key, { value: value, enumerable: false, writable: false, configurable: false });
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
                return JSON.parse(bridge.find(table, secure, json(withQuery(options || {}))));
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

    hidden(global, '__hearth_ctx', function (bridge, init) {
        var state = { bodyText: init.bodyText, queryText: init.queryText, dataText: undefined,
                      body: undefined, query: undefined, data: undefined,
                      bodyParsed: false, queryParsed: false, dataParsed: false, dataSet: false };
        var ctx = {};
        defineProperty(ctx, '$body', {
            enumerable: true,
            get: function () {
                if (!state.bodyParsed) {
                    state.body = state.bodyText ? JSON.parse(state.bodyText) : {};
                    state.bodyParsed = true;
                }
                return state.body;
            },
            set: function (value) { state.body = value; state.bodyParsed = true; }
        });
        defineProperty(ctx, '$query', {
            enumerable: true,
            get: function () {
                if (!state.queryParsed) {
                    state.query = state.queryText ? JSON.parse(state.queryText) : {};
                    state.queryParsed = true;
                }
                return state.query;
            },
            set: function (value) { state.query = value; state.queryParsed = true; }
        });
        defineProperty(ctx, '$data', {
            enumerable: true,
            get: function () {
                if (!state.dataParsed && !state.dataSet) {
                    state.data = state.dataText === undefined ? null : JSON.parse(state.dataText);
                    state.dataParsed = true;
                }
                return state.data;
            },
            set: function (value) { state.data = value; state.dataSet = true; }
        });
        ctx.$params = init.params || {};
        ctx.$user = init.user || null;
        ctx.$req = { method: init.method, url: init.url, path: init.path, headers: init.headers || {},
                     ip: init.ip, params: ctx.$params };
        defineProperty(ctx.$req, 'query', { enumerable: true, get: function () { return ctx.$query; } });
        ctx.$api = { request: { method: init.method, url: init.url, timestamp: init.timestamp,
                                correlationId: init.correlationId, ip: init.ip } };
        ctx.$env = init.env || {};
        ctx.$share = {};
        ctx.$statusCode = init.statusCode || 200;
        ctx.$error = null;
        ctx.$logs = function () {
            bridge.log(Array.prototype.map.call(arguments, format).join(' '));
        };
        var thrower = {};
        statuses.forEach(function (status) {
            thrower[status] = function (message, details) { throw httpError(status, message, details); };
        });
        ctx.$throw = thrower;
        ctx.$repos = repositories(bridge, ctx, init.mainTable);
        ctx.$helpers = global.__hearth_helpers ? global.__hearth_helpers(bridge, ctx) : {};
        ctx.$cache = global.__hearth_cache ? global.__hearth_cache(bridge, ctx) : {};

        // For the pipeline (not enumerable, not for scripts).
        hidden(ctx, '__setData', function (value) { state.data = value; state.dataSet = true; state.dataParsed = false; });
        hidden(ctx, '__setDataText', function (text) {
            state.dataText = text; state.data = undefined; state.dataSet = false; state.dataParsed = false;
        });
        hidden(ctx, '__export', function () {
            var out = { statusCode: ctx.$statusCode, error: ctx.$error };
            if (state.bodyParsed)
                out.body = json(state.body);
            if (state.queryParsed)
                out.query = state.query;
            if (state.dataSet || state.dataParsed)
                out.data = state.data === undefined ? 'null' : json(state.data);
            return out;
        });
        return ctx;
    });

    hidden(global, '__hearth_error_info', function (error) {
        // What the pipeline needs from whatever a script threw.
        if (error && error.__hearthHttp)
            return { kind: 'http', status: error.status, message: error.message, details: error.details,
                     line: error.lineNumber };
        if (error && error.__hearthApi)
            return { kind: 'api', status: error.status, code: error.code, message: error.message,
                     details: error.details };
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
