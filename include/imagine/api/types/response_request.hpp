#pragma once

// POST /responses [CreateResponse]: the members that matter for image work typed, each
// optional so that only what is set is sent; `model` is always sent.
//
//   imagine::response_create_request req;
//   req.input = "a lighthouse at dawn";
//   req.tools = {imagine::image_generation_tool{.quality = imagine::quality::high}};

#include <imagine/api/types/image_tool.hpp>
#include <imagine/api/types/response_input.hpp>
#include <imagine/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace imagine {

namespace models {
/// A mainline model that calls the image_generation tool (the spec's example model).
inline constexpr const char* gpt_5_1 = "gpt-5.1";
} // namespace models

struct response_create_request {
    std::string model = models::gpt_5_1;
    std::optional<response_input> input{};
    /// A system (developer) message; not carried over by previous_response_id.
    std::optional<std::string> instructions{};
    std::optional<std::vector<response_tool>> tools{};
    std::optional<imagine::tool_choice> tool_choice{};
    /// Continue from a stored response (the refinement chain); needs store not false.
    std::optional<std::string> previous_response_id{};
    /// Run as a background job: the answer comes at once, queued; see responses.wait.
    std::optional<bool> background{};
    /// Server default true; background and previous_response_id need it.
    std::optional<bool> store{};
    /// Set by the operation: create sends false or nothing, create_stream true.
    std::optional<bool> stream{};
    /// At least 16.
    std::optional<std::int64_t> max_output_tokens{};
    std::optional<std::int64_t> max_tool_calls{};
    /// Up to 16 pairs; keys up to 64 characters, values up to 512.
    std::optional<std::map<std::string, std::string>> metadata{};
    /// IncludeEnum values, e.g. "message.input_image.image_url".
    std::optional<std::vector<std::string>> include{};
    std::optional<bool> parallel_tool_calls{};
    std::optional<double> temperature{};
    std::optional<double> top_p{};
    std::optional<std::string> service_tier{};
    std::optional<std::string> safety_identifier{};
    std::optional<std::string> prompt_cache_key{};
    /// {"format":{"type":"text"}} and the like.
    std::optional<json::value> text{};
    /// {"effort":"low"} and the like.
    std::optional<json::value> reasoning{};
    /// Deprecated by the API in favour of safety_identifier / prompt_cache_key.
    std::optional<std::string> user{};
};

} // namespace imagine
