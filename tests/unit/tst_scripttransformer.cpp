// ScriptTransformer and JsTokenizer: tokenizer edge cases, macros and #table
// shortcuts in code only, line numbers kept, and every `await` pattern run in a
// real QJSEngine with the async runtime. Expected values were taken from Node 20
// running the same scripts as async function bodies.
#include "script/asyncruntime.h"
#include "script/jstokenizer.h"
#include "script/scripttransformer.h"

#include <QEventLoop>
#include <QJSEngine>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Hearth;

class TestScriptTransformer : public QObject
{
    Q_OBJECT

private slots:
    // tokenizer
    void punctuatorsLongestMatch();
    void literals();
    void regexVersusDivision_data();
    void regexVersusDivision();
    void nestedTemplates();
    void commentsAreSkipped();
    void lineTracking();
    void unterminatedInput_data();
    void unterminatedInput();
    void garbageNeverHangsOrCrashes();

    // transformation
    void macros_data();
    void macros();
    void macrosOnlyInCode();
    void tableShortcut();
    void macrosAtRuntime();
    void generatedCodeShape_data();
    void generatedCodeShape();
    void functionBodyWrapper();
    void linesArePreserved_data();
    void linesArePreserved();
    void runtimeErrorLines_data();
    void runtimeErrorLines();
    void engineSyntaxErrorKeepsLine();
    void uncaughtErrorIsTheOriginal();
    void syntaxErrors_data();
    void syntaxErrors();
    void awaitPatterns_data();
    void awaitPatterns();
    void throwMacroRejects();
    void expressionMode();
    void deepNestingIsRefusedNotCrashed();
};

// moc only needs the class; its preprocessor cannot read the raw string
// literals below.
#ifndef Q_MOC_RUN

namespace {

QString kindName(JsToken::Kind kind)
{
    switch (kind) {
    case JsToken::Kind::Name:
        return QStringLiteral("N");
    case JsToken::Kind::Number:
        return QStringLiteral("num");
    case JsToken::Kind::String:
        return QStringLiteral("S");
    case JsToken::Kind::Template:
        return QStringLiteral("T");
    case JsToken::Kind::TemplateHead:
        return QStringLiteral("TH");
    case JsToken::Kind::TemplateMiddle:
        return QStringLiteral("TM");
    case JsToken::Kind::TemplateTail:
        return QStringLiteral("TT");
    case JsToken::Kind::Regex:
        return QStringLiteral("R");
    case JsToken::Kind::Punctuator:
        return QStringLiteral("P");
    case JsToken::Kind::Macro:
        return QStringLiteral("@");
    case JsToken::Kind::HashName:
        return QStringLiteral("#");
    }
    return QString();
}

// "KIND:text" per token, joined by spaces.
QString describe(const QString &source)
{
    const JsTokenizeResult r = JsTokenizer::tokenize(source);
    if (!r.ok())
        return QStringLiteral("error %1: %2").arg(r.errorLine).arg(r.error);
    QStringList parts;
    for (const JsToken &t : r.tokens)
        parts << kindName(t.kind) + QLatin1Char(':') + t.text(source).toString();
    return parts.join(QLatin1Char(' '));
}

QString fragment(const QString &source)
{
    const ScriptTransformResult r = ScriptTransformer::transform(source, ScriptTransformer::Mode::Fragment);
    return r.ok() ? r.code : QStringLiteral("error %1: %2").arg(r.errorLine).arg(r.error);
}

struct Outcome
{
    bool settled = false;
    bool fulfilled = false;
    QString json;    // the fulfilled value as JSON
    QString message; // rejection, transform or compile error text
    int line = 0;    // its lineNumber
    QJSValue value;
};

// A $ctx like the runtime's, enough for macros: $throw['404'](m) throws an
// Error carrying statusCode; #posts.find resolves asynchronously.
const char *const kFakeContext = R"JS(({
    $body: { title: 'Hello' }, $query: { limit: 5 }, $params: { id: '7' }, $user: { id: 3, email: 'u@x.io' },
    $req: { method: 'POST' }, $share: {}, $data: null, $statusCode: 200, $error: null, $api: {}, $env: { MODE: 'test' },
    $helpers: { autoSlug: function (s) { return s.toLowerCase().replace(/ /g, '-'); } },
    $cache: {}, $logs: function () {},
    $repos: { posts: { find: function (o) { return Promise.resolve({ data: [{ id: 1, title: 'p' }], got: o }); } } },
    $throw: (function () {
        function make(status) {
            return function (message) { var e = new Error(message); e.statusCode = status; throw e; };
        }
        var t = make(400);
        ['400', '401', '403', '404', '409', '422', '429', '500', '503'].forEach(function (s) { t[s] = make(Number(s)); });
        return t;
    })()
}))JS";

