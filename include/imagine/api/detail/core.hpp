#pragma once

// What every API call shares: the request head the SDKs send (api-facts §5), the
// billing-safe retry loop, and turning a non-2xx answer into an api_error. Internal
// coroutines throw; the operations hand the exception to their completion handler.

#include <imagine/config.hpp>

#include <imagine/api/error.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/retry.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/client.hpp>
#include <imagine/http/message.hpp>
#include <imagine/http/multipart.hpp>
#include <imagine/http/response_stream.hpp>
#include <imagine/http/url.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::detail {

/// One API call: where, and a body made afresh for every attempt (a streamed multipart
/// body is rewound by the transport; a string is copied).
struct call_spec {
    std::string method = "POST";
    /// Relative to the base URL: "/images/generations".
    std::string path{};
    /// Empty for no body.
    std::string content_type{};
    std::function<http::request_body()> body{};
    /// Read the answer as a stream of events (the head is checked, the body is not read).
    bool stream = false;
    /// Repeating it cannot do harm (GET, cancel): a connection that dies after the
    /// request was sent is retried as well.
    bool idempotent = false;
};

/// Most bytes of an error body kept for the message when it is not an error object.
inline constexpr std::size_t error_excerpt_limit = 512;
/// Most bytes read of an error body at all (streams are not read to their end).
inline constexpr std::size_t error_body_limit = 64 * 1024;

/// Printable text of at most `limit` bytes: control bytes become spaces.
inline std::string excerpt(std::string_view body, std::size_t limit = error_excerpt_limit)
{
    std::string out(body.substr(0, limit));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    if (body.size() > limit)
        out += "...";
    return out;
}

inline std::string text_of(const json::value* v)
{
    if (!v || v->is_null())
        return {};
    if (const auto* s = v->get_if<std::string>())
        return *s;
    if (const auto* i = v->get_if<std::int64_t>())
        return std::to_string(*i);
    if (const auto* u = v->get_if<std::uint64_t>())
        return std::to_string(*u);
    return {};
}

/// Fills type/code/param/message from an OpenAI error object ({"message","type","param",
/// "code"}); false when `object` is not one.
inline bool read_error_object(const json::value& object, api_error_details& out)
{
    if (!object.is_object())
        return false;
    const auto* message = object.find("message");
    if (!message || !message->get_if<std::string>())
        return false;
    out.message = *message->get_if<std::string>();
    out.type = text_of(object.find("type"));
    out.code = text_of(object.find("code"));
    out.param = text_of(object.find("param"));
    return true;
}

/// The api_error for a non-2xx answer. A body that is not {"error":{...}} still gives
/// one, with an excerpt of the body as the message.
inline api_error make_api_error(unsigned status, const http::fields& headers, std::string_view body)
{
    api_error_details d;
    d.status = status;
    d.request_id = headers.value_or("x-request-id", "");
    json::value parsed;
    const bool json_ok = !json::read(body, parsed);
    const json::value* object = json_ok && parsed.is_object() ? parsed.find("error") : nullptr;
    if (!object || !read_error_object(*object, d)) {
        const std::string kind(headers.value_or("content-type", "no content type"));
        d.message = body.empty() ? "status code " + std::to_string(status) + " (no body)"
                                 : "status code " + std::to_string(status) +
                                       " with a body that is not an "
                                       "error object (" +
                                       kind + "): " + excerpt(body);
    }
    return api_error(make_error_code(error_for_status(status)), std::move(d));
}

inline double random_unit()
{
    thread_local std::minstd_rand engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

/// Waits `delay` on the calling coroutine's executor (cancellable like any wait).
inline asio::awaitable<void> sleep_for(std::chrono::milliseconds delay)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
}

inline bool is_success(unsigned status) noexcept
{
    return status >= 200 && status < 300;
}

/// A 2xx body read as `T`; one that does not fit is error::bad_response. A `request_id`
/// member, when T has one, gets the x-request-id header.
template <class T>
T read_json_body(const http::response& response, std::string_view what)
{
    T out;
    const std::string_view request_id = response.headers.value_or("x-request-id", "");
    if (auto e = json::read(response.body, out))
        throw std::system_error(make_error_code(error::bad_response),
                                "imagine: " + std::string(what) + ": " + e.message() +
                                    " (request id " + std::string(request_id) + ")");
    if constexpr (requires { out.request_id = std::string(); })
        if (!request_id.empty())
            out.request_id = std::string(request_id);
    return out;
}

inline call_spec json_call(std::string path, std::string body)
{
    call_spec spec;
    spec.path = std::move(path);
    spec.content_type = "application/json";
    spec.body = [text = std::move(body)]() -> http::request_body { return text; };
    return spec;
}

inline call_spec form_call(std::string path, std::shared_ptr<http::multipart_form> form)
{
    call_spec spec;
    spec.path = std::move(path);
    spec.content_type = form->content_type();
    spec.body = [form]() -> http::request_body { return form->source(); };
    return spec;
}

