// The emulator's Responses and Files endpoints (tools/emulator/responses_api.hpp,
// files_api.hpp), checked from outside with raw requests: uploads, plain / streamed /
// background creates, the job timeline, cancel, delete, input_items, stream replay, the
// previous_response_id chain, references and validation. Jobs use short timelines from
// the x-emulator-job header; nothing asserts how long anything took.

#include "emulator_test_util.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace imagine::test::emulator_checks;
namespace json = imagine::json;

class emulator_responses_test : public emulator_test {
protected:
    using object = json::value::object;

    /// A small gpt-image-2 tool, so every image is cheap to make.
    static json::value image_tool(object extra = {})
    {
        object tool{{"type", "image_generation"}, {"model", "gpt-image-2"}, {"size", "256x256"}};
        for (auto& member : extra)
            tool.push_back(std::move(member));
        return json::value::array{std::move(tool)};
    }

    static response create(object body, std::string headers = {})
    {
        if (!body.empty() && body.front().first != "model")
            body.insert(body.begin(), {"model", "gpt-5"});
        return post_json("/v1/responses", json::value(std::move(body)), std::move(headers));
    }

    static json::value created(object body, std::string headers = {})
    {
        const auto r = create(std::move(body), std::move(headers));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }

    static response get(const std::string& target) { return send("GET", target, {}, {}); }

    /// Polls until the status is terminal; returns every status seen, in order.
    static std::vector<std::string> poll(const std::string& id)
    {
        std::vector<std::string> seen;
        for (int i = 0; i < 2000; ++i) {
            const auto r = get("/v1/responses/" + id);
            EXPECT_EQ(r.status, 200) << r.body;
            EXPECT_TRUE(r.header("openai-poll-after-ms"));
            const auto status = r.json().at("status").as_string();
            if (seen.empty() || seen.back() != status)
                seen.push_back(status);
            if (status != "queued" && status != "in_progress")
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return seen;
    }

    static std::vector<std::string> types_of(const std::vector<imagine::http::sse_event>& events)
    {
        std::vector<std::string> types;
        for (const auto& e : events)
            types.push_back(e.event);
        return types;
    }

    static json::value data_of(const imagine::http::sse_event& e)
    {
        return json::read<json::value>(e.data);
    }
};

TEST_F(emulator_responses_test, file_upload_and_file_id_input)
{
    const auto png =
        first_image(generate({{"model", "gpt-image-2"}, {"prompt", "f"}, {"size", "256x256"}}));
    const std::string boundary = "responses-test-boundary";
    auto part = [&](std::string_view name, std::string_view value, bool file) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
               "\"" + (file ? "; filename=\"in.png\"\r\nContent-Type: image/png" : "") +
               "\r\n\r\n" + std::string(value) + "\r\n";
    };
    const auto type = "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n";
    const auto r = send("POST", "/v1/files",
                        part("purpose", "vision", false) + part("file", png, true) + "--" +
                            boundary + "--\r\n",
                        type);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto file = r.json();
    EXPECT_EQ(file.at("object").as_string(), "file");
    EXPECT_EQ(file.at("id").as_string().substr(0, 5), "file-");
    EXPECT_EQ(file.at("id").as_string().size(), 29u);
    EXPECT_EQ(file.at("bytes").as_int64(), static_cast<std::int64_t>(png.size()));
    EXPECT_EQ(file.at("filename").as_string(), "in.png");
    EXPECT_EQ(file.at("purpose").as_string(), "vision");
    EXPECT_EQ(file.at("status").as_string(), "processed");
    EXPECT_TRUE(file.at("expires_at").is_null());

    expect_error(
        send("POST", "/v1/files", part("file", png, true) + "--" + boundary + "--\r\n", type), 400,
        "missing_required_parameter", "purpose");
    expect_error(send("POST", "/v1/files",
                      part("purpose", "pictures", false) + part("file", png, true) + "--" +
                          boundary + "--\r\n",
                      type),
                 400, "invalid_value", "purpose");