Outcome run(QJSEngine &engine, const QString &script,
            ScriptTransformer::Mode mode = ScriptTransformer::Mode::FunctionBody)
{
    Outcome out;
    installAsyncRuntime(engine);
    const ScriptTransformResult t = ScriptTransformer::transform(script, mode);
    if (!t.ok()) {
        out.message = QStringLiteral("transform: ") + t.error;
        out.line = t.errorLine;
        return out;
    }
    const QJSValue fn = engine.evaluate(t.code, QStringLiteral("script.js"), 1);
    if (fn.isError()) {
        out.message = QStringLiteral("compile: ") + fn.toString();
        out.line = fn.property(QStringLiteral("lineNumber")).toInt();
        return out;
    }
    const QJSValue ctx = engine.evaluate(QString::fromUtf8(kFakeContext));
    // A body without top-level await returns its value (or throws) directly:
    // take both as the Promise an async body would have given.
    const QJSValue asPromise =
        engine.evaluate(QStringLiteral("(function (f, c) { try { return Promise.resolve(f(c)); } catch (e) { "
                                       "return Promise.reject(e); } })"));
    const QJSValue promise = asPromise.call({fn, ctx});
    auto result = std::make_shared<Outcome>();
    QEventLoop loop;
    AsyncRuntime::whenSettled(engine, promise, [&engine, result, &loop](bool fulfilled, const QJSValue &v) {
        result->settled = true;
        result->fulfilled = fulfilled;
        result->value = v;
        if (fulfilled) {
            result->json = engine.evaluate(QStringLiteral("(function (v) { return JSON.stringify(v); })"))
                               .call({v})
                               .toString();
        } else {
            result->message = v.toString();
            result->line = v.property(QStringLiteral("lineNumber")).toInt();
        }
        loop.quit();
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    if (!result->settled)
        loop.exec();
    return *result;
}

int countNewlines(const QString &s)
{
    int n = 0;
    for (int i = 0; i < s.size(); ++i) {
        if (s[i] == u'\n' || (s[i] == u'\r' && (i + 1 == s.size() || s[i + 1] != u'\n')))
            ++n;
    }
    return n;
}

} // namespace

// ---- tokenizer ---------------------------------------------------------------

void TestScriptTransformer::punctuatorsLongestMatch()
{
    QCOMPARE(
        describe(QStringLiteral("a===b!==c**=d>>>=e...f?.g??h=>i")),
        QStringLiteral("N:a P:=== N:b P:!== N:c P:**= N:d P:>>>= N:e P:... N:f P:?. N:g P:?? N:h P:=> N:i"));
    QCOMPARE(describe(QStringLiteral("x?\?=y||=z&&=w>>>v<<=u")),
             QStringLiteral("N:x P:?\?= N:y P:||= N:z P:&&= N:w P:>>> N:v P:<<= N:u"));
    // `?.` followed by a digit is a conditional and a number.
    QCOMPARE(describe(QStringLiteral("a?.5:b")), QStringLiteral("N:a P:? num:.5 P:: N:b"));
    QCOMPARE(describe(QStringLiteral("a?.b?.[c]?.(d)")),
             QStringLiteral("N:a P:?. N:b P:?. P:[ N:c P:] P:?. P:( N:d P:)"));
}

void TestScriptTransformer::literals()
{
    QCOMPARE(describe(QStringLiteral(R"('a\'b' "c\"d" 'e\\' 0x1F 1_000 .5e-3 10n 1.5)")),
             QStringLiteral(R"(S:'a\'b' S:"c\"d" S:'e\\' num:0x1F num:1_000 num:.5e-3 num:10n num:1.5)"));
    QCOMPARE(describe(QStringLiteral("const café = 名前 + $x_1 + _;")),
             QStringLiteral("N:const N:café P:= N:名前 P:+ N:$x_1 P:+ N:_ P:;"));
    QCOMPARE(describe(QStringLiteral("@BODY.x + #posts.find() + @THROW404")),
             QStringLiteral("@:@BODY P:. N:x P:+ #:#posts P:. N:find P:( P:) P:+ @:@THROW404"));
    QCOMPARE(describe(QStringLiteral("'line\\\ncontinued'")), QStringLiteral("S:'line\\\ncontinued'"));
}

void TestScriptTransformer::regexVersusDivision_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("tokens");
    QTest::newRow("division chain") << QStringLiteral("a / b / c") << QStringLiteral("N:a P:/ N:b P:/ N:c");
    QTest::newRow("after =") << QStringLiteral("x = /re/g.test(y)")
                             << QStringLiteral("N:x P:= R:/re/g P:. N:test P:( N:y P:)");
    QTest::newRow("after return, escapes, class")
        << QStringLiteral(R"(return /a\/b[/]/i)") << QStringLiteral(R"(N:return R:/a\/b[/]/i)");
    QTest::newRow("after )") << QStringLiteral("(a) / 2") << QStringLiteral("P:( N:a P:) P:/ num:2");
    QTest::newRow("after if (…)") << QStringLiteral("if (x) /re/.test(s)")
                                  << QStringLiteral("N:if P:( N:x P:) R:/re/ P:. N:test P:( N:s P:)");
    QTest::newRow("after postfix ++") << QStringLiteral("a++ / 2") << QStringLiteral("N:a P:++ P:/ num:2");
    QTest::newRow("after ]") << QStringLiteral("[1] / 2") << QStringLiteral("P:[ num:1 P:] P:/ num:2");
    QTest::newRow("after block }") << QStringLiteral("{}\n/re/.test(s)")
                                   << QStringLiteral("P:{ P:} R:/re/ P:. N:test P:( N:s P:)");
    QTest::newRow("after object literal }")
        << QStringLiteral("x = {} / 2") << QStringLiteral("N:x P:= P:{ P:} P:/ num:2");
    QTest::newRow("after typeof") << QStringLiteral("typeof /x/") << QStringLiteral("N:typeof R:/x/");
    QTest::newRow("newline keeps division")
        << QStringLiteral("a = b\n/c/g") << QStringLiteral("N:a P:= N:b P:/ N:c P:/ N:g");
    QTest::newRow("in substitution") << QStringLiteral("`${/}/.source}`")
                                     << QStringLiteral("TH:`${ R:/}/ P:. N:source TT:}`");
    QTest::newRow("divide-assign") << QStringLiteral("x /= 2") << QStringLiteral("N:x P:/= num:2");
    QTest::newRow("regex starting with =") << QStringLiteral("f(/=/)") << QStringLiteral("N:f P:( R:/=/ P:)");
    QTest::newRow("after await") << QStringLiteral("await /x/") << QStringLiteral("N:await R:/x/");
    QTest::newRow("after this") << QStringLiteral("this / 2") << QStringLiteral("N:this P:/ num:2");
    QTest::newRow("after string") << QStringLiteral("'a' / 2") << QStringLiteral("S:'a' P:/ num:2");
    QTest::newRow("keyword as property name")
        << QStringLiteral("x.delete / 2 / y.return")
        << QStringLiteral("N:x P:. N:delete P:/ num:2 P:/ N:y P:. N:return");
    QTest::newRow("keyword method call")
        << QStringLiteral("x.if(a) / 2") << QStringLiteral("N:x P:. N:if P:( N:a P:) P:/ num:2");
}

void TestScriptTransformer::regexVersusDivision()
{
    QFETCH(QString, source);
    QFETCH(QString, tokens);
    QCOMPARE(describe(source), tokens);
}

void TestScriptTransformer::nestedTemplates()
{
    QCOMPARE(describe(QStringLiteral("`a${ {b: `c${ \"}\" }d`}.b }e${x}f`")),
             QStringLiteral("TH:`a${ P:{ N:b P:: TH:`c${ S:\"}\" TT:}d` P:} P:. N:b TM:}e${ N:x TT:}f`"));
    QCOMPARE(describe(QStringLiteral("`${`${`${1}`}`}`")),
             QStringLiteral("TH:`${ TH:`${ TH:`${ num:1 TT:}` TT:}` TT:}`"));
    QCOMPARE(describe(QStringLiteral("`no subst \\${x} \\` $ {`")),
             QStringLiteral("T:`no subst \\${x} \\` $ {`"));
    QCOMPARE(describe(QStringLiteral("`${ '`' + \"${\" }`")),
             QStringLiteral("TH:`${ S:'`' P:+ S:\"${\" TT:}`"));
    QCOMPARE(describe(QStringLiteral("tag`x${y}`")), QStringLiteral("N:tag TH:`x${ N:y TT:}`"));
}

void TestScriptTransformer::commentsAreSkipped()
{
    QCOMPARE(describe(QStringLiteral("// await @BODY #x async () => {\n"
                                     "/* async function f() { await g() } @USER `${ */ a /* ' \" */ b")),
             QStringLiteral("N:a N:b"));
    const QString source = QStringLiteral("x // c\n/* 1\n2 */ y");
    const JsTokenizeResult r = JsTokenizer::tokenize(source);
    QVERIFY(r.ok());
    QCOMPARE(r.tokens.size(), 2);
    QCOMPARE(r.tokens[1].line, 3);
    QVERIFY(r.tokens[1].newlineBefore);
    // A comment does not change what '/' means after it.
    QCOMPARE(describe(QStringLiteral("a /* c */ / b")), QStringLiteral("N:a P:/ N:b"));
}

void TestScriptTransformer::lineTracking()
{
    const QString source = QStringLiteral("a\r\nb\rc\nd `x\ny` e\u2028f 'g\\\nh' i");
    const JsTokenizeResult r = JsTokenizer::tokenize(source);
    QVERIFY(r.ok());
    QList<int> lines;
    QList<bool> newlines;
    for (const JsToken &t : r.tokens) {
        lines << t.line;
        newlines << t.newlineBefore;
    }
    QCOMPARE(lines, (QList<int>{1, 2, 3, 4, 4, 5, 6, 6, 7}));
    QCOMPARE(newlines, (QList<bool>{false, true, true, true, false, false, true, false, false}));
}

void TestScriptTransformer::unterminatedInput_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::newRow("string") << QStringLiteral("x = 'abc") << QStringLiteral("Unterminated string literal")
                            << 1;
    QTest::newRow("string at newline")
        << QStringLiteral("x = 1;\ny = \"abc\nz\"") << QStringLiteral("Unterminated string literal") << 2;
    QTest::newRow("string ending in backslash")
        << QStringLiteral("'abc\\") << QStringLiteral("Unterminated string literal") << 1;
    QTest::newRow("template") << QStringLiteral("a\n`abc\n")
                              << QStringLiteral("Unterminated template literal") << 2;
    QTest::newRow("template substitution")
        << QStringLiteral("`a${ b") << QStringLiteral("Unterminated template literal") << 1;
    QTest::newRow("nested template") << QStringLiteral("`a${ `b${ c }`")
                                     << QStringLiteral("Unterminated template literal") << 1;
    QTest::newRow("comment") << QStringLiteral("a\n/* comment\n") << QStringLiteral("Unterminated comment")
                             << 2;
    QTest::newRow("regex") << QStringLiteral("x = /abc") << QStringLiteral("Unterminated regular expression")
                           << 1;
    QTest::newRow("regex at newline")
        << QStringLiteral("\nx = /abc\n/") << QStringLiteral("Unterminated regular expression") << 2;
    QTest::newRow("regex class") << QStringLiteral("x = /[/")
                                 << QStringLiteral("Unterminated regular expression") << 1;
    QTest::newRow("lone @") << QStringLiteral("a @ b") << QStringLiteral("Unexpected '@'") << 1;
    QTest::newRow("lone #") << QStringLiteral("\na # b") << QStringLiteral("Unexpected '#'") << 2;
    QTest::newRow("stray character") << QStringLiteral("x = 1 \u00a7 2")
                                     << QStringLiteral("Unexpected character") << 1;
}

void TestScriptTransformer::unterminatedInput()
{
    QFETCH(QString, source);
    QFETCH(QString, message);
    QFETCH(int, line);
    const JsTokenizeResult r = JsTokenizer::tokenize(source);
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
    QCOMPARE(r.errorLine, line);
    const ScriptTransformResult t = ScriptTransformer::transform(source);
    QVERIFY(!t.ok());
    QCOMPARE(t.errorLine, line);
    QVERIFY(t.code.isEmpty());
}

void TestScriptTransformer::garbageNeverHangsOrCrashes()
{
    // Deterministic pseudo-random snippets of JavaScript-ish characters: the
    // tokenizer and transformer must always return, and when they succeed the
    // result keeps the source's line count.
    static const QString alphabet =
        QStringLiteral("'\"`${}()[]/\\*\n @#ab1.=>?:;,+-async await function yield "
                       "class { ... } => x \r\u2028");
    quint32 seed = 12345;
    auto next = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) & 0x7fff;
    };
    for (int i = 0; i < 4000; ++i) {
        QString s;
        const int length = int(next() % 48);
        for (int k = 0; k < length; ++k)
            s += alphabet[int(next() % alphabet.size())];
        for (auto mode : {ScriptTransformer::Mode::Fragment, ScriptTransformer::Mode::FunctionBody,
                          ScriptTransformer::Mode::Expression}) {
            const ScriptTransformResult r = ScriptTransformer::transform(s, mode);
            if (r.ok() && mode == ScriptTransformer::Mode::Fragment)
                QCOMPARE(countNewlines(r.code), countNewlines(s));
            if (!r.ok())
                QVERIFY(r.errorLine >= 1);
        }
    }
}

