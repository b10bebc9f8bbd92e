#pragma once

// One TLS connection: handshake, then requests in a loop (keep-alive) until the peer
// closes, a response says Connection: close, or a fault breaks the connection. This is
// where the transport faults happen: stalls, odd write sizes (each write one TLS
// record), streams paced by timers, and resets (SO_LINGER 0, no close_notify).

#include "faults.hpp"
#include "http_request.hpp"
#include "http_response.hpp"
#include "router.hpp"

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

namespace imagine_emulator {

using tls_stream = asio::ssl::stream<asio::ip::tcp::socket>;

class connection {
public:
    connection(tls_stream stream, router& routes, server_state& state, asio::thread_pool& pool)
        : stream_(std::move(stream)), router_(routes), state_(state), pool_(pool)
    {
    }

    asio::awaitable<void> run()
    {
        try {
            co_await stream_.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
            std::string buffer;
            for (;;) {
                std::optional<http_request> request;
                std::string malformed;
                try {
                    request = co_await read_request(stream_, buffer);
                } catch (const bad_request& e) {
                    malformed = e.what();
                }
                if (!malformed.empty()) { // answered, then the connection ends: framing is lost
                    auto response = error_response(api_error(400, "Bad request: " + malformed));
                    response.close = true;
                    co_await write(serialize_head(response, false) + response.body);
                    break;
                }
                if (!request)
                    break;
                const auto started = std::chrono::steady_clock::now();
                auto routed = co_await router_.handle(*request);
                const bool keep_alive = request->keep_alive() && !routed.response.close;
                odd_writes_ = routed.faults.odd_writes;
                const bool intact =
                    routed.response.events
                        ? co_await send_stream(routed.response, routed.faults, keep_alive)
                        : co_await send_whole(routed.response, routed.faults, keep_alive);
                log(*request, routed.response.status, started, intact);
                if (routed.shutdown_after && state_.shutdown)
                    state_.shutdown();
                if (!intact)
                    co_return; // reset: the socket is gone
                if (!keep_alive)
                    break;
            }
            co_await close_gracefully();
        } catch (const std::exception&) {
            // The peer went away or broke TLS; nothing to tell anyone.
        }
    }

private:
    asio::awaitable<void> write(std::string_view bytes)
    {
        if (!odd_writes_) {
            co_await asio::async_write(stream_, asio::buffer(bytes), asio::use_awaitable);
            co_return;
        }
        while (!bytes.empty()) {
            const auto size = std::min(odd_write_size(write_index_++), bytes.size());
            co_await asio::async_write(stream_, asio::buffer(bytes.substr(0, size)),
                                       asio::use_awaitable);
            bytes.remove_prefix(size);
        }
    }

    asio::awaitable<void> pause(std::chrono::milliseconds duration)
    {
        asio::steady_timer timer(stream_.get_executor(), duration);
        co_await timer.async_wait(asio::use_awaitable);
    }

    /// Drops the connection with a TCP RST and no TLS close_notify.
    void reset()
    {
        auto& socket = stream_.lowest_layer();
        std::error_code ignored;
        socket.set_option(asio::socket_base::linger(true, 0), ignored);
        socket.close(ignored);
    }

    // Returns false if a fault reset the connection.
    asio::awaitable<bool> send_whole(const http_response& response, const fault_plan& faults,
                                     bool keep_alive)
    {
        const auto head = serialize_head(response, keep_alive);
        const std::string_view body = response.body;
        const auto half = body.size() / 2;
        if (faults.stall_head)
            co_await pause(*faults.stall_head);
        if (faults.reset_body) {
            co_await write(head + std::string(body.substr(0, half)));
            reset();
            co_return false;
        }
        if (faults.stall_body) {
            co_await write(head + std::string(body.substr(0, half)));
            co_await pause(*faults.stall_body);
            co_await write(body.substr(half));
            co_return true;
        }
        if (odd_writes_ || body.size() < 64 * 1024) {
            co_await write(head + std::string(body));
        } else { // big bodies: no copy of a multi-MB string just to prepend the head
            co_await write(head);
            co_await write(body);
        }
        co_return true;
    }

    static std::string chunk(std::string_view data)
    {
        char size[20];
        const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
        std::string out(size, static_cast<std::size_t>(n));
        out.reserve(out.size() + data.size() + 2);
        out += data;
        out += "\r\n";
        return out;
    }

    asio::awaitable<bool> send_stream(const http_response& response, const fault_plan& faults,
                                      bool keep_alive)
    {
        if (faults.stall_head)
            co_await pause(*faults.stall_head);
        co_await write(serialize_head(response, keep_alive));
        int partials = 0;
        bool first = true;
        for (const auto& step : *response.events) {
            if (faults.reset_after_partial && partials == *faults.reset_after_partial) {
                reset();
                co_return false;
            }
            if (faults.stream_error &&
                (partials == 1 || (partials == 0 && step.kind == step_kind::final))) {
                co_await write(
                    chunk("event: error\ndata: "
                          "{\"type\":\"error\",\"error\":{\"type\":\"server_error\",\"code\":"
                          "\"server_error\",\"message\":\"The server had an error while processing "
                          "your request. Sorry "
                          "about that!\",\"param\":null}}\n\n"));
                break;
            }
            if (!first && response.event_delay.count() > 0)
                co_await pause(response.event_delay);
            // Encoding a big image takes a while: off the I/O thread, so other
            // connections keep moving.
            const auto text = co_await asio::co_spawn(
                pool_, [&step]() -> asio::awaitable<std::string> { co_return step.render(); },
                asio::use_awaitable);
            const auto framed = chunk(text);
            if (first && faults.stall_body) {
                co_await write(std::string_view(framed).substr(0, framed.size() / 2));
                co_await pause(*faults.stall_body);
                co_await write(std::string_view(framed).substr(framed.size() / 2));
            } else {
                co_await write(framed);
            }
            first = false;
            if (step.kind == step_kind::partial)
                ++partials;
        }
        co_await write("0\r\n\r\n");
        co_return true;
    }

    asio::awaitable<void> close_gracefully()
    {
        // close_notify, but do not wait long for the peer's: it may never come.
        asio::steady_timer deadline(stream_.get_executor(), std::chrono::seconds(1));
        deadline.async_wait([this](std::error_code ec) {
            if (!ec)
                reset();
        });
        std::error_code ignored;
        co_await stream_.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
        deadline.cancel();
        stream_.lowest_layer().close(ignored);
    }

    void log(const http_request& request, int status, std::chrono::steady_clock::time_point started,
             bool intact) const
    {
        if (state_.quiet)
            return;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        std::fprintf(stderr, "imagine-emulator: %s %s -> %d (%lld ms)%s\n", request.method.c_str(),
                     valid_utf8(request.target).c_str(), status, static_cast<long long>(ms),
                     intact ? "" : " [reset]");
    }

    tls_stream stream_;
    router& router_;
    server_state& state_;
    asio::thread_pool& pool_;
    bool odd_writes_ = false;
    std::size_t write_index_ = 0;
};

} // namespace imagine_emulator
