#pragma once

// The Responses endpoints: POST /v1/responses (plain, stream, background, background +
// stream), GET /v1/responses/{id} (now, or ?stream=true[&starting_after=N] to replay and
// follow a background job), POST .../cancel, DELETE, GET .../input_items. Background
// streams are paced by the job timeline: each step waits (in short sleeps on the worker
// pool, which is sized for it) until its event is due, and a cancel or delete ends the
// stream cleanly with an SSE comment instead of the remaining events.

#include "api_error.hpp"
#include "files_api.hpp"
#include "http_request.hpp"
#include "http_response.hpp"
#include "images_api.hpp"
#include "query.hpp"
#include "response_events.hpp"
#include "response_model.hpp"
#include "response_store.hpp"
#include "sse.hpp"

#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace imagine_emulator {

struct responses_context {
    response_store* responses = nullptr;
    upload_store* uploads = nullptr;
    job_settings job_defaults{};
    milliseconds stream_delay{};                 ///< between events of non-background streams
    const std::atomic<bool>* stopping = nullptr; ///< the server is shutting down
    bool bad_base64 = false;                     ///< fault: corrupt every image in base64
};

namespace responses_detail {

/// Written instead of the remaining events once a job is cancelled or deleted: an SSE
/// comment (ignored by parsers) that keeps the chunked body well-formed.
inline constexpr std::string_view stream_ended = ": stream ended: the response was cancelled\n\n";

inline api_error not_found(const std::string& id)
{
    return api_error(404, "Response with id '" + valid_utf8(id) + "' not found.");
}

/// Waits (in short sleeps) until `due` on the job's timeline; false if the response was
/// cancelled before then, deleted, or the server is stopping.
inline bool wait_for_event(const response_record& r, milliseconds due,
                           const std::atomic<bool>* stopping)
{
    for (;;) {
        if (r.deleted || (stopping && *stopping))
            return false;
        if (const auto cancelled = r.cancelled_at(); cancelled && *cancelled <= due)
            return false;
        const auto now = r.elapsed();
        if (now >= due)
            return true;
        std::this_thread::sleep_for(std::min(due - now, milliseconds(20)));
    }
}

/// The events after `starting_after` as stream steps (rendered lazily, on the pool).
inline event_stream event_steps(std::shared_ptr<const response_record> r, int starting_after,
                                bool corrupt, const std::atomic<bool>* stopping)
{
    event_stream steps;
    for (const auto& e : plan_events(*r)) {
        if (e.kind != event_kind::never && e.sequence <= starting_after)
            continue;
        steps.push_back(
            {e.kind == event_kind::image_partial ? step_kind::partial : step_kind::final,
             [r, e, corrupt, stopping] {
                 if (r->background && !wait_for_event(*r, e.due, stopping))
                     return std::string(stream_ended);
                 if (e.kind == event_kind::never) // only a stop gets here
                     return std::string(stream_ended);
                 return render_event(*r, e, corrupt);
             }});
    }
    return steps;
}

inline http_response stream_of(std::shared_ptr<const response_record> r, int starting_after,
                               const responses_context& context)
{
    http_response response;
    response.headers.emplace_back("Content-Type", "text/event-stream");
    response.headers.emplace_back("Cache-Control", "no-cache");
    // Background streams are paced by the timeline only.
    response.event_delay = r->background ? milliseconds(0) : context.stream_delay;
    response.events =
        event_steps(std::move(r), starting_after, context.bad_base64, context.stopping);
    return response;
}

inline void add_poll_after(http_response& response, const response_record& r)
{
    if (r.background)
        response.headers.emplace_back("openai-poll-after-ms", std::to_string(r.job.poll_after_ms));
}

inline http_response response_now(const response_record& r, const responses_context& context)
{
    auto response =
        json_response(200, json::write(response_json(r, r.status(), context.bad_base64)));
    add_poll_after(response, r);
    return response;
}

inline std::shared_ptr<response_record> stored(const std::string& id,
                                               const responses_context& context)
{
    auto record = context.responses->find(id);
    if (!record)
        throw not_found(id);
    return record;
}

} // namespace responses_detail

/// POST /v1/responses.
inline http_response handle_create_response(const http_request& request,
                                            const responses_context& context)
{
    using namespace responses_detail;
    const auto media_type = request.media_type();
    if (media_type != "application/json" && !media_type.empty())
        throw unsupported_content_type(*request.header("Content-Type"), "'application/json'");
    auto job = context.job_defaults;
    if (const auto header = request.joined_header("x-emulator-job"))
        job = parse_job_header(*header, job);
    const auto body = images_detail::parse_json_object(request);

    auto& store = *context.responses;
    auto record = std::make_shared<response_record>();
    record->id = store.new_id("resp_");
    record->image_item_id = store.new_id("ig_");
    record->message_id = store.new_id("msg_");
    record->created_at = static_cast<std::int64_t>(std::time(nullptr));
    record->job = job;
    record->keepalive = request.header("x-emulator-keepalive").value_or("") == "1";
    const bool stream = read_response_request(body.as_object(), *record, store, *context.uploads);
    if (!record->background && job.outcome == job_outcome::never)
        throw api_error(400, "x-emulator-job outcome=never needs background=true.", std::nullopt,
                        "invalid_emulator_job");
    record->started = steady::now();
    if (record->store)
        store.add(record);

    if (stream) {
        auto response = stream_of(record, -1, context);
        add_poll_after(response, *record);
        return response;
    }
    return response_now(*record, context);
}