// ---- transformation -------------------------------------------------------------

void TestScriptTransformer::macros_data()
{
    QTest::addColumn<QString>("macro");
    QTest::addColumn<QString>("expansion");
    const QList<QPair<QString, QString>> plain = {
        {"BODY", "$body"},   {"QUERY", "$query"}, {"PARAMS", "$params"},   {"USER", "$user"},
        {"REQ", "$req"},     {"REPOS", "$repos"}, {"HELPERS", "$helpers"}, {"CACHE", "$cache"},
        {"LOGS", "$logs"},   {"SHARE", "$share"}, {"DATA", "$data"},       {"STATUS", "$statusCode"},
        {"ERROR", "$error"}, {"API", "$api"},     {"ENV", "$env"},         {"THROW", "$throw"}};
    for (const auto &[m, e] : plain)
        QTest::newRow(qPrintable(m)) << QLatin1Char('@') + m << QStringLiteral("$ctx.") + e;
    for (const char *status : {"400", "401", "403", "404", "409", "422", "429", "500", "503"}) {
        QTest::newRow(status) << QStringLiteral("@THROW") + QLatin1String(status)
                              << QStringLiteral("$ctx.$throw['%1']").arg(QLatin1String(status));
    }
}

void TestScriptTransformer::macros()
{
    QFETCH(QString, macro);
    QFETCH(QString, expansion);
    QCOMPARE(fragment(QStringLiteral("const v = %1;").arg(macro)),
             QStringLiteral("const v = %1;").arg(expansion));
    QCOMPARE(fragment(macro + QStringLiteral(".x(1)")), expansion + QStringLiteral(".x(1)"));
}

void TestScriptTransformer::macrosOnlyInCode()
{
    const QString source =
        QStringLiteral("const s = \"@USER.id #posts\"; // @BODY #posts\n"
                       "const t = `@QUERY ${@QUERY.limit} #posts ${'@BODY'}`; /* @REPOS */\n"
                       "const r = /@BODY #x/; const u = @USER.id;");
    QCOMPARE(fragment(source),
             QStringLiteral("const s = \"@USER.id #posts\"; // @BODY #posts\n"
                            "const t = `@QUERY ${$ctx.$query.limit} #posts ${'@BODY'}`; /* @REPOS */\n"
                            "const r = /@BODY #x/; const u = $ctx.$user.id;"));
    QCOMPARE(fragment(QStringLiteral("@FOO.x")), QStringLiteral("error 1: Unknown macro @FOO"));
    QCOMPARE(fragment(QStringLiteral("\n@THROW418('x')")),
             QStringLiteral("error 2: Unknown macro @THROW418"));
}

