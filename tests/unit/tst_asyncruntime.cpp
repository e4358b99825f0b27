// The async runtime prelude: the generator driver behind `await`, the object
// rest helper, the polyfills QJSEngine 6.4 lacks, and whenSettled. Expected
// values were taken from Node 20.
#include "script/asyncruntime.h"

#include <QEventLoop>
#include <QJSEngine>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Hearth;

class TestAsyncRuntime : public QObject
{
    Q_OBJECT

private slots:
    void installsOncePerEngine();
    void globalsAreHiddenAndFixed();
    void driverResolvesWithReturnValue();
    void driverResumesAsynchronously();
    void driverAwaitsEveryYield();
    void driverRejectsWithOriginalError();
    void rejectionIsThrownIntoGenerator();
    void returnedPromiseIsAdopted();
    void uncaughtAfterRejectionRejects();
    void polyfills_data();
    void polyfills();
    void polyfillsAreNotEnumerable();
    void existingMethodsAreKept();
    void promiseAllSettledAndFinally();
    void restHelper();
    void whenSettledPlainValue();
    void whenSettledRejection();
    void whenSettledNeverCallsBackSynchronously();
    void engineDestroyedWithPendingCallbacks();
    void enginesAreIndependent();
};

// moc only needs the class; its preprocessor cannot read the raw string
// literals below.
#ifndef Q_MOC_RUN

namespace {

struct Settled
{
    bool done = false;
    bool fulfilled = false;
    QJSValue value;
};

// Spins the event loop until value settles (5 s at most).
Settled settle(QJSEngine &engine, const QJSValue &value)
{
    auto result = std::make_shared<Settled>();
    QEventLoop loop;
    AsyncRuntime::whenSettled(engine, value, [result, &loop](bool fulfilled, const QJSValue &v) {
        result->done = true;
        result->fulfilled = fulfilled;
        result->value = v;
        loop.quit();
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    if (!result->done)
        loop.exec();
    return *result;
}

QString json(QJSEngine &engine, const QJSValue &value)
{
    return engine.evaluate(QStringLiteral("(function (v) { return JSON.stringify(v); })"))
        .call({value})
        .toString();
}

QJSValue eval(QJSEngine &engine, const QString &source)
{
    const QJSValue v = engine.evaluate(source, QStringLiteral("test.js"));
    if (v.isError())
        qWarning() << "evaluation failed:" << v.toString() << "line"
                   << v.property(QStringLiteral("lineNumber")).toInt();
    return v;
}

} // namespace

void TestAsyncRuntime::installsOncePerEngine()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    eval(engine, QStringLiteral("var firstRun = __hearth_run;"));
    installAsyncRuntime(engine);
    installAsyncRuntime(engine);
    QVERIFY(eval(engine, QStringLiteral("firstRun === __hearth_run")).toBool());
    QCOMPARE(eval(engine, QStringLiteral("typeof __hearth_run + ' ' + typeof __hearth_rest")).toString(),
             QStringLiteral("function function"));
}

void TestAsyncRuntime::globalsAreHiddenAndFixed()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    // A script cannot break other scripts sharing the engine by replacing the driver.
    eval(engine, QStringLiteral("__hearth_run = null; try { delete this.__hearth_run; } catch (e) {}"));
    QCOMPARE(eval(engine, QStringLiteral("typeof __hearth_run")).toString(), QStringLiteral("function"));
    QCOMPARE(eval(engine, QStringLiteral("Object.keys(this).filter(k => k.indexOf('__hearth') === 0).length"))
                 .toInt(),
             0);
}

void TestAsyncRuntime::driverResolvesWithReturnValue()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const QJSValue p = eval(engine, QStringLiteral("__hearth_run((function* () { return 5; })())"));
    QVERIFY(
        eval(engine, QStringLiteral("(function (p) { return p instanceof Promise; })")).call({p}).toBool());
    const Settled s = settle(engine, p);
    QVERIFY(s.done);
    QVERIFY(s.fulfilled);
    QCOMPARE(s.value.toInt(), 5);
}

