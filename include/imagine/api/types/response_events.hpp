#pragma once

// The events of a streamed response (`stream: true`, or GET /responses/{id}?stream=true),
// each with its sequence_number:
//   response.created / queued / in_progress / completed / failed / incomplete
//       -> response_lifecycle_event (the whole Response as it stands)
//   response.output_item.added / done -> output_item_event (on done, an image call has
//       its result)
//   response.image_generation_call.in_progress / generating / completed
//       -> image_call_progress_event
//   response.image_generation_call.partial_image -> image_call_partial_event
//   anything else (text deltas, content parts, types added later) -> response_unknown_event
// `error` events end the stream with an api_error; keepalives are skipped.

#include <imagine/api/types/enums.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace imagine {

struct response_lifecycle_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    imagine::response response{};
    /// Not on the wire: true when a resumable stream could not resume and made this final
    /// event from a polled response (its sequence_number is then the last one seen).
    std::optional<bool> from_polling{};

    bool is_terminal() const noexcept { return imagine::is_terminal(response.status); }
};

struct output_item_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    int output_index = 0;
    output_item item{};
};

struct image_call_progress_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    int output_index = 0;
    std::string item_id{};
};

struct image_call_partial_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    int output_index = 0;
    std::string item_id{};
    /// 0-based.
    int partial_image_index = 0;
    /// Base64 of a coarser rendition; see save_image.
    std::string partial_image_b64{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
};

/// An event this library does not type, kept whole.
struct response_unknown_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    json::value data{};
};

using response_stream_event =
    std::variant<response_lifecycle_event, output_item_event, image_call_progress_event,
                 image_call_partial_event, response_unknown_event>;

/// The sequence_number of any event.
inline std::int64_t sequence_number_of(const response_stream_event& ev) noexcept
{
    return std::visit([](const auto& e) { return e.sequence_number; }, ev);
}

} // namespace imagine