    auto message = [](json::value image_part) {
        return json::value::array{object{
            {"role", "user"},
            {"content", json::value::array{object{{"type", "input_text"}, {"text", "edit it"}},
                                           std::move(image_part)}}}};
    };
    const auto edited = created(
        {{"input",
          message(object{{"type", "input_image"}, {"file_id", file.at("id")}, {"detail", "auto"}})},
         {"tools", image_tool()}});
    EXPECT_EQ(edited.at("output").at(0).at("action").as_string(), "edit");
    expect_error(
        create({{"input", message(object{{"type", "input_image"}, {"file_id", "file-nope"}})},
                {"tools", image_tool()}}),
        400, "file_not_found", "input[0].content[1].file_id");
    expect_error(create({{"input", message(object{{"type", "input_image"},
                                                  {"image_url", "http://x/a.png"}})}}),
                 400, "invalid_image_url", "input[0].content[1].image_url");
    expect_error(create({{"input", message(object{{"type", "input_image"},
                                                  {"image_url", "data:image/png;base64,@@"}})}}),
                 400, "invalid_base64_image", "input[0].content[1].image_url");
}

TEST_F(emulator_responses_test, plain_create_returns_a_png_and_the_revised_prompt)
{
    const auto r = create({{"input", "a lighthouse at dawn"}, {"tools", image_tool()}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.header("openai-poll-after-ms"));
    const auto body = r.json();
    EXPECT_EQ(body.at("id").as_string().size(), 37u);
    EXPECT_EQ(body.at("object").as_string(), "response");
    EXPECT_EQ(body.at("status").as_string(), "completed");
    EXPECT_TRUE(body.at("error").is_null());
    EXPECT_TRUE(body.contains("completed_at"));
    EXPECT_EQ(body.at("usage").at("total_tokens").as_int64(),
              body.at("usage").at("input_tokens").as_int64() +
                  body.at("usage").at("output_tokens").as_int64());
    const auto& call = body.at("output").at(0);
    EXPECT_EQ(call.at("type").as_string(), "image_generation_call");
    EXPECT_EQ(call.at("id").as_string().substr(0, 3), "ig_");
    EXPECT_EQ(call.at("revised_prompt").as_string(), "a lighthouse at dawn");
    EXPECT_EQ(call.at("action").as_string(), "generate");
    const auto png = decode_png(imagine::base64::decode(call.at("result").as_string()));
    EXPECT_EQ(png.width, 256u);
    EXPECT_EQ(png.height, 256u);
    const auto& message = body.at("output").at(1);
    EXPECT_EQ(message.at("role").as_string(), "assistant");
    EXPECT_NE(message.at("content").at(0).at("text").as_string().find("a lighthouse at dawn"),
              std::string::npos);

    // Stored: GET gives the same response; without the tool only a message comes back.
    EXPECT_EQ(get("/v1/responses/" + body.at("id").as_string()).json(), body);
    const auto text_only =
        created({{"input", "hi"}, {"tools", image_tool()}, {"tool_choice", "none"}});
    ASSERT_EQ(text_only.at("output").size(), 1u);
    EXPECT_EQ(text_only.at("output").at(0).at("type").as_string(), "message");
}

TEST_F(emulator_responses_test, streamed_create_sends_events_in_order)
{
    const auto r = create(
        {{"input", "a cat"}, {"stream", true}, {"tools", image_tool({{"partial_images", 2}})}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = events_of(r);
    const std::vector<std::string> head = {"response.created",
                                           "response.in_progress",
                                           "response.output_item.added",
                                           "response.image_generation_call.in_progress",
                                           "response.image_generation_call.generating",
                                           "response.image_generation_call.partial_image",
                                           "response.image_generation_call.partial_image",
                                           "response.image_generation_call.completed",
                                           "response.output_item.done",
                                           "response.output_item.added",
                                           "response.content_part.added",
                                           "response.output_text.delta"};
    auto types = types_of(events);
    ASSERT_GT(types.size(), head.size() + 4);
    EXPECT_EQ(std::vector<std::string>(types.begin(), types.begin() + 12), head);
    const std::vector<std::string> tail = {"response.output_text.done",
                                           "response.content_part.done",
                                           "response.output_item.done", "response.completed"};
    EXPECT_EQ(std::vector<std::string>(types.end() - 4, types.end()), tail);
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto data = data_of(events[i]);
        EXPECT_EQ(data.at("type").as_string(), events[i].event);
        EXPECT_EQ(data.at("sequence_number").as_int64(), static_cast<std::int64_t>(i));
    }
    EXPECT_EQ(data_of(events[0]).at("response").at("status").as_string(), "in_progress");
    EXPECT_EQ(data_of(events[6]).at("partial_image_index").as_int64(), 1);
    EXPECT_NO_THROW(decode_png(
        imagine::base64::decode(data_of(events[5]).at("partial_image_b64").as_string())));
    const auto done = data_of(events[8]).at("item");
    EXPECT_EQ(decode_png(imagine::base64::decode(done.at("result").as_string())).width, 256u);
    EXPECT_EQ(data_of(events.back()).at("response").at("output").at(0), done);
}

TEST_F(emulator_responses_test, background_job_goes_queued_in_progress_completed)
{
    const auto r = create({{"input", "a dog"}, {"background", true}, {"tools", image_tool()}},
                          "x-emulator-job: queued_ms=100,progress_ms=200,poll_after_ms=7\r\n");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("openai-poll-after-ms"), "7");
    EXPECT_EQ(r.json().at("status").as_string(), "queued");
    EXPECT_TRUE(r.json().at("usage").is_null());
    const auto seen = poll(r.json().at("id").as_string());
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), "completed");
    const std::vector<std::string> order = {"queued", "in_progress", "completed"};
    auto at = order.begin();
    for (const auto& status : seen) { // never backwards
        at = std::find(at, order.end(), status);
        EXPECT_NE(at, order.end()) << status;
    }
}

