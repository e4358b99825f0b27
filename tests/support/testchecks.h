// Qt Test checks for HTTP replies, shared by the API tests. Each macro
// evaluates its reply expression once: it often is the request itself.
#pragma once

#include "testhttpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

// The reply has this HTTP status (the whole reply is printed when not).
#define CHECK_STATUS(reply, expected)                                                                        \
    do {                                                                                                     \
        const Hearth::Test::HttpReply &s_ = (reply);                                                         \
        QVERIFY2(s_.status == (expected), qPrintable(s_.describe()));                                        \
    } while (false)

// An error envelope with this status and error.code.
#define CHECK_ERROR(reply, expectedStatus, expectedCode)                                                     \
    do {                                                                                                     \
        const Hearth::Test::HttpReply &r_ = (reply);                                                         \
        QVERIFY2(r_.status == (expectedStatus) && r_.errorCode() == QLatin1String(expectedCode) &&           \
                     r_.object().value("success") == QJsonValue(false) &&                                    \
                     r_.object().value("statusCode") == QJsonValue(expectedStatus),                          \
                 qPrintable(r_.describe()));                                                                 \
    } while (false)

// 403 FORBIDDEN in the error envelope.
#define CHECK_FORBIDDEN(reply) CHECK_ERROR(reply, 403, "FORBIDDEN")

namespace Hearth::Test {

// A JSON object written in a test; a typo in it stops the test run at once.
inline QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("bad JSON in test: %s", json.constData());
    return doc.object();
}

// The object's keys, sorted.
inline QStringList keysOf(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

} // namespace Hearth::Test

namespace Hearth {
using Test::keysOf;
using Test::parseObject;
} // namespace Hearth
