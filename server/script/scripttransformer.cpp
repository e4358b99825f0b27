#include "scripttransformer.h"

#include "jstokenizer.h"

#include <QList>
#include <QStringList>
#include <QVarLengthArray>

#include <array>

namespace Hearth {

namespace {

using Kind = JsToken::Kind;

// Each unit costs ~420 bytes of stack (release); 1500 allows ~500 nested
// brackets in ~650 KB, deeper scripts are refused rather than crash the worker.
constexpr int kMaxDepth = 1500;

const QString kBodyPrefix = QStringLiteral("(function ($ctx) { return __hearth_run((function* () {");
const QString kBodySuffix = QStringLiteral("\n}).apply(this, arguments)); })");
// A body with no top-level await runs as a plain function: no generator, no
// Promise, no trip through the event loop for a script that never waits.
const QString kPlainBodyPrefix = QStringLiteral("(function ($ctx) {");
const QString kPlainBodySuffix = QStringLiteral("\n})");
const QString kExpressionPrefix =
    QStringLiteral("(function ($ctx) { return __hearth_run((function* () { return (");
const QString kExpressionSuffix = QStringLiteral("\n); }).apply(this, arguments)); })");
// Opens and closes the generator an async function's body runs in; `arguments`
// and `this` are handed over so the body sees the function's own.
const QString kGeneratorOpen = QStringLiteral(" return __hearth_run((function* () {");
const QString kGeneratorClose = QStringLiteral("}).apply(this, arguments)); ");
const QString kExpressionGeneratorOpen = QStringLiteral("__hearth_run((function* () { return ");
const QString kExpressionGeneratorClose = QStringLiteral(" }).apply(this, arguments))");

const QString kObjectRestMessage =
    QStringLiteral("Object rest ('...name') is only supported at the top of a destructuring declaration or "
                   "assignment with a value, e.g. const { a, ...rest } = value");

QString macroExpansion(QStringView macro)
{
    struct Macro
    {
        QStringView name;
        QStringView expansion;
    };
    static constexpr std::array<Macro, 16> plain = {{{u"BODY", u"$ctx.$body"},
                                                     {u"QUERY", u"$ctx.$query"},
                                                     {u"PARAMS", u"$ctx.$params"},
                                                     {u"USER", u"$ctx.$user"},
                                                     {u"REQ", u"$ctx.$req"},
                                                     {u"REPOS", u"$ctx.$repos"},
                                                     {u"HELPERS", u"$ctx.$helpers"},
                                                     {u"CACHE", u"$ctx.$cache"},
                                                     {u"LOGS", u"$ctx.$logs"},
                                                     {u"SHARE", u"$ctx.$share"},
                                                     {u"DATA", u"$ctx.$data"},
                                                     {u"STATUS", u"$ctx.$statusCode"},
                                                     {u"ERROR", u"$ctx.$error"},
                                                     {u"API", u"$ctx.$api"},
                                                     {u"ENV", u"$ctx.$env"},
                                                     {u"THROW", u"$ctx.$throw"}}};
    static constexpr std::array<QStringView, 9> statuses = {u"400", u"401", u"403", u"404", u"409",
                                                            u"422", u"429", u"500", u"503"};
    const QStringView name = macro.mid(1);
    for (const Macro &m : plain) {
        if (m.name == name)
            return m.expansion.toString();
    }
    if (name.startsWith(u"THROW")) {
        for (QStringView status : statuses) {
            if (name.mid(5) == status)
                return QStringLiteral("$ctx.$throw['%1']").arg(status);
        }
    }
    return QString();
}

bool isKeyword(QStringView w)
{
    static constexpr std::array<QStringView, 38> words = {
        u"await",   u"break",    u"case",   u"catch",  u"class",  u"const",      u"continue", u"debugger",
        u"default", u"delete",   u"do",     u"else",   u"export", u"extends",    u"false",    u"finally",
        u"for",     u"function", u"if",     u"import", u"in",     u"instanceof", u"new",      u"null",
        u"return",  u"super",    u"switch", u"this",   u"throw",  u"true",       u"try",      u"typeof",
        u"var",     u"void",     u"while",  u"with",   u"yield",  u"let"};
    for (QStringView k : words) {
        if (k == w)
            return true;
    }
    return false;
}

// Keywords that can never start an expression: expression parsing stops there
// and the statement parser picks them up.
bool isStatementOnlyKeyword(QStringView w)
{
    static constexpr std::array<QStringView, 21> words = {
        u"break",  u"case", u"catch",      u"const",   u"continue", u"debugger", u"default",
        u"do",     u"else", u"export",     u"extends", u"finally",  u"for",      u"if",
        u"import", u"in",   u"instanceof", u"return",  u"switch",   u"throw",    u"try"};
    for (QStringView k : words) {
        if (k == w)
            return true;
    }
    return w == u"var" || w == u"while" || w == u"with";
}

bool isOneOf(QStringView s, std::initializer_list<QStringView> options)
{
    for (QStringView o : options) {
        if (o == s)
            return true;
    }
    return false;
}

class Transformer
{
public:
    Transformer(QStringView source, const QList<JsToken> &tokens) : m_src(source), m_tokens(tokens) {}

    bool run(ScriptTransformer::Mode mode)
    {
        if (!prepare())
            return false;
        m_end = int(m_tokens.size());
        m_contexts.append({true, false, false});
        if (mode == ScriptTransformer::Mode::Expression) {
            parseExpression();
            parseLeftovers();
        } else {
            parseStatementList();
        }
        return m_error.isEmpty();
    }