void TestScriptTransformer::tableShortcut()
{
    QCOMPARE(fragment(QStringLiteral("const r = await #posts.find({ limit: 1 });")),
             QStringLiteral("const r = ( yield $ctx.$repos.posts.find({ limit: 1 }));"));
    QCOMPARE(fragment(QStringLiteral("#user_profiles.create({ data: { a: 1 } })")),
             QStringLiteral("$ctx.$repos.user_profiles.create({ data: { a: 1 } })"));
    // After '.', #x is a private name and stays (QJSEngine 6.4 rejects it anyway).
    QCOMPARE(fragment(QStringLiteral("this.#x + o?.#y")), QStringLiteral("this.#x + o?.#y"));
}

void TestScriptTransformer::macrosAtRuntime()
{
    QJSEngine engine;
    const Outcome o =
        run(engine, QStringLiteral("const r = await #posts.find({ filter: { id: @PARAMS.id } });\n"
                                   "@SHARE.seen = true;\n"
                                   "return [r.data[0].title, r.got.filter.id, @BODY.title, @USER.id,"
                                   " @QUERY.limit, @REQ.method, @ENV.MODE, @SHARE.seen, @STATUS,"
                                   " @HELPERS.autoSlug('A B'), '@USER.id'];"));
    QVERIFY2(o.fulfilled, qPrintable(o.message));
    QCOMPARE(o.json, QStringLiteral(R"(["p","7","Hello",3,5,"POST","test",true,200,"a-b","@USER.id"])"));
}

void TestScriptTransformer::generatedCodeShape_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("expected");
    QTest::newRow("await") << QStringLiteral("const x = await f(1).y;")
                           << QStringLiteral("const x = ( yield f(1).y);");
    QTest::newRow("await operand on next line")
        << QStringLiteral("x = await\n  f()") << QStringLiteral("x = (\n  yield f())");
    QTest::newRow("nested await") << QStringLiteral("await await x") << QStringLiteral("( yield ( yield x))");
    QTest::newRow("await then binary")
        << QStringLiteral("await a + await b") << QStringLiteral("( yield a) + ( yield b)");
    QTest::newRow("await statement after an expression (ASI)")
        << QStringLiteral("a = b\nawait c") << QStringLiteral("a = b\n;( yield c)");
    QTest::newRow("await as if body keeps the body")
        << QStringLiteral("if (a)\n  await c") << QStringLiteral("if (a)\n  ( yield c)");
    QTest::newRow("async function")
        << QStringLiteral("async function f(a) { return a }")
        << QStringLiteral(
               " function f(a) { return __hearth_run((function* () { return a }).apply(this, arguments)); }");
    QTest::newRow("async arrow with expression body")
        << QStringLiteral("const g = async x => x")
        << QStringLiteral("const g =  x => __hearth_run((function* () { return x }).apply(this, arguments))");
    QTest::newRow("async arrow with block body")
        << QStringLiteral("h(async (a, b) => {\n  await a\n})")
        << QStringLiteral("h( (a, b) => { return __hearth_run((function* () {\n  ( yield a)\n"
                          "}).apply(this, arguments)); })");
    QTest::newRow("async method")
        << QStringLiteral("({ async m() {}, async: 1, get async() {} })")
        << QStringLiteral(
               "({  m() { return __hearth_run((function* () {}).apply(this, arguments)); }, async: 1,"
               " get async() {} })");
    QTest::newRow("object spread") << QStringLiteral("x = {...a, b: 1, c, ...d}")
                                   << QStringLiteral("x = Object.assign({}, a , {b: 1, c} , d)");
    QTest::newRow("object spread over lines") << QStringLiteral("x = {\n  a: 1,\n  ...b,\n}")
                                              << QStringLiteral("x = Object.assign({}\n  , {a: 1}\n  , b\n)");
    QTest::newRow("array and call spread untouched")
        << QStringLiteral("f(...a, [...b])") << QStringLiteral("f(...a, [...b])");
    QTest::newRow("object rest")
        << QStringLiteral("const {a, 'b': c, ...r} = o")
        << QStringLiteral("const {a, 'b': c, __hearth_rest__: r} = __hearth_rest(o, [\"a\", 'b'])");
    QTest::newRow("optional catch binding")
        << QStringLiteral("try {} catch {}") << QStringLiteral("try {} catch (__hearth_e) {}");
    QTest::newRow("numeric separators")
        << QStringLiteral("1_000_000 + 0x_FF") << QStringLiteral("1000000 + 0xFF");
    QTest::newRow("user generator untouched")
        << QStringLiteral("function* g() { yield 1 }") << QStringLiteral("function* g() { yield 1 }");
    QTest::newRow("logical assignment") << QStringLiteral("a.b['c'][0] ?\?= 1; x ||= y; @SHARE.n &&= 2")
                                        << QStringLiteral("a.b['c'][0] ?? (a.b['c'][0] = 1); x || (x = y);"
                                                          " $ctx.$share.n && ($ctx.$share.n = 2)");
    QTest::newRow("ASI guard after a property named like a keyword")
        << QStringLiteral("x = a.return\nawait b") << QStringLiteral("x = a.return\n;( yield b)");
}

void TestScriptTransformer::generatedCodeShape()
{
    QFETCH(QString, source);
    QFETCH(QString, expected);
    QCOMPARE(fragment(source), expected);
}

void TestScriptTransformer::functionBodyWrapper()
{
    // A body that awaits at its top level runs in a generator and returns a Promise…
    const QString body = QStringLiteral("await 1; return 1 // trailing comment");
    const ScriptTransformResult r = ScriptTransformer::transform(body);
    QVERIFY(r.ok());
    QVERIFY(r.returnsPromise);
    QCOMPARE(r.code, ScriptTransformer::functionBodyPrefix() +
                         QStringLiteral("( yield 1); return 1 // trailing comment") +
                         ScriptTransformer::functionBodySuffix());
    // …one that does not is a plain function returning its value, on the same lines.
    const ScriptTransformResult plain =
        ScriptTransformer::transform(QStringLiteral("return 1 // trailing comment"));
    QVERIFY(plain.ok());
    QVERIFY(!plain.returnsPromise);
    QCOMPARE(plain.code, QStringLiteral("(function ($ctx) {return 1 // trailing comment\n})"));
    QVERIFY(!ScriptTransformer::functionBodyPrefix().contains(u'\n'));
    QVERIFY(ScriptTransformer::functionBodySuffix().startsWith(u'\n'));
}

