#pragma once

// A response whose head has arrived and whose body is read piece by piece: the server
// sent events of a streamed generation, or a download written to disk as it arrives.
// The stream owns its connection until the body ends; then the connection goes back
// to the pool if the server keeps it alive. Dropping a stream before the end closes the
// connection (its unread bytes make it useless for another request).

#include <imagine/config.hpp>

#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/connection.hpp>
#include <imagine/http/detail/io.hpp>
#include <imagine/http/detail/launch.hpp>
#include <imagine/http/message.hpp>
#include <imagine/http/pool.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

namespace detail {

// One request/response on a pooled connection, from the slot taken to the slot given
// back. Shared by the client's coroutine and, for streams, the response_stream.
struct exchange {
    exchange(std::shared_ptr<connection_pool> owner, std::string pool_key)
        : pool(std::move(owner)), key(std::move(pool_key))
    {
    }
    exchange(const exchange&) = delete;
    exchange& operator=(const exchange&) = delete;
    ~exchange() { finish(false); }

    std::shared_ptr<connection_pool> pool;
    std::string key;
    std::shared_ptr<connection> conn{};
    bool holds_slot = false;
    timeout_options limits{};
    url final_url{};
    std::string pending{}; // streamed body bytes not yet handed out
    response result{};     // the buffered response, complete after read_rest()

    /// Gives the connection and the slot back; the connection is pooled only when
    /// `reusable` (a complete message on a keep-alive connection, nothing left over).
    void finish(bool reusable)
    {
        if (!holds_slot)
            return;
        holds_slot = false;
        if (conn)
            conn->parser().set_body_sink({});
        pool->release(key, std::move(conn), reusable);
        conn.reset();
    }

    /// Before each write and body read: the idle limit starts again.
    auto hook()
    {
        return [this](io_phase phase) {
            if (phase != io_phase::head && conn)
                conn->arm(connection::deadline::idle, limits.idle);
        };
    }

    void capture_head()
    {
        const response_parser& parser = conn->parser();
        result.status = parser.status();
        result.reason = std::string(parser.reason());
        result.headers = parser.headers();
        result.final_url = final_url;
    }

    bool reusable_after_body() { return conn->parser().keep_alive() && conn->buffer().empty(); }

    /// The rest of the body into `result`, then the connection back to the pool.
    asio::awaitable<std::error_code> read_rest()
    {
        capture_head();
        auto ec = co_await read_body(*conn, conn->buffer(), conn->parser(), conn->tls(), hook());
        if (ec) {
            ec = conn->map_error(ec);
            finish(false);
            co_return ec;
        }
        result.body = std::move(conn->parser().body());
        finish(reusable_after_body());
        co_return std::error_code{};
    }

    /// The next piece of a streamed body; empty at the end.
    asio::awaitable<std::pair<std::error_code, std::string>> read_piece()
    {
        co_await asio::this_coro::throw_if_cancelled(false);
        while (pending.empty() && conn && !conn->parser().done()) {
            auto ec =
                co_await read_body_step(*conn, conn->buffer(), conn->parser(), conn->tls(), hook());
            if (ec) {
                ec = conn->map_error(ec);
                finish(false);
                co_return std::pair{ec, std::string{}};
            }
        }
        if (conn && conn->parser().done()) {
            finish(reusable_after_body());
        } else if (conn) {
            // Between reads the caller is busy with this piece, however long that takes;
            // only the total deadline keeps running.
            conn->arm(connection::deadline::total, std::chrono::milliseconds(0));
        }
        co_return std::pair{std::error_code{}, std::exchange(pending, std::string{})};
    }
};

} // namespace detail

class response_stream {
public:
    using executor_type = asio::any_io_executor;

    response_stream() = default;
    explicit response_stream(std::shared_ptr<detail::exchange> exchange)
        : exchange_(std::move(exchange))
    {
        exchange_->capture_head();
        executor_ = exchange_->conn->get_executor();
    }

    executor_type get_executor() const noexcept { return executor_; }

    unsigned status() const noexcept { return exchange_ ? exchange_->result.status : 0; }
    const std::string& reason() const noexcept { return exchange_->result.reason; }
    const fields& headers() const noexcept { return exchange_->result.headers; }
    const url& final_url() const noexcept { return exchange_->result.final_url; }

    /// True once the whole body has been handed out.
    bool done() const noexcept
    {
        return !exchange_ || (!exchange_->holds_slot && exchange_->pending.empty());
    }

    /// Reads the next decoded body piece (chunk framing removed); an empty string at the
    /// end of the body. One read at a time.
    ///
    /// @par Completion signature
    /// void(std::error_code, std::string)
    /// @par Per-operation cancellation
    /// terminal: the connection is closed and the stream ends.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto async_read_some(Token&& token = {})
    {
        return detail::launch<std::string>(executor_, std::forward<Token>(token),
                                           [exchange = exchange_]() { return read(exchange); });
    }

    /// Stops reading: the connection is closed (not pooled).
    void close()
    {
        if (exchange_)
            exchange_->finish(false);
    }

private:
    static asio::awaitable<detail::op_result<std::string>>
    read(std::shared_ptr<detail::exchange> exchange)
    {
        if (!exchange)
            co_return detail::op_result<std::string>{make_error_code(asio::error::not_connected),
                                                     {}};
        co_return co_await exchange->read_piece();
    }

    std::shared_ptr<detail::exchange> exchange_{};
    executor_type executor_{};
};

} // namespace imagine::http
