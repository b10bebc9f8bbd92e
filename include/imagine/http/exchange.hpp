#pragma once

// One request and its response over a stream the caller already connected: any Asio
// AsyncReadStream + AsyncWriteStream (a TLS stream, a plain socket, a test stream). No
// pool, no redirects, no timeouts: those belong to http::client, which uses the same
// steps. Useful for custom transports, and it is how the transport's failure handling
// is tested with a stream that fails on its n-th operation.

#include <imagine/config.hpp>

#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/detail/io.hpp>
#include <imagine/http/detail/launch.hpp>
#include <imagine/http/message.hpp>
#include <imagine/http/parser.hpp>

#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

namespace detail {

template <class Stream>
asio::awaitable<op_result<response>> run_exchange(Stream& stream, request req, parser_limits limits)
{
    co_await asio::this_coro::throw_if_cancelled(false);
    std::error_code ec;
    std::string head = serialize_head(req, ec);
    if (ec)
        co_return op_result<response>{ec, {}};
    auto no_hook = [](io_phase) {};
    std::uint64_t written = 0;
    ec = co_await write_request(stream, std::move(head), req.body, written, no_hook);
    if (ec)
        co_return op_result<response>{ec, {}};
    response_parser parser(limits);
    parser.set_head_request(req.method == "HEAD");
    read_buffer buffer;
    ec = co_await read_head(stream, buffer, parser, no_hook);
    if (!ec)
        ec = co_await read_body(stream, buffer, parser, false, no_hook);
    if (ec)
        co_return op_result<response>{ec, {}};
    response out;
    out.status = parser.status();
    out.reason = std::string(parser.reason());
    out.headers = parser.headers();
    out.body = std::move(parser.body());
    out.final_url = std::move(req.target);
    co_return op_result<response>{std::error_code{}, std::move(out)};
}

} // namespace detail

/// Writes `req` to `stream` and reads the whole response.
///
/// @par Completion signature
/// void(std::error_code, http::response)
/// @par Per-operation cancellation
/// terminal: the pending read or write of `stream` is cancelled; the stream is then in
/// an unknown state and should be closed.
template <class Stream,
          class Token = imagine::detail::default_token_t<typename Stream::executor_type>>
auto async_exchange(Stream& stream, request req, parser_limits limits = {}, Token&& token = {})
{
    return detail::launch<response>(stream.get_executor(), std::forward<Token>(token),
                                    [&stream, req = std::move(req), limits]() mutable {
                                        return detail::run_exchange(stream, std::move(req), limits);
                                    });
}

} // namespace imagine::http
