#pragma once

// One HTTP/1.1 connection to one origin: TCP (optionally through a CONNECT proxy),
// TLS on top for https, a read buffer and a response parser that live as long as the
// connection, and one timer that enforces whichever deadline is current.
//
// The timer is lazy, like Beast's basic_stream: moving the deadline later (every body
// read does) only stores the new time point; the wait in flight notices it when it
// fires and waits again. Only a move earlier restarts the timer. On expiry the socket
// is closed, the pending operation completes with an error, and `map_error` turns that
// error into the timeout's own code.

#include <imagine/config.hpp>

#include <imagine/http/detail/io.hpp>
#include <imagine/http/detail/tls_io.hpp>
#include <imagine/http/error.hpp>
#include <imagine/http/message.hpp>
#include <imagine/http/parser.hpp>
#include <imagine/http/proxy.hpp>
#include <imagine/http/tls.hpp>
#include <imagine/http/url.hpp>

#include <imagine/detail/asio_compat.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

class connection : public std::enable_shared_from_this<connection> {
public:
    using clock = std::chrono::steady_clock;
    using socket_type = asio::ip::tcp::socket;
    using executor_type = asio::any_io_executor;

    /// Which limit the current deadline enforces.
    enum class deadline { none, connect, response, idle, total };

    connection(executor_type executor, std::shared_ptr<asio::ssl::context> context,
               parser_limits limits)
        : context_(std::move(context)), socket_(executor), resolver_(executor), timer_(executor),
          parser_(limits)
    {
    }

    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    executor_type get_executor() noexcept { return socket_.get_executor(); }
    socket_type& socket() noexcept { return socket_; }
    /// An https connection: reads and writes go through its TLS session.
    bool tls() const noexcept { return tls_session_.native_handle() != nullptr; }
    response_parser& parser() noexcept { return parser_; }
    detail::read_buffer& buffer() noexcept { return buffer_; }
    clock::time_point idle_since() const noexcept { return idle_since_; }
    void mark_idle() noexcept { idle_since_ = clock::now(); }

    // --- the stream interface the generic I/O steps use (TLS or plain) ---

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token)
    {
        if (tls())
            return tls_session_.async_read_some(socket_, buffers, std::forward<Token>(token));
        return socket_.async_read_some(buffers, std::forward<Token>(token));
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token)
    {
        if (tls())
            return tls_session_.async_write_some(socket_, buffers, std::forward<Token>(token));
        return socket_.async_write_some(buffers, std::forward<Token>(token));
    }

    // --- deadlines ---

    /// The end of the whole exchange (clock::time_point::max() for none).
    void set_total_deadline(clock::time_point at) noexcept { total_deadline_ = at; }

    /// From now, `limit` for the next step, capped by the total deadline.
    void arm(deadline kind, std::chrono::milliseconds limit)
    {
        clock::time_point at = clock::time_point::max();
        if (limit.count() > 0)
            at = clock::now() + limit;
        if (total_deadline_ <= at) {
            at = total_deadline_;
            kind = deadline::total;
        }
        deadline_ = at;
        kind_ = kind;
        if (at == clock::time_point::max())
            return;
        if (waiting_ && timer_.expiry() <= at)
            return; // the wait in flight fires first and re-waits for the later deadline
        start_wait(at);
    }

    /// No deadline (between exchanges, while pooled).
    void disarm()
    {
        deadline_ = clock::time_point::max();
        kind_ = deadline::none;
        if (waiting_) {
            ++generation_; // the aborted wait's handler must not touch the new state
            waiting_ = false;
            timer_.cancel();
        }
    }

    /// The deadline that expired, if one did.
    deadline expired() const noexcept { return expired_; }

    /// An error from an operation interrupted by our own expiry becomes the timeout's
    /// code; every other error passes unchanged.
    std::error_code map_error(const std::error_code& ec) const
    {
        if (!ec)
            return ec;
        switch (expired_) {
        case deadline::connect:
            return make_error_code(error::connect_timeout);
        case deadline::response:
            return make_error_code(error::response_timeout);
        case deadline::idle:
            return make_error_code(error::idle_timeout);
        case deadline::total:
            return make_error_code(error::total_timeout);
        case deadline::none:
            break;
        }
        return ec;
    }

    // --- lifetime ---

    /// Resolve, connect, CONNECT through `proxy` when given, TLS handshake for https.
    /// The caller arms nothing: the connect deadline covers all of it.
    asio::awaitable<std::error_code> connect(const url& target, const proxy_settings* proxy,
                                             std::chrono::milliseconds limit)
    {
        using asio::use_awaitable;
        using imagine::detail::as_tuple;
        arm(deadline::connect, limit);
        const url& hop = proxy ? proxy->address : target;
        auto [rec, endpoints] = co_await resolver_.async_resolve(hop.host, std::to_string(hop.port),
                                                                 as_tuple(use_awaitable));
        if (rec || expired_ != deadline::none)
            co_return fail(rec ? rec : make_error_code(asio::error::operation_aborted));
        auto [cec, endpoint] =
            co_await asio::async_connect(socket(), endpoints, as_tuple(use_awaitable));
        if (cec)
            co_return fail(cec);
        (void)endpoint;
        std::error_code option_ec;
        socket().set_option(asio::ip::tcp::no_delay(true), option_ec);
        if (proxy) {
            auto pec = co_await tunnel(target, *proxy);
            if (pec)
                co_return fail(pec);
        }
        if (target.is_https()) {
            if (!tls_session_.attach(context_->native_handle(), socket_) ||
                !detail::prepare_tls_peer(tls_session_.native_handle(), target))
                co_return fail(make_error_code(error::tls_configuration));
            auto [hec, unused] =
                co_await tls_session_.async_handshake(socket_, as_tuple(use_awaitable));
            (void)unused;
            if (hec) {
                const long verify = SSL_get_verify_result(tls_session_.native_handle());
                co_return fail(expired_ != deadline::none
                                   ? hec
                                   : detail::classify_handshake_error(hec, verify));
            }
        }
        disarm();
        co_return std::error_code{};
    }

    /// Whether a pooled connection can take another request: open, and nothing to read.
    /// A server that closed the connection while it was idle has sent FIN (or a TLS
    /// close_notify), which makes the socket readable; so does any unexpected byte. Either
    /// way the connection must not carry a request, and no byte of one has reached it.
    bool looks_alive() noexcept
    {
        if (!socket_.is_open() || !buffer_.empty() || expired_ != deadline::none ||
            tls_session_.has_buffered_input())
            return false;
        pollfd descriptor{socket().native_handle(), POLLIN, 0};
        return ::poll(&descriptor, 1, 0) == 0;
    }

    void close() noexcept
    {
        disarm();
        std::error_code ignored;
        resolver_.cancel();
        socket().shutdown(socket_type::shutdown_both, ignored);
        socket().close(ignored);
        tls_session_.reset();
    }