void TestScriptTransformer::linesArePreserved_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("awaits") << QStringLiteral("const a = await\n  f(\n    1)\nawait g()\n");
    QTest::newRow("async functions") << QStringLiteral("async function f(\n  a\n) {\n  return await a\n}\n"
                                                       "const g = async x =>\n  await x\n");
    QTest::newRow("spread and rest") << QStringLiteral("const o = {\n  ...a,\n  b,\n  ...c\n}\n"
                                                       "const {\n  x,\n  ...y\n} = o");
    QTest::newRow("templates and comments") << QStringLiteral("const t = `\n${await a}\n`\n/*\n*/ // x\n");
    QTest::newRow("crlf") << QStringLiteral("await a\r\nawait b\r\n\r\n");
}

void TestScriptTransformer::linesArePreserved()
{
    QFETCH(QString, source);
    const ScriptTransformResult fragmentResult =
        ScriptTransformer::transform(source, ScriptTransformer::Mode::Fragment);
    QVERIFY2(fragmentResult.ok(), qPrintable(fragmentResult.error));
    QCOMPARE(countNewlines(fragmentResult.code), countNewlines(source));
    const ScriptTransformResult body = ScriptTransformer::transform(source);
    QVERIFY(body.ok());
    QCOMPARE(countNewlines(body.code), countNewlines(source) + 1); // only the wrapper's closing line
}

void TestScriptTransformer::runtimeErrorLines_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("first line") << QStringLiteral("throw new Error('first');") << 1
                                << QStringLiteral("first");
    QTest::newRow("after multi-line template and spread")
        << QStringLiteral(
               "const t = `a\nb ${await 'c'}\nd`;\nconst o = { ...{ t },\n  x: 1 };\nthrow new Error(t);")
        << 6 << QStringLiteral("a\nb c\nd");
    QTest::newRow("after comments") << QStringLiteral(
                                           "/* one\n two\n await three */\n// four\nundefinedName.x;")
                                    << 5 << QStringLiteral("undefinedName");
    QTest::newRow("inside async function")
        << QStringLiteral(
               "async function f(v) {\n  await null;\n  if (v) {\n    return v.missing.deep;\n  }\n}\n"
               "await f(1);\nreturn 'not reached';")
        << 4 << QStringLiteral("deep");
    QTest::newRow("async arrow expression body over lines")
        << QStringLiteral(
               "const f = async x =>\n  x +\n  await Promise.resolve(1) +\n  x.a.b;\nreturn await f({});")
        << 4 << QStringLiteral("'b'");
    QTest::newRow("await operand on a later line")
        << QStringLiteral("const v = await\n\n  Promise.reject(new Error('on line 3'));") << 3
        << QStringLiteral("on line 3");
    QTest::newRow("inside Promise.all callback")
        << QStringLiteral(
               "const r = await Promise.all([1, 2].map(async x => {\n  await null;\n  if (x === 2)\n"
               "    throw new RangeError('two');\n  return x;\n}));")
        << 4 << QStringLiteral("RangeError: two");
    QTest::newRow("crlf") << QStringLiteral("const a = 1;\r\nawait null;\r\n\r\nnull.x;") << 4
                          << QStringLiteral("null");
    QTest::newRow("trailing line comment")
        << QStringLiteral("await null\nthrow new Error('last') // comment") << 2 << QStringLiteral("last");
    QTest::newRow("after loops, spread, rest and then")
        << QStringLiteral("for (let i = 0; i < 3; i++) {\n  await i;\n}\nlet s = {\n  ...{ a: 1 },\n};\n"
                          "const { a, ...rest } = s;\nawait Promise.resolve().then(() => {\n  throw new "
                          "Error('in then');\n});")
        << 9 << QStringLiteral("in then");
    QTest::newRow("after macros") << QStringLiteral("const b = @BODY;\nconst u = @USER;\n#posts.missing();")
                                  << 3 << QStringLiteral("missing");
}

void TestScriptTransformer::runtimeErrorLines()
{
    QFETCH(QString, script);
    QFETCH(int, line);
    QFETCH(QString, message);
    QJSEngine engine;
    const Outcome o = run(engine, script);
    QVERIFY(o.settled);
    QVERIFY2(!o.fulfilled, qPrintable(o.json));
    QVERIFY2(o.message.contains(message), qPrintable(o.message));
    QCOMPARE(o.line, line);
}

void TestScriptTransformer::engineSyntaxErrorKeepsLine()
{
    QJSEngine engine;
    const Outcome o = run(engine, QStringLiteral("const a = await 1;\nconst o = { ...a };\n\nconst b = ;\n"));
    QVERIFY2(o.message.startsWith(QStringLiteral("compile: SyntaxError")), qPrintable(o.message));
    QCOMPARE(o.line, 4);
}

void TestScriptTransformer::uncaughtErrorIsTheOriginal()
{
    QJSEngine engine;
    const Outcome o =
        run(engine, QStringLiteral("await null;\nconst e = new TypeError('typed');\ne.code = 'E1';\n"
                                   "throw e;"));
    QVERIFY(!o.fulfilled);
    QVERIFY(o.value.isError());
    QCOMPARE(o.value.property(QStringLiteral("name")).toString(), QStringLiteral("TypeError"));
    QCOMPARE(o.value.property(QStringLiteral("code")).toString(), QStringLiteral("E1"));
    QCOMPARE(o.line, 2); // where the Error was created, as in Node
}

void TestScriptTransformer::syntaxErrors_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    const QString notAsync = QStringLiteral("'await' is only valid in async functions");
    QTest::newRow("await in a plain function")
        << QStringLiteral("function f() {\n\n  return await 1\n}") << notAsync << 3;
    QTest::newRow("await in a plain arrow") << QStringLiteral("const f = x =>\n  await x") << notAsync << 2;
    QTest::newRow("await in a plain function inside an async one")
        << QStringLiteral("async function f() {\n  [1].forEach(function (x) {\n    await x;\n  });\n}")
        << notAsync << 3;
    QTest::newRow("await in a plain callback arrow")
        << QStringLiteral("await Promise.all([1].map(x => await x))") << notAsync << 1;
    QTest::newRow("await in parameters")
        << QStringLiteral("async function f(a = await 1) {}") << notAsync << 1;
    QTest::newRow("await in a getter")
        << QStringLiteral("const o = {\n  get x() { return await 1; }\n}") << notAsync << 2;
    QTest::newRow("await without operand")
        << QStringLiteral("\nawait;") << QStringLiteral("needs an expression") << 2;
    QTest::newRow("for await") << QStringLiteral("for await (const x of y) {}")
                               << QStringLiteral("'for await'") << 1;
    QTest::newRow("async generator") << QStringLiteral("\nasync function* g() {}")
                                     << QStringLiteral("Async generator functions") << 2;
    QTest::newRow("async generator method")
        << QStringLiteral("({ async *g() {} })") << QStringLiteral("Async generator methods") << 1;
    QTest::newRow("super in async method")
        << QStringLiteral("class A extends B {\n  async m() {\n    return super.m();\n  }\n}")
        << QStringLiteral("'super'") << 3;
    QTest::newRow("object rest in parameters")
        << QStringLiteral("function f({ a, ...r }) {}") << QStringLiteral("Object rest") << 1;
    QTest::newRow("object rest without a value")
        << QStringLiteral("for (const { a, ...r } of list) {}") << QStringLiteral("Object rest") << 1;
    QTest::newRow("nested object rest")
        << QStringLiteral("const { a: { b, ...r } } = o;") << QStringLiteral("Object rest") << 1;
    QTest::newRow("object rest with computed key")
        << QStringLiteral("const { [k]: v, ...r } = o;") << QStringLiteral("computed keys") << 1;
    QTest::newRow("unclosed paren") << QStringLiteral("f(\n  1,\n  2\nreturn")
                                    << QStringLiteral("'(' is never closed") << 1;
    QTest::newRow("mismatched bracket")
        << QStringLiteral("const a = [1, 2)") << QStringLiteral("'[' is never closed") << 1;
    QTest::newRow("stray closer") << QStringLiteral("a();\n}") << QStringLiteral("Unexpected '}'") << 2;
    QTest::newRow("unclosed paren in substitution")
        << QStringLiteral("`${ f( }`") << QStringLiteral("'(' is never closed") << 1;
    QTest::newRow("logical assignment to a call result")
        << QStringLiteral("\nf().x ?\?= 1") << QStringLiteral("'?\?=' needs a plain target") << 2;
}

