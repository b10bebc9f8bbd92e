// Streams and background jobs of client.responses against the emulator over real TLS:
// event order and sequence numbers, a stream cut in the middle and resumed with nothing
// lost or repeated, a refused resume falling back to polling, and wait's poll interval,
// timeout and cancellation.

#include <imagine/api/responses.hpp>

#include <imagine/api/client.hpp>
#include <imagine/api/save_image.hpp>

#include "api_test_util.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace imagine;
using imagine::test::api_test;
using std::chrono::milliseconds;

class responses_stream : public api_test {
protected:
    static request_options with(std::string job, std::string fault = {})
    {
        request_options o;
        if (!job.empty())
            o.headers.set("x-emulator-job", std::move(job));
        if (!fault.empty())
            o.headers.set("x-emulator-fault", std::move(fault));
        o.headers.set("x-emulator-delay-ms", "0");
        return o;
    }

    static response_create_request image_request(int partials)
    {
        response_create_request r;
        r.input = "a paper boat on a rainy street";
        r.tools = std::vector<response_tool>{
            image_generation_tool{.size = "1024x1024", .partial_images = partials}};
        r.tool_choice = force_image_generation{};
        return r;
    }

    template <class Stream>
    std::vector<response_stream_event> drain(Stream& s)
    {
        std::vector<response_stream_event> out;
        while (auto ev = run(s.next()))
            out.push_back(std::move(*ev));
        return out;
    }

    static std::vector<std::string> types_of(const std::vector<response_stream_event>& events)
    {
        std::vector<std::string> out;
        for (const auto& ev : events)
            out.push_back(std::visit([](const auto& e) { return e.type; }, ev));
        return out;
    }

    /// Sequence numbers 0, 1, 2, ... with nothing missing and nothing twice.
    static void expect_contiguous(const std::vector<response_stream_event>& events)
    {
        for (std::size_t i = 0; i < events.size(); ++i)
            EXPECT_EQ(sequence_number_of(events[i]), static_cast<std::int64_t>(i))
                << "event " << i << " of " << events.size();
    }

    static std::size_t count(const std::vector<std::string>& types, std::string_view type)
    {
        return static_cast<std::size_t>(std::count(types.begin(), types.end(), type));
    }
};

TEST_F(responses_stream, events_arrive_typed_in_order_with_every_sequence_number)
{
    client ai(io.get_executor(), options());
    auto req = image_request(2);
    auto s = run(ai.responses.create_stream(req, with("")));
    const auto events = drain(s);
    const auto types = types_of(events);
    ASSERT_GE(types.size(), 10u);
    expect_contiguous(events);
    EXPECT_EQ(types.front(), "response.created");
    EXPECT_EQ(types.back(), "response.completed");
    EXPECT_EQ(count(types, "response.image_generation_call.partial_image"), 2u);
    EXPECT_EQ(count(types, "response.image_generation_call.completed"), 1u);

    const auto dir = std::filesystem::temp_directory_path() / "imagine-responses-stream";
    std::filesystem::create_directories(dir);
    int partial_index = 0;
    bool saw_final_image = false;
    bool saw_unknown = false;
    for (const auto& ev : events) {
        if (const auto* p = std::get_if<image_call_partial_event>(&ev)) {
            EXPECT_EQ(p->partial_image_index, partial_index++);
            const auto saved =
                run(save_image(*p, dir / ("p" + std::to_string(p->partial_image_index)),
                               save_options{.overwrite = true}));
            EXPECT_EQ(saved.width, 1024u);
        } else if (const auto* item = std::get_if<output_item_event>(&ev)) {
            if (const auto* call = std::get_if<image_generation_call>(&item->item);
                call && item->type == "response.output_item.done") {
                ASSERT_TRUE(call->result);
                const auto saved =
                    run(save_image(*call, dir / call->id, save_options{.overwrite = true}));
                EXPECT_EQ(saved.format, image_format::png);
                saw_final_image = true;
            }
        } else if (std::holds_alternative<response_unknown_event>(ev)) {
            saw_unknown = true; // text deltas and content parts are not typed: they pass
        }
    }
    EXPECT_TRUE(saw_final_image);
    EXPECT_TRUE(saw_unknown);
    const auto& last = std::get<response_lifecycle_event>(events.back());
    EXPECT_EQ(last.response.status, response_status::completed);
    EXPECT_EQ(last.response.images().size(), 1u);
    std::filesystem::remove_all(dir);
}

TEST_F(responses_stream, an_error_event_is_an_api_error)
{
    client ai(io.get_executor(), options());
    auto req = image_request(1);
    auto s = run(ai.responses.create_stream(req, with("", "stream-error")));
    try {
        drain(s);
        ADD_FAILURE() << "expected the error event to end the stream";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::stream_error);
    }
}