void TestAsyncRuntime::driverResumesAsynchronously()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    // Like Node: the body runs synchronously up to the first await; awaiting a
    // plain value still resumes in a later job.
    const QJSValue p =
        eval(engine, QStringLiteral("var log = [];"
                                    "var p = __hearth_run((function* () {"
                                    "  log.push('start'); var v = yield 1; log.push('resumed ' + v);"
                                    "  return v; })());"
                                    "log.push('sync'); p"));
    QCOMPARE(json(engine, eval(engine, QStringLiteral("log"))), QStringLiteral(R"(["start","sync"])"));
    const Settled s = settle(engine, p);
    QVERIFY(s.fulfilled);
    QCOMPARE(json(engine, eval(engine, QStringLiteral("log"))),
             QStringLiteral(R"(["start","sync","resumed 1"])"));
}

void TestAsyncRuntime::driverAwaitsEveryYield()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const QJSValue p = eval(engine, QStringLiteral("__hearth_run((function* () {"
                                                   "  var a = yield Promise.resolve(1);"
                                                   "  var b = yield new Promise(function (r) { r(a + 1); });"
                                                   "  var c = yield { then: function (r) { r(b + 1); } };"
                                                   "  return [a, b, c, yield undefined];"
                                                   "})())"));
    const Settled s = settle(engine, p);
    QVERIFY(s.fulfilled);
    QCOMPARE(json(engine, s.value), QStringLiteral("[1,2,3,null]"));
}

void TestAsyncRuntime::driverRejectsWithOriginalError()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const QJSValue p = engine.evaluate(QStringLiteral("var thrown;\n"
                                                      "__hearth_run((function* () {\n"
                                                      "  yield null;\n"
                                                      "  thrown = new RangeError('four');\n"
                                                      "  thrown.extra = 'kept';\n"
                                                      "  throw thrown;\n"
                                                      "})())"),
                                       QStringLiteral("script.js"), 1);
    const Settled s = settle(engine, p);
    QVERIFY(s.done);
    QVERIFY(!s.fulfilled);
    QVERIFY(s.value.strictlyEquals(engine.globalObject().property(QStringLiteral("thrown"))));
    QCOMPARE(s.value.property(QStringLiteral("lineNumber")).toInt(), 4);
    QCOMPARE(s.value.property(QStringLiteral("extra")).toString(), QStringLiteral("kept"));
    QCOMPARE(s.value.toString(), QStringLiteral("RangeError: four"));
}

void TestAsyncRuntime::rejectionIsThrownIntoGenerator()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const QJSValue p =
        eval(engine, QStringLiteral("__hearth_run((function* () {"
                                    "  try { yield Promise.reject(new Error('nope')); return 'no'; }"
                                    "  catch (e) { return 'caught ' + e.message; }"
                                    "})())"));
    const Settled s = settle(engine, p);
    QVERIFY(s.fulfilled);
    QCOMPARE(s.value.toString(), QStringLiteral("caught nope"));
}

void TestAsyncRuntime::returnedPromiseIsAdopted()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const Settled ok = settle(engine, eval(engine, QStringLiteral("__hearth_run((function* () {"
                                                                  "  return Promise.resolve(7); })())")));
    QVERIFY(ok.fulfilled);
    QCOMPARE(ok.value.toInt(), 7);
    const Settled bad = settle(engine, eval(engine, QStringLiteral("__hearth_run((function* () {"
                                                                   "  return Promise.reject('r'); })())")));
    QVERIFY(!bad.fulfilled);
    QCOMPARE(bad.value.toString(), QStringLiteral("r"));
}

void TestAsyncRuntime::uncaughtAfterRejectionRejects()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const Settled s =
        settle(engine, eval(engine, QStringLiteral("__hearth_run((function* () {"
                                                   "  yield 1; yield Promise.reject(new TypeError('t'));"
                                                   "  return 'not reached'; })())")));
    QVERIFY(!s.fulfilled);
    QCOMPARE(s.value.toString(), QStringLiteral("TypeError: t"));
}

