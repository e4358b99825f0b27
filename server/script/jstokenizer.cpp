#include "jstokenizer.h"

#include <array>

namespace Hearth {

namespace {

using Kind = JsToken::Kind;

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isHexDigit(QChar c)
{
    return isAsciiDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

bool isWhitespace(QChar c)
{
    const char16_t u = c.unicode();
    if (u == u' ' || u == u'\t' || u == 0x0b || u == 0x0c)
        return true;
    return u > 127 && (u == 0xa0 || u == 0xfeff || c.category() == QChar::Separator_Space);
}

// Keywords after which a '/' starts a regular expression and a '{' an object literal.
bool isExpressionKeyword(QStringView w)
{
    static constexpr std::array<QStringView, 15> words = {
        u"return", u"typeof", u"instanceof", u"in",   u"of",    u"new",   u"delete", u"void",
        u"throw",  u"case",   u"do",         u"else", u"yield", u"await", u"extends"};
    for (QStringView k : words) {
        if (k == w)
            return true;
    }
    return false;
}

class Lexer
{
public:
    explicit Lexer(QStringView src) : m_src(src), m_size(int(src.size())) {}

    JsTokenizeResult run()
    {
        JsTokenizeResult result;
        m_tokens.reserve(m_size / 4 + 16);
        while (m_pos < m_size && m_error.isEmpty())
            step();
        if (m_error.isEmpty() && !m_braces.isEmpty() && m_braces.last().kind == BraceKind::Template) {
            // A `${` never closed: the template literal never ends.
            fail(QStringLiteral("Unterminated template literal"), m_braces.last().line);
        }
        result.tokens = std::move(m_tokens);
        result.error = m_error;
        result.errorLine = m_errorLine;
        return result;
    }

private:
    enum class BraceKind : quint8
    {
        Block,
        Expression,
        Template
    };
    struct Brace
    {
        BraceKind kind;
        int line;
    };

    QChar at(int i) const { return i < m_size ? m_src[i] : QChar(); }

    void fail(const QString &message, int line)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_errorLine = line;
        }
    }

    // Consumes one line terminator at m_pos (CR LF counts as one line).
    void consumeNewline()
    {
        if (m_src[m_pos] == u'\r' && at(m_pos + 1) == u'\n')
            ++m_pos;
        ++m_pos;
        ++m_line;
    }

    void push(Kind kind, int start, int line)
    {
        JsToken t;
        t.kind = kind;
        t.start = start;
        t.length = m_pos - start;
        t.line = line;
        t.newlineBefore = m_newline;
        m_newline = false;
        m_tokens.append(t);
        updateRegexAllowed();
    }

    bool followsDot(int index) const
    {
        if (index < 1 || m_tokens[index - 1].kind != Kind::Punctuator)
            return false;
        const QStringView p = m_tokens[index - 1].text(m_src);
        return p == u"." || p == u"?.";
    }

    QStringView lastText() const { return m_tokens.isEmpty() ? QStringView() : m_tokens.last().text(m_src); }

    void updateRegexAllowed()
    {
        const JsToken &t = m_tokens.last();
        switch (t.kind) {
        case Kind::Name:
            // After '.', a keyword is a property name: `x.delete / 2` divides.
            m_regexAllowed = isExpressionKeyword(t.text(m_src)) && !followsDot(int(m_tokens.size()) - 1);
            break;
        case Kind::TemplateHead:
        case Kind::TemplateMiddle:
            m_regexAllowed = true;
            break;
        case Kind::Punctuator: {
            const QStringView p = t.text(m_src);
            if (p == u")")
                m_regexAllowed = m_closedKeywordParen;
            else if (p == u"}")
                m_regexAllowed = m_closedBlockBrace;
            else
                m_regexAllowed = !(p == u"]" || p == u"++" || p == u"--");
            break;
        }
        default:
            m_regexAllowed = false;
            break;
        }
    }

