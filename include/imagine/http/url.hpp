#pragma once

// Absolute http/https URLs, parsed strictly enough that what reaches the resolver, the
// Host header and the request line is exactly what the caller wrote, or an error.
//
//   auto u = http::parse_url("https://api.openai.com/v1/images/generations");
//   u.host_header();   // "api.openai.com"
//   u.authority();     // "api.openai.com:443"
//   u.target;          // "/v1/images/generations"
//
// Rules (anything else is error::invalid_url):
// - scheme http or https, any case (another well-formed scheme: error::unsupported_scheme),
//   followed by "//"; no leading or trailing whitespace.
// - userinfo (proxy URLs): RFC 3986 characters, percent escapes decoded into username and
//   password. The raw text may not hold a second '@'.
// - host: a bracketed IPv6 literal (RFC 4291 text form, no zone id), a dotted quad of four
//   decimal numbers 0-255 without leading zeros, or a name of letters, digits, '-' and
//   '_' (Docker and other internal names use it; resolvers accept it) in non-empty labels
//   of at most 63 characters, 253 in all; one trailing dot is removed. A name whose last
//   label looks like a number ("1.2.3", "0x7f.1", "2130706433") is refused: resolvers
//   read such names as IPv4 addresses in forms we do not validate.
// - port: decimal digits, 1-65535; absent means 80 or 443. "host:" with no digits is refused.
// - path and query: kept byte for byte (no percent-encoding is added or removed); spaces,
//   control characters and bytes >= 0x80 are refused everywhere in the URL. The fragment
//   is dropped.

#include <imagine/http/detail/ascii.hpp>
#include <imagine/http/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// An absolute http or https URL, split into what a request needs.
struct url {
    std::string scheme{};   ///< "http" or "https", lower-cased
    std::string username{}; ///< percent-decoded userinfo (proxy URLs); empty when absent
    std::string password{}; ///< percent-decoded; never shown by to_string()
    std::string host{};     ///< lower-cased name, dotted IPv4, or IPv6 without brackets
    std::uint16_t port = 0; ///< explicit, else the scheme default (80 / 443)
    std::string target{};   ///< path + optional "?query"; "/" when empty; no fragment

    bool is_https() const noexcept { return scheme == "https"; }

    /// The host is an IPv6 literal (names and IPv4 addresses never contain ':').
    bool is_ipv6() const noexcept { return host.find(':') != std::string::npos; }

    /// The host is an IPv4 or IPv6 literal, not a name to resolve.
    bool is_ip() const noexcept;

    bool has_default_port() const noexcept { return port == (is_https() ? 443 : 80); }

    /// Host header value: "example.com", "example.com:8443", "[::1]:8443"; the port only
    /// when it is not the scheme's default.
    std::string host_header() const;

    /// Host and port, always with the port: "example.com:443", "[::1]:8443" (CONNECT target).
    std::string authority() const;

    /// "https://example.com:443": scheme and authority (the connection pool's key).
    std::string origin() const;

    /// The URL without credentials: "https://example.com:8443/path?q". Username and
    /// password are both left out (the username may be a token too); the port shows when
    /// it is not the default. parse_url() of the result gives the same fields minus the
    /// credentials.
    std::string to_string() const;

    friend bool operator==(const url&, const url&) = default;
};

namespace detail {

/// Bytes a URL never carries raw: space, controls, DEL and everything >= 0x80.
inline bool is_unsafe_url_byte(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u >= 0x7f;
}

/// Length of a leading RFC 3986 scheme that is followed by ':', else 0.
inline std::size_t scheme_length(std::string_view text) noexcept
{
    if (text.empty() || !is_ascii_alpha(text[0]))
        return 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ':')
            return i;
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

/// Strict dotted quad: four decimal numbers 0-255, no leading zeros, no other forms.
inline bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& out) noexcept
{
    std::size_t i = 0;
    for (std::size_t part = 0; part < 4; ++part) {
        const std::size_t start = i;
        unsigned value = 0;
        while (i < text.size() && is_ascii_digit(text[i]) && i - start < 4) {
            value = value * 10 + static_cast<unsigned>(text[i] - '0');
            ++i;
        }
        const std::size_t length = i - start;
        if (length == 0 || length > 3 || value > 255 || (length > 1 && text[start] == '0'))
            return false;
        out[part] = static_cast<std::uint8_t>(value);
        if (part < 3) {
            if (i == text.size() || text[i] != '.')
                return false;
            ++i;
        }
    }
    return i == text.size();
}

