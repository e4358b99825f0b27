// What the Users and Permissions tests share: signing in over plain HTTP as
// the users the UI made, finding the dialog the page opened, answering a
// confirmation, and reading rows back through the root admin.
#pragma once

#include "consoletestbed.h"

#include <QAbstractButton>
#include <QApplication>
#include <QJsonDocument>
#include <QMessageBox>
#include <QUrl>
#include <QtTest>

namespace Hearth::AccessTestKit {

// POST /auth/login as email: the access token, or empty (status in *status).
inline QByteArray login(const ConsoleTestBed &bed, const QString &email, const QString &password,
                        int *status = nullptr)
{
    TestHttpClient client(bed.server().port());
    const HttpReply reply = client.post(
        "/auth/login", QJsonObject{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
    if (status)
        *status = reply.status;
    return reply.object().value(u"accessToken").toString().toLatin1();
}

// GET path with a Bearer token.
inline HttpReply getAs(const ConsoleTestBed &bed, const QByteArray &token, const QByteArray &path)
{
    TestHttpClient client(bed.server().port());
    client.setBearerToken(token);
    return client.get(path);
}

inline QByteArray filterQuery(const QJsonObject &filter)
{
    return "filter=" +
           QUrl::toPercentEncoding(QString::fromUtf8(QJsonDocument(filter).toJson(QJsonDocument::Compact)));
}

// The first row of GET /table?filter={key: value}&fields=… as the root admin.
inline QJsonObject adminRow(const ConsoleTestBed &bed, const QByteArray &table, const QString &key,
                            const QJsonValue &value, const QByteArray &fields = "*")
{
    const HttpReply reply = bed.admin().get("/" + table + "?limit=0&fields=" + fields + "&" +
                                            filterQuery(QJsonObject{{key, value}}));
    return reply.data().at(0).toObject();
}

// The visible top-level widget of type T (a dialog the page opened with open()), or null.
template <typename T> T *visible()
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *t = qobject_cast<T *>(w); t && t->isVisible())
            return t;
    return nullptr;
}

// The visible confirmation box (Confirmation::ask), or null.
inline QMessageBox *confirmation()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        auto *box = qobject_cast<QMessageBox *>(w);
        if (box && box->isVisible() && box->objectName() == u"confirmation")
            return box;
    }
    return nullptr;
}

// Waits for the confirmation box and clicks its action button (QTRY_* evaluate
// their expression once more at the end, so the click is not inside one).
inline bool confirm()
{
    if (!QTest::qWaitFor([] { return confirmation() != nullptr; }, 5000))
        return false;
    auto *yes = confirmation()->findChild<QAbstractButton *>(QStringLiteral("confirmButton"));
    if (!yes)
        return false;
    QTest::mouseClick(yes, Qt::LeftButton);
    return true;
}

} // namespace Hearth::AccessTestKit
