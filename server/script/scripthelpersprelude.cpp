#include "script/scripthelpersprelude.h"

namespace Hearth {

namespace {

// Plain ES2015 (QJSEngine 6.4). Values cross to the native side as JSON text,
// so JSON.stringify's rules apply (toJSON, undefined -> null).
const char *const kPrelude = R"JS((function (global) {
    'use strict';
    var PromiseCtor = Promise;
    var stringify = JSON.stringify;
    var parse = JSON.parse;
    var framePattern = /@(?:file:)?(.*):(\d+)$/;

    function fixed(name, value) {
        Object.defineProperty(global, name, { value: value, enumerable: false, writable: false, configurable: false });
    }

    function json(value) {
        var text = stringify(value);
        return text === undefined ? 'null' : text;
    }

    // An error thrown by the native side points into this file; the script's
    // author wants the line of their own call: the first frame outside the runtime.
    function relocate(error) {
        if (!(error instanceof Error) || typeof error.stack !== 'string')
            return error;
        var frames = error.stack.split('\n');
        for (var i = 0; i < frames.length; ++i) {
            var match = framePattern.exec(frames[i]);
            if (match && match[1].indexOf('hearth:') !== 0) {
                error.lineNumber = Number(match[2]);
                break;
            }
        }
        return error;
    }

    function call(body) {
        try {
            return body();
        } catch (error) {
            throw relocate(error);
        }
    }

    // A helper Enfyra documents as async: a Promise of body's value, rejected
    // with its error.
    function promised(body) {
        return new PromiseCtor(function (resolve) { resolve(call(body)); });
    }

    // A helper the native side settles later: start(resolve, reject).
    function pending(start) {
        return new PromiseCtor(function (resolve, reject) {
            call(function () { start(resolve, reject); });
        });
    }

    fixed('__hearth_helpers', function (bridge) {
        var native = bridge.helpers;
        if (!native)
            return {};
        function limit(kind) {
            return function (options) {
                return promised(function () { return native.rateLimit(kind, undefined, json(options)); });
            };
        }
        return {
            $jwt: function (payload, expiresIn) {
                return promised(function () { return native.jwt(json(payload), expiresIn); });
            },
            $bcrypt: {
                hash: function (plain) {
                    return pending(function (resolve, reject) { native.bcryptHash(plain, resolve, reject); });
                },
                compare: function (plain, hash) {
                    return pending(function (resolve, reject) { native.bcryptCompare(plain, hash, resolve, reject); });
                }
            },
            autoSlug: function (text) {
                return call(function () { return native.autoSlug(text); });
            },
            $crypto: {
                randomUUID: function () {
                    return native.randomUUID();
                },
                randomBytes: function (size, encoding) {
                    return call(function () { return native.randomBytes(size, encoding); });
                },
                sha256: function (data, encoding) {
                    return call(function () { return native.sha256(data, encoding); });
                },
                hmacSha256: function (data, secret, encoding) {
                    return call(function () { return native.hmacSha256(data, secret, encoding); });
                },
                generateSshKeyPair: function (comment) {
                    return pending(function (resolve, reject) { native.generateSshKeyPair(comment, resolve, reject); });
                }
            },
            $sleep: function (ms) {
                return new PromiseCtor(function (resolve) { native.sleep(ms, resolve); });
            },
            $rateLimit: {
                byIp: limit('byIp'),
                byUser: limit('byUser'),
                byRoute: limit('byRoute'),
                byIpGlobal: limit('byIpGlobal'),
                byUserGlobal: limit('byUserGlobal'),
                check: function (key, options) {
                    return promised(function () { return native.rateLimit('check', key, json(options)); });
                },
                status: function (key, options) {
                    return promised(function () { return native.rateLimit('status', key, json(options)); });
                },
                reset: function (key) {
                    return promised(function () { return native.rateLimitReset(key); });
                }
            }
        };
    });

    fixed('__hearth_cache', function (bridge) {
        var native = bridge.helpers;
        if (!native)
            return {};
        return {
            get: function (key) {
                return promised(function () {
                    var text = native.cacheGet(key);
                    return text === null ? null : parse(text);
                });
            },
            set: function (key, value, ttlMs) {
                return promised(function () { native.cacheSet(key, json(value), ttlMs); });
            },
            setNoExpire: function (key, value) {
                return promised(function () { native.cacheSetNoExpire(key, json(value)); });
            },
            deleteKey: function (key) {
                return promised(function () { return native.cacheDelete(key); });
            },
            exists: function (key, value) {
                return promised(function () { return native.cacheExists(key, value === undefined ? undefined : json(value)); });
            },
            acquire: function (key, value, ttlMs) {
                return promised(function () { return native.cacheAcquire(key, json(value), ttlMs); });
            },
            release: function (key, value) {
                return promised(function () { return native.cacheRelease(key, json(value)); });
            }
        };
    });
})(this);
)JS";

} // namespace

QString scriptHelpersPreludeSource()
{
    return QString::fromUtf8(kPrelude);
}

} // namespace Hearth
