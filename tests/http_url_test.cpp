#include <imagine/http/url.hpp>

// http::url: every field of valid URLs, the exact error for invalid ones, the derived
// strings (Host header, CONNECT authority, pool origin, redacted text), join_url and
// redirect resolution; the IPv4/IPv6 literal parsers against the C library's inet_pton.

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace http = imagine::http;
using http::error;

struct valid_case {
    std::string_view text{};
    std::string_view scheme{};
    std::string_view username{};
    std::string_view password{};
    std::string_view host{};
    std::uint16_t port = 0;
    std::string_view target{};
};

const valid_case valid_urls[] = {
    {"http://example.com", "http", "", "", "example.com", 80, "/"},
    {"https://example.com", "https", "", "", "example.com", 443, "/"},
    {"https://example.com/", "https", "", "", "example.com", 443, "/"},
    {"HTTPS://Example.COM/Path/To", "https", "", "", "example.com", 443, "/Path/To"},
    {"HtTp://EXAMPLE.com:8080", "http", "", "", "example.com", 8080, "/"},
    {"https://api.openai.com/v1/images/generations", "https", "", "", "api.openai.com", 443,
     "/v1/images/generations"},
    {"https://example.com:443/x", "https", "", "", "example.com", 443, "/x"},
    {"https://example.com:80/x", "https", "", "", "example.com", 80, "/x"},
    {"http://example.com:65535", "http", "", "", "example.com", 65535, "/"},
    {"http://example.com:1/", "http", "", "", "example.com", 1, "/"},
    {"http://example.com:00080/", "http", "", "", "example.com", 80, "/"},
    {"https://example.com?x=1", "https", "", "", "example.com", 443, "/?x=1"},
    {"https://example.com/a?b=c&d=%20e", "https", "", "", "example.com", 443, "/a?b=c&d=%20e"},
    {"https://example.com/a?b=c#frag", "https", "", "", "example.com", 443, "/a?b=c"},
    {"https://example.com#frag", "https", "", "", "example.com", 443, "/"},
    {"https://example.com/a#x?y", "https", "", "", "example.com", 443, "/a"},
    {"https://example.com/%7Euser/a%2Fb", "https", "", "", "example.com", 443, "/%7Euser/a%2Fb"},
    {"https://example.com/a/../b/./c", "https", "", "", "example.com", 443, "/a/../b/./c"},
    {"https://example.com/a@b:c", "https", "", "", "example.com", 443, "/a@b:c"},
    {"https://example.com//double", "https", "", "", "example.com", 443, "//double"},
    {"http://127.0.0.1:8080/x", "http", "", "", "127.0.0.1", 8080, "/x"},
    {"http://0.0.0.0", "http", "", "", "0.0.0.0", 80, "/"},
    {"http://255.255.255.255", "http", "", "", "255.255.255.255", 80, "/"},
    {"http://1.2.3.4./", "http", "", "", "1.2.3.4", 80, "/"},
    {"http://[::1]", "http", "", "", "::1", 80, "/"},
    {"http://[::1]:8443/p", "http", "", "", "::1", 8443, "/p"},
    {"https://[2001:DB8::A]/", "https", "", "", "2001:db8::a", 443, "/"},
    {"https://[::ffff:192.0.2.1]:9/", "https", "", "", "::ffff:192.0.2.1", 9, "/"},
    {"https://[1:2:3:4:5:6:7:8]", "https", "", "", "1:2:3:4:5:6:7:8", 443, "/"},
    {"http://user:pass@proxy:3128", "http", "user", "pass", "proxy", 3128, "/"},
    {"http://user@proxy", "http", "user", "", "proxy", 80, "/"},
    {"http://user:@proxy", "http", "user", "", "proxy", 80, "/"},
    {"http://:secret@proxy", "http", "", "secret", "proxy", 80, "/"},
    {"http://us%40er:p%3Aa%2Fss%25@proxy/", "http", "us@er", "p:a/ss%", "proxy", 80, "/"},
    {"http://u:p:q@proxy", "http", "u", "p:q", "proxy", 80, "/"},
    {"http://a!$&'()*+,;=~:b@[::1]:1/", "http", "a!$&'()*+,;=~", "b", "::1", 1, "/"},
    {"https://example.com./", "https", "", "", "example.com", 443, "/"},
    {"http://my_service:8000/", "http", "", "", "my_service", 8000, "/"},
    {"http://localhost", "http", "", "", "localhost", 80, "/"},
    {"http://a-b.c-d.e", "http", "", "", "a-b.c-d.e", 80, "/"},
    {"http://123abc.example/", "http", "", "", "123abc.example", 80, "/"},
    {"http://example.123x/", "http", "", "", "example.123x", 80, "/"},
    {"http://example.0xg/", "http", "", "", "example.0xg", 80, "/"},
    {"https://x.com/a{b}|c^d`e\\f\"g<h>", "https", "", "", "x.com", 443, "/a{b}|c^d`e\\f\"g<h>"},
};