class api_core {
public:
    api_core(asio::any_io_executor executor, client_options options)
        : options_(std::move(options)), resolved_(resolve(options_)), http_(executor, options_.http)
    {
    }

    const client_options& options() const noexcept { return options_; }
    http::client& http() noexcept { return http_; }
    asio::any_io_executor get_executor() const noexcept { return http_.get_executor(); }

    bool validating(const request_options& per) const noexcept
    {
        return per.validate.value_or(options_.validate);
    }

    /// Sends the call (retrying as the policy allows) and reads the whole answer.
    /// Returns a 2xx response; throws api_error, or std::system_error for the transport.
    asio::awaitable<http::response> call(call_spec spec, request_options per)
    {
        auto [response, stream] = co_await exchange(spec, per);
        co_return std::move(response);
    }

    /// As call(), for an answer read as a stream: returns once a 2xx head has arrived.
    asio::awaitable<http::response_stream> open(call_spec spec, request_options per)
    {
        spec.stream = true;
        auto [response, stream] = co_await exchange(spec, per);
        co_return std::move(stream);
    }

    /// The request of a call without its body (tests read it; the key is in it).
    http::request build(const call_spec& spec, const request_options& per) const
    {
        if (!resolved_.api_key)
            throw std::system_error(
                make_error_code(error::missing_api_key),
                "imagine: no API key: set OPENAI_API_KEY or client_options::api_key");
        http::request req;
        req.method = spec.method;
        std::error_code ec;
        req.target = http::parse_url(http::join_url(resolved_.base_text, spec.path), ec);
        if (ec)
            throw std::system_error(make_error_code(error::invalid_configuration),
                                    "imagine: request URL for " + spec.path + ": " + ec.message());
        req.headers.set("Authorization", "Bearer " + *resolved_.api_key);
        req.headers.set("Accept", "application/json");
        if (!spec.content_type.empty())
            req.headers.set("Content-Type", spec.content_type);
        req.headers.set("User-Agent", "imagine/" IMAGINE_VERSION_STRING);
        if (resolved_.organization)
            req.headers.set("OpenAI-Organization", *resolved_.organization);
        if (resolved_.project)
            req.headers.set("OpenAI-Project", *resolved_.project);
        for (const auto& [name, value] : resolved_.headers)
            req.headers.set(name, value);
        for (const auto& [name, value] : per.headers)
            req.headers.set(name, value);
        req.timeouts = per.timeouts;
        return req;
    }

private:
    struct outcome {
        http::response response{};
        http::response_stream stream{};
    };

    asio::awaitable<outcome> exchange(const call_spec& spec, const request_options& per)
    {
        retry_options retry = per.retry.value_or(options_.retry);
        retry.retry_sent_requests = retry.retry_sent_requests || spec.idempotent;
        const http::request head = build(spec, per);
        for (unsigned attempt = 0;; ++attempt) {
            // The same head each attempt; the body afresh (a streamed one starts over).
            http::request req = head;
            if (spec.body)
                req.body = spec.body();
            http::request_progress progress;
            req.progress = &progress;
            outcome out;
            std::error_code ec;
            if (spec.stream) {
                std::tie(ec, out.stream) =
                    co_await http_.async_open(std::move(req), as_tuple(asio::use_awaitable));
                if (!ec) {
                    out.response.status = out.stream.status();
                    out.response.headers = out.stream.headers();
                    if (!is_success(out.response.status))
                        ec = co_await read_error_body(out.stream, out.response.body);
                }
            } else {
                std::tie(ec, out.response) =
                    co_await http_.async_request(std::move(req), as_tuple(asio::use_awaitable));
            }
            const bool more = attempt < retry.max_retries;
            if (ec) {
                if (more && retryable_transport_error(ec, progress, retry)) {
                    co_await sleep_for(backoff_delay(attempt, retry, random_unit()));
                    continue;
                }
                throw std::system_error(ec);
            }
            if (is_success(out.response.status))
                co_return out;
            if (more && retryable_status(out.response.status, out.response.headers)) {
                out.stream.close();
                co_await sleep_for(
                    retry_delay(out.response.headers, attempt, retry, random_unit()));
                continue;
            }
            throw make_api_error(out.response.status, out.response.headers, out.response.body);
        }
    }

    static asio::awaitable<std::error_code> read_error_body(http::response_stream& stream,
                                                            std::string& body)
    {
        while (body.size() < error_body_limit) {
            auto [ec, piece] = co_await stream.async_read_some(as_tuple(asio::use_awaitable));
            if (ec)
                co_return ec;
            if (piece.empty())
                break;
            body.append(piece);
        }
        stream.close();
        co_return std::error_code{};
    }

    client_options options_;
    resolved_options resolved_;
    http::client http_;
};

} // namespace imagine::detail
