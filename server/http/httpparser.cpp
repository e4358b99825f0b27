#include "http/httpparser.h"

#include "http/httpascii.h"

#include <QDateTime>
#include <QDir>
#include <QTemporaryFile>

#include <cstring>
#include <limits>

namespace Hearth {

using namespace HttpAscii;

namespace {

// A few blank lines between pipelined requests are tolerated (RFC 9112 2.2);
// an endless stream of them is not.
constexpr int kMaxLeadingEmptyLines = 8;
constexpr qsizetype kMaxChunkSizeLine = 1024;
// Preallocating a declared body is capped: the bytes must arrive first.
constexpr qint64 kMaxBodyReserve = 1 << 20;

bool isUploadType(QByteArrayView contentType)
{
    qsizetype semicolon = contentType.indexOf(';');
    QByteArrayView media = trimOws(semicolon < 0 ? contentType : contentType.first(semicolon));
    return equalsIgnoreCase(media, "multipart/form-data") ||
           equalsIgnoreCase(media, "application/octet-stream");
}

bool startsWithIgnoreCase(QByteArrayView s, QByteArrayView prefix)
{
    return s.size() >= prefix.size() && equalsIgnoreCase(s.first(prefix.size()), prefix);
}

} // namespace

HttpParser::HttpParser(const HttpLimits &limits) : m_limits(limits) {}

HttpParser::~HttpParser()
{
    discardUpload();
}

bool HttpParser::isIdle() const
{
    return m_state == State::RequestLine && m_line.isEmpty();
}

bool HttpParser::isReadingBody() const
{
    switch (m_state) {
    case State::Body:
    case State::ChunkSize:
    case State::ChunkData:
    case State::ChunkDataEnd:
    case State::Trailers:
        return true;
    default:
        return false;
    }
}

HttpRequest HttpParser::takeRequest()
{
    HttpRequest request = std::move(m_request);
    prepareForNext();
    return request;
}

void HttpParser::reset()
{
    discardUpload();
    prepareForNext();
    m_errorStatus = 0;
    m_errorMessage.clear();
}

void HttpParser::prepareForNext()
{
    m_state = State::RequestLine;
    m_line.resize(0);      // keeps the capacity for the next request
    m_rawHeadStale = true; // rawHead() stays readable until the next request starts
    m_request = HttpRequest();
    m_request.headers.reserve(16); // one allocation for a browser's usual dozen headers
    m_headerBytes = 0;
    m_headerCount = 0;
    m_emptyLines = 0;
    m_hostCount = 0;
    m_contentLength = -1;
    m_transferEncoding.clear();
    m_hasTransferEncoding = false;
    m_connectionClose = false;
    m_connectionKeepAlive = false;
    m_expectContinue = false;
    m_expectOther = false;
    m_chunked = false;
    m_bodyLimit = 0;
    m_bodyReceived = 0;
    m_remaining = 0;
    m_upload.reset();
}

void HttpParser::discardUpload()
{
    if (m_upload) {
        m_upload->setAutoRemove(true);
        m_upload.reset();
    }
}

HttpParser::Result HttpParser::fail(int status, const QString &message)
{
    discardUpload();
    m_state = State::Error;
    m_errorStatus = status;
    m_errorMessage = message;
    return Result::Error;
}

bool HttpParser::reject(int status, const QString &message)
{
    fail(status, message);
    return false;
}

HttpParser::LineStatus HttpParser::takeLine(const char *&p, const char *end, qsizetype maxContent,
                                            QByteArrayView *line)
{
    const bool keepRaw = m_keepRawHead && (m_state == State::RequestLine || m_state == State::Headers);
    if (keepRaw && m_rawHeadStale) {
        m_rawHead.resize(0);
        m_rawHeadStale = false;
    }
    const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
    if (!nl) {
        const qsizetype add = end - p;
        qsizetype content = m_line.size() + add;
        const char last = add > 0 ? end[-1] : (m_line.isEmpty() ? '\0' : m_line.back());
        if (last == '\r')
            --content; // may be the first half of the line terminator
        if (content > maxContent)
            return LineStatus::TooLong;
        m_line.append(p, add);
        if (keepRaw)
            m_rawHead.append(p, add);
        p = end;
        return LineStatus::Partial;
    }
    const qsizetype add = nl - p;
    if (keepRaw)
        m_rawHead.append(p, add + 1);
    QByteArrayView v;
    if (m_line.isEmpty()) {
        v = QByteArrayView(p, add); // the common case: no copy
    } else {
        m_line.append(p, add);
        v = m_line;
    }
    p = nl + 1;
    if (!v.isEmpty() && v.back() == '\r')
        v = v.chopped(1);
    if (v.size() > maxContent)
        return LineStatus::TooLong;
    *line = v;
    return LineStatus::Line;
}

HttpParser::Result HttpParser::parse(const char *data, qsizetype size, qsizetype *consumed)
{
    const char *p = data;
    const char *const end = data + size;
    auto done = [&](Result r) {
        *consumed = p - data;
        return r;
    };
    if (m_state == State::Error)
        return done(Result::Error);
    if (m_state == State::Complete)
        return done(Result::RequestComplete);

    QByteArrayView line;
    while (p < end) {
        switch (m_state) {
        case State::RequestLine:
            switch (takeLine(p, end, m_limits.maxRequestLineBytes, &line)) {
            case LineStatus::Partial:
                return done(Result::NeedMore);
            case LineStatus::TooLong:
                return done(fail(414, QStringLiteral("Request line is too long")));
            case LineStatus::Line:
                break;
            }
            if (line.isEmpty()) {
                m_line.resize(0);
                m_rawHead.resize(0);
                if (++m_emptyLines > kMaxLeadingEmptyLines)
                    return done(fail(400, QStringLiteral("Malformed request line")));
                break;
            }
            if (!parseRequestLine(line))
                return done(Result::Error);
            m_line.resize(0);
            m_state = State::Headers;
            break;

        case State::Headers: {
            const qsizetype budget = qMax<qsizetype>(0, m_limits.maxHeaderBytes - m_headerBytes - 2);
            switch (takeLine(p, end, budget, &line)) {
            case LineStatus::Partial:
                return done(Result::NeedMore);
            case LineStatus::TooLong:
                return done(fail(431, QStringLiteral("Request header block is too large")));
            case LineStatus::Line:
                break;
            }
            if (line.isEmpty()) {
                m_line.resize(0);
                return done(finishHead());
            }
            m_headerBytes += int(line.size()) + 2;
            if (++m_headerCount > m_limits.maxHeaderCount)
                return done(fail(431, QStringLiteral("Too many request headers")));
            if (!parseHeaderLine(line, false))
                return done(Result::Error);
            m_line.resize(0);
            break;
        }

        case State::Body: {
            const qsizetype n = qsizetype(qMin<qint64>(end - p, m_remaining));
            if (!appendBody(p, n))
                return done(Result::Error);
            p += n;
            m_remaining -= n;
            if (m_remaining == 0) {
                if (!finishBody())
                    return done(Result::Error);
                return done(Result::RequestComplete);
            }
            break;
        }

        case State::ChunkSize:
            switch (takeLine(p, end, kMaxChunkSizeLine, &line)) {
            case LineStatus::Partial:
                return done(Result::NeedMore);
            case LineStatus::TooLong:
                return done(fail(400, QStringLiteral("Malformed chunk size")));
            case LineStatus::Line:
                break;
            }
            if (!parseChunkSize(line))
                return done(Result::Error);
            m_line.resize(0);
            break;

        case State::ChunkData: {
            const qsizetype n = qsizetype(qMin<qint64>(end - p, m_remaining));
            if (!appendBody(p, n))
                return done(Result::Error);
            p += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        }

        case State::ChunkDataEnd:
            switch (takeLine(p, end, 0, &line)) {
            case LineStatus::Partial:
                return done(Result::NeedMore);
            case LineStatus::TooLong:
                return done(fail(400, QStringLiteral("Malformed chunk: data is longer than its size")));
            case LineStatus::Line:
                break;
            }
            m_line.resize(0);
            m_state = State::ChunkSize;
            break;

        case State::Trailers: {
            const qsizetype budget = qMax<qsizetype>(0, m_limits.maxHeaderBytes - m_headerBytes - 2);
            switch (takeLine(p, end, budget, &line)) {
            case LineStatus::Partial:
                return done(Result::NeedMore);
            case LineStatus::TooLong:
                return done(fail(431, QStringLiteral("Request trailer block is too large")));
            case LineStatus::Line:
                break;
            }
            if (line.isEmpty()) {
                m_line.resize(0);
                if (!finishBody())
                    return done(Result::Error);
                return done(Result::RequestComplete);
            }
            m_headerBytes += int(line.size()) + 2;
            if (++m_headerCount > m_limits.maxHeaderCount)
                return done(fail(431, QStringLiteral("Too many trailer fields")));
            if (!parseHeaderLine(line, true))
                return done(Result::Error);
            m_line.resize(0);
            break;
        }

        case State::Complete:
            return done(Result::RequestComplete);
        case State::Error:
            return done(Result::Error);
        }
    }
    return done(Result::NeedMore);
}

bool HttpParser::parseRequestLine(QByteArrayView line)
{
    const QString malformed = QStringLiteral("Malformed request line");
    const qsizetype sp1 = line.indexOf(' ');
    if (sp1 <= 0)
        return reject(400, malformed);
    const qsizetype sp2 = line.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return reject(400, malformed);
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method) || target.isEmpty())
        return reject(400, malformed);
    auto isDigit = [](char c) {
        return c >= '0' && c <= '9';
    };
    if (version.size() != 8 || !version.startsWith("HTTP/") || !isDigit(version[5]) || version[6] != '.' ||
        !isDigit(version[7]))
        return reject(400, malformed);
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
        return reject(505, QStringLiteral("HTTP version not supported"));
    m_request.httpMinor = version[7] - '0';
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    return parseTarget(target);
}

