#pragma once

// The Response object [Response] and its output items. The image_generation_call item
// and messages are typed; every other item (reasoning, function calls, ...) is kept as
// its JSON value, so a response is never refused for what it contains. Members the
// schema does not require are optional; unknown members are skipped.

#include <imagine/api/types/enums.hpp>
#include <imagine/api/types/image_tool.hpp>
#include <imagine/api/types/response_enums.hpp>
#include <imagine/api/types/response_input.hpp>
#include <imagine/json/meta.hpp>
#include <imagine/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace imagine {

/// An output item `image_generation_call` [ImageGenToolCall]. The schema declares id,
/// status and result; live items also carry revised_prompt, size, quality, background,
/// output_format and action (api-facts §3), read when present.
struct image_generation_call {
    std::string id{};
    image_call_status status = image_call_status::in_progress;
    /// Base64 of the image once completed; see save_image.
    std::optional<std::string> result{};
    std::optional<std::string> revised_prompt{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<image_action> action{};
};

/// `{"type":"output_text","text":...}`.
struct output_text_part {
    std::string text{};
    std::optional<json::value> annotations{};
};

/// `{"type":"refusal","refusal":...}`.
struct refusal_part {
    std::string refusal{};
};

using output_content = std::variant<output_text_part, refusal_part, json::value>;

/// An output item `message` [OutputMessage].
struct output_message {
    std::string id{};
    std::string role = "assistant";
    std::optional<std::string> status{};
    std::vector<output_content> content{};
};

using output_item = std::variant<image_generation_call, output_message, json::value>;

/// Why a response failed [ResponseError]: a ResponseErrorCode such as
/// image_content_policy_violation or server_error, and a message.
struct response_error {
    std::string code{};
    std::string message{};
};

struct incomplete_details {
    std::optional<incomplete_reason> reason{};
};

struct response_input_tokens_details {
    std::int64_t cached_tokens = 0;
    std::optional<std::int64_t> cache_write_tokens{};
};

struct response_output_tokens_details {
    std::int64_t reasoning_tokens = 0;
};

/// [ResponseUsage]. The image tool's own tokens are billed as image tokens and are not
/// broken out here.
struct response_usage {
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::int64_t total_tokens = 0;
    std::optional<response_input_tokens_details> input_tokens_details{};
    std::optional<response_output_tokens_details> output_tokens_details{};
};

struct response {
    std::string id{};
    std::string object = "response";
    std::int64_t created_at = 0;
    response_status status = response_status::in_progress;
    std::optional<bool> background{};
    /// Set once completed.
    std::optional<std::int64_t> completed_at{};
    /// Set when failed.
    std::optional<response_error> error{};
    /// Set when incomplete.
    std::optional<imagine::incomplete_details> incomplete_details{};
    /// A string, or the input items of a prompt template.
    std::optional<json::value> instructions{};
    std::string model{};
    std::vector<output_item> output{};
    std::optional<std::string> previous_response_id{};
    std::optional<std::int64_t> max_output_tokens{};
    std::optional<bool> store{};
    std::optional<bool> parallel_tool_calls{};
    std::optional<double> temperature{};
    std::optional<double> top_p{};
    std::optional<std::vector<response_tool>> tools{};
    std::optional<imagine::tool_choice> tool_choice{};
    std::optional<std::map<std::string, std::string>> metadata{};
    std::optional<std::string> service_tier{};
    std::optional<std::string> user{};
    /// Absent until the response is finished.
    std::optional<response_usage> usage{};
    /// Not in the body: the x-request-id header of the answer that carried it.
    std::optional<std::string> request_id{};

    /// The image calls of the output, in order (completed or not; a completed one has
    /// its base64 in `result`).
    std::vector<const image_generation_call*> images() const
    {
        std::vector<const image_generation_call*> out;
        for (const auto& item : output)
            if (const auto* call = std::get_if<image_generation_call>(&item))
                out.push_back(call);
        return out;
    }

    /// The text of every output_text part of every message, joined (what the SDKs call
    /// output_text).
    std::string output_text() const
    {
        std::string out;
        for (const auto& item : output)
            if (const auto* message = std::get_if<output_message>(&item))
                for (const auto& part : message->content)
                    if (const auto* text = std::get_if<output_text_part>(&part))
                        out += text->text;
        return out;
    }
};

/// DELETE /responses/{id}.
struct response_deleted {
    std::string id{};
    std::string object{};
    bool deleted = false;
};

/// GET /responses/{id}/input_items [ResponseItemList].
struct response_item_list {
    std::string object = "list";
    std::vector<input_item> data{};
    std::optional<std::string> first_id{};
    std::optional<std::string> last_id{};
    bool has_more = false;
};

} // namespace imagine

template <>
struct imagine::json::meta<imagine::image_generation_call> {
    static constexpr std::string_view tag = "image_generation_call";
};
template <>
struct imagine::json::meta<imagine::output_text_part> {
    static constexpr std::string_view tag = "output_text";
};
template <>
struct imagine::json::meta<imagine::refusal_part> {
    static constexpr std::string_view tag = "refusal";
};
template <>
struct imagine::json::meta<imagine::output_message> {
    static constexpr std::string_view tag = "message";
};
