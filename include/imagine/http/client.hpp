#pragma once

// The HTTP client: a verified TLS context, a keep-alive pool, proxy selection and
// redirects, behind two asynchronous operations:
//
//   async_request(req)  -> void(error_code, response)         the body buffered
//   async_open(req)     -> void(error_code, response_stream)  the head; then pieces
//
// Both take any completion token; without one they return an asio::awaitable.
// Cancellation (terminal, through the handler's slot) aborts the operation and closes
// its connection, which never returns to the pool.

#include <imagine/config.hpp>

#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/connection.hpp>
#include <imagine/http/detail/io.hpp>
#include <imagine/http/detail/launch.hpp>
#include <imagine/http/error.hpp>
#include <imagine/http/message.hpp>
#include <imagine/http/parser.hpp>
#include <imagine/http/pool.hpp>
#include <imagine/http/proxy.hpp>
#include <imagine/http/response_stream.hpp>
#include <imagine/http/tls.hpp>
#include <imagine/http/url.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

struct client_options {
    tls_options tls{};
    timeout_options timeouts{};
    parser_limits limits{};
    pool_options pool{};
    /// An HTTP proxy for every request ("http://[user:password@]host[:port]"); an empty
    /// string means none. Unset: https_proxy / HTTPS_PROXY (and no_proxy) when
    /// `proxy_from_environment`.
    std::optional<std::string> proxy{};
    bool proxy_from_environment = true;
    /// 307 / 308 redirects followed before error::too_many_redirects.
    unsigned max_redirects = 5;
};

class client {
public:
    using executor_type = asio::any_io_executor;

    /// Throws std::system_error (error::tls_configuration, error::invalid_proxy) for
    /// options that cannot work.
    explicit client(executor_type executor, client_options options = {})
        : executor_(executor), options_(std::move(options)),
          pool_(std::make_shared<connection_pool>(executor, options_.pool))
    {
        std::error_code ec;
        context_ = make_tls_context(options_.tls, ec);
        if (ec)
            throw std::system_error(ec);
        if (options_.proxy && !options_.proxy->empty()) {
            fixed_proxy_ = parse_proxy(*options_.proxy, ec);
            if (ec)
                throw std::system_error(ec); // the message never carries credentials
        }
    }

    client(const client&) = delete;
    client& operator=(const client&) = delete;

    executor_type get_executor() const noexcept { return executor_; }
    const client_options& options() const noexcept { return options_; }
    connection_pool& pool() noexcept { return *pool_; }

    /// The pool key of `target`: its origin plus the proxy it goes through.
    std::string pool_key(const url& target) const
    {
        std::error_code ec;
        auto proxy = select_proxy(target, ec);
        return key_of(target, proxy ? &*proxy : nullptr);
    }

    /// Sends `req` and reads the whole response into memory (up to
    /// client_options::limits.body_limit).
    ///
    /// @par Completion signature
    /// void(std::error_code, http::response)
    /// @par Per-operation cancellation
    /// terminal: the connection is closed, the operation completes with
    /// asio::error::operation_aborted.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto async_request(request req, Token&& token = {})
    {
        return detail::launch<response>(
            executor_, std::forward<Token>(token),
            [this, req = std::move(req)]() mutable { return run_request(std::move(req)); });
    }

    /// Sends `req` and reads the response head; the body is then read piece by piece
    /// from the returned stream (server-sent events, large downloads).
    ///
    /// @par Completion signature
    /// void(std::error_code, http::response_stream)
    /// @par Per-operation cancellation
    /// terminal, as async_request.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto async_open(request req, Token&& token = {})
    {
        return detail::launch<response_stream>(
            executor_, std::forward<Token>(token),
            [this, req = std::move(req)]() mutable { return run_open(std::move(req)); });
    }

private:
    std::optional<proxy_settings> select_proxy(const url& target, std::error_code& ec) const
    {
        ec.clear();
        if (options_.proxy)
            return fixed_proxy_;
        if (!options_.proxy_from_environment)
            return std::nullopt;
        return proxy_from_environment(target, ec);
    }

    static std::string key_of(const url& target, const proxy_settings* proxy)
    {
        std::string key = target.origin();
        if (proxy) // credentials are part of the tunnel's identity; the key is never printed
            key.append(" via ")
                .append(proxy->address.origin())
                .append(" ")
                .append(proxy->username + ":" + proxy->password);
        return key;
    }

    asio::awaitable<detail::op_result<response>> run_request(request req)
    {
        auto [ec, exchange] = co_await open_exchange(std::move(req), false);
        if (ec)
            co_return detail::op_result<response>{ec, {}};
        ec = co_await exchange->read_rest();
        if (ec)
            co_return detail::op_result<response>{ec, {}};
        co_return detail::op_result<response>{std::error_code{}, std::move(exchange->result)};
    }

    asio::awaitable<detail::op_result<response_stream>> run_open(request req)
    {
        auto [ec, exchange] = co_await open_exchange(std::move(req), true);
        if (ec)
            co_return detail::op_result<response_stream>{ec, {}};
        co_return detail::op_result<response_stream>{std::error_code{},
                                                     response_stream(std::move(exchange))};
    }

