#pragma once

// HTTP proxies (reached with CONNECT for https targets): the setting's syntax, the
// environment variables curl and most tools read, and no_proxy matching.
//
//   std::error_code ec;
//   if (auto proxy = http::proxy_from_environment(target, ec))
//       connect_through(*proxy, http::proxy_authorization(*proxy));
//
// Only plain http:// proxies are supported (no TLS to the proxy, no SOCKS). A proxy
// without a port uses 80, the http default (Go, Python and libproxy do the same; curl
// uses 1080). Credentials never appear in to_string() or in an error.

#include <imagine/base64.hpp>
#include <imagine/http/error.hpp>
#include <imagine/http/url.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// Where to send requests through, and who to say we are.
struct proxy_settings {
    url address{};          ///< http://host:port/ of the proxy, without credentials
    std::string username{}; ///< percent-decoded; empty: no Proxy-Authorization
    std::string password{}; ///< percent-decoded; never shown

    /// "http://host:port", or "http://user:***@host:port" when there is a username (or
    /// ":***@" for a password alone): the password never, the username percent-encoded.
    std::string to_string() const;
};

namespace detail {

/// An IP address for no_proxy matching: 4 or 16 bytes.
struct ip_address {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t size = 0; // 4 or 16; 0: not an address
};

inline ip_address parse_ip(std::string_view text) noexcept
{
    ip_address ip;
    std::array<std::uint8_t, 4> v4{};
    if (parse_ipv4(text, v4)) {
        for (std::size_t i = 0; i < 4; ++i)
            ip.bytes[i] = v4[i];
        ip.size = 4;
    } else if (parse_ipv6(text, ip.bytes)) {
        ip.size = 16;
    }
    return ip;
}

/// True when the first `bits` bits of both addresses are equal.
inline bool same_prefix(const ip_address& a, const ip_address& b, unsigned bits) noexcept
{
    for (std::size_t i = 0; bits > 0; ++i, bits = bits > 8 ? bits - 8 : 0) {
        const unsigned mask = bits >= 8 ? 0xffU : (0xff00U >> bits) & 0xffU;
        if ((a.bytes[i] & mask) != (b.bytes[i] & mask))
            return false;
    }
    return true;
}

/// Decimal digits only, at most `max_digits`, into `value`.
inline bool parse_small_number(std::string_view text, std::size_t max_digits,
                               unsigned& value) noexcept
{
    value = 0;
    if (text.empty() || text.size() > max_digits)
        return false;
    for (char c : text) {
        if (!is_ascii_digit(c))
            return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
}

/// One no_proxy entry against a host (lower-case, as in url::host) and port.
inline bool no_proxy_entry_matches(std::string_view entry, std::string_view host,
                                   std::uint16_t port) noexcept
{
    // Take "address", ":port" and "/prefix" apart: "[v6]:port", "[v6]/len", "v4/len",
    // "v6/len", "name:port", "v4:port". An IPv6 address without brackets has more than
    // one ':' and so no port.
    std::string_view address = entry;
    std::string_view port_text;
    std::string_view prefix_text;
    bool has_port = false;
    bool has_prefix = false;
    if (entry.starts_with("[")) {
        const auto close = entry.find(']');
        if (close == std::string_view::npos)
            return false;
        address = entry.substr(1, close - 1);
        const std::string_view rest = entry.substr(close + 1);
        has_port = rest.starts_with(":");
        has_prefix = rest.starts_with("/");
        if (!rest.empty() && !has_port && !has_prefix)
            return false;
        if (has_port)
            port_text = rest.substr(1);
        else if (has_prefix)
            prefix_text = rest.substr(1);
    } else {
        if (const auto slash = entry.find('/'); slash != std::string_view::npos) {
            has_prefix = true;
            prefix_text = entry.substr(slash + 1);
            address = entry.substr(0, slash);
        }
        const auto colon = address.find(':');
        if (colon != std::string_view::npos &&
            address.find(':', colon + 1) == std::string_view::npos) {
            has_port = true;
            port_text = address.substr(colon + 1);
            address = address.substr(0, colon);
        }
    }
    unsigned number = 0;
    if (has_port && (!parse_small_number(port_text, 5, number) || number != port))
        return false;

    const ip_address target = parse_ip(host);
    if (has_prefix) {
        const ip_address network = parse_ip(address);
        return network.size != 0 && network.size == target.size &&
               parse_small_number(prefix_text, 3, number) && number <= network.size * 8 &&
               same_prefix(network, target, number);
    }

    // An address: equal addresses ("::1" matches "0:0::1"), never a suffix.
    if (const ip_address ip = parse_ip(address); ip.size != 0)
        return ip.size == target.size &&
               same_prefix(ip, target, static_cast<unsigned>(ip.size * 8));
    if (target.size != 0)
        return false;

    // A name: ".example.com", "*.example.com" and "example.com" all match example.com
    // itself and every name below it.
    if (address.starts_with("*."))
        address.remove_prefix(2);
    else if (address.starts_with("."))
        address.remove_prefix(1);
    if (address.ends_with("."))
        address.remove_suffix(1);
    if (address.empty() || address.size() > host.size())
        return false;
    const std::string_view tail = host.substr(host.size() - address.size());
    if (!ascii_iequals(tail, address))
        return false;
    return host.size() == address.size() || host[host.size() - address.size() - 1] == '.';
}

inline std::string_view getenv_view(const char* name) noexcept
{
    const char* value = std::getenv(name);
    return value ? std::string_view(value) : std::string_view();
}

} // namespace detail

inline std::string proxy_settings::to_string() const
{
    std::string out = "http://";
    if (!username.empty() || !password.empty())
        out += detail::percent_encode(username) + ":***@";
    return out + address.authority();
}

/// Parses a proxy setting: "http://[user:password@]host[:port][/]" (scheme in any case)
/// or a bare "[user:password@]host[:port]", taken as http. Credentials are
/// percent-decoded into username and password. Anything else, including https:// and
/// socks proxies, a path, or a username containing ':' (which Basic authentication
/// cannot carry), is error::invalid_proxy.
inline proxy_settings parse_proxy(std::string_view text, std::error_code& ec)
{
    const std::string full = text.find("://") == std::string_view::npos
                                 ? "http://" + std::string(text)
                                 : std::string(text);
    const bool http = detail::scheme_length(full) == 4 &&
                      detail::ascii_iequals(std::string_view(full).substr(0, 4), "http");
    url address;
    if (http)
        address = parse_url(full, ec);
    if (!http || ec || address.target != "/" || full.find_first_of("?#") != std::string::npos ||
        address.username.find(':') != std::string::npos) {
        ec = error::invalid_proxy;
        return {};
    }
    proxy_settings out;
    out.username = std::move(address.username);
    out.password = std::move(address.password);
    address.username.clear();
    address.password.clear();
    out.address = std::move(address);
    ec.clear();
    return out;
}

/// curl's no_proxy rules: entries separated by commas and/or whitespace, compared without
/// regard to case. "*" matches every host. A name matches itself and the names below it
/// (a leading "." or "*." changes nothing: ".example.com" matches example.com too). An IP
/// address matches that address only, a CIDR block ("10.0.0.0/8", "::1/128") the
/// addresses in it; IPv6 entries may be bracketed. ":port" after a name or address
/// ("[::1]:8080" for IPv6) restricts the entry to that port. Names are never resolved: an
/// IP entry does not match a name, nor a name entry an IP address. Malformed entries
/// match nothing.
inline bool no_proxy_matches(std::string_view no_proxy, const url& target) noexcept
{
    std::size_t i = 0;
    while (i < no_proxy.size()) {
        const auto start = no_proxy.find_first_not_of(", \t\r\n", i);
        if (start == std::string_view::npos)
            break;
        auto end = no_proxy.find_first_of(", \t\r\n", start);
        if (end == std::string_view::npos)
            end = no_proxy.size();
        const std::string_view entry = no_proxy.substr(start, end - start);
        if (entry == "*" || detail::no_proxy_entry_matches(entry, target.host, target.port))
            return true;
        i = end;
    }
    return false;
}

/// The proxy for `target` from the environment, as curl reads it: for https targets
/// https_proxy, then HTTPS_PROXY; for http targets http_proxy only (never HTTP_PROXY,
/// which CGI servers fill from a request's "Proxy:" header: "httpoxy"); then all_proxy,
/// then ALL_PROXY. An empty variable counts as unset. nullopt when none is set or
/// no_proxy (else NO_PROXY) matches the target. A value parse_proxy() refuses gives
/// error::invalid_proxy and nullopt. std::getenv is not synchronized with setenv.
inline std::optional<proxy_settings> proxy_from_environment(const url& target, std::error_code& ec)
{
    ec.clear();
    std::string_view value;
    if (target.is_https()) {
        value = detail::getenv_view("https_proxy");
        if (value.empty())
            value = detail::getenv_view("HTTPS_PROXY");
    } else {
        value = detail::getenv_view("http_proxy");
    }
    if (value.empty())
        value = detail::getenv_view("all_proxy");
    if (value.empty())
        value = detail::getenv_view("ALL_PROXY");
    if (value.empty())
        return std::nullopt;
    std::string_view no_proxy = detail::getenv_view("no_proxy");
    if (no_proxy.empty())
        no_proxy = detail::getenv_view("NO_PROXY");
    if (no_proxy_matches(no_proxy, target))
        return std::nullopt;
    proxy_settings proxy = parse_proxy(value, ec);
    if (ec)
        return std::nullopt;
    return proxy;
}

/// The Proxy-Authorization value: "Basic " + base64(username ":" password); "" when
/// there is no username.
inline std::string proxy_authorization(const proxy_settings& proxy)
{
    if (proxy.username.empty())
        return {};
    return "Basic " + base64::encode(proxy.username + ":" + proxy.password);
}

} // namespace imagine::http