inline bool is_ipv4(std::string_view text) noexcept
{
    std::array<std::uint8_t, 4> ignored{};
    return parse_ipv4(text, ignored);
}

/// RFC 4291 section 2.2 text form: eight groups of 1-4 hex digits, one "::" standing for
/// at least one zero group, optionally a dotted quad as the last 32 bits. Written here
/// rather than taken from inet_pton so that no socket header is needed; the tests and the
/// URL fuzzer check that both accept the same strings and give the same bytes.
inline bool parse_ipv6(std::string_view text, std::array<std::uint8_t, 16>& out) noexcept
{
    std::array<std::uint16_t, 8> groups{};
    std::size_t count = 0;
    std::size_t gap = 9; // index in `groups` where "::" stands; 9: none
    std::size_t i = 0;
    if (text.starts_with("::")) {
        gap = 0;
        i = 2;
    } else if (text.starts_with(":")) {
        return false;
    }
    while (!(gap == 0 && count == 0 && i == text.size())) {
        if (i == text.size())
            return false; // a single ':' at the end
        const std::size_t end = text.find(':', i);
        const std::string_view piece =
            text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        if (piece.find('.') != std::string_view::npos) {
            std::array<std::uint8_t, 4> v4{};
            if (end != std::string_view::npos || count > 6 || !parse_ipv4(piece, v4))
                return false;
            groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
            groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
            break;
        }
        if (piece.empty() || piece.size() > 4 || count == 8)
            return false;
        unsigned value = 0;
        for (char c : piece) {
            const int h = hex_digit(c);
            if (h < 0)
                return false;
            value = value << 4 | static_cast<unsigned>(h);
        }
        groups[count++] = static_cast<std::uint16_t>(value);
        if (end == std::string_view::npos)
            break;
        i = end + 1;
        if (i < text.size() && text[i] == ':') {
            if (gap != 9)
                return false;
            gap = count;
            ++i;
            if (i == text.size())
                break;
        }
    }
    if (gap == 9 ? count != 8 : count > 7)
        return false;
    std::array<std::uint16_t, 8> full{};
    const std::size_t tail = gap == 9 ? 0 : count - gap;
    for (std::size_t k = 0; k < count - tail; ++k)
        full[k] = groups[k];
    for (std::size_t k = 0; k < tail; ++k)
        full[8 - tail + k] = groups[count - tail + k];
    for (std::size_t k = 0; k < 8; ++k) {
        out[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
        out[2 * k + 1] = static_cast<std::uint8_t>(full[k] & 0xff);
    }
    return true;
}

inline bool is_ipv6(std::string_view text) noexcept
{
    std::array<std::uint8_t, 16> ignored{};
    return parse_ipv6(text, ignored);
}

/// WHATWG's "ends in a number": such names are IPv4 addresses to getaddrinfo.
inline bool ends_in_number(std::string_view host) noexcept
{
    const auto dot = host.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
    if (last.empty())
        return false;
    bool digits = true;
    for (char c : last)
        digits = digits && is_ascii_digit(c);
    if (digits)
        return true;
    if (!last.starts_with("0x"))
        return false;
    for (char c : last.substr(2))
        if (hex_digit(c) < 0)
            return false;
    return true;
}

/// A lower-cased host name without its trailing dot: see the rules at the top.
inline bool is_valid_host_name(std::string_view host) noexcept
{
    if (host.empty() || host.size() > 253)
        return false;
    std::size_t label = 0;
    for (char c : host) {
        if (c == '.') {
            if (label == 0)
                return false;
            label = 0;
            continue;
        }
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '-' && c != '_')
            return false;
        if (++label > 63)
            return false;
    }
    return label != 0 && !ends_in_number(host);
}

/// Percent-encodes everything but RFC 3986 unreserved characters (userinfo, query
/// names and values).
inline std::string percent_encode(std::string_view in)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (char c : in) {
        if (is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            out += c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            out += '%';
            out += digits[u >> 4];
            out += digits[u & 15];
        }
    }
    return out;
}