TEST_F(responses_stream, a_cut_plain_stream_is_an_error_not_a_quiet_end)
{
    client ai(io.get_executor(), options());
    auto req = image_request(2);
    auto s = run(ai.responses.create_stream(req, with("", "reset-after-partial:1")));
    EXPECT_THROW(drain(s), std::system_error);
}

TEST_F(responses_stream, a_cut_background_stream_resumes_with_nothing_lost_or_repeated)
{
    client ai(io.get_executor(), options());
    auto req = image_request(3);
    resume_options ro;
    ro.resume_delay = milliseconds(1);
    // The first connection breaks after the second partial image; the reconnection
    // (without the fault) carries on from the last event that arrived.
    ro.request = with("");
    auto s = run(ai.responses.create_resumable(
        req, ro, with("queued_ms=10,progress_ms=150", "reset-after-partial:2")));
    const auto events = drain(s);
    const auto types = types_of(events);
    expect_contiguous(events);
    EXPECT_EQ(s.resumes(), 1u);
    EXPECT_FALSE(s.fell_back_to_polling());
    EXPECT_EQ(types.front(), "response.created");
    EXPECT_EQ(count(types, "response.queued"), 1u);
    EXPECT_EQ(count(types, "response.image_generation_call.partial_image"), 3u);
    EXPECT_EQ(count(types, "response.output_item.done"), 2u);
    EXPECT_EQ(types.back(), "response.completed");
    EXPECT_EQ(std::get<response_lifecycle_event>(events.back()).response.images().size(), 1u);

    // The reconnection asked for the events after the last one delivered before the cut.
    std::vector<std::string> gets;
    for (const auto& r : recorded())
        if (r.at("method").as_string() == "GET")
            gets.push_back(r.at("target").as_string());
    ASSERT_EQ(gets.size(), 1u);
    const std::string prefix = "/v1/responses/" + s.response_id() + "?stream=true&starting_after=";
    ASSERT_TRUE(gets[0].starts_with(prefix)) << gets[0];
    const auto after = std::stoll(gets[0].substr(prefix.size()));
    EXPECT_GE(after, 2);
    EXPECT_LT(after, static_cast<long long>(events.size()) - 1);
}

TEST_F(responses_stream, a_stream_that_breaks_on_every_connection_still_ends_with_the_result)
{
    client ai(io.get_executor(), options());
    auto req = image_request(3);
    resume_options ro;
    ro.resume_delay = milliseconds(1);
    ro.fallback.poll_interval = milliseconds(20);
    // Every connection, reconnections included, breaks at its first partial image: the
    // stream stops making progress, and the result comes by polling.
    auto s = run(ai.responses.create_resumable(
        req, ro, with("queued_ms=10,progress_ms=150", "reset-after-partial:1")));
    const auto events = drain(s);
    EXPECT_GE(s.resumes(), 1u);
    EXPECT_TRUE(s.fell_back_to_polling());
    for (std::size_t i = 0; i + 1 < events.size(); ++i)
        EXPECT_EQ(sequence_number_of(events[i]), static_cast<std::int64_t>(i));
    const auto& last = std::get<response_lifecycle_event>(events.back());
    EXPECT_TRUE(last.from_polling.value_or(false));
    EXPECT_EQ(last.response.status, response_status::completed);
    EXPECT_EQ(last.response.images().size(), 1u);
}

TEST_F(responses_stream, a_refused_resume_falls_back_to_polling)
{
    client ai(io.get_executor(), options());
    auto req = image_request(2);
    resume_options ro;
    ro.resume_delay = milliseconds(1);
    ro.fallback.poll_interval = milliseconds(20);
    auto s = run(ai.responses.create_resumable(
        req, ro, with("queued_ms=10,progress_ms=100,resume=refuse", "reset-after-partial:1")));
    const auto events = drain(s);
    EXPECT_TRUE(s.fell_back_to_polling());
    ASSERT_FALSE(events.empty());
    const auto& last = std::get<response_lifecycle_event>(events.back());
    EXPECT_TRUE(last.from_polling.value_or(false));
    EXPECT_EQ(last.type, "response.completed");
    EXPECT_EQ(last.response.status, response_status::completed);
    EXPECT_EQ(last.response.images().size(), 1u);
    // Nothing after the cut was delivered twice.
    for (std::size_t i = 0; i + 1 < events.size(); ++i)
        EXPECT_EQ(sequence_number_of(events[i]), static_cast<std::int64_t>(i));
    bool polled = false;
    for (const auto& r : recorded())
        polled = polled || r.at("target").as_string() == "/v1/responses/" + s.response_id();
    EXPECT_TRUE(polled);
}

