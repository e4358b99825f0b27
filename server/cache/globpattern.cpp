#include "cache/globpattern.h"

#include <utility>

namespace Hearth {

GlobPattern::GlobPattern(const QString &pattern)
{
    const QStringView p(pattern);
    const qsizetype n = p.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i].unicode();
        Token token;
        if (c == u'*') {
            if (!m_tokens.empty() && m_tokens.back().kind == Token::AnyRun)
                continue; // "**" is "*": fewer backtracking points
            token.kind = Token::AnyRun;
        } else if (c == u'?') {
            token.kind = Token::AnyOne;
        } else if (c == u'\\' && i + 1 < n) {
            token.literal = p[++i].unicode();
        } else if (c == u'[') {
            // Find the closing ']' first, so an unclosed '[' stays a literal.
            qsizetype end = i + 1;
            if (end < n && p[end] == u'^')
                ++end;
            while (end < n && p[end] != u']') {
                if (p[end] == u'\\' && end + 1 < n)
                    ++end;
                ++end;
            }
            if (end >= n) {
                token.literal = c;
            } else {
                token.kind = Token::Set;
                qsizetype j = i + 1;
                if (p[j] == u'^') {
                    token.negated = true;
                    ++j;
                }
                while (j < end) {
                    if (p[j] == u'\\' && j + 1 < end)
                        ++j;
                    char16_t low = p[j].unicode();
                    char16_t high = low;
                    if (j + 2 < end && p[j + 1] == u'-') {
                        j += 2;
                        if (p[j] == u'\\' && j + 1 < end)
                            ++j;
                        high = p[j].unicode();
                        if (high < low) // Redis accepts reversed ranges
                            std::swap(low, high);
                    }
                    token.ranges.push_back({low, high});
                    ++j;
                }
                i = end;
            }
        } else {
            token.literal = c;
        }
        if (token.kind != Token::AnyRun)
            m_matchesEverything = false;
        m_tokens.push_back(std::move(token));
    }
}

bool GlobPattern::Token::accepts(char16_t c) const
{
    switch (kind) {
    case Literal:
        return c == literal;
    case AnyOne:
        return true;
    case Set: {
        bool inSet = false;
        for (const Range &range : ranges) {
            if (c >= range.low && c <= range.high) {
                inSet = true;
                break;
            }
        }
        return inSet != negated;
    }
    case AnyRun:
        break;
    }
    return false;
}

bool GlobPattern::matches(QStringView text) const
{
    if (m_matchesEverything)
        return true;
    const size_t tokenCount = m_tokens.size();
    size_t t = 0;
    qsizetype s = 0;
    // Only the last '*' needs revisiting: letting it swallow one more character
    // covers every way the earlier ones could have matched.
    size_t starToken = tokenCount;
    qsizetype starText = 0;
    while (s < text.size()) {
        if (t < tokenCount && m_tokens[t].kind == Token::AnyRun) {
            starToken = t++;
            starText = s;
        } else if (t < tokenCount && m_tokens[t].accepts(text[s].unicode())) {
            ++t;
            ++s;
        } else if (starToken != tokenCount) {
            t = starToken + 1;
            s = ++starText;
        } else {
            return false;
        }
    }
    while (t < tokenCount && m_tokens[t].kind == Token::AnyRun)
        ++t;
    return t == tokenCount;
}

} // namespace Hearth