TEST(HttpUrl, ParsesValidUrlsIntoEveryField)
{
    for (const auto& c : valid_urls) {
        SCOPED_TRACE(std::string(c.text));
        std::error_code ec = error::bad_chunk; // must be cleared
        const http::url u = http::parse_url(c.text, ec);
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_EQ(u.scheme, c.scheme);
        EXPECT_EQ(u.username, c.username);
        EXPECT_EQ(u.password, c.password);
        EXPECT_EQ(u.host, c.host);
        EXPECT_EQ(u.port, c.port);
        EXPECT_EQ(u.target, c.target);
        EXPECT_EQ(http::parse_url(c.text), u); // the throwing overload agrees
    }
}

struct invalid_case {
    std::string_view text{};
    error expected{};
};

const invalid_case invalid_urls[] = {
    {"", error::invalid_url},
    {"example.com", error::invalid_url},
    {"example.com/path", error::invalid_url},
    {"/just/a/path", error::invalid_url},
    {"://example.com", error::invalid_url},
    {"1http://example.com", error::invalid_url},
    {"ftp://example.com", error::unsupported_scheme},
    {"ws://example.com", error::unsupported_scheme},
    {"httpx://example.com", error::unsupported_scheme},
    {"socks5://proxy:1080", error::unsupported_scheme},
    {"file:///etc/passwd", error::unsupported_scheme},
    {"localhost:8080", error::unsupported_scheme}, // "localhost" is a scheme here
    {"http:example.com", error::invalid_url},
    {"http:/example.com", error::invalid_url},
    {"http://", error::invalid_url},
    {"http:///path", error::invalid_url},
    {"http://?q", error::invalid_url},
    {" http://example.com", error::invalid_url},
    {"http://example.com ", error::invalid_url},
    {"http://exa mple.com", error::invalid_url},
    {"http://example.com/a b", error::invalid_url},
    {"http://example.com/a\tb", error::invalid_url},
    {"http://example.com/a\r\nHost: evil", error::invalid_url},
    {"http://example.com/\x7f", error::invalid_url},
    {"http://example.com/caf\xc3\xa9", error::invalid_url},
    {"http://example.com/#fr ag", error::invalid_url},
    {"http://ex\xc3\xa4mple.com/", error::invalid_url},
    {"http://example..com", error::invalid_url},
    {".example.com", error::invalid_url},
    {"http://.example.com", error::invalid_url},
    {"http://example.com..", error::invalid_url},
    {"http://.", error::invalid_url},
    {"http://exa%6Dple.com", error::invalid_url},
    {"http://exa!mple.com", error::invalid_url},
    {"http://example.com\\evil.com", error::invalid_url},
    {"http://a.b.c.d.1", error::invalid_url}, // ends in a number
    {"http://1.2.3", error::invalid_url},
    {"http://1.2.3.4.5", error::invalid_url},
    {"http://01.2.3.4", error::invalid_url},
    {"http://1.2.3.04", error::invalid_url},
    {"http://256.1.1.1", error::invalid_url},
    {"http://1.2.3.1000", error::invalid_url},
    {"http://2130706433", error::invalid_url},
    {"http://0x7f.0.0.1", error::invalid_url},
    {"http://127.0x1", error::invalid_url},
    {"http://1..2.3", error::invalid_url},
    {"http://[::1", error::invalid_url},
    {"http://::1/", error::invalid_url},
    {"http://[::1]x/", error::invalid_url},
    {"http://[::1]:/", error::invalid_url},
    {"http://[]/", error::invalid_url},
    {"http://[1.2.3.4]/", error::invalid_url},
    {"http://[::1%25eth0]/", error::invalid_url},
    {"http://[fe80::1%eth0]/", error::invalid_url},
    {"http://[1:2:3:4:5:6:7:8:9]/", error::invalid_url},
    {"http://[1::2::3]/", error::invalid_url},
    {"http://[12345::]/", error::invalid_url},
    {"http://[g::]/", error::invalid_url},
    {"http://[v1.x]/", error::invalid_url},
    {"http://example.com:", error::invalid_url},
    {"http://example.com:/", error::invalid_url},
    {"http://example.com:0", error::invalid_url},
    {"http://example.com:65536", error::invalid_url},
    {"http://example.com:99999999999999999999", error::invalid_url},
    {"http://example.com:-1", error::invalid_url},
    {"http://example.com:+80", error::invalid_url},
    {"http://example.com:8a", error::invalid_url},
    {"http://example.com:80:80", error::invalid_url},
    {"http://u@v@example.com", error::invalid_url},
    {"http://us er@example.com", error::invalid_url},
    {"http://u%zz@example.com", error::invalid_url},
    {"http://u:p%2@example.com", error::invalid_url},
    {"http://u:p%@example.com", error::invalid_url},
    {"http://u\"@example.com", error::invalid_url},
    {"http://user:pass@", error::invalid_url},
};