TEST_F(emulator_responses_test, failed_incomplete_and_never_outcomes)
{
    const auto fast = "x-emulator-job: queued_ms=0,progress_ms=0,outcome=";
    const auto failed = created({{"input", "x"}, {"background", true}, {"tools", image_tool()}},
                                fast + std::string("failed\r\n"));
    EXPECT_EQ(poll(failed.at("id").as_string()).back(), "failed");
    const auto f = get("/v1/responses/" + failed.at("id").as_string()).json();
    EXPECT_EQ(f.at("error").at("code").as_string(), "server_error");
    EXPECT_TRUE(f.at("output").at(0).at("result").is_null());
    const auto replay =
        events_of(get("/v1/responses/" + failed.at("id").as_string() + "?stream=true"));
    ASSERT_FALSE(replay.empty());
    EXPECT_EQ(replay.back().event, "response.failed");

    const auto incomplete =
        created({{"input", "x"}, {"tools", image_tool()}}, fast + std::string("incomplete\r\n"));
    EXPECT_EQ(incomplete.at("status").as_string(), "incomplete");
    EXPECT_EQ(incomplete.at("incomplete_details").at("reason").as_string(), "max_output_tokens");
    const auto streamed =
        events_of(create({{"input", "x"}, {"stream", true}}, fast + std::string("incomplete\r\n")));
    EXPECT_EQ(streamed.back().event, "response.incomplete");

    const auto never =
        created({{"input", "x"}, {"background", true}}, fast + std::string("never\r\n"));
    const auto id = never.at("id").as_string();
    EXPECT_EQ(get("/v1/responses/" + id).json().at("status").as_string(), "in_progress");
    const auto cancel = send("POST", "/v1/responses/" + id + "/cancel", {}, {});
    EXPECT_EQ(cancel.json().at("status").as_string(), "cancelled");
    EXPECT_EQ(poll(id).back(), "cancelled");
    expect_error(create({{"input", "x"}}, fast + std::string("sometimes\r\n")), 400,
                 "invalid_emulator_job", std::nullopt);
}

