#pragma once

// A request body whose bytes are produced while sending: multipart uploads read their
// files from disk piece by piece instead of holding them in memory. The length is known
// before the first byte is sent (Content-Length, no chunked requests: the OpenAI API
// and many proxies expect a length), and the source can start again from the first byte
// for a retry or a redirect.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <variant>

namespace imagine::http {

class body_source {
public:
    virtual ~body_source() = default;

    /// Total size in bytes, fixed before sending starts.
    virtual std::uint64_t size() const = 0;

    /// Go back to the first byte. Sources that cannot set `ec`
    /// (http::error::body_not_replayable).
    virtual void rewind(std::error_code& ec) = 0;

    /// Copy up to out.size() next bytes into `out`; returns how many. 0 means the end
    /// (after exactly size() bytes). A source whose bytes run out early or last longer
    /// than size() sets http::error::body_size_changed.
    virtual std::size_t read(std::span<char> out, std::error_code& ec) = 0;
};

/// What a request carries: nothing, bytes in memory, or a streamed source.
using request_body = std::variant<std::monostate, std::string, std::shared_ptr<body_source>>;

/// The body's length in bytes.
inline std::uint64_t body_size(const request_body& body) noexcept
{
    if (const auto* text = std::get_if<std::string>(&body))
        return text->size();
    if (const auto* source = std::get_if<std::shared_ptr<body_source>>(&body))
        return *source ? (*source)->size() : 0;
    return 0;
}

} // namespace imagine::http
