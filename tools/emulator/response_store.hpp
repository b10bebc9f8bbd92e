#pragma once

// What the emulator remembers of a Responses request: the validated request, the chain
// of previous responses, the image it makes, and the job timeline that decides its
// status at any moment. Status is computed from the steady clock at each request
// (queued for Q ms, in_progress for R ms, then the outcome), so no thread drives jobs;
// a cancel or delete is an atomic mark that readers and live streams see.

#include "api_error.hpp"
#include "image_probe.hpp"
#include "text.hpp"

#include <imagine/json/value.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

enum class job_outcome { completed, failed, incomplete, never };

/// The job's shape: defaults from the command line, per request from x-emulator-job.
struct job_settings {
    milliseconds queued{100};
    milliseconds progress{400};
    int poll_after_ms = 100;
    job_outcome outcome = job_outcome::completed;
    bool refuse_resume = false; ///< GET ?stream=true answers 400 stream_expired
    bool outcome_given = false; ///< the header named an outcome
};

/// Parses `x-emulator-job: queued_ms=N,progress_ms=N,poll_after_ms=N,outcome=...,resume=refuse`
/// over `defaults`; anything unknown is a 400 (code invalid_emulator_job), so typos show.
inline job_settings parse_job_header(std::string_view text, job_settings settings)
{
    auto bad = [](std::string_view part, std::string_view why) {
        return api_error(400,
                         "Invalid x-emulator-job setting '" + valid_utf8(part) +
                             "': " + std::string(why) + ".",
                         std::nullopt, "invalid_emulator_job");
    };
    for (const auto part : split_list(text, ',')) {
        const auto eq = part.find('=');
        if (eq == std::string_view::npos)
            throw bad(part, "expected key=value");
        const auto key = trim(part.substr(0, eq));
        const auto value = trim(part.substr(eq + 1));
        auto number = [&] {
            const auto n = parse_decimal<int>(value);
            if (!n || *n < 0)
                throw bad(part, "expected a number of milliseconds");
            return *n;
        };
        if (key == "queued_ms") {
            settings.queued = milliseconds(number());
        } else if (key == "progress_ms") {
            settings.progress = milliseconds(number());
        } else if (key == "poll_after_ms") {
            settings.poll_after_ms = number();
        } else if (key == "outcome") {
            settings.outcome_given = true;
            if (value == "completed")
                settings.outcome = job_outcome::completed;
            else if (value == "failed")
                settings.outcome = job_outcome::failed;
            else if (value == "incomplete")
                settings.outcome = job_outcome::incomplete;
            else if (value == "never")
                settings.outcome = job_outcome::never;
            else
                throw bad(part, "expected completed, failed, incomplete or never");
        } else if (key == "resume") {
            if (value != "refuse")
                throw bad(part, "expected resume=refuse");
            settings.refuse_resume = true;
        } else {
            throw bad(part, "unknown key");
        }
    }
    return settings;
}

enum class response_status { queued, in_progress, completed, failed, incomplete, cancelled };

inline std::string_view status_name(response_status s) noexcept
{
    switch (s) {
    case response_status::queued:
        return "queued";
    case response_status::in_progress:
        return "in_progress";
    case response_status::completed:
        return "completed";
    case response_status::failed:
        return "failed";
    case response_status::incomplete:
        return "incomplete";
    case response_status::cancelled:
        return "cancelled";
    }
    return "in_progress";
}

inline bool is_terminal(response_status s) noexcept
{
    return s != response_status::queued && s != response_status::in_progress;
}

/// The image_generation tool as resolved from the request.
struct image_tool_settings {
    std::string model = "gpt-image-1";
    std::string quality = "auto"; ///< as asked; "auto" reported as "medium" in items
    std::string size = "auto";    ///< as asked
    int width = 1024;
    int height = 1024;
    image_format format = image_format::png;
    int compression = 100;
    std::string moderation = "auto";
    std::string background = "auto";
    std::optional<std::string> input_fidelity{};
    int partial_images = 0;
    std::string action = "auto";
    bool has_mask = false;
};

/// One stored response. Immutable after create, except the atomic marks and the cached
/// image (both safe to touch from any thread).
struct response_record {
    std::string id{};
    std::int64_t created_at = 0; ///< unix seconds
    steady::time_point started{};
    bool background = false;
    bool store = true;
    bool keepalive = false; ///< one keepalive event in the stream (x-emulator-keepalive: 1)
    job_settings job{};

