#pragma once

// squid (5, /usr/sbin/squid, or $IMAGINE_TEST_SQUID) as a real CONNECT proxy on
// 127.0.0.1, one private instance per squid_proxy object, run in the foreground (-N: one
// process, no SMP kids) with everything it writes in a temporary directory, under its
// own service name (-n), which keeps its shared memory segments apart from other
// instances' (and from a system squid's).
//
// Policy: CONNECT to 127.0.0.1 on any port is allowed (test servers use random ports);
// everything else is denied with 403: other destinations, and plain proxy requests
// (GET http://...). With squid_options::username set, every request needs Basic
// proxy credentials first (407 without them or with a wrong password), checked by
// basic_ncsa_auth against an apr1 password file made with `openssl passwd`. No cache, no
// DNS (dns_nameservers 127.0.0.1; IP literals need none), no pinger.
//
// Squid refuses to run as root: as root it switches to cache_effective_user (`proxy`,
// else `nobody`), and the temporary directory is handed to that user so it can write its
// logs there. This needs a temporary directory that user can reach ($TMPDIR, or /tmp).
//
// Squid writes a CONNECT access log line when the tunnel closes: wait_for_access_log(n)
// polls for n lines.

#include "blocking_tls_client.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <pwd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace imagine::test {

struct squid_options {
    std::string username{}; ///< empty: no authentication
    std::string password{};
};

/// "Basic <base64(user:password)>", the value of a Proxy-Authorization header.
inline std::string basic_credentials(std::string_view username, std::string_view password)
{
    const std::string plain = std::string(username) + ":" + std::string(password);
    std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
    const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(plain.data()),
                                     static_cast<int>(plain.size()));
    encoded.resize(static_cast<std::size_t>(size));
    return "Basic " + encoded;
}

/// Sends "CONNECT <authority>" on a socket connected to a proxy and returns the proxy's
/// response head (only the head: after a 200 the socket is the tunnel). Credentials are
/// sent when `username` is not empty.
inline std::string proxy_connect(int fd, std::string_view authority, std::string_view username = {},
                                 std::string_view password = {})
{
    std::string request = "CONNECT " + std::string(authority) +
                          " HTTP/1.1\r\nHost: " + std::string(authority) + "\r\n";
    if (!username.empty())
        request += "Proxy-Authorization: " + basic_credentials(username, password) + "\r\n";
    request += "\r\n";
    send_all(fd, request);
    return read_head(fd);
}

class squid_proxy {
public:
    /// Starts squid on a free port; returns once it accepts connections. Throws
    /// std::runtime_error with squid's logs if it cannot start.
    explicit squid_proxy(squid_options options = {}) : options_(std::move(options))
    {
        const auto& dir = temp_.path();
        const char* binary = std::getenv("IMAGINE_TEST_SQUID");
        const std::string squid = binary ? binary : "/usr/sbin/squid";
        if (!options_.username.empty())
            temp_.write("passwd", options_.username + ":" + hash_password() + "\n");
        if (::geteuid() == 0)
            pick_effective_user();
        // Squid names its shared memory segments (/dev/shm/<service>-cf__*.shm, made
        // even without SMP) after its service name, "squid" unless -n says otherwise:
        // two instances with one name clash, so each proxy gets its own.
        static std::atomic<unsigned> instances{0};
        service_ = "imagine" + std::to_string(::getpid()) + "x" + std::to_string(++instances);
        remove_shared_memory(); // stale segments of a crashed process with our pid

        for (int attempt = 1;; ++attempt) {
            port_ = pick_free_port();
            temp_.write("squid.conf", config());
            for (const char* file : {"cache.log", "access.log", "output.log", "squid.pid"})
                std::filesystem::remove(dir / file);
            hand_over_directory();
            process_ =
                child_process({squid, "-N", "-n", service_, "-f", (dir / "squid.conf").string()},
                              dir / "output.log");
            // Squid logs this line once it has bound the port (so the port is ours, not
            // another program's), but calls listen() a moment later: wait for LISTEN
            // too. Not with a probe connection, which squid would log as an aborted
            // transaction in the access log.
            const auto accepting = "Accepting HTTP Socket connections at";
            const auto local = "local=127.0.0.1:" + std::to_string(port_) + " ";
            const bool ready = poll_until(std::chrono::seconds(20), [&] {
                if (!process_.running())
                    return true;
                const auto log = cache_log();
                const auto at = log.find(accepting);
                return at != std::string::npos && log.find(local, at) != std::string::npos &&
                       port_listening(port_);
            });
            if (ready && process_.running())
                return;
            const int status = process_.stop(SIGKILL);
            remove_shared_memory();
            const auto logs = startup_logs();
            if (!ready)
                throw std::runtime_error("squid did not start within 20 s:\n" + logs);
            if (attempt < 5 && logs.find("Address already in use") != std::string::npos)
                continue;
            throw std::runtime_error("squid failed to start (" + describe_wait_status(status) +
                                     "):\n" + logs);
        }
    }

