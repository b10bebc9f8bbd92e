#pragma once

// Shared by the benchmarks: CPU time and peak RSS of a piece of work, measured in a
// forked child so that each phase's figures are its own; a private nginx over TLS.

#include "../tests/support/certs.hpp"
#include "../tests/support/nginx.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace imagine::bench {

struct usage {
    double cpu_seconds = 0;
    long peak_rss_kb = 0;
    bool ok = false;
};

/// Runs `work` in a child process; returns the child's CPU time (user + sys) and peak RSS.
inline usage measure(const std::function<bool()>& work)
{
    int fds[2];
    if (::pipe(fds) != 0)
        throw std::runtime_error("pipe failed");
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        usage out;
        out.ok = work();
        rusage self{};
        ::getrusage(RUSAGE_SELF, &self);
        out.cpu_seconds = static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                          static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
        out.peak_rss_kb = self.ru_maxrss;
        [[maybe_unused]] auto written = ::write(fds[1], &out, sizeof out);
        ::_exit(0);
    }
    ::close(fds[1]);
    usage out;
    [[maybe_unused]] auto got = ::read(fds[0], &out, sizeof out);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return out;
}

/// Rounds to run: the first argument, else `fallback`.
inline int rounds_from(int argc, char** argv, int fallback)
{
    return argc > 1 ? std::max(1, std::atoi(argv[1])) : fallback;
}

/// nginx over TLS on loopback with a CA of its own, keeping every request of a run on
/// one connection.
struct tls_nginx {
    imagine::test::test_authority ca{};
    imagine::test::nginx_server server{[this] {
        imagine::test::nginx_options options;
        options.tls = ca.issue();
        options.keepalive_requests = 1'000'000;
        return options;
    }()};

    std::uint16_t port() const { return server.port(); }
    std::string ca_pem() const { return ca.cert_pem(); }

    /// Serves `content` at `/relative` (directories made as needed, readable by nginx).
    void serve(const std::filesystem::path& relative, std::string_view content) const
    {
        namespace fs = std::filesystem;
        const fs::path file = server.root() / relative;
        fs::create_directories(file.parent_path());
        for (fs::path dir = file.parent_path(); dir != server.root() && dir.has_relative_path();
             dir = dir.parent_path())
            fs::permissions(dir, fs::perms::others_read | fs::perms::others_exec,
                            fs::perm_options::add);
        std::ofstream(file, std::ios::binary) << content;
        fs::permissions(file, fs::perms::others_read, fs::perm_options::add);
    }
};

} // namespace imagine::bench
