#pragma once

// The OpenAI API emulator (tools/emulator) as a test fixture: started on an ephemeral
// loopback port with its own CA, stopped by the destructor. Tests point the client at
// base_url() and trust ca_pem(); get()/requests() talk to it with the blocking client.
//
//   imagine::test::emulator emu;
//   auto body = emu.get("/_emulator/health");
//   emu.clear_requests();

#include "blocking_tls_client.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifndef IMAGINE_EMULATOR_PATH
#error "IMAGINE_EMULATOR_PATH must name the imagine_emulator binary (the build system defines it)"
#endif

namespace imagine::test {

struct emulator_options {
    std::vector<std::string> args{}; ///< extra command-line arguments
};

class emulator {
public:
    explicit emulator(emulator_options options = {})
    {
        ignore_sigpipe();
        const auto ready = dir_.path() / "ready.json";
        std::vector<std::string> argv = {IMAGINE_EMULATOR_PATH,
                                         "--port",
                                         "0",
                                         "--ready-file",
                                         ready.string(),
                                         "--cert-dir",
                                         (dir_.path() / "certs").string(),
                                         "--quiet"};
        argv.insert(argv.end(), options.args.begin(), options.args.end());
        output_ = dir_.path() / "emulator.log";
        process_ = child_process(argv, output_);

        // The ready file appears (renamed into place, never half-written) once the
        // emulator listens; an early exit is a start-up failure.
        const bool started = poll_until(std::chrono::seconds(30), [&] {
            std::error_code ec;
            return std::filesystem::exists(ready, ec) || !process_.running();
        });
        std::error_code ec;
        if (!started || !std::filesystem::exists(ready, ec))
            fail(started ? "exited early" : "not ready after 30 s");

        const auto info = json::read<json::value>(read_text_file(ready));
        port_ = static_cast<std::uint16_t>(info.at("port").as_int64());
        base_url_ = info.at("base_url").as_string();
        ca_pem_ = read_text_file(info.at("ca_file").as_string());
    }

    emulator(const emulator&) = delete;
    emulator& operator=(const emulator&) = delete;

    /// SIGTERM, wait, SIGKILL after 5 s.
    ~emulator() { process_.stop(SIGTERM, std::chrono::seconds(5)); }

    std::uint16_t port() const { return port_; }
    std::string base_url() const { return base_url_; }
    std::string origin() const { return "https://127.0.0.1:" + std::to_string(port_); }
    const std::string& ca_pem() const { return ca_pem_; }
    pid_t pid() const { return process_.pid(); }
    /// What the emulator wrote to stdout and stderr so far.
    std::string log() const { return read_text_file_if_exists(output_); }

    /// GET `target` over a verified TLS connection; the body. Throws on a non-2xx status.
    std::string get(std::string_view target) const { return request("GET", target); }

    /// GET /_emulator/requests: the recorded requests as a JSON array.
    std::string requests() const { return get("/_emulator/requests"); }

    void clear_requests() const { request("DELETE", "/_emulator/requests"); }

private:
    std::string request(std::string_view method, std::string_view target) const
    {
        blocking_tls_client client("127.0.0.1", port_, ca_pem_);
        const auto response =
            client.request(std::string(method) + " " + std::string(target) +
                           " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                           "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        const int status = http_text::status_code(response);
        if (status < 200 || status > 299)
            throw std::runtime_error("emulator: " + std::string(method) + " " +
                                     std::string(target) + " -> " + std::to_string(status) + ": " +
                                     std::string(http_text::body(response)));
        return std::string(http_text::body(response));
    }

    [[noreturn]] void fail(const std::string& why)
    {
        process_.stop(SIGKILL, std::chrono::seconds(1));
        throw std::runtime_error("imagine_emulator " + why + "; its output:\n" +
                                 read_text_file_if_exists(output_));
    }

    temp_dir dir_{};
    std::filesystem::path output_{};
    child_process process_{};
    std::uint16_t port_ = 0;
    std::string base_url_{};
    std::string ca_pem_{};
};

} // namespace imagine::test
