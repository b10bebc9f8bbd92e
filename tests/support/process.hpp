#pragma once

// OS plumbing for the test servers: child processes (nginx, squid) that are always
// stopped and reaped, owned file descriptors, free loopback ports and polling with a
// deadline. POSIX (Linux) only, like the servers it runs.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

extern char** environ; // POSIX: declared by no header

namespace imagine::test {

/// A file descriptor closed by the destructor.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept
    {
        if (this != &other)
            reset(std::exchange(other.fd_, -1));
        return *this;
    }
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept { return std::exchange(fd_, -1); }
    void reset(int fd = -1) noexcept
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

[[noreturn]] inline void throw_errno(const std::string& what)
{
    throw std::system_error(errno, std::generic_category(), what);
}

/// Ignores SIGPIPE for the whole process, once. OpenSSL writes to its socket with
/// write(2), which raises SIGPIPE when the peer has gone; tests close connections
/// abruptly on purpose, and a signal would kill the test program instead of
/// returning EPIPE. (Asio's own sockets use MSG_NOSIGNAL and are unaffected.)
inline void ignore_sigpipe()
{
    static std::once_flag once;
    std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

/// Polls `ready` every few milliseconds until it returns true (then true) or `limit`
/// has passed (then false). For start-up and log conditions only; tests never assert
/// on time.
template <class Predicate>
bool poll_until(std::chrono::steady_clock::duration limit, Predicate ready)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (ready())
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago: bound to port 0, read back and
/// closed. Another process may take it before the caller binds it, so whoever uses it
/// for a server must retry on "address in use".
inline std::uint16_t pick_free_port()
{
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        throw_errno("bind 127.0.0.1:0");
    socklen_t length = sizeof address;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw_errno("getsockname");
    return ntohs(address.sin_port);
}

/// True if something accepts TCP connections on 127.0.0.1:port right now.
inline bool port_accepts(std::uint16_t port)
{
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    // Loopback connects complete or fail at once: no timeout needed.
    return ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

/// True if a socket listens on 127.0.0.1:port (or 0.0.0.0:port), from /proc/net/tcp:
/// unlike a probe connection, it leaves no trace in the server's logs. Linux only.
inline bool port_listening(std::uint16_t port)
{
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line); // column titles
    char wanted[16];
    std::snprintf(wanted, sizeof wanted, ":%04X", static_cast<unsigned>(port));
    while (std::getline(table, line)) {
        // "  sl: 0100007F:1F90 00000000:0000 0A ...": local address, remote, state.
        std::istringstream fields(line);
        std::string slot, local, remote, state;
        if (!(fields >> slot >> local >> remote >> state) || state != "0A") // 0A: LISTEN
            continue;
        const auto colon = local.find(':');
        const auto address = local.substr(0, colon);
        if (colon != std::string::npos && local.substr(colon) == wanted &&
            (address == "0100007F" || address == "00000000"))
            return true;
    }
    return false;
}

/// "exited with 1", "killed by signal 9", ... for error messages.
inline std::string describe_wait_status(int status)
{
    if (WIFEXITED(status))
        return "exited with " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status));
    return "wait status " + std::to_string(status);
}

/// The direct children of process `parent` (from /proc/<pid>/stat; Linux only).
inline std::vector<pid_t> child_pids(pid_t parent)
{
    std::vector<pid_t> children;
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc", ec), end; !ec && it != end;
         it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(it->path() / "stat");
        std::string stat;
        std::getline(in, stat);
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const auto close = stat.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream rest(stat.substr(close + 1));
        char state = 0;
        long ppid = 0;
        if (rest >> state >> ppid && ppid == parent)
            children.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return children;
}

/// A child process started with posix_spawn, stdin from /dev/null and stdout + stderr
/// appended to one file. The destructor stops it (SIGTERM, then SIGKILL after a grace
/// period) and always reaps it: no zombies, whatever the test did.
class child_process {
public:
    child_process() = default;

    /// Starts argv[0] (an absolute path) with arguments argv[1...]. Throws
    /// std::system_error if it cannot be started.
    child_process(const std::vector<std::string>& argv, const std::filesystem::path& output)
    {
        if (argv.empty())
            throw std::invalid_argument("child_process: empty argv");
        std::vector<char*> args;
        args.reserve(argv.size() + 1);
        for (const auto& arg : argv)
            args.push_back(const_cast<char*>(arg.c_str())); // posix_spawn's signature
        args.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawnattr_init(&attributes);
        ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        ::posix_spawn_file_actions_addopen(&actions, 1, output.c_str(),
                                           O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
        // Descriptors without O_CLOEXEC (Asio creates its sockets without it) would
        // otherwise live on in the server, keeping a test's ports and connections open.
        ::posix_spawn_file_actions_addclosefrom_np(&actions, 3);

        // The test program ignores SIGPIPE (ignore_sigpipe), and ignored signals survive
        // exec: give the server the default dispositions and an empty signal mask.
        sigset_t defaults;
        sigemptyset(&defaults);
        for (int sig :
             {SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM})
            sigaddset(&defaults, sig);
        sigset_t empty;
        sigemptyset(&empty);
        ::posix_spawnattr_setsigdefault(&attributes, &defaults);
        ::posix_spawnattr_setsigmask(&attributes, &empty);
        ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

        pid_t pid = -1;
        const int error = ::posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
        ::posix_spawn_file_actions_destroy(&actions);
        ::posix_spawnattr_destroy(&attributes);
        if (error != 0)
            throw std::system_error(error, std::generic_category(), "posix_spawn " + argv[0]);
        pid_ = pid;
    }

    child_process(child_process&& other) noexcept
        : pid_(std::exchange(other.pid_, -1)), status_(std::exchange(other.status_, {}))
    {
    }
    child_process& operator=(child_process&& other) noexcept
    {
        if (this != &other) {
            stop();
            pid_ = std::exchange(other.pid_, -1);
            status_ = std::exchange(other.status_, {});
        }
        return *this;
    }
    ~child_process() { stop(); }

    pid_t pid() const noexcept { return pid_; }

    /// False once the child has exited (it is reaped then).
    bool running() noexcept
    {
        if (pid_ <= 0 || status_)
            return false;
        return !reap(WNOHANG);
    }

    /// The raw wait status once the child has been reaped.
    std::optional<int> wait_status() const noexcept { return status_; }

    /// Sends `sig`, waits up to `grace` for the child to exit, then SIGKILLs it; always
    /// reaps it. Returns the wait status. Does nothing if already reaped.
    int stop(int sig = SIGTERM, std::chrono::milliseconds grace = std::chrono::seconds(10)) noexcept
    {
        if (pid_ <= 0)
            return 0;
        if (!status_) {
            ::kill(pid_, sig);
            const bool exited = poll_until(grace, [&] { return reap(WNOHANG); });
            if (!exited) {
                ::kill(pid_, SIGKILL);
                reap(0);
            }
        }
        return status_.value_or(0);
    }

private:
    // waitpid on our child only, never on "any child": other helpers' children are
    // not ours to reap. True once reaped (or gone, if someone else reaped it).
    bool reap(int options) noexcept
    {
        int status = 0;
        for (;;) {
            const pid_t result = ::waitpid(pid_, &status, options);
            if (result == pid_) {
                status_ = status;
                return true;
            }
            if (result == 0)
                return false;
            if (errno == EINTR)
                continue;
            status_ = -1; // ECHILD: reaped elsewhere (SIGCHLD ignored); it is gone
            return true;
        }
    }

    pid_t pid_ = -1;
    std::optional<int> status_{};
};

} // namespace imagine::test
