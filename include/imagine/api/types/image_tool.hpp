#pragma once

// The image_generation tool of the Responses API [ImageGenTool] and tool_choice
// [ToolChoiceParam]. Other tools (function, web_search, mcp, ...) travel as JSON values:
// this library types what it is about and carries the rest faithfully.

#include <imagine/api/types/enums.hpp>
#include <imagine/api/types/images.hpp>
#include <imagine/api/types/response_enums.hpp>
#include <imagine/json/meta.hpp>
#include <imagine/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace imagine {

/// `{"type":"image_generation", ...}`; every member optional, the server's defaults apply.
struct image_generation_tool {
    /// gpt-image-1 (the server's default), gpt-image-1-mini, gpt-image-1.5, gpt-image-2, ...
    std::optional<std::string> model{};
    /// "auto", "1024x1024", "1024x1536", "1536x1024", or WIDTHxHEIGHT for gpt-image-2.
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::output_format> output_format{};
    /// 0–100, jpeg and webp.
    std::optional<int> output_compression{};
    std::optional<imagine::moderation> moderation{};
    std::optional<imagine::background> background{};
    std::optional<imagine::input_fidelity> input_fidelity{};
    /// Where to edit: exactly one of a base64 / https image_url and a file_id.
    std::optional<image_reference> input_image_mask{};
    /// 0–3 coarser renditions sent while streaming.
    std::optional<int> partial_images{};
    std::optional<image_action> action{};
};

/// A tool of a request or response: the image tool typed, any other as its JSON.
using response_tool = std::variant<image_generation_tool, json::value>;

/// tool_choice `{"type":"image_generation"}`: the model must call the image tool.
struct force_image_generation {};

/// tool_choice: "auto" / "none" / "required", the image tool, or any other object
/// (`{"type":"function","name":...}`, `{"type":"allowed_tools",...}`) as JSON.
using tool_choice = std::variant<tool_choice_mode, force_image_generation, json::value>;

} // namespace imagine

template <>
struct imagine::json::meta<imagine::image_generation_tool> {
    static constexpr std::string_view tag = "image_generation";
};

template <>
struct imagine::json::meta<imagine::force_image_generation> {
    static constexpr std::string_view tag = "image_generation";
};
