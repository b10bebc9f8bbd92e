#pragma once

// POST /files [CreateFileRequest] and the File object [OpenAIFile]: upload an image once
// and refer to it by file_id in input_image parts, image masks and JSON edits.

#include <imagine/api/types/images.hpp>
#include <imagine/api/types/response_enums.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace imagine {

struct file_upload_request {
    /// From disk (streamed while sending) or from memory; see input_file.
    input_file file{};
    file_purpose purpose = file_purpose::vision;
    /// Expire this many seconds after creation (3600–2592000); absent: the API's
    /// default for the purpose.
    std::optional<std::int64_t> expires_after_seconds{};
};

/// [OpenAIFile].
struct file_object {
    std::string id{};
    std::string object = "file";
    std::int64_t bytes = 0;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> expires_at{};
    std::string filename{};
    /// Kept as text: the API lists more purposes than uploads accept.
    std::string purpose{};
    std::optional<std::string> status{};
    /// Not in the body: the x-request-id header.
    std::optional<std::string> request_id{};
};

} // namespace imagine
