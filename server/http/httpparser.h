#pragma once

#include "http/httplimits.h"
#include "http/httprequest.h"

#include <QByteArray>
#include <QString>

#include <memory>

class QTemporaryFile;

namespace Hearth {

// Incremental HTTP/1.x request parser. Bytes may arrive split anywhere (one at
// a time if need be). Every limit of HttpLimits is enforced as soon as the
// bytes seen exceed it, so an endless request line or an oversized declared
// body is refused before it is buffered. parse() stops at the end of each
// request, leaving pipelined bytes with the caller until it is ready.
class HttpParser
{
public:
    enum class Result
    {
        NeedMore,        // every byte given was used; the request is not complete yet
        HeadComplete,    // header block done and a body follows (time for 100 Continue)
        RequestComplete, // call takeRequest()
        Error,           // errorStatus() / errorMessage(); the connection must be closed
    };

    explicit HttpParser(const HttpLimits &limits = {});
    ~HttpParser();
    HttpParser(const HttpParser &) = delete;
    HttpParser &operator=(const HttpParser &) = delete;

    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    // Where upload bodies are streamed; empty means QDir::tempPath().
    void setUploadDirectory(const QString &directory) { m_uploadDirectory = directory; }
    // Keeps the raw bytes of each header block (rawHead()), so that a
    // WebSocket handshake can be given back to the socket.
    void setKeepRawHead(bool keep) { m_keepRawHead = keep; }

    // Uses bytes from data until the head or the whole request is complete, an
    // error is found or the data is used up; *consumed tells how many were used.
    Result parse(const char *data, qsizetype size, qsizetype *consumed);
    Result parse(QByteArrayView data, qsizetype *consumed)
    {
        return parse(data.data(), data.size(), consumed);
    }

    bool isIdle() const; // no byte of the next request seen yet
    bool isReadingBody() const;
    bool hasError() const { return m_state == State::Error; }
    bool expectsContinue() const { return m_expectContinue; }

    // The request being parsed: its head after HeadComplete; after an error,
    // what was understood so far (method and path for the error envelope).
    const HttpRequest &request() const { return m_request; }
    // After RequestComplete: the request; the parser is then ready for the
    // next one. An upload's file now belongs to the caller.
    HttpRequest takeRequest();
    // With setKeepRawHead(true): the header block of the last request as
    // received, readable after takeRequest() until the next parse().
    const QByteArray &rawHead() const { return m_rawHead; }

    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }

    // Forgets the request in progress, removes its upload file, clears errors.
    void reset();

private:
    enum class State
    {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Complete,
        Error
    };
    enum class LineStatus
    {
        Line,
        Partial,
        TooLong
    };

    LineStatus takeLine(const char *&p, const char *end, qsizetype maxContent, QByteArrayView *line);
    Result fail(int status, const QString &message);
    bool reject(int status, const QString &message); // fail() for the bool helpers
    bool parseRequestLine(QByteArrayView line);
    bool parseTarget(QByteArrayView target);
    bool parseHeaderLine(QByteArrayView line, bool trailer);
    bool parseContentLength(QByteArrayView value);
    bool parseChunkSize(QByteArrayView line);
    Result finishHead();
    bool appendBody(const char *data, qsizetype size);
    bool finishBody();
    void discardUpload();
    void prepareForNext();

    HttpLimits m_limits;
    QString m_uploadDirectory;
    bool m_keepRawHead = false;

    State m_state = State::RequestLine;
    QByteArray m_line; // a line split across parse() calls
    QByteArray m_rawHead;
    bool m_rawHeadStale = false;
    HttpRequest m_request;

    int m_headerBytes = 0;
    int m_headerCount = 0;
    int m_emptyLines = 0;
    int m_hostCount = 0;
    qint64 m_contentLength = -1;
    QByteArray m_transferEncoding;
    bool m_hasTransferEncoding = false;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;
    bool m_expectContinue = false;
    bool m_expectOther = false;

    bool m_chunked = false;
    qint64 m_bodyLimit = 0;
    qint64 m_bodyReceived = 0;
    qint64 m_remaining = 0; // of the Content-Length body or of the current chunk
    std::unique_ptr<QTemporaryFile> m_upload;

    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace Hearth