    QString output() const
    {
        QString out;
        out.reserve(m_src.size() + m_src.size() / 8 + 64);
        int cursor = 0;
        for (int i = 0; i < m_tokens.size(); ++i) {
            const JsToken &t = m_tokens[i];
            out += m_src.mid(cursor, t.start - cursor);
            const Edit &e = m_edits[i];
            out += e.prefix;
            if (e.replaced)
                out += e.replacement;
            else
                out += t.text(m_src);
            out += e.suffix;
            cursor = t.start + t.length;
        }
        out += m_src.mid(cursor);
        return out;
    }

    QString error() const { return m_error; }
    int errorLine() const { return m_errorLine; }

private:
    struct Edit
    {
        QString prefix;
        QString replacement;
        QString suffix;
        bool replaced = false;
    };

    struct Context
    {
        bool isAsync;
        bool isArrow;
        bool isGenerator;
    };

    // An object pattern's `...rest` and the keys it must leave out.
    struct PatternInfo
    {
        int restDots = -1;
        bool computedKey = false;
        QStringList keys;
    };

    class DepthGuard
    {
    public:
        explicit DepthGuard(Transformer &t) : m_t(t)
        {
            if (++m_t.m_depth > kMaxDepth)
                m_t.fail(QStringLiteral("Script is nested too deeply"), m_t.lineAt(m_t.m_pos));
        }
        ~DepthGuard() { --m_t.m_depth; }
        DepthGuard(const DepthGuard &) = delete;
        DepthGuard &operator=(const DepthGuard &) = delete;

    private:
        Transformer &m_t;
    };

    // ---- token access -------------------------------------------------

    const JsToken &tk(int i) const { return m_tokens[i]; }
    QStringView text(int i) const { return m_tokens[i].text(m_src); }
    bool failed() const { return !m_error.isEmpty(); }
    bool atEnd() const { return m_pos >= m_end || failed(); }
    int lineAt(int i) const
    {
        if (m_tokens.isEmpty())
            return 1;
        return m_tokens[qBound(0, i, int(m_tokens.size()) - 1)].line;
    }
    bool punct(int i, QStringView p) const
    {
        return i >= 0 && i < m_end && tk(i).kind == Kind::Punctuator && text(i) == p;
    }
    bool name(int i, QStringView n) const
    {
        return i >= 0 && i < m_end && tk(i).kind == Kind::Name && text(i) == n;
    }
    bool isPlainName(int i) const { return i < m_end && tk(i).kind == Kind::Name && !isKeyword(text(i)); }

    void fail(const QString &message, int line)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_errorLine = line;
        }
    }

    // ---- edits (never contain newlines) ---------------------------------
    // Edits are recorded after a construct's inner parts, so an enclosing
    // construct's prefix goes before and its suffix after the inner ones.

    void replace(int i, const QString &text)
    {
        m_edits[i].replacement = text;
        m_edits[i].replaced = true;
    }
    void addPrefix(int i, const QString &text) { m_edits[i].prefix.prepend(text); }
    void addSuffix(int i, const QString &text) { m_edits[i].suffix.append(text); }

    void wrapBodyInGenerator(int open, int close)
    {
        addSuffix(open, kGeneratorOpen);
        addPrefix(close, kGeneratorClose);
    }

    // ---- bracket matching, macros, #table, numeric separators ----------

    bool prepare()
    {
        const int n = int(m_tokens.size());
        m_match = QList<int>(n, -1);
        m_edits.resize(n);
        QVarLengthArray<int, 64> open;
        for (int i = 0; i < n; ++i) {
            const JsToken &t = tk(i);
            switch (t.kind) {
            case Kind::Punctuator: {
                const QStringView p = text(i);
                if (p == u"(" || p == u"[" || p == u"{") {
                    open.append(i);
                } else if (p == u")" || p == u"]" || p == u"}") {
                    const char16_t want = p == u")" ? u'(' : p == u"]" ? u'[' : u'{';
                    if (open.isEmpty() || tk(open.last()).kind != Kind::Punctuator ||
                        text(open.last()).front() != want) {
                        if (!open.isEmpty() && tk(open.last()).kind == Kind::Punctuator)
                            fail(QStringLiteral("'%1' is never closed").arg(text(open.last())),
                                 tk(open.last()).line);
                        else
                            fail(QStringLiteral("Unexpected '%1'").arg(p), t.line);
                        return false;
                    }
                    m_match[open.last()] = i;
                    m_match[i] = open.last();
                    open.removeLast();
                }
                break;
            }
            case Kind::TemplateHead:
                open.append(i);
                break;
            case Kind::TemplateMiddle:
            case Kind::TemplateTail:
                if (open.isEmpty() || (tk(open.last()).kind != Kind::TemplateHead &&
                                       tk(open.last()).kind != Kind::TemplateMiddle)) {
                    fail(open.isEmpty() ? QStringLiteral("Unexpected '}'")
                                        : QStringLiteral("'%1' is never closed").arg(text(open.last())),
                         open.isEmpty() ? t.line : tk(open.last()).line);
                    return false;
                }
                m_match[open.last()] = i;
                if (t.kind == Kind::TemplateMiddle)
                    open.last() = i;
                else
                    open.removeLast();
                break;
            case Kind::Macro: {
                const QString expansion = macroExpansion(text(i));
                if (expansion.isEmpty()) {
                    fail(QStringLiteral("Unknown macro %1").arg(text(i)), t.line);
                    return false;
                }
                replace(i, expansion);
                break;
            }
            case Kind::HashName:
                // After '.', '#x' is a class private name, not a table.
                if (!(i > 0 && tk(i - 1).kind == Kind::Punctuator &&
                      (text(i - 1) == u"." || text(i - 1) == u"?.")))
                    replace(i, QStringLiteral("$ctx.$repos.") + text(i).mid(1).toString());
                break;
            case Kind::Number:
                if (text(i).contains(u'_'))
                    replace(i, text(i).toString().remove(u'_'));
                break;
            default:
                break;
            }
        }
        if (!open.isEmpty()) {
            const int i = open.last();
            fail(tk(i).kind == Kind::Punctuator ? QStringLiteral("'%1' is never closed").arg(text(i))
                                                : QStringLiteral("Unterminated template literal"),
                 tk(i).line);
            return false;
        }
        return true;
    }