TEST(HttpUrl, RejectsInvalidUrlsWithTheExactError)
{
    for (const auto& c : invalid_urls) {
        SCOPED_TRACE(std::string(c.text));
        std::error_code ec;
        const http::url u = http::parse_url(c.text, ec);
        EXPECT_EQ(ec, http::make_error_code(c.expected)) << ec.message();
        EXPECT_EQ(u, http::url{}); // nothing half-parsed
        EXPECT_THROW(static_cast<void>(http::parse_url(c.text)), std::system_error);
    }
}

TEST(HttpUrl, HostNameLengthLimits)
{
    const std::string label63(63, 'a');
    std::error_code ec;
    static_cast<void>(http::parse_url("http://" + label63 + ".com/", ec));
    EXPECT_FALSE(ec);
    static_cast<void>(http::parse_url("http://" + label63 + "a.com/", ec));
    EXPECT_EQ(ec, error::invalid_url);

    std::string name; // 3 * 63 + 61 + 3 dots = 253 characters
    for (int i = 0; i < 4; ++i)
        name += (i ? "." : "") + std::string(i == 3 ? 61 : 63, 'b');
    ASSERT_EQ(name.size(), 253u);
    static_cast<void>(http::parse_url("http://" + name, ec));
    EXPECT_FALSE(ec);
    static_cast<void>(http::parse_url("http://" + name + "./", ec)); // trailing dot removed
    EXPECT_FALSE(ec);
    static_cast<void>(http::parse_url("http://" + name + "b", ec));
    EXPECT_EQ(ec, error::invalid_url);
}

TEST(HttpUrl, ThrowingParseDoesNotLeakThePassword)
{
    try {
        static_cast<void>(http::parse_url("http://user:hunter2@exa mple.com/?key=sk-secret"));
        FAIL() << "no exception";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), error::invalid_url);
        const std::string what = e.what();
        EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
        EXPECT_EQ(what.find("sk-secret"), std::string::npos) << what;
        EXPECT_EQ(what.find("user"), std::string::npos) << what;
    }
}

TEST(HttpUrl, Predicates)
{
    EXPECT_TRUE(http::parse_url("https://a.b").is_https());
    EXPECT_FALSE(http::parse_url("http://a.b").is_https());
    EXPECT_TRUE(http::parse_url("http://[::1]").is_ipv6());
    EXPECT_TRUE(http::parse_url("http://[::1]").is_ip());
    EXPECT_FALSE(http::parse_url("http://1.2.3.4").is_ipv6());
    EXPECT_TRUE(http::parse_url("http://1.2.3.4").is_ip());
    EXPECT_FALSE(http::parse_url("http://a.b").is_ip());
    EXPECT_FALSE(http::parse_url("http://a.b").is_ipv6());
    EXPECT_TRUE(http::parse_url("https://a.b:443").has_default_port());
    EXPECT_FALSE(http::parse_url("https://a.b:80").has_default_port());
    EXPECT_TRUE(http::parse_url("http://a.b").has_default_port());
    EXPECT_FALSE(http::parse_url("http://a.b:443").has_default_port());
}

struct derived_case {
    std::string_view text{};
    std::string_view host_header{};
    std::string_view authority{};
    std::string_view origin{};
    std::string_view to_string{};
};

