#pragma once

// What a stored response looks like on the wire: the Response object at a given status,
// its output items (image_generation_call, then an assistant message), and the SSE
// event list of a stream. The event list is planned once per response with fixed
// sequence numbers and due times on the job timeline, so a live stream and any later
// replay (GET ?stream=true&starting_after=N) agree event for event.

#include "image_encode.hpp"
#include "image_synth.hpp"
#include "response_store.hpp"
#include "sse.hpp"

#include <imagine/base64.hpp>
#include <imagine/json/value.hpp>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace imagine_emulator {

namespace events_detail {

inline std::string size_text(const image_tool_settings& t)
{
    return std::to_string(t.width) + "x" + std::to_string(t.height);
}

inline std::string resolved_quality(const image_tool_settings& t)
{
    return t.quality == "auto" ? "medium" : t.quality;
}

inline std::string resolved_background(const image_tool_settings& t)
{
    return t.background == "transparent" ? "transparent" : "opaque";
}

inline raster image_raster(const response_record& r)
{
    const auto& t = *r.image;
    const auto seed = hash64("0:" + size_text(t), hash64(r.prompt));
    return synthesize(seed, t.width, t.height, t.background == "transparent");
}

inline std::string corrupted(std::string text, bool corrupt)
{
    if (corrupt && text.size() >= 8) // characters outside the alphabet, in the middle
        text.replace(text.size() / 2 / 4 * 4, 4, "!*@#");
    return text;
}

/// The final image in base64, encoded once per response (GETs and replays reuse it).
inline std::shared_ptr<const std::string> final_image(const response_record& r)
{
    const std::lock_guard lock(r.image_mutex);
    if (!r.image_b64)
        r.image_b64 = std::make_shared<const std::string>(imagine::base64::encode(
            encode_image(image_raster(r), r.image->format, r.image->compression)));
    return r.image_b64;
}

inline std::string message_text(const response_record& r)
{
    if (r.image)
        return "Here is the image you asked for: " + r.prompt + ".";
    return "You said: " + r.prompt;
}

/// The text in up to three pieces, split at spaces: the output_text.delta events.
inline std::vector<std::string> text_pieces(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t k = 1; k < 3; ++k) {
        const auto at = text.find(' ', std::max(text.size() * k / 3, start + 1));
        if (at == std::string::npos)
            break;
        out.push_back(text.substr(start, at - start));
        start = at;
    }
    out.push_back(text.substr(start));
    return out;
}

