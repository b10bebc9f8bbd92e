#pragma once

// The checks made before an Images request is sent (api-facts §1). Each failure is a
// request_error naming the field as the server would ("size", "image[1]", "mask"), and
// nothing goes on the wire. Models this library does not know get only the checks that
// hold for every model; client_options::validate = false turns all of them off.

#include <imagine/api/error.hpp>
#include <imagine/api/types/images.hpp>
#include <imagine/api/types/models.hpp>
#include <imagine/util/image_info.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace imagine::detail {

inline constexpr std::uint64_t gpt_image_file_limit = 50ull * 1024 * 1024;
inline constexpr std::uint64_t dall_e_file_limit = 4ull * 1024 * 1024;
inline constexpr std::size_t image_url_limit = 20971520;

[[noreturn]] inline void refuse(std::string field, const std::string& reason)
{
    throw request_error(std::move(field), reason);
}

/// Characters as the API counts them: Unicode code points of the UTF-8 text.
inline std::size_t code_points(std::string_view text) noexcept
{
    std::size_t n = 0;
    for (char c : text)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

inline void check_range(const std::optional<int>& v, int low, int high, const char* field)
{
    if (v && (*v < low || *v > high))
        refuse(field, "must be between " + std::to_string(low) + " and " + std::to_string(high) +
                          ", got " + std::to_string(*v));
}

inline void check_prompt(std::string_view prompt, model_family family,
                         std::size_t gpt_limit = 32000)
{
    if (prompt.empty())
        refuse("prompt", "must not be empty");
    const std::size_t limit = family == model_family::dall_e_2    ? 1000
                              : family == model_family::dall_e_3  ? 4000
                              : family == model_family::gpt_image ? gpt_limit
                                                                  : 0;
    const std::size_t length = code_points(prompt);
    if (limit != 0 && length > limit)
        refuse("prompt", "is " + std::to_string(length) + " characters; the model takes at most " +
                             std::to_string(limit));
}

/// The options every request shares, whatever the model.
struct common_fields {
    std::string_view model;
    const std::optional<int>* n;
    const std::optional<quality>* quality_;
    const std::optional<background>* background_;
    const std::optional<output_format>* output_format_;
    const std::optional<int>* output_compression;
    const std::optional<int>* partial_images;
    const std::optional<response_format>* response_format_;
};

inline void check_size(std::string_view model, model_family family, const std::string& size,
                       std::initializer_list<std::string_view> fixed,
                       const std::string& field = "size")
{
    if (size == sizes::auto_)
        return;
    for (std::string_view s : fixed)
        if (size == s)
            return;
    if (takes_free_size(model)) {
        const auto wh = parse_size(size);
        if (!wh || wh->width == 0 || wh->height == 0)
            refuse(field, "\"" + size + "\" is not \"auto\" or WIDTHxHEIGHT");
        if (wh->width % 16 != 0 || wh->height % 16 != 0)
            refuse(field,
                   "width and height must both be multiples of 16 for " + std::string(model));
        const std::uint32_t longer = std::max(wh->width, wh->height);
        const std::uint32_t shorter = std::min(wh->width, wh->height);
        if (longer > 3 * static_cast<std::uint64_t>(shorter))
            refuse(field, "the aspect ratio must be between 1:3 and 3:1");
        if (longer > 3840 || shorter > 2160)
            refuse(field, "at most 3840x2160 (or 2160x3840) for " + std::string(model));
        return;
    }
    if (family == model_family::unknown)
        return;
    std::string allowed;
    for (std::string_view s : fixed)
        allowed += (allowed.empty() ? "" : ", ") + std::string(s);
    refuse(field, "\"" + size + "\" is not a size " + std::string(model) + " takes (auto, " +
                      allowed + ")");
}

inline void check_common(const common_fields& f, model_family family)
{
    if (f.model.empty())
        refuse("model", "must not be empty");
    check_range(*f.n, 1, 10, "n");
    check_range(*f.partial_images, 0, 3, "partial_images");
    check_range(*f.output_compression, 0, 100, "output_compression");
    const auto format = f.output_format_->value_or(output_format::png);
    if (*f.output_compression && format != output_format::jpeg && format != output_format::webp)
        refuse("output_compression", "needs output_format jpeg or webp");
    if (*f.background_ == background::transparent && format != output_format::png &&
        format != output_format::webp)
        refuse("background", "transparent needs output_format png or webp");
    const std::string model(f.model);
    if (family == model_family::gpt_image) {
        if (*f.response_format_)
            refuse("response_format",
                   "is for dall-e models; " + model + " always answers with b64_json");
        if (auto q = *f.quality_; q && *q != quality::auto_ && *q != quality::low &&
                                  *q != quality::medium && *q != quality::high)
            refuse("quality", std::string(to_string(*q)) + " is not a quality of " + model +
                                  " (low, medium, high, auto)");
    } else if (family == model_family::dall_e_2 || family == model_family::dall_e_3) {
        const char* gpt_only[] = {"output_format", "output_compression", "background",
                                  "partial_images"};
        const bool set[] = {f.output_format_->has_value(), f.output_compression->has_value(),
                            f.background_->has_value(), f.partial_images->has_value()};
        for (std::size_t i = 0; i < 4; ++i)
            if (set[i])
                refuse(gpt_only[i], "is for GPT image models, not " + model);
        if (auto q = *f.quality_; q && *q != quality::auto_ && *q != quality::standard &&
                                  (family == model_family::dall_e_2 || *q != quality::hd))
            refuse("quality", std::string(to_string(*q)) + " is not a quality of " + model);
    }
}

inline void check_generate(const image_generate_request& r)
{
    const model_family family = family_of(r.model);
    check_prompt(r.prompt, family);
    check_common({r.model, &r.n, &r.quality, &r.background, &r.output_format, &r.output_compression,
                  &r.partial_images, &r.response_format},
                 family);
    const bool dall_e = family == model_family::dall_e_2 || family == model_family::dall_e_3;
    if (dall_e && r.moderation)
        refuse("moderation", "is for GPT image models, not " + r.model);
    if (dall_e && r.stream.value_or(false))
        refuse("stream", "streaming is for GPT image models, not " + r.model);
    if (family == model_family::dall_e_3 && r.n && *r.n != 1)
        refuse("n", "dall-e-3 makes one image per request (n = 1)");
    if (r.style && family != model_family::dall_e_3 && family != model_family::unknown)
        refuse("style", "is for dall-e-3 only");
    if (r.size) {
        if (family == model_family::dall_e_2)
            check_size(r.model, family, *r.size,
                       {sizes::square_256, sizes::square_512, sizes::square_1024});
        else if (family == model_family::dall_e_3)
            check_size(r.model, family, *r.size,
                       {sizes::square_1024, sizes::landscape_1792x1024, sizes::portrait_1024x1792});
        else
            check_size(r.model, family, *r.size,
                       {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536});
    }
}

/// What an input file turned out to be, from its bytes.
struct inspected_file {
    image_info info{};
    std::uint64_t size = 0;
    std::string filename{};
    std::string content_type{};
};

/// Reads the header of an input file (from disk, only its first bytes) to learn its
/// format, dimensions and size. With `strict`, a file that is not PNG/JPEG/WebP is refused.
inline inspected_file inspect(const input_file& f, const std::string& field, bool strict)
{
    inspected_file out;
    std::error_code ec;
    if (!f.path.empty()) {
        out.size = std::filesystem::file_size(f.path, ec);
        if (ec)
            refuse(field, "cannot read \"" + f.path.string() + "\": " + ec.message());
        out.info = probe_image_file(f.path, ec);
    } else {
        out.size = f.bytes.size();
        out.info = probe_image(f.bytes, ec);
    }
    if (ec && strict)
        refuse(field, (f.path.empty() ? std::string("the bytes") : "\"" + f.path.string() + "\"") +
                          " are not a PNG, JPEG or WebP image (" + ec.message() + ")");
    if (ec)
        out.info = image_info{};
    out.content_type = !f.content_type.empty() ? f.content_type
                       : out.info.format != image_format::unknown
                           ? std::string(mime_type(out.info.format))
                           : std::string("application/octet-stream");
    out.filename = !f.filename.empty() ? f.filename
                   : !f.path.empty()   ? f.path.filename().string()
                                       : "image" + std::string(file_extension(out.info.format));
    return out;
}

inline void check_dall_e_png(const inspected_file& f, const std::string& field)
{
    if (f.info.format != image_format::png)
        refuse(field, "dall-e-2 takes a PNG, this is " + std::string(to_string(f.info.format)));
    if (f.info.width != f.info.height)
        refuse(field, "dall-e-2 takes a square image, this is " + std::to_string(f.info.width) +
                          "x" + std::to_string(f.info.height));
    if (f.size >= dall_e_file_limit)
        refuse(field,
               "dall-e-2 takes images under 4 MB, this is " + std::to_string(f.size) + " bytes");
}

/// Inspects every file of an edit (needed for the content types) and, with `strict`,
/// checks the request. Returns the images' inspections, then the mask's when present.
inline std::vector<inspected_file> check_edit(const image_edit_request& r, bool strict)
{
    const model_family family = family_of(r.model);
    if (strict) {
        if (family == model_family::dall_e_3)
            refuse("model", "dall-e-3 cannot edit images (use a GPT image model or dall-e-2)");
        check_prompt(r.prompt, family);
        check_common({r.model, &r.n, &r.quality, &r.background, &r.output_format,
                      &r.output_compression, &r.partial_images, &r.response_format},
                     family);
        if (r.image.empty())
            refuse("image", "at least one image is needed");
        if (r.image.size() > 16)
            refuse("image", "at most 16 images, got " + std::to_string(r.image.size()));
        if (family == model_family::dall_e_2 && r.image.size() != 1)
            refuse("image", "dall-e-2 edits exactly one image");
        if (family == model_family::dall_e_2 && (r.input_fidelity || r.stream.value_or(false)))
            refuse(r.input_fidelity ? "input_fidelity" : "stream",
                   "is for GPT image models, not dall-e-2");
        if (r.input_fidelity && r.model == models::gpt_image_1_mini)
            refuse("input_fidelity", "is not supported by gpt-image-1-mini");
        if (r.size) {
            if (family == model_family::dall_e_2)
                check_size(r.model, family, *r.size,
                           {sizes::square_256, sizes::square_512, sizes::square_1024});
            else
                check_size(
                    r.model, family, *r.size,
                    {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536});
        }
    }
    std::vector<inspected_file> files;
    for (std::size_t i = 0; i < r.image.size(); ++i) {
        const std::string field =
            r.image.size() == 1 ? "image" : "image[" + std::to_string(i) + "]";
        files.push_back(inspect(r.image[i], field, strict));
        if (!strict)
            continue;
        if (family == model_family::dall_e_2)
            check_dall_e_png(files.back(), field);
        else if (files.back().size >= gpt_image_file_limit)
            refuse(field, "images must be under 50 MB, this is " +
                              std::to_string(files.back().size) + " bytes");
    }
    if (r.mask) {
        files.push_back(inspect(*r.mask, "mask", strict));
        const inspected_file& m = files.back();
        if (strict) {
            if (m.info.format != image_format::png || !m.info.has_alpha)
                refuse("mask", "must be a PNG with an alpha channel (transparent pixels mark the "
                               "area to edit)");
            if (m.size >= dall_e_file_limit)
                refuse("mask", "must be under 4 MB, this is " + std::to_string(m.size) + " bytes");
            const image_info& first = files.front().info;
            if (m.info.width != first.width || m.info.height != first.height)
                refuse("mask", "is " + std::to_string(m.info.width) + "x" +
                                   std::to_string(m.info.height) + " but the first image is " +
                                   std::to_string(first.width) + "x" +
                                   std::to_string(first.height));
        }
    }
    return files;
}

/// Non-empty, whole quads of the standard alphabet, `=` padding only at the very end.
inline bool well_formed_base64(std::string_view text) noexcept
{
    if (text.empty() || text.size() % 4 != 0)
        return false;
    std::size_t body = text.size();
    for (int pad = 0; pad < 2 && body > 0 && text[body - 1] == '='; ++pad)
        --body;
    for (std::size_t i = 0; i < body; ++i) {
        const char c = text[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok)
            return false;
    }
    return true;
}

/// `raw_base64`: a bare base64 image is also accepted (the image tool's mask is
/// documented as "Base64-encoded mask image").
inline void check_reference(const image_reference& ref, const std::string& field,
                            bool raw_base64 = false)
{
    if (ref.image_url.has_value() == ref.file_id.has_value())
        refuse(field, "needs exactly one of image_url and file_id");
    if (ref.file_id && ref.file_id->empty())
        refuse(field + ".file_id", "must not be empty");
    if (!ref.image_url)
        return;
    const std::string& u = *ref.image_url;
    if (u.size() > image_url_limit)
        refuse(field + ".image_url", "is longer than 20971520 characters");
    if (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0)
        return;
    if (u.rfind("data:", 0) != 0) {
        if (raw_base64 && well_formed_base64(u))
            return;
        refuse(field + ".image_url", raw_base64 ? "must be an http(s) URL, a data: URL or base64"
                                                : "must be an http(s) URL or a data: URL");
    }
    const auto comma = u.find(',');
    const std::string_view header = std::string_view(u).substr(0, comma);
    if (comma == std::string::npos || header.size() < 12 ||
        header.substr(header.size() - 7) != ";base64" || header.substr(5, 6) != "image/")
        refuse(field + ".image_url", "a data URL must look like data:image/png;base64,...");
    if (!well_formed_base64(std::string_view(u).substr(comma + 1)))
        refuse(field + ".image_url", "the data URL's payload is not well-formed base64");
}

inline void check_edit_json(const image_edit_json_request& r)
{
    const model_family family = family_of(r.model);
    if (family == model_family::dall_e_2 || family == model_family::dall_e_3)
        refuse("model", "JSON edits take GPT image models only (dall-e-2 edits are multipart)");
    check_prompt(r.prompt, family);
    const std::optional<response_format> none;
    check_common({r.model, &r.n, &r.quality, &r.background, &r.output_format, &r.output_compression,
                  &r.partial_images, &none},
                 family);
    if (r.images.empty() || r.images.size() > 16)
        refuse("images", "takes 1 to 16 images, got " + std::to_string(r.images.size()));
    for (std::size_t i = 0; i < r.images.size(); ++i)
        check_reference(r.images[i], "images[" + std::to_string(i) + "]");
    if (r.mask)
        check_reference(*r.mask, "mask");
    if (r.input_fidelity && r.model == models::gpt_image_1_mini)
        refuse("input_fidelity", "is not supported by gpt-image-1-mini");
    if (r.size && family == model_family::gpt_image)
        check_size(r.model, family, *r.size,
                   {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536});
}

inline inspected_file check_variation(const image_variation_request& r, bool strict)
{
    const model_family family = family_of(r.model);
    if (strict) {
        if (family != model_family::dall_e_2 && family != model_family::unknown)
            refuse("model", "variations are made by dall-e-2 only");
        check_range(r.n, 1, 10, "n");
        if (r.size)
            check_size(r.model, family, *r.size,
                       {sizes::square_256, sizes::square_512, sizes::square_1024});
    }
    inspected_file f = inspect(r.image, "image", strict);
    if (strict && family == model_family::dall_e_2)
        check_dall_e_png(f, "image");
    return f;
}

} // namespace imagine::detail
