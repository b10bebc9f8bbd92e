#include <imagine/http/proxy.hpp>

// http::proxy_settings: parse_proxy (valid, invalid, credentials decoded, redacted text),
// no_proxy matching with curl's rules, proxy_from_environment with the environment set
// and restored around every test, and the Proxy-Authorization value.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace {

namespace http = imagine::http;
using http::error;

struct proxy_case {
    std::string_view text{};
    std::string_view host{};
    std::uint16_t port = 0;
    std::string_view username{};
    std::string_view password{};
};

const proxy_case valid_proxies[] = {
    {"http://proxy.local:3128", "proxy.local", 3128, "", ""},
    {"http://proxy.local:3128/", "proxy.local", 3128, "", ""},
    {"HTTP://Proxy.Local", "proxy.local", 80, "", ""},
    {"proxy.local:8080", "proxy.local", 8080, "", ""},
    {"proxy.local", "proxy.local", 80, "", ""},
    {"10.1.2.3:3128", "10.1.2.3", 3128, "", ""},
    {"[::1]:3128", "::1", 3128, "", ""},
    {"http://[fd00::1]", "fd00::1", 80, "", ""},
    {"http://user:pass@proxy:3128", "proxy", 3128, "user", "pass"},
    {"user:pass@proxy:3128", "proxy", 3128, "user", "pass"},
    {"http://user@proxy", "proxy", 80, "user", ""},
    {"http://d%C3%B6m%5Cuser:p%40ss%3Aw%2Frd%25@proxy:1", "proxy", 1, "d\xc3\xb6m\\user",
     "p@ss:w/rd%"},
    {"http://u:a:b@proxy", "proxy", 80, "u", "a:b"},
};

TEST(HttpProxy, ParsesValidSettings)
{
    for (const auto& c : valid_proxies) {
        SCOPED_TRACE(std::string(c.text));
        std::error_code ec = error::bad_chunk;
        const http::proxy_settings p = http::parse_proxy(c.text, ec);
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_EQ(p.address.scheme, "http");
        EXPECT_EQ(p.address.host, c.host);
        EXPECT_EQ(p.address.port, c.port);
        EXPECT_EQ(p.address.target, "/");
        EXPECT_EQ(p.username, c.username);
        EXPECT_EQ(p.password, c.password);
        // Credentials moved out of the address.
        EXPECT_TRUE(p.address.username.empty());
        EXPECT_TRUE(p.address.password.empty());
    }
}

TEST(HttpProxy, RejectsInvalidSettings)
{
    for (std::string_view text : {"",
                                  "https://proxy:443",
                                  "HTTPS://proxy",
                                  "socks5://proxy:1080",
                                  "socks5h://proxy",
                                  "socks4://proxy",
                                  "ftp://proxy",
                                  "http://",
                                  "http://proxy:3128/path",
                                  "http://proxy/x",
                                  "http://proxy?x=1",
                                  "http://proxy/?x",
                                  "http://proxy#frag",
                                  "http://proxy:0",
                                  "http://proxy:65536",
                                  "http://pro xy",
                                  " http://proxy",
                                  "http://proxy\n",
                                  "proxy:port",
                                  "http://u%3Ab:pass@proxy",
                                  "http://u%zz@proxy",
                                  "://proxy",
                                  "http:proxy:3128",
                                  "[::1",
                                  "http://a@b@proxy"}) {
        SCOPED_TRACE(std::string(text));
        std::error_code ec;
        const http::proxy_settings p = http::parse_proxy(text, ec);
        EXPECT_EQ(ec, error::invalid_proxy);
        EXPECT_TRUE(p.address.host.empty());
        EXPECT_TRUE(p.username.empty());
        EXPECT_TRUE(p.password.empty());
    }
}