    // Sends the request and reads the head, following redirects. On success the
    // exchange owns the connection and its pool slot.
    asio::awaitable<std::pair<std::error_code, std::shared_ptr<detail::exchange>>>
    open_exchange(request req, bool streaming)
    {
        using result = std::pair<std::error_code, std::shared_ptr<detail::exchange>>;
        co_await asio::this_coro::throw_if_cancelled(false);
        const timeout_options limits = req.timeouts.value_or(options_.timeouts);
        const auto total_deadline = limits.total.count() > 0
                                        ? connection::clock::now() + limits.total
                                        : connection::clock::time_point::max();
        for (unsigned redirects = 0;; ++redirects) {
            std::error_code ec;
            auto proxy = select_proxy(req.target, ec);
            if (ec)
                co_return result{ec, nullptr};
            auto head = detail::serialize_head(req, ec);
            if (ec)
                co_return result{ec, nullptr};
            auto exchange = std::make_shared<detail::exchange>(
                pool_, key_of(req.target, proxy ? &*proxy : nullptr));
            ec = co_await send(*exchange, req, head, proxy ? &*proxy : nullptr, limits,
                               total_deadline, streaming);
            if (ec)
                co_return result{ec, nullptr};
            const unsigned status = exchange->conn->parser().status();
            if ((status != 307 && status != 308) || options_.max_redirects == 0)
                co_return result{{}, std::move(exchange)};

            // A redirect: drain its body (keeps the connection reusable), then go again.
            const std::string* location = exchange->conn->parser().headers().find("location");
            const std::string where = location ? *location : std::string();
            exchange->conn->parser().set_body_sink({});
            ec = co_await exchange->read_rest();
            if (ec)
                co_return result{ec, nullptr};
            if (redirects + 1 > options_.max_redirects)
                co_return result{make_error_code(error::too_many_redirects), nullptr};
            if (!location)
                co_return result{make_error_code(error::bad_redirect), nullptr};
            std::error_code lec;
            url next = resolve_location(req.target, where, lec);
            if (lec || !next.is_https())
                co_return result{make_error_code(error::bad_redirect), nullptr};
            // Credentials are for the host they were given for.
            if (next.host != req.target.host || next.port != req.target.port)
                req.headers.erase("authorization");
            req.target = std::move(next); // send() rewinds a streamed body
        }
    }

    // One attempt chain for one URL: a pooled connection the server closed while idle
    // is replaced by another (or a new one) as long as no request byte was written to
    // it. Any other failure ends the exchange: the server may have acted on the request.
    asio::awaitable<std::error_code> send(detail::exchange& ex, const request& req,
                                          const std::string& head, const proxy_settings* proxy,
                                          const timeout_options& limits,
                                          connection::clock::time_point total_deadline,
                                          bool streaming)
    {
        for (;;) {
            auto [aec, conn] = co_await pool_->acquire(ex.key);
            if (aec)
                co_return aec;
            ex.holds_slot = true;
            const bool reused = conn != nullptr;
            if (!conn) {
                conn = std::make_shared<connection>(executor_, context_, options_.limits);
                conn->set_total_deadline(total_deadline);
                auto cec = co_await conn->connect(req.target, proxy, limits.connect);
                if (cec) {
                    ex.conn = std::move(conn);
                    ex.finish(false);
                    co_return cec;
                }
            }
            conn->set_total_deadline(total_deadline);
            ex.conn = conn;
            ex.limits = limits;
            response_parser& parser = conn->parser();
            parser.reset();
            parser.set_head_request(req.method == "HEAD");
            ex.final_url = req.target;
            if (streaming)
                parser.set_body_sink(
                    [&pending = ex.pending](std::string_view piece, std::error_code&) {
                        pending.append(piece);
                    });
            else
                parser.set_body_sink({});
            // Every attempt (a replaced connection, a redirect) sends the body from its
            // first byte.
            if (auto* source = std::get_if<std::shared_ptr<body_source>>(&req.body);
                source && *source) {
                std::error_code rec;
                (*source)->rewind(rec);
                if (rec) {
                    ex.finish(false);
                    co_return make_error_code(error::body_not_replayable);
                }
            }
            std::uint64_t written = 0;
            auto hook = ex.hook();
            auto wec = co_await detail::write_request(*conn, head, req.body, written, hook);
            if (req.progress) {
                req.progress->bytes_written = written;
                req.progress->sent = !wec;
            }
            if (wec) {
                wec = conn->map_error(wec);
                const bool stale = reused && written == 0 &&
                                   conn->expired() == connection::deadline::none &&
                                   wec != asio::error::operation_aborted;
                ex.finish(false);
                if (stale)
                    continue;
                co_return wec;
            }
            conn->arm(connection::deadline::response, limits.response);
            auto rec = co_await detail::read_head(*conn, conn->buffer(), parser, hook);
            if (req.progress)
                req.progress->response_started = parser.started();
            if (rec) {
                rec = conn->map_error(rec);
                ex.finish(false);
                co_return rec;
            }
            co_return std::error_code{};
        }
    }

    executor_type executor_;
    client_options options_;
    std::shared_ptr<connection_pool> pool_;
    std::shared_ptr<asio::ssl::context> context_{};
    std::optional<proxy_settings> fixed_proxy_{};
};

} // namespace imagine::http