    // ---- groups ------------------------------------------------------------

    // Parses the tokens between the bracket at m_pos and its partner with f,
    // then anything f left over, and continues after the closing bracket.
    template <typename F> void inGroup(F &&f)
    {
        const int open = m_pos;
        const int close = m_match[open];
        const int savedEnd = m_end;
        m_pos = open + 1;
        m_end = close;
        f();
        parseLeftovers();
        m_end = savedEnd;
        m_pos = close + 1;
    }

    // Whatever a group's parser did not consume (invalid code) is still walked
    // so nested constructs are transformed; the engine reports the syntax error.
    void parseLeftovers()
    {
        while (!atEnd()) {
            const int before = m_pos;
            parseAssignment();
            if (m_pos == before)
                ++m_pos;
        }
    }

    // ---- statements --------------------------------------------------------

    void parseStatementList()
    {
        while (!atEnd()) {
            const int before = m_pos;
            parseStatement(true);
            if (m_pos == before && !failed())
                ++m_pos;
        }
    }

    void parseBlock()
    {
        if (punct(m_pos, u"{"))
            inGroup([this] { parseStatementList(); });
    }

    void parseParenthesized()
    {
        if (punct(m_pos, u"("))
            inGroup([this] { parseExpression(); });
    }

    void skipSemicolon()
    {
        if (punct(m_pos, u";"))
            ++m_pos;
    }

    bool isLetDeclaration(int i) const
    {
        return name(i, u"let") && i + 1 < m_end &&
               ((tk(i + 1).kind == Kind::Name && !isOneOf(text(i + 1), {u"in", u"of", u"instanceof"})) ||
                punct(i + 1, u"[") || punct(i + 1, u"{"));
    }

    void parseStatement(bool inList)
    {
        if (atEnd())
            return;
        DepthGuard guard(*this);
        const JsToken &t = tk(m_pos);
        if (t.kind == Kind::Punctuator) {
            if (text(m_pos) == u"{") {
                parseBlock();
                return;
            }
            if (text(m_pos) == u";") {
                ++m_pos;
                return;
            }
        } else if (t.kind == Kind::Name) {
            const QStringView w = text(m_pos);
            if (w == u"var" || w == u"const" || isLetDeclaration(m_pos)) {
                ++m_pos;
                parseDeclarations();
                skipSemicolon();
                return;
            }
            if (w == u"if") {
                ++m_pos;
                parseParenthesized();
                parseStatement(false);
                if (name(m_pos, u"else")) {
                    ++m_pos;
                    parseStatement(false);
                }
                return;
            }
            if (w == u"for") {
                ++m_pos;
                if (name(m_pos, u"await")) {
                    fail(QStringLiteral("'for await' is not supported; await inside a plain for…of instead"),
                         lineAt(m_pos));
                    return;
                }
                if (punct(m_pos, u"("))
                    inGroup([this] { parseForHead(); });
                parseStatement(false);
                return;
            }
            if (w == u"while" || w == u"with") {
                ++m_pos;
                parseParenthesized();
                parseStatement(false);
                return;
            }
            if (w == u"do") {
                ++m_pos;
                parseStatement(false);
                if (name(m_pos, u"while")) {
                    ++m_pos;
                    parseParenthesized();
                }
                skipSemicolon();
                return;
            }
            if (w == u"return" || w == u"throw") {
                ++m_pos;
                if (!atEnd() && !tk(m_pos).newlineBefore && !punct(m_pos, u";") && !punct(m_pos, u"}"))
                    parseExpression();
                skipSemicolon();
                return;
            }
            if (w == u"break" || w == u"continue") {
                ++m_pos;
                if (isPlainName(m_pos) && !tk(m_pos).newlineBefore)
                    ++m_pos;
                skipSemicolon();
                return;
            }
            if (w == u"try") {
                parseTry();
                return;
            }
            if (w == u"switch") {
                ++m_pos;
                parseParenthesized();
                if (punct(m_pos, u"{"))
                    inGroup([this] { parseSwitchBody(); });
                return;
            }
            if (w == u"function") {
                parseFunction(-1);
                return;
            }
            if (w == u"async" && name(m_pos + 1, u"function") && !tk(m_pos + 1).newlineBefore) {
                parseFunction(m_pos);
                return;
            }
            if (w == u"class") {
                parseClass();
                return;
            }
            if (w == u"debugger") {
                ++m_pos;
                skipSemicolon();
                return;
            }
            if (!isKeyword(w) && punct(m_pos + 1, u":")) { // label
                m_pos += 2;
                parseStatement(false);
                return;
            }
        }
        if (inList)
            m_listStatementStart = m_pos;
        parseExpression();
        skipSemicolon();
    }