void TestAsyncRuntime::polyfills_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("expected");
    QTest::newRow("flatDefault") << QStringLiteral(R"JS([1, [2, [3, [4]]], 5].flat())JS")
                                 << QStringLiteral(R"J([1,2,[3,[4]],5])J");
    QTest::newRow("flatDepth") << QStringLiteral(R"JS([1, [2, [3, [4]]]].flat(2))JS")
                               << QStringLiteral(R"J([1,2,3,[4]])J");
    QTest::newRow("flatInfinity") << QStringLiteral(R"JS([1, [2, [3, [4, [5]]]]].flat(Infinity))JS")
                                  << QStringLiteral(R"J([1,2,3,4,5])J");
    QTest::newRow("flatHoles") << QStringLiteral(R"JS([1, , [2, , 3]].flat())JS")
                               << QStringLiteral(R"J([1,2,3])J");
    QTest::newRow("flatZero") << QStringLiteral(R"JS([[1], [2]].flat(0).length)JS")
                              << QStringLiteral(R"J(2)J");
    QTest::newRow("flatMap") << QStringLiteral(R"JS([1, 2, 3].flatMap((x, i) => [x, i]))JS")
                             << QStringLiteral(R"J([1,0,2,1,3,2])J");
    QTest::newRow("flatMapOneLevel") << QStringLiteral(R"JS([1, 2].flatMap(x => [[x]]))JS")
                                     << QStringLiteral(R"J([[1],[2]])J");
    QTest::newRow("flatMapThisArg")
        << QStringLiteral(R"JS([1].flatMap(function (x) { return [this.k + x]; }, { k: 10 }))JS")
        << QStringLiteral(R"J([11])J");
    QTest::newRow("fromEntriesArray") << QStringLiteral(R"JS(Object.fromEntries([['a', 1], ['b', [2]]]))JS")
                                      << QStringLiteral(R"J({"a":1,"b":[2]})J");
    QTest::newRow("fromEntriesMap") << QStringLiteral(R"JS(Object.fromEntries(new Map([['x', 'y']])))JS")
                                    << QStringLiteral(R"J({"x":"y"})J");
    QTest::newRow("fromEntriesRoundTrip")
        << QStringLiteral(
               R"JS(Object.fromEntries(Object.entries({ p: 1, q: 2 }).map(([k, v]) => [k, v * 2])))JS")
        << QStringLiteral(R"J({"p":2,"q":4})J");
    QTest::newRow("replaceAllString")
        << QStringLiteral(R"JS('a.b.c'.replaceAll('.', '-'))JS") << QStringLiteral(R"J("a-b-c")J");
    QTest::newRow("replaceAllSpecialChars")
        << QStringLiteral(R"JS('1+1+1'.replaceAll('+', '$&$&'))JS") << QStringLiteral(R"J("1++1++1")J");
    QTest::newRow("replaceAllFunction")
        << QStringLiteral(R"JS('aXbXc'.replaceAll('X', (m, offset) => offset))JS")
        << QStringLiteral(R"J("a1b3c")J");
    QTest::newRow("replaceAllRegex") << QStringLiteral(R"JS('a1b2'.replaceAll(/\d/g, '#'))JS")
                                     << QStringLiteral(R"J("a#b#")J");
    QTest::newRow("replaceAllEmpty") << QStringLiteral(R"JS('abc'.replaceAll('', '-'))JS")
                                     << QStringLiteral(R"J("-a-b-c-")J");
    QTest::newRow("replaceAllNonGlobalRegexThrows")
        << QStringLiteral(
               R"JS((() => { try { 'a'.replaceAll(/a/, 'b'); return 'no'; } catch (e) { return e instanceof TypeError; } })())JS")
        << QStringLiteral(R"J(true)J");
    QTest::newRow("arrayAt")
        << QStringLiteral(
               R"JS([[1, 2, 3].at(0), [1, 2, 3].at(-1), [1, 2, 3].at(5), [1, 2, 3].at(-4), [1, 2, 3].at('1')])JS")
        << QStringLiteral(R"J([1,3,null,null,2])J");
    QTest::newRow("stringAt") << QStringLiteral(R"JS(['abc'.at(-1), 'abc'.at(0), 'abc'.at(3)])JS")
                              << QStringLiteral(R"J(["c","a",null])J");
    QTest::newRow("findLast")
        << QStringLiteral(
               R"JS([[1, 2, 3, 4].findLast(x => x % 2), [1, 2, 3, 4].findLastIndex(x => x % 2), [1].findLastIndex(x => x > 5)])JS")
        << QStringLiteral(R"J([3,2,-1])J");
    QTest::newRow("hasOwn")
        << QStringLiteral(R"JS([Object.hasOwn({ a: 1 }, 'a'), Object.hasOwn({ a: 1 }, 'toString')])JS")
        << QStringLiteral(R"J([true,false])J");
    QTest::newRow("trimStartEnd")
        << QStringLiteral(R"JS(['  a b  '.trimStart(), '  a b  '.trimEnd(), '\u00a0\n x'.trimStart()])JS")
        << QStringLiteral(R"J(["a b  ","  a b","x"])J");
    QTest::newRow("matchAllGroups")
        << QStringLiteral(
               R"JS([...'a1b22c333'.matchAll(/([a-z])(\d+)/g)].map(m => [m[0], m[1], m[2], m.index]))JS")
        << QStringLiteral(R"J([["a1","a","1",0],["b22","b","22",2],["c333","c","333",5]])J");
    QTest::newRow("matchAllString") << QStringLiteral(
                                           R"JS(Array.from('a.b.c'.matchAll('.'), m => m.index))JS")
                                    << QStringLiteral(R"J([0,1,2,3,4])J");
    QTest::newRow("matchAllEmptyMatches")
        << QStringLiteral(R"JS([...'abc'.matchAll(/x*/g)].map(m => m.index))JS")
        << QStringLiteral(R"J([0,1,2,3])J");
    QTest::newRow("matchAllNonGlobalThrows")
        << QStringLiteral(
               R"JS((() => { try { 'a'.matchAll(/a/); return 'no'; } catch (e) { return e instanceof TypeError; } })())JS")
        << QStringLiteral(R"J(true)J");
    QTest::newRow("matchAllKeepsLastIndex")
        << QStringLiteral(
               R"JS((() => { const re = /a/g; re.lastIndex = 1; const r = [...'aaa'.matchAll(re)].length; return [r, re.lastIndex]; })())JS")
        << QStringLiteral(R"J([2,1])J");
}