TEST_F(emulator_responses_test, cancel_rules)
{
    const auto never = "x-emulator-job: outcome=never\r\n";
    const auto id = created({{"input", "x"}, {"background", true}}, never).at("id").as_string();
    const auto first = send("POST", "/v1/responses/" + id + "/cancel", {}, {});
    EXPECT_EQ(first.status, 200);
    EXPECT_TRUE(first.header("openai-poll-after-ms"));
    EXPECT_EQ(first.json().at("status").as_string(), "cancelled");
    EXPECT_EQ(send("POST", "/v1/responses/" + id + "/cancel", {}, {}).json(), first.json());
    EXPECT_TRUE(
        json::read<json::value>(emu().get("/_emulator/responses/" + id)).at("cancelled").as_bool());

    const auto done = created({{"input", "x"}, {"background", true}},
                              "x-emulator-job: queued_ms=0,progress_ms=0\r\n");
    const auto done_id = done.at("id").as_string();
    EXPECT_EQ(poll(done_id).back(), "completed");
    EXPECT_EQ(send("POST", "/v1/responses/" + done_id + "/cancel", {}, {})
                  .json()
                  .at("status")
                  .as_string(),
              "completed");

    const auto plain = created({{"input", "x"}}).at("id").as_string();
    const auto refused = send("POST", "/v1/responses/" + plain + "/cancel", {}, {});
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(
        refused.body,
        R"({"error":{"message":"Only responses created with background=true can be cancelled.","type":"invalid_request_error","param":null,"code":null}})");
    expect_error(send("POST", "/v1/responses/resp_nope/cancel", {}, {}), 404, "", std::nullopt);
}

TEST_F(emulator_responses_test, cancel_ends_a_live_stream_without_a_terminal_event)
{
    const auto id = created({{"input", "x"}, {"background", true}, {"tools", image_tool()}},
                            "x-emulator-job: queued_ms=0,progress_ms=0,outcome=never\r\n")
                        .at("id")
                        .as_string();
    response streamed;
    std::thread reader([&] { streamed = get("/v1/responses/" + id + "?stream=true"); });
    for (int i = 0; i < 500; ++i) { // until the GET arrived (then it streams or replays)
        if (emu().get("/_emulator/requests?last=1").find("stream=true") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(send("POST", "/v1/responses/" + id + "/cancel", {}, {}).status, 200);
    reader.join();
    EXPECT_EQ(streamed.status, 200);
    const auto types = types_of(events_of(streamed));
    ASSERT_FALSE(types.empty());
    EXPECT_EQ(types.front(), "response.created");
    for (const auto& type : types)
        EXPECT_TRUE(type != "response.completed" && type != "response.failed") << type;
}

TEST_F(emulator_responses_test, delete_then_404)
{
    const auto id = created({{"input", "x"}}).at("id").as_string();
    const auto r = send("DELETE", "/v1/responses/" + id, {}, {});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"id":")" + id + R"(","object":"response.deleted","deleted":true})");
    const auto gone = get("/v1/responses/" + id);
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(gone.body,
              R"({"error":{"message":"Response with id ')" + id +
                  R"(' not found.","type":"invalid_request_error","param":null,"code":null}})");
    EXPECT_EQ(send("POST", "/v1/responses/" + id + "/cancel", {}, {}).status, 404);
    EXPECT_EQ(send("DELETE", "/v1/responses/" + id, {}, {}).status, 404);
    const auto wrong = send("PUT", "/v1/responses/" + id, {}, {});
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.header("Allow"), "GET, DELETE");
}