    void parseTry()
    {
        ++m_pos;
        parseBlock();
        if (name(m_pos, u"catch")) {
            const int catchIndex = m_pos++;
            if (punct(m_pos, u"("))
                inGroup([this] { parseBindingTarget(false, nullptr); });
            else
                addSuffix(catchIndex, QStringLiteral(" (__hearth_e)")); // optional catch binding (ES2019)
            parseBlock();
        }
        if (name(m_pos, u"finally")) {
            ++m_pos;
            parseBlock();
        }
    }

    void parseSwitchBody()
    {
        while (!atEnd()) {
            const int before = m_pos;
            if (name(m_pos, u"case")) {
                ++m_pos;
                parseExpression();
                if (punct(m_pos, u":"))
                    ++m_pos;
            } else if (name(m_pos, u"default")) {
                ++m_pos;
                if (punct(m_pos, u":"))
                    ++m_pos;
            } else {
                parseStatement(true);
            }
            if (m_pos == before && !failed())
                ++m_pos;
        }
    }

    void parseForHead()
    {
        if (name(m_pos, u"var") || name(m_pos, u"const") || isLetDeclaration(m_pos)) {
            ++m_pos;
            parseDeclarations();
        } else if (!punct(m_pos, u";")) {
            parseExpression();
        }
        if (name(m_pos, u"of")) {
            ++m_pos;
            parseAssignment();
            return;
        }
        if (name(m_pos, u"in")) {
            ++m_pos;
            parseExpression();
            return;
        }
        if (punct(m_pos, u";")) {
            ++m_pos;
            if (!punct(m_pos, u";"))
                parseExpression();
            if (punct(m_pos, u";"))
                ++m_pos;
            parseExpression();
        }
    }

    void parseDeclarations()
    {
        while (!atEnd()) {
            const int before = m_pos;
            PatternInfo info;
            parseBindingTarget(true, &info);
            if (punct(m_pos, u"=")) {
                ++m_pos;
                const int start = m_pos;
                parseAssignment();
                if (m_pos > start)
                    applyObjectRest(info, start, m_pos - 1);
            } else if (info.restDots >= 0) {
                fail(kObjectRestMessage, lineAt(info.restDots));
                return;
            }
            if (m_pos == before || !punct(m_pos, u","))
                return;
            ++m_pos;
        }
    }

    // ---- patterns ------------------------------------------------------------

    void parseBindingTarget(bool restAllowed, PatternInfo *info)
    {
        if (atEnd())
            return;
        if (punct(m_pos, u"{"))
            inGroup([&] { parseObjectPattern(restAllowed ? info : nullptr); });
        else if (punct(m_pos, u"["))
            inGroup([this] { parseBindingList(); });
        else
            parseLeftHandSide();
    }

    void parseObjectPattern(PatternInfo *info)
    {
        while (!atEnd()) {
            const int before = m_pos;
            if (punct(m_pos, u",")) {
                ++m_pos;
                continue;
            }
            if (punct(m_pos, u"...")) {
                if (!info) {
                    fail(kObjectRestMessage, lineAt(m_pos));
                    return;
                }
                info->restDots = m_pos++;
                parseBindingTarget(false, nullptr);
                continue;
            }
            if (punct(m_pos, u"[")) {
                if (info)
                    info->computedKey = true;
                inGroup([this] { parseAssignment(); });
            } else if (tk(m_pos).kind == Kind::Name || tk(m_pos).kind == Kind::String ||
                       tk(m_pos).kind == Kind::Number) {
                if (info) {
                    const QString key =
                        m_edits[m_pos].replaced ? m_edits[m_pos].replacement : text(m_pos).toString();
                    info->keys.append(tk(m_pos).kind == Kind::Name ? QLatin1Char('"') + key + QLatin1Char('"')
                                                                   : key);
                }
                ++m_pos;
            } else {
                ++m_pos;
                continue;
            }
            if (punct(m_pos, u":")) {
                ++m_pos;
                parseBindingTarget(false, nullptr);
            }
            if (punct(m_pos, u"=")) {
                ++m_pos;
                parseAssignment();
            }
            if (m_pos == before)
                ++m_pos;
        }
    }

    // An array pattern's elements or a parameter list: binding targets with
    // defaults and a rest element, separated by commas.
    void parseBindingList()
    {
        while (!atEnd()) {
            const int before = m_pos;
            if (punct(m_pos, u",")) {
                ++m_pos;
                continue;
            }
            if (punct(m_pos, u"..."))
                ++m_pos;
            parseBindingTarget(false, nullptr);
            if (punct(m_pos, u"=")) {
                ++m_pos;
                parseAssignment();
            }
            if (m_pos == before)
                ++m_pos;
        }
    }

    // `{ a, ...rest } = value` → `{ a, __hearth_rest__: rest } = __hearth_rest(value, ["a"])`.
    void applyObjectRest(const PatternInfo &info, int valueFirst, int valueLast)
    {
        if (info.restDots < 0 || failed())
            return;
        if (info.computedKey) {
            fail(QStringLiteral("Object rest together with computed keys is not supported"),
                 lineAt(info.restDots));
            return;
        }
        replace(info.restDots, QStringLiteral("__hearth_rest__: "));
        addPrefix(valueFirst, QStringLiteral("__hearth_rest("));
        addSuffix(valueLast,
                  QStringLiteral(", [") + info.keys.join(QStringLiteral(", ")) + QStringLiteral("])"));
    }

