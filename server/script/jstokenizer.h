#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace Hearth {

// One lexical token of a script. Offsets index the tokenized source; comments
// and whitespace are not tokens (the text between two tokens is copied as is).
struct JsToken
{
    enum class Kind : quint8
    {
        Name,           // identifier or keyword (keywords are told apart by text)
        Number,         // numeric literal, possibly with '_' separators
        String,         // '…' or "…", quotes included
        Template,       // `…` without substitutions
        TemplateHead,   // `…${
        TemplateMiddle, // }…${
        TemplateTail,   // }…`
        Regex,          // /…/flags
        Punctuator,     // longest-match operator or bracket
        Macro,          // @NAME (Enfyra macro such as @BODY or @THROW404)
        HashName,       // #name (table shortcut, or a private name after '.')
    };

    Kind kind = Kind::Punctuator;
    bool newlineBefore = false; // a line terminator separates it from the previous token
    int start = 0;
    int length = 0;
    int line = 1; // 1-based line of the first character

    QStringView text(QStringView source) const { return source.mid(start, length); }
    bool is(Kind k, QStringView source, QStringView value) const
    {
        return kind == k && text(source) == value;
    }
};

struct JsTokenizeResult
{
    QList<JsToken> tokens;
    QString error; // empty when the whole source was tokenized
    int errorLine = 0;

    bool ok() const { return error.isEmpty(); }
};

// A JavaScript tokenizer for user scripts: decides regex versus division from
// the previous significant token, follows nested template substitutions and
// never loops or reads past the end on malformed input.
class JsTokenizer
{
public:
    static JsTokenizeResult tokenize(QStringView source);

    static bool isLineTerminator(QChar c)
    {
        return c == u'\n' || c == u'\r' || c == QChar(0x2028) || c == QChar(0x2029);
    }
    static bool isIdentifierStart(QChar c);
    static bool isIdentifierPart(QChar c);
};

} // namespace Hearth