TEST(HttpProxy, ToStringIsRedacted)
{
    std::error_code ec;
    EXPECT_EQ(http::parse_proxy("http://proxy:3128", ec).to_string(), "http://proxy:3128");
    EXPECT_EQ(http::parse_proxy("proxy", ec).to_string(), "http://proxy:80");
    EXPECT_EQ(http::parse_proxy("http://[::1]:8", ec).to_string(), "http://[::1]:8");
    EXPECT_EQ(http::parse_proxy("http://alice:hunter2@proxy:3128", ec).to_string(),
              "http://alice:***@proxy:3128");
    EXPECT_EQ(http::parse_proxy("http://alice@proxy:3128", ec).to_string(),
              "http://alice:***@proxy:3128");
    EXPECT_EQ(http::parse_proxy("http://:hunter2@proxy:3128", ec).to_string(),
              "http://:***@proxy:3128");
    EXPECT_EQ(http::parse_proxy("http://a%40b%20c:x@proxy", ec).to_string(),
              "http://a%40b%20c:***@proxy:80");
    const http::proxy_settings p = http::parse_proxy("http://bob:s3cr%3At@proxy:1", ec);
    ASSERT_FALSE(ec);
    EXPECT_EQ(p.to_string().find("s3cr"), std::string::npos);
    EXPECT_EQ(p.address.to_string().find("bob"), std::string::npos);
}

TEST(HttpProxy, ErrorsDoNotCarryCredentials)
{
    std::error_code ec;
    static_cast<void>(http::parse_proxy("https://alice:hunter2@proxy", ec));
    ASSERT_EQ(ec, error::invalid_proxy);
    EXPECT_EQ(ec.message().find("hunter2"), std::string::npos);
    EXPECT_EQ(ec.message().find("alice"), std::string::npos);
}