    // ---- functions and classes -------------------------------------------------

    // m_pos is at `async function` (asyncIndex is that `async`) or at `function` (asyncIndex -1).
    void parseFunction(int asyncIndex)
    {
        m_pos = (asyncIndex >= 0 ? asyncIndex + 1 : m_pos) + 1;
        bool generator = false;
        if (punct(m_pos, u"*")) {
            generator = true;
            ++m_pos;
        }
        if (asyncIndex >= 0 && generator) {
            fail(QStringLiteral("Async generator functions are not supported"), lineAt(asyncIndex));
            return;
        }
        if (isPlainName(m_pos) || name(m_pos, u"yield") || name(m_pos, u"await"))
            ++m_pos;
        if (punct(m_pos, u"("))
            parseFunctionRest(asyncIndex, generator);
    }

    // Parameters and body of a function or method, m_pos at '('.
    void parseFunctionRest(int asyncIndex, bool generator)
    {
        m_contexts.append({false, false, false}); // `await` in parameters is an error
        inGroup([this] { parseBindingList(); });
        m_contexts.removeLast();
        if (!punct(m_pos, u"{"))
            return;
        const int open = m_pos;
        const int close = m_match[open];
        m_contexts.append({asyncIndex >= 0, false, generator});
        parseBlock();
        m_contexts.removeLast();
        if (asyncIndex >= 0 && !failed()) {
            replace(asyncIndex, QString());
            wrapBodyInGenerator(open, close);
        }
    }

    bool tryParseArrow()
    {
        const int i = m_pos;
        int asyncIndex = -1;
        if (name(i, u"async") && i + 1 < m_end && !tk(i + 1).newlineBefore &&
            ((isPlainName(i + 1) && punct(i + 2, u"=>")) ||
             (punct(i + 1, u"(") && punct(m_match[i + 1] + 1, u"=>"))))
            asyncIndex = i;
        if (asyncIndex < 0 && !(isPlainName(i) && punct(i + 1, u"=>")) &&
            !(punct(i, u"(") && punct(m_match[i] + 1, u"=>")))
            return false;

        const bool asiGuard = asyncIndex >= 0 && needsAsiGuard(asyncIndex);
        m_pos = asyncIndex >= 0 ? i + 1 : i;
        m_contexts.append({false, true, false});
        if (punct(m_pos, u"("))
            inGroup([this] { parseBindingList(); });
        else
            ++m_pos;
        m_contexts.removeLast();
        ++m_pos; // =>

        const bool isAsync = asyncIndex >= 0;
        m_contexts.append({isAsync, true, false});
        if (punct(m_pos, u"{")) {
            const int open = m_pos;
            const int close = m_match[open];
            parseBlock();
            if (isAsync && !failed())
                wrapBodyInGenerator(open, close);
        } else {
            const int first = m_pos;
            parseAssignment();
            if (isAsync && m_pos > first && !failed()) {
                addPrefix(first, kExpressionGeneratorOpen);
                addSuffix(m_pos - 1, kExpressionGeneratorClose);
            }
        }
        m_contexts.removeLast();
        if (isAsync)
            replace(asyncIndex, asiGuard ? QStringLiteral(";") : QString());
        return true;
    }

    void parseClass()
    {
        ++m_pos;
        if (isPlainName(m_pos))
            ++m_pos;
        if (name(m_pos, u"extends")) {
            ++m_pos;
            parseLeftHandSide();
        }
        if (punct(m_pos, u"{")) {
            inGroup([this] {
                while (!atEnd()) {
                    const int before = m_pos;
                    if (punct(m_pos, u";"))
                        ++m_pos;
                    else
                        parseProperty(true);
                    if (m_pos == before)
                        ++m_pos;
                }
            });
        }
    }

    bool isPropertyKeyStart(int i) const
    {
        if (i >= m_end)
            return false;
        const Kind k = tk(i).kind;
        return k == Kind::Name || k == Kind::String || k == Kind::Number || k == Kind::HashName ||
               punct(i, u"[") || punct(i, u"*");
    }

    // One member of an object literal or class body.
    void parseProperty(bool inClass)
    {
        if (inClass && name(m_pos, u"static") && (isPropertyKeyStart(m_pos + 1) || punct(m_pos + 1, u"{"))) {
            ++m_pos;
            if (punct(m_pos, u"{")) { // static initialization block
                m_contexts.append({false, false, false});
                parseBlock();
                m_contexts.removeLast();
                return;
            }
        }
        int asyncIndex = -1;
        if (name(m_pos, u"async") && isPropertyKeyStart(m_pos + 1) && !tk(m_pos + 1).newlineBefore)
            asyncIndex = m_pos++;
        bool generator = false;
        if (punct(m_pos, u"*")) {
            generator = true;
            ++m_pos;
        }
        if (asyncIndex < 0 && !generator && (name(m_pos, u"get") || name(m_pos, u"set")) &&
            isPropertyKeyStart(m_pos + 1) && !punct(m_pos + 1, u"*"))
            ++m_pos;

        if (punct(m_pos, u"["))
            inGroup([this] { parseAssignment(); });
        else if (isPropertyKeyStart(m_pos) && !punct(m_pos, u"*"))
            ++m_pos;
        else
            return;

        if (punct(m_pos, u"(")) {
            if (asyncIndex >= 0 && generator) {
                fail(QStringLiteral("Async generator methods are not supported"), lineAt(asyncIndex));
                return;
            }
            parseFunctionRest(asyncIndex, generator);
            return;
        }
        if (inClass) {
            if (punct(m_pos, u"=")) { // class field: its initializer runs like a method
                ++m_pos;
                m_contexts.append({false, false, false});
                parseAssignment();
                m_contexts.removeLast();
            }
            skipSemicolon();
            return;
        }
        if (punct(m_pos, u":") || punct(m_pos, u"=")) {
            ++m_pos;
            parseAssignment();
        }
    }

