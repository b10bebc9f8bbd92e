#pragma once

// POST /v1/responses bodies, read and validated into a response_record: the accepted
// top-level fields (anything else is unknown_parameter), their types, the
// image_generation tool, tool_choice, previous_response_id (must be stored), and the
// prompt chain: the user text of each response in the previous_response_id chain,
// oldest first, joined with "; ", so tests can see the chain was kept server-side.

#include "api_error.hpp"
#include "files_api.hpp"
#include "image_params.hpp"
#include "request_fields.hpp"
#include "response_inputs.hpp"
#include "response_store.hpp"

#include <imagine/json/value.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

namespace model_detail {

using names = std::vector<std::string_view>;

inline const names top_level_fields = {"model",
                                       "input",
                                       "instructions",
                                       "tools",
                                       "tool_choice",
                                       "previous_response_id",
                                       "background",
                                       "store",
                                       "stream",
                                       "stream_options",
                                       "max_output_tokens",
                                       "max_tool_calls",
                                       "metadata",
                                       "include",
                                       "user",
                                       "safety_identifier",
                                       "prompt_cache_key",
                                       "prompt_cache_retention",
                                       "parallel_tool_calls",
                                       "temperature",
                                       "top_p",
                                       "top_logprobs",
                                       "service_tier",
                                       "truncation",
                                       "text",
                                       "reasoning",
                                       "conversation",
                                       "prompt",
                                       "context_management"};

inline const names image_tool_fields = {"type",           "model",
                                        "size",           "quality",
                                        "output_format",  "output_compression",
                                        "moderation",     "background",
                                        "input_fidelity", "input_image_mask",
                                        "partial_images", "action"};

inline std::string pick(const request_fields& fields, std::string_view name,
                        const std::string& param, const names& allowed, std::string_view fallback)
{
    const auto value = fields.string(name);
    if (!value)
        return std::string(fallback);
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end())
        throw invalid_value(param, valid_utf8(*value), allowed);
    return *value;
}

inline int ranged(const request_fields& fields, std::string_view name, const std::string& param,
                  int low, int high, int fallback)
{
    const auto value = fields.integer(name);
    if (!value)
        return fallback;
    if (*value < low)
        throw invalid_request("Invalid '" + param +
                                  "': integer below minimum value. Expected a value greater than "
                                  "or equal to " +
                                  std::to_string(low) + ", but got " + std::to_string(*value) +
                                  " instead.",
                              param, "integer_below_min_value");
    if (*value > high)
        throw invalid_request("Invalid '" + param +
                                  "': integer above maximum value. Expected a value less than or "
                                  "equal to " +
                                  std::to_string(high) + ", but got " + std::to_string(*value) +
                                  " instead.",
                              param, "integer_above_max_value");
    return static_cast<int>(*value);
}

/// The tool's size: the three fixed sizes or auto; gpt-image-2 also any WxH within the
/// Images API's limits (multiples of 16, 1:3 to 3:1, at most 3840x2160).
inline void resolve_tool_size(image_tool_settings& tool, const std::string& param)
{
    const names fixed = {"1024x1024", "1024x1536", "1536x1024", "auto"};
    if (tool.size == "auto")
        return;
    const auto wh = params_detail::parse_size(tool.size);
    const bool flexible = tool.model == "gpt-image-2" || tool.model == "gpt-image-2-2026-04-21";
    if (std::find(fixed.begin(), fixed.end(), tool.size) == fixed.end()) {
        if (!flexible || !wh)
            throw invalid_value(param, valid_utf8(tool.size), fixed);
        const auto [w, h] = *wh;
        if (w % 16 != 0 || h % 16 != 0 || w > 3 * h || h > 3 * w || std::max(w, h) > 3840 ||
            static_cast<long>(w) * h > 3840L * 2160L)
            throw invalid_request("Invalid value: '" + tool.size + "'. For " + tool.model +
                                      ", sizes must be multiples of 16, with an aspect ratio "
                                      "between 1:3 and 3:1, and at most 3840x2160.",
                                  param, "invalid_value");
    }
    std::tie(tool.width, tool.height) = *wh;
}

