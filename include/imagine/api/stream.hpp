#pragma once

// A stream of typed server-sent events from one response:
//
//   auto s = co_await ai.images.generate_stream(req);
//   while (auto ev = co_await s.next()) { ... }   // std::nullopt at the end
//
// The Policy turns each decoded SSE event into a typed event (or skips it) and says
// whether the stream may end where it ended. Common to every endpoint: an `error` event
// ends the stream with an api_error (error::stream_error), and `data: [DONE]` ends it.
// A stream is never retried: its events have reached the caller.

#include <imagine/config.hpp>

#include <imagine/api/detail/core.hpp>
#include <imagine/api/detail/launch.hpp>
#include <imagine/api/error.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/response_stream.hpp>
#include <imagine/http/sse.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine {
namespace detail {

/// Reads only the "type" member of an event's data (the rest is skipped, not copied).
struct event_type_probe {
    std::optional<std::string> type{};
};

/// The event's type: its `event:` line, or for a stream without those the data's "type".
inline std::string event_type_of(const http::sse_event& ev)
{
    if (!ev.event.empty() && ev.event != "message")
        return ev.event;
    event_type_probe t;
    if (!json::read(ev.data, t) && t.type)
        return *t.type;
    return ev.event;
}

/// An `error` event, or data whose object starts with an "error" member or type:
/// `{"type":"error","error":{...}}` (Images), `{"type":"error","code",...}` (Responses).
inline bool is_error_event(const http::sse_event& ev) noexcept
{
    if (ev.event == "error")
        return true;
    std::string_view d(ev.data);
    return d.starts_with("{\"error\"") || d.starts_with("{\"type\":\"error\"");
}

/// The event's data read as `Event`; data that does not fit is error::bad_response.
template <class Event>
Event read_event(const http::sse_event& ev, std::string_view type, const std::string& request_id)
{
    Event out;
    if (auto e = json::read(ev.data, out))
        throw std::system_error(make_error_code(error::bad_response),
                                "imagine: " + std::string(type) + " event: " + e.message() +
                                    " (request id " + request_id + ")");
    return out;
}

inline api_error stream_error(const http::sse_event& ev, const std::string& request_id)
{
    api_error_details d;
    d.request_id = request_id;
    json::value parsed;
    bool ok = !json::read(ev.data, parsed) && parsed.is_object();
    if (ok) {
        const json::value* nested = parsed.find("error");
        ok = (nested && read_error_object(*nested, d)) || read_error_object(parsed, d);
    }
    if (!ok)
        d.message = "error event: " + excerpt(ev.data);
    return api_error(make_error_code(error::stream_error), std::move(d));
}

} // namespace detail

template <class Policy>
class event_stream {
public:
    using event_type = typename Policy::event_type;
    using executor_type = asio::any_io_executor;

    event_stream() = default;

    event_stream(http::response_stream body, Policy policy)
        : state_(std::make_shared<state>(std::move(body), std::move(policy)))
    {
        state_->request_id = state_->body.headers().value_or("x-request-id", "");
        executor_ = state_->body.get_executor();
    }

    /// The x-request-id of the response.
    const std::string& request_id() const noexcept { return state_->request_id; }
    const Policy& policy() const noexcept { return state_->policy; }

    /// The next event; std::nullopt once the stream has ended. One call at a time.
    ///
    /// @par Completion signature
    /// void(std::exception_ptr, std::optional<event_type>)
    /// @par Per-operation cancellation
    /// terminal: the connection is closed and the stream is over.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto next(Token&& token = {})
    {
        return detail::launch_api<std::optional<event_type>>(executor_, std::forward<Token>(token),
                                                             [s = state_] { return run_next(s); });
    }

    /// Stops reading; the connection is closed (not pooled).
    void close()
    {
        if (state_)
            state_->stop();
    }

private:
    struct state {
        state(http::response_stream b, Policy p) : body(std::move(b)), policy(std::move(p)) {}
        http::response_stream body;
        http::sse_decoder decoder{};
        Policy policy;
        std::string request_id{};
        bool input_done = false;
        bool ended = false;

        void stop()
        {
            ended = true;
            body.close();
        }
    };

    static asio::awaitable<std::optional<event_type>> run_next(std::shared_ptr<state> s)
    {
        if (!s)
            throw std::system_error(make_error_code(error::incomplete_stream),
                                    "imagine: empty event_stream");
        while (!s->ended) {
            while (s->decoder.has_event()) {
                http::sse_event ev = s->decoder.take_event();
                if (ev.data == "[DONE]") {
                    finish(*s);
                    co_return std::nullopt;
                }
                if (detail::is_error_event(ev)) {
                    s->stop();
                    throw detail::stream_error(ev, s->request_id);
                }
                if (auto typed = s->policy.on_event(ev, s->request_id))
                    co_return typed;
            }
            if (s->input_done) {
                finish(*s);
                break;
            }
            auto [ec, piece] =
                co_await s->body.async_read_some(imagine::detail::as_tuple(asio::use_awaitable));
            if (!ec && !piece.empty())
                s->decoder.put(piece, ec);
            if (ec) {
                s->stop();
                throw std::system_error(ec);
            }
            if (piece.empty()) {
                s->decoder.finish();
                s->input_done = true;
            }
        }
        co_return std::nullopt;
    }

    // The end of the events: the policy decides whether the stream was complete.
    static void finish(state& s)
    {
        s.stop();
        s.policy.on_end(s.request_id);
    }

    std::shared_ptr<state> state_{};
    executor_type executor_{};
};

} // namespace imagine
