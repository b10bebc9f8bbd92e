#pragma once

// The command line:
//   imagine_emulator [--host 127.0.0.1] [--port 0] [--cert-dir DIR] [--cert PEM --key PEM]
//                    [--ready-file PATH] [--stream-delay-ms 150] [--job-queued-ms 100]
//                    [--job-progress-ms 400] [--poll-after-ms 100] [--quiet]

#include "text.hpp"

#include <asio/ip/address.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace imagine_emulator {

struct options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string cert_dir{};  ///< empty: a fresh temporary directory, removed at exit
    std::string cert_file{}; ///< with key_file: serve this pair instead of generating one
    std::string key_file{};
    std::string ready_file{};
    int stream_delay_ms = 150;
    int job_queued_ms = 100;   ///< background responses: time queued
    int job_progress_ms = 400; ///< then in_progress, then the outcome
    int poll_after_ms = 100;   ///< the openai-poll-after-ms header
    bool quiet = false;
};

inline constexpr std::string_view usage_text =
    "usage: imagine_emulator [--host 127.0.0.1] [--port 0] [--cert-dir DIR] [--cert PEM --key "
    "PEM]\n"
    "                        [--ready-file PATH] [--stream-delay-ms 150] [--job-queued-ms 100]\n"
    "                        [--job-progress-ms 400] [--poll-after-ms 100] [--quiet]\n";

/// True for 127.0.0.0/8, ::1 and "localhost": the emulator never listens beyond the host.
inline bool is_loopback(const std::string& host)
{
    if (host == "localhost")
        return true;
    std::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    return !ec && address.is_loopback();
}

/// Throws std::invalid_argument with a message for the user.
inline options parse_options(int argc, char** argv)
{
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(std::string(arg) + " needs a value");
            return argv[++i];
        };
        auto milliseconds = [&] {
            const auto ms = parse_decimal<int>(value());
            if (!ms || *ms < 0)
                throw std::invalid_argument(std::string(arg) + " needs a number of milliseconds");
            return *ms;
        };
        if (arg == "--host") {
            o.host = value();
            if (!is_loopback(o.host))
                throw std::invalid_argument(
                    "--host must be a loopback address (127.0.0.1, ::1, localhost)");
        } else if (arg == "--port") {
            const auto port = parse_decimal<std::uint16_t>(value());
            if (!port)
                throw std::invalid_argument("--port needs a number from 0 to 65535");
            o.port = *port;
        } else if (arg == "--cert-dir") {
            o.cert_dir = value();
        } else if (arg == "--cert") {
            o.cert_file = value();
        } else if (arg == "--key") {
            o.key_file = value();
        } else if (arg == "--ready-file") {
            o.ready_file = value();
        } else if (arg == "--stream-delay-ms") {
            const auto ms = parse_decimal<int>(value());
            if (!ms || *ms < 0)
                throw std::invalid_argument("--stream-delay-ms needs a number of milliseconds");
            o.stream_delay_ms = *ms;
        } else if (arg == "--job-queued-ms") {
            o.job_queued_ms = milliseconds();
        } else if (arg == "--job-progress-ms") {
            o.job_progress_ms = milliseconds();
        } else if (arg == "--poll-after-ms") {
            o.poll_after_ms = milliseconds();
        } else if (arg == "--quiet") {
            o.quiet = true;
        } else if (arg == "--help" || arg == "-h") {
            throw std::invalid_argument("");
        } else {
            throw std::invalid_argument("unknown argument: " + std::string(arg));
        }
    }
    if (o.cert_file.empty() != o.key_file.empty())
        throw std::invalid_argument("--cert and --key go together");
    return o;
}

} // namespace imagine_emulator
