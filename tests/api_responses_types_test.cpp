// The Responses types on the wire, the stream policy on synthetic events, and the checks
// made before sending. No server: the emulator tests are in api_responses_test.cpp.

#include <imagine/api/types/response_request.hpp>

#include <imagine/api/detail/response_calls.hpp>
#include <imagine/api/detail/response_checks.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/response_stream.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/api/types/response_events.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>

#include <string>
#include <system_error>

namespace {

using namespace imagine;

TEST(api_responses_types, image_tool_writes_every_field_with_its_wire_name)
{
    const image_generation_tool t{.model = "gpt-image-1.5",
                                  .size = "1024x1536",
                                  .quality = quality::high,
                                  .output_format = output_format::webp,
                                  .output_compression = 70,
                                  .moderation = moderation::low,
                                  .background = background::opaque,
                                  .input_fidelity = input_fidelity::high,
                                  .input_image_mask = image_reference{.file_id = "file-m"},
                                  .partial_images = 2,
                                  .action = image_action::edit};
    EXPECT_EQ(json::write(response_tool{t}),
              R"({"type":"image_generation","model":"gpt-image-1.5","size":"1024x1536",)"
              R"("quality":"high","output_format":"webp","output_compression":70,)"
              R"("moderation":"low","background":"opaque","input_fidelity":"high",)"
              R"("input_image_mask":{"file_id":"file-m"},"partial_images":2,"action":"edit"})");
    EXPECT_EQ(json::write(response_tool{image_generation_tool{}}),
              R"({"type":"image_generation"})");
}

TEST(api_responses_types, tool_choice_forms)
{
    EXPECT_EQ(json::write(tool_choice{tool_choice_mode::auto_}), R"("auto")");
    EXPECT_EQ(json::write(tool_choice{tool_choice_mode::required}), R"("required")");
    EXPECT_EQ(json::write(tool_choice{force_image_generation{}}), R"({"type":"image_generation"})");
    tool_choice other;
    ASSERT_FALSE(json::read(R"({"type":"function","name":"f"})", other));
    ASSERT_TRUE(std::holds_alternative<json::value>(other));
    EXPECT_EQ(json::write(other), R"({"type":"function","name":"f"})");
}

TEST(api_responses_types, input_items_write_as_the_api_names_them)
{
    std::vector<input_item> items;
    items.emplace_back(
        user_message("make it night", input_image::from_file_id("file-1"),
                     input_image::from_url("https://e.com/a.png", image_detail::high)));
    items.emplace_back(image_generation_call_reference{"ig_1"});
    items.emplace_back(item_reference{"msg_2"});
    items.emplace_back(json::read<json::value>(R"({"type":"reasoning","id":"rs_1","summary":[]})"));
    EXPECT_EQ(
        json::write(response_input{items}),
        R"([{"type":"message","role":"user","content":[{"type":"input_text","text":"make it night"},)"
        R"({"type":"input_image","file_id":"file-1","detail":"auto"},)"
        R"({"type":"input_image","image_url":"https://e.com/a.png","detail":"high"}]},)"
        R"({"type":"image_generation_call","id":"ig_1"},{"type":"item_reference","id":"msg_2"},)"
        R"({"type":"reasoning","id":"rs_1","summary":[]}])");
    EXPECT_EQ(json::write(response_input{"a cat"}), R"("a cat")");
}

TEST(api_responses_types, a_minimal_request_sends_model_and_input_only)
{
    response_create_request r;
    r.input = "a cat";
    EXPECT_EQ(json::write(r), R"({"model":"gpt-5.1","input":"a cat"})");
}

constexpr const char* sample_response = R"({
  "id":"resp_1","object":"response","created_at":1741476542,"status":"completed",
  "background":false,"completed_at":1741476600,"error":null,"incomplete_details":null,
  "instructions":null,"model":"gpt-5.1","previous_response_id":"resp_0","store":true,
  "output":[
    {"type":"reasoning","id":"rs_1","summary":[]},
    {"type":"image_generation_call","id":"ig_1","status":"completed","result":"iVBORw0KGgo=",
     "revised_prompt":"a lighthouse at night","size":"1024x1024","quality":"high",
     "background":"opaque","output_format":"png","action":"generate","new_field":[1,2]},
    {"type":"message","id":"msg_1","status":"completed","role":"assistant",
     "content":[{"type":"output_text","text":"Here ","annotations":[]},
                {"type":"output_text","text":"it is.","annotations":[],"logprobs":[]},
                {"type":"future_part","x":1}]},
    {"type":"web_search_call","id":"ws_1","status":"completed"}],
  "parallel_tool_calls":true,"tool_choice":{"type":"image_generation"},
  "tools":[{"type":"image_generation","quality":"high","partial_images":2},
           {"type":"web_search"}],
  "metadata":{"k":"v"},"temperature":1.0,"top_p":1.0,
  "usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":2},"output_tokens":20,
           "output_tokens_details":{"reasoning_tokens":5},"total_tokens":30}
})";

