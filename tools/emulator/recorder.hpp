#pragma once

// The request log behind GET /_emulator/requests: every API request as it arrived,
// before any validation, so tests can assert on exactly what a client sent (headers,
// the JSON body, each multipart part with its SHA-256) without the emulator keeping
// the uploaded bytes.

#include "http_request.hpp"
#include "multipart.hpp"
#include "text.hpp"

#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace imagine_emulator {

/// The recorded form of one request (see tools/emulator/README.md for the shape).
inline imagine::json::value describe_request(const http_request& request)
{
    namespace json = imagine::json;
    json::value::object headers;
    for (const auto& [name, value] : request.headers) {
        const auto lower = to_lower(name);
        auto it =
            std::find_if(headers.begin(), headers.end(), [&](auto& h) { return h.first == lower; });
        if (it == headers.end())
            headers.emplace_back(lower, valid_utf8(value));
        else
            it->second = it->second.as_string() + ", " + valid_utf8(value);
    }

    const auto type = request.header("Content-Type");
    const auto media_type = request.media_type();
    json::value body_json = nullptr;
    if (media_type != "multipart/form-data" && !request.body.empty()) {
        json::value parsed;
        if (!json::read(request.body, parsed))
            body_json = std::move(parsed);
    }
    json::value::array parts;
    if (media_type == "multipart/form-data") {
        try {
            for (const auto& part : parse_multipart(*type, request.body)) {
                auto optional = [](const std::optional<std::string>& s) {
                    return s ? json::value(valid_utf8(*s)) : json::value(nullptr);
                };
                parts.push_back(json::value::object{
                    {"name", valid_utf8(part.name)},
                    {"filename", optional(part.filename)},
                    {"content_type", optional(part.content_type)},
                    {"size", part.data.size()},
                    {"sha256", sha256_hex(part.data)},
                    {"value",
                     part.filename ? json::value(nullptr) : json::value(valid_utf8(part.data))},
                });
            }
        } catch (const multipart_error&) {
            // Recorded with the parts that could not be read left out; the handler
            // answers the malformed body itself.
        }
    }
    return json::value::object{
        {"method", request.method},
        {"target", valid_utf8(request.target)},
        {"headers", std::move(headers)},
        {"content_type", type ? json::value(valid_utf8(*type)) : json::value(nullptr)},
        {"body_size", request.body.size()},
        {"json", std::move(body_json)},
        {"parts", std::move(parts)},
    };
}

/// Thread-safe: requests are recorded on the I/O thread, read back from anywhere.
class recorder {
public:
    void record(const http_request& request)
    {
        auto entry = describe_request(request);
        const std::lock_guard lock(mutex_);
        entries_.push_back(std::move(entry));
    }

    /// The whole log (or only the last `last` entries) as a JSON array.
    std::string to_json(std::size_t last = 0) const
    {
        const std::lock_guard lock(mutex_);
        const std::size_t first = last == 0 || last >= entries_.size() ? 0 : entries_.size() - last;
        std::string out = "[";
        for (std::size_t i = first; i < entries_.size(); ++i) {
            if (i > first)
                out += ',';
            imagine::json::write(entries_[i], out);
        }
        out += ']';
        return out;
    }

    void clear()
    {
        const std::lock_guard lock(mutex_);
        entries_.clear();
    }

private:
    mutable std::mutex mutex_{};
    std::vector<imagine::json::value> entries_{};
};

} // namespace imagine_emulator
