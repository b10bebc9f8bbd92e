#pragma once

// The events of a streamed generation or edit [ImageGenStreamEvent, ImageEditStreamEvent]:
// `image_generation.partial_image` / `image_edit.partial_image`, then
// `image_generation.completed` / `image_edit.completed`. One C++ type serves both
// endpoints; `type` keeps the exact event name. Event types the API adds later arrive as
// image_unknown_event instead of failing the stream.

#include <imagine/api/types/enums.hpp>
#include <imagine/api/types/images.hpp>
#include <imagine/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace imagine {

/// A coarser rendition sent while the image is being made.
struct image_partial_event {
    std::string type{};
    std::string b64_json{};
    std::int64_t created_at = 0;
    std::string size{};
    imagine::quality quality = quality::auto_;
    imagine::background background = background::auto_;
    imagine::output_format output_format = output_format::png;
    /// 0-based.
    int partial_image_index = 0;
};

/// The final image (one per image when n > 1).
struct image_completed_event {
    std::string type{};
    std::string b64_json{};
    std::int64_t created_at = 0;
    std::string size{};
    imagine::quality quality = quality::auto_;
    imagine::background background = background::auto_;
    imagine::output_format output_format = output_format::png;
    std::optional<image_usage> usage{};
};

/// An event type this library does not know yet, kept whole.
struct image_unknown_event {
    std::string type{};
    json::value data{};
};

using image_stream_event =
    std::variant<image_partial_event, image_completed_event, image_unknown_event>;

} // namespace imagine