TEST_F(emulator_responses_test, input_items_paging)
{
    json::value::array input;
    for (const auto* text : {"one", "two", "three"})
        input.push_back(object{{"role", "user"}, {"content", text}});
    const auto id = created({{"input", std::move(input)}}).at("id").as_string();
    const auto base = "/v1/responses/" + id + "/input_items";
    const auto all = get(base).json();
    EXPECT_EQ(all.at("object").as_string(), "list");
    ASSERT_EQ(all.at("data").size(), 3u);
    EXPECT_EQ(all.at("data").at(0).at("content").at(0).at("text").as_string(), "three");
    EXPECT_EQ(all.at("data").at(0).at("id").as_string().substr(0, 4), "msg_");
    EXPECT_FALSE(all.at("has_more").as_bool());

    const auto page = get(base + "?limit=2&order=asc").json();
    ASSERT_EQ(page.at("data").size(), 2u);
    EXPECT_TRUE(page.at("has_more").as_bool());
    EXPECT_EQ(page.at("first_id"), all.at("data").at(2).at("id"));
    const auto rest = get(base + "?order=asc&after=" + page.at("last_id").as_string()).json();
    ASSERT_EQ(rest.at("data").size(), 1u);
    EXPECT_EQ(rest.at("data").at(0), all.at("data").at(0));
    EXPECT_FALSE(rest.at("has_more").as_bool());

    expect_error(get(base + "?limit=0"), 400, "integer_below_min_value", "limit");
    expect_error(get(base + "?limit=101"), 400, "integer_above_max_value", "limit");
    const auto single = created({{"input", "just text"}}).at("id").as_string();
    const auto item = get("/v1/responses/" + single + "/input_items").json().at("data").at(0);
    EXPECT_EQ(item.at("role").as_string(), "user");
    EXPECT_EQ(item.at("content").at(0).at("type").as_string(), "input_text");
}

TEST_F(emulator_responses_test, replay_with_starting_after_has_no_gaps_or_repeats)
{
    const auto live = create({{"input", "waves"},
                              {"background", true},
                              {"stream", true},
                              {"tools", image_tool({{"partial_images", 2}})}},
                             "x-emulator-job: queued_ms=20,progress_ms=100\r\n");
    ASSERT_EQ(live.status, 200) << live.body;
    const auto events = events_of(live);
    const auto types = types_of(events);
    ASSERT_GT(types.size(), 4u);
    EXPECT_EQ(types[0], "response.created");
    EXPECT_EQ(types[1], "response.queued");
    EXPECT_EQ(types[2], "response.in_progress");
    EXPECT_EQ(types.back(), "response.completed");
    const auto id = data_of(events[0]).at("response").at("id").as_string();

    const auto replay = events_of(get("/v1/responses/" + id + "?stream=true&starting_after=4"));
    ASSERT_EQ(replay.size(), events.size() - 5);
    for (std::size_t i = 0; i < replay.size(); ++i) {
        EXPECT_EQ(replay[i].event, events[i + 5].event);
        EXPECT_EQ(replay[i].data, events[i + 5].data);
    }
    EXPECT_EQ(events_of(get("/v1/responses/" + id + "?stream=true")).size(), events.size());

    const auto refuse =
        created({{"input", "x"}, {"background", true}}, "x-emulator-job: resume=refuse\r\n");
    const auto refused = get("/v1/responses/" + refuse.at("id").as_string() + "?stream=true");
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(
        refused.body,
        R"({"error":{"message":"Response ')" + refuse.at("id").as_string() +
            R"(' can no longer be streamed; retrieve it without stream=true.","type":"invalid_request_error","param":"stream","code":"stream_expired"}})");
    const auto plain = created({{"input", "x"}}).at("id").as_string();
    expect_error(get("/v1/responses/" + plain + "?stream=true"), 400, "invalid_value", "stream");
}

