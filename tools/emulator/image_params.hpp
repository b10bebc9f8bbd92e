#pragma once

// The Images API parameters: reading a generations / edits / variations request (JSON
// or multipart) into one image_request, validated with the real API's rules and error
// shapes: unknown and mistyped fields, models per endpoint, GPT-only and dall-e-only
// parameters, enums, ranges, sizes per model (gpt-image-2 takes any WxH within limits),
// prompt lengths, and the input images (image_inputs.hpp).

#include "api_error.hpp"
#include "http_request.hpp"
#include "image_inputs.hpp"
#include "image_probe.hpp"
#include "multipart.hpp"
#include "request_fields.hpp"

#include <imagine/json/read.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

enum class image_endpoint { generations, edits, variations };

struct image_request {
    image_endpoint endpoint = image_endpoint::generations;
    std::string model{};
    bool gpt = false;
    std::string prompt{};
    int n = 1;
    std::string quality{};     ///< resolved: low|medium|high, or standard|hd
    bool url_response = false; ///< dall-e with response_format url (its default)
    image_format output_format = image_format::png;
    int output_compression = 100;
    bool stream = false;
    int partial_images = 0;
    int width = 1024;
    int height = 1024;
    bool transparent = false;
    std::vector<input_image> images{};
    std::optional<input_image> mask{};

    std::string size() const { return std::to_string(width) + "x" + std::to_string(height); }
};

namespace params_detail {

using names = std::vector<std::string_view>;

inline const names gpt_models = {"gpt-image-1.5", "gpt-image-2",      "gpt-image-2-2026-04-21",
                                 "gpt-image-1",   "gpt-image-1-mini", "chatgpt-image-latest"};

inline bool is_gpt_model(std::string_view model)
{
    return std::find(gpt_models.begin(), gpt_models.end(), model) != gpt_models.end();
}

inline names models_for(image_endpoint endpoint, bool json_edit)
{
    switch (endpoint) {
    case image_endpoint::generations:
        return {"gpt-image-1.5", "gpt-image-2", "gpt-image-2-2026-04-21", "dall-e-2",
                "dall-e-3",      "gpt-image-1", "gpt-image-1-mini",       "chatgpt-image-latest"};
    case image_endpoint::edits:
        if (json_edit)
            return gpt_models;
        return {"gpt-image-1.5", "gpt-image-2",      "gpt-image-2-2026-04-21", "dall-e-2",
                "gpt-image-1",   "gpt-image-1-mini", "chatgpt-image-latest"};
    case image_endpoint::variations:
        return {"dall-e-2"};
    }
    return {};
}

inline names known_fields(image_endpoint endpoint, bool json_edit)
{
    switch (endpoint) {
    case image_endpoint::generations:
        return {"prompt",
                "model",
                "n",
                "quality",
                "response_format",
                "output_format",
                "output_compression",
                "stream",
                "partial_images",
                "size",
                "moderation",
                "background",
                "style",
                "user"};
    case image_endpoint::edits:
        if (json_edit)
            return {"model",
                    "images",
                    "mask",
                    "prompt",
                    "n",
                    "quality",
                    "input_fidelity",
                    "size",
                    "user",
                    "output_format",
                    "output_compression",
                    "moderation",
                    "background",
                    "stream",
                    "partial_images"};
        return {"prompt",
                "model",
                "n",
                "size",
                "response_format",
                "output_format",
                "output_compression",
                "user",
                "input_fidelity",
                "stream",
                "partial_images",
                "quality",
                "background"};
    case image_endpoint::variations:
        return {"model", "n", "response_format", "size", "user"};
    }
    return {};
}

inline std::string one_of(const request_fields& fields, std::string_view name, const names& allowed,
                          std::string_view fallback)
{
    const auto value = fields.string(name);
    if (!value)
        return std::string(fallback);
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end())
        throw invalid_value(name, *value, allowed);
    return *value;
}