void TestAsyncRuntime::polyfills()
{
    QFETCH(QString, expression);
    QFETCH(QString, expected);
    QJSEngine engine;
    installAsyncRuntime(engine);
    const QJSValue v = eval(engine, expression);
    QVERIFY2(!v.isError(), qPrintable(v.toString()));
    QCOMPARE(json(engine, v), expected);
}

void TestAsyncRuntime::polyfillsAreNotEnumerable()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    QCOMPARE(eval(engine, QStringLiteral("var keys = []; for (var k in [7]) keys.push(k);"
                                         "for (var s in 'x') keys.push(s);"
                                         "for (var o in {}) keys.push(o); keys.join()"))
                 .toString(),
             QStringLiteral("0,0"));
    QCOMPARE(
        eval(engine, QStringLiteral("['flat', 'flatMap', 'at', 'findLast', 'findLastIndex']"
                                    ".map(function (n) { var d = Object.getOwnPropertyDescriptor("
                                    "Array.prototype, n); return d.enumerable + '/' + d.writable; }).join()"))
            .toString(),
        QStringLiteral("false/true,false/true,false/true,false/true,false/true"));
}

void TestAsyncRuntime::existingMethodsAreKept()
{
    QJSEngine engine;
    eval(engine, QStringLiteral(
                     "Object.defineProperty(String.prototype, 'at', { value: function () { return 'own'; },"
                     " writable: true, configurable: true });"));
    installAsyncRuntime(engine);
    QCOMPARE(eval(engine, QStringLiteral("'abc'.at(0)")).toString(), QStringLiteral("own"));
    // Natively present methods are not touched either.
    QVERIFY(eval(engine, QStringLiteral("Array.prototype.includes.toString().indexOf('native code') >= 0"))
                .toBool());
}

void TestAsyncRuntime::promiseAllSettledAndFinally()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const Settled all =
        settle(engine, eval(engine, QStringLiteral("Promise.allSettled([1, Promise.resolve(2),"
                                                   " Promise.reject('no')])")));
    QVERIFY(all.fulfilled);
    QCOMPARE(json(engine, all.value),
             QStringLiteral(R"([{"status":"fulfilled","value":1},{"status":"fulfilled","value":2},)"
                            R"({"status":"rejected","reason":"no"}])"));

    const Settled fin =
        settle(engine, eval(engine, QStringLiteral("var ran = 0;"
                                                   "Promise.resolve('v').finally(function () {"
                                                   " ran++; return 'ignored'; })")));
    QVERIFY(fin.fulfilled);
    QCOMPARE(fin.value.toString(), QStringLiteral("v"));
    const Settled finRejected =
        settle(engine, eval(engine, QStringLiteral("Promise.reject('r').finally(function () {"
                                                   " ran++; })")));
    QVERIFY(!finRejected.fulfilled);
    QCOMPARE(finRejected.value.toString(), QStringLiteral("r"));
    QCOMPARE(eval(engine, QStringLiteral("ran")).toInt(), 2);
    const Settled finThrows =
        settle(engine, eval(engine, QStringLiteral("Promise.resolve(1).finally(function () {"
                                                   " throw 'from finally'; })")));
    QVERIFY(!finThrows.fulfilled);
    QCOMPARE(finThrows.value.toString(), QStringLiteral("from finally"));
}

