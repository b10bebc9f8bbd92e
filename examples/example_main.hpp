#pragma once

// What the examples' main() functions share: a client for --base-url / --ca-file (or
// the OPENAI_* environment variables), the example's coroutine run to completion, and
// the errors reported under the program's name.

#include <imagine/imagine.hpp>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace example {

struct endpoint {
    std::optional<std::string> base_url{};
    std::optional<std::string> ca_file{};
};

/// Runs `body(client)`, an asio::awaitable<int>, and returns its exit status.
template <class Body>
int run_main(const char* name, const endpoint& where, Body body)
{
    try {
        asio::io_context io;
        imagine::client_options options;
        options.base_url = where.base_url;
        if (where.ca_file)
            options.http.tls.ca_file = *where.ca_file;
        imagine::client ai(io.get_executor(), options);
        auto result = asio::co_spawn(io, body(ai), asio::use_future);
        io.run();
        return result.get();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return 1;
    }
}

/// Awaits `work()` (an asio::awaitable<int>); a refused request or an API error is
/// printed and gives exit status 1.
template <class Work>
asio::awaitable<int> reporting(const char* name, Work work)
{
    try {
        co_return co_await work();
    } catch (const imagine::request_error& e) {
        std::fprintf(stderr, "%s: refused before sending: %s\n", name, e.what());
    } catch (const imagine::api_error& e) {
        std::fprintf(stderr, "%s: the API answered %s\n", name, e.what());
    }
    co_return 1;
}

} // namespace example
