// libFuzzer target for URLs, redirects and proxy settings (see json_fuzz.cpp for how it is
// run). Properties checked on every input:
// - parse_url never crashes; a parsed URL has sane fields, and its to_string() parses
//   again to the same fields without the credentials, which to_string() never shows;
// - resolve_location against a fixed base never crashes, and what it gives re-parses to
//   itself and carries no credentials;
// - the IPv4 and IPv6 literal parsers accept exactly what inet_pton accepts, with the
//   same bytes;
// - parse_proxy never crashes; its to_string() shows "***" for the password and re-parses
//   to the same address and username; no_proxy_matches and join_url never crash.

#include <imagine/http/proxy.hpp>
#include <imagine/http/url.hpp>

#include <arpa/inet.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

namespace {

namespace http = imagine::http;

[[noreturn]] void fail(const char* what, std::string_view input)
{
    std::fprintf(stderr, "url_fuzz: %s\ninput: %.*s\n", what, static_cast<int>(input.size()),
                 input.data());
    std::abort();
}

void check_url(const http::url& u, std::string_view input)
{
    if (u.scheme != "http" && u.scheme != "https")
        fail("bad scheme", input);
    if (u.host.empty() || u.port == 0 || !u.target.starts_with("/"))
        fail("empty host, zero port or target without '/'", input);
    for (char c : u.scheme + u.host + u.target)
        if (http::detail::is_unsafe_url_byte(c))
            fail("unsafe byte in a field", input);
    if (u.target.find('#') != std::string::npos)
        fail("fragment kept", input);
    for (char c : u.host)
        if (c >= 'A' && c <= 'Z')
            fail("host not lower-cased", input);
    if (u.authority().find(':') == std::string::npos || !u.origin().starts_with(u.scheme))
        fail("authority or origin malformed", input);

    const std::string text = u.to_string();
    // No userinfo at all: the authority part holds no '@'.
    const std::size_t authority_at = text.find("://") + 3;
    if (text.substr(authority_at, text.find('/', authority_at) - authority_at).find('@') !=
        std::string::npos)
        fail("to_string shows credentials", input);
    std::error_code ec;
    const http::url again = http::parse_url(text, ec);
    if (ec)
        fail("to_string does not parse again", input);
    http::url stripped = u;
    stripped.username.clear();
    stripped.password.clear();
    if (!(again == stripped))
        fail("to_string parses to other fields", input);
}

void check_literals(std::string_view input)
{
    if (input.size() > 64 || input.find('\0') != std::string_view::npos)
        return;
    const std::string text(input);
    std::array<std::uint8_t, 16> mine6{};
    unsigned char libc6[16] = {};
    const bool ok6 = http::detail::parse_ipv6(text, mine6);
    if (ok6 != (inet_pton(AF_INET6, text.c_str(), libc6) == 1))
        fail("IPv6 parser disagrees with inet_pton", input);
    if (ok6 && std::memcmp(mine6.data(), libc6, 16) != 0)
        fail("IPv6 parser gives other bytes than inet_pton", input);
    std::array<std::uint8_t, 4> mine4{};
    unsigned char libc4[4] = {};
    const bool ok4 = http::detail::parse_ipv4(text, mine4);
    if (ok4 != (inet_pton(AF_INET, text.c_str(), libc4) == 1))
        fail("IPv4 parser disagrees with inet_pton", input);
    if (ok4 && std::memcmp(mine4.data(), libc4, 4) != 0)
        fail("IPv4 parser gives other bytes than inet_pton", input);
}

void check_proxy(std::string_view input)
{
    std::error_code ec;
    const http::proxy_settings p = http::parse_proxy(input, ec);
    if (ec) {
        if (ec != http::error::invalid_proxy)
            fail("parse_proxy error other than invalid_proxy", input);
        return;
    }
    check_url(p.address, input);
    if (!p.address.username.empty() || !p.address.password.empty() || p.address.target != "/")
        fail("proxy address keeps credentials or a path", input);
    const std::string text = p.to_string();
    // The password is always the placeholder "***".
    const bool credentials = !p.username.empty() || !p.password.empty();
    if (text != (credentials ? "http://" + http::detail::percent_encode(p.username) + ":***@" +
                                   p.address.authority()
                             : "http://" + p.address.authority()))
        fail("proxy to_string is not the redacted form", input);
    const http::proxy_settings again = http::parse_proxy(text, ec);
    if (ec || !(again.address == p.address) || again.username != p.username ||
        again.password != (credentials ? "***" : ""))
        fail("proxy to_string does not parse back", input);
    static_cast<void>(http::proxy_authorization(p));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::error_code ec;
    const http::url u = http::parse_url(input, ec);
    if (!ec)
        check_url(u, input);
    else if (ec != http::error::invalid_url && ec != http::error::unsupported_scheme)
        fail("parse_url error other than invalid_url / unsupported_scheme", input);

    static const http::url base = http::parse_url("https://user:pw@api.example.com:8443/v1/a/b?q");
    const http::url resolved = http::resolve_location(base, input, ec);
    if (!ec) {
        check_url(resolved, input);
        if (!resolved.username.empty() || !resolved.password.empty())
            fail("resolved location carries credentials", input);
    }

    check_literals(input);
    check_proxy(input);

    static const http::url targets[] = {http::parse_url("https://api.example.com"),
                                        http::parse_url("http://10.1.2.3:8080"),
                                        http::parse_url("http://[fd00::1]:3128")};
    for (const auto& target : targets)
        static_cast<void>(http::no_proxy_matches(input, target));
    static_cast<void>(http::join_url(input, input));
    return 0;
}
