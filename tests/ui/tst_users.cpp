// The Users page against a real in-process server, offscreen: users created,
// given a role, made root admin, given a new password and deleted through
// the UI, checked by signing in as them over plain HTTP; API tokens made in
// the UI and used as Bearer tokens until revoked; the server's refusals shown
// in its words.
#include "accesstestkit.h"
#include "consoletestbed.h"

#include "pages/users/apitokenspanel.h"
#include "pages/users/newtokendialog.h"
#include "pages/users/newuserdialog.h"
#include "pages/users/resetpassworddialog.h"
#include "pages/userspage.h"
#include "widgets/jsontablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

using namespace Hearth;
using namespace Hearth::AccessTestKit;

class TestUsers : public QObject
{
    Q_OBJECT

private:
    ConsoleTestBed m_bed;
    qint64 m_authorRole = 0;

    // A shown, loaded Users page.
    std::unique_ptr<UsersPage> openPage()
    {
        auto page = std::make_unique<UsersPage>();
        page->setClient(m_bed.client());
        page->resize(1100, 700);
        page->show();
        QSignalSpy loaded(page.get(), &UsersPage::loaded);
        page->activate();
        if (!loaded.wait(10'000))
            qWarning("the Users page did not load");
        return page;
    }

    // A user made through the API (the UI's own creation is tested once, below).
    QString makeUser(const QString &email, const QString &password)
    {
        const HttpReply r =
            m_bed.admin().post("/hearth_user", QJsonObject{{QStringLiteral("email"), email},
                                                           {QStringLiteral("password"), password}});
        if (r.status != 201)
            qWarning("%s", qPrintable(r.describe()));
        return r.data().at(0).toObject().value(u"id").toString();
    }

    static QPushButton *button(QWidget *root, const char *name)
    {
        return root->findChild<QPushButton *>(QLatin1StringView(name));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_bed.startSignedIn());
        const HttpReply role = m_bed.admin().post(
            "/hearth_role", QJsonObject{{QStringLiteral("name"), QStringLiteral("author")}});
        QCOMPARE(role.status, 201);
        m_authorRole = role.data().at(0).toObject().value(u"id").toInteger();
    }

    void listsUsersAndShowsTheSelected()
    {
        auto page = openPage();
        QVERIFY(
            ConsoleTestBed::modelHas(page->model(), QStringLiteral("email"), HearthTestServer::adminEmail()));
        QVERIFY(!page->myId().isEmpty());
        QCOMPARE(ConsoleTestBed::labelText(page.get(), "selectHint").isEmpty(), false);
        QVERIFY(page->selectUser(HearthTestServer::adminEmail()));
        QCOMPARE(ConsoleTestBed::labelText(page.get(), "userEmail"), HearthTestServer::adminEmail());
        QVERIFY(ConsoleTestBed::labelText(page.get(), "userFacts").contains(QStringLiteral("This is you")));
        // Nobody deletes the account they are signed in with.
        QVERIFY(!button(page.get(), "deleteUserButton")->isEnabled());
        // Ctrl+F goes to the filter, which narrows the list.
        page->focusFilter();
        QTest::keyClicks(page->filterEdit(), QStringLiteral("no-such-user"));
        QCOMPARE(page->view()->model()->rowCount(), 0);
        page->filterEdit()->clear();
        QVERIFY(page->view()->model()->rowCount() >= 1);
    }

    void keysOpenTheDialogs()
    {
        makeUser(QStringLiteral("kim@example.com"), QStringLiteral("kim-password-1"));
        auto page = openPage();
        QVERIFY(QTest::qWaitForWindowActive(page.get()));
        // Ctrl+N: a new user.
        page->view()->setFocus();
        QTest::keyClick(page->view(), Qt::Key_N, Qt::ControlModifier);
        QTRY_VERIFY(visible<NewUserDialog>());
        visible<NewUserDialog>()->reject();
        QTRY_VERIFY(!visible<NewUserDialog>());
        // Delete on the list asks first; cancelling keeps the user.
        QVERIFY(page->selectUser(QStringLiteral("kim@example.com")));
        page->view()->setFocus();
        QTest::keyClick(page->view(), Qt::Key_Delete);
        QTRY_VERIFY(confirmation());
        QVERIFY(confirmation()->text().contains(QStringLiteral("kim@example.com")));
        confirmation()->reject();
        QTRY_VERIFY(!confirmation());
        QVERIFY(!adminRow(m_bed, "hearth_user", QStringLiteral("email"), QStringLiteral("kim@example.com"))
                     .isEmpty());
    }

    void createUserAndSignInAsThem()
    {
        auto page = openPage();
        auto *action = page->findChild<QAction *>(QStringLiteral("newUserAction"));
        QVERIFY(action);
        action->trigger();
        NewUserDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = visible<NewUserDialog>()));
        auto *ok = dialog->findChild<QPushButton *>(QStringLiteral("okButton"));
        QVERIFY(!ok->isEnabled()); // nothing typed yet
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("emailEdit")),
                         QStringLiteral("ann@example.com"));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("passwordEdit")),
                         QStringLiteral("ann-password-1"));
        auto *role = dialog->findChild<QComboBox *>(QStringLiteral("roleCombo"));
        role->setCurrentIndex(role->findText(QStringLiteral("author")));
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(!visible<NewUserDialog>());

        const QJsonObject stored = adminRow(m_bed, "hearth_user", QStringLiteral("email"),
                                            QStringLiteral("ann@example.com"), "id,isRootAdmin,role.name");
        QCOMPARE(JsonTableModel::valueAt(stored, QStringLiteral("role.name")).toString(),
                 QStringLiteral("author"));
        QCOMPARE(stored.value(u"isRootAdmin").toBool(), false);
        int status = 0;
        QVERIFY(!login(m_bed, QStringLiteral("ann@example.com"), QStringLiteral("ann-password-1"), &status)
                     .isEmpty());
        QCOMPARE(status, 200);
        // The new user is listed and selected.
        QTRY_COMPARE(page->selectedUser().value(u"email").toString(), QStringLiteral("ann@example.com"));
        QCOMPARE(page->messageBar()->text(), QStringLiteral("User ann@example.com created"));
    }

    void duplicateEmailIsReadable()
    {
        auto page = openPage();
        page->newUser();
        NewUserDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = visible<NewUserDialog>()));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("emailEdit")),
                         HearthTestServer::adminEmail());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("passwordEdit")),
                         QStringLiteral("another-pass-1"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("errorLabel"));
        QTRY_VERIFY(error->isVisible());
        // The server's words after the page's context, not an envelope.
        QCOMPARE(error->text(), QStringLiteral("Could not create the user: email must be unique"));
        QVERIFY(dialog->isVisible()); // still open to correct the form
        dialog->reject();
    }

    void resetPasswordReplacesTheOldOne()
    {
        makeUser(QStringLiteral("bob@example.com"), QStringLiteral("bob-old-password"));
        auto page = openPage();
        QVERIFY(page->selectUser(QStringLiteral("bob@example.com")));
        QTest::mouseClick(button(page.get(), "resetPasswordButton"), Qt::LeftButton);
        ResetPasswordDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = visible<ResetPasswordDialog>()));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("generatePassword")),
                          Qt::LeftButton);
        const QString generated = dialog->password();
        QCOMPARE(generated.size(), 20);
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->echoMode(),
                 QLineEdit::Normal);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        QTRY_VERIFY(!visible<ResetPasswordDialog>());

        int status = 0;
        login(m_bed, QStringLiteral("bob@example.com"), generated, &status);
        QCOMPARE(status, 200);
        login(m_bed, QStringLiteral("bob@example.com"), QStringLiteral("bob-old-password"), &status);
        QCOMPARE(status, 400);
    }

    void setRoleAndRootFlagAreStored()
    {
        makeUser(QStringLiteral("cid@example.com"), QStringLiteral("cid-password-1"));
        auto page = openPage();
        QVERIFY(page->selectUser(QStringLiteral("cid@example.com")));
        auto *role = page->findChild<QComboBox *>(QStringLiteral("roleCombo"));
        QCOMPARE(role->currentText(), QStringLiteral("No role"));
        // The keyboard picks the next entry, as a user would.
        role->setFocus();
        QTest::keyClick(role, Qt::Key_Down);
        QCOMPARE(role->currentText(), QStringLiteral("author"));
        QTRY_COMPARE(JsonTableModel::valueAt(adminRow(m_bed, "hearth_user", QStringLiteral("email"),
                                                      QStringLiteral("cid@example.com"), "id,role.id"),
                                             QStringLiteral("role.id"))
                         .toInteger(),
                     m_authorRole);

        auto *root = button(page.get(), "rootAdminButton");
        QCOMPARE(root->text(), QStringLiteral("Make Root Admin…"));
        QTest::mouseClick(root, Qt::LeftButton);
        QVERIFY(confirm());
        QTRY_VERIFY(adminRow(m_bed, "hearth_user", QStringLiteral("email"), QStringLiteral("cid@example.com"))
                        .value(u"isRootAdmin")
                        .toBool());
        QTRY_COMPARE(root->text(), QStringLiteral("Remove Root Admin…"));
        // Cancelling the confirmation changes nothing.
        QTest::mouseClick(root, Qt::LeftButton);
        QTRY_VERIFY(confirmation());
        confirmation()->reject();
        QTest::qWait(200);
        QVERIFY(adminRow(m_bed, "hearth_user", QStringLiteral("email"), QStringLiteral("cid@example.com"))
                    .value(u"isRootAdmin")
                    .toBool());
        QTest::mouseClick(root, Qt::LeftButton);
        QVERIFY(confirm());
        QTRY_VERIFY(
            !adminRow(m_bed, "hearth_user", QStringLiteral("email"), QStringLiteral("cid@example.com"))
                 .value(u"isRootAdmin")
                 .toBool(true));
    }

    void deleteUserAfterConfirming()
    {
        makeUser(QStringLiteral("dan@example.com"), QStringLiteral("dan-password-1"));
        auto page = openPage();
        QVERIFY(page->selectUser(QStringLiteral("dan@example.com")));
        auto *remove = button(page.get(), "deleteUserButton");
        QVERIFY(remove->isEnabled());
        QTest::mouseClick(remove, Qt::LeftButton);
        QVERIFY(confirm());
        QTRY_VERIFY(!ConsoleTestBed::modelHas(page->model(), QStringLiteral("email"),
                                              QStringLiteral("dan@example.com")));
        QVERIFY(adminRow(m_bed, "hearth_user", QStringLiteral("email"), QStringLiteral("dan@example.com"))
                    .isEmpty());
        int status = 0;
        login(m_bed, QStringLiteral("dan@example.com"), QStringLiteral("dan-password-1"), &status);
        QCOMPARE(status, 400);
    }

    void ownApiTokenWorksUntilRevoked()
    {
        auto page = openPage();
        QVERIFY(page->selectUser(HearthTestServer::adminEmail()));
        ApiTokensPanel *tokens = page->tokensPanel();
        auto *create = button(tokens, "newTokenButton");
        QVERIFY(create->isVisible());
        QTest::mouseClick(create, Qt::LeftButton);
        NewTokenDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = visible<NewTokenDialog>()));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("tokenNameEdit")),
                         QStringLiteral("backup script"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("okButton")), Qt::LeftButton);
        auto *shown = dialog->findChild<QLineEdit *>(QStringLiteral("tokenEdit"));
        QTRY_VERIFY(shown->isVisible());
        const QByteArray token = shown->text().toLatin1();
        QVERIFY(token.startsWith("hth_"));
        QVERIFY(!dialog->findChild<QPushButton *>(QStringLiteral("okButton"))->isVisible()); // made once
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("copyToken")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), QString::fromLatin1(token));

        const HttpReply me = getAs(m_bed, token, "/me");
        QVERIFY2(me.status == 200, qPrintable(me.describe()));
        QCOMPARE(me.data().at(0).toObject().value(u"email").toString(), HearthTestServer::adminEmail());
        dialog->reject(); // "Done"
        QTRY_VERIFY(ConsoleTestBed::modelHas(tokens->model(), QStringLiteral("name"),
                                             QStringLiteral("backup script")));
        // The list shows the prefix, never the token.
        QVERIFY(
            !ConsoleTestBed::modelHas(tokens->model(), QStringLiteral("token"), QString::fromLatin1(token)));

        tokens->view()->selectRow(0);
        QTest::mouseClick(button(tokens, "revokeTokenButton"), Qt::LeftButton);
        QVERIFY(confirm());
        QTRY_COMPARE(tokens->model()->rowCount(), 0);
        QCOMPARE(getAs(m_bed, token, "/me").status, 401);
    }

    void anotherUsersTokenCanBeRevoked()
    {
        makeUser(QStringLiteral("eve@example.com"), QStringLiteral("eve-password-1"));
        const QByteArray access =
            login(m_bed, QStringLiteral("eve@example.com"), QStringLiteral("eve-password-1"));
        TestHttpClient eve(m_bed.server().port());
        eve.setBearerToken(access);
        const HttpReply made =
            eve.post("/auth/api-tokens", QJsonObject{{QStringLiteral("name"), QStringLiteral("eve cli")}});
        QCOMPARE(made.status, 201);
        const QByteArray token = made.data().at(0).toObject().value(u"token").toString().toLatin1();
        QCOMPARE(getAs(m_bed, token, "/me").status, 200);

        auto page = openPage();
        QVERIFY(page->selectUser(QStringLiteral("eve@example.com")));
        ApiTokensPanel *tokens = page->tokensPanel();
        QTRY_VERIFY(
            ConsoleTestBed::modelHas(tokens->model(), QStringLiteral("name"), QStringLiteral("eve cli")));
        QVERIFY(!button(tokens, "newTokenButton")->isVisible()); // only eve makes eve's tokens
        tokens->view()->selectRow(0);
        QTest::mouseClick(button(tokens, "revokeTokenButton"), Qt::LeftButton);
        QVERIFY(confirm());
        QTRY_COMPARE(tokens->model()->rowCount(), 0);
        QCOMPARE(getAs(m_bed, token, "/me").status, 401);
    }

    void cleanupTestCase() { m_bed.stop(); }
};

QTEST_MAIN(TestUsers)
#include "tst_users.moc"