/// GET /v1/responses/{id}[?stream=true&starting_after=N].
inline http_response handle_get_response(const http_request& request, const std::string& id,
                                         const responses_context& context)
{
    using namespace responses_detail;
    const auto record = stored(id, context);
    const query_params query(request.query());
    const auto stream = query.first("stream").value_or("false");
    if (stream != "true" && stream != "false")
        throw invalid_type("stream", "a boolean", "a string");
    if (stream == "false")
        return response_now(*record, context);
    if (!record->background)
        throw invalid_request("Response '" + id +
                                  "' was not created with background=true; only background "
                                  "responses can be streamed with stream=true.",
                              "stream", "invalid_value");
    if (record->job.refuse_resume)
        throw invalid_request("Response '" + id +
                                  "' can no longer be streamed; retrieve it without stream=true.",
                              "stream", "stream_expired");
    int starting_after = -1;
    if (const auto text = query.first("starting_after")) {
        const auto n = parse_decimal<int>(*text);
        if (!n)
            throw invalid_type("starting_after", "an integer", "a string");
        starting_after = *n;
    }
    auto response = stream_of(record, starting_after, context);
    add_poll_after(response, *record);
    return response;
}

/// POST /v1/responses/{id}/cancel: background jobs that are not finished become
/// cancelled; finished ones come back unchanged.
inline http_response handle_cancel_response(const std::string& id, const responses_context& context)
{
    using namespace responses_detail;
    const auto record = stored(id, context);
    if (!record->background)
        throw api_error(400, "Only responses created with background=true can be cancelled.");
    const auto now = steady::now();
    if (!is_terminal(record->status(now))) {
        std::int64_t expected = -1;
        record->cancelled_at_ms.compare_exchange_strong(expected, record->elapsed(now).count());
    }
    return response_now(*record, context);
}

/// DELETE /v1/responses/{id}.
inline http_response handle_delete_response(const std::string& id, const responses_context& context)
{
    if (!context.responses->remove(id))
        throw responses_detail::not_found(id);
    return json_response(200, json::write(json::value(json::value::object{
                                  {"id", id}, {"object", "response.deleted"}, {"deleted", true}})));
}

/// GET /v1/responses/{id}/input_items?limit=&order=&after=.
inline http_response handle_input_items(const http_request& request, const std::string& id,
                                        const responses_context& context)
{
    using namespace responses_detail;
    const auto record = stored(id, context);
    const query_params query(request.query());
    int limit = 20;
    if (const auto text = query.first("limit")) {
        const bool negative = !text->empty() && text->front() == '-';
        const auto n = parse_decimal<long long>(negative ? text->substr(1) : *text);
        if (!n)
            throw invalid_type("limit", "an integer", "a string");
        if (negative || *n < 1)
            throw invalid_request("Invalid 'limit': integer below minimum value. Expected a value "
                                  "greater than or equal to 1, but got " +
                                      *text + " instead.",
                                  "limit", "integer_below_min_value");
        if (*n > 100)
            throw invalid_request("Invalid 'limit': integer above maximum value. Expected a value "
                                  "less than or equal to 100, but got " +
                                      *text + " instead.",
                                  "limit", "integer_above_max_value");
        limit = static_cast<int>(*n);
    }
    const auto order = query.first("order").value_or("desc");
    if (order != "asc" && order != "desc")
        throw invalid_value("order", valid_utf8(order), {"asc", "desc"});
    auto items = record->input_items;
    if (order == "desc")
        std::reverse(items.begin(), items.end());
    std::size_t start = 0;
    if (const auto after = query.first("after")) {
        const auto it = std::find_if(items.begin(), items.end(), [&](const json::value& item) {
            const auto* item_id = item.find("id");
            return item_id && item_id->is_string() && item_id->as_string() == *after;
        });
        if (it == items.end())
            throw invalid_request("No input item with id '" + valid_utf8(*after) +
                                      "' in response '" + id + "'.",
                                  "after", "invalid_value");
        start = static_cast<std::size_t>(it - items.begin()) + 1;
    }
    json::value::array data;
    for (std::size_t i = start; i < items.size() && data.size() < static_cast<std::size_t>(limit);
         ++i)
        data.push_back(items[i]);
    const bool has_more = start + data.size() < items.size();
    auto id_of = [](const json::value* item) {
        const auto* item_id = item ? item->find("id") : nullptr;
        return item_id ? *item_id : json::value(nullptr);
    };
    const auto first = id_of(data.empty() ? nullptr : &data.front());
    const auto last = id_of(data.empty() ? nullptr : &data.back());
    return json_response(200, json::write(json::value(json::value::object{
                                  {"object", "list"},
                                  {"data", std::move(data)},
                                  {"first_id", first},
                                  {"last_id", last},
                                  {"has_more", has_more},
                              })));
}

/// GET /_emulator/responses/<id>: the stored record, for tests to check the chain.
inline std::optional<std::string> describe_response(const response_store& store,
                                                    const std::string& id)
{
    const auto r = store.find(id);
    if (!r)
        return std::nullopt;
    json::value::array chain;
    for (const auto& link : r->chain)
        chain.push_back(link);
    return json::write(json::value(json::value::object{
        {"id", r->id},
        {"previous_response_id",
         r->previous_response_id ? json::value(*r->previous_response_id) : json::value(nullptr)},
        {"chain", std::move(chain)},
        {"prompt", r->prompt},
        {"background", r->background},
        {"cancelled", r->cancelled_at().has_value()},
    }));
}

} // namespace imagine_emulator
