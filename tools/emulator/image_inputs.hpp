#pragma once

// The input images of edits and variations, checked as the API checks them: each
// multipart file part needs an accepted Content-Type (missing_file_mimetype,
// unsupported_file_mimetype), bytes that really are PNG/JPEG/WebP, a size under the
// model's limit; the mask must be a PNG with alpha of the first image's size. JSON edits
// give data URLs (decoded and checked the same way), https URLs or file ids (accepted
// as is, with a stand-in geometry).

#include "api_error.hpp"
#include "image_probe.hpp"
#include "multipart.hpp"
#include "text.hpp"

#include <imagine/base64.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

struct input_image {
    std::string param{}; ///< how errors name it: "image", "image[1]", "images[0]", "mask"
    std::string bytes{}; ///< empty for references that were not downloaded
    image_info info{};
    bool referenced = false; ///< an https URL or file id: not inspected
};

struct image_rules {
    bool dall_e = false; ///< dall-e-2: square PNG < 4 MB, image/png only
};

namespace inputs_detail {

inline constexpr std::size_t mb = 1024 * 1024;

inline api_error unsupported_mimetype(const std::string& param, std::string_view type,
                                      bool png_only)
{
    return invalid_request(
        "Invalid file '" + param + "': unsupported mimetype ('" + std::string(type) +
            "'). Supported file formats are " +
            (png_only ? "'image/png'." : "'image/jpeg', 'image/png', and 'image/webp'."),
        param, "unsupported_file_mimetype");
}

inline api_error missing_mimetype(const std::string& param)
{
    return invalid_request(
        "Invalid file '" + param +
            "': failed to determine mimetype. Ensure you are providing the file's "
            "mimetype as part of the 'Content-Type' header.",
        param, "missing_file_mimetype");
}

inline void check_mimetype(const std::string& param, std::string_view content_type, bool png_only)
{
    const auto type = to_lower(trim(content_type.substr(0, content_type.find(';'))));
    const bool accepted =
        type == "image/png" ||
        (!png_only && (type == "image/jpeg" || type == "image/jpg" || type == "image/webp"));
    if (!accepted)
        throw unsupported_mimetype(param, trim(content_type), png_only);
}

} // namespace inputs_detail

/// Inspects the bytes of one image (or mask) and applies the size / format rules.
inline input_image inspect_image(std::string param, std::string bytes, const image_rules& rules,
                                 bool is_mask)
{
    using inputs_detail::mb;
    const auto info = probe_image(bytes);
    if (!info)
        throw invalid_request("Invalid file '" + param +
                                  "': the file is not a valid PNG, JPEG or WebP image.",
                              param, "invalid_image_format");
    if (is_mask || rules.dall_e) {
        if (info->format != image_format::png)
            throw invalid_request(
                "Invalid file '" + param + "': " +
                    (is_mask ? "the mask must be a PNG image." : "dall-e-2 requires a PNG image."),
                param, "invalid_image_format");
        if (bytes.size() >= 4 * mb)
            throw invalid_request("Invalid file '" + param +
                                      "': file too large. It must be less than 4 MB.",
                                  param, "image_too_large");
    } else if (bytes.size() >= 50 * mb) {
        throw invalid_request("Invalid file '" + param +
                                  "': file too large. It must be less than 50 MB.",
                              param, "image_too_large");
    }
    if (is_mask && !info->alpha)
        throw invalid_request(
            "Invalid file '" + param +
                "': the mask must be a PNG with an alpha channel (fully transparent "
                "pixels mark the area to edit).",
            param, "invalid_image_format");
    if (!is_mask && rules.dall_e && info->width != info->height)
        throw invalid_request("Invalid file '" + param + "': the image must be square, got " +
                                  std::to_string(info->width) + "x" + std::to_string(info->height) +
                                  ".",
                              param, "invalid_image_format");
    return {std::move(param), std::move(bytes), *info, false};
}

/// The mask must match the first image's dimensions (when both were inspected).
inline void check_mask_geometry(const input_image& mask, const input_image& first)
{
    if (mask.referenced || first.referenced)
        return;
    if (mask.info.width != first.info.width || mask.info.height != first.info.height)
        throw invalid_request("Invalid mask: the mask is " + std::to_string(mask.info.width) + "x" +
                                  std::to_string(mask.info.height) + " but the image is " +
                                  std::to_string(first.info.width) + "x" +
                                  std::to_string(first.info.height) +
                                  "; they must have the same dimensions.",
                              mask.param, "invalid_value");
}

/// One multipart file part: Content-Type first (as the API does), then the bytes.
inline input_image inspect_part(std::string param, const form_part& part, const image_rules& rules,
                                bool is_mask)
{
    if (!part.content_type || trim(*part.content_type).empty())
        throw inputs_detail::missing_mimetype(param);
    inputs_detail::check_mimetype(param, *part.content_type, rules.dall_e || is_mask);
    return inspect_image(std::move(param), std::string(part.data), rules, is_mask);
}

/// An ImageRefParam's image_url: a data URL is decoded and inspected; an https URL is
/// accepted without downloading (a 1024x1024 PNG stands in for it).
inline input_image inspect_image_url(const std::string& param, const std::string& url, bool is_mask)
{
    if (istarts_with(url, "https://"))
        return {param, {}, {image_format::png, 1024, 1024, is_mask}, true};
    if (!istarts_with(url, "data:"))
        throw invalid_request("Invalid '" + param +
                                  "': expected an https URL or a base64-encoded data URL.",
                              param, "invalid_value");
    const auto comma = url.find(',');
    const std::string_view header =
        std::string_view(url).substr(5, comma == std::string::npos ? 0 : comma - 5);
    if (comma == std::string::npos || !header.ends_with(";base64"))
        throw invalid_request(
            "Invalid '" + param +
                "': expected a base64-encoded data URL (data:image/png;base64,...).",
            param, "invalid_value");
    const auto media_type = header.substr(0, header.find(';'));
    if (media_type.empty())
        throw inputs_detail::missing_mimetype(param);
    inputs_detail::check_mimetype(param, media_type, is_mask);
    std::string bytes;
    if (!imagine::base64::decode(std::string_view(url).substr(comma + 1), bytes).ok())
        throw invalid_request("Invalid '" + param + "': the data URL does not hold valid base64.",
                              param, "invalid_value");
    return inspect_image(param, std::move(bytes), image_rules{}, is_mask);
}

/// A file id is accepted as is: the emulator has no Files API yet.
inline input_image referenced_file(const std::string& param, bool is_mask)
{
    return {param, {}, {image_format::png, 1024, 1024, is_mask}, true};
}

} // namespace imagine_emulator