    // Whether a '{' here opens an object literal (expression) rather than a block.
    bool braceIsExpression() const
    {
        if (m_tokens.isEmpty())
            return false;
        const JsToken &t = m_tokens.last();
        const QStringView s = t.text(m_src);
        switch (t.kind) {
        case Kind::Punctuator:
            return !(s == u")" || s == u"]" || s == u"}" || s == u";" || s == u"=>" || s == u"{");
        case Kind::Name:
            return isExpressionKeyword(s) && s != u"do" && s != u"else";
        case Kind::TemplateHead:
        case Kind::TemplateMiddle:
            return true;
        default:
            return false;
        }
    }

    void step()
    {
        const QChar c = m_src[m_pos];
        if (JsTokenizer::isLineTerminator(c)) {
            consumeNewline();
            m_newline = true;
            return;
        }
        if (isWhitespace(c)) {
            ++m_pos;
            return;
        }
        const int start = m_pos;
        const int line = m_line;
        if (c == u'/') {
            const QChar n = at(m_pos + 1);
            if (n == u'/') {
                while (m_pos < m_size && !JsTokenizer::isLineTerminator(m_src[m_pos]))
                    ++m_pos;
                return;
            }
            if (n == u'*') {
                blockComment();
                return;
            }
            if (m_regexAllowed) {
                regex(start, line);
                return;
            }
        }
        if (JsTokenizer::isIdentifierStart(c) || c == u'\\') {
            name(Kind::Name, start, line);
            return;
        }
        if (isAsciiDigit(c) || (c == u'.' && isAsciiDigit(at(m_pos + 1)))) {
            number(start, line);
            return;
        }
        if (c == u'"' || c == u'\'') {
            string(start, line);
            return;
        }
        if (c == u'`') {
            ++m_pos;
            templatePart(true, start, line);
            return;
        }
        if (c == u'}' && !m_braces.isEmpty() && m_braces.last().kind == BraceKind::Template) {
            m_braces.removeLast();
            ++m_pos;
            templatePart(false, start, line);
            return;
        }
        if (c == u'@' || c == u'#') {
            if (!JsTokenizer::isIdentifierStart(at(m_pos + 1))) {
                fail(c == u'@' ? QStringLiteral("Unexpected '@' (macros are written like @BODY)")
                               : QStringLiteral("Unexpected '#' (table shortcuts are written like #posts)"),
                     line);
                return;
            }
            ++m_pos;
            name(c == u'@' ? Kind::Macro : Kind::HashName, start, line);
            return;
        }
        punctuator(start, line);
    }

    void blockComment()
    {
        const int line = m_line;
        m_pos += 2;
        while (m_pos < m_size) {
            const QChar c = m_src[m_pos];
            if (c == u'*' && at(m_pos + 1) == u'/') {
                m_pos += 2;
                return;
            }
            if (JsTokenizer::isLineTerminator(c)) {
                consumeNewline();
                m_newline = true;
            } else {
                ++m_pos;
            }
        }
        fail(QStringLiteral("Unterminated comment"), line);
    }

    void regex(int start, int line)
    {
        ++m_pos;
        bool inClass = false;
        for (;;) {
            if (m_pos >= m_size || JsTokenizer::isLineTerminator(m_src[m_pos])) {
                fail(QStringLiteral("Unterminated regular expression"), line);
                return;
            }
            const QChar c = m_src[m_pos];
            if (c == u'\\') {
                if (m_pos + 1 >= m_size || JsTokenizer::isLineTerminator(m_src[m_pos + 1])) {
                    fail(QStringLiteral("Unterminated regular expression"), line);
                    return;
                }
                m_pos += 2;
                continue;
            }
            ++m_pos;
            if (c == u'[')
                inClass = true;
            else if (c == u']')
                inClass = false;
            else if (c == u'/' && !inClass)
                break;
        }
        while (m_pos < m_size && JsTokenizer::isIdentifierPart(m_src[m_pos]))
            ++m_pos;
        push(Kind::Regex, start, line);
    }