bool HttpParser::parseTarget(QByteArrayView target)
{
    for (char c : target) {
        const uchar u = uchar(c);
        if (u <= 0x20 || u == 0x7f || c == '#')
            return reject(400, QStringLiteral("Invalid character in request target"));
    }

    QByteArrayView rest; // path and query
    if (target.front() == '/') {
        rest = target;
    } else if (target == "*") {
        if (m_request.method != "OPTIONS")
            return reject(400, QStringLiteral("Invalid request target"));
        m_request.path = "*";
        return true;
    } else if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
        // absolute-form: the authority is ignored, the path is what counts
        const qsizetype authority = target.indexOf("//") + 2;
        qsizetype pathStart = authority;
        while (pathStart < target.size() && target[pathStart] != '/' && target[pathStart] != '?')
            ++pathStart;
        if (pathStart == authority)
            return reject(400, QStringLiteral("Invalid request target"));
        rest = target.sliced(pathStart);
    } else {
        return reject(400, QStringLiteral("Invalid request target"));
    }

    const qsizetype question = rest.indexOf('?');
    QByteArrayView rawPath = question < 0 ? rest : rest.first(question);
    if (question >= 0)
        m_request.rawQuery = rest.sliced(question + 1).toByteArray();
    if (rawPath.isEmpty())
        rawPath = "/";

    if (rawPath.indexOf('%') < 0) {
        m_request.path = rawPath.toByteArray();
    } else {
        QByteArray decoded(rawPath.size(), Qt::Uninitialized);
        char *d = decoded.data();
        for (qsizetype i = 0; i < rawPath.size(); ++i) {
            if (rawPath[i] != '%') {
                *d++ = rawPath[i];
                continue;
            }
            const int hi = i + 2 < rawPath.size() ? hexValue(rawPath[i + 1]) : -1;
            const int lo = hi >= 0 ? hexValue(rawPath[i + 2]) : -1;
            if (lo < 0)
                return reject(400, QStringLiteral("Invalid percent-encoding in request path"));
            const char value = char(hi * 16 + lo);
            if (value == '\0')
                return reject(400, QStringLiteral("NUL character in request path"));
            *d++ = value;
            i += 2;
        }
        decoded.resize(d - decoded.constData());
        m_request.path = std::move(decoded);
    }
    if (!QByteArrayView(m_request.path).isValidUtf8())
        return reject(400, QStringLiteral("Request path is not valid UTF-8"));
    return true;
}

