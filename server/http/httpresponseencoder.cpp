#include "http/httpresponseencoder.h"

#include "http/httpascii.h"

#include <QDateTime>

#include <charconv>
#include <cstdio>
#include <cstring>

namespace Hearth {

namespace {

// Collects the status line and headers in a stack buffer and appends them to
// the output in one go: a dozen small QByteArray appends cost more than the
// encoding itself.
class HeadWriter
{
public:
    explicit HeadWriter(QByteArray &out) : m_out(out) {}
    ~HeadWriter() { flush(); }
    HeadWriter(const HeadWriter &) = delete;
    HeadWriter &operator=(const HeadWriter &) = delete;

    void add(QByteArrayView text)
    {
        if (text.size() > kCapacity - m_used) {
            flush();
            if (text.size() > kCapacity) {
                m_out.append(text);
                return;
            }
        }
        std::memcpy(m_buffer + m_used, text.data(), size_t(text.size()));
        m_used += text.size();
    }
    void addNumber(qint64 value)
    {
        char digits[24];
        const auto result = std::to_chars(digits, digits + sizeof digits, value);
        add(QByteArrayView(digits, result.ptr - digits));
    }
    void addHeader(QByteArrayView name, QByteArrayView value)
    {
        add(name);
        add(": ");
        add(value);
        add("\r\n");
    }
    void flush()
    {
        if (m_used > 0)
            m_out.append(m_buffer, m_used);
        m_used = 0;
    }

private:
    static constexpr qsizetype kCapacity = 1024;
    QByteArray &m_out;
    char m_buffer[kCapacity];
    qsizetype m_used = 0;
};

// Headers the layer writes itself; a handler's copy would contradict them.
bool isReservedHeader(QByteArrayView name)
{
    using HttpAscii::equalsIgnoreCase;
    return equalsIgnoreCase(name, "content-length") || equalsIgnoreCase(name, "transfer-encoding") ||
           equalsIgnoreCase(name, "connection") || equalsIgnoreCase(name, "date") ||
           equalsIgnoreCase(name, "server") || equalsIgnoreCase(name, "x-correlation-id");
}

// A header that would break the framing (CR, LF, NUL) is dropped, not sent.
bool isSafeHeader(const HttpHeader &header)
{
    if (!HttpAscii::isToken(header.name))
        return false;
    for (char c : header.value)
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    return true;
}

} // namespace

QByteArrayView HttpResponseEncoder::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Range Not Satisfiable";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return status >= 500 ? "Error" : "Unknown";
    }
}

QByteArrayView HttpResponseEncoder::httpDate()
{
    static const char days[7][4] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    thread_local qint64 cachedSecond = -1;
    thread_local char text[30];
    const qint64 second = QDateTime::currentSecsSinceEpoch();
    if (second != cachedSecond) {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(second, Qt::UTC);
        const QDate d = now.date();
        const QTime t = now.time();
        std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[d.dayOfWeek() - 1],
                      d.day(), months[d.month() - 1], d.year(), t.hour(), t.minute(), t.second());
        cachedSecond = second;
    }
    return QByteArrayView(text, 29);
}

void HttpResponseEncoder::encode(const HttpResponse &response, const Context &context, QByteArray &out,
                                 bool includeBody)
{
    const bool bodyless = isBodyless(response.status);
    const bool sendBody = includeBody && !bodyless && !context.isHead;
    out.reserve(out.size() + 320 + (sendBody ? response.body.size() : 0));
    {
        HeadWriter head(out);
        head.add("HTTP/1.1 ");
        head.addNumber(response.status);
        head.add(" ");
        head.add(reasonPhrase(response.status));
        head.add("\r\nServer: Hearth\r\nDate: ");
        head.add(httpDate());
        head.add("\r\n");

        bool handlerContentType = false;
        for (const HttpHeader &h : response.headers)
            if (HttpAscii::equalsIgnoreCase(h.name, "content-type"))
                handlerContentType = true;
        if (!bodyless) {
            if (!handlerContentType && !response.contentType.isEmpty())
                head.addHeader("Content-Type", response.contentType);
            head.add("Content-Length: ");
            head.addNumber(response.body.size());
            head.add("\r\n");
        }
        if (context.close)
            head.add("Connection: close\r\n");
        else if (context.keepAliveHttp10)
            head.add("Connection: keep-alive\r\n");
        if (!context.correlationId.isEmpty())
            head.addHeader("X-Correlation-Id", context.correlationId);
        if (!context.corsOrigin.isEmpty()) {
            head.addHeader("Access-Control-Allow-Origin", context.corsOrigin);
            head.add("Vary: Origin\r\nAccess-Control-Expose-Headers: X-Correlation-Id\r\n");
        }
        for (const HttpHeader &h : response.headers) {
            if (isReservedHeader(h.name) || !isSafeHeader(h))
                continue;
            head.addHeader(h.name, h.value);
        }
        head.add("\r\n");
    }
    if (sendBody)
        out.append(response.body);
}

} // namespace Hearth
