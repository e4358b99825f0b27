#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Hearth::HttpAscii {

// Locale-free ASCII helpers for the wire format; HTTP is case-insensitive
// only in ASCII, so QByteArray's locale-aware helpers are not wanted here.

inline char toLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

inline bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (toLower(a[i]) != toLower(b[i]))
            return false;
    return true;
}

// RFC 9110 tchar: the characters of a token (method, header name).
inline bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

inline bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!isTokenChar(c))
            return false;
    return true;
}

inline int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Strips optional whitespace (SP / HTAB) at both ends.
inline QByteArrayView trimOws(QByteArrayView s)
{
    qsizetype b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        --e;
    return s.sliced(b, e - b);
}

inline QByteArray lowered(QByteArrayView s)
{
    QByteArray out(s.size(), Qt::Uninitialized);
    char *d = out.data();
    for (qsizetype i = 0; i < s.size(); ++i)
        d[i] = toLower(s[i]);
    return out;
}

// True when the comma-separated list (e.g. a Connection header) holds token.
inline bool listContainsToken(QByteArrayView list, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= list.size()) {
        qsizetype comma = list.indexOf(',', start);
        if (comma < 0)
            comma = list.size();
        if (equalsIgnoreCase(trimOws(list.sliced(start, comma - start)), token))
            return true;
        start = comma + 1;
    }
    return false;
}

} // namespace Hearth::HttpAscii