/// Decodes %XX escapes; false on a malformed escape.
inline bool percent_decode(std::string_view in, std::string& out)
{
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size())
            return false;
        const int hi = hex_digit(in[i + 1]);
        const int lo = hex_digit(in[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        out += static_cast<char>(hi << 4 | lo);
        i += 2;
    }
    return true;
}

/// RFC 3986 userinfo characters (unreserved, sub-delims, ':' and '%' of an escape).
inline bool is_userinfo_char(char c) noexcept
{
    return is_ascii_alpha(c) || is_ascii_digit(c) ||
           std::string_view("-._~!$&'()*+,;=:%").find(c) != std::string_view::npos;
}

/// The host as it appears in a URL: IPv6 literals in brackets.
inline std::string bracketed_host(const url& u)
{
    return u.is_ipv6() ? "[" + u.host + "]" : u.host;
}

/// Parses "host[:port]" (the authority after userinfo) into u.host and u.port.
inline bool parse_host_port(std::string_view text, url& u)
{
    std::string_view rest;
    if (text.starts_with("[")) {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return false;
        const std::string_view literal = text.substr(1, close - 1);
        if (!is_ipv6(literal))
            return false;
        u.host = ascii_lowercase(literal);
        rest = text.substr(close + 1);
    } else {
        const auto colon = text.find(':');
        std::string host = ascii_lowercase(text.substr(0, colon));
        if (host.size() > 1 && host.back() == '.')
            host.pop_back();
        if (!is_ipv4(host) && !is_valid_host_name(host))
            return false;
        u.host = std::move(host);
        rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    }
    u.port = u.is_https() ? 443 : 80;
    if (rest.empty())
        return true;
    if (rest[0] != ':' || rest.size() == 1)
        return false;
    unsigned long value = 0;
    for (char c : rest.substr(1)) {
        if (!is_ascii_digit(c))
            return false;
        value = value * 10 + static_cast<unsigned long>(c - '0');
        if (value > 65535)
            return false;
    }
    if (value == 0)
        return false;
    u.port = static_cast<std::uint16_t>(value);
    return true;
}

/// RFC 3986 section 5.2.4: removes "." and ".." segments from an absolute path.
inline std::string remove_dot_segments(std::string_view in)
{
    std::string out;
    const auto drop_last_segment = [&out] {
        const auto slash = out.rfind('/');
        out.erase(slash == std::string::npos ? 0 : slash);
    };
    while (!in.empty()) {
        if (in.starts_with("../")) {
            in.remove_prefix(3);
        } else if (in.starts_with("./")) {
            in.remove_prefix(2);
        } else if (in.starts_with("/./")) {
            in.remove_prefix(2);
        } else if (in == "/.") {
            out += '/';
            break;
        } else if (in.starts_with("/../")) {
            in.remove_prefix(3);
            drop_last_segment();
        } else if (in == "/..") {
            drop_last_segment();
            out += '/';
            break;
        } else if (in == "." || in == "..") {
            break;
        } else {
            const auto next = in.find('/', 1);
            const auto segment = in.substr(0, next);
            out += segment;
            in.remove_prefix(segment.size());
        }
    }
    return out;
}

inline url parse_url_impl(std::string_view text, std::error_code& ec)
{
    url u;
    const std::size_t scheme_end = scheme_length(text);
    if (scheme_end == 0) {
        ec = error::invalid_url;
        return {};
    }
    const std::string_view scheme = text.substr(0, scheme_end);
    if (!ascii_iequals(scheme, "http") && !ascii_iequals(scheme, "https")) {
        ec = error::unsupported_scheme;
        return {};
    }
    for (char c : text)
        if (is_unsafe_url_byte(c)) {
            ec = error::invalid_url;
            return {};
        }
    u.scheme = ascii_lowercase(scheme);
    std::string_view rest = text.substr(scheme_end + 1);
    if (!rest.starts_with("//")) {
        ec = error::invalid_url;
        return {};
    }
    rest.remove_prefix(2);
    rest = rest.substr(0, rest.find('#'));
    const auto authority_end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, authority_end);
    const std::string_view path_and_query =
        authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

    const auto at = authority.find('@');
    if (at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        bool ok = authority.find('@') == std::string_view::npos;
        for (char c : userinfo)
            ok = ok && is_userinfo_char(c);
        const auto colon = userinfo.find(':');
        ok = ok && percent_decode(userinfo.substr(0, colon), u.username);
        if (ok && colon != std::string_view::npos)
            ok = percent_decode(userinfo.substr(colon + 1), u.password);
        if (!ok) {
            ec = error::invalid_url;
            return {};
        }
    }
    if (!parse_host_port(authority, u)) {
        ec = error::invalid_url;
        return {};
    }
    u.target = path_and_query.starts_with("/") ? std::string(path_and_query)
                                               : "/" + std::string(path_and_query);
    ec.clear();
    return u;
}

} // namespace detail