const derived_case derived[] = {
    {"https://Example.com", "example.com", "example.com:443", "https://example.com:443",
     "https://example.com/"},
    {"https://example.com:8443/a?b#c", "example.com:8443", "example.com:8443",
     "https://example.com:8443", "https://example.com:8443/a?b"},
    {"http://example.com:80/", "example.com", "example.com:80", "http://example.com:80",
     "http://example.com/"},
    {"http://example.com:443/", "example.com:443", "example.com:443", "http://example.com:443",
     "http://example.com:443/"},
    {"https://[::1]:8443/x", "[::1]:8443", "[::1]:8443", "https://[::1]:8443",
     "https://[::1]:8443/x"},
    {"https://[::1]/x", "[::1]", "[::1]:443", "https://[::1]:443", "https://[::1]/x"},
    {"http://10.0.0.1:3128", "10.0.0.1:3128", "10.0.0.1:3128", "http://10.0.0.1:3128",
     "http://10.0.0.1:3128/"},
    {"http://user:hunter2@proxy:3128/", "proxy:3128", "proxy:3128", "http://proxy:3128",
     "http://proxy:3128/"},
};

TEST(HttpUrl, DerivedStrings)
{
    for (const auto& c : derived) {
        SCOPED_TRACE(std::string(c.text));
        const http::url u = http::parse_url(c.text);
        EXPECT_EQ(u.host_header(), c.host_header);
        EXPECT_EQ(u.authority(), c.authority);
        EXPECT_EQ(u.origin(), c.origin);
        EXPECT_EQ(u.to_string(), c.to_string);
    }
}

TEST(HttpUrl, ToStringNeverShowsCredentialsAndReparses)
{
    for (const auto& c : valid_urls) {
        SCOPED_TRACE(std::string(c.text));
        http::url u = http::parse_url(c.text);
        const std::string text = u.to_string();
        if (!u.password.empty()) {
            EXPECT_EQ(text.find(u.password), std::string::npos);
        }
        const std::size_t authority_at = text.find("://") + 3;
        const std::string authority =
            text.substr(authority_at, text.find('/', authority_at) - authority_at);
        EXPECT_EQ(authority.find('@'), std::string::npos) << text;
        std::error_code ec;
        const http::url again = http::parse_url(text, ec);
        ASSERT_FALSE(ec) << text;
        u.username.clear();
        u.password.clear();
        EXPECT_EQ(again, u);
    }
}

TEST(HttpUrl, JoinUrl)
{
    EXPECT_EQ(http::join_url("https://api.openai.com/v1", "/images/generations"),
              "https://api.openai.com/v1/images/generations");
    EXPECT_EQ(http::join_url("https://api.openai.com/v1/", "/images/generations"),
              "https://api.openai.com/v1/images/generations");
    EXPECT_EQ(http::join_url("https://api.openai.com/v1", "images/generations"),
              "https://api.openai.com/v1/images/generations");
    EXPECT_EQ(http::join_url("https://api.openai.com/v1/", "images/generations"),
              "https://api.openai.com/v1/images/generations");
    EXPECT_EQ(http::join_url("https://api.openai.com/v1//", "//images"),
              "https://api.openai.com/v1/images");
    EXPECT_EQ(http::join_url("https://h/v1", "files?purpose=vision&limit=2"),
              "https://h/v1/files?purpose=vision&limit=2");
    EXPECT_EQ(http::join_url("https://h", "/v1/models"), "https://h/v1/models");
    EXPECT_EQ(http::join_url("https://h/", "v1/"), "https://h/v1/");
    EXPECT_EQ(http::join_url("https://h/v1", "?a=b"), "https://h/v1?a=b");
    EXPECT_EQ(http::join_url("https://h/v1/", ""), "https://h/v1/");
    // The result parses to the expected target.
    EXPECT_EQ(http::parse_url(http::join_url("https://h:8443/v1/", "/images/edits")).target,
              "/v1/images/edits");
}

struct location_case {
    std::string_view base{};
    std::string_view location{};
    std::string_view expected{}; // to_string() of the result
};

