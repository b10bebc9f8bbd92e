#pragma once

// The typed events of a streamed response (see types/response_events.hpp):
//
//   auto s = co_await ai.responses.create_stream(req);
//   while (auto ev = co_await s.next()) {
//       if (auto* p = std::get_if<imagine::image_call_partial_event>(&*ev)) ...
//   }
//
// The stream ends normally only after a terminal lifecycle event (response.completed,
// .failed, .incomplete); one that stops before is error::incomplete_stream. For
// background responses, responses.create_resumable / resume continue a broken stream.

#include <imagine/config.hpp>

#include <imagine/api/error.hpp>
#include <imagine/api/stream.hpp>
#include <imagine/api/types/response_events.hpp>
#include <imagine/http/sse.hpp>
#include <imagine/json/read.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

namespace detail {
/// The sequence number of an event this library does not type.
struct sequence_probe {
    std::int64_t sequence_number = 0;
};

inline bool is_lifecycle_event(std::string_view type) noexcept
{
    constexpr std::string_view names[] = {
        "response.created", "response.queued",     "response.in_progress", "response.completed",
        "response.failed",  "response.incomplete", "response.cancelled"};
    for (std::string_view n : names)
        if (type == n)
            return true;
    return false;
}
} // namespace detail

struct response_stream_policy {
    using event_type = response_stream_event;

    /// The highest sequence_number seen; -1 before the first event.
    std::int64_t last_sequence_number = -1;
    /// From the first lifecycle event; what a resume needs.
    std::string response_id{};
    /// A terminal lifecycle event has arrived.
    bool finished = false;

    std::optional<response_stream_event> on_event(const http::sse_event& ev,
                                                  const std::string& request_id)
    {
        const std::string type = detail::event_type_of(ev);
        if (type == "keepalive")
            return std::nullopt;
        response_stream_event out = read(ev, type, request_id);
        std::visit([&](auto& e) { e.type = type; }, out);
        if (const auto* life = std::get_if<response_lifecycle_event>(&out)) {
            if (!life->response.id.empty())
                response_id = life->response.id;
            finished = finished || life->is_terminal();
        }
        last_sequence_number = std::max(last_sequence_number, sequence_number_of(out));
        return out;
    }

    void on_end(const std::string& request_id) const
    {
        if (!finished)
            throw std::system_error(
                make_error_code(error::incomplete_stream),
                "imagine: the response stream ended before the response finished (last sequence "
                "number " +
                    std::to_string(last_sequence_number) + ", request id " + request_id + ")");
    }

private:
    static response_stream_event read(const http::sse_event& ev, const std::string& type,
                                      const std::string& request_id)
    {
        constexpr std::string_view image_call = "response.image_generation_call.";
        if (detail::is_lifecycle_event(type))
            return detail::read_event<response_lifecycle_event>(ev, type, request_id);
        if (type == "response.output_item.added" || type == "response.output_item.done")
            return detail::read_event<output_item_event>(ev, type, request_id);
        if (type == "response.image_generation_call.partial_image")
            return detail::read_event<image_call_partial_event>(ev, type, request_id);
        if (type.starts_with(image_call))
            return detail::read_event<image_call_progress_event>(ev, type, request_id);
        response_unknown_event unknown;
        if (json::read(ev.data, unknown.data))
            unknown.data = json::value(ev.data);
        detail::sequence_probe probe;
        if (!json::read(ev.data, probe))
            unknown.sequence_number = probe.sequence_number;
        return unknown;
    }
};

using response_stream = event_stream<response_stream_policy>;

} // namespace imagine
