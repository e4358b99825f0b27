// hearth-bench-tool: helpers for bench/run, no Qt and no Hearth code.
//
//   hearth-bench-tool seed --db FILE [--users 500] [--posts 10000] [--posts100k 100000] [--seed N]
//       Fills users, posts and posts100k (created beforehand through Hearth's
//       API, so the schema is Hearth's own) straight into the SQLite file with
//       the sqlite3 C API, while no server runs. Deterministic: the same seed
//       gives the same bytes of data.
//   hearth-bench-tool freeport
//       Prints a TCP port that is free on 127.0.0.1 right now.
//   hearth-bench-tool coldstart --port P [--timeout-ms 10000] -- COMMAND ARGS...
//       Starts COMMAND, polls 127.0.0.1:P every 1 ms with `GET /` and prints
//       the milliseconds from just before fork() to the first 200 answer; then
//       stops the command with SIGTERM and waits for it.

#include <sqlite3.h>

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string &message)
{
    std::fprintf(stderr, "hearth-bench-tool: %s\n", message.c_str());
    std::exit(1);
}

// ------------------------------------------------------------------ seed

// splitmix64: tiny, fully specified, the same everywhere.
struct Random
{
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

const char *const kWords[] = {
    "hearth", "table", "query", "filter", "server", "worker", "thread", "socket", "request", "answer",
    "latency", "index", "row", "column", "relation", "author", "post", "review", "news", "blog",
    "desktop", "backend", "sqlite", "journal", "write", "read", "cache", "memory", "scheduler", "event",
    "loop", "signal", "slot", "widget", "console", "schema", "migration", "preview", "hook", "script",
    "token", "session", "permission", "field", "record", "batch", "stream", "buffer", "payload", "header",
    "the", "a", "of", "and", "to", "in", "with", "for", "on", "by", "quickly", "slowly", "quiet", "bright",
    "careful", "simple", "robust", "fair", "small", "large", "local", "remote", "steady", "warm", "cold"};
constexpr size_t kWordCount = sizeof kWords / sizeof *kWords;

const char *const kFirstNames[] = {"Ann", "Bob", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro",
                                   "Ines", "Jamal", "Kim", "Lena", "Mateo", "Nora", "Oscar", "Priya"};
const char *const kLastNames[] = {"Smith", "Ng", "García", "Müller", "Okafor", "Rossi", "Tanaka", "Nowak",
                                  "Silva", "Dubois", "Kowalski", "Haddad", "Ivanova", "Olsen"};

// 2026-01-01T00:00:00.000Z plus ms, in Hearth's datetime text.
std::string isoTime(int64_t offsetMs)
{
    const int64_t ms = 1767225600000LL + offsetMs;
    const time_t seconds = time_t(ms / 1000);
    struct tm tm = {};
    gmtime_r(&seconds, &tm);
    char out[80];
    std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
    return out;
}

std::string sentence(Random &r, size_t minChars)
{
    std::string s;
    while (s.size() < minChars) {
        const char *w = kWords[r.below(kWordCount)];
        if (s.empty() || s.back() == '.') {
            if (!s.empty())
                s += ' ';
            s += char(std::toupper(static_cast<unsigned char>(w[0])));
            s += w + 1;
        } else {
            s += ' ';
            s += w;
        }
        if (r.below(9) == 0)
            s += '.';
    }
    if (s.back() != '.')
        s += '.';
    return s;
}

struct Db
{
    sqlite3 *db = nullptr;
    void exec(const char *sql)
    {
        char *error = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK)
            fail(std::string(sql) + ": " + (error ? error : "error"));
    }
    sqlite3_stmt *prepare(const std::string &sql)
    {
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
            fail(sql + ": " + sqlite3_errmsg(db) + " (were the tables created through the API first?)");
        return s;
    }
    int64_t count(const char *table)
    {
        sqlite3_stmt *s = prepare(std::string("SELECT COUNT(*) FROM \"") + table + '"');
        sqlite3_step(s);
        const int64_t n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return n;
    }
    void step(sqlite3_stmt *s)
    {
        if (sqlite3_step(s) != SQLITE_DONE)
            fail(std::string("insert: ") + sqlite3_errmsg(db));
        sqlite3_reset(s);
    }
};