TEST(api_responses_types, a_response_reads_typed_items_and_keeps_the_others)
{
    response r;
    ASSERT_FALSE(json::read(sample_response, r));
    EXPECT_EQ(r.id, "resp_1");
    EXPECT_EQ(r.status, response_status::completed);
    ASSERT_EQ(r.output.size(), 4u);
    EXPECT_TRUE(std::holds_alternative<json::value>(r.output[0]));
    EXPECT_TRUE(std::holds_alternative<json::value>(r.output[3]));
    const auto images = r.images();
    ASSERT_EQ(images.size(), 1u);
    EXPECT_EQ(images[0]->id, "ig_1");
    EXPECT_EQ(images[0]->status, image_call_status::completed);
    EXPECT_EQ(images[0]->result, "iVBORw0KGgo=");
    EXPECT_EQ(images[0]->revised_prompt, "a lighthouse at night");
    EXPECT_EQ(images[0]->action, image_action::generate);
    EXPECT_EQ(r.output_text(), "Here it is.");
    ASSERT_TRUE(r.tools && r.tools->size() == 2);
    EXPECT_EQ(std::get<image_generation_tool>((*r.tools)[0]).partial_images, 2);
    EXPECT_TRUE(std::holds_alternative<force_image_generation>(*r.tool_choice));
    ASSERT_TRUE(r.usage);
    EXPECT_EQ(r.usage->total_tokens, 30);
    EXPECT_EQ(r.usage->output_tokens_details->reasoning_tokens, 5);
}

TEST(api_responses_types, unknown_statuses_and_terminal_states)
{
    response r;
    ASSERT_FALSE(json::read(
        R"({"id":"resp_2","object":"response","created_at":1,"status":"paused","model":"m","output":[]})",
        r));
    EXPECT_EQ(r.status, response_status::unknown);
    EXPECT_TRUE(is_terminal(response_status::unknown));
    EXPECT_FALSE(is_terminal(response_status::queued));
    EXPECT_FALSE(is_terminal(response_status::in_progress));
    for (auto s : {response_status::completed, response_status::failed, response_status::incomplete,
                   response_status::cancelled})
        EXPECT_TRUE(is_terminal(s));

    ASSERT_FALSE(json::read(
        R"({"id":"resp_3","object":"response","created_at":1,"status":"failed","model":"m","output":[],
        "error":{"code":"image_content_policy_violation","message":"no"},
        "incomplete_details":null})",
        r));
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code, "image_content_policy_violation");
    ASSERT_FALSE(json::read(
        R"({"id":"resp_4","object":"response","created_at":1,"status":"incomplete","model":"m","output":[],
        "error":null,"incomplete_details":{"reason":"max_output_tokens"}})",
        r));
    EXPECT_FALSE(r.error);
    EXPECT_EQ(r.incomplete_details->reason, incomplete_reason::max_output_tokens);
}

http::sse_event sse(std::string event, std::string data)
{
    return {std::move(event), std::move(data), {}};
}