TEST_F(emulator_responses_test, previous_response_id_chain_and_references)
{
    const auto first = created({{"input", "a lighthouse at dawn"}, {"tools", image_tool()}});
    const auto second = created({{"input", "make it nighttime"},
                                 {"tools", image_tool()},
                                 {"previous_response_id", first.at("id")}});
    const auto third = created({{"input", "add rain"},
                                {"tools", image_tool()},
                                {"previous_response_id", second.at("id")}});
    const auto& call = third.at("output").at(0);
    EXPECT_EQ(call.at("revised_prompt").as_string(),
              "a lighthouse at dawn; make it nighttime; add rain");
    EXPECT_EQ(call.at("action").as_string(), "edit");
    EXPECT_EQ(third.at("previous_response_id"), second.at("id"));
    const auto record =
        json::read<json::value>(emu().get("/_emulator/responses/" + third.at("id").as_string()));
    EXPECT_EQ(record.at("chain"),
              json::value(json::value::array{first.at("id"), second.at("id"), third.at("id")}));
    EXPECT_EQ(record.at("prompt").as_string(), call.at("revised_prompt").as_string());

    const auto missing = create({{"input", "x"}, {"previous_response_id", "resp_nope"}});
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(
        missing.body,
        R"({"error":{"message":"Previous response with id 'resp_nope' not found.","type":"invalid_request_error","param":"previous_response_id","code":"previous_response_not_found"}})");

    auto referencing = [&](object reference) {
        return json::value::array{std::move(reference),
                                  object{{"role", "user"}, {"content", "make it blue"}}};
    };
    const auto ig = first.at("output").at(0).at("id");
    const auto edited =
        created({{"input", referencing({{"type", "image_generation_call"}, {"id", ig}})},
                 {"tools", image_tool()}});
    EXPECT_EQ(edited.at("output").at(0).at("revised_prompt").as_string(),
              "a lighthouse at dawn; make it blue");
    EXPECT_EQ(created({{"input", referencing({{"type", "item_reference"}, {"id", ig}})},
                       {"tools", image_tool()}})
                  .at("output")
                  .at(0)
                  .at("revised_prompt"),
              edited.at("output").at(0).at("revised_prompt"));
    expect_error(
        create({{"input", referencing({{"type", "image_generation_call"}, {"id", "ig_nope"}})}}),
        400, "item_not_found", "input[0].id");
}

TEST_F(emulator_responses_test, validation_errors)
{
    const auto unknown = create({{"input", "x"}, {"colour", "red"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(
        unknown.body,
        R"({"error":{"message":"Unknown parameter: 'colour'.","type":"invalid_request_error","param":"colour","code":"unknown_parameter"}})");
    expect_error(create({{"input", "x"}, {"tools", image_tool({{"partial_images", 4}})}}), 400,
                 "integer_above_max_value", "tools[0].partial_images");
    expect_error(create({{"input", "x"}, {"tools", image_tool({{"foo", 1}})}}), 400,
                 "unknown_parameter", "tools[0].foo");
    expect_error(
        create({{"input", "x"},
                {"tools", image_tool({{"background", "transparent"}, {"output_format", "jpeg"}})}}),
        400, "invalid_value", "tools[0].background");
    expect_error(create({{"input", "x"}, {"background", true}, {"store", false}}), 400,
                 "invalid_value", "background");
    expect_error(create({{"input", "x"}, {"max_output_tokens", 8}}), 400, "integer_below_min_value",
                 "max_output_tokens");
    expect_error(create({{"input", 5}}), 400, "invalid_type", "input");
    expect_error(create({{"input", json::value::array{object{{"type", "mystery"}}}}}), 400,
                 "invalid_value", "input[0].type");
    expect_error(post_json("/v1/responses", object{{"input", "x"}}), 400,
                 "missing_required_parameter", "model");
    expect_error(create({{"input", "x"}, {"tools", image_tool()}}, "x-emulator-fault: 500\r\n"),
                 500, "", std::nullopt);
}

} // namespace
