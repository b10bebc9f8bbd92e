#pragma once

// Pieces of the chunked transfer coding (RFC 9112 §7.1) that need no parser state: the
// value of a hex digit and the syntax of a chunk line's extensions. No extension means
// anything to imagine, but a malformed one means the framing cannot be trusted.

#include <imagine/http/detail/ascii.hpp>
#include <imagine/http/fields.hpp>

#include <cstddef>
#include <string_view>

namespace imagine::http::detail {

/// Checks what follows the chunk size on its line, line ending removed:
///
///   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
///   chunk-ext-name = token
///   chunk-ext-val  = token / quoted-string
///   quoted-string  = DQUOTE *( qdtext / quoted-pair ) DQUOTE
///   qdtext         = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
///   quoted-pair    = "\" ( HTAB / SP / VCHAR / obs-text )
///
/// Whitespace at the end of the line is tolerated as well: it cannot change where the
/// chunk ends, and some servers pad the size.
constexpr bool valid_chunk_extensions(std::string_view s) noexcept
{
    std::size_t i = 0;
    const std::size_t n = s.size();
    const auto skip_ows = [&] {
        while (i < n && is_ows(s[i]))
            ++i;
    };
    const auto token = [&] {
        const std::size_t start = i;
        while (i < n && is_tchar(s[i]))
            ++i;
        return i != start;
    };
    const auto quoted_string = [&] {
        for (++i; i < n; ++i) {
            const char c = s[i];
            if (c == '"') {
                ++i;
                return true;
            }
            if (c == '\\' && ++i == n)
                return false;
            // After a backslash any field byte may follow, '"' and '\' included.
            if (!is_field_byte(s[i]))
                return false;
        }
        return false;
    };

    while (true) {
        skip_ows();
        if (i == n)
            return true;
        if (s[i] != ';')
            return false;
        ++i;
        skip_ows();
        if (!token())
            return false;
        skip_ows();
        if (i < n && s[i] == '=') {
            ++i;
            skip_ows();
            if (i < n && s[i] == '"' ? !quoted_string() : !token())
                return false;
        }
    }
}

} // namespace imagine::http::detail
