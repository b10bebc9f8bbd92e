#pragma once

// Errors of the API layer. Every operation completes with a std::exception_ptr: a
// coroutine's `co_await` rethrows it, so callers catch what they care about:
//
//   try { auto r = co_await ai.images.generate(req); }
//   catch (const imagine::request_error& e) { e.field(); }   // refused before sending
//   catch (const imagine::api_error& e)     { e.status(); e.code_string(); e.request_id(); }
//   catch (const std::system_error& e)      { e.code(); }    // transport (imagine.http)
//
// All three are std::system_error, so `e.code()` always classifies. Code without
// exceptions in its own flow reads them with error_code_of() / api_error_of().
// No message ever contains the API key.

#include <imagine/config.hpp>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace imagine {

enum class error {
    /// A request the API would refuse, caught before anything was sent.
    invalid_request = 1,
    /// No API key in the options or in OPENAI_API_KEY.
    missing_api_key,
    /// The client options cannot work (a bad base URL, a header with CR/LF).
    invalid_configuration,
    // HTTP statuses, grouped as the official SDKs group them.
    bad_request,          ///< 400
    authentication,       ///< 401
    permission_denied,    ///< 403
    not_found,            ///< 404
    conflict,             ///< 409
    unprocessable_entity, ///< 422
    rate_limited,         ///< 429
    server_error,         ///< 5xx
    http_status,          ///< any other non-2xx status
    /// A 2xx answer whose body is not what the API documents.
    bad_response,
    /// The server reported an error inside an event stream.
    stream_error,
    /// An event stream ended before its final event.
    incomplete_stream,
    /// responses.wait gave up: the response was still queued or in progress.
    wait_timeout,
};

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine"; }

    std::string message(int value) const override
    {
        switch (static_cast<error>(value)) {
        case error::invalid_request:
            return "invalid request";
        case error::missing_api_key:
            return "no API key (set OPENAI_API_KEY or client_options::api_key)";
        case error::invalid_configuration:
            return "invalid client configuration";
        case error::bad_request:
            return "bad request (400)";
        case error::authentication:
            return "authentication failed (401)";
        case error::permission_denied:
            return "permission denied (403)";
        case error::not_found:
            return "not found (404)";
        case error::conflict:
            return "conflict (409)";
        case error::unprocessable_entity:
            return "unprocessable entity (422)";
        case error::rate_limited:
            return "rate limited (429)";
        case error::server_error:
            return "server error (5xx)";
        case error::http_status:
            return "unexpected HTTP status";
        case error::bad_response:
            return "malformed response";
        case error::stream_error:
            return "error event in the stream";
        case error::incomplete_stream:
            return "the stream ended before its final event";
        case error::wait_timeout:
            return "the response did not finish within the wait's timeout";
        }
        return "unknown imagine error";
    }
};

} // namespace detail

inline const std::error_category& error_category() noexcept
{
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

/// The error code for an HTTP status the API answered with.
inline error error_for_status(unsigned status) noexcept
{
    switch (status) {
    case 400:
        return error::bad_request;
    case 401:
        return error::authentication;
    case 403:
        return error::permission_denied;
    case 404:
        return error::not_found;
    case 409:
        return error::conflict;
    case 422:
        return error::unprocessable_entity;
    case 429:
        return error::rate_limited;
    default:
        return status >= 500 ? error::server_error : error::http_status;
    }
}

} // namespace imagine

template <>
struct std::is_error_code_enum<imagine::error> : std::true_type {
};

namespace imagine {

/// A request refused before anything was sent; `field()` names the offending field
/// ("size", "image[2]", "mask", ...).
class request_error : public std::system_error {
public:
    request_error(std::string field, const std::string& reason)
        : std::system_error(make_error_code(error::invalid_request),
                            (field.empty() ? reason : field + ": " + reason)),
          field_(std::move(field))
    {
    }

    const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// What the server said about an error: the `error` object of the body plus the status
/// and the x-request-id header.
struct api_error_details {
    unsigned status = 0;
    std::string type{};
    std::string code{};
    std::string param{};
    std::string message{};
    std::string request_id{};
};

/// A non-2xx answer (or an error event in a stream).
class api_error : public std::system_error {
public:
    api_error(std::error_code ec, api_error_details details)
        : std::system_error(ec, describe(details)), details_(std::move(details))
    {
    }

    unsigned status() const noexcept { return details_.status; }
    /// error.type, e.g. "invalid_request_error"; empty when the body had none.
    const std::string& type() const noexcept { return details_.type; }
    /// error.code, e.g. "unsupported_file_mimetype"; empty when null.
    const std::string& code_string() const noexcept { return details_.code; }
    /// error.param, the request field the server blames; empty when null.
    const std::string& param() const noexcept { return details_.param; }
    /// error.message, or a bounded excerpt of a body that was not an error object.
    const std::string& server_message() const noexcept { return details_.message; }
    const std::string& request_id() const noexcept { return details_.request_id; }
    const api_error_details& details() const noexcept { return details_; }

private:
    static std::string describe(const api_error_details& d)
    {
        std::string text;
        if (d.status != 0)
            text = std::to_string(d.status) + " ";
        text += d.message.empty() ? std::string("(no message)") : d.message;
        if (!d.param.empty())
            text += " [param: " + d.param + "]";
        if (!d.code.empty())
            text += " [code: " + d.code + "]";
        if (!d.request_id.empty())
            text += " [request id: " + d.request_id + "]";
        return text;
    }

    api_error_details details_;
};

/// The error code of what `failure` holds: empty for no failure, the code of a
/// std::system_error, not_enough_memory for std::bad_alloc, state_not_recoverable else.
inline std::error_code error_code_of(const std::exception_ptr& failure) noexcept
{
    if (!failure)
        return {};
    try {
        std::rethrow_exception(failure);
    } catch (const std::system_error& e) {
        return e.code();
    } catch (const std::bad_alloc&) {
        return std::make_error_code(std::errc::not_enough_memory);
    } catch (...) {
        return std::make_error_code(std::errc::state_not_recoverable);
    }
}

/// The server's error details when `failure` holds an api_error.
inline std::optional<api_error_details> api_error_of(const std::exception_ptr& failure) noexcept
{
    if (!failure)
        return std::nullopt;
    try {
        std::rethrow_exception(failure);
    } catch (const api_error& e) {
        try {
            return e.details();
        } catch (...) {
            return std::nullopt;
        }
    } catch (...) {
        return std::nullopt;
    }
}

} // namespace imagine
