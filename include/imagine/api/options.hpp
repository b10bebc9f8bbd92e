#pragma once

// Client-wide options (with the environment defaults the official SDKs read) and the
// per-request overrides.

#include <imagine/config.hpp>

#include <imagine/api/error.hpp>
#include <imagine/api/retry.hpp>
#include <imagine/http/client.hpp>
#include <imagine/http/fields.hpp>
#include <imagine/http/message.hpp>
#include <imagine/http/url.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

inline constexpr char default_base_url[] = "https://api.openai.com/v1";

struct client_options {
    /// Unset: OPENAI_API_KEY. A missing key fails the first call (error::missing_api_key).
    std::optional<std::string> api_key{};
    /// Unset: OPENAI_BASE_URL, else https://api.openai.com/v1.
    std::optional<std::string> base_url{};
    /// Sent as OpenAI-Organization. Unset: OPENAI_ORG_ID.
    std::optional<std::string> organization{};
    /// Sent as OpenAI-Project. Unset: OPENAI_PROJECT_ID.
    std::optional<std::string> project{};
    /// Extra headers on every request, after those of OPENAI_CUSTOM_HEADERS
    /// (newline-separated "Name: value" lines); a name set here replaces the variable's.
    http::fields headers{};
    /// Read the OPENAI_* variables for what is unset above.
    bool read_environment = true;
    retry_options retry{};
    /// Transport: TLS (extra CAs), timeouts, pool, proxy. The default timeouts let a
    /// high-quality image take minutes: 10 min to the response head, 15 min in all.
    http::client_options http{};
    /// Check requests before sending them (sizes, ranges, model rules, image files).
    /// Turn off for models this library does not know yet.
    bool validate = true;
};

/// Overrides for one request.
struct request_options {
    /// Added to the client's headers; a name the client sets is replaced.
    http::fields headers{};
    std::optional<http::timeout_options> timeouts{};
    std::optional<retry_options> retry{};
    std::optional<bool> validate{};
};

namespace detail {

/// The value of an environment variable, trimmed; empty counts as unset (as in the SDKs).
inline std::optional<std::string> read_env(const char* name)
{
    const char* raw = std::getenv(name);
    if (!raw)
        return std::nullopt;
    const std::string_view v(raw);
    constexpr std::string_view blank = " \t\r\n";
    const auto first = v.find_first_not_of(blank);
    if (first == std::string_view::npos)
        return std::nullopt;
    return std::string(v.substr(first, v.find_last_not_of(blank) - first + 1));
}

/// Client options with the environment applied and the base URL checked.
struct resolved_options {
    std::optional<std::string> api_key{};
    /// Checked to parse as an http(s) URL.
    std::string base_text{};
    std::optional<std::string> organization{};
    std::optional<std::string> project{};
    http::fields headers{};
};

inline void add_custom_headers(std::string_view lines, http::fields& out)
{
    while (!lines.empty()) {
        const auto end = lines.find('\n');
        std::string_view line = lines.substr(0, end);
        lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        const auto colon = line.find(':');
        const std::string_view name =
            colon == std::string_view::npos ? line : line.substr(0, colon);
        if (colon == std::string_view::npos || !http::detail::is_token(name))
            throw std::system_error(
                make_error_code(error::invalid_configuration),
                "imagine: OPENAI_CUSTOM_HEADERS: a line is not \"Name: value\"");
        out.set(name, http::detail::trim_ows(line.substr(colon + 1)));
    }
}

/// Throws std::system_error(error::invalid_configuration) for options that cannot work.
inline resolved_options resolve(const client_options& options)
{
    resolved_options r;
    const bool env = options.read_environment;
    r.api_key = options.api_key ? options.api_key : env ? read_env("OPENAI_API_KEY") : std::nullopt;
    r.organization = options.organization ? options.organization
                     : env                ? read_env("OPENAI_ORG_ID")
                                          : std::nullopt;
    r.project = options.project ? options.project
                : env           ? read_env("OPENAI_PROJECT_ID")
                                : std::nullopt;
    if (r.api_key && !http::detail::is_field_value(*r.api_key))
        throw std::system_error(
            make_error_code(error::invalid_configuration),
            "imagine: the API key has bytes a header cannot carry (CR, LF, controls)");
    std::optional<std::string> base = options.base_url;
    if (!base && env)
        base = read_env("OPENAI_BASE_URL");
    r.base_text = base ? *base : std::string(default_base_url);
    std::error_code ec;
    http::parse_url(r.base_text, ec);
    if (ec)
        throw std::system_error(make_error_code(error::invalid_configuration),
                                "imagine: base URL: " + ec.message());
    if (env)
        if (auto custom = read_env("OPENAI_CUSTOM_HEADERS"))
            add_custom_headers(*custom, r.headers);
    for (const auto& [name, value] : options.headers)
        r.headers.set(name, value);
    for (const auto& [name, value] : r.headers)
        if (!http::detail::is_token(name) || !http::detail::is_field_value(value))
            throw std::system_error(make_error_code(error::invalid_configuration),
                                    "imagine: header \"" + name +
                                        "\" has an invalid name or value");
    return r;
}

} // namespace detail
} // namespace imagine
