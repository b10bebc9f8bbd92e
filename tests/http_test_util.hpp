#pragma once

// Shared by the HTTP client tests: run one client operation to completion on an
// io_context, with a callback token (so the tests also cover non-coroutine callers),
// optionally cancelling it after a delay through a bound cancellation slot.

#include <imagine/http/client.hpp>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace imagine::test {

struct request_outcome {
    std::error_code ec{};
    http::response response{};
    bool completed = false;
};

/// Runs client.async_request(req) to completion. With `cancel_after`, a terminal
/// cancellation is emitted after that delay.
inline request_outcome run_request(asio::io_context& io, http::client& client, http::request req,
                                   std::optional<std::chrono::milliseconds> cancel_after = {})
{
    request_outcome out;
    asio::cancellation_signal signal;
    asio::steady_timer timer(io);
    client.async_request(std::move(req),
                         asio::bind_cancellation_slot(
                             signal.slot(), [&](std::error_code ec, http::response response) {
                                 out.ec = ec;
                                 out.response = std::move(response);
                                 out.completed = true;
                                 timer.cancel();
                             }));
    if (cancel_after) {
        timer.expires_after(*cancel_after);
        timer.async_wait([&](std::error_code ec) {
            if (!ec)
                signal.emit(asio::cancellation_type::terminal);
        });
    }
    io.restart();
    io.run();
    return out;
}

/// A co_spawn completion handler for coroutines that use the default token, which
/// reports failures by throwing std::system_error: stores the error code in `out`.
inline auto store_error(std::error_code& out)
{
    return [&out](std::exception_ptr e) {
        try {
            if (e)
                std::rethrow_exception(e);
        } catch (const std::system_error& error) {
            out = error.code();
        }
    };
}

/// Client options that trust only `ca_pem` and use no proxy, whatever the environment
/// says: the tests' servers are on loopback with certificates the tests made.
inline http::client_options trusting(const std::string& ca_pem)
{
    http::client_options options;
    options.tls.use_system_store = false;
    options.tls.ca_pem = ca_pem;
    options.proxy = "";
    return options;
}

/// A request for `path` on https://host:port.
inline http::request make_request(std::string method, const std::string& base,
                                  const std::string& path)
{
    http::request req;
    req.method = std::move(method);
    req.target = http::parse_url(base + path);
    return req;
}

} // namespace imagine::test
