#pragma once

// The `input` of a Responses request: a string, or items (messages with input_text /
// input_image parts, image_generation_call and item_reference references). Checked as
// the API checks them, with params named like it (`input[0].content[1].image_url`);
// references must name items the emulator stored, file ids uploaded files. The result
// is the user text (for the prompt chain), what was referenced, and the items with ids
// as GET .../input_items lists them.

#include "api_error.hpp"
#include "files_api.hpp"
#include "request_fields.hpp"
#include "response_store.hpp"

#include <imagine/base64.hpp>
#include <imagine/json/value.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

struct input_summary {
    std::string user_text{};                ///< user input_text parts, joined with " "
    bool has_image = false;                 ///< an input_image part
    std::optional<std::string> reference{}; ///< revised prompt of a referenced image call
    json::value::array items{};             ///< with ids
};

namespace inputs_model_detail {

using names = std::vector<std::string_view>;

inline std::string index_param(std::string_view base, std::size_t i)
{
    return std::string(base) + "[" + std::to_string(i) + "]";
}

inline void append_text(std::string& out, std::string_view text)
{
    if (text.empty())
        return;
    if (!out.empty())
        out += ' ';
    out += text;
}

} // namespace inputs_model_detail

/// An input_image / input_image_mask image_url: https, or a base64 data URL of PNG,
/// JPEG, WebP or GIF, at most 20971520 characters.
inline void check_image_url(const std::string& param, const std::string& url)
{
    if (url.size() > 20971520)
        throw invalid_request("Invalid '" + param +
                                  "': string too long. Expected a string with maximum length "
                                  "20971520, but got a string with length " +
                                  std::to_string(url.size()) + " instead.",
                              param, "string_above_max_length");
    if (istarts_with(url, "https://"))
        return;
    const auto comma = url.find(',');
    const std::string_view header =
        comma == std::string::npos ? std::string_view() : std::string_view(url).substr(0, comma);
    if (!istarts_with(url, "data:") || !header.ends_with(";base64"))
        throw invalid_request("Invalid '" + param +
                                  "': expected an https URL or a base64-encoded data URL "
                                  "(data:image/png;base64,...).",
                              param, "invalid_image_url");
    const auto media_type = to_lower(header.substr(5, header.find(';') - 5));
    if (media_type != "image/png" && media_type != "image/jpeg" && media_type != "image/webp" &&
        media_type != "image/gif")
        throw invalid_request("Invalid '" + param + "': unsupported image media type '" +
                                  valid_utf8(media_type) +
                                  "'. Supported types are 'image/png', 'image/jpeg', "
                                  "'image/webp', and 'image/gif'.",
                              param, "unsupported_image_media_type");
    std::string bytes;
    if (!imagine::base64::decode(std::string_view(url).substr(comma + 1), bytes).ok() ||
        bytes.empty())
        throw invalid_request("Invalid '" + param + "': the data URL does not hold valid base64.",
                              param, "invalid_base64_image");
}

inline void check_file_id(const std::string& param, const std::string& id,
                          const upload_store& uploads)
{
    if (!uploads.contains(id))
        throw invalid_request("File '" + valid_utf8(id) + "' not found.", param, "file_not_found");
}

/// `{image_url?, file_id?}` with exactly one of them (input_image parts, the tool's mask).
inline void check_image_source(const request_fields& fields, const std::string& param,
                               const upload_store& uploads)
{
    const auto url = fields.string("image_url");
    const auto file_id = fields.string("file_id");
    if (url && file_id)
        throw invalid_request("Invalid '" + param +
                                  "': provide exactly one of 'image_url' or 'file_id', not both.",
                              param, "invalid_value");
    if (!url && !file_id)
        throw invalid_request("Invalid '" + param + "': provide one of 'image_url' or 'file_id'.",
                              param, "missing_required_parameter");
    if (url)
        check_image_url(param + ".image_url", *url);
    else
        check_file_id(param + ".file_id", *file_id, uploads);
}