TEST(api_responses_types, stream_policy_types_each_event_and_tracks_sequence_numbers)
{
    response_stream_policy p;
    const std::string rid = "req_1";
    auto created = p.on_event(
        sse("response.created",
            R"({"type":"response.created","sequence_number":0,)"
            R"("response":{"id":"resp_9","object":"response","created_at":1,"status":"in_progress","model":"m","output":[]}})"),
        rid);
    ASSERT_TRUE(created);
    EXPECT_EQ(std::get<response_lifecycle_event>(*created).response.id, "resp_9");
    EXPECT_EQ(p.response_id, "resp_9");

    auto added = p.on_event(
        sse("response.output_item.added",
            R"({"type":"response.output_item.added","sequence_number":1,"output_index":0,)"
            R"("item":{"type":"image_generation_call","id":"ig_9","status":"in_progress","result":null}})"),
        rid);
    EXPECT_EQ(std::get<image_generation_call>(std::get<output_item_event>(*added).item).id, "ig_9");

    auto generating =
        p.on_event(sse("response.image_generation_call.generating",
                       R"({"type":"response.image_generation_call.generating","sequence_number":2,)"
                       R"("output_index":0,"item_id":"ig_9"})"),
                   rid);
    EXPECT_EQ(std::get<image_call_progress_event>(*generating).type,
              "response.image_generation_call.generating");

    auto partial = p.on_event(
        sse("response.image_generation_call.partial_image",
            R"({"type":"response.image_generation_call.partial_image","sequence_number":3,)"
            R"("output_index":0,"item_id":"ig_9","partial_image_index":0,"partial_image_b64":"QUJD",)"
            R"("size":"1024x1024","quality":"low","background":"opaque","output_format":"png"})"),
        rid);
    EXPECT_EQ(std::get<image_call_partial_event>(*partial).partial_image_b64, "QUJD");

    EXPECT_FALSE(p.on_event(sse("keepalive", R"({"type":"keepalive"})"), rid));
    auto delta =
        p.on_event(sse("response.output_text.delta",
                       R"({"type":"response.output_text.delta","sequence_number":4,"delta":"hi"})"),
                   rid);
    const auto& unknown = std::get<response_unknown_event>(*delta);
    EXPECT_EQ(unknown.sequence_number, 4);
    EXPECT_EQ(unknown.data.find("delta")->as_string(), "hi");
    // Without `event:` lines the type comes from the data.
    auto future =
        p.on_event(sse("", R"({"type":"response.something_new","sequence_number":5})"), rid);
    EXPECT_EQ(std::get<response_unknown_event>(*future).type, "response.something_new");

    EXPECT_EQ(p.last_sequence_number, 5);
    try {
        p.on_end(rid);
        ADD_FAILURE() << "a stream without a terminal event must not end quietly";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), error::incomplete_stream);
    }
    p.on_event(
        sse("response.completed",
            R"({"type":"response.completed","sequence_number":6,)"
            R"("response":{"id":"resp_9","object":"response","created_at":1,"status":"completed","model":"m","output":[]}})"),
        rid);
    EXPECT_TRUE(p.finished);
    EXPECT_NO_THROW(p.on_end(rid));
}

TEST(api_responses_types, a_malformed_known_event_is_a_bad_response)
{
    response_stream_policy p;
    try {
        p.on_event(
            sse("response.image_generation_call.partial_image", R"({"sequence_number":"three"})"),
            "req_2");
        ADD_FAILURE() << "expected bad_response";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), error::bad_response);
        EXPECT_NE(std::string(e.what()).find("partial_image"), std::string::npos);
    }
}

std::string refused_field(const response_create_request& r)
{
    try {
        detail::check_create(r);
    } catch (const request_error& e) {
        return e.field();
    }
    return "(accepted)";
}

