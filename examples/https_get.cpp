// Fetches a URL with imagine's HTTP client and prints the status, the headers and the
// body's size (or, with --stream, each piece as it arrives). Verification is always
// on; trust a private CA with --ca.
//
//   https_get [--ca FILE] [--proxy http://host:port] [--stream] URL
//
// Proxies also come from https_proxy / no_proxy when --proxy is not given.

#include <imagine/http/client.hpp>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

namespace {

asio::awaitable<void> fetch(imagine::http::client& client, imagine::http::request req, bool stream)
{
    if (!stream) {
        auto r = co_await client.async_request(std::move(req));
        std::printf("%u %s\n", r.status, r.reason.c_str());
        for (const auto& field : r.headers)
            std::printf("%s: %s\n", field.name.c_str(), field.value.c_str());
        std::printf("\n(%zu body bytes)\n", r.body.size());
        co_return;
    }
    auto s = co_await client.async_open(std::move(req));
    std::printf("%u %s\n", s.status(), s.reason().c_str());
    std::size_t total = 0;
    for (;;) {
        auto piece = co_await s.async_read_some();
        if (piece.empty())
            break;
        total += piece.size();
        std::printf("piece: %zu bytes (%zu so far)\n", piece.size(), total);
    }
}

} // namespace

int main(int argc, char** argv)
{
    imagine::http::client_options options;
    bool stream = false;
    std::string url;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--ca" && i + 1 < argc) {
            options.tls.ca_file = argv[++i];
        } else if (arg == "--proxy" && i + 1 < argc) {
            options.proxy = argv[++i];
        } else if (arg == "--stream") {
            stream = true;
        } else if (url.empty() && !arg.starts_with("--")) {
            url = arg;
        } else {
            std::fprintf(stderr, "usage: https_get [--ca FILE] [--proxy URL] [--stream] URL\n");
            return 2;
        }
    }
    if (url.empty()) {
        std::fprintf(stderr, "usage: https_get [--ca FILE] [--proxy URL] [--stream] URL\n");
        return 2;
    }
    try {
        asio::io_context io;
        imagine::http::client client(io.get_executor(), options);
        imagine::http::request req;
        req.target = imagine::http::parse_url(url);
        int status = 0;
        asio::co_spawn(io, fetch(client, std::move(req), stream), [&](std::exception_ptr e) {
            if (!e)
                return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& error) {
                std::fprintf(stderr, "https_get: %s\n", error.what());
                status = 1;
            }
        });
        io.run();
        return status;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "https_get: %s\n", error.what());
        return 1;
    }
}
