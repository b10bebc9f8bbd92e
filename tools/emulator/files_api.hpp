#pragma once

// POST /v1/files: multipart uploads (`file`, `purpose`, optional `expires_after[anchor]`
// and `expires_after[seconds]`), answered with an OpenAIFile. The bytes stay in memory so
// that `file_id` references in Responses requests (input_image, input_image_mask) can be
// checked and resolved.

#include "api_error.hpp"
#include "http_request.hpp"
#include "http_response.hpp"
#include "multipart.hpp"
#include "text.hpp"

#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

struct uploaded_file {
    std::string id{};
    std::string filename{};
    std::string purpose{};
    std::string content_type{};
    std::string bytes{};
    std::int64_t created_at = 0;
    std::optional<std::int64_t> expires_at{};
};

/// Uploaded files by id; written and read from worker threads, hence the lock.
class upload_store {
public:
    /// Stores `file` under a fresh id ("file-" and 24 hex digits) and returns the id.
    std::string add(uploaded_file file)
    {
        const std::lock_guard lock(mutex_);
        std::uint64_t state = seed_ + ++counter_;
        const std::uint64_t a = splitmix64(state), b = splitmix64(state);
        unsigned char bytes[12];
        for (int i = 0; i < 8; ++i)
            bytes[i] = static_cast<unsigned char>(a >> (8 * i));
        for (int i = 0; i < 4; ++i)
            bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
        file.id = "file-" + to_hex(bytes, sizeof bytes);
        auto id = file.id;
        files_.insert_or_assign(id, std::move(file));
        return id;
    }

    bool contains(const std::string& id) const
    {
        const std::lock_guard lock(mutex_);
        return files_.contains(id);
    }

    std::optional<uploaded_file> find(const std::string& id) const
    {
        const std::lock_guard lock(mutex_);
        const auto it = files_.find(id);
        if (it == files_.end())
            return std::nullopt;
        return it->second;
    }

private:
    mutable std::mutex mutex_{};
    std::map<std::string, uploaded_file, std::less<>> files_{};
    std::uint64_t seed_ =
        (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
    std::uint64_t counter_ = 0;
};

namespace files_detail {

inline const std::vector<std::string_view> purposes = {"assistants", "batch",     "fine-tune",
                                                       "vision",     "user_data", "evals"};

inline json::value file_object(const uploaded_file& f)
{
    return json::value::object{
        {"id", f.id},
        {"object", "file"},
        {"bytes", f.bytes.size()},
        {"created_at", f.created_at},
        {"expires_at", f.expires_at ? json::value(*f.expires_at) : json::value(nullptr)},
        {"filename", valid_utf8(f.filename)},
        {"purpose", f.purpose},
        {"status", "processed"},
        {"status_details", nullptr},
    };
}

} // namespace files_detail

/// POST /v1/files (CPU-light, but runs on the worker pool like every route).
inline http_response handle_create_file(const http_request& request, upload_store& uploads)
{
    using namespace files_detail;
    if (request.media_type() != "multipart/form-data")
        throw api_error(400, "Unsupported content type: '" +
                                 std::string(request.header("Content-Type").value_or("")) +
                                 "'. This API method only accepts 'multipart/form-data' "
                                 "requests, but you specified the header 'Content-Type: " +
                                 std::string(request.header("Content-Type").value_or("")) +
                                 "'. Please try again with a supported content type.");
    std::vector<form_part> parts;
    try {
        parts = parse_multipart(*request.header("Content-Type"), request.body);
    } catch (const multipart_error& e) {
        throw api_error(400, std::string("Could not parse the multipart form: ") + e.what() + ".");
    }
    const form_part* file = nullptr;
    std::optional<std::string> purpose, anchor, seconds;
    for (const auto& part : parts) {
        if (part.name == "file")
            file = &part;
        else if (part.name == "purpose")
            purpose = std::string(trim(part.data));
        else if (part.name == "expires_after[anchor]")
            anchor = std::string(trim(part.data));
        else if (part.name == "expires_after[seconds]")
            seconds = std::string(trim(part.data));
        else
            throw unknown_parameter(valid_utf8(part.name));
    }
    if (!file || !file->filename)
        throw missing_parameter("file");
    if (!purpose)
        throw missing_parameter("purpose");
    if (std::find(purposes.begin(), purposes.end(), *purpose) == purposes.end())
        throw invalid_value("purpose", valid_utf8(*purpose), purposes);

    uploaded_file f;
    f.filename = *file->filename;
    f.purpose = *purpose;
    f.content_type = file->content_type.value_or("application/octet-stream");
    f.bytes = std::string(file->data);
    f.created_at = static_cast<std::int64_t>(std::time(nullptr));
    if (anchor || seconds) {
        if (!anchor)
            throw missing_parameter("expires_after[anchor]");
        if (!seconds)
            throw missing_parameter("expires_after[seconds]");
        if (*anchor != "created_at")
            throw invalid_value("expires_after[anchor]", valid_utf8(*anchor), {"created_at"});
        const auto s = parse_decimal<std::int64_t>(*seconds);
        if (!s)
            throw invalid_type("expires_after[seconds]", "an integer", "a string");
        if (*s < 3600)
            throw invalid_request("Invalid 'expires_after[seconds]': integer below minimum value. "
                                  "Expected a value greater than or equal to 3600, but got " +
                                      std::to_string(*s) + " instead.",
                                  "expires_after[seconds]", "integer_below_min_value");
        if (*s > 2592000)
            throw invalid_request("Invalid 'expires_after[seconds]': integer above maximum value. "
                                  "Expected a value less than or equal to 2592000, but got " +
                                      std::to_string(*s) + " instead.",
                                  "expires_after[seconds]", "integer_above_max_value");
        f.expires_at = f.created_at + *s;
    }
    const auto id = uploads.add(f);
    f.id = id;
    return json_response(200, json::write(file_object(f)));
}

} // namespace imagine_emulator
