#include <imagine/api/retry.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <system_error>

namespace {

using namespace std::chrono_literals;
using imagine::retry_options;
namespace http = imagine::http;
namespace d = imagine::detail;

http::fields headers(std::initializer_list<std::pair<const char*, const char*>> list)
{
    http::fields f;
    for (auto [n, v] : list)
        f.add(n, v);
    return f;
}

TEST(api_retry, server_delay_prefers_retry_after_ms)
{
    EXPECT_EQ(d::server_retry_delay(headers({{"retry-after-ms", "20"}, {"retry-after", "3"}})),
              20ms);
    EXPECT_EQ(d::server_retry_delay(headers({{"retry-after-ms", "1.5"}})), 2ms); // rounded up
    EXPECT_EQ(d::server_retry_delay(headers({{"retry-after", "3"}})), 3000ms);
    EXPECT_EQ(d::server_retry_delay(headers({{"retry-after", "0.25"}})), 250ms);
    EXPECT_EQ(d::server_retry_delay(headers({{"retry-after-ms", "soon"}, {"retry-after", "2"}})),
              2000ms);
    EXPECT_FALSE(d::server_retry_delay(headers({{"retry-after", "later"}})));
    EXPECT_FALSE(d::server_retry_delay(headers({})));
}

TEST(api_retry, server_delay_http_date)
{
    const auto now =
        std::chrono::system_clock::from_time_t(784111777); // Sun, 06 Nov 1994 08:49:37 GMT
    EXPECT_EQ(
        d::server_retry_delay(headers({{"retry-after", "Sun, 06 Nov 1994 08:49:47 GMT"}}), now),
        10000ms);
    EXPECT_FALSE(
        d::server_retry_delay(headers({{"retry-after", "Sun, 06 Nov 1994 08:49:47 UTC"}}), now));
    EXPECT_FALSE(d::parse_http_date("Sun, 06 Foo 1994 08:49:47 GMT"));
    EXPECT_EQ(d::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
}

TEST(api_retry, statuses_and_x_should_retry)
{
    for (unsigned s : {408u, 409u, 429u, 500u, 502u, 503u, 504u})
        EXPECT_TRUE(d::retryable_status(s, {})) << s;
    for (unsigned s : {400u, 401u, 403u, 404u, 422u})
        EXPECT_FALSE(d::retryable_status(s, {})) << s;
    EXPECT_FALSE(d::retryable_status(503, headers({{"x-should-retry", "false"}})));
    EXPECT_TRUE(d::retryable_status(400, headers({{"x-should-retry", "true"}})));
    EXPECT_TRUE(d::retryable_status(503, headers({{"x-should-retry", "maybe"}})));
}

TEST(api_retry, backoff_doubles_to_the_cap_with_jitter_below)
{
    const retry_options o;
    EXPECT_EQ(d::backoff_delay(0, o, 0.0), 500ms);
    EXPECT_EQ(d::backoff_delay(0, o, 0.999999), 375ms);
    EXPECT_EQ(d::backoff_delay(1, o, 0.0), 1000ms);
    EXPECT_EQ(d::backoff_delay(4, o, 0.0), 8000ms);
    EXPECT_EQ(d::backoff_delay(40, o, 0.0), 8000ms);
    EXPECT_EQ(d::backoff_delay(40, o, 1.0), 6000ms);
}

TEST(api_retry, server_delay_beyond_the_bound_falls_back_to_backoff)
{
    const retry_options o;
    EXPECT_EQ(d::retry_delay(headers({{"retry-after-ms", "20"}}), 0, o, 0.0), 20ms);
    EXPECT_EQ(d::retry_delay(headers({{"retry-after", "61"}}), 0, o, 0.0), 500ms);
    EXPECT_EQ(d::retry_delay(headers({{"retry-after", "60"}}), 0, o, 0.0), 60000ms);
}

TEST(api_retry, transport_errors_are_retried_only_before_the_request_was_sent)
{
    const retry_options o;
    http::request_progress unsent;
    http::request_progress sent;
    sent.sent = true;
    const std::error_code refused = std::make_error_code(std::errc::connection_refused);
    EXPECT_TRUE(d::retryable_transport_error(refused, unsent, o));
    EXPECT_TRUE(d::retryable_transport_error(http::make_error_code(http::error::connect_timeout),
                                             unsent, o));
    EXPECT_FALSE(
        d::retryable_transport_error(std::make_error_code(std::errc::connection_reset), sent, o));
    EXPECT_FALSE(d::retryable_transport_error(http::make_error_code(http::error::response_timeout),
                                              sent, o));
    retry_options opt_in;
    opt_in.retry_sent_requests = true;
    EXPECT_TRUE(d::retryable_transport_error(std::make_error_code(std::errc::connection_reset),
                                             sent, opt_in));
    // Never: the caller cancelled, the budget is spent, or the same failure would recur.
    EXPECT_FALSE(d::retryable_transport_error(asio::error::operation_aborted, unsent, opt_in));
    EXPECT_FALSE(
        d::retryable_transport_error(http::make_error_code(http::error::total_timeout), unsent, o));
    EXPECT_FALSE(d::retryable_transport_error(
        http::make_error_code(http::error::certificate_unknown_issuer), unsent, o));
}

} // namespace