inline std::int64_t count_characters(const std::string& s)
{
    return std::count_if(s.begin(), s.end(),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

inline json::value usage(const response_record& r)
{
    const std::int64_t input = std::max<std::int64_t>(1, (count_characters(r.prompt) + 3) / 4) +
                               (r.has_input_image ? 194 : 0);
    std::int64_t output = (count_characters(message_text(r)) + 3) / 4;
    if (r.image) {
        const auto q = resolved_quality(*r.image);
        const double base = q == "low" ? 272 : q == "high" ? 4160 : 1056;
        output +=
            static_cast<std::int64_t>(base * r.image->width * r.image->height / (1024.0 * 1024.0));
    }
    return json::value::object{
        {"input_tokens", input},
        {"input_tokens_details",
         json::value::object{{"cached_tokens", 0}, {"cache_write_tokens", 0}}},
        {"output_tokens", output},
        {"output_tokens_details", json::value::object{{"reasoning_tokens", 0}}},
        {"total_tokens", input + output},
    };
}

} // namespace events_detail

/// The image_generation_call item; `status` completed carries the result.
inline json::value image_item(const response_record& r, std::string_view status, bool corrupt)
{
    using namespace events_detail;
    const auto& t = *r.image;
    json::value result = nullptr;
    if (status == "completed")
        result = corrupted(*final_image(r), corrupt);
    return json::value::object{
        {"type", "image_generation_call"},
        {"id", r.image_item_id},
        {"status", status},
        {"result", std::move(result)},
        {"revised_prompt", r.prompt},
        {"size", size_text(t)},
        {"quality", resolved_quality(t)},
        {"background", resolved_background(t)},
        {"output_format", std::string(extension(t.format))},
        {"action", r.image_action},
    };
}

inline json::value output_text_part(const std::string& text)
{
    return json::value::object{{"type", "output_text"},
                               {"text", text},
                               {"annotations", json::value::array{}},
                               {"logprobs", json::value::array{}}};
}

inline json::value message_item(const response_record& r, bool done)
{
    json::value::array content;
    if (done)
        content.push_back(output_text_part(events_detail::message_text(r)));
    return json::value::object{{"type", "message"},
                               {"id", r.message_id},
                               {"status", done ? "completed" : "in_progress"},
                               {"role", "assistant"},
                               {"content", std::move(content)}};
}

/// The Response object as it stands at `status`.
inline json::value response_json(const response_record& r, response_status status, bool corrupt)
{
    json::value::array output;
    if (status == response_status::completed || status == response_status::incomplete) {
        if (r.image)
            output.push_back(image_item(r, "completed", corrupt));
        if (status == response_status::completed)
            output.push_back(message_item(r, true));
    } else if (status == response_status::failed && r.image) {
        output.push_back(image_item(r, "failed", corrupt));
    }
    const bool finished =
        status == response_status::completed || status == response_status::incomplete;
    json::value::object out{
        {"id", r.id},
        {"object", "response"},
        {"created_at", r.created_at},
        {"status", status_name(status)},
        {"background", r.background},
    };
    if (status == response_status::completed)
        out.emplace_back("completed_at",
                         r.created_at + r.finishes_at().value_or(milliseconds(0)).count() / 1000);
    out.emplace_back("error",
                     status == response_status::failed
                         ? json::value(json::value::object{
                               {"code", "server_error"},
                               {"message", "The emulator was told to fail this response."}})
                         : json::value(nullptr));
    out.emplace_back("incomplete_details",
                     status == response_status::incomplete
                         ? json::value(json::value::object{{"reason", "max_output_tokens"}})
                         : json::value(nullptr));
    out.emplace_back("model", r.model);
    out.emplace_back("output", std::move(output));
    out.emplace_back("previous_response_id", r.previous_response_id
                                                 ? json::value(*r.previous_response_id)
                                                 : json::value(nullptr));
    out.emplace_back("store", r.store);
    for (const auto& [key, value] : r.echo.as_object())
        out.emplace_back(key, value);
    out.emplace_back("usage", finished ? events_detail::usage(r) : json::value(nullptr));
    return out;
}

enum class event_kind {
    created,
    queued,
    in_progress,
    keepalive,
    image_added,
    image_in_progress,
    image_generating,
    image_partial,
    image_completed,
    image_done,
    message_added,
    part_added,
    text_delta,
    text_done,
    part_done,
    message_done,
    terminal,
    never, ///< outcome=never: no event, the stream just stays open
};

struct planned_event {
    event_kind kind = event_kind::created;
    int index = 0;       ///< partial image index, text delta index
    int sequence = -1;   ///< sequence_number (none for `never`)
    milliseconds due{0}; ///< on the job timeline (background only)
};

/// The response's whole event list, in order, numbered from 0.
inline std::vector<planned_event> plan_events(const response_record& r)
{
    std::vector<planned_event> plan;
    auto add = [&plan](event_kind kind, int index = 0) { plan.push_back({kind, index}); };
    add(event_kind::created);
    if (r.background)
        add(event_kind::queued);
    add(event_kind::in_progress);
    const auto first_middle = plan.size();
    if (r.keepalive)
        add(event_kind::keepalive);
    const auto outcome = r.job.outcome;
    if (r.image) {
        add(event_kind::image_added);
        add(event_kind::image_in_progress);
        add(event_kind::image_generating);
    }
    if (outcome == job_outcome::completed || outcome == job_outcome::incomplete) {
        if (r.image) {
            for (int k = 0; k < r.image->partial_images; ++k)
                add(event_kind::image_partial, k);
            add(event_kind::image_completed);
            add(event_kind::image_done);
        }
        if (outcome == job_outcome::completed) {
            add(event_kind::message_added);
            add(event_kind::part_added);
            const auto pieces = events_detail::text_pieces(events_detail::message_text(r));
            for (std::size_t i = 0; i < pieces.size(); ++i)
                add(event_kind::text_delta, static_cast<int>(i));
            add(event_kind::text_done);
            add(event_kind::part_done);
            add(event_kind::message_done);
        }
    }
    const auto middle = plan.size() - first_middle;
    add(outcome == job_outcome::never ? event_kind::never : event_kind::terminal);
    for (std::size_t i = 0; i < plan.size(); ++i) {
        auto& e = plan[i];
        if (e.kind != event_kind::never)
            e.sequence = static_cast<int>(i);
        if (!r.background)
            continue;
        // queued events at once, in_progress when that phase starts, the rest spread
        // over it, the terminal event at its end.
        const auto q = r.job.queued, p = r.job.progress;
        if (i < first_middle)
            e.due = e.kind == event_kind::in_progress ? q : milliseconds(0);
        else if (i < first_middle + middle)
            e.due = q + p * static_cast<int>(i - first_middle + 1) / static_cast<int>(middle + 1);
        else
            e.due = e.kind == event_kind::never ? milliseconds::max() : q + p;
    }
    return plan;
}

/// One event as SSE text (`never` has none: the caller does not render it).
inline std::string render_event(const response_record& r, const planned_event& e, bool corrupt)
{
    using namespace events_detail;
    const int image_index = 0, message_index = r.image ? 1 : 0;
    json::value::object data;
    std::string type;
    auto response_at = [&](std::string name, response_status status) {
        type = std::move(name);
        data.emplace_back("response", response_json(r, status, corrupt));
    };
    auto image_fields = [&] {
        data.emplace_back("output_index", image_index);
        data.emplace_back("item_id", r.image_item_id);
    };
    auto text_fields = [&] {
        data.emplace_back("item_id", r.message_id);
        data.emplace_back("output_index", message_index);
        data.emplace_back("content_index", 0);
    };
    const auto text = message_text(r);
    switch (e.kind) {
    case event_kind::created:
        response_at("response.created",
                    r.background ? response_status::queued : response_status::in_progress);
        break;
    case event_kind::queued:
        response_at("response.queued", response_status::queued);
        break;
    case event_kind::in_progress:
        response_at("response.in_progress", response_status::in_progress);
        break;
    case event_kind::keepalive:
        type = "keepalive";
        break;
    case event_kind::image_added:
    case event_kind::image_done:
        type = e.kind == event_kind::image_added ? "response.output_item.added"
                                                 : "response.output_item.done";
        data.emplace_back("output_index", image_index);
        data.emplace_back(
            "item", image_item(r, e.kind == event_kind::image_added ? "in_progress" : "completed",
                               corrupt));
        break;
    case event_kind::image_in_progress:
        type = "response.image_generation_call.in_progress";
        image_fields();
        break;
    case event_kind::image_generating:
        type = "response.image_generation_call.generating";
        image_fields();
        break;
    case event_kind::image_partial: {
        type = "response.image_generation_call.partial_image";
        image_fields();
        const int block = 8 << (r.image->partial_images - 1 - e.index);
        const auto bytes =
            encode_image(pixelate(image_raster(r), block), r.image->format, r.image->compression);
        data.emplace_back("partial_image_index", e.index);
        data.emplace_back("partial_image_b64", corrupted(imagine::base64::encode(bytes), corrupt));
        data.emplace_back("size", size_text(*r.image));
        data.emplace_back("quality", resolved_quality(*r.image));
        data.emplace_back("background", resolved_background(*r.image));
        data.emplace_back("output_format", std::string(extension(r.image->format)));
        break;
    }
    case event_kind::image_completed:
        type = "response.image_generation_call.completed";
        image_fields();
        break;
    case event_kind::message_added:
    case event_kind::message_done:
        type = e.kind == event_kind::message_added ? "response.output_item.added"
                                                   : "response.output_item.done";
        data.emplace_back("output_index", message_index);
        data.emplace_back("item", message_item(r, e.kind == event_kind::message_done));
        break;
    case event_kind::part_added:
    case event_kind::part_done:
        type = e.kind == event_kind::part_added ? "response.content_part.added"
                                                : "response.content_part.done";
        text_fields();
        data.emplace_back("part", output_text_part(e.kind == event_kind::part_done ? text : ""));
        break;
    case event_kind::text_delta:
        type = "response.output_text.delta";
        text_fields();
        data.emplace_back("delta", text_pieces(text).at(static_cast<std::size_t>(e.index)));
        data.emplace_back("logprobs", json::value::array{});
        break;
    case event_kind::text_done:
        type = "response.output_text.done";
        text_fields();
        data.emplace_back("text", text);
        data.emplace_back("logprobs", json::value::array{});
        break;
    case event_kind::terminal: {
        const auto status = r.scheduled_status(milliseconds::max());
        response_at(status == response_status::failed       ? "response.failed"
                    : status == response_status::incomplete ? "response.incomplete"
                                                            : "response.completed",
                    status);
        break;
    }
    case event_kind::never:
        return {};
    }
    data.insert(data.begin(), {"type", type});
    data.emplace_back("sequence_number", e.sequence);
    return sse_event(type, json::value(std::move(data)));
}

} // namespace imagine_emulator
