// CPU time and peak memory of client.images.generate + save_image against a local nginx
// over TLS that answers every generation with the same 5 MB images response (a 3.75 MB
// PNG in b64_json), next to floors measured in the same run:
//
//   floor        the raw transfer: a blocking OpenSSL loop fetching the same responses
//                over one connection (the http_bench floor);
//   floor+save   the same loop, then base64-decoding the image and writing it to a file.
//
// 100 sequential generations; each image is decoded and saved (atomically, replacing
// the previous file). Each measured phase runs in its own forked child.
//
// Needs nginx (Debian package). Run: build/<dir>/bench/images_bench [rounds]

#include <imagine/api/client.hpp>
#include <imagine/api/save_image.hpp>
#include <imagine/base64.hpp>

#include "bench_util.hpp"

#include "../tests/support/blocking_tls_client.hpp"
#include "../tests/support/certs.hpp"
#include "../tests/support/image_bytes.hpp"
#include "../tests/support/nginx.hpp"
#include "../tests/support/temp_dir.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace {

using imagine::bench::measure;
using imagine::bench::usage;

constexpr int generations = 100;
const std::string request_body = R"({"prompt":"a lighthouse at dawn","model":"gpt-image-1.5"})";

/// An images response around `size` bytes: one PNG (a real header, random data) as base64.
std::string images_response_of_size(std::size_t size)
{
    const std::size_t png_size = (size - 200) / 4 * 3;
    std::string png = imagine::test::png_head(1024, 1024, 2, png_size - 57);
    std::mt19937 random(7);
    for (std::size_t i = 41; i + 16 < png.size(); ++i)
        png[i] = static_cast<char>(random());
    return R"({"created":1713833628,"data":[{"b64_json":")" + imagine::base64::encode(png) +
           R"("}],"output_format":"png","size":"1024x1024","quality":"high"})";
}

bool run_imagine(std::uint16_t port, const std::string& ca, const std::filesystem::path& out)
{
    asio::io_context io;
    imagine::client_options options;
    options.api_key = "sk-bench";
    options.base_url = "https://127.0.0.1:" + std::to_string(port) + "/v1";
    options.read_environment = false;
    options.http.tls.use_system_store = false;
    options.http.tls.ca_pem = ca;
    options.http.proxy = "";
    imagine::client ai(io.get_executor(), options);
    bool ok = true;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < generations; ++i) {
                imagine::image_generate_request req{.prompt = "a lighthouse at dawn"};
                auto r = co_await ai.images.generate(std::move(req));
                auto saved = co_await imagine::save_image(r.data.at(0), out / "image.png",
                                                          {.overwrite = true});
                if (saved.width != 1024 || saved.height != 1024) {
                    std::fprintf(stderr, "images_bench: saved %ux%u\n", saved.width, saved.height);
                    ok = false;
                }
            }
        },
        [&](std::exception_ptr e) {
            if (e) {
                ok = false;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& failure) {
                    std::fprintf(stderr, "images_bench: %s\n", failure.what());
                }
            }
        });
    io.run();
    return ok;
}

bool run_floor(std::uint16_t port, const std::string& ca, std::size_t expected,
               const std::filesystem::path* out)
{
    imagine::test::blocking_tls_client client("127.0.0.1", port, ca);
    const std::string request = "POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(request_body.size()) + "\r\n\r\n" + request_body;
    bool ok = true;
    std::string decoded;
    for (int i = 0; i < generations; ++i) {
        auto response = client.request(request);
        ok = ok && response.size() >= expected;
        if (!out)
            continue;
        // The b64_json value: between the first `"b64_json":"` and the next quote.
        const auto begin = response.find("\"b64_json\":\"") + 12;
        const auto end = response.find('"', begin);
        decoded.clear();
        ok = ok &&
             imagine::base64::decode(std::string_view(response).substr(begin, end - begin), decoded)
                 .ok();
        std::FILE* f = std::fopen((*out / "floor.png").c_str(), "wb");
        ok = ok && f && std::fwrite(decoded.data(), 1, decoded.size(), f) == decoded.size();
        if (f)
            std::fclose(f);
    }
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    const int rounds = imagine::bench::rounds_from(argc, argv, 3);
    const imagine::bench::tls_nginx server;
    const std::string body = images_response_of_size(5'000'000);
    server.serve("v1/images/generations", body);
    imagine::test::temp_dir out;
    // IMAGINE_BENCH_ONLY=imagine runs the client once in this process (for a profiler).
    if (const char* only = std::getenv("IMAGINE_BENCH_ONLY");
        only && std::string(only) == "imagine")
        return run_imagine(server.port(), server.ca_pem(), out.path()) ? 0 : 1;

    std::printf("images_bench: %d x generate + save_image, %zu-byte responses from nginx over TLS "
                "on loopback,\n"
                "best of %d rounds, CPU = user+sys of the client process\n\n",
                generations, body.size(), rounds);
    usage best[3] = {{1e30, 0, true}, {1e30, 0, true}, {1e30, 0, true}};
    bool all_ok = true;
    for (int r = 0; r < rounds; ++r) {
        const usage u[3] = {
            measure(
                [&] { return run_floor(server.port(), server.ca_pem(), body.size(), nullptr); }),
            measure([&] {
                return run_floor(server.port(), server.ca_pem(), body.size(), &out.path());
            }),
            measure([&] { return run_imagine(server.port(), server.ca_pem(), out.path()); })};
        for (int i = 0; i < 3; ++i) {
            all_ok = all_ok && u[i].ok;
            if (u[i].cpu_seconds < best[i].cpu_seconds)
                best[i] = u[i];
        }
    }
    const char* names[] = {"floor (transfer)", "floor+decode+write", "imagine generate+save"};
    std::printf("%-24s %12s %10s %12s %12s\n", "case", "cpu", "vs floor", "peak rss", "per image");
    for (int i = 0; i < 3; ++i)
        std::printf("%-24s %9.1f ms %9.2fx %9ld KB %9.2f ms\n", names[i], best[i].cpu_seconds * 1e3,
                    best[i].cpu_seconds / best[0].cpu_seconds, best[i].peak_rss_kb,
                    best[i].cpu_seconds * 1e3 / generations);
    if (!all_ok) {
        std::fprintf(stderr, "images_bench: a run failed\n");
        return 1;
    }
    return 0;
}