    void checkSuper(int i)
    {
        for (int c = int(m_contexts.size()) - 1; c >= 0; --c) {
            if (m_contexts[c].isArrow)
                continue;
            if (m_contexts[c].isAsync)
                fail(QStringLiteral("'super' is not supported inside async functions and methods"),
                     lineAt(i));
            return;
        }
    }

    // ---- expressions ----------------------------------------------------------

    void parseExpression()
    {
        parseAssignment();
        while (punct(m_pos, u",") && !failed()) {
            ++m_pos;
            parseAssignment();
        }
    }

    bool isAssignmentOperator(int i) const
    {
        return i < m_end && tk(i).kind == Kind::Punctuator &&
               isOneOf(text(i), {u"=", u"+=", u"-=", u"*=", u"/=", u"%=", u"**=", u"<<=", u">>=", u">>>=",
                                 u"&=", u"|=", u"^=", u"&&=", u"||=", u"?\?="});
    }

    bool isBinaryOperator(int i) const
    {
        if (i >= m_end)
            return false;
        if (tk(i).kind == Kind::Name)
            return text(i) == u"in" || text(i) == u"instanceof";
        return tk(i).kind == Kind::Punctuator &&
               isOneOf(text(i),
                       {u"+",  u"-",  u"*",  u"/",  u"%",   u"**", u"==", u"!=", u"===", u"!==", u"<", u">",
                        u"<=", u">=", u"<<", u">>", u">>>", u"&",  u"|",  u"^",  u"&&",  u"||",  u"??"});
    }

    bool canStartExpression(int i) const
    {
        if (i >= m_end)
            return false;
        if (tk(i).kind == Kind::Punctuator)
            return !isOneOf(text(i), {u")", u"]", u"}", u",", u";", u":", u"=>"});
        return !(tk(i).kind == Kind::Name && (text(i) == u"in" || text(i) == u"of"));
    }

    void parseAssignment()
    {
        if (atEnd())
            return;
        DepthGuard guard(*this);
        if (tryParseArrow())
            return;
        if (name(m_pos, u"yield") && m_contexts.last().isGenerator) {
            ++m_pos;
            if (!atEnd() && !tk(m_pos).newlineBefore) {
                if (punct(m_pos, u"*"))
                    ++m_pos;
                if (canStartExpression(m_pos))
                    parseAssignment();
            }
            return;
        }
        const int start = m_pos;
        m_patternStart = -1;
        parseConditional();
        if (atEnd() || !isAssignmentOperator(m_pos))
            return;
        const bool isPattern = m_patternStart == start && punct(m_pos, u"=");
        const PatternInfo info = isPattern ? m_patternInfo : PatternInfo();
        const int operatorIndex = m_pos++;
        const int valueFirst = m_pos;
        parseAssignment();
        if (failed() || m_pos == valueFirst)
            return;
        if (isPattern)
            applyObjectRest(info, valueFirst, m_pos - 1);
        const QStringView op = text(operatorIndex);
        if (op == u"?\?=" || op == u"||=" || op == u"&&=")
            rewriteLogicalAssignment(start, operatorIndex, m_pos - 1);
    }

    // `t ??= v` → `t ?? (t = v)` (same for ||= and &&=), which QJSEngine 6.4
    // lacks. The target is repeated, so only side-effect-free targets are
    // taken: a name, this, a macro or #table, then `.name` or `[name|literal]`.
    void rewriteLogicalAssignment(int targetFirst, int operatorIndex, int valueLast)
    {
        auto tokenText = [this](int i) {
            return m_edits[i].replaced ? m_edits[i].replacement : text(i).toString();
        };
        QString target;
        int i = targetFirst;
        const JsToken &first = tk(i);
        bool simple = (first.kind == Kind::Name && (!isKeyword(text(i)) || text(i) == u"this")) ||
                      first.kind == Kind::Macro || first.kind == Kind::HashName;
        if (simple)
            target = tokenText(i++);
        while (simple && i < operatorIndex) {
            if (punct(i, u".") && i + 1 < operatorIndex && tk(i + 1).kind == Kind::Name) {
                target += QLatin1Char('.') + tokenText(i + 1);
                i += 2;
            } else if (punct(i, u"[") && i + 2 < operatorIndex && punct(i + 2, u"]") &&
                       (isPlainName(i + 1) || tk(i + 1).kind == Kind::Number ||
                        tk(i + 1).kind == Kind::String)) {
                target += QLatin1Char('[') + tokenText(i + 1) + QLatin1Char(']');
                i += 3;
            } else {
                simple = false;
            }
        }
        if (!simple) {
            fail(QStringLiteral("'%1' needs a plain target such as name, a.b or a[0]")
                     .arg(text(operatorIndex)),
                 lineAt(operatorIndex));
            return;
        }
        replace(operatorIndex, text(operatorIndex).chopped(1).toString() + QStringLiteral(" (") + target +
                                   QStringLiteral(" ="));
        addSuffix(valueLast, QStringLiteral(")"));
    }

