#pragma once

// The checks made before a Responses request is sent (api-facts §3), in the manner of
// image_checks.hpp: each failure is a request_error naming the field as the server
// would ("tools[0].partial_images", "input[1].content[0].image_url"), and nothing is sent.

#include <imagine/api/detail/image_checks.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/types/files.hpp>
#include <imagine/api/types/response_request.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace imagine::detail {

inline std::string indexed(std::string_view base, std::size_t i)
{
    std::string out(base);
    out += '[';
    out += std::to_string(i);
    out += ']';
    return out;
}

inline void check_image_tool(const image_generation_tool& t, const std::string& field)
{
    auto in = [&](const char* member) { return field + "." + member; };
    if (t.partial_images && (*t.partial_images < 0 || *t.partial_images > 3))
        refuse(in("partial_images"),
               "must be between 0 and 3, got " + std::to_string(*t.partial_images));
    if (t.output_compression && (*t.output_compression < 0 || *t.output_compression > 100))
        refuse(in("output_compression"),
               "must be between 0 and 100, got " + std::to_string(*t.output_compression));
    if (t.background == background::transparent && t.output_format == output_format::jpeg)
        refuse(in("background"), "transparent needs output_format png or webp, not jpeg");
    if (t.input_image_mask)
        check_reference(*t.input_image_mask, in("input_image_mask"), true);
    // The tool's default model is gpt-image-1.
    const std::string model = t.model.value_or(models::gpt_image_1);
    if (const model_family family = family_of(model); t.size && family == model_family::gpt_image)
        check_size(model, family, *t.size,
                   {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536},
                   in("size"));
}

inline void check_input_content(const input_content& part, const std::string& field)
{
    if (const auto* image = std::get_if<input_image>(&part))
        check_reference(image_reference{image->image_url, image->file_id}, field);
}

inline void check_input(const response_input& input)
{
    const auto* items = std::get_if<std::vector<input_item>>(&input);
    if (!items)
        return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string field = indexed("input", i);
        const input_item& item = (*items)[i];
        if (const auto* message = std::get_if<input_message>(&item)) {
            const auto* parts = std::get_if<std::vector<input_content>>(&message->content);
            for (std::size_t j = 0; parts && j < parts->size(); ++j)
                check_input_content((*parts)[j], indexed(field + ".content", j));
        } else if (const auto* call = std::get_if<image_generation_call_reference>(&item)) {
            if (call->id.empty())
                refuse(field + ".id", "must name an image_generation_call (ig_...)");
        } else if (const auto* ref = std::get_if<item_reference>(&item)) {
            if (ref->id.empty())
                refuse(field + ".id", "must not be empty");
        }
    }
}

inline void check_metadata(const std::map<std::string, std::string>& metadata)
{
    if (metadata.size() > 16)
        refuse("metadata", "holds at most 16 pairs, got " + std::to_string(metadata.size()));
    for (const auto& [key, value] : metadata) {
        if (key.size() > 64)
            refuse("metadata", "keys are at most 64 characters: \"" + key.substr(0, 64) + "...\"");
        if (value.size() > 512)
            refuse("metadata", "values are at most 512 characters (key \"" + key + "\")");
    }
}

inline void check_create(const response_create_request& r)
{
    if (r.model.empty())
        refuse("model", "must not be empty");
    if (r.input)
        check_input(*r.input);
    for (std::size_t i = 0; r.tools && i < r.tools->size(); ++i)
        if (const auto* tool = std::get_if<image_generation_tool>(&(*r.tools)[i]))
            check_image_tool(*tool, indexed("tools", i));
    const bool stored = r.store.value_or(true);
    if (r.previous_response_id && !stored)
        refuse("previous_response_id",
               "needs a stored chain: it cannot be combined with store: false");
    if (r.previous_response_id && r.previous_response_id->empty())
        refuse("previous_response_id", "must not be empty");
    if (r.background.value_or(false) && !stored)
        refuse("background", "background responses must be stored: store cannot be false");
    if (r.max_output_tokens && *r.max_output_tokens < 16)
        refuse("max_output_tokens",
               "must be at least 16, got " + std::to_string(*r.max_output_tokens));
    if (r.metadata)
        check_metadata(*r.metadata);
    if (r.temperature && (*r.temperature < 0 || *r.temperature > 2))
        refuse("temperature", "must be between 0 and 2");
    if (r.top_p && (*r.top_p < 0 || *r.top_p > 1))
        refuse("top_p", "must be between 0 and 1");
}

/// Ids go into the request path: anything but letters, digits, '_' and '-' is refused
/// rather than escaped, so that no id can reach another endpoint.
inline void check_id(std::string_view id, const char* field)
{
    if (id.empty())
        refuse(field, "must not be empty");
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            refuse(field, "may hold only letters, digits, '_' and '-'");
}

inline void check_upload(const file_upload_request& r)
{
    if (r.purpose == file_purpose::unknown)
        refuse("purpose", "is not a known purpose");
    if (r.expires_after_seconds &&
        (*r.expires_after_seconds < 3600 || *r.expires_after_seconds > 2592000))
        refuse("expires_after[seconds]",
               "must be between 3600 and 2592000, got " + std::to_string(*r.expires_after_seconds));
}

} // namespace imagine::detail