private:
    std::error_code fail(const std::error_code& ec)
    {
        auto mapped = map_error(ec);
        close();
        return mapped;
    }

    // CONNECT host:port through the proxy; on 2xx the socket is a tunnel to the origin.
    asio::awaitable<std::error_code> tunnel(const url& target, const proxy_settings& proxy)
    {
        using asio::use_awaitable;
        using imagine::detail::as_tuple;
        const std::string authority = target.authority();
        std::string head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
        if (auto credentials = proxy_authorization(proxy); !credentials.empty())
            head.append("Proxy-Authorization: ").append(credentials).append("\r\n");
        head.append("\r\n");
        auto [wec, written] =
            co_await asio::async_write(socket(), asio::buffer(head), as_tuple(use_awaitable));
        (void)written;
        if (wec)
            co_return wec;
        response_parser answer(parser_limits{});
        // A successful CONNECT answer has no body, whatever its fields say (RFC 9110 9.3.6).
        answer.set_head_request(true);
        auto rec = co_await detail::read_head(socket(), buffer_, answer, [](detail::io_phase) {});
        if (rec)
            co_return rec == error::connection_closed ? make_error_code(error::proxy_connect_failed)
                                                      : rec;
        if (answer.status() == 407)
            co_return make_error_code(error::proxy_auth_required);
        // Bytes after the answer would be the origin speaking before our ClientHello.
        if (answer.status() / 100 != 2 || !buffer_.empty())
            co_return make_error_code(error::proxy_connect_failed);
        co_return std::error_code{};
    }

    void start_wait(clock::time_point at)
    {
        waiting_ = true;
        const std::uint64_t generation = ++generation_;
        timer_.expires_at(at);
        timer_.async_wait([self = shared_from_this(), generation](std::error_code ec) {
            self->on_timer(ec, generation);
        });
    }

    void on_timer(std::error_code ec, std::uint64_t generation)
    {
        if (generation != generation_)
            return; // superseded by a later start_wait or a disarm
        waiting_ = false;
        if (ec == asio::error::operation_aborted || deadline_ == clock::time_point::max())
            return;
        if (clock::now() < deadline_) {
            start_wait(deadline_); // the deadline moved later while we waited
            return;
        }
        expired_ = kind_;
        std::error_code ignored;
        resolver_.cancel();
        socket().close(ignored);
    }

    std::shared_ptr<asio::ssl::context> context_;
    socket_type socket_;
    detail::tls_session tls_session_{};
    asio::ip::tcp::resolver resolver_;
    asio::steady_timer timer_;
    response_parser parser_;
    detail::read_buffer buffer_{};
    clock::time_point idle_since_ = clock::now();

    clock::time_point total_deadline_ = clock::time_point::max();
    clock::time_point deadline_ = clock::time_point::max();
    deadline kind_ = deadline::none;
    deadline expired_ = deadline::none;
    bool waiting_ = false;
    std::uint64_t generation_ = 0;
};

} // namespace imagine::http
