#pragma once

// The event stream of a background response that survives broken connections:
//
//   auto s = co_await ai.responses.create_resumable(req);   // background + stream
//   while (auto ev = co_await s.next()) { ... }
//
// When the connection drops (or the stream stops before a terminal event), it
// reconnects with GET /responses/{id}?stream=true&starting_after=<last sequence number
// seen> and goes on; events already delivered are dropped by sequence number, so none is
// lost or repeated. When the server refuses to resume (the stream expired, a 4xx), a
// resumed stream brings nothing new, or resume_options::max_resumes is used up, it polls
// the response (responses.wait) and ends with one lifecycle event made from the polled
// response, marked `from_polling`.

#include <imagine/config.hpp>

#include <imagine/api/detail/core.hpp>
#include <imagine/api/detail/launch.hpp>
#include <imagine/api/detail/response_calls.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/response_options.hpp>
#include <imagine/api/response_stream.hpp>
#include <imagine/api/types/response_events.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/json/enum.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace imagine {

namespace detail {
/// Whether a broken stream may be resumed: the connection failed or the stream stopped
/// early. Not: the caller cancelled, the server sent an error event, or its data was bad.
inline bool resumable_failure(const std::error_code& ec) noexcept
{
    if (ec == asio::error::operation_aborted)
        return false;
    if (ec.category() == imagine::error_category())
        return ec == error::incomplete_stream;
    return true;
}

/// A server's refusal to stream a stored response again: poll it instead.
inline bool resume_refused(const std::error_code& ec) noexcept
{
    return ec == error::bad_request || ec == error::not_found || ec == error::conflict ||
           ec == error::unprocessable_entity || ec == error::http_status;
}
} // namespace detail

class resumable_response_stream {
public:
    using executor_type = asio::any_io_executor;
    using event_type = response_stream_event;

    resumable_response_stream() = default;

    /// `first` is the stream as opened (a create, or a GET from `after`).
    resumable_response_stream(detail::api_core& core, response_stream first, std::string id,
                              std::int64_t after, resume_options options, request_options per)
        : state_(std::make_shared<state>(core, std::move(first), std::move(id), after,
                                         std::move(options), std::move(per))),
          executor_(core.get_executor())
    {
    }

    /// Known from the first lifecycle event (or given to resume()).
    const std::string& response_id() const noexcept { return state_->id; }
    /// The last sequence number delivered; -1 before the first event.
    std::int64_t last_sequence_number() const noexcept { return state_->last; }
    /// Reconnections so far.
    unsigned resumes() const noexcept { return state_->resumes; }
    /// Whether the end came from polling rather than from the stream.
    bool fell_back_to_polling() const noexcept { return state_->polled; }

    /// The next event; std::nullopt after the terminal one.
    ///
    /// @par Completion signature
    /// void(std::exception_ptr, std::optional<response_stream_event>)
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto next(Token&& token = {})
    {
        return detail::launch_api<std::optional<event_type>>(executor_, std::forward<Token>(token),
                                                             [s = state_] { return run_next(s); });
    }

    void close()
    {
        if (state_) {
            state_->done = true;
            state_->current.close();
        }
    }

private:
    struct state {
        state(detail::api_core& c, response_stream first, std::string response_id,
              std::int64_t after, resume_options o, request_options p)
            : core(&c), current(std::move(first)), id(std::move(response_id)), last(after),
              options(std::move(o)), per(options.request.value_or(std::move(p)))
        {
        }
        detail::api_core* core;
        response_stream current;
        std::string id;
        std::int64_t last;
        resume_options options;
        /// Of the reconnections and polls.
        request_options per;
        unsigned resumes = 0;
        /// Events delivered since the last (re)connection.
        unsigned fresh = 0;
        bool done = false;
        bool polled = false;
    };

    static asio::awaitable<std::optional<event_type>> run_next(std::shared_ptr<state> s)
    {
        if (!s)
            throw std::system_error(make_error_code(error::incomplete_stream),
                                    "imagine: empty resumable_response_stream");
        while (!s->done) {
            std::exception_ptr broke;
            try {
                std::optional<event_type> ev = co_await s->current.next(asio::use_awaitable);
                if (!ev) {
                    s->done = true;
                    co_return std::nullopt;
                }
                const std::int64_t seq = sequence_number_of(*ev);
                if (seq <= s->last)
                    continue; // already delivered before the reconnection
                s->last = seq;
                ++s->fresh;
                if (const std::string& id = s->current.policy().response_id; !id.empty())
                    s->id = id;
                co_return ev;
            } catch (...) {
                broke = std::current_exception();
            }
            const std::error_code ec = error_code_of(broke);
            if (s->id.empty() || !detail::resumable_failure(ec))
                std::rethrow_exception(broke);
            if (auto final_event = co_await reconnect(*s))
                co_return final_event;
        }
        co_return std::nullopt;
    }

    // Opens the stream again after the last event seen; returns the polled final event
    // when resuming is refused or no longer worth it.
    static asio::awaitable<std::optional<event_type>> reconnect(state& s)
    {
        const bool stalled = s.fresh == 0 && s.resumes > 0;
        if (!stalled && s.resumes < s.options.max_resumes) {
            ++s.resumes;
            s.fresh = 0;
            co_await detail::sleep_for(s.options.resume_delay);
            std::exception_ptr refused;
            try {
                s.current = co_await detail::open_response_stream(*s.core, s.id, s.last, s.per);
                co_return std::nullopt;
            } catch (...) {
                refused = std::current_exception();
            }
            const std::error_code ec = error_code_of(refused);
            if (!detail::resume_refused(ec) && !detail::resumable_failure(ec))
                std::rethrow_exception(refused);
        }
        response r = co_await detail::wait_for_response(*s.core, s.id, s.options.fallback, s.per);
        s.done = true;
        s.polled = true;
        response_lifecycle_event final_event;
        final_event.type = "response." + std::string(json::enum_to_string(r.status));
        final_event.sequence_number = s.last;
        final_event.response = std::move(r);
        final_event.from_polling = true;
        co_return event_type(std::move(final_event));
    }

    std::shared_ptr<state> state_{};
    executor_type executor_{};
};

} // namespace imagine