inline image_tool_settings read_image_tool(const json::value::object& object,
                                           const std::string& param, const upload_store& uploads)
{
    const request_fields fields(object, false, param + ".");
    fields.check_known(image_tool_fields);
    for (const auto* name : {"model", "size", "quality", "output_format", "moderation",
                             "background", "input_fidelity", "action"})
        (void)fields.string(name);
    for (const auto* name : {"output_compression", "partial_images"})
        (void)fields.integer(name);
    image_tool_settings tool;
    tool.model = fields.string("model").value_or("gpt-image-1");
    tool.quality =
        pick(fields, "quality", param + ".quality", {"low", "medium", "high", "auto"}, "auto");
    tool.size = fields.string("size").value_or("auto");
    resolve_tool_size(tool, param + ".size");
    const auto format =
        pick(fields, "output_format", param + ".output_format", {"png", "jpeg", "webp"}, "png");
    tool.format = format == "jpeg"   ? image_format::jpeg
                  : format == "webp" ? image_format::webp
                                     : image_format::png;
    tool.compression =
        ranged(fields, "output_compression", param + ".output_compression", 0, 100, 100);
    tool.moderation = pick(fields, "moderation", param + ".moderation", {"auto", "low"}, "auto");
    tool.background = pick(fields, "background", param + ".background",
                           {"transparent", "opaque", "auto"}, "auto");
    if (fields.has("input_fidelity"))
        tool.input_fidelity =
            pick(fields, "input_fidelity", param + ".input_fidelity", {"high", "low"}, "low");
    tool.partial_images = ranged(fields, "partial_images", param + ".partial_images", 0, 3, 0);
    tool.action = pick(fields, "action", param + ".action", {"generate", "edit", "auto"}, "auto");
    if (const auto* mask = fields.find("input_image_mask")) {
        const auto mask_param = param + ".input_image_mask";
        if (!mask->is_object())
            throw invalid_type(mask_param, "an object", json_kind_name(*mask));
        const request_fields mask_fields(mask->as_object(), false, mask_param + ".");
        mask_fields.check_known(names{"image_url", "file_id"});
        check_image_source(mask_fields, mask_param, uploads);
        tool.has_mask = true;
    }
    if (tool.background == "transparent" && tool.format == image_format::jpeg)
        throw invalid_request("Transparent background is not supported for the jpeg output "
                              "format; use png or webp.",
                              param + ".background", "invalid_value");
    return tool;
}

/// The image tool as the Response object echoes it.
inline json::value tool_json(const image_tool_settings& t)
{
    json::value::object out{
        {"type", "image_generation"},
        {"background", t.background},
        {"model", t.model},
        {"moderation", t.moderation},
        {"output_compression", t.compression},
        {"output_format", std::string(extension(t.format))},
        {"partial_images", t.partial_images},
        {"quality", t.quality},
        {"size", t.size},
        {"action", t.action},
    };
    if (t.input_fidelity)
        out.emplace_back("input_fidelity", *t.input_fidelity);
    return out;
}

inline void check_type(const request_fields& fields, std::string_view name, json::value::kind kind,
                       std::string_view expected)
{
    if (const auto* v = fields.find(name); v && v->type() != kind)
        throw invalid_type(name, expected, json_kind_name(*v));
}

inline std::string join_prompt(std::string base, std::string_view text)
{
    if (!base.empty() && !text.empty())
        base += "; ";
    base += text;
    return base;
}

} // namespace model_detail