void bindText(sqlite3_stmt *s, int i, const std::string &v)
{
    sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
}

void seedPosts(Db &db, Random &r, const char *table, int rows, int users)
{
    sqlite3_stmt *s = db.prepare(std::string("INSERT INTO \"") + table +
                                 "\" (id, title, description, public, type, authorId, createdAt, updatedAt)"
                                 " VALUES (?,?,?,?,?,?,?,?)");
    static const char *const types[] = {"news", "blog", "review"};
    db.exec("BEGIN");
    for (int i = 1; i <= rows; ++i) {
        std::string title;
        for (uint64_t w = 0, n = 3 + r.below(5); w < n; ++w) {
            const char *word = kWords[r.below(kWordCount)];
            title += w ? std::string(" ") + word
                       : std::string(1, char(std::toupper(static_cast<unsigned char>(word[0])))) + (word + 1);
        }
        title += " #" + std::to_string(i);
        std::string description = sentence(r, 480 + r.below(41));
        if (i % 25 == 0) // text that needs JSON escaping and is not ASCII
            description += " She said \"ça marche\" \\ then left.\n\tNew paragraph: Résumé, naïve café.";
        const std::string at = isoTime(int64_t(i) * 1000);
        sqlite3_bind_int64(s, 1, i);
        bindText(s, 2, title);
        bindText(s, 3, description);
        sqlite3_bind_int(s, 4, r.below(100) < 30 ? 1 : 0);
        sqlite3_bind_text(s, 5, types[r.below(3)], -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, 1 + int64_t(r.below(uint64_t(users))));
        bindText(s, 7, at);
        bindText(s, 8, at);
        db.step(s);
    }
    db.exec("COMMIT");
    sqlite3_finalize(s);
}

int seed(int argc, char **argv)
{
    std::string path;
    int users = 500, posts = 10000, posts100k = 100000;
    uint64_t seedValue = 20261121;
    for (int i = 2; i < argc; i += 2) {
        if (i + 1 >= argc)
            fail("option without value");
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--db")
            path = v;
        else if (a == "--users")
            users = std::atoi(v.c_str());
        else if (a == "--posts")
            posts = std::atoi(v.c_str());
        else if (a == "--posts100k")
            posts100k = std::atoi(v.c_str());
        else if (a == "--seed")
            seedValue = std::strtoull(v.c_str(), nullptr, 10);
        else
            fail("unknown option " + a);
    }
    if (path.empty() || users < 1 || posts < 0 || posts100k < 0)
        fail("usage: seed --db FILE [--users N] [--posts N] [--posts100k N] [--seed N]");

    Db db;
    if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        fail("cannot open " + path);
    sqlite3_busy_timeout(db.db, 5000);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    for (const char *t : {"users", "posts", "posts100k"})
        if (db.count(t) != 0)
            fail(std::string("table ") + t + " is not empty; seed a fresh data folder");

    Random r{seedValue};
    sqlite3_stmt *u = db.prepare("INSERT INTO \"users\" (id, name, email, createdAt, updatedAt) VALUES (?,?,?,?,?)");
    db.exec("BEGIN");
    for (int i = 1; i <= users; ++i) {
        const std::string name = std::string(kFirstNames[r.below(16)]) + ' ' + kLastNames[r.below(14)];
        const std::string at = isoTime(-int64_t(users - i + 1) * 60'000);
        sqlite3_bind_int64(u, 1, i);
        bindText(u, 2, name);
        bindText(u, 3, "user" + std::to_string(i) + "@bench.example");
        bindText(u, 4, at);
        bindText(u, 5, at);
        db.step(u);
    }
    db.exec("COMMIT");
    sqlite3_finalize(u);
    seedPosts(db, r, "posts", posts, users);
    seedPosts(db, r, "posts100k", posts100k, users);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::printf("seeded users=%lld posts=%lld posts100k=%lld\n", (long long)db.count("users"),
                (long long)db.count("posts"), (long long)db.count("posts100k"));
    sqlite3_close_v2(db.db);
    return 0;
}

// ------------------------------------------------------------------ freeport

int freeport()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        fail(std::string("freeport: ") + std::strerror(errno));
    std::printf("%u\n", unsigned(ntohs(addr.sin_port)));
    ::close(fd);
    return 0;
}