void TestScriptTransformer::syntaxErrors()
{
    QFETCH(QString, script);
    QFETCH(QString, message);
    QFETCH(int, line);
    const ScriptTransformResult r = ScriptTransformer::transform(script);
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
    QCOMPARE(r.errorLine, line);
}

void TestScriptTransformer::awaitPatterns_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("expected");
    QTest::newRow("sequential") << QStringLiteral(R"JS(const a = await Promise.resolve(1);
const b = await Promise.resolve(a + 1);
const c = await b + 1;
return [a, b, c];)JS") << QStringLiteral(R"J([1,2,3])J");
    QTest::newRow("ifElse") << QStringLiteral(R"JS(const out = [];
if (await Promise.resolve(true)) out.push(await 'then');
else out.push('else');
if (await false) { out.push('no'); } else { out.push(await 'else'); }
return out;)JS") << QStringLiteral(R"J(["then","else"])J");
    QTest::newRow("forLoop") << QStringLiteral(R"JS(const out = [];
for (let i = await 0; i < await 3; i += await 1) { out.push(await (i * 2)); }
return out;)JS") << QStringLiteral(R"J([0,2,4])J");
    QTest::newRow("forOf") << QStringLiteral(R"JS(const out = [];
for (const x of await Promise.resolve([1, 2, 3])) out.push(await Promise.resolve(x + 10))
for (const [k, v] of Object.entries({a: 1, b: 2})) out.push(k + await v)
return out)JS") << QStringLiteral(R"J([11,12,13,"a1","b2"])J");
    QTest::newRow("forIn") << QStringLiteral(R"JS(const out = [];
for (const k in {x: 1, y: 2}) out.push(await k);
return out;)JS") << QStringLiteral(R"J(["x","y"])J");
    QTest::newRow("whileDoWhile") << QStringLiteral(R"JS(let n = 0;
while (await Promise.resolve(n < 3)) n++;
let m = 5;
do { m -= await 2; } while (m > 0);
return [n, m];)JS") << QStringLiteral(R"J([3,-1])J");
    QTest::newRow("tryCatchFinally") << QStringLiteral(R"JS(const out = [];
try {
  out.push(await 'try');
  throw new Error('boom');
} catch (e) {
  out.push(await ('catch ' + e.message));
} finally {
  out.push(await 'finally');
}
return out;)JS") << QStringLiteral(R"J(["try","catch boom","finally"])J");
    QTest::newRow("returnInsideFinally") << QStringLiteral(R"JS(const log = [];
async function f() {
  try {
    return await Promise.resolve('value');
  } finally {
    log.push(await 'cleanup');
  }
}
async function g() {
  try {
    throw new Error('x');
  } finally {
    return 'overridden';
  }
}
return [await f(), log, await g()];)JS") << QStringLiteral(R"J(["value",["cleanup"],"overridden"])J");
    QTest::newRow("thrownErrorCaught")
        << QStringLiteral(R"JS(async function fail() { await null; throw new TypeError('bad ' + 42); }
try {
  await fail();
  return 'not reached';
} catch (e) {
  return [e.name, e.message, e instanceof TypeError];
})JS") << QStringLiteral(R"J(["TypeError","bad 42",true])J");
    QTest::newRow("rejectedPromiseCaught") << QStringLiteral(R"JS(let caught;
try {
  await Promise.reject(new Error('rejected'));
} catch (e) {
  caught = e.message;
}
const v = await Promise.reject('plain').catch(r => 'recovered ' + r);
return [caught, v];)JS") << QStringLiteral(R"J(["rejected","recovered plain"])J");
    QTest::newRow("asyncHelperHoisted") << QStringLiteral(R"JS(const r = await helper(2);
async function helper(x) {
  const y = await Promise.resolve(x * 10);
  return y + 1;
}
return r;)JS") << QStringLiteral(R"J(21)J");
    QTest::newRow("asyncArrowBlock") << QStringLiteral(R"JS(const f = async (a, b) => {
  const s = await Promise.resolve(a + b);
  return s * 2;
};
const g = async x => { return await x; };
return [await f(1, 2), await g('g')];)JS")
                                     << QStringLiteral(R"J([6,"g"])J");
    QTest::newRow("asyncArrowExpression")
        << QStringLiteral(R"JS(const f = async x => x * await Promise.resolve(3);
const g = async () => ({ v: await 'obj' });
const h = async (a, b = 2) =>
  a + b
const k = [1, 2].map(async x => await x + 1);
return [await f(2), await g(), await h(1), await Promise.all(k)];)JS")
        << QStringLiteral(R"J([6,{"v":"obj"},3,[2,3]])J");
    QTest::newRow("promiseAllMapInOrder") << QStringLiteral(R"JS(const finished = [];
const items = [0, 1, 2, 3];
const results = await Promise.all(items.map(async x => {
  for (let i = 0; i < 4 - x; i++) await null;
  finished.push(x);
  return x * 10;
}));
return { results, finished };)JS") << QStringLiteral(R"J({"results":[0,10,20,30],"finished":[3,2,1,0]})J");
    QTest::newRow("awaitPlainValue") << QStringLiteral(R"JS(const order = [];
const p = (async () => { order.push('a1'); await 1; order.push('a2'); })();
order.push('sync');
await p;
const u = await undefined;
const n = await null;
return [order, u === undefined, n, await 'str', await 0];)JS")
                                     << QStringLiteral(R"J([["a1","sync","a2"],true,null,"str",0])J");
    QTest::newRow("awaitInTemplate") << QStringLiteral(R"JS(const f = async v => v.toUpperCase();
return `a ${await f('b')} c ${`inner ${await f('d')}`}`;)JS")
                                     << QStringLiteral(R"J("a B c inner D")J");
    QTest::newRow("awaitInObjectLiteral") << QStringLiteral(R"JS(const f = async v => v * 2;
const o = { a: await f(1), b: 2, ['c' + await f(2)]: await f(3), nested: { d: await f(4) } };
return o;)JS") << QStringLiteral(R"J({"a":2,"b":2,"c4":6,"nested":{"d":8}})J");
    QTest::newRow("awaitInArrayLiteral") << QStringLiteral(R"JS(const f = async v => v + 1;
return [await f(0), 5, [await f(1), await f(2)], ...[await f(3)]];)JS")
                                         << QStringLiteral(R"J([1,5,[2,3],4])J");
    QTest::newRow("awaitInCallArguments") << QStringLiteral(R"JS(const f = async v => v;
function sum(...xs) { return xs.reduce((a, b) => a + b, 0); }
return [sum(await f(1), await f(2), ...(await f([3, 4]))), Math.max(await f(7), 3)];)JS")
                                          << QStringLiteral(R"J([10,7])J");
    QTest::newRow("nestedAsyncCalls")
        << QStringLiteral(
               R"JS(async function fib(n) { return n < 2 ? n : await fib(n - 1) + await fib(n - 2); }
async function isEven(n) { return n === 0 ? true : await isOdd(n - 1); }
async function isOdd(n) { return n === 0 ? false : await isEven(n - 1); }
const outer = async () => { const inner = async v => await v * 2; return await inner(await inner(3)); };
return [await fib(10), await isEven(10), await isOdd(7), await outer()];)JS")
        << QStringLiteral(R"J([55,true,true,12])J");
    QTest::newRow("thisInAsyncMethods") << QStringLiteral(R"JS(const obj = {
  v: 'obj',
  async method() { return this.v + await '!'; },
  plain: async function () { return this.v + await '?'; },
  arrowInside() { return (async () => this.v + await '*')(); },
};
class Counter {
  constructor() { this.count = 1; }
  async add(n) { this.count += await n; return this.count; }
  static async make() { const c = new this(); await c.add(1); return c.count; }
}
const c = new Counter();
return [await obj.method(), await obj.plain(), await obj.arrowInside(), await c.add(5), await Counter.make()];)JS")
                                        << QStringLiteral(R"J(["obj!","obj?","obj*",6,2])J");
    QTest::newRow("paramsDefaultsDestructuring")
        << QStringLiteral(R"JS(async function f(a, { b, c = 3 } = {}, [d, ...rest] = [4, 5, 6]) {
  return [a, b, c, d, rest, await arguments.length];
}
async function r(first, ...more) { return [first, await more]; }
const g = async ({ x, y: { z } }, w = x * 2) => [x, z, w, await 'g'];
return [await f(1, { b: 2 }), await f(1, undefined, [7]), await r(1, 2, 3), await g({ x: 1, y: { z: 'z' } })];)JS")
        << QStringLiteral(R"J([[1,2,3,4,[5,6],2],[1,null,3,7,[],3],[1,[2,3]],[1,"z",2,"g"]])J");
    QTest::newRow("objectSpread")
        << QStringLiteral(R"JS(const base = { a: 1, b: 2 };
const extra = { c: 3 };
const o = { ...base, b: 20, ...extra, d: await Promise.resolve(4), ...(await Promise.resolve({ e: 5 })) };
const copy = { ...o };
copy.a = 100;
const withGetter = { ...{ get g() { return 'got'; } } };
const empty = { ...null, ...undefined, ...'hi' };
return [o, copy.a, o.a, withGetter, empty, { ...[1, 2] }];)JS")
        << QStringLiteral(
               R"J([{"a":1,"b":20,"c":3,"d":4,"e":5},100,1,{"g":"got"},{"0":"h","1":"i"},{"0":1,"1":2}])J");
    QTest::newRow("objectRest") << QStringLiteral(
                                       R"JS(const { a, b: renamed, ...rest } = { a: 1, b: 2, c: 3, d: 4 };
let x, others;
({ x, ...others } = await Promise.resolve({ x: 'x', y: 'y', z: 'z' }));
return [a, renamed, rest, x, others];)JS")
                                << QStringLiteral(R"J([1,2,{"c":3,"d":4},"x",{"y":"y","z":"z"}])J");
    QTest::newRow("awaitPrecedence")
        << QStringLiteral(R"JS(const obj = { v: 2, m() { return 'm'; }, p: Promise.resolve('p') };
const pf = Promise.resolve(() => 'called');
return [await 1 + await 2, -await 3, typeof await 4, await null ?? 'dflt', (await obj).v,
  await obj.p, await new Promise(r => r('new')), (await pf)(), await obj?.m?.(), !await false,
  (await Promise.resolve(2)) ** 3];)JS")
        << QStringLiteral(R"J([3,-3,"number","dflt",2,"p","new","called","m",true,8])J");
    QTest::newRow("awaitConditionalAndShortCircuit") << QStringLiteral(R"JS(let calls = 0;
const f = async v => { calls++; return v; };
const a = (await f(true)) ? await f('yes') : await f('no');
const b = false && await f('skipped');
const c = null ?? await f('nullish');
return [a, b, c, calls];)JS") << QStringLiteral(R"J(["yes",false,"nullish",3])J");
    QTest::newRow("asyncIife") << QStringLiteral(
                                      R"JS(const v = await (async () => { await null; return 'iife'; })();
const w = await (async function () { return 'fn ' + await 'expr'; })();
return [v, w];)JS") << QStringLiteral(R"J(["iife","fn expr"])J");
    QTest::newRow("awaitInSwitch") << QStringLiteral(R"JS(async function classify(n) {
  switch (await n) {
    case await 1: return 'one';
    case 2: { const r = await 'two'; return r; }
    default: return 'many';
  }
}
return [await classify(1), await classify(2), await classify(3)];)JS")
                                   << QStringLiteral(R"J(["one","two","many"])J");
    QTest::newRow("labelsBreakContinue") << QStringLiteral(R"JS(const out = [];
outer: for (const i of [1, 2, 3]) {
  for (const j of [1, 2, 3]) {
    if (await (j === 2)) continue outer;
    if (await (i === 3)) break outer;
    out.push(i * 10 + j);
  }
}
return out;)JS") << QStringLiteral(R"J([11,21])J");
    QTest::newRow("namedAsyncFunctionExpression")
        << QStringLiteral(R"JS(const fact = async function f(n) { return n <= 1 ? 1 : n * await f(n - 1); };
return await fact(5);)JS")
        << QStringLiteral(R"J(120)J");
    QTest::newRow("closuresAcrossAwaits") << QStringLiteral(R"JS(const fns = [];
for (let i = 0; i < 3; i++) {
  await null;
  fns.push(async () => i * await 10);
}
return await Promise.all(fns.map(f => f()));)JS")
                                          << QStringLiteral(R"J([0,10,20])J");
    QTest::newRow("userGeneratorsUntouched")
        << QStringLiteral(
               R"JS(function* gen(n) { for (let i = 0; i < n; i++) { const x = yield i; if (x) return x; } }
const it = gen(3);
const seen = [it.next().value, it.next().value, it.next('stop').value];
return [seen, [...gen(2)], await Promise.resolve(seen.length)];)JS")
        << QStringLiteral(R"J([[0,1,"stop"],[0,1],3])J");
    QTest::newRow("thenables") << QStringLiteral(
                                      R"JS(const thenable = { then(resolve) { resolve('thenable'); } };
const failing = { then(_, reject) { reject(new Error('thenable failed')); } };
let e;
try { await failing; } catch (err) { e = err.message; }
return [await thenable, e];)JS")
                               << QStringLiteral(R"J(["thenable","thenable failed"])J");
    QTest::newRow("raceAndAllSettled")
        << QStringLiteral(R"JS(const slow = (async () => { await null; await null; return 'slow'; })();
const fast = (async () => 'fast')();
const settled = await Promise.allSettled([fast, Promise.reject(new Error('no'))]);
return [await Promise.race([slow, fast]), settled.map(s => s.status + ':' + (s.value || s.reason.message))];)JS")
        << QStringLiteral(R"J(["slow",["fulfilled:fast","rejected:no"]])J");
    QTest::newRow("argumentsInAsyncArrow") << QStringLiteral(R"JS(function outer() {
  return (async () => arguments.length + await arguments[0])();
}
return await outer(10, 20);)JS") << QStringLiteral(R"J(12)J");
    QTest::newRow("fireAndForgetThenAwait") << QStringLiteral(R"JS(const done = [];
[3, 1, 2].forEach(async x => { for (let i = 0; i < x; i++) await null; done.push(x); });
for (let i = 0; i < 5; i++) await null;
return done;)JS") << QStringLiteral(R"J([1,2,3])J");
    QTest::newRow("asiHazards") << QStringLiteral(R"JS(const out = []
const a = 1
await null
const f = function () { return 'f' }
await f()
let s = 'x'
;[1].forEach(v => out.push(v))
const g = async () => 'g'
await g()
out.push(await g())
if (a)
  await null
out.push(typeof f)
return out)JS") << QStringLiteral(R"J([1,"g","function"])J");
    QTest::newRow("commentsAndStrings")
        << QStringLiteral(R"JS(// await @BODY #posts in a comment
/* async function x() { await y } */
const s = "await @BODY #posts";
const t = 'async () => {}';
const re = /await|@BODY/;
const u = `#posts @USER.id ${await 'sub'}`;
return [s, t, re.test('@BODY'), u];)JS")
        << QStringLiteral(R"J(["await @BODY #posts","async () => {}",true,"#posts @USER.id sub"])J");
    QTest::newRow("logicalAssignment")
        << QStringLiteral(R"JS(const o = { a: null, b: 0, c: 'keep', list: [] };
let x;
x ??= 5;
o.a ??= 'filled';
o.b ||= 'truthy';
o.c &&= o.c.toUpperCase();
o['list'][0] ??= await Promise.resolve('first');
const r = (o.d ??= {}).e = 1;
x ||= 99;
return [x, o];)JS")
        << QStringLiteral(R"J([5,{"a":"filled","b":"truthy","c":"KEEP","list":["first"],"d":{"e":1}}])J");
    QTest::newRow("newerSyntax")
        << QStringLiteral(R"JS(let r;
try { JSON.parse('{'); } catch { r = 'optional catch binding'; }
return [r, 1_000_000, [1, [2, [3]]].flat(Infinity), Object.fromEntries([['a', 1]]),
  'a.b.c'.replaceAll('.', '/'), [1, 2, 3].at(-1), [1, 2].flatMap(x => [x, x])];)JS")
        << QStringLiteral(R"J(["optional catch binding",1000000,[1,2,3],{"a":1},"a/b/c",3,[1,1,2,2]])J");
}

