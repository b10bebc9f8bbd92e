#pragma once

// Fault injection, asked for per request: header `x-emulator-fault: <spec>[,<spec>...]`
// or a path prefix `/fault/<spec>/v1/...`. A fault_plan says what to do; the router
// applies the status faults (429, 500, ...), the connection the transport faults
// (stalls, resets, odd write sizes), the image handlers the content faults.

#include "api_error.hpp"
#include "text.hpp"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

/// One status fault: answer `status` instead of handling the request.
struct status_fault {
    std::string spec{}; ///< as written, e.g. "500-once"
    int status = 500;
    bool once = false;
    bool no_retry = false;   ///< adds x-should-retry: false
    int retry_after_ms = 20; ///< 429 only
};

struct fault_plan {
    std::vector<status_fault> statuses{};
    bool non_json_error = false;
    bool reset_body = false;
    std::optional<int> reset_after_partial{};
    bool malformed_json = false;
    bool bad_base64 = false;
    std::optional<std::chrono::milliseconds> stall_head{};
    std::optional<std::chrono::milliseconds> stall_body{};
    bool odd_writes = false;
    bool stream_error = false;

    bool empty() const
    {
        return statuses.empty() && !non_json_error && !reset_body && !reset_after_partial &&
               !malformed_json && !bad_base64 && !stall_head && !stall_body && !odd_writes &&
               !stream_error;
    }
};

namespace fault_detail {

inline int parse_count(std::string_view spec, std::string_view text)
{
    const auto value = parse_decimal<int>(text);
    if (!value || *value < 0)
        throw api_error(400,
                        "Invalid emulator fault '" + std::string(spec) + "': expected a number.",
                        std::nullopt, "invalid_emulator_fault");
    return *value;
}

} // namespace fault_detail

/// Adds the comma-separated specs of `text` to `plan`; throws api_error (400, code
/// invalid_emulator_fault) for a spec it does not know, so typos in tests show up.
inline void parse_faults(std::string_view text, fault_plan& plan)
{
    using std::chrono::milliseconds;
    for (const auto spec : split_list(text, ',')) {
        const auto colon = spec.find(':');
        const auto name = spec.substr(0, colon);
        const auto argument =
            colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
        const auto number = [&] { return fault_detail::parse_count(spec, argument); };
        if (name == "429" || name == "429-once") {
            status_fault fault{std::string(spec), 429, name == "429-once"};
            if (!argument.empty()) {
                if (argument.substr(0, 3) != "ms=")
                    throw api_error(400,
                                    "Invalid emulator fault '" + std::string(spec) +
                                        "': expected 429:ms=N.",
                                    std::nullopt, "invalid_emulator_fault");
                fault.retry_after_ms = fault_detail::parse_count(spec, argument.substr(3));
            }
            plan.statuses.push_back(fault);
        } else if (name == "500" || name == "502" || name == "503") {
            plan.statuses.push_back({std::string(spec), parse_decimal<int>(name).value_or(500)});
        } else if (name == "500-once" || name == "502-once" || name == "503-once") {
            plan.statuses.push_back(
                {std::string(spec), parse_decimal<int>(name.substr(0, 3)).value_or(500), true});
        } else if (name == "503-no-retry") {
            plan.statuses.push_back({std::string(spec), 503, false, true});
        } else if (name == "non-json-error") {
            plan.non_json_error = true;
        } else if (name == "reset-body") {
            plan.reset_body = true;
        } else if (name == "reset-after-partial") {
            plan.reset_after_partial = number();
        } else if (name == "malformed-json") {
            plan.malformed_json = true;
        } else if (name == "bad-base64") {
            plan.bad_base64 = true;
        } else if (name == "stall-head") {
            plan.stall_head = milliseconds(number());
        } else if (name == "stall-body") {
            plan.stall_body = milliseconds(number());
        } else if (name == "odd-writes") {
            plan.odd_writes = true;
        } else if (name == "stream-error") {
            plan.stream_error = true;
        } else {
            throw api_error(400, "Unknown emulator fault: '" + valid_utf8(spec) + "'.",
                            std::nullopt, "invalid_emulator_fault");
        }
    }
}

/// Remembers which "-once" faults have fired, per (spec, fault id).
class once_registry {
public:
    /// True the first time for this spec and id, false afterwards.
    bool first_time(const std::string& spec, const std::string& id)
    {
        return fired_.insert(spec + '\n' + id).second;
    }
    void clear() { fired_.clear(); }

private:
    std::set<std::string> fired_{};
};

/// The size of the i-th write under odd-writes: 1, 7, 13, 61, 509, 1, 7, ...
inline std::size_t odd_write_size(std::size_t i) noexcept
{
    static constexpr std::size_t sizes[] = {1, 7, 13, 61, 509};
    return sizes[i % std::size(sizes)];
}

/// The error body a status fault answers with; headers are added by the router.
inline api_error status_fault_error(const status_fault& fault)
{
    switch (fault.status) {
    case 429:
        return api_error(
            429,
            "Rate limit reached for images in organization org-emulator on requests "
            "per min (RPM): Limit 5, Used 5, Requested 1. Please try again in " +
                std::to_string(fault.retry_after_ms) +
                "ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
            std::nullopt, "rate_limit_exceeded", "requests");
    case 502:
        return server_error(502, "Bad gateway.");
    case 503:
        return server_error(503, "The server is overloaded or not ready yet.");
    default:
        return server_error(
            fault.status,
            "The server had an error while processing your request. Sorry about that!");
    }
}

} // namespace imagine_emulator
