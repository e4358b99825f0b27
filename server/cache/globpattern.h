#pragma once

#include <QString>
#include <QStringView>

#include <vector>

namespace Hearth {

// A Redis MATCH style glob: '*' any run of characters, '?' one character,
// '[abc]' / '[a-z]' / '[^abc]' one character of (or not of) a set, '\x' the
// character x itself. An unclosed '[' is a literal '['. Case-sensitive. The
// pattern is compiled once; matching is linear apart from '*' backtracking
// (O(pattern * text) at worst, never exponential).
class GlobPattern
{
public:
    explicit GlobPattern(const QString &pattern);

    bool matches(QStringView text) const;
    // True for "" and "*" (and any run of '*'): every key matches.
    bool matchesEverything() const { return m_matchesEverything; }

private:
    struct Range
    {
        char16_t low;
        char16_t high;
    };
    struct Token
    {
        enum Kind
        {
            Literal,
            AnyOne,
            AnyRun,
            Set
        } kind = Literal;
        char16_t literal = 0;
        bool negated = false;
        std::vector<Range> ranges;

        bool accepts(char16_t c) const;
    };

    std::vector<Token> m_tokens;
    bool m_matchesEverything = true;
};

} // namespace Hearth