TEST_F(responses_stream, retrieve_stream_replays_after_a_sequence_number)
{
    client ai(io.get_executor(), options());
    auto req = image_request(1);
    req.background = true;
    const response job = run(ai.responses.create(req, with("queued_ms=5,progress_ms=20")));
    const response done =
        run(ai.responses.wait(job.id, wait_options{.poll_interval = milliseconds(10)}));
    ASSERT_EQ(done.status, response_status::completed);

    auto all = run(ai.responses.retrieve_stream(job.id));
    const auto everything = drain(all);
    expect_contiguous(everything);
    auto tail = run(ai.responses.retrieve_stream(job.id, std::int64_t{2}));
    const auto rest = drain(tail);
    ASSERT_EQ(rest.size() + 3, everything.size());
    EXPECT_EQ(sequence_number_of(rest.front()), 3);
    const auto all_types = types_of(everything);
    EXPECT_EQ(types_of(rest), std::vector<std::string>(all_types.begin() + 3, all_types.end()));

    auto resumed = run(ai.responses.resume(job.id, std::int64_t{4}));
    const auto after4 = drain(resumed);
    ASSERT_FALSE(after4.empty());
    EXPECT_EQ(sequence_number_of(after4.front()), 5);
    EXPECT_EQ(resumed.resumes(), 0u);
}

TEST_F(responses_stream, wait_uses_the_servers_poll_interval_and_caps_it)
{
    client ai(io.get_executor(), options());
    auto req = image_request(0);
    req.background = true;
    const response job =
        run(ai.responses.create(req, with("queued_ms=40,progress_ms=120,poll_after_ms=37")));
    std::vector<milliseconds> delays;
    wait_options w;
    w.poll_interval = std::chrono::seconds(30); // would stall the test if it were used
    w.on_poll = [&](const response& r, milliseconds next) {
        EXPECT_FALSE(is_terminal(r.status));
        delays.push_back(next);
    };
    EXPECT_EQ(run(ai.responses.wait(job.id, w)).status, response_status::completed);
    ASSERT_FALSE(delays.empty());
    for (auto d : delays)
        EXPECT_EQ(d, milliseconds(37));

    const response slow =
        run(ai.responses.create(req, with("queued_ms=40,progress_ms=80,poll_after_ms=600000")));
    delays.clear();
    w.max_poll_interval = milliseconds(15);
    EXPECT_EQ(run(ai.responses.wait(slow.id, w)).status, response_status::completed);
    ASSERT_FALSE(delays.empty());
    for (auto d : delays)
        EXPECT_EQ(d, milliseconds(15));
}

TEST_F(responses_stream, wait_times_out_and_can_cancel_the_job)
{
    client ai(io.get_executor(), options());
    auto req = image_request(0);
    req.background = true;
    const response job = run(ai.responses.create(req, with("outcome=never,poll_after_ms=20")));
    wait_options w;
    w.timeout = milliseconds(120);
    try {
        run(ai.responses.wait(job.id, w));
        ADD_FAILURE() << "a job that never ends must time out";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), error::wait_timeout);
        EXPECT_NE(std::string(e.what()).find(job.id), std::string::npos);
    }
    EXPECT_FALSE(is_terminal(run(ai.responses.retrieve(job.id)).status));

    w.cancel_on_stop = true;
    EXPECT_THROW(run(ai.responses.wait(job.id, w)), std::system_error);
    EXPECT_EQ(run(ai.responses.retrieve(job.id)).status, response_status::cancelled);
}

TEST_F(responses_stream, cancelling_wait_stops_polling_and_optionally_the_job)
{
    client ai(io.get_executor(), options());
    auto req = image_request(0);
    req.background = true;
    for (const bool cancel_job : {false, true}) {
        const response job = run(ai.responses.create(req, with("outcome=never,poll_after_ms=20")));
        asio::cancellation_signal stop;
        wait_options w;
        w.cancel_on_stop = cancel_job;
        int polls = 0;
        w.on_poll = [&](const response&, milliseconds) {
            if (++polls == 2)
                asio::post(io, [&] { stop.emit(asio::cancellation_type::terminal); });
        };
        const request_options per;
        auto waiting = [&]() -> asio::awaitable<response> {
            co_return co_await ai.responses.wait(
                job.id, w, per, asio::bind_cancellation_slot(stop.slot(), asio::use_awaitable));
        };
        try {
            run(waiting());
            ADD_FAILURE() << "the wait must end cancelled";
        } catch (const std::system_error& e) {
            EXPECT_EQ(e.code(), asio::error::operation_aborted);
        }
        EXPECT_EQ(polls, 2);
        const auto status = run(ai.responses.retrieve(job.id)).status;
        if (cancel_job)
            EXPECT_EQ(status, response_status::cancelled);
        else
            EXPECT_FALSE(is_terminal(status));
        std::size_t cancels = 0;
        for (const auto& r : recorded())
            cancels += r.at("target").as_string() == "/v1/responses/" + job.id + "/cancel";
        EXPECT_EQ(cancels, cancel_job ? 1u : 0u);
    }
}

} // namespace
