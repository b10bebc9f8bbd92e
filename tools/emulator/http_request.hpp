#pragma once

// HTTP/1.1 requests as the emulator receives them: the message type, a strict head
// parser and an Asio coroutine that reads one request (Content-Length or chunked body,
// "Expect: 100-continue" answered) from any async stream.

#include "text.hpp"

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/completion_condition.hpp>
#include <asio/error.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/ssl/error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace imagine_emulator {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_request {
    std::string method{};
    std::string target{}; ///< as received: path and query
    std::string version{};
    header_list headers{}; ///< in arrival order, names as sent
    std::string body{};

    /// The first header `name` (case-insensitive).
    std::optional<std::string_view> header(std::string_view name) const
    {
        for (const auto& [n, v] : headers)
            if (iequals(n, name))
                return std::string_view(v);
        return std::nullopt;
    }

    /// Every header `name` joined with ", " (RFC 9110 §5.3), or nullopt.
    std::optional<std::string> joined_header(std::string_view name) const
    {
        std::optional<std::string> out;
        for (const auto& [n, v] : headers)
            if (iequals(n, name))
                out = out ? *out + ", " + v : v;
        return out;
    }

    std::string_view path() const
    {
        const std::string_view t(target);
        return t.substr(0, t.find('?'));
    }

    std::string_view query() const
    {
        const std::string_view t(target);
        const auto q = t.find('?');
        return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
    }

    /// The media type of Content-Type, lowercased, without parameters.
    std::string media_type() const
    {
        const auto type = header("Content-Type");
        return type ? to_lower(trim(type->substr(0, type->find(';')))) : std::string();
    }

    bool keep_alive() const
    {
        const auto connection = joined_header("Connection").value_or("");
        bool close = false, keep = false;
        for (const auto token : split_list(connection, ',')) {
            close = close || iequals(token, "close");
            keep = keep || iequals(token, "keep-alive");
        }
        return version == "HTTP/1.1" ? !close : keep;
    }
};

/// A request the emulator cannot read; answered with 400 and the connection closed.
struct bad_request : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr std::size_t max_head_size = 64 * 1024;
inline constexpr std::uint64_t max_body_size = 1ull << 30; // 1 GiB

/// Parses a request head (request line + fields, the final CRLF CRLF included or not).
inline http_request parse_request_head(std::string_view head)
{
    http_request request;
    auto next_line = [&head]() {
        const auto end = head.find("\r\n");
        const auto line = head.substr(0, end);
        head.remove_prefix(end == std::string_view::npos ? head.size() : end + 2);
        return line;
    };
    const auto start = next_line();
    const auto sp1 = start.find(' ');
    const auto sp2 = start.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1)
        throw bad_request("malformed request line");
    request.method = std::string(start.substr(0, sp1));
    request.target = std::string(start.substr(sp1 + 1, sp2 - sp1 - 1));
    request.version = std::string(start.substr(sp2 + 1));
    if (request.version != "HTTP/1.1" && request.version != "HTTP/1.0")
        throw bad_request("unsupported HTTP version");
    if (request.target.empty() || request.target.front() != '/')
        throw bad_request("request target must be origin-form");
    for (const char c : request.method)
        if (c < 'A' || c > 'Z')
            throw bad_request("malformed method");
    while (!head.empty()) {
        const auto line = next_line();
        if (line.empty())
            break;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 || line[colon - 1] == ' ' ||
            line[0] == ' ' || line[0] == '\t')
            throw bad_request("malformed header field");
        request.headers.emplace_back(std::string(line.substr(0, colon)),
                                     std::string(trim(line.substr(colon + 1))));
    }
    return request;
}

/// Reads one request from `stream`; `buffer` keeps bytes read beyond it (pipelining).
/// Returns nullopt when the peer closed the connection cleanly between requests.
template <class Stream>
asio::awaitable<std::optional<http_request>> read_request(Stream& stream, std::string& buffer)
{
    auto dynamic = asio::dynamic_buffer(buffer, max_head_size + max_body_size);
    std::size_t head_size = 0;
    try {
        head_size =
            co_await asio::async_read_until(stream, dynamic, "\r\n\r\n", asio::use_awaitable);
    } catch (const std::system_error& e) {
        if (buffer.empty() &&
            (e.code() == asio::error::eof || e.code() == asio::ssl::error::stream_truncated ||
             e.code() == asio::error::connection_reset))
            co_return std::nullopt;
        throw;
    }
    if (head_size > max_head_size)
        throw bad_request("request head too large");
    auto request = parse_request_head(std::string_view(buffer).substr(0, head_size));
    buffer.erase(0, head_size);

    const auto encoding = request.joined_header("Transfer-Encoding");
    const auto length = request.header("Content-Length");
    const bool chunked = encoding && iequals(trim(*encoding), "chunked");
    if (encoding && !chunked)
        throw bad_request("unsupported Transfer-Encoding");
    if (chunked && length)
        throw bad_request("both Transfer-Encoding and Content-Length");

    if (const auto expect = request.header("Expect");
        expect && iequals(*expect, "100-continue") && (chunked || (length && *length != "0")))
        co_await asio::async_write(stream,
                                   asio::buffer(std::string_view("HTTP/1.1 100 Continue\r\n\r\n")),
                                   asio::use_awaitable);

    auto read_at_least = [&](std::size_t wanted) -> asio::awaitable<void> {
        if (buffer.size() < wanted)
            co_await asio::async_read(stream, dynamic,
                                      asio::transfer_exactly(wanted - buffer.size()),
                                      asio::use_awaitable);
    };
    auto read_line = [&]() -> asio::awaitable<std::string> {
        const auto end =
            co_await asio::async_read_until(stream, dynamic, "\r\n", asio::use_awaitable);
        if (end > 4096)
            throw bad_request("chunk line too long");
        std::string line = buffer.substr(0, end - 2);
        buffer.erase(0, end);
        co_return line;
    };

    if (chunked) {
        for (;;) {
            const auto line = co_await read_line();
            const auto size_text = trim(std::string_view(line).substr(0, line.find(';')));
            std::uint64_t size = 0;
            const auto [ptr, ec] =
                std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
            if (size_text.empty() || ec != std::errc{} ||
                ptr != size_text.data() + size_text.size())
                throw bad_request("malformed chunk size");
            if (size > max_body_size - request.body.size())
                throw bad_request("request body larger than 1 GiB");
            if (size == 0)
                break;
            co_await read_at_least(static_cast<std::size_t>(size) + 2);
            if (buffer.compare(static_cast<std::size_t>(size), 2, "\r\n") != 0)
                throw bad_request("chunk not followed by CRLF");
            request.body.append(buffer, 0, static_cast<std::size_t>(size));
            buffer.erase(0, static_cast<std::size_t>(size) + 2);
        }
        for (;;) { // trailer fields: ignored
            const auto trailer = co_await read_line();
            if (trailer.empty())
                break;
        }
    } else if (length) {
        const auto size = parse_decimal<std::uint64_t>(*length);
        if (!size)
            throw bad_request("malformed Content-Length");
        if (*size > max_body_size)
            throw bad_request("request body larger than 1 GiB");
        co_await read_at_least(static_cast<std::size_t>(*size));
        request.body.assign(buffer, 0, static_cast<std::size_t>(*size));
        buffer.erase(0, static_cast<std::size_t>(*size));
    }
    co_return request;
}

} // namespace imagine_emulator