inline bool url::is_ip() const noexcept
{
    return is_ipv6() || detail::is_ipv4(host);
}

inline std::string url::host_header() const
{
    std::string out = detail::bracketed_host(*this);
    if (!has_default_port())
        out += ":" + std::to_string(port);
    return out;
}

inline std::string url::authority() const
{
    return detail::bracketed_host(*this) + ":" + std::to_string(port);
}

inline std::string url::origin() const
{
    return scheme + "://" + authority();
}

inline std::string url::to_string() const
{
    return scheme + "://" + host_header() + target;
}

/// Parses an absolute http/https URL (rules at the top of this header); on failure sets
/// error::invalid_url or error::unsupported_scheme and returns an empty url.
inline url parse_url(std::string_view text, std::error_code& ec)
{
    return detail::parse_url_impl(text, ec);
}

/// As above; throws std::system_error. The message never quotes the text (it may hold a
/// password or a key in its query).
inline url parse_url(std::string_view text)
{
    std::error_code ec;
    url u = parse_url(text, ec);
    if (ec)
        throw std::system_error(ec, "imagine::http::parse_url");
    return u;
}

/// `base` and `path` with exactly one '/' between them, whatever slashes either side
/// brings: join_url("https://h/v1/", "/images") == "https://h/v1/images". `path` may carry
/// a query. A `path` starting with '?' is appended as it is; an empty one returns `base`.
inline std::string join_url(std::string_view base, std::string_view path)
{
    if (path.empty() || path.starts_with("?"))
        return std::string(base) + std::string(path);
    while (base.ends_with("/"))
        base.remove_suffix(1);
    while (path.starts_with("/"))
        path.remove_prefix(1);
    return std::string(base) + "/" + std::string(path);
}

/// Resolves a redirect's Location against the URL that was requested (RFC 3986 section
/// 5.2): an absolute URL, a network-path "//host/x" (base scheme), an absolute path
/// "/p?q", a query "?q", or a relative path "x" merged with the base path. Dot segments
/// are removed from the resulting path, the fragment is dropped, and the result carries
/// no credentials (a redirect never passes the base's userinfo on). Errors as parse_url.
inline url resolve_location(const url& base, std::string_view location, std::error_code& ec)
{
    url out;
    if (detail::scheme_length(location) != 0) {
        out = parse_url(location, ec);
    } else if (location.starts_with("//")) {
        out = parse_url(base.scheme + ":" + std::string(location), ec);
    } else {
        for (char c : location)
            if (detail::is_unsafe_url_byte(c)) {
                ec = error::invalid_url;
                return {};
            }
        if (location.empty() || base.target.empty()) {
            ec = error::invalid_url;
            return {};
        }
        out = base;
        location = location.substr(0, location.find('#'));
        const auto query_at = location.find('?');
        const std::string_view path = location.substr(0, query_at);
        const std::string_view base_path =
            std::string_view(base.target).substr(0, std::string_view(base.target).find('?'));
        if (path.empty()) {
            // "?q" replaces the base query; "" and "#f" keep the whole base target.
            out.target = query_at == std::string_view::npos
                             ? base.target
                             : std::string(base_path) + std::string(location.substr(query_at));
        } else {
            out.target = path.starts_with("/")
                             ? std::string(path)
                             : std::string(base_path.substr(0, base_path.rfind('/') + 1)) +
                                   std::string(path);
            if (query_at != std::string_view::npos)
                out.target += location.substr(query_at);
        }
        ec.clear();
    }
    if (ec)
        return {};
    const auto query_at = out.target.find('?');
    std::string path =
        detail::remove_dot_segments(std::string_view(out.target).substr(0, query_at));
    if (!path.starts_with("/"))
        path.insert(0, "/");
    out.target = query_at == std::string::npos ? path : path + out.target.substr(query_at);
    out.username.clear();
    out.password.clear();
    return out;
}

} // namespace imagine::http