    // Not copyable or movable. The deleted copy constructor takes a non-const reference
    // on purpose: `squid_proxy server({})` is then unambiguous on g++ 12, which otherwise
    // also considers converting {} to `const squid_proxy&`.
    squid_proxy(squid_proxy&) = delete;
    squid_proxy& operator=(const squid_proxy&) = delete;

    /// Kills squid (SIGKILL) and reaps it, then removes its shared memory segments (a
    /// killed squid cannot). Not SIGTERM: a clean squid shutdown takes one to two
    /// seconds even with shutdown_lifetime 0 (squid schedules its exit a second later),
    /// and a test proxy has nothing to save.
    ~squid_proxy()
    {
        stop_with_helpers();
        process_.stop(SIGKILL); // if it had ended on its own
        remove_shared_memory();
    }

    std::uint16_t port() const noexcept { return port_; }

    /// Access log lines (squid's native format), e.g.
    /// "... TCP_TUNNEL/200 280 CONNECT 127.0.0.1:4433 alice HIER_DIRECT/127.0.0.1 -".
    std::vector<std::string> access_log() const
    {
        std::vector<std::string> lines;
        std::istringstream in(read_text_file_if_exists(temp_.path() / "access.log"));
        for (std::string line; std::getline(in, line);)
            if (!line.empty())
                lines.push_back(line);
        return lines;
    }

    /// The access log once it has at least `count` lines (or what it has after `limit`).
    std::vector<std::string>
    wait_for_access_log(std::size_t count,
                        std::chrono::milliseconds limit = std::chrono::seconds(20)) const
    {
        std::vector<std::string> lines;
        poll_until(limit, [&] {
            lines = access_log();
            return lines.size() >= count;
        });
        return lines;
    }

    std::string cache_log() const { return read_text_file_if_exists(temp_.path() / "cache.log"); }

    pid_t pid() const noexcept { return process_.pid(); }

private:
    // apr1 (Apache MD5) hash of the password, which basic_ncsa_auth understands. The
    // password goes through a file, not the command line.
    std::string hash_password() const
    {
        const auto& dir = temp_.path();
        temp_.write("password.txt", options_.password + "\n");
        const char* binary = std::getenv("IMAGINE_TEST_OPENSSL");
        child_process openssl({binary ? binary : "/usr/bin/openssl", "passwd", "-apr1", "-in",
                               (dir / "password.txt").string()},
                              dir / "hash.txt");
        poll_until(std::chrono::seconds(20), [&] { return !openssl.running(); });
        const int status = openssl.stop(SIGKILL);
        auto hash = read_text_file_if_exists(dir / "hash.txt");
        std::filesystem::remove(dir / "password.txt");
        std::filesystem::remove(dir / "hash.txt");
        while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r'))
            hash.pop_back();
        if (status != 0 || hash.rfind("$apr1$", 0) != 0)
            throw std::runtime_error("openssl passwd -apr1 failed (" +
                                     describe_wait_status(status) + "): " + hash);
        return hash;
    }