    void parseConditional()
    {
        parseBinary();
        if (punct(m_pos, u"?")) {
            ++m_pos;
            parseAssignment();
            if (punct(m_pos, u":")) {
                ++m_pos;
                parseAssignment();
            }
        }
    }

    void parseBinary()
    {
        parseUnary();
        while (!atEnd() && isBinaryOperator(m_pos)) {
            ++m_pos;
            parseUnary();
        }
    }

    void parseUnary()
    {
        if (atEnd())
            return;
        DepthGuard guard(*this);
        const JsToken &t = tk(m_pos);
        if ((t.kind == Kind::Punctuator && isOneOf(text(m_pos), {u"!", u"~", u"+", u"-", u"++", u"--"})) ||
            (t.kind == Kind::Name && isOneOf(text(m_pos), {u"typeof", u"void", u"delete"}))) {
            ++m_pos;
            parseUnary();
            return;
        }
        if (name(m_pos, u"await")) {
            parseAwait();
            return;
        }
        parseLeftHandSide();
        if ((punct(m_pos, u"++") || punct(m_pos, u"--")) && !tk(m_pos).newlineBefore)
            ++m_pos;
    }

    // Whether the previous token could end an expression, so a statement that
    // now starts with '(' would be read as a call of it (ASI hazard).
    bool endsExpression(int i) const
    {
        const JsToken &t = tk(i);
        switch (t.kind) {
        case Kind::Name:
            return !isKeyword(text(i)) || isOneOf(text(i), {u"this", u"super", u"null", u"true", u"false"}) ||
                   (i > 0 && (punct(i - 1, u".") || punct(i - 1, u"?.")));
        case Kind::Punctuator:
            return isOneOf(text(i), {u")", u"]", u"}", u"++", u"--"});
        case Kind::TemplateHead:
        case Kind::TemplateMiddle:
            return false;
        default:
            return true;
        }
    }

    bool needsAsiGuard(int i) const { return i == m_listStatementStart && i > 0 && endsExpression(i - 1); }

    // `await X` → `(yield X)`; `yield` goes right before X so a line break
    // after `await` cannot end the yield early.
    void parseAwait()
    {
        const int awaitIndex = m_pos;
        if (!m_contexts.last().isAsync) {
            fail(QStringLiteral("'await' is only valid in async functions and at the top level of a script"),
                 lineAt(awaitIndex));
            return;
        }
        if (m_contexts.size() == 1)
            m_topLevelAwait = true;
        const bool asiGuard = needsAsiGuard(awaitIndex);
        ++m_pos;
        const int first = m_pos;
        parseUnary();
        if (failed())
            return;
        if (m_pos == first) {
            fail(QStringLiteral("'await' needs an expression after it"), lineAt(awaitIndex));
            return;
        }
        replace(awaitIndex, asiGuard ? QStringLiteral(";(") : QStringLiteral("("));
        addPrefix(first, QStringLiteral("yield "));
        addSuffix(m_pos - 1, QStringLiteral(")"));
    }

    void parseLeftHandSide()
    {
        if (atEnd())
            return;
        DepthGuard guard(*this);
        if (name(m_pos, u"new")) {
            ++m_pos;
            if (punct(m_pos, u".")) { // new.target
                ++m_pos;
                if (!atEnd() && tk(m_pos).kind == Kind::Name)
                    ++m_pos;
                parseChain();
                return;
            }
            parseLeftHandSide();
            return;
        }
        parsePrimary();
        parseChain();
    }

    void parseChain()
    {
        while (!atEnd()) {
            const JsToken &t = tk(m_pos);
            if (t.kind == Kind::Template || t.kind == Kind::TemplateHead) { // tagged template
                parseTemplate();
                continue;
            }
            if (t.kind != Kind::Punctuator)
                return;
            const QStringView p = text(m_pos);
            if (p == u"." || p == u"?.") {
                ++m_pos;
                if (!atEnd() && (tk(m_pos).kind == Kind::Name || tk(m_pos).kind == Kind::HashName))
                    ++m_pos;
            } else if (p == u"[") {
                inGroup([this] { parseExpression(); });
            } else if (p == u"(") {
                inGroup([this] { parseElements(); });
            } else {
                return;
            }
        }
    }

    // Array literal elements or call arguments.
    void parseElements()
    {
        while (!atEnd()) {
            const int before = m_pos;
            if (punct(m_pos, u",")) {
                ++m_pos;
                continue;
            }
            if (punct(m_pos, u"..."))
                ++m_pos;
            parseAssignment();
            if (m_pos == before)
                ++m_pos;
        }
    }

    void parseTemplate()
    {
        if (tk(m_pos).kind == Kind::Template) {
            ++m_pos;
            return;
        }
        int part = m_pos;
        for (;;) {
            const int next = m_match[part];
            const int savedEnd = m_end;
            m_pos = part + 1;
            m_end = next;
            parseExpression();
            parseLeftovers();
            m_end = savedEnd;
            m_pos = next + 1;
            if (failed() || tk(next).kind == Kind::TemplateTail)
                return;
            part = next;
        }
    }

