#pragma once

// Requests and responses of the Images API (/images/generations, /images/edits,
// /images/variations), member for member as the OpenAPI schemas name them. Unset
// std::optional members are not sent; `model` is always sent, because the server's own
// default for generations is dall-e-2, which is rarely what anyone wants.

#include <imagine/api/types/enums.hpp>
#include <imagine/api/types/models.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace imagine {

/// POST /images/generations [CreateImageRequest].
struct image_generate_request {
    std::string prompt{};
    std::string model = models::gpt_image_1_5;
    std::optional<int> n{};
    /// "auto", "1024x1024", ... or any WIDTHxHEIGHT for gpt-image-2 (see size_string).
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<int> output_compression{};
    std::optional<imagine::moderation> moderation{};
    /// 0–3; with images.generate_stream.
    std::optional<int> partial_images{};
    /// Set by the operation: generate sends false or nothing, generate_stream true.
    std::optional<bool> stream{};
    /// dall-e-2 / dall-e-3 only; GPT image models always answer with base64.
    std::optional<imagine::response_format> response_format{};
    /// dall-e-3 only.
    std::optional<image_style> style{};
    std::optional<std::string> user{};
};

/// An image file sent in a multipart request: read from disk while sending (never held
/// in memory whole), or bytes held in memory when `path` is empty.
struct input_file {
    std::filesystem::path path{};
    std::string bytes{};
    /// Default: the file name of `path`, else "image" plus the extension of the format.
    std::string filename{};
    /// Default: image/png, image/jpeg or image/webp, from the bytes (never from the name).
    std::string content_type{};

    static input_file from_path(std::filesystem::path p) { return {std::move(p), {}, {}, {}}; }
    static input_file from_bytes(std::string data, std::string name = {})
    {
        return {{}, std::move(data), std::move(name), {}};
    }
};

/// POST /images/edits as multipart/form-data [CreateImageEditRequest]. One image goes
/// as the part `image`, several as repeated `image[]` parts, then `mask`.
struct image_edit_request {
    /// 1–16 images (dall-e-2: one square PNG).
    std::vector<input_file> image{};
    std::string prompt{};
    /// A PNG with an alpha channel, the size of the first image; transparent pixels
    /// mark where to edit.
    std::optional<input_file> mask{};
    std::string model = models::gpt_image_1_5;
    std::optional<int> n{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<int> output_compression{};
    std::optional<imagine::input_fidelity> input_fidelity{};
    std::optional<int> partial_images{};
    std::optional<bool> stream{};
    std::optional<imagine::response_format> response_format{};
    std::optional<std::string> user{};
};

/// An image by reference [ImageRefParam]: exactly one of an https or data: URL, or the
/// id of an uploaded file.
struct image_reference {
    std::optional<std::string> image_url{};
    std::optional<std::string> file_id{};
};

/// POST /images/edits as application/json [EditImageBodyJsonParam]; GPT image models only.
struct image_edit_json_request {
    std::vector<image_reference> images{};
    std::string prompt{};
    std::optional<image_reference> mask{};
    std::string model = models::gpt_image_1_5;
    std::optional<int> n{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<int> output_compression{};
    std::optional<imagine::input_fidelity> input_fidelity{};
    std::optional<imagine::moderation> moderation{};
    std::optional<int> partial_images{};
    std::optional<bool> stream{};
    std::optional<std::string> user{};
};

/// POST /images/variations [CreateImageVariationRequest]; dall-e-2 only.
struct image_variation_request {
    /// A square PNG under 4 MB.
    input_file image{};
    std::string model = models::dall_e_2;
    std::optional<int> n{};
    std::optional<std::string> size{};
    std::optional<imagine::response_format> response_format{};
    std::optional<std::string> user{};
};

/// One generated image [Image].
struct image {
    /// Base64 of the encoded image (PNG/JPEG/WebP); see save_image.
    std::optional<std::string> b64_json{};
    /// dall-e only, with response_format url; valid for 60 minutes.
    std::optional<std::string> url{};
    /// dall-e-3 only.
    std::optional<std::string> revised_prompt{};
};

struct image_input_tokens_details {
    std::int64_t text_tokens = 0;
    std::int64_t image_tokens = 0;
};

struct image_output_tokens_details {
    std::int64_t image_tokens = 0;
    std::int64_t text_tokens = 0;
};

/// Token usage of a GPT image request [ImageGenUsage / ImagesUsage].
struct image_usage {
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::int64_t total_tokens = 0;
    std::optional<image_input_tokens_details> input_tokens_details{};
    std::optional<image_output_tokens_details> output_tokens_details{};
};

/// The answer of generate, edit and create_variation [ImagesResponse].
struct images_response {
    std::int64_t created = 0;
    std::vector<image> data{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    /// A free string: gpt-image-2 answers with the size it was asked for.
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<image_usage> usage{};
    /// Not in the body: the x-request-id header, for support requests.
    std::optional<std::string> request_id{};
};

} // namespace imagine