TEST(HttpProxy, ProxyAuthorization)
{
    std::error_code ec;
    EXPECT_EQ(http::proxy_authorization(http::parse_proxy("http://proxy", ec)), "");
    EXPECT_EQ(http::proxy_authorization(http::parse_proxy("http://:pw@proxy", ec)), "");
    // RFC 7617 section 2 example.
    EXPECT_EQ(http::proxy_authorization(http::parse_proxy("http://Aladdin:open%20sesame@p", ec)),
              "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    EXPECT_EQ(http::proxy_authorization(http::parse_proxy("http://user@p", ec)), "Basic dXNlcjo=");
    http::proxy_settings manual;
    manual.username = "u";
    manual.password = "p:w";
    EXPECT_EQ(http::proxy_authorization(manual), "Basic dTpwOnc=");
}

struct no_proxy_case {
    std::string_view no_proxy{};
    std::string_view target{};
    bool matches = false;
};

const no_proxy_case no_proxy_cases[] = {
    {"", "https://example.com", false},
    {"*", "https://example.com", true},
    {"*", "http://[::1]:8080", true},
    {"other.org, *", "https://example.com", true},
    {"example.com", "https://example.com", true},
    {"example.com", "https://api.example.com", true},
    {"example.com", "https://a.b.example.com", true},
    {"example.com", "https://notexample.com", false},
    {"example.com", "https://example.com.evil.org", false},
    {"example.com", "https://example.co", false},
    {".example.com", "https://example.com", true},
    {".example.com", "https://api.example.com", true},
    {".example.com", "https://badexample.com", false},
    {"*.example.com", "https://api.example.com", true},
    {"example.com.", "https://example.com", true},
    {"EXAMPLE.Com", "https://api.example.COM", true},
    {"com", "https://example.com", true},
    {"api.example.com", "https://example.com", false},
    {"foo.org,example.com", "https://example.com", true},
    {"foo.org , example.com", "https://example.com", true},
    {"foo.org example.com", "https://example.com", true},
    {"foo.org\texample.com", "https://example.com", true},
    {",,foo.org,,", "https://example.com", false},
    {"localhost", "http://localhost:8080", true},
    {"localhost", "http://127.0.0.1", false}, // names are never resolved
    {"127.0.0.1", "http://localhost", false},
    {"127.0.0.1", "http://127.0.0.1:9", true},
    {"127.0.0.1", "http://127.0.0.10", false},
    {"0.0.1", "http://127.0.0.1", false}, // no suffix matching for addresses
    {"10.0.0.0/8", "http://10.20.30.40", true},
    {"10.0.0.0/8", "http://11.0.0.1", false},
    {"192.168.1.0/24", "http://192.168.1.255", true},
    {"192.168.1.0/24", "http://192.168.2.1", false},
    {"192.168.1.128/25", "http://192.168.1.127", false},
    {"192.168.1.128/25", "http://192.168.1.128", true},
    {"0.0.0.0/0", "http://8.8.8.8", true},
    {"1.2.3.4/32", "http://1.2.3.4", true},
    {"1.2.3.4/32", "http://1.2.3.5", false},
    {"1.2.3.4/33", "http://1.2.3.4", false},
    {"1.2.3.4/", "http://1.2.3.4", false},
    {"1.2.3.4/x", "http://1.2.3.4", false},
    {"10.0.0.0/8", "http://ten.example", false},
    {"::1", "http://[::1]", true},
    {"[::1]", "http://[::1]", true},
    {"::1", "http://[0:0::1]:8080", true},
    {"::1", "http://[::2]", false},
    {"::1", "http://1.2.3.4", false},
    {"::1/128", "http://[::1]", true},
    {"[::1]/128", "http://[::1]", true},
    {"fd00::/8", "http://[fdab::1]", true},
    {"fd00::/8", "http://[fe80::1]", false},
    {"fe80::/10", "http://[febf::1]", true},
    {"fe80::/10", "http://[fec0::1]", false},
    {"::/0", "http://[2001:db8::1]", true},
    {"::/0", "http://1.2.3.4", false},
    {"::ffff:0:0/96", "http://1.2.3.4", false}, // families stay apart
    {"::1/129", "http://[::1]", false},
    {"2001:DB8::1", "http://[2001:db8::1]", true},
    {"example.com:8080", "http://example.com:8080", true},
    {"example.com:8080", "http://example.com", false},
    {"example.com:443", "https://api.example.com", true},
    {"example.com:443", "http://api.example.com", false},
    {"127.0.0.1:8080", "http://127.0.0.1:8080", true},
    {"127.0.0.1:8080", "http://127.0.0.1:8081", false},
    {"[::1]:8080", "http://[::1]:8080", true},
    {"[::1]:8080", "http://[::1]:80", false},
    {"example.com:", "http://example.com", false},
    {"example.com:x", "http://example.com", false},
    {"example.com:99999", "http://example.com", false},
    {"[::1", "http://[::1]", false},
    {"[::1]x", "http://[::1]", false},
    {".", "http://example.com", false},
    {"*.", "http://example.com", false},
    {"**", "http://example.com", false},
};

TEST(HttpProxy, NoProxyMatchesAsCurlDoes)
{
    for (const auto& c : no_proxy_cases) {
        SCOPED_TRACE("no_proxy \"" + std::string(c.no_proxy) + "\", target " +
                     std::string(c.target));
        EXPECT_EQ(http::no_proxy_matches(c.no_proxy, http::parse_url(c.target)), c.matches);
    }
}

// Sets variables for one test and puts the previous environment back afterwards.
class HttpProxyEnvironment : public ::testing::Test {
protected:
    static constexpr const char* names[] = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                                            "HTTPS_PROXY", "all_proxy",  "ALL_PROXY",
                                            "no_proxy",    "NO_PROXY"};

    void SetUp() override
    {
        for (const char* name : names) {
            if (const char* value = std::getenv(name))
                saved_[name] = value;
            ::unsetenv(name);
        }
    }

    void TearDown() override
    {
        for (const char* name : names) {
            const auto it = saved_.find(name);
            if (it == saved_.end())
                ::unsetenv(name);
            else
                ::setenv(name, it->second.c_str(), 1);
        }
    }

    static void set(const char* name, const char* value) { ::setenv(name, value, 1); }

    static std::optional<http::proxy_settings> from_env(std::string_view target,
                                                        std::error_code& ec)
    {
        ec = error::bad_chunk; // must be overwritten
        return http::proxy_from_environment(http::parse_url(target), ec);
    }

    std::map<std::string, std::string> saved_{};
};

TEST_F(HttpProxyEnvironment, NothingSet)
{
    std::error_code ec;
    EXPECT_FALSE(from_env("https://api.openai.com", ec));
    EXPECT_FALSE(ec);
    EXPECT_FALSE(from_env("http://example.com", ec));
    EXPECT_FALSE(ec);
}