bool HttpParser::parseHeaderLine(QByteArrayView line, bool trailer)
{
    if (line.front() == ' ' || line.front() == '\t')
        return reject(400, QStringLiteral("Obsolete header line folding is not allowed"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return reject(400, QStringLiteral("Malformed header line"));
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    for (char c : value) {
        const uchar u = uchar(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return reject(400, QStringLiteral("Invalid character in header value"));
    }
    if (trailer)
        return true; // trailers are checked, then dropped: nothing may smuggle headers in after the body

    HttpHeader header{lowered(line.first(colon)), value.toByteArray()};
    const QByteArray &name = header.name;
    if (name == "host") {
        ++m_hostCount;
    } else if (name == "content-length") {
        if (!parseContentLength(value))
            return false;
    } else if (name == "transfer-encoding") {
        if (m_hasTransferEncoding)
            m_transferEncoding += ',';
        m_transferEncoding += value;
        m_hasTransferEncoding = true;
    } else if (name == "connection") {
        m_connectionClose = m_connectionClose || listContainsToken(value, "close");
        m_connectionKeepAlive = m_connectionKeepAlive || listContainsToken(value, "keep-alive");
    } else if (name == "expect") {
        if (equalsIgnoreCase(value, "100-continue"))
            m_expectContinue = true;
        else
            m_expectOther = true;
    }
    m_request.headers.append(std::move(header));
    return true;
}

bool HttpParser::parseContentLength(QByteArrayView value)
{
    // A list ("5, 5") or repeated fields are fine only when all agree (RFC 9110 8.6).
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype comma = value.indexOf(',', start);
        if (comma < 0)
            comma = value.size();
        const QByteArrayView item = trimOws(value.sliced(start, comma - start));
        if (item.isEmpty())
            return reject(400, QStringLiteral("Invalid Content-Length"));
        qint64 length = 0;
        for (char c : item) {
            if (c < '0' || c > '9')
                return reject(400, QStringLiteral("Invalid Content-Length"));
            // 18 digits always fit; anything longer is far beyond any limit
            length = length > std::numeric_limits<qint64>::max() / 10 - 1 ? std::numeric_limits<qint64>::max()
                                                                          : length * 10 + (c - '0');
        }
        if (m_contentLength >= 0 && m_contentLength != length)
            return reject(400, QStringLiteral("Conflicting Content-Length values"));
        m_contentLength = length;
        start = comma + 1;
    }
    return true;
}

bool HttpParser::parseChunkSize(QByteArrayView line)
{
    qsizetype i = 0;
    qint64 size = 0;
    bool huge = false;
    while (i < line.size()) {
        const int digit = hexValue(line[i]);
        if (digit < 0)
            break;
        if (size > (std::numeric_limits<qint64>::max() >> 4))
            huge = true;
        else
            size = size * 16 + digit;
        ++i;
    }
    if (i == 0)
        return reject(400, QStringLiteral("Malformed chunk size"));
    const QByteArrayView extension = trimOws(line.sliced(i));
    if (!extension.isEmpty() && extension.front() != ';')
        return reject(400, QStringLiteral("Malformed chunk size"));
    // chunk extensions carry nothing this server uses; they are skipped

    if (size == 0) {
        m_state = State::Trailers;
        m_headerBytes = 0;
        m_headerCount = 0;
        return true;
    }
    if (huge || size > m_bodyLimit - m_bodyReceived)
        return reject(413, QStringLiteral("Request body is too large"));
    m_remaining = size;
    m_state = State::ChunkData;
    return true;
}

HttpParser::Result HttpParser::finishHead()
{
    HttpRequest &r = m_request;
    if (m_hostCount > 1)
        return fail(400, QStringLiteral("Multiple Host headers"));
    if (r.httpMinor == 1 && m_hostCount == 0)
        return fail(400, QStringLiteral("Missing Host header"));
    if (m_hasTransferEncoding) {
        // RFC 9112 6.1: both framings at once is how requests get smuggled
        if (m_contentLength >= 0)
            return fail(400, QStringLiteral("Content-Length and Transfer-Encoding must not both be present"));
        if (!equalsIgnoreCase(trimOws(m_transferEncoding), "chunked"))
            return fail(501, QStringLiteral("Unsupported transfer coding"));
        m_chunked = true;
    }
    if (r.httpMinor == 1) {
        r.keepAlive = !m_connectionClose;
        if (m_expectOther)
            return fail(417, QStringLiteral("Unsupported expectation"));
    } else {
        r.keepAlive = m_connectionKeepAlive && !m_connectionClose;
        m_expectContinue = false; // RFC 9110 10.1.1: ignored in HTTP/1.0 requests
    }
    if (r.method == "HEAD") {
        r.method = "GET";
        r.isHead = true;
    }
    r.receivedAtMs = QDateTime::currentMSecsSinceEpoch();

    const bool upload = isUploadType(r.header("content-type"));
    m_bodyLimit = upload ? m_limits.maxUploadBodyBytes : m_limits.maxJsonBodyBytes;
    if (!m_chunked && m_contentLength <= 0) {
        m_expectContinue = false;
        m_state = State::Complete;
        return Result::RequestComplete;
    }
    if (!m_chunked && m_contentLength > m_bodyLimit)
        return fail(413, QStringLiteral("Request body is too large"));

    if (upload) {
        const QString dir = m_uploadDirectory.isEmpty() ? QDir::tempPath() : m_uploadDirectory;
        m_upload = std::make_unique<QTemporaryFile>(dir + QStringLiteral("/hearth-upload-XXXXXX"));
        m_upload->setAutoRemove(true); // until the body is complete
        if (!m_upload->open())
            return fail(500, QStringLiteral("Could not store the upload"));
    }
    if (m_chunked) {
        m_state = State::ChunkSize;
    } else {
        m_remaining = m_contentLength;
        if (!upload)
            r.body.reserve(qsizetype(qMin(m_contentLength, kMaxBodyReserve)));
        m_state = State::Body;
    }
    return Result::HeadComplete;
}

bool HttpParser::appendBody(const char *data, qsizetype size)
{
    if (size == 0)
        return true;
    m_bodyReceived += size;
    if (m_upload) {
        if (m_upload->write(data, size) != size)
            return reject(500, QStringLiteral("Could not store the upload"));
    } else {
        m_request.body.append(data, size);
    }
    return true;
}

bool HttpParser::finishBody()
{
    if (m_upload) {
        if (!m_upload->flush())
            return reject(500, QStringLiteral("Could not store the upload"));
        m_request.bodyFilePath = m_upload->fileName();
        m_upload->setAutoRemove(false); // the caller removes it after the response
        m_upload->close();
        m_upload.reset();
    }
    m_state = State::Complete;
    return true;
}

} // namespace Hearth