namespace inputs_model_detail {

inline void read_part(const json::value& part, const std::string& param, bool user,
                      input_summary& out, const upload_store& uploads)
{
    if (!part.is_object())
        throw invalid_type(param, "an object", json_kind_name(part));
    const request_fields fields(part.as_object(), false, param + ".");
    const auto type = fields.string("type");
    if (!type)
        throw missing_parameter(param + ".type");
    if (*type == "input_text" || *type == "output_text") {
        fields.check_known(*type == "input_text"
                               ? names{"type", "text"}
                               : names{"type", "text", "annotations", "logprobs"});
        const auto text = fields.string("text");
        if (!text)
            throw missing_parameter(param + ".text");
        if (user && *type == "input_text")
            append_text(out.user_text, *text);
    } else if (*type == "input_image") {
        fields.check_known(names{"type", "image_url", "file_id", "detail"});
        const auto detail = fields.string("detail");
        const names details = {"low", "high", "auto", "original"};
        if (detail && std::find(details.begin(), details.end(), *detail) == details.end())
            throw invalid_value(param + ".detail", valid_utf8(*detail), details);
        check_image_source(fields, param, uploads);
        out.has_image = true;
    } else if (*type != "input_file" && *type != "refusal") {
        throw invalid_value(param + ".type", valid_utf8(*type),
                            {"input_text", "input_image", "input_file", "output_text", "refusal"});
    }
}

inline json::value read_message(const json::value& item, const std::string& param,
                                input_summary& out, response_store& store,
                                const upload_store& uploads)
{
    const request_fields fields(item.as_object(), false, param + ".");
    fields.check_known(names{"type", "role", "content", "id", "status"});
    const auto role = fields.string("role");
    if (!role)
        throw missing_parameter(param + ".role");
    const names roles = {"user", "assistant", "system", "developer"};
    if (std::find(roles.begin(), roles.end(), *role) == roles.end())
        throw invalid_value(param + ".role", valid_utf8(*role), roles);
    const auto* content = fields.find("content");
    if (!content)
        throw missing_parameter(param + ".content");
    json::value stored_content;
    if (content->is_string()) {
        if (*role == "user")
            append_text(out.user_text, content->as_string());
        stored_content = json::value::array{
            json::value::object{{"type", *role == "assistant" ? "output_text" : "input_text"},
                                {"text", content->as_string()}}};
    } else if (content->is_array()) {
        for (std::size_t j = 0; j < content->size(); ++j)
            read_part(content->at(j), index_param(param + ".content", j), *role == "user", out,
                      uploads);
        stored_content = *content;
    } else {
        throw invalid_type(param + ".content", "a string or an array", json_kind_name(*content));
    }
    return json::value::object{
        {"id", fields.string("id").value_or(store.new_id("msg_"))},
        {"type", "message"},
        {"role", *role},
        {"status", "completed"},
        {"content", std::move(stored_content)},
    };
}

/// image_generation_call and item_reference inputs: the item must be stored; a
/// referenced image call carries its prompt into this one.
inline void read_reference(const json::value& item, const std::string& param, bool image_call,
                           input_summary& out, const response_store& store)
{
    const request_fields fields(item.as_object(), false, param + ".");
    const auto id = fields.string("id");
    if (!id)
        throw missing_parameter(param + ".id");
    const auto record = store.find_item(*id);
    const bool is_image_call = record && record->image && record->image_item_id == *id;
    if (image_call && !is_image_call)
        throw invalid_request("Image generation call with id '" + valid_utf8(*id) + "' not found.",
                              param + ".id", "item_not_found");
    if (!record)
        throw invalid_request("Item with id '" + valid_utf8(*id) + "' not found.", param + ".id",
                              "item_not_found");
    if (is_image_call)
        out.reference = record->prompt;
}

} // namespace inputs_model_detail

/// Reads `input` (null: no input). Throws api_error.
inline input_summary read_input(const json::value* input, response_store& store,
                                const upload_store& uploads)
{
    using namespace inputs_model_detail;
    input_summary out;
    if (!input)
        return out;
    if (input->is_string()) {
        out.user_text = input->as_string();
        out.items.push_back(json::value::object{
            {"id", store.new_id("msg_")},
            {"type", "message"},
            {"role", "user"},
            {"status", "completed"},
            {"content", json::value::array{json::value::object{{"type", "input_text"},
                                                               {"text", input->as_string()}}}},
        });
        return out;
    }
    if (!input->is_array())
        throw invalid_type("input", "a string or an array", json_kind_name(*input));
    for (std::size_t i = 0; i < input->size(); ++i) {
        const auto& item = input->at(i);
        const auto param = index_param("input", i);
        if (!item.is_object())
            throw invalid_type(param, "an object", json_kind_name(item));
        const auto type = request_fields(item.as_object(), false, param + ".").string("type");
        if (!type || *type == "message") {
            out.items.push_back(read_message(item, param, out, store, uploads));
        } else if (*type == "image_generation_call" || *type == "item_reference") {
            read_reference(item, param, *type == "image_generation_call", out, store);
            out.items.push_back(item);
        } else {
            throw invalid_value(param + ".type", valid_utf8(*type),
                                {"message", "image_generation_call", "item_reference"});
        }
    }
    return out;
}

} // namespace imagine_emulator
