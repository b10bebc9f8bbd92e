#pragma once

// The I/O steps of one exchange, written once for any Asio stream (the TLS socket in
// production, an in-memory stream in the fail-count tests): write the request, read
// the head, read the body whole or piece by piece. Each step returns its error instead
// of throwing, so the caller decides what a failure means (retry on a fresh
// connection, a timeout code, ...). Before every read and write a hook runs; the
// connection uses it to move its deadline.

#include <imagine/config.hpp>

#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/body.hpp>
#include <imagine/http/error.hpp>
#include <imagine/http/parser.hpp>

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/ssl/error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <array>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace imagine::http::detail {

using imagine::detail::as_tuple;

/// Bytes received and not yet parsed. One allocation for the connection's lifetime.
class read_buffer {
public:
    explicit read_buffer(std::size_t capacity = 64 * 1024) : data_(capacity) {}

    std::string_view pending() const noexcept { return {data_.data() + begin_, end_ - begin_}; }
    bool empty() const noexcept { return begin_ == end_; }
    void consume(std::size_t n) noexcept
    {
        begin_ += n;
        if (begin_ == end_)
            begin_ = end_ = 0;
    }
    /// Free space at the end, after moving pending bytes to the front when that helps.
    std::span<char> prepare() noexcept
    {
        if (begin_ > 0 && end_ == data_.size()) {
            std::memmove(data_.data(), data_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        return {data_.data() + end_, data_.size() - end_};
    }
    void commit(std::size_t n) noexcept { end_ += n; }
    void clear() noexcept { begin_ = end_ = 0; }

private:
    std::vector<char> data_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

enum class io_phase { write, head, body };

/// A clean end of stream: EOF, or a TLS close without close_notify. The latter is
/// only acceptable where the message is complete anyway; the parser decides.
inline bool is_end_of_stream(const std::error_code& ec) noexcept
{
    return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

// One piece of the request; `written` counts the bytes the stream accepted.
template <class Stream, class Hook>
asio::awaitable<std::error_code> write_piece(Stream& stream, asio::const_buffer piece,
                                             std::uint64_t& written, Hook& before)
{
    before(io_phase::write);
    auto [ec, n] = co_await asio::async_write(stream, piece, as_tuple(asio::use_awaitable));
    written += n;
    co_return ec;
}

/// Writes the head and the body. `written` counts bytes the stream accepted, so the
/// caller knows whether any request byte may have reached the server. Bodies go in
/// pieces of at most 256 KiB, so the idle timeout measures progress.
template <class Stream, class Hook>
asio::awaitable<std::error_code> write_request(Stream& stream, std::string head,
                                               const request_body& body, std::uint64_t& written,
                                               Hook&& before)
{
    constexpr std::size_t piece_size = 256 * 1024;
    written = 0;
    const auto* text = std::get_if<std::string>(&body);
    // Small bodies travel with the head: one write, one TLS record.
    if (text && text->size() <= 64 * 1024) {
        head.append(*text);
        co_return co_await write_piece(stream, asio::buffer(head), written, before);
    }
    if (auto ec = co_await write_piece(stream, asio::buffer(head), written, before))
        co_return ec;
    if (text) {
        for (std::size_t at = 0; at < text->size(); at += piece_size) {
            const std::size_t n = std::min(piece_size, text->size() - at);
            if (auto ec = co_await write_piece(stream, asio::buffer(text->data() + at, n), written,
                                               before))
                co_return ec;
        }
        co_return std::error_code{};
    }
    const auto* source = std::get_if<std::shared_ptr<body_source>>(&body);
    if (!source || !*source)
        co_return std::error_code{};
    std::vector<char> chunk(piece_size);
    std::uint64_t sent = 0;
    for (;;) {
        std::error_code ec;
        const std::size_t got = (*source)->read(chunk, ec);
        if (ec)
            co_return ec;
        if (got == 0)
            break;
        sent += got;
        if (auto wec =
                co_await write_piece(stream, asio::buffer(chunk.data(), got), written, before))
            co_return wec;
    }
    co_return sent == (*source)->size() ? std::error_code{}
                                        : make_error_code(error::body_size_changed);
}

/// Reads until the parser has the whole head (1xx responses are skipped by the parser).
/// EOF before the first byte of the answer is error::connection_closed: the server
/// dropped the connection, typically a keep-alive connection it had just timed out.
template <class Stream, class Hook>
asio::awaitable<std::error_code> read_head(Stream& stream, read_buffer& buffer,
                                           response_parser& parser, Hook&& before)
{
    using asio::use_awaitable;
    for (;;) {
        if (!buffer.empty()) {
            std::error_code ec;
            buffer.consume(parser.put(buffer.pending(), ec));
            if (ec)
                co_return ec;
            if (parser.header_done())
                co_return std::error_code{};
            if (!buffer.empty())
                continue;
        }
        before(io_phase::head);
        auto space = buffer.prepare();
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(space.data(), space.size()),
                                                       as_tuple(use_awaitable));
        buffer.commit(n);
        if (ec) {
            if (!is_end_of_stream(ec))
                co_return ec;
            if (!parser.started())
                co_return make_error_code(error::connection_closed);
            std::error_code eof_ec;
            parser.put_eof(eof_ec);
            co_return eof_ec ? eof_ec : make_error_code(error::premature_end);
        }
    }
}

/// Reads body bytes until the parser has at least one new piece for its sink or the
/// message is complete. With no sink the parser buffers, and large reads go straight
/// into its body (`body_window`) instead of through `buffer`.
template <class Stream, class Hook>
asio::awaitable<std::error_code> read_body_step(Stream& stream, read_buffer& buffer,
                                                response_parser& parser, bool tls, Hook&& before)
{
    using asio::use_awaitable;
    if (!buffer.empty()) {
        std::error_code ec;
        buffer.consume(parser.put(buffer.pending(), ec));
        co_return ec;
    }
    before(io_phase::body);
    // Large reads go straight into the body. A TLS read fills what OpenSSL can decrypt
    // without waiting (read-ahead), a plain read what the socket holds.
    std::span<char> window = parser.body_window(256 * 1024);
    const bool direct = window.size() >= 8 * 1024;
    std::span<char> space = direct ? window : buffer.prepare();
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(space.data(), space.size()),
                                                   as_tuple(use_awaitable));
    std::error_code pec;
    if (n > 0) {
        if (direct) {
            parser.commit_body(n, pec);
        } else {
            buffer.commit(n);
            buffer.consume(parser.put(buffer.pending(), pec));
        }
        if (pec)
            co_return pec;
    }
    if (ec) {
        if (!is_end_of_stream(ec))
            co_return ec;
        if (parser.done())
            co_return std::error_code{};
        // A TLS peer that closes without close_notify may have been cut off by an
        // attacker: a body delimited only by the close cannot be trusted then.
        if (tls && ec == asio::ssl::error::stream_truncated && !parser.chunked() &&
            !parser.content_length())
            co_return make_error_code(error::premature_end);
        parser.put_eof(pec);
        co_return pec;
    }
    co_return std::error_code{};
}

/// Reads the rest of the message.
template <class Stream, class Hook>
asio::awaitable<std::error_code> read_body(Stream& stream, read_buffer& buffer,
                                           response_parser& parser, bool tls, Hook&& before)
{
    while (!parser.done()) {
        auto ec = co_await read_body_step(stream, buffer, parser, tls, before);
        if (ec)
            co_return ec;
    }
    co_return std::error_code{};
}

} // namespace imagine::http::detail