TEST(api_responses_types, checks_name_the_field)
{
    auto with_tool = [](image_generation_tool t) {
        response_create_request r;
        r.input = "x";
        r.tools =
            std::vector<response_tool>{json::read<json::value>(R"({"type":"web_search"})"), t};
        return r;
    };
    EXPECT_EQ(refused_field(with_tool({.partial_images = 4})), "tools[1].partial_images");
    EXPECT_EQ(refused_field(with_tool({.partial_images = -1})), "tools[1].partial_images");
    EXPECT_EQ(refused_field(with_tool({.partial_images = 3})), "(accepted)");
    EXPECT_EQ(refused_field(with_tool({.output_compression = 101})), "tools[1].output_compression");
    EXPECT_EQ(refused_field(with_tool(
                  {.output_format = output_format::jpeg, .background = background::transparent})),
              "tools[1].background");
    EXPECT_EQ(refused_field(with_tool(
                  {.output_format = output_format::webp, .background = background::transparent})),
              "(accepted)");
    EXPECT_EQ(refused_field(with_tool({.input_image_mask = image_reference{}})),
              "tools[1].input_image_mask");
    // The tool's mask is documented as "Base64-encoded mask image": bare base64 passes.
    EXPECT_EQ(refused_field(
                  with_tool({.input_image_mask = image_reference{.image_url = "iVBORw0KGgo="}})),
              "(accepted)");
    EXPECT_EQ(
        refused_field(with_tool({.input_image_mask = image_reference{.image_url = "not base64!"}})),
        "tools[1].input_image_mask.image_url");
    EXPECT_EQ(refused_field(with_tool({.size = "1000x1000"})), "tools[1].size");
    EXPECT_EQ(refused_field(with_tool({.model = "gpt-image-2", .size = "1008x1008"})),
              "(accepted)");

    auto with_image = [](input_image img) {
        response_create_request r;
        r.input = std::vector<input_item>{user_message("look", std::move(img))};
        return r;
    };
    EXPECT_EQ(refused_field(with_image({})), "input[0].content[1]");
    EXPECT_EQ(refused_field(with_image({.image_url = "https://e.com/a.png", .file_id = "file-1"})),
              "input[0].content[1]");
    EXPECT_EQ(refused_field(with_image(input_image::from_url("ftp://e.com/a.png"))),
              "input[0].content[1].image_url");
    EXPECT_EQ(refused_field(with_image(input_image::from_url("data:image/png;base64,@@@@"))),
              "input[0].content[1].image_url");
    EXPECT_EQ(refused_field(with_image(input_image::from_url("data:image/png;base64,iVBORw=="))),
              "(accepted)");
    EXPECT_EQ(refused_field(with_image(
                  input_image::from_url("data:image/png;base64," + std::string(20971520, 'A')))),
              "input[0].content[1].image_url");

    response_create_request chained;
    chained.previous_response_id = "resp_1";
    chained.store = false;
    EXPECT_EQ(refused_field(chained), "previous_response_id");
    chained.store = true;
    EXPECT_EQ(refused_field(chained), "(accepted)");
    response_create_request bg;
    bg.background = true;
    bg.store = false;
    EXPECT_EQ(refused_field(bg), "background");
    response_create_request tokens;
    tokens.max_output_tokens = 15;
    EXPECT_EQ(refused_field(tokens), "max_output_tokens");
    response_create_request meta;
    meta.metadata = std::map<std::string, std::string>{};
    for (int i = 0; i < 17; ++i)
        (*meta.metadata)["k" + std::to_string(i)] = "v";
    EXPECT_EQ(refused_field(meta), "metadata");
}

TEST(api_responses_types, a_delete_answer_without_a_body_still_says_deleted)
{
    http::response answer;
    answer.status = 200;
    auto d = detail::read_deleted(answer, "resp_7");
    EXPECT_EQ(d.id, "resp_7");
    EXPECT_TRUE(d.deleted);
    answer.body = R"({"id":"resp_7","object":"response.deleted","deleted":true})";
    d = detail::read_deleted(answer, "resp_7");
    EXPECT_EQ(d.object, "response.deleted");
    EXPECT_TRUE(d.deleted);
}

TEST(api_responses_types, ids_in_paths_are_checked)
{
    EXPECT_NO_THROW(detail::check_id("resp_abc-123", "response_id"));
    EXPECT_THROW(detail::check_id("resp_1/../files", "response_id"), request_error);
    EXPECT_THROW(detail::check_id("resp_1?x=1", "response_id"), request_error);
    EXPECT_THROW(detail::check_id("", "response_id"), request_error);
}

} // namespace