/// Reads a POST /v1/responses body into `record` (ids, timing and job set by the
/// caller). Returns whether the request asked to stream. Throws api_error.
inline bool read_response_request(const json::value::object& body, response_record& record,
                                  response_store& store, const upload_store& uploads)
{
    using namespace model_detail;
    using kind = json::value::kind;
    const request_fields fields(body, false);
    fields.check_known(top_level_fields);

    // Types first, as the API reports them before values.
    for (const auto* name :
         {"model", "instructions", "previous_response_id", "user", "safety_identifier",
          "prompt_cache_key", "prompt_cache_retention", "service_tier", "truncation"})
        (void)fields.string(name);
    for (const auto* name : {"background", "store", "stream", "parallel_tool_calls"})
        (void)fields.boolean(name);
    for (const auto* name : {"max_output_tokens", "max_tool_calls", "top_logprobs"})
        (void)fields.integer(name);
    for (const auto* name :
         {"stream_options", "metadata", "text", "reasoning", "prompt", "context_management"})
        check_type(fields, name, kind::object, "an object");
    check_type(fields, "tools", kind::array, "an array");
    check_type(fields, "include", kind::array, "an array");
    for (const auto* name : {"temperature", "top_p"})
        check_type(fields, name, kind::number, "a number");
    if (const auto* c = fields.find("conversation"); c && !c->is_string() && !c->is_object())
        throw invalid_type("conversation", "a string or an object", json_kind_name(*c));

    const auto model = fields.string("model");
    if (!model)
        throw missing_parameter("model");
    record.model = *model;
    record.background = fields.boolean("background").value_or(false);
    record.store = fields.boolean("store").value_or(true);
    const bool stream = fields.boolean("stream").value_or(false);
    if (record.background && !record.store)
        throw invalid_request("Background mode requires 'store' to be true.", "background",
                              "invalid_value");
    const auto max_output_tokens = fields.integer("max_output_tokens");
    if (max_output_tokens && *max_output_tokens < 16)
        throw invalid_request("Invalid 'max_output_tokens': integer below minimum value. "
                              "Expected a value greater than or equal to 16, but got " +
                                  std::to_string(*max_output_tokens) + " instead.",
                              "max_output_tokens", "integer_below_min_value");

    json::value metadata = json::value::object{};
    if (const auto* m = fields.find("metadata")) {
        if (m->size() > 16)
            throw invalid_request("Invalid 'metadata': too many properties. Expected an object "
                                  "with at most 16 properties, but got an object with " +
                                      std::to_string(m->size()) + " properties instead.",
                                  "metadata", "object_above_max_properties");
        for (const auto& [key, value] : m->as_object())
            if (!value.is_string())
                throw invalid_type("metadata." + key, "a string", json_kind_name(value));
        metadata = *m;
    }
    if (const auto* include = fields.find("include"))
        for (std::size_t i = 0; i < include->size(); ++i)
            if (!include->at(i).is_string())
                throw invalid_type("include[" + std::to_string(i) + "]", "a string",
                                   json_kind_name(include->at(i)));

    // Tools: the image tool is read closely; other tools are accepted and echoed.
    json::value::array tools;
    if (const auto* list = fields.find("tools")) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto param = "tools[" + std::to_string(i) + "]";
            const auto& tool = list->at(i);
            if (!tool.is_object())
                throw invalid_type(param, "an object", json_kind_name(tool));
            const auto type = request_fields(tool.as_object(), false, param + ".").string("type");
            if (!type)
                throw missing_parameter(param + ".type");
            if (*type == "image_generation") {
                auto settings = read_image_tool(tool.as_object(), param, uploads);
                tools.push_back(tool_json(settings));
                if (!record.image)
                    record.image = std::move(settings);
            } else {
                tools.push_back(tool);
            }
        }
    }
    json::value tool_choice = "auto";
    if (const auto* choice = fields.find("tool_choice")) {
        if (choice->is_string()) {
            const names modes = {"auto", "none", "required"};
            if (std::find(modes.begin(), modes.end(), choice->as_string()) == modes.end())
                throw invalid_value("tool_choice", valid_utf8(choice->as_string()), modes);
        } else if (choice->is_object()) {
            if (!request_fields(choice->as_object(), false, "tool_choice.").string("type"))
                throw missing_parameter("tool_choice.type");
        } else {
            throw invalid_type("tool_choice", "a string or an object", json_kind_name(*choice));
        }
        tool_choice = *choice;
    }
    if (tool_choice.is_string() && tool_choice.as_string() == "none")
        record.image.reset();
    if (tool_choice.is_object() && tool_choice.at("type").as_string() != "image_generation" &&
        tool_choice.at("type").as_string() != "allowed_tools")
        record.image.reset(); // another tool is forced

    std::shared_ptr<response_record> previous;
    if (const auto previous_id = fields.string("previous_response_id")) {
        if (fields.has("conversation"))
            throw invalid_request("Cannot use both 'previous_response_id' and 'conversation'.",
                                  "previous_response_id", "invalid_value");
        previous = store.find(*previous_id);
        if (!previous || !previous->store)
            throw invalid_request("Previous response with id '" + valid_utf8(*previous_id) +
                                      "' not found.",
                                  "previous_response_id", "previous_response_not_found");
        record.previous_response_id = *previous_id;
    }

    auto input = read_input(fields.find("input"), store, uploads);
    record.user_text = input.user_text;
    record.has_input_image = input.has_image;
    record.input_items = std::move(input.items);
    if (previous) {
        record.chain = previous->chain;
        record.prompt = join_prompt(previous->prompt, record.user_text);
        record.chain_has_image = previous->image.has_value() || previous->chain_has_image;
    } else {
        record.prompt = join_prompt(input.reference.value_or(""), record.user_text);
    }
    record.chain.push_back(record.id);
    if (record.image) {
        const bool editing = record.has_input_image || record.image->has_mask ||
                             input.reference.has_value() || record.chain_has_image;
        record.image_action = record.image->action != "auto" ? record.image->action
                              : editing                      ? "edit"
                                                             : "generate";
    }

    record.echo = json::value::object{
        {"instructions", fields.string("instructions") ? json::value(*fields.string("instructions"))
                                                       : json::value(nullptr)},
        {"max_output_tokens",
         max_output_tokens ? json::value(*max_output_tokens) : json::value(nullptr)},
        {"parallel_tool_calls", fields.boolean("parallel_tool_calls").value_or(true)},
        {"temperature",
         fields.find("temperature") ? *fields.find("temperature") : json::value(1.0)},
        {"top_p", fields.find("top_p") ? *fields.find("top_p") : json::value(1.0)},
        {"tool_choice", std::move(tool_choice)},
        {"tools", std::move(tools)},
        {"truncation", fields.string("truncation").value_or("disabled")},
        {"metadata", std::move(metadata)},
        {"text", fields.find("text") ? *fields.find("text")
                                     : json::value(json::value::object{
                                           {"format", json::value::object{{"type", "text"}}}})},
    };
    if (const auto user = fields.string("user"))
        record.echo.as_object().emplace_back("user", *user);
    return stream;
}

} // namespace imagine_emulator