    void parsePrimary()
    {
        if (atEnd())
            return;
        const JsToken &t = tk(m_pos);
        switch (t.kind) {
        case Kind::Name: {
            const QStringView w = text(m_pos);
            if (w == u"function") {
                parseFunction(-1);
            } else if (w == u"async" && name(m_pos + 1, u"function") && !tk(m_pos + 1).newlineBefore) {
                parseFunction(m_pos);
            } else if (w == u"class") {
                parseClass();
            } else if (w == u"super") {
                checkSuper(m_pos);
                ++m_pos;
            } else if (!isStatementOnlyKeyword(w)) {
                ++m_pos;
            }
            return;
        }
        case Kind::TemplateHead:
        case Kind::Template:
            parseTemplate();
            return;
        case Kind::TemplateMiddle:
        case Kind::TemplateTail:
            return;
        case Kind::Punctuator:
            break;
        default: // literals, macros, #table
            ++m_pos;
            return;
        }

        const QStringView p = text(m_pos);
        const int open = m_pos;
        if (p == u"(") {
            inGroup([this] { parseExpression(); });
        } else if (p == u"[") {
            if (punct(m_match[open] + 1, u"=")) { // destructuring assignment
                inGroup([this] { parseBindingList(); });
                m_patternStart = open;
                m_patternInfo = PatternInfo();
            } else {
                inGroup([this] { parseElements(); });
            }
        } else if (p == u"{") {
            if (punct(m_match[open] + 1, u"=")) { // destructuring assignment
                PatternInfo info;
                inGroup([&] { parseObjectPattern(&info); });
                m_patternStart = open;
                m_patternInfo = info;
            } else {
                parseObjectLiteral();
            }
        }
    }

    // Object literal; with spread elements it becomes
    // `Object.assign({}, {props…}, spreadValue, {props…})` on the same lines.
    void parseObjectLiteral()
    {
        struct Element
        {
            int first;
            int last;
            bool spread;
        };
        struct Comma
        {
            int index;
            int elementsBefore;
        };
        QVarLengthArray<Element, 16> elements;
        QVarLengthArray<Comma, 16> commas;
        const int open = m_pos;
        const int close = m_match[open];
        inGroup([&] {
            while (!atEnd()) {
                if (punct(m_pos, u",")) {
                    commas.append({m_pos, int(elements.size())});
                    ++m_pos;
                    continue;
                }
                const int first = m_pos;
                if (punct(m_pos, u"...")) {
                    ++m_pos;
                    parseAssignment();
                    elements.append({first, m_pos - 1, true});
                    continue;
                }
                parseProperty(false);
                if (m_pos == first) {
                    ++m_pos;
                    continue;
                }
                elements.append({first, m_pos - 1, false});
            }
        });
        bool hasSpread = false;
        for (const Element &e : elements)
            hasSpread = hasSpread || e.spread;
        if (!hasSpread || failed())
            return;

        replace(open, QStringLiteral("Object.assign({}"));
        replace(close, QStringLiteral(")"));
        const int count = int(elements.size());
        for (int k = 0; k < count; ++k) {
            const Element &e = elements[k];
            if (e.spread) {
                replace(e.first, QStringLiteral(", "));
                continue;
            }
            if (k == 0 || elements[k - 1].spread)
                addPrefix(e.first, QStringLiteral(", {"));
            if (k + 1 == count || elements[k + 1].spread)
                addSuffix(e.last, QStringLiteral("}"));
        }
        for (const Comma &c : commas) {
            const int b = c.elementsBefore;
            const bool insideRun = b > 0 && b < count && !elements[b - 1].spread && !elements[b].spread;
            if (!insideRun)
                replace(c.index, QString());
        }
    }

    QStringView m_src;
    const QList<JsToken> &m_tokens;
    QList<int> m_match;
    QList<Edit> m_edits;
    QList<Context> m_contexts;
    int m_pos = 0;
    int m_end = 0;
    int m_depth = 0;
    int m_listStatementStart = -1; // first token of the current statement in a statement list
    int m_patternStart = -1;       // '{' or '[' of the last destructuring-assignment pattern
    PatternInfo m_patternInfo;
    QString m_error;
    int m_errorLine = 0;

public:
    bool m_topLevelAwait = false;
};

} // namespace

ScriptTransformResult ScriptTransformer::transform(QStringView source, Mode mode)
{
    ScriptTransformResult result;
    const JsTokenizeResult tokens = JsTokenizer::tokenize(source);
    if (!tokens.ok()) {
        result.error = tokens.error;
        result.errorLine = tokens.errorLine;
        return result;
    }
    Transformer transformer(source, tokens.tokens);
    if (!transformer.run(mode)) {
        result.error = transformer.error();
        result.errorLine = transformer.errorLine();
        return result;
    }
    const QString body = transformer.output();
    switch (mode) {
    case Mode::FunctionBody:
        result.returnsPromise = transformer.m_topLevelAwait;
        result.code = transformer.m_topLevelAwait ? kBodyPrefix + body + kBodySuffix
                                                  : kPlainBodyPrefix + body + kPlainBodySuffix;
        break;
    case Mode::Expression:
        result.code = kExpressionPrefix + body + kExpressionSuffix;
        break;
    case Mode::Fragment:
        result.code = body;
        break;
    }
    return result;
}

QString ScriptTransformer::functionBodyPrefix()
{
    return kBodyPrefix;
}

QString ScriptTransformer::functionBodySuffix()
{
    return kBodySuffix;
}

} // namespace Hearth