inline int in_range(const request_fields& fields, std::string_view name, int low, int high,
                    int fallback)
{
    const auto value = fields.integer(name);
    if (!value)
        return fallback;
    if (*value < low)
        throw invalid_request(
            "Invalid '" + std::string(name) +
                "': integer below minimum value. Expected a value greater than or equal to " +
                std::to_string(low) + ", but got " + std::to_string(*value) + " instead.",
            std::string(name), "integer_below_min_value");
    if (*value > high)
        throw invalid_request(
            "Invalid '" + std::string(name) +
                "': integer above maximum value. Expected a value less than or equal to " +
                std::to_string(high) + ", but got " + std::to_string(*value) + " instead.",
            std::string(name), "integer_above_max_value");
    return static_cast<int>(*value);
}

inline api_error not_for_model(std::string_view name, std::string_view model, bool gpt_only)
{
    return invalid_request(
        "Invalid value for '" + std::string(name) + "': this parameter is " +
            (gpt_only ? "only supported for the GPT image models" : "not supported") +
            ", not for '" + std::string(model) + "'.",
        std::string(name), "invalid_value");
}

inline std::optional<std::pair<int, int>> parse_size(std::string_view text)
{
    const auto x = text.find('x');
    if (x == std::string_view::npos)
        return std::nullopt;
    const auto w = parse_decimal<int>(text.substr(0, x));
    const auto h = parse_decimal<int>(text.substr(x + 1));
    if (!w || !h || *w <= 0 || *h <= 0)
        return std::nullopt;
    return std::pair{*w, *h};
}

// The size rules per model; "auto" resolves to 1024x1024.
inline void resolve_size(const request_fields& fields, image_request& r, std::string_view fallback)
{
    const auto text = fields.string("size").value_or(std::string(fallback));
    names allowed;
    if (r.endpoint == image_endpoint::variations || r.model == "dall-e-2")
        allowed = {"256x256", "512x512", "1024x1024"};
    else if (r.model == "dall-e-3")
        allowed = {"1024x1024", "1792x1024", "1024x1792"};
    else
        allowed = {"1024x1024", "1536x1024", "1024x1536"};
    if (r.endpoint != image_endpoint::variations)
        allowed.push_back("auto");

    const bool flexible = r.model == "gpt-image-2" || r.model == "gpt-image-2-2026-04-21";
    if (text == "auto" && r.endpoint != image_endpoint::variations) {
        r.width = r.height = 1024;
        return;
    }
    if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) {
        std::tie(r.width, r.height) = *parse_size(text);
        return;
    }
    if (flexible) {
        if (const auto wh = parse_size(text)) {
            const auto [w, h] = *wh;
            const char* problem = nullptr;
            if (w % 16 != 0 || h % 16 != 0)
                problem = "width and height must both be divisible by 16";
            else if (w > 3 * h || h > 3 * w)
                problem = "the aspect ratio must be between 1:3 and 3:1";
            else if (std::max(w, h) > 3840 || static_cast<long>(w) * h > 3840L * 2160L)
                problem = "the maximum supported resolution is 3840x2160";
            if (!problem) {
                r.width = w;
                r.height = h;
                return;
            }
            throw invalid_request("Invalid value: '" + text + "'. For " + r.model + ", " + problem +
                                      ".",
                                  "size", "invalid_value");
        }
    }
    throw invalid_value("size", text, allowed);
}

inline void check_prompt(const request_fields& fields, image_request& r, bool required)
{
    const auto prompt = fields.string("prompt");
    if (!prompt) {
        if (required)
            throw missing_parameter("prompt");
        return;
    }
    if (prompt->empty())
        throw invalid_request(
            "Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an "
            "empty string instead.",
            "prompt", "empty_string");
    const std::size_t limit = r.gpt ? 32000 : r.model == "dall-e-3" ? 4000 : 1000;
    // The API counts characters; count UTF-8 code points, not bytes.
    const auto length =
        static_cast<std::size_t>(std::count_if(prompt->begin(), prompt->end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        }));
    if (length > limit)
        throw invalid_request(
            "Invalid 'prompt': string too long. Expected a string with maximum length " +
                std::to_string(limit) + ", but got a string with length " + std::to_string(length) +
                " instead.",
            "prompt", "string_above_max_length");
    r.prompt = *prompt;
}

} // namespace params_detail