const location_case locations[] = {
    // absolute URLs, whatever the base
    {"https://a.com/x/y", "https://b.com/z?q", "https://b.com/z?q"},
    {"https://a.com/x/y", "HTTP://B.COM:8080", "http://b.com:8080/"},
    {"https://a.com/x/y", "https://b.com/a/../c/./d#frag", "https://b.com/c/d"},
    {"https://a.com/x/y", "https://user:pw@b.com/", "https://b.com/"},
    // network-path references take the base scheme
    {"https://a.com/x/y", "//b.com/z", "https://b.com/z"},
    {"http://a.com/x/y", "//b.com:81", "http://b.com:81/"},
    // absolute paths keep host and port
    {"https://a.com:8443/x/y?old", "/new/path?q=1", "https://a.com:8443/new/path?q=1"},
    {"https://a.com/x/y", "/", "https://a.com/"},
    {"https://a.com/x/y", "/a/b/../c", "https://a.com/a/c"},
    {"https://a.com/x/y", "/..", "https://a.com/"},
    {"https://a.com/x/y", "/../../z", "https://a.com/z"},
    // query only / fragment only
    {"https://a.com/x/y?old", "?new", "https://a.com/x/y?new"},
    {"https://a.com/x/y?old", "#frag", "https://a.com/x/y?old"},
    // relative paths merge with the base path (RFC 3986 section 5.4.1 examples)
    {"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
    {"http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y"},
    {"http://a/b/c/d;p?q", "g#s", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "g?y#s", "http://a/b/c/g?y"},
    {"http://a/b/c/d;p?q", ";x", "http://a/b/c/;x"},
    {"http://a/b/c/d;p?q", "g;x?y#s", "http://a/b/c/g;x?y"},
    {"http://a/b/c/d;p?q", ".", "http://a/b/c/"},
    {"http://a/b/c/d;p?q", "./", "http://a/b/c/"},
    {"http://a/b/c/d;p?q", "..", "http://a/b/"},
    {"http://a/b/c/d;p?q", "../", "http://a/b/"},
    {"http://a/b/c/d;p?q", "../g", "http://a/b/g"},
    {"http://a/b/c/d;p?q", "../..", "http://a/"},
    {"http://a/b/c/d;p?q", "../../", "http://a/"},
    {"http://a/b/c/d;p?q", "../../g", "http://a/g"},
    {"http://a/b/c/d;p?q", "../../../g", "http://a/g"},
    {"http://a/b/c/d;p?q", "../../../../g", "http://a/g"},
    {"http://a/b/c/d;p?q", "/./g", "http://a/g"},
    {"http://a/b/c/d;p?q", "/../g", "http://a/g"},
    {"http://a/b/c/d;p?q", "g.", "http://a/b/c/g."},
    {"http://a/b/c/d;p?q", ".g", "http://a/b/c/.g"},
    {"http://a/b/c/d;p?q", "g..", "http://a/b/c/g.."},
    {"http://a/b/c/d;p?q", "..g", "http://a/b/c/..g"},
    {"http://a/b/c/d;p?q", "./../g", "http://a/b/g"},
    {"http://a/b/c/d;p?q", "./g/.", "http://a/b/c/g/"},
    {"http://a/b/c/d;p?q", "g/./h", "http://a/b/c/g/h"},
    {"http://a/b/c/d;p?q", "g/../h", "http://a/b/c/h"},
    {"http://a/b/c/d;p?q", "g;x=1/./y", "http://a/b/c/g;x=1/y"},
    {"http://a/b/c/d;p?q", "g;x=1/../y", "http://a/b/c/y"},
    {"http://a/b/c/d;p?q", "g?y/./x", "http://a/b/c/g?y/./x"},
    {"http://a/b/c/d;p?q", "g#s/../x", "http://a/b/c/g"},
    {"https://a.com/", "images/1.png", "https://a.com/images/1.png"},
    {"https://a.com", "x", "https://a.com/x"},
    {"https://[::1]:8443/a/b", "c", "https://[::1]:8443/a/c"},
};

TEST(HttpUrl, ResolveLocation)
{
    for (const auto& c : locations) {
        SCOPED_TRACE(std::string(c.base) + " + " + std::string(c.location));
        std::error_code ec = error::bad_chunk;
        const http::url u = http::resolve_location(http::parse_url(c.base), c.location, ec);
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_EQ(u.to_string(), c.expected);
        EXPECT_TRUE(u.username.empty());
        EXPECT_TRUE(u.password.empty());
    }
}

TEST(HttpUrl, ResolveLocationDropsTheBaseCredentials)
{
    const http::url base = http::parse_url("http://user:pw@a.com:81/x/y");
    for (std::string_view location : {"z", "/z", "?q", "#f", "//a.com:81/z"}) {
        std::error_code ec;
        const http::url u = http::resolve_location(base, location, ec);
        ASSERT_FALSE(ec) << location;
        EXPECT_EQ(u.host, "a.com");
        EXPECT_EQ(u.port, 81);
        EXPECT_TRUE(u.username.empty()) << location;
        EXPECT_TRUE(u.password.empty()) << location;
    }
}

TEST(HttpUrl, ResolveLocationErrors)
{
    const http::url base = http::parse_url("https://a.com/x");
    const std::pair<std::string_view, error> cases[] = {
        {"", error::invalid_url},
        {"ftp://b.com/", error::unsupported_scheme},
        {"javascript:alert(1)", error::unsupported_scheme},
        {"g:h", error::unsupported_scheme}, // RFC 3986: a URI with scheme "g"
        {"https:b.com", error::invalid_url},
        {"https://b c.com/", error::invalid_url},
        {"//", error::invalid_url},
        {"//b.com:0/", error::invalid_url},
        {"/a b", error::invalid_url},
        {"x\r\nSet-Cookie: a=b", error::invalid_url},
        {"/caf\xc3\xa9", error::invalid_url},
    };
    for (const auto& [location, expected] : cases) {
        SCOPED_TRACE(std::string(location));
        std::error_code ec;
        const http::url u = http::resolve_location(base, location, ec);
        EXPECT_EQ(ec, expected);
        EXPECT_EQ(u, http::url{});
    }
}

// ---------------------------------------------------------------------------------------
// The literal parsers against inet_pton.

bool libc_ipv6(const std::string& text, std::array<std::uint8_t, 16>& out)
{
    in6_addr a{};
    if (inet_pton(AF_INET6, text.c_str(), &a) != 1)
        return false;
    std::memcpy(out.data(), &a, 16);
    return true;
}

bool libc_ipv4(const std::string& text, std::array<std::uint8_t, 4>& out)
{
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1)
        return false;
    std::memcpy(out.data(), &a, 4);
    return true;
}