void TestScriptTransformer::awaitPatterns()
{
    QFETCH(QString, script);
    QFETCH(QString, expected);
    QJSEngine engine;
    const Outcome o = run(engine, script);
    QVERIFY2(o.settled, "the returned Promise never settled");
    QVERIFY2(o.fulfilled, qPrintable(QStringLiteral("line %1: %2").arg(o.line).arg(o.message)));
    QCOMPARE(o.json, expected);
}

void TestScriptTransformer::throwMacroRejects()
{
    QJSEngine engine;
    const Outcome o = run(engine, QStringLiteral("const r = await #posts.find({});\nif (r.data.length)\n"
                                                 "  @THROW404('No posts');\nreturn r;"));
    QVERIFY(!o.fulfilled);
    QCOMPARE(o.message, QStringLiteral("Error: No posts"));
    QCOMPARE(o.value.property(QStringLiteral("statusCode")).toInt(), 404);
}

void TestScriptTransformer::expressionMode()
{
    QJSEngine engine;
    const Outcome a = run(engine, QStringLiteral("(await #posts.find({})).data.length + @USER.id"),
                          ScriptTransformer::Mode::Expression);
    QVERIFY2(a.fulfilled, qPrintable(a.message));
    QCOMPARE(a.json, QStringLiteral("4"));
    const Outcome b = run(engine, QStringLiteral("{ ...@BODY, n: await 1 } // comment"),
                          ScriptTransformer::Mode::Expression);
    QVERIFY2(b.fulfilled, qPrintable(b.message));
    QCOMPARE(b.json, QStringLiteral(R"({"title":"Hello","n":1})"));
}

void TestScriptTransformer::deepNestingIsRefusedNotCrashed()
{
    const QString deep = QString(100000, u'(') + QStringLiteral("1") + QString(100000, u')');
    const ScriptTransformResult refused = ScriptTransformer::transform(deep);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error.contains(QStringLiteral("nested too deeply")), qPrintable(refused.error));
    QVERIFY(
        !ScriptTransformer::transform(QStringLiteral("x = ") + QStringLiteral("{a:").repeated(100000)).ok());
    QVERIFY(
        !ScriptTransformer::transform(QStringLiteral("await ").repeated(100000) + QStringLiteral("1")).ok());

    QJSEngine engine;
    const Outcome fine =
        run(engine, QStringLiteral("return ") + QString(200, u'[') + QStringLiteral("await 1") +
                        QString(200, u']') + QStringLiteral(".flat(Infinity)"));
    QVERIFY2(fine.fulfilled, qPrintable(fine.message));
    QCOMPARE(fine.json, QStringLiteral("[1]"));
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestScriptTransformer)
#include "tst_scripttransformer.moc"