    void name(Kind kind, int start, int line)
    {
        while (m_pos < m_size) {
            const QChar c = m_src[m_pos];
            if (c == u'\\') {
                // \uXXXX or \u{X…} escape inside an identifier.
                if (at(m_pos + 1) != u'u') {
                    fail(QStringLiteral("Unexpected '\\'"), line);
                    return;
                }
                m_pos += 2;
                if (at(m_pos) == u'{') {
                    while (m_pos < m_size && m_src[m_pos] != u'}' &&
                           !JsTokenizer::isLineTerminator(m_src[m_pos]))
                        ++m_pos;
                    if (at(m_pos) == u'}')
                        ++m_pos;
                } else {
                    for (int i = 0; i < 4 && isHexDigit(at(m_pos)); ++i)
                        ++m_pos;
                }
                continue;
            }
            if (!JsTokenizer::isIdentifierPart(c))
                break;
            ++m_pos;
        }
        push(kind, start, line);
    }

    void number(int start, int line)
    {
        const QChar c = m_src[m_pos];
        const QChar n = at(m_pos + 1).toLower();
        if (c == u'0' && (n == u'x' || n == u'o' || n == u'b')) {
            m_pos += 2;
            while (m_pos < m_size && (isHexDigit(m_src[m_pos]) || m_src[m_pos] == u'_'))
                ++m_pos;
        } else {
            auto digits = [this] {
                while (m_pos < m_size && (isAsciiDigit(m_src[m_pos]) || m_src[m_pos] == u'_'))
                    ++m_pos;
            };
            digits();
            if (at(m_pos) == u'.') {
                ++m_pos;
                digits();
            }
            if (at(m_pos) == u'e' || at(m_pos) == u'E') {
                const QChar s = at(m_pos + 1);
                if (isAsciiDigit(s) || ((s == u'+' || s == u'-') && isAsciiDigit(at(m_pos + 2)))) {
                    m_pos += 2;
                    digits();
                }
            }
        }
        // A letter glued to a number (123abc, 10n) stays in the token; the engine judges it.
        while (m_pos < m_size && JsTokenizer::isIdentifierPart(m_src[m_pos]))
            ++m_pos;
        push(Kind::Number, start, line);
    }

    void string(int start, int line)
    {
        const QChar quote = m_src[m_pos++];
        for (;;) {
            if (m_pos >= m_size) {
                fail(QStringLiteral("Unterminated string literal"), line);
                return;
            }
            const QChar c = m_src[m_pos];
            if (c == quote) {
                ++m_pos;
                break;
            }
            if (c == u'\\') {
                ++m_pos;
                if (m_pos >= m_size)
                    continue; // reported as unterminated on the next turn
                if (JsTokenizer::isLineTerminator(m_src[m_pos]))
                    consumeNewline(); // line continuation
                else
                    ++m_pos;
                continue;
            }
            if (c == u'\n' || c == u'\r') {
                fail(QStringLiteral("Unterminated string literal"), line);
                return;
            }
            if (JsTokenizer::isLineTerminator(c)) // U+2028/U+2029 are allowed in strings
                consumeNewline();
            else
                ++m_pos;
        }
        push(Kind::String, start, line);
    }

    // Lexes template characters after '`' (head) or after the '}' closing a substitution.
    void templatePart(bool isStart, int start, int line)
    {
        for (;;) {
            if (m_pos >= m_size) {
                fail(QStringLiteral("Unterminated template literal"), line);
                return;
            }
            const QChar c = m_src[m_pos];
            if (c == u'`') {
                ++m_pos;
                push(isStart ? Kind::Template : Kind::TemplateTail, start, line);
                return;
            }
            if (c == u'\\') {
                ++m_pos;
                if (m_pos < m_size) {
                    if (JsTokenizer::isLineTerminator(m_src[m_pos]))
                        consumeNewline();
                    else
                        ++m_pos;
                }
                continue;
            }
            if (c == u'$' && at(m_pos + 1) == u'{') {
                m_pos += 2;
                push(isStart ? Kind::TemplateHead : Kind::TemplateMiddle, start, line);
                m_braces.append({BraceKind::Template, line});
                return;
            }
            if (JsTokenizer::isLineTerminator(c))
                consumeNewline();
            else
                ++m_pos;
        }
    }

