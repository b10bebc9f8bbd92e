#pragma once

// Shared by the benchmarks: CPU time and peak RSS of a piece of work, measured in a
// forked child so that each phase's figures are its own.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>

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

} // namespace imagine::bench