    // Squid keeps at least one idle basic_ncsa_auth helper and restarts one that dies,
    // and it never waits for them when it exits: killed together with squid, they would
    // be orphans that only init reaps (a container's init may never do it). So: freeze
    // squid (SIGSTOP: no restarts), kill its helpers, then become a "child subreaper"
    // for the moment squid dies, which hands its children to us instead of to init, and
    // reap them here. One proxy at a time (the subreaper flag is per process).
    void stop_with_helpers() noexcept
    {
        if (!process_.running())
            return;
        static std::mutex subreaper_mutex;
        std::lock_guard lock(subreaper_mutex);
        ::kill(process_.pid(), SIGSTOP);
        std::vector<pid_t> helpers;
        try {
            helpers = child_pids(process_.pid());
        } catch (...) { // best effort: the proxy goes away regardless
        }
        int was_subreaper = 0;
        ::prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper);
        const bool adopt = !helpers.empty() && ::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
        for (const pid_t helper : helpers)
            ::kill(helper, SIGKILL);
        process_.stop(SIGKILL); // its children are ours once it has been reaped
        for (const pid_t helper : helpers) {
            poll_until(std::chrono::seconds(5), [&] {
                const pid_t result = ::waitpid(helper, nullptr, WNOHANG);
                return !adopt || result == helper || (result < 0 && errno != EINTR);
            });
        }
        if (adopt)
            ::prctl(PR_SET_CHILD_SUBREAPER, was_subreaper);
    }

    void remove_shared_memory() const noexcept
    {
        const auto prefix = service_ + "-";
        std::error_code ec;
        for (std::filesystem::directory_iterator it("/dev/shm", ec), end; !ec && it != end;
             it.increment(ec)) {
            if (it->path().filename().string().rfind(prefix, 0) == 0) {
                std::error_code ignored;
                std::filesystem::remove(it->path(), ignored);
            }
        }
    }

    void pick_effective_user()
    {
        for (const char* name : {"proxy", "nobody"})
            if (const passwd* entry = ::getpwnam(name)) {
                user_ = name;
                uid_ = entry->pw_uid;
                gid_ = entry->pw_gid;
                return;
            }
        throw std::runtime_error("squid as root needs a `proxy` or `nobody` user");
    }

    // As root, squid works as user_ once started: give it the directory and files.
    void hand_over_directory() const
    {
        if (user_.empty())
            return;
        const auto give = [&](const std::filesystem::path& path) {
            if (::chown(path.c_str(), uid_, gid_) != 0)
                throw_errno("chown " + path.string());
        };
        give(temp_.path());
        for (const auto& entry : std::filesystem::directory_iterator(temp_.path()))
            give(entry.path());
    }

    std::string config() const
    {
        const auto dir = temp_.path().string();
        std::ostringstream c;
        c << "http_port 127.0.0.1:" << port_ << "\n"
          << "visible_hostname imagine-test-proxy\n" // no FQDN lookup
          << "pid_filename " << dir << "/squid.pid\n"
          << "cache_log " << dir << "/cache.log\n"
          << "access_log stdio:" << dir << "/access.log squid\n"
          << "cache_store_log none\n"
          << "coredump_dir " << dir << "\n"
          << "cache deny all\n"
          << "cache_mem 8 MB\n"
          << "dns_nameservers 127.0.0.1\n"
          << "pinger_enable off\n"
          << "netdb_filename none\n"
          << "shutdown_lifetime 0 seconds\n"
          << "logfile_rotate 0\n"
          // Squid sizes tables by the descriptor limit, which containers set very high.
          << "max_filedescriptors 1024\n";
        if (!user_.empty())
            c << "cache_effective_user " << user_ << "\n";
        c << "acl CONNECT method CONNECT\n"
          << "acl loopback_destination dst 127.0.0.1\n";
        if (!options_.username.empty())
            c << "auth_param basic program /usr/lib/squid/basic_ncsa_auth " << dir << "/passwd\n"
              << "auth_param basic children 2 startup=0 idle=1\n"
              << "auth_param basic realm imagine test proxy\n"
              << "acl authenticated proxy_auth REQUIRED\n"
              << "http_access deny !authenticated\n";
        c << "http_access allow CONNECT loopback_destination\n"
          << "http_access deny all\n";
        return c.str();
    }

    std::string startup_logs() const
    {
        return "--- cache.log\n" + cache_log() + "--- output\n" +
               read_text_file_if_exists(temp_.path() / "output.log") + "--- squid.conf\n" +
               read_text_file_if_exists(temp_.path() / "squid.conf");
    }

    squid_options options_{};
    temp_dir temp_{};
    std::string service_{}; // squid -n: names its shared memory segments
    std::string user_{};    // cache_effective_user when running as root
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    std::uint16_t port_ = 0;
    child_process process_{}; // last: stopped before the directory is removed
};

} // namespace imagine::test
