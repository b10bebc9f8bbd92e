#pragma once

// The Responses calls as coroutines on api_core, shared by responses_service and the
// resumable stream: retrieve (with the server's poll hint), open a stream of a stored
// response, cancel, and the polling loop of wait.

#include <imagine/config.hpp>

#include <imagine/api/detail/core.hpp>
#include <imagine/api/detail/response_checks.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/response_options.hpp>
#include <imagine/api/response_stream.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/http/url.hpp>
#include <imagine/json/enum.hpp>

#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::detail {

/// Builds "?a=1&b=2" from the pairs added.
class query_string {
public:
    void add(std::string_view name, std::string_view value)
    {
        text_.push_back(text_.empty() ? '?' : '&');
        text_ += http::detail::percent_encode(name);
        text_.push_back('=');
        text_ += http::detail::percent_encode(value);
    }
    const std::string& str() const noexcept { return text_; }

private:
    std::string text_{};
};

/// "/responses/{id}" plus `suffix`; the id is checked, never escaped.
inline std::string response_path(std::string_view id, std::string_view suffix = {})
{
    check_id(id, "response_id");
    std::string path = "/responses/";
    path += id;
    path += suffix;
    return path;
}

inline call_spec idempotent_call(std::string method, std::string path)
{
    call_spec spec;
    spec.method = std::move(method);
    spec.path = std::move(path);
    spec.idempotent = true;
    return spec;
}

/// The `openai-poll-after-ms` header, when it is a plain number.
inline std::optional<std::chrono::milliseconds> poll_after(const http::response& r)
{
    const std::string_view text = r.headers.value_or("openai-poll-after-ms", "");
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || ms < 0)
        return std::nullopt;
    return std::chrono::milliseconds(ms);
}

struct polled_response {
    imagine::response response{};
    std::optional<std::chrono::milliseconds> poll_after{};
};

inline asio::awaitable<polled_response> fetch_response(api_core& core, std::string id,
                                                       request_options per)
{
    auto answer = co_await core.call(idempotent_call("GET", response_path(id)), std::move(per));
    polled_response out;
    out.poll_after = poll_after(answer);
    out.response = read_json_body<imagine::response>(answer, "response");
    co_return out;
}

/// GET /responses/{id}?stream=true[&starting_after=N]: the events of a background
/// response after sequence number N, then its live events.
inline asio::awaitable<response_stream> open_response_stream(api_core& core, std::string id,
                                                             std::optional<std::int64_t> after,
                                                             request_options per)
{
    query_string query;
    query.add("stream", "true");
    if (after)
        query.add("starting_after", std::to_string(*after));
    call_spec spec = idempotent_call("GET", response_path(id) + query.str());
    auto body = co_await core.open(std::move(spec), std::move(per));
    co_return response_stream(std::move(body), response_stream_policy{});
}

inline asio::awaitable<imagine::response> cancel_response(api_core& core, std::string id,
                                                          request_options per)
{
    // A repeated cancel returns the final object: safe to retry.
    auto answer =
        co_await core.call(idempotent_call("POST", response_path(id, "/cancel")), std::move(per));
    co_return read_json_body<imagine::response>(answer, "cancelled response");
}

/// The answer of DELETE /responses/{id}. The spec gives the 200 no body schema (NODE
/// ignores it): the status is the answer, and a body, when it is the deletion object,
/// adds nothing but its own id.
inline response_deleted read_deleted(const http::response& answer, const std::string& id)
{
    response_deleted out;
    if (json::read(answer.body, out) || out.id.empty())
        out = response_deleted{id, "response.deleted", true};
    return out;
}

inline bool is_aborted(std::exception_ptr ep) noexcept
{
    return error_code_of(ep) == asio::error::operation_aborted;
}

/// Cancels the server job after the wait stopped. The caller must have cleared its
/// cancellation state first (co_await of a nested awaitable throws while it is set).
/// The cancel gets a short budget of its own, and its own failure is not reported (the
/// wait's reason for stopping is).
inline asio::awaitable<void> cancel_after_stop(api_core& core, const std::string& id,
                                               request_options per)
{
    http::timeout_options budget = per.timeouts.value_or(http::timeout_options{});
    budget.total = std::min(budget.total, std::chrono::milliseconds(std::chrono::seconds(15)));
    per.timeouts = budget;
    try {
        co_await cancel_response(core, id, std::move(per));
    } catch (const std::exception&) {
    }
}

/// Polls GET /responses/{id} while it is queued or in progress.
inline asio::awaitable<imagine::response>
wait_for_response(api_core& core, std::string id, wait_options options, request_options per)
{
    check_id(id, "response_id");
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + options.timeout;
    std::exception_ptr stopped;
    try {
        for (;;) {
            polled_response polled = co_await fetch_response(core, id, per);
            if (is_terminal(polled.response.status))
                co_return std::move(polled.response);
            auto delay = std::min(polled.poll_after.value_or(options.poll_interval),
                                  options.max_poll_interval);
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
            if (left <= std::chrono::milliseconds::zero())
                throw std::system_error(
                    make_error_code(error::wait_timeout),
                    "imagine: response " + id + " was still " +
                        std::string(json::enum_to_string(polled.response.status)) + " after " +
                        std::to_string(options.timeout.count()) + " ms");
            delay = std::min(delay, left);
            if (options.on_poll)
                options.on_poll(polled.response, delay);
            co_await sleep_for(delay);
        }
    } catch (...) {
        stopped = std::current_exception();
    }
    const bool stop = is_aborted(stopped) || error_code_of(stopped) == error::wait_timeout;
    if (options.cancel_on_stop && stop) {
        co_await asio::this_coro::reset_cancellation_state();
        co_await cancel_after_stop(core, id, per);
    }
    std::rethrow_exception(stopped);
}

} // namespace imagine::detail