/// The scalar parameters shared by all three endpoints (after the images are known).
inline void read_image_params(const request_fields& fields, image_request& r, bool json_edit)
{
    using namespace params_detail;
    fields.check_known(known_fields(r.endpoint, json_edit));

    // Read every field once up front, so type errors come before value errors.
    for (const auto* name : {"prompt", "model", "quality", "response_format", "output_format",
                             "size", "moderation", "background", "style", "user", "input_fidelity"})
        (void)fields.string(name);
    for (const auto* name : {"n", "output_compression", "partial_images"})
        (void)fields.integer(name);
    (void)fields.boolean("stream");

    // Model: explicit, else the endpoint's default. Generations default to dall-e-2
    // unless a GPT-only parameter is used (the API documents exactly that).
    const auto model = fields.string("model");
    if (model) {
        const auto allowed = models_for(r.endpoint, json_edit);
        if (std::find(allowed.begin(), allowed.end(), *model) == allowed.end())
            throw invalid_value("model", *model, allowed);
        r.model = *model;
    } else if (r.endpoint == image_endpoint::generations) {
        const bool gpt_hint = fields.has("output_format") || fields.has("output_compression") ||
                              fields.has("background") || fields.has("moderation") ||
                              fields.boolean("stream").value_or(false) ||
                              fields.has("partial_images");
        r.model = gpt_hint ? "gpt-image-1.5" : "dall-e-2";
    } else {
        r.model = r.endpoint == image_endpoint::edits ? "gpt-image-1.5" : "dall-e-2";
    }
    r.gpt = is_gpt_model(r.model);

    check_prompt(fields, r, r.endpoint != image_endpoint::variations);

    r.n = in_range(fields, "n", 1, 10, 1);
    if (r.model == "dall-e-3" && r.n != 1)
        throw invalid_request("Invalid value for 'n': dall-e-3 only supports n=1.", "n",
                              "invalid_value");

    // Parameters that only one family of models takes.
    if (!r.gpt) {
        for (const auto* name : {"output_format", "output_compression", "background", "moderation",
                                 "partial_images", "input_fidelity"})
            if (fields.has(name))
                throw not_for_model(name, r.model, true);
        if (fields.boolean("stream").value_or(false))
            throw not_for_model("stream", r.model, true);
    } else if (fields.has("response_format")) {
        throw not_for_model("response_format", r.model, false);
    }
    if (fields.has("style") && r.model != "dall-e-3")
        throw not_for_model("style", r.model, false);

    if (r.gpt)
        r.quality = one_of(fields, "quality", {"low", "medium", "high", "auto"}, "auto");
    else if (r.model == "dall-e-3")
        r.quality = one_of(fields, "quality", {"standard", "hd", "auto"}, "auto");
    else
        r.quality = one_of(fields, "quality", {"standard", "auto"}, "auto");
    if (r.quality == "auto")
        r.quality = r.gpt ? "medium" : "standard";

    r.url_response =
        !r.gpt && one_of(fields, "response_format", {"url", "b64_json"}, "url") == "url";
    const auto format = one_of(fields, "output_format", {"png", "jpeg", "webp"}, "png");
    r.output_format = format == "jpeg"   ? image_format::jpeg
                      : format == "webp" ? image_format::webp
                                         : image_format::png;
    const auto background = one_of(fields, "background", {"transparent", "opaque", "auto"}, "auto");
    r.transparent = background == "transparent";
    (void)one_of(fields, "moderation", {"low", "auto"}, "auto");
    (void)one_of(fields, "style", {"vivid", "natural"}, "vivid");
    if (fields.has("input_fidelity")) {
        (void)one_of(fields, "input_fidelity", {"high", "low"}, "low");
        if (r.model == "gpt-image-1-mini")
            throw not_for_model("input_fidelity", r.model, false);
    }

    r.output_compression = in_range(fields, "output_compression", 0, 100, 100);
    if (r.output_format == image_format::png && r.output_compression < 100)
        throw invalid_request("Compression less than 100 is not supported for PNG output format.",
                              "output_compression", "invalid_value");
    r.partial_images = in_range(fields, "partial_images", 0, 3, 0);
    r.stream = fields.boolean("stream").value_or(false);

    resolve_size(fields, r,
                 r.endpoint == image_endpoint::generations || json_edit ? "auto" : "1024x1024");

    if (r.transparent && r.output_format == image_format::jpeg)
        throw invalid_request(
            "Transparent background is not supported for the jpeg output format; use png or webp.",
            "background", "invalid_value");
}

} // namespace imagine_emulator
