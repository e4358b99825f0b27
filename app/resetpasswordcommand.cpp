#include "resetpasswordcommand.h"

#include "auth/passwordhasher.h"
#include "data/database.h"
#include "data/valuecoercion.h"

#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace Hearth {

namespace {

constexpr int kMinPasswordLength = 8;

// One line from standard input; without echo when it is a terminal.
std::string readSecretLine(const char *prompt)
{
    const bool terminal = ::isatty(STDIN_FILENO);
    termios saved{};
    if (terminal) {
        std::fputs(prompt, stderr);
        std::fflush(stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputs("\n", stderr);
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

} // namespace

int runResetPassword(const CommandLine &commandLine)
{
    const QString path = QDir(commandLine.dataDir).filePath(QStringLiteral("data.db"));
    if (!QFileInfo::exists(path)) {
        std::fprintf(stderr, "hearth: no Hearth data in %s\n", qPrintable(commandLine.dataDir));
        return 1;
    }
    const std::string password = readSecretLine("New password: ");
    if (::isatty(STDIN_FILENO) && readSecretLine("Repeat it: ") != password) {
        std::fprintf(stderr, "hearth: the two passwords differ; nothing changed\n");
        return 1;
    }
    if (characterCount(QString::fromStdString(password)) < kMinPasswordLength) {
        std::fprintf(stderr, "hearth: the password needs at least %d characters; nothing changed\n",
                     kMinPasswordLength);
        return 1;
    }
    try {
        Database database(path);
        std::unique_ptr<SqlConnection> db = database.connect();
        int cost = PasswordHasher::DefaultCost;
        {
            SqlStatement s = db->prepare("SELECT value FROM hearth_setting WHERE \"key\" = 'bcryptCost'");
            if (s.step() && s.columnType(0) == 1 /* SQLITE_INTEGER */)
                cost = int(s.int64(0));
        }
        const QByteArray hash = PasswordHasher::hash(QByteArray::fromStdString(password), cost);
        WriteTransaction transaction(database, *db);
        SqlStatement update = db->prepare(
            "UPDATE hearth_user SET password = ?, updatedAt = ? WHERE email = ? COLLATE NOCASE RETURNING id");
        update.bind(1, hash);
        update.bind(2, currentTimestamp());
        update.bind(3, sqlText(commandLine.email.trimmed()));
        if (!update.step()) {
            std::fprintf(stderr, "hearth: no user with email %s; nothing changed\n",
                         qPrintable(commandLine.email));
            return 1;
        }
        const QByteArray userId = update.text(0).toByteArray();
        update.exec(); // finish the statement before the next one
        SqlStatement revoke = db->prepare(
            "UPDATE hearth_session SET revokedAt = ?, updatedAt = ? WHERE userId = ? AND revokedAt IS NULL");
        revoke.bind(1, currentTimestamp());
        revoke.bind(2, currentTimestamp());
        revoke.bind(3, userId);
        revoke.exec();
        transaction.commit();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "hearth: cannot change the password: %s\n", e.what());
        return 1;
    }
    std::printf("The password of %s is changed and its sessions are ended.\n", qPrintable(commandLine.email));
    return 0;
}

} // namespace Hearth
