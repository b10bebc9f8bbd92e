#pragma once

// The Images endpoints: POST /v1/images/generations, /edits (multipart or JSON) and
// /variations. A request is read and validated into an image_request, then answered
// with an ImagesResponse (b64_json or URLs into the file store) or, with stream=true,
// with a list of SSE steps (partial images, then *.completed per image) that the
// connection renders and paces. Pictures are deterministic: the same prompt, index and
// size give the same pixels, and the same format gives the same bytes.

#include "api_error.hpp"
#include "file_store.hpp"
#include "http_request.hpp"
#include "http_response.hpp"
#include "image_encode.hpp"
#include "image_inputs.hpp"
#include "image_params.hpp"
#include "image_synth.hpp"
#include "multipart.hpp"
#include "request_fields.hpp"
#include "sse.hpp"

#include <imagine/base64.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <cmath>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace imagine_emulator {

struct images_context {
    file_store* files = nullptr;
    std::string origin{};    ///< "https://127.0.0.1:<port>", for image URLs
    bool bad_base64 = false; ///< fault: corrupt every b64_json
};

inline api_error json_parse_error()
{
    return api_error(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
        "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
        "sent was not valid JSON. If you have trouble figuring out how to fix this, please contact "
        "us through our help center at help.openai.com.)");
}

inline api_error unsupported_content_type(std::string_view type, std::string_view accepted)
{
    return api_error(
        400, "Unsupported content type: '" + std::string(type) +
                 "'. This API method only accepts " + std::string(accepted) +
                 " requests, but you specified the header 'Content-Type: " + std::string(type) +
                 "'. Please try again with a supported content type.");
}

namespace images_detail {

inline json::value parse_json_object(const http_request& request)
{
    json::value body;
    if (json::read(request.body, body) || !body.is_object())
        throw json_parse_error();
    return body;
}

inline bool is_image_field(std::string_view name)
{
    if (name == "image" || name == "image[]")
        return true;
    // image[0], image[1], ...: an explicit index, as some form encoders write arrays.
    return name.size() > 7 && name.substr(0, 6) == "image[" && name.back() == ']' &&
           parse_decimal<int>(name.substr(6, name.size() - 7)).has_value();
}

inline void read_multipart(const http_request& request, image_request& r)
{
    std::vector<form_part> parts;
    try {
        parts = parse_multipart(*request.header("Content-Type"), request.body);
    } catch (const multipart_error& e) {
        throw api_error(400, std::string("Could not parse the multipart form: ") + e.what() + ".");
    }
    json::value::object text_fields;
    std::vector<const form_part*> images;
    const form_part* mask = nullptr;
    for (const auto& part : parts) {
        if (is_image_field(part.name))
            images.push_back(&part);
        else if (part.name == "mask")
            mask = &part;
        else
            text_fields.emplace_back(valid_utf8(part.name), valid_utf8(part.data));
    }
    read_image_params(request_fields(text_fields, true), r, false);

    if (images.empty())
        throw missing_parameter("image");
    if (images.size() > 16)
        throw invalid_request(
            "Invalid 'image': too many images. Expected at most 16 images, but got " +
                std::to_string(images.size()) + ".",
            "image", "invalid_value");
    if (!r.gpt && images.size() > 1)
        throw invalid_request("Invalid 'image': " + r.model +
                                  " accepts exactly one image, but got " +
                                  std::to_string(images.size()) + ".",
                              "image", "invalid_value");
    const bool as_array = images.size() > 1 || images.front()->name != "image";
    const image_rules rules{!r.gpt};
    for (std::size_t i = 0; i < images.size(); ++i)
        r.images.push_back(inspect_part(as_array ? "image[" + std::to_string(i) + "]" : "image",
                                        *images[i], rules, false));
    if (mask) {
        if (r.endpoint == image_endpoint::variations)
            throw unknown_parameter("mask");
        r.mask = inspect_part("mask", *mask, rules, true);
        check_mask_geometry(*r.mask, r.images.front());
    }
}

inline input_image read_image_ref(const json::value& ref, const std::string& param, bool is_mask)
{
    if (!ref.is_object())
        throw invalid_type(param, "an object", json_kind_name(ref));
    const request_fields fields(ref.as_object(), false, param + ".");
    fields.check_known(std::vector<std::string_view>{"image_url", "file_id"});
    const auto url = fields.string("image_url");
    const auto file_id = fields.string("file_id");
    if (url && file_id)
        throw invalid_request("Invalid '" + param +
                                  "': provide exactly one of 'image_url' or 'file_id', not both.",
                              param, "invalid_value");
    if (file_id)
        return referenced_file(param, is_mask);
    if (!url)
        throw missing_parameter(param + ".image_url");
    if (url->size() > 20971520)
        throw invalid_request("Invalid '" + param +
                                  ".image_url': string too long. Expected a string with maximum "
                                  "length 20971520, but got a string with length " +
                                  std::to_string(url->size()) + " instead.",
                              param + ".image_url", "string_above_max_length");
    return inspect_image_url(param, *url, is_mask);
}

inline void read_json_edit(const json::value& body, image_request& r)
{
    read_image_params(request_fields(body.as_object(), false), r, true);
    const auto* images = request_fields(body.as_object(), false).find("images");
    if (!images)
        throw missing_parameter("images");
    if (!images->is_array())
        throw invalid_type("images", "an array", json_kind_name(*images));
    if (images->as_array().empty())
        throw invalid_request(
            "Invalid 'images': empty array. Expected an array with minimum length 1, but got an "
            "empty array instead.",
            "images", "empty_array");
    if (images->size() > 16)
        throw invalid_request(
            "Invalid 'images': too many images. Expected at most 16 images, but got " +
                std::to_string(images->size()) + ".",
            "images", "invalid_value");
    for (std::size_t i = 0; i < images->size(); ++i)
        r.images.push_back(
            read_image_ref(images->at(i), "images[" + std::to_string(i) + "]", false));
    if (const auto* mask = request_fields(body.as_object(), false).find("mask")) {
        r.mask = read_image_ref(*mask, "mask", true);
        check_mask_geometry(*r.mask, r.images.front());
    }
}

} // namespace images_detail

