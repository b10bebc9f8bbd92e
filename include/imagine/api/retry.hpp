#pragma once

// The billing-safe retry policy. What is retried, and how long to wait, follows the
// official SDKs (api-facts §5): the server's `x-should-retry` first, else 408, 409, 429
// and 5xx; `retry-after-ms`, then `retry-after` (seconds or an HTTP date) when it is at
// most `max_server_delay`; else min(0.5 * 2^n, 8) s minus up to 25 % jitter.
//
// Where we are stricter than the SDKs: a request whose every byte reached the server and
// whose connection then died is NOT retried by default. An image generation takes
// minutes and is billed when it finishes; the server may be generating still, and a
// second request would bill twice. Connection failures before the request was fully
// written are always safe to retry. A streamed response is never retried once its first
// event has reached the caller (the operations never do that).

#include <imagine/config.hpp>

#include <imagine/http/error.hpp>
#include <imagine/http/fields.hpp>
#include <imagine/http/message.hpp>

#include <asio/error.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

struct retry_options {
    /// Retries after the first attempt (so at most max_retries + 1 requests).
    unsigned max_retries = 2;
    std::chrono::milliseconds initial_delay{500};
    std::chrono::milliseconds max_delay{8000};
    /// A server-requested delay longer than this is ignored (the backoff is used).
    std::chrono::milliseconds max_server_delay{60000};
    /// Also retry when the connection failed after the whole request was sent. The
    /// server may have acted on it: a generation can be billed twice. Off by default.
    bool retry_sent_requests = false;
};

namespace detail {

inline bool parse_decimal_seconds(std::string_view text, double scale, double& out) noexcept
{
    text = http::detail::trim_ows(text);
    if (text.empty())
        return false;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        return false;
    out = value * scale;
    return true;
}

/// Seconds since the epoch of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
inline std::optional<std::time_t> parse_http_date(std::string_view text) noexcept
{
    static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // "Www, DD Mon YYYY HH:MM:SS GMT" is exactly 29 characters.
    if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT")
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t n, int& out) {
        auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + n, out);
        return ec == std::errc{} && end == text.data() + at + n;
    };
    std::tm tm{};
    int month = -1;
    for (int i = 0; i < 12; ++i)
        if (text.substr(8, 3) == months[i])
            month = i;
    if (month < 0 || !number(5, 2, tm.tm_mday) || !number(12, 4, tm.tm_year) ||
        !number(17, 2, tm.tm_hour) || !number(20, 2, tm.tm_min) || !number(23, 2, tm.tm_sec) ||
        text[16] != ' ' || text[19] != ':' || text[22] != ':')
        return std::nullopt;
    tm.tm_mon = month;
    tm.tm_year -= 1900;
    return ::timegm(&tm);
}

/// The delay the server asks for: retry-after-ms (milliseconds, may be fractional),
/// else retry-after (seconds, or an HTTP date measured from `now`).
inline std::optional<std::chrono::milliseconds>
server_retry_delay(const http::fields& headers,
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now())
{
    double ms = 0;
    if (const std::string* v = headers.find("retry-after-ms");
        v && parse_decimal_seconds(*v, 1, ms))
        return std::chrono::milliseconds(static_cast<long long>(std::ceil(ms)));
    const std::string* v = headers.find("retry-after");
    if (!v)
        return std::nullopt;
    if (parse_decimal_seconds(*v, 1000, ms))
        return std::chrono::milliseconds(static_cast<long long>(std::ceil(ms)));
    if (auto when = parse_http_date(*v)) {
        const auto delta = std::chrono::system_clock::from_time_t(*when) - now;
        return std::chrono::duration_cast<std::chrono::milliseconds>(delta);
    }
    return std::nullopt;
}

/// Whether an HTTP answer may be retried: x-should-retry decides when present.
inline bool retryable_status(unsigned status, const http::fields& headers) noexcept
{
    if (const std::string* v = headers.find("x-should-retry")) {
        if (*v == "true")
            return true;
        if (*v == "false")
            return false;
    }
    return status == 408 || status == 409 || status == 429 || status >= 500;
}

/// Failures that the same request would meet again: configuration, certificates,
/// malformed requests. Retrying them only delays the error.
inline bool permanent_transport_error(const std::error_code& ec) noexcept
{
    if (ec.category() != http::category())
        return false;
    switch (static_cast<http::error>(ec.value())) {
    case http::error::invalid_url:
    case http::error::unsupported_scheme:
    case http::error::invalid_request:
    case http::error::body_size_changed:
    case http::error::body_not_replayable:
    case http::error::tls_protocol_version:
    case http::error::certificate_expired:
    case http::error::certificate_not_yet_valid:
    case http::error::certificate_self_signed:
    case http::error::certificate_unknown_issuer:
    case http::error::certificate_host_mismatch:
    case http::error::certificate_ip_mismatch:
    case http::error::certificate_verify_failed:
    case http::error::tls_configuration:
    case http::error::invalid_proxy:
    case http::error::proxy_auth_required:
    case http::error::too_many_redirects:
    case http::error::bad_redirect:
    case http::error::header_limit_exceeded:
    case http::error::body_limit_exceeded:
        return true;
    default:
        return false;
    }
}

/// Whether a failed exchange may be sent again.
inline bool retryable_transport_error(const std::error_code& ec,
                                      const http::request_progress& progress,
                                      const retry_options& options) noexcept
{
    if (ec == asio::error::operation_aborted || permanent_transport_error(ec))
        return false;
    // Total timeout: the caller's whole budget is spent.
    if (ec == http::error::total_timeout)
        return false;
    if (!progress.sent)
        return true;
    return options.retry_sent_requests;
}

/// The backoff before retry number `retries_done + 1`; `random01` in [0, 1).
inline std::chrono::milliseconds backoff_delay(unsigned retries_done, const retry_options& options,
                                               double random01) noexcept
{
    const double initial = static_cast<double>(options.initial_delay.count());
    const double cap = static_cast<double>(options.max_delay.count());
    const double base = std::min(initial * std::pow(2.0, std::min(retries_done, 30u)), cap);
    const double jitter = 1.0 - 0.25 * std::clamp(random01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(base * jitter));
}

/// The wait before the next attempt after an HTTP answer: the server's delay when it
/// asks for one within bounds, else the backoff.
inline std::chrono::milliseconds retry_delay(const http::fields& headers, unsigned retries_done,
                                             const retry_options& options, double random01)
{
    if (auto asked = server_retry_delay(headers);
        asked && asked->count() >= 0 && *asked <= options.max_server_delay)
        return *asked;
    return backoff_delay(retries_done, options, random01);
}

} // namespace detail
} // namespace imagine
