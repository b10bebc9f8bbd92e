#pragma once

// Options of the Responses operations that go beyond one HTTP call: polling a background
// response (wait), resuming its stream (create_resumable / resume), and listing input
// items.

#include <imagine/api/options.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/api/types/response_enums.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace imagine {

struct wait_options {
    /// Between two polls when the server does not say (`openai-poll-after-ms` wins).
    std::chrono::milliseconds poll_interval{std::chrono::seconds(1)};
    /// A server's poll-after above this is capped, so that a bad header cannot stall.
    std::chrono::milliseconds max_poll_interval{std::chrono::seconds(30)};
    /// The whole wait; then error::wait_timeout. High-quality images can take minutes.
    std::chrono::milliseconds timeout{std::chrono::minutes(20)};
    /// When the wait is cancelled or times out, also cancel the job on the server
    /// (POST /responses/{id}/cancel) before completing.
    bool cancel_on_stop = false;
    /// Called after each poll that found the response unfinished, with the delay before
    /// the next one: a status line, a log.
    std::function<void(const response&, std::chrono::milliseconds next_poll)> on_poll{};
};

struct resume_options {
    /// Reconnections of one stream; then (or when the server refuses to resume, or a
    /// resumed stream brings nothing new) the stream falls back to polling.
    unsigned max_resumes = 5;
    /// Before each reconnection.
    std::chrono::milliseconds resume_delay{std::chrono::milliseconds(250)};
    /// The polling fallback.
    wait_options fallback{};
    /// Headers, timeouts and retries of the reconnections and polls; absent: those of
    /// the call that opened the stream.
    std::optional<request_options> request{};
};

/// GET /responses/{id}/input_items.
struct input_items_query {
    /// 1–100; the server's default is 20.
    std::optional<int> limit{};
    /// The server's default is desc.
    std::optional<list_order> order{};
    /// An item id: list the items after it (the last_id of the previous page).
    std::optional<std::string> after{};
    std::vector<std::string> include{};
};

} // namespace imagine