    imagine::json::value echo{}; ///< request fields the Response object repeats (object)
    std::string model{};
    std::optional<std::string> previous_response_id{};
    std::vector<std::string> chain{}; ///< response ids, oldest first, this one last
    std::string user_text{};          ///< this request's user text
    std::string prompt{};             ///< the revised prompt: the chain's texts joined "; "
    std::optional<image_tool_settings> image{}; ///< set: the response makes an image
    std::string image_action = "generate";
    bool has_input_image = false;
    bool chain_has_image = false; ///< an earlier response in the chain made an image
    std::string image_item_id{};
    std::string message_id{};
    imagine::json::value::array input_items{}; ///< with ids, for input_items

    std::atomic<std::int64_t> cancelled_at_ms{-1}; ///< ms after `started`, or -1
    std::atomic<bool> deleted{false};

    mutable std::mutex image_mutex{};
    mutable std::shared_ptr<const std::string> image_b64{}; ///< the final image, made once

    milliseconds elapsed(steady::time_point now = steady::now()) const
    {
        return std::chrono::duration_cast<milliseconds>(now - started);
    }

    /// The status at `at` (time since start), ignoring cancellation.
    response_status scheduled_status(milliseconds at) const
    {
        if (background) {
            if (at < job.queued)
                return response_status::queued;
            if (at < job.queued + job.progress || job.outcome == job_outcome::never)
                return response_status::in_progress;
        }
        switch (job.outcome) {
        case job_outcome::failed:
            return response_status::failed;
        case job_outcome::incomplete:
            return response_status::incomplete;
        default:
            return response_status::completed;
        }
    }

    std::optional<milliseconds> cancelled_at() const
    {
        const auto ms = cancelled_at_ms.load();
        return ms < 0 ? std::nullopt : std::optional<milliseconds>(ms);
    }

    response_status status(steady::time_point now = steady::now()) const
    {
        if (cancelled_at())
            return response_status::cancelled;
        return scheduled_status(elapsed(now));
    }

    /// When the job ends (its terminal event is due), or nullopt for outcome=never.
    std::optional<milliseconds> finishes_at() const
    {
        if (!background)
            return milliseconds(0);
        if (job.outcome == job_outcome::never)
            return std::nullopt;
        return job.queued + job.progress;
    }
};

/// Every stored response, plus an index of the item ids they hold (for item_reference
/// and image_generation_call inputs). Thread-safe.
class response_store {
public:
    std::string new_id(std::string_view prefix)
    {
        const std::lock_guard lock(mutex_);
        std::uint64_t state = seed_ + ++counter_;
        const std::uint64_t a = splitmix64(state), b = splitmix64(state);
        unsigned char bytes[16];
        for (int i = 0; i < 8; ++i) {
            bytes[i] = static_cast<unsigned char>(a >> (8 * i));
            bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
        }
        return std::string(prefix) + to_hex(bytes, sizeof bytes);
    }

    void add(std::shared_ptr<response_record> record)
    {
        const std::lock_guard lock(mutex_);
        for (const auto& item : record->input_items)
            if (const auto* id = item.find("id"); id && id->is_string())
                items_.try_emplace(id->as_string(), record);
        if (record->image)
            items_.insert_or_assign(record->image_item_id, record);
        items_.insert_or_assign(record->message_id, record);
        responses_.insert_or_assign(record->id, std::move(record));
    }

    /// A stored, undeleted response, or null.
    std::shared_ptr<response_record> find(const std::string& id) const
    {
        const std::lock_guard lock(mutex_);
        const auto it = responses_.find(id);
        return it == responses_.end() ? nullptr : it->second;
    }

    /// The response holding item `item_id` (input or output), or null.
    std::shared_ptr<response_record> find_item(const std::string& item_id) const
    {
        const std::lock_guard lock(mutex_);
        const auto it = items_.find(item_id);
        if (it == items_.end())
            return nullptr;
        auto record = it->second.lock();
        return record && !record->deleted ? record : nullptr;
    }

    /// Removes it (marked deleted, so live streams end); false if there was none.
    bool remove(const std::string& id)
    {
        const std::lock_guard lock(mutex_);
        const auto it = responses_.find(id);
        if (it == responses_.end())
            return false;
        it->second->deleted = true;
        responses_.erase(it);
        return true;
    }

private:
    mutable std::mutex mutex_{};
    std::map<std::string, std::shared_ptr<response_record>, std::less<>> responses_{};
    std::map<std::string, std::weak_ptr<response_record>, std::less<>> items_{};
    std::uint64_t seed_ =
        (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
    std::uint64_t counter_ = 0;
};

} // namespace imagine_emulator