// ------------------------------------------------------------------ coldstart

volatile sig_atomic_t g_child = 0;

// Stopped while measuring: take the server down too, so it is not orphaned.
void forwardSignal(int signalNumber)
{
    if (g_child > 0)
        ::kill(pid_t(g_child), SIGTERM);
    ::_exit(128 + signalNumber);
}

// One `GET /` on a fresh connection; true when the answer is a 200.
bool probe(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(uint16_t(port));
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0) {
        timeval tv{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (::send(fd, request, sizeof request - 1, MSG_NOSIGNAL) == ssize_t(sizeof request - 1)) {
            char buffer[64];
            size_t got = 0;
            while (got < 12) {
                const ssize_t n = ::recv(fd, buffer + got, sizeof buffer - got, 0);
                if (n <= 0)
                    break;
                got += size_t(n);
            }
            ok = got >= 12 && std::memcmp(buffer, "HTTP/1.1 200", 12) == 0;
        }
    }
    ::close(fd);
    return ok;
}

int coldstart(int argc, char **argv)
{
    int port = 0, timeoutMs = 10000, i = 2;
    for (; i < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--")
            break;
        if (i + 1 >= argc)
            fail("option without value");
        if (a == "--port")
            port = std::atoi(argv[i + 1]);
        else if (a == "--timeout-ms")
            timeoutMs = std::atoi(argv[i + 1]);
        else
            fail("unknown option " + a);
    }
    if (port <= 0 || i + 1 >= argc)
        fail("usage: coldstart --port P [--timeout-ms N] -- COMMAND ARGS...");
    char **command = argv + i + 1;

    struct sigaction action = {};
    action.sa_handler = &forwardSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    const pid_t child = ::fork();
    if (child < 0)
        fail("fork failed");
    if (child > 0)
        g_child = child;
    if (child == 0) {
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        ::execvp(command[0], command);
        std::fprintf(stderr, "hearth-bench-tool: cannot run %s: %s\n", command[0], std::strerror(errno));
        ::_exit(127);
    }
    double ms = -1;
    std::string error;
    for (;;) {
        int status = 0;
        if (::waitpid(child, &status, WNOHANG) == child) {
            error = "the server exited before answering";
            break;
        }
        if (probe(port)) {
            ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            break;
        }
        if (Clock::now() - start > std::chrono::milliseconds(timeoutMs)) {
            error = "no 200 answer within the timeout";
            break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    ::kill(child, SIGTERM);
    for (int k = 0; k < 1000; ++k) { // up to 10 s, then SIGKILL
        if (::waitpid(child, nullptr, WNOHANG) != 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (k == 999) {
            ::kill(child, SIGKILL);
            ::waitpid(child, nullptr, 0);
        }
    }
    if (ms < 0)
        fail("coldstart: " + error);
    std::printf("%.1f\n", ms);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "seed")
        return seed(argc, argv);
    if (mode == "freeport")
        return freeport();
    if (mode == "coldstart")
        return coldstart(argc, argv);
    std::fprintf(stderr, "usage: hearth-bench-tool seed|freeport|coldstart …\n");
    return 2;
}