void expect_same_as_libc(const std::string& text)
{
    std::array<std::uint8_t, 16> mine6{};
    std::array<std::uint8_t, 16> libc6{};
    const bool ok6 = imagine::http::detail::parse_ipv6(text, mine6);
    ASSERT_EQ(ok6, libc_ipv6(text, libc6)) << "IPv6 \"" << text << "\"";
    if (ok6) {
        EXPECT_EQ(mine6, libc6) << text;
    }
    std::array<std::uint8_t, 4> mine4{};
    std::array<std::uint8_t, 4> libc4{};
    const bool ok4 = imagine::http::detail::parse_ipv4(text, mine4);
    ASSERT_EQ(ok4, libc_ipv4(text, libc4)) << "IPv4 \"" << text << "\"";
    if (ok4) {
        EXPECT_EQ(mine4, libc4) << text;
    }
}

TEST(HttpUrl, LiteralParsersAgreeWithInetPton)
{
    for (const char* text : {"::",
                             "::1",
                             "1::",
                             "1::2",
                             ":1",
                             "1:",
                             ":::",
                             "1:::2",
                             "::1::",
                             "1:2:3:4:5:6:7:8",
                             "1:2:3:4:5:6:7::",
                             "::2:3:4:5:6:7:8",
                             "1:2:3:4:5:6:7:8:9",
                             "1:2:3:4:5:6:7:8::",
                             "::1:2:3:4:5:6:7:8",
                             "1:2:3:4:5:6:7",
                             "ffff::",
                             "FFFF::",
                             "fffff::",
                             "0000::",
                             "00000::",
                             "::1.2.3.4",
                             "::ffff:1.2.3.4",
                             "1:2:3:4:5:6:1.2.3.4",
                             "1:2:3:4:5:6:7:1.2.3.4",
                             "1:2:3:4:5::1.2.3.4",
                             "::1.2.3",
                             "::1.2.3.4.5",
                             "::01.2.3.4",
                             "::256.2.3.4",
                             "1.2.3.4::",
                             "::1.2.3.4:5",
                             "::a1.2.3.4",
                             "",
                             "1.2.3.4",
                             "0.0.0.0",
                             "255.255.255.255",
                             "256.0.0.0",
                             "1.2.3",
                             "1.2.3.",
                             ".1.2.3",
                             "1..2.3",
                             "01.2.3.4",
                             "1.2.3.4.",
                             "1.2.3.4 ",
                             "1.2.3.0004",
                             "1234.1.1.1",
                             "::g",
                             "g::",
                             "1: :2"})
        expect_same_as_libc(text);
}

TEST(HttpUrl, LiteralParsersAgreeWithInetPtonOnRandomStrings)
{
    std::mt19937 rng(12345);
    const std::string_view alphabet = "0123456789abcdefABCDEFg:.";
    for (int i = 0; i < 200000; ++i) {
        std::string text(rng() % 20, ' ');
        for (char& c : text)
            c = alphabet[rng() % alphabet.size()];
        expect_same_as_libc(text);
        if (HasFatalFailure())
            return;
    }
}

} // namespace
