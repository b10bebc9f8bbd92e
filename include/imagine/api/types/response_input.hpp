#pragma once

// The input of a Responses request [InputParam]: a string, or a list of items. Typed
// here: messages with text and image parts, a reference to an earlier image call (the
// multi-turn pattern of OpenAI's image guide) and an item_reference. Any other item or
// content part travels as a JSON value.

#include <imagine/api/types/response_enums.hpp>
#include <imagine/json/meta.hpp>
#include <imagine/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace imagine {

/// `{"type":"input_text","text":...}`.
struct input_text {
    std::string text{};
};

/// `{"type":"input_image", ...}` [InputImageContent]: exactly one of image_url (https or
/// a data: URL of at most 20971520 characters) and file_id (an uploaded file, see
/// files.upload). `detail` is always sent: the schema requires it.
struct input_image {
    std::optional<std::string> image_url{};
    std::optional<std::string> file_id{};
    image_detail detail = image_detail::auto_;

    static input_image from_url(std::string url, image_detail d = image_detail::auto_)
    {
        return {std::move(url), std::nullopt, d};
    }
    static input_image from_file_id(std::string id, image_detail d = image_detail::auto_)
    {
        return {std::nullopt, std::move(id), d};
    }
};

using input_content = std::variant<input_text, input_image, json::value>;

/// `{"type":"message","role":...,"content":...}`: content is a string or parts.
struct input_message {
    /// user, assistant, system or developer.
    std::string role = "user";
    std::variant<std::string, std::vector<input_content>> content{};
    /// Set on items read back (input_items); never needed when sending.
    std::optional<std::string> id{};
    std::optional<std::string> status{};
};

/// `{"type":"image_generation_call","id":"ig_..."}`: the image of an earlier call, as
/// input for an edit.
struct image_generation_call_reference {
    std::string id{};
};

/// `{"type":"item_reference","id":...}` [ItemReferenceParam].
struct item_reference {
    std::string id{};
};

using input_item =
    std::variant<input_message, image_generation_call_reference, item_reference, json::value>;

/// The `input` of a request: plain text or a list of items.
using response_input = std::variant<std::string, std::vector<input_item>>;

/// A user message of text and images: `user_message("make it night", input_image::from_url(u))`.
template <class... Parts>
input_message user_message(Parts&&... parts)
{
    input_message m;
    auto& list = m.content.emplace<std::vector<input_content>>();
    list.reserve(sizeof...(Parts));
    auto add = [&]<class P>(P&& part) {
        if constexpr (std::is_convertible_v<P, std::string_view>)
            list.emplace_back(input_text{std::string(std::string_view(part))});
        else
            list.emplace_back(std::forward<P>(part));
    };
    (add(std::forward<Parts>(parts)), ...);
    return m;
}

} // namespace imagine

template <>
struct imagine::json::meta<imagine::input_text> {
    static constexpr std::string_view tag = "input_text";
};
template <>
struct imagine::json::meta<imagine::input_image> {
    static constexpr std::string_view tag = "input_image";
};
template <>
struct imagine::json::meta<imagine::input_message> {
    static constexpr std::string_view tag = "message";
};
template <>
struct imagine::json::meta<imagine::image_generation_call_reference> {
    static constexpr std::string_view tag = "image_generation_call";
};
template <>
struct imagine::json::meta<imagine::item_reference> {
    static constexpr std::string_view tag = "item_reference";
};