/// Reads and validates a request to one of the Images endpoints; throws api_error.
inline image_request parse_image_request(image_endpoint endpoint, const http_request& request)
{
    image_request r;
    r.endpoint = endpoint;
    const auto media_type = request.media_type();
    const bool multipart = media_type == "multipart/form-data";
    const bool json_body = media_type == "application/json" || media_type.empty();
    switch (endpoint) {
    case image_endpoint::generations:
        if (!json_body)
            throw unsupported_content_type(*request.header("Content-Type"), "'application/json'");
        read_image_params(
            request_fields(images_detail::parse_json_object(request).as_object(), false), r, false);
        break;
    case image_endpoint::edits:
        if (multipart)
            images_detail::read_multipart(request, r);
        else if (json_body)
            images_detail::read_json_edit(images_detail::parse_json_object(request), r);
        else
            throw unsupported_content_type(*request.header("Content-Type"),
                                           "'application/json' and 'multipart/form-data'");
        break;
    case image_endpoint::variations:
        if (!multipart)
            throw unsupported_content_type(request.header("Content-Type").value_or(""),
                                           "'multipart/form-data'");
        images_detail::read_multipart(request, r);
        break;
    }
    return r;
}

namespace images_detail {

inline std::uint64_t image_seed(const image_request& r, int index)
{
    // Variations have no prompt: they vary on the input image.
    std::uint64_t seed = r.endpoint == image_endpoint::variations ? hash64(r.images.front().bytes)
                                                                  : hash64(r.prompt);
    return hash64(std::to_string(index) + ":" + r.size(), seed);
}

inline raster final_raster(const image_request& r, int index)
{
    return synthesize(image_seed(r, index), r.width, r.height, r.transparent);
}

inline image_format format_of(const image_request& r)
{
    return r.gpt ? r.output_format : image_format::png;
}

inline std::string to_base64(const std::string& bytes, bool corrupt)
{
    auto text = imagine::base64::encode(bytes);
    if (corrupt && text.size() >= 8) // characters outside the alphabet, in the middle
        text.replace(text.size() / 2 / 4 * 4, 4, "!*@#");
    return text;
}

inline std::int64_t count_characters(const std::string& s)
{
    return std::count_if(s.begin(), s.end(),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

/// Deterministic token counts: text from the prompt length, input images at a flat
/// rate, output from quality and pixel count (gpt-image-1's published 1024x1024 costs).
inline json::value usage(const image_request& r, bool with_output_details)
{
    const std::int64_t text_tokens =
        std::max<std::int64_t>(1, (count_characters(r.prompt) + 3) / 4);
    const std::int64_t image_tokens = 194 * static_cast<std::int64_t>(r.images.size());
    const double base = r.quality == "low" ? 272 : r.quality == "high" ? 4160 : 1056;
    const auto per_image =
        static_cast<std::int64_t>(std::lround(base * r.width * r.height / (1024.0 * 1024.0)));
    const std::int64_t output = per_image * r.n;
    json::value::object u{
        {"input_tokens", text_tokens + image_tokens},
        {"output_tokens", output},
        {"total_tokens", text_tokens + image_tokens + output},
        {"input_tokens_details",
         json::value::object{{"text_tokens", text_tokens}, {"image_tokens", image_tokens}}},
    };
    if (with_output_details)
        u.emplace_back("output_tokens_details",
                       json::value::object{{"image_tokens", output}, {"text_tokens", 0}});
    return u;
}

inline std::int64_t now()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}

inline json::value image_data(const image_request& r, int index, const images_context& context)
{
    auto bytes = encode_image(final_raster(r, index), format_of(r), r.output_compression);
    json::value::object item;
    if (r.url_response) {
        const auto format = format_of(r);
        const auto name =
            context.files->add(std::move(bytes), std::string(mime_type(format)), extension(format));
        item.emplace_back("url", context.origin + "/_emulator/files/" + name);
    } else {
        item.emplace_back("b64_json", to_base64(bytes, context.bad_base64));
    }
    if (r.model == "dall-e-3")
        item.emplace_back("revised_prompt", "A detailed, vivid rendering of: " + r.prompt);
    return item;
}

inline http_response whole_response(const image_request& r, const images_context& context)
{
    json::value::array data;
    for (int i = 0; i < r.n; ++i)
        data.push_back(image_data(r, i, context));
    json::value::object body{{"created", now()}, {"data", std::move(data)}};
    if (r.gpt) {
        body.emplace_back("background", r.transparent ? "transparent" : "opaque");
        body.emplace_back("output_format", std::string(extension(r.output_format)));
        body.emplace_back("size", r.size());
        body.emplace_back("quality", r.quality);
        body.emplace_back("usage", usage(r, true));
    }
    return json_response(200, json::write(json::value(std::move(body))));
}

/// Partial images are the final picture in blocks: 8 px for the last partial, doubling
/// for each earlier one.
inline int partial_block(const image_request& r, int partial_index)
{
    return 8 << (r.partial_images - 1 - partial_index);
}

inline http_response stream_response(std::shared_ptr<const image_request> r,
                                     const images_context& context)
{
    const std::string prefix =
        r->endpoint == image_endpoint::generations ? "image_generation." : "image_edit.";
    const bool corrupt = context.bad_base64;
    auto fields = [r](std::string_view type, const std::string& bytes, bool bad) {
        return json::value::object{
            {"type", type},
            {"b64_json", to_base64(bytes, bad)},
            {"created_at", now()},
            {"size", r->size()},
            {"quality", r->quality},
            {"background", r->transparent ? "transparent" : "opaque"},
            {"output_format", std::string(extension(r->output_format))},
        };
    };
    event_stream steps;
    for (int i = 0; i < r->n; ++i) {
        // The final picture is made once per image, by its first step, and dropped
        // after its completed event.
        auto picture = std::make_shared<std::optional<raster>>();
        auto ensure = [r, picture, i]() -> const raster& {
            if (!*picture)
                *picture = final_raster(*r, i);
            return **picture;
        };
        for (int k = 0; k < r->partial_images; ++k) {
            steps.push_back({step_kind::partial, [=] {
                                 const auto bytes =
                                     encode_image(pixelate(ensure(), partial_block(*r, k)),
                                                  r->output_format, r->output_compression);
                                 auto data = fields(prefix + "partial_image", bytes, corrupt);
                                 data.emplace_back("partial_image_index", k);
                                 return sse_event(prefix + "partial_image", std::move(data));
                             }});
        }
        steps.push_back({step_kind::final, [=] {
                             const auto bytes =
                                 encode_image(ensure(), r->output_format, r->output_compression);
                             picture->reset();
                             auto data = fields(prefix + "completed", bytes, corrupt);
                             data.emplace_back("usage", usage(*r, false));
                             return sse_event(prefix + "completed", std::move(data));
                         }});
    }
    http_response response;
    response.headers.emplace_back("Content-Type", "text/event-stream");
    response.headers.emplace_back("Cache-Control", "no-cache");
    response.events = std::move(steps);
    return response;
}

} // namespace images_detail

/// Handles one Images request end to end (CPU-heavy: run it off the I/O thread).
inline http_response handle_images(image_endpoint endpoint, const http_request& request,
                                   const images_context& context)
{
    auto r = std::make_shared<image_request>(parse_image_request(endpoint, request));
    if (r->stream && endpoint != image_endpoint::variations)
        return images_detail::stream_response(std::move(r), context);
    return images_detail::whole_response(*r, context);
}

} // namespace imagine_emulator