void TestAsyncRuntime::restHelper()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    QCOMPARE(
        json(engine, eval(engine, QStringLiteral("var v = __hearth_rest({ a: 1, b: 2, 3: 'three', c: 4 },"
                                                 " ['a', 3]);"
                                                 "[v.a, v.b, v.__hearth_rest__]"))),
        QStringLiteral(R"([1,2,{"b":2,"c":4}])"));
    QCOMPARE(json(engine, eval(engine, QStringLiteral("__hearth_rest('hi', [])"
                                                      ".__hearth_rest__"))),
             QStringLiteral(R"({"0":"h","1":"i"})"));
    QCOMPARE(eval(engine, QStringLiteral(
                              "try { __hearth_rest(null, []); 'no' } catch (e) { e instanceof TypeError }"))
                 .toBool(),
             true);
    // An own "__proto__" key is copied as data, never as the prototype.
    QCOMPARE(
        eval(engine, QStringLiteral("var r = __hearth_rest(JSON.parse('{\"__proto__\": 1, \"x\": 2}'), ['x'])"
                                    ".__hearth_rest__; Object.keys(r).join() + ' ' + "
                                    "(Object.getPrototypeOf(r) === Object.prototype)"))
            .toString(),
        QStringLiteral("__proto__ true"));
}

void TestAsyncRuntime::whenSettledPlainValue()
{
    QJSEngine engine;
    const Settled s = settle(engine, QJSValue(42)); // installs the runtime on first use
    QVERIFY(s.done);
    QVERIFY(s.fulfilled);
    QCOMPARE(s.value.toInt(), 42);
}

void TestAsyncRuntime::whenSettledRejection()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    const Settled s = settle(engine, eval(engine, QStringLiteral("Promise.reject(new Error('why'))")));
    QVERIFY(s.done);
    QVERIFY(!s.fulfilled);
    QVERIFY(s.value.isError());
    QCOMPARE(s.value.property(QStringLiteral("message")).toString(), QStringLiteral("why"));
}

void TestAsyncRuntime::whenSettledNeverCallsBackSynchronously()
{
    QJSEngine engine;
    installAsyncRuntime(engine);
    int calls = 0;
    AsyncRuntime::whenSettled(engine, QJSValue(1), [&calls](bool, const QJSValue &) { ++calls; });
    QCOMPARE(calls, 0);
    QTRY_COMPARE(calls, 1);
}

void TestAsyncRuntime::engineDestroyedWithPendingCallbacks()
{
    int calls = 0;
    {
        QJSEngine engine;
        installAsyncRuntime(engine);
        AsyncRuntime::whenSettled(engine, eval(engine, QStringLiteral("new Promise(function () {})")),
                                  [&calls](bool, const QJSValue &) { ++calls; });
        AsyncRuntime::whenSettled(engine, QJSValue(1), [&calls](bool, const QJSValue &) { ++calls; });
    }
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void TestAsyncRuntime::enginesAreIndependent()
{
    QJSEngine first;
    QJSEngine second;
    installAsyncRuntime(first);
    installAsyncRuntime(second);
    const Settled a =
        settle(first, eval(first, QStringLiteral("__hearth_run((function* () { return 'first'; })())")));
    const Settled b = settle(second, eval(second, QStringLiteral("__hearth_run((function* () { yield 1; "
                                                                 "return 'second'; })())")));
    QCOMPARE(a.value.toString(), QStringLiteral("first"));
    QCOMPARE(b.value.toString(), QStringLiteral("second"));
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestAsyncRuntime)
#include "tst_asyncruntime.moc"