TEST_F(HttpProxyEnvironment, HttpsTargetsReadHttpsProxyThenUpperCase)
{
    std::error_code ec;
    set("HTTPS_PROXY", "http://upper:3128");
    auto p = from_env("https://api.openai.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "upper");
    set("https_proxy", "http://lower:3128");
    p = from_env("https://api.openai.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "lower");
    set("https_proxy", ""); // empty counts as unset
    p = from_env("https://api.openai.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "upper");
    // http_proxy is not for https targets.
    ::unsetenv("https_proxy");
    ::unsetenv("HTTPS_PROXY");
    set("http_proxy", "http://plain:3128");
    EXPECT_FALSE(from_env("https://api.openai.com", ec));
    EXPECT_FALSE(ec);
}

TEST_F(HttpProxyEnvironment, HttpTargetsReadOnlyLowerCaseHttpProxy)
{
    std::error_code ec;
    set("HTTP_PROXY", "http://httpoxy:3128"); // a CGI request's "Proxy:" header
    EXPECT_FALSE(from_env("http://example.com", ec));
    EXPECT_FALSE(ec);
    set("http_proxy", "http://lower:8080");
    const auto p = from_env("http://example.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "lower");
    EXPECT_EQ(p->address.port, 8080);
    // https_proxy is not for http targets.
    ::unsetenv("http_proxy");
    set("https_proxy", "http://secure:3128");
    EXPECT_FALSE(from_env("http://example.com", ec));
}

TEST_F(HttpProxyEnvironment, AllProxyIsTheFallback)
{
    std::error_code ec;
    set("ALL_PROXY", "http://all-upper:1");
    auto p = from_env("http://example.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "all-upper");
    set("all_proxy", "http://all-lower:1");
    p = from_env("https://example.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "all-lower");
    set("https_proxy", "http://specific:1");
    p = from_env("https://example.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "specific");
    p = from_env("http://example.com", ec);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->address.host, "all-lower");
}

TEST_F(HttpProxyEnvironment, NoProxyThenUpperCase)
{
    std::error_code ec;
    set("https_proxy", "http://proxy:3128");
    set("NO_PROXY", "internal.example, 10.0.0.0/8");
    EXPECT_FALSE(from_env("https://api.internal.example", ec));
    EXPECT_FALSE(ec);
    EXPECT_FALSE(from_env("https://10.1.1.1", ec));
    EXPECT_TRUE(from_env("https://api.openai.com", ec));
    set("no_proxy", "openai.com"); // the lower-case variable wins
    EXPECT_FALSE(from_env("https://api.openai.com", ec));
    EXPECT_TRUE(from_env("https://api.internal.example", ec));
    set("no_proxy", "*");
    EXPECT_FALSE(from_env("https://anything.example", ec));
    EXPECT_FALSE(ec);
}

TEST_F(HttpProxyEnvironment, CredentialsAndInvalidValues)
{
    std::error_code ec;
    set("https_proxy", "http://al%40ice:pa%3Ass@proxy:3128");
    const auto p = from_env("https://api.openai.com", ec);
    ASSERT_TRUE(p);
    EXPECT_FALSE(ec);
    EXPECT_EQ(p->username, "al@ice");
    EXPECT_EQ(p->password, "pa:ss");
    EXPECT_EQ(p->to_string(), "http://al%40ice:***@proxy:3128");

    set("https_proxy", "socks5://alice:hunter2@proxy:1080");
    EXPECT_FALSE(from_env("https://api.openai.com", ec));
    EXPECT_EQ(ec, error::invalid_proxy);
    EXPECT_EQ(ec.message().find("hunter2"), std::string::npos);
    set("https_proxy", "https://proxy:443");
    EXPECT_FALSE(from_env("https://api.openai.com", ec));
    EXPECT_EQ(ec, error::invalid_proxy);
    // An unusable value does not matter when no_proxy excludes the target.
    set("no_proxy", "openai.com");
    EXPECT_FALSE(from_env("https://api.openai.com", ec));
    EXPECT_FALSE(ec);
}

} // namespace
