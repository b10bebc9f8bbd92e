// CPU time and peak memory of imagine's HTTP client against a local nginx over TLS,
// next to a floor measured in the same run: a plain blocking OpenSSL loop fetching the
// same responses over one connection. Each measured phase runs in its own forked child,
// so its CPU time (user + sys) and peak RSS are its own.
//
//   case 1: 100 sequential POSTs, each answered with a 5 MB JSON file, one keep-alive
//           connection
//   case 2: 1,000 sequential small requests (200-byte answers)
//
// Needs nginx (Debian package). Run: build/<dir>/bench/http_bench [rounds]

#include <imagine/http/client.hpp>

#include "bench_util.hpp"

#include "../tests/support/blocking_tls_client.hpp"
#include "../tests/support/certs.hpp"
#include "../tests/support/nginx.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>

namespace {

namespace http = imagine::http;

using imagine::bench::measure;
using imagine::bench::usage;

std::string json_of_size(std::size_t size)
{
    std::string text = "{\"created\":1,\"data\":[{\"b64_json\":\"";
    const std::string tail = "\"}]}";
    while (text.size() + tail.size() < size)
        text.push_back(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[text.size() % 64]);
    return text + tail;
}

bool run_imagine(std::uint16_t port, const std::string& ca, const std::string& path, int count,
                 std::size_t expected)
{
    asio::io_context io;
    http::client_options options;
    options.tls.use_system_store = false;
    options.tls.ca_pem = ca;
    options.proxy = "";
    http::client client(io.get_executor(), options);
    const auto target = http::parse_url("https://127.0.0.1:" + std::to_string(port) + path);
    bool ok = true;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < count; ++i) {
                http::request req;
                req.method = "POST";
                req.target = target;
                req.headers.add("Content-Type", "application/json");
                req.body = std::string(R"({"prompt":"a lighthouse at dusk","n":1})");
                auto r = co_await client.async_request(std::move(req));
                ok = ok && r.status == 200 && r.body.size() == expected;
            }
        },
        [&](std::exception_ptr e) {
            if (e)
                ok = false;
        });
    io.run();
    return ok;
}

bool run_floor(std::uint16_t port, const std::string& ca, const std::string& path, int count,
               std::size_t expected)
{
    imagine::test::blocking_tls_client client("127.0.0.1", port, ca);
    const std::string body = R"({"prompt":"a lighthouse at dusk","n":1})";
    const std::string request = "POST " + path +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    bool ok = true;
    for (int i = 0; i < count; ++i) {
        auto response = client.request(request);
        ok = ok && response.size() >= expected;
    }
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    const int rounds = imagine::bench::rounds_from(argc, argv, 3);
    const imagine::bench::tls_nginx server;
    const std::size_t big = 5'000'000;
    const std::size_t small = 200;
    server.serve("big.json", json_of_size(big));
    server.serve("small.json", json_of_size(small));

    struct scenario {
        const char* name;
        const char* path;
        int count;
        std::size_t size;
    };
    const scenario scenarios[] = {{"5 MB POST x100", "/big.json", 100, big},
                                  {"200 B POST x1000", "/small.json", 1000, small}};
    std::printf("http_bench: nginx over TLS on loopback, best of %d rounds, CPU = user+sys of "
                "the client process\n\n",
                rounds);
    std::printf("%-18s %12s %12s %7s %14s %14s %12s\n", "case", "imagine cpu", "floor cpu", "ratio",
                "imagine rss", "floor rss", "imagine/req");
    // IMAGINE_BENCH_ONLY=imagine|floor runs one side alone (for a profiler).
    const char* only_env = std::getenv("IMAGINE_BENCH_ONLY");
    const std::string only = only_env ? only_env : "";
    bool all_ok = true;
    for (const auto& s : scenarios) {
        usage best_imagine{1e30, 0, true};
        usage best_floor{1e30, 0, true};
        for (int r = 0; r < rounds; ++r) {
            auto f = only == "imagine" ? usage{1, 0, true} : measure([&] {
                return run_floor(server.port(), server.ca_pem(), s.path, s.count, s.size);
            });
            auto i = only == "floor" ? usage{1, 0, true} : measure([&] {
                return run_imagine(server.port(), server.ca_pem(), s.path, s.count, s.size);
            });
            all_ok = all_ok && f.ok && i.ok;
            if (f.cpu_seconds < best_floor.cpu_seconds)
                best_floor = f;
            if (i.cpu_seconds < best_imagine.cpu_seconds)
                best_imagine = i;
        }
        std::printf("%-18s %10.1f ms %10.1f ms %6.2fx %11ld KB %11ld KB %9.1f us\n", s.name,
                    best_imagine.cpu_seconds * 1e3, best_floor.cpu_seconds * 1e3,
                    best_imagine.cpu_seconds / best_floor.cpu_seconds, best_imagine.peak_rss_kb,
                    best_floor.peak_rss_kb, best_imagine.cpu_seconds * 1e6 / s.count);
    }
    if (!all_ok) {
        std::fprintf(stderr, "http_bench: a run failed (wrong status or size)\n");
        return 1;
    }
    return 0;
}