    void punctuator(int start, int line)
    {
        static constexpr std::array<QStringView, 11> three = {u">>>=", u"===", u"!==", u"**=", u"...", u"<<=",
                                                              u">>=",  u">>>", u"&&=", u"||=", u"?\?="};
        static constexpr std::array<QStringView, 22> two = {
            u"=>", u"==", u"!=", u"<=", u">=", u"&&", u"||", u"??", u"?.", u"++", u"--",
            u"+=", u"-=", u"*=", u"/=", u"%=", u"&=", u"|=", u"^=", u"<<", u">>", u"**"};
        static constexpr QStringView one = u"{}()[];,<>+-*/%&|^!~?:=.";

        const QStringView rest = m_src.mid(m_pos, qMin(4, m_size - m_pos));
        int len = 0;
        for (QStringView p : three) {
            if (rest.startsWith(p)) {
                len = int(p.size());
                break;
            }
        }
        if (len == 0) {
            for (QStringView p : two) {
                if (rest.startsWith(p)) {
                    // `a?.5:b` is a conditional, not optional chaining.
                    if (p == u"?." && isAsciiDigit(at(m_pos + 2)))
                        continue;
                    len = 2;
                    break;
                }
            }
        }
        if (len == 0 && one.contains(m_src[m_pos]))
            len = 1;
        if (len == 0) {
            fail(QStringLiteral("Unexpected character '%1'").arg(m_src[m_pos]), line);
            return;
        }

        const QChar c = m_src[m_pos];
        if (len == 1 && c == u'(') {
            const QStringView prev =
                m_tokens.isEmpty() || m_tokens.last().kind != Kind::Name ? QStringView() : lastText();
            m_parens.append((prev == u"if" || prev == u"while" || prev == u"for" || prev == u"with") &&
                            !followsDot(int(m_tokens.size()) - 1));
        } else if (len == 1 && c == u')') {
            m_closedKeywordParen = m_parens.isEmpty() ? false : m_parens.takeLast();
        } else if (len == 1 && c == u'{') {
            m_braces.append({braceIsExpression() ? BraceKind::Expression : BraceKind::Block, line});
        } else if (len == 1 && c == u'}') {
            m_closedBlockBrace = m_braces.isEmpty() ? true : m_braces.takeLast().kind == BraceKind::Block;
        }
        m_pos += len;
        push(Kind::Punctuator, start, line);
    }

    QStringView m_src;
    int m_size;
    int m_pos = 0;
    int m_line = 1;
    bool m_newline = false;
    bool m_regexAllowed = true;
    bool m_closedKeywordParen = false; // the last ')' closed `if (…)`, `while (…)`, `for (…)` or `with (…)`
    bool m_closedBlockBrace = true; // the last '}' closed a block rather than an object literal
    QList<JsToken> m_tokens;
    QList<Brace> m_braces;
    QList<bool> m_parens;
    QString m_error;
    int m_errorLine = 0;
};

} // namespace

bool JsTokenizer::isIdentifierStart(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 128)
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || u == u'$' || u == u'_';
    return c.isLetter() || c.isHighSurrogate() || c.category() == QChar::Number_Letter;
}

bool JsTokenizer::isIdentifierPart(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 128)
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
               u == u'$' || u == u'_';
    if (isIdentifierStart(c) || c.isLowSurrogate() || u == 0x200c || u == 0x200d)
        return true;
    switch (c.category()) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Number_DecimalDigit:
    case QChar::Punctuation_Connector:
        return true;
    default:
        return false;
    }
}

JsTokenizeResult JsTokenizer::tokenize(QStringView source)
{
    return Lexer(source).run();
}

} // namespace Hearth
