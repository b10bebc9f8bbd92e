// client.responses, client.files and image_session against the emulator over real TLS:
// what reaches the wire, each terminal status, cancel / delete / input_items, uploads
// used as file_id inputs, and refinement chains checked on the server side.

#include <imagine/api/responses.hpp>

#include <imagine/api/client.hpp>
#include <imagine/api/image_session.hpp>
#include <imagine/base64.hpp>
#include <imagine/util/image_info.hpp>

#include "api_test_util.hpp"
#include "support/digest.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace imagine;
using imagine::test::api_test;

class responses_api : public api_test {
protected:
    /// Per-request options steering the emulator's job (see tools/emulator/README.md).
    static request_options job(std::string spec)
    {
        request_options o;
        o.headers.set("x-emulator-job", std::move(spec));
        return o;
    }

    static response_create_request image_request(std::string prompt)
    {
        response_create_request r;
        r.input = std::move(prompt);
        r.tools = std::vector<response_tool>{image_generation_tool{.size = "1024x1024"}};
        r.tool_choice = force_image_generation{};
        return r;
    }

    static json::value::array recorded_with(std::string_view method, std::string_view prefix)
    {
        json::value::array out;
        for (auto& r : recorded())
            if (r.at("method").as_string() == method &&
                std::string_view(r.at("target").as_string()).starts_with(prefix))
                out.push_back(std::move(r));
        return out;
    }
};

// A real PNG of the emulator's making, to upload and to send as a data URL.
std::string decoded_png(const response& r)
{
    const auto images = r.images();
    EXPECT_EQ(images.size(), 1u);
    if (images.empty() || !images[0]->result)
        return {};
    return base64::decode(*images[0]->result);
}

TEST_F(responses_api, every_create_field_reaches_the_wire_with_its_name_and_type)
{
    client ai(io.get_executor(), options());
    auto first_req = image_request("a lighthouse at dawn");
    const response first = run(ai.responses.create(first_req));
    ASSERT_EQ(first.status, response_status::completed);
    const auto* first_call = first.images().at(0);
    std::string message_id;
    for (const auto& item : first.output)
        if (const auto* m = std::get_if<output_message>(&item))
            message_id = m->id;
    ASSERT_FALSE(message_id.empty());
    const std::string png = decoded_png(first);

    file_upload_request up;
    up.file = input_file::from_bytes(png, "lighthouse.png");
    const file_object file = run(ai.files.upload(up));

    response_create_request r;
    r.model = "gpt-5.1";
    std::vector<input_item> items;
    items.emplace_back(user_message(
        "make it nighttime", input_image::from_file_id(file.id),
        input_image::from_url("data:image/png;base64," + base64::encode(png), image_detail::low)));
    items.emplace_back(image_generation_call_reference{first_call->id});
    items.emplace_back(item_reference{message_id});
    r.input = std::move(items);
    r.instructions = "You draw.";
    r.tools = std::vector<response_tool>{
        image_generation_tool{.model = "gpt-image-1.5",
                              .size = "1024x1024",
                              .quality = quality::low,
                              .output_format = output_format::png,
                              .output_compression = 100,
                              .moderation = moderation::low,
                              .background = background::transparent,
                              .input_fidelity = input_fidelity::high,
                              .input_image_mask = image_reference{.file_id = file.id},
                              .partial_images = 1,
                              .action = image_action::edit},
        json::read<json::value>(R"({"type":"web_search"})")};
    r.tool_choice = force_image_generation{};
    r.previous_response_id = first.id;
    r.background = false;
    r.store = true;
    r.max_output_tokens = 4000;
    r.max_tool_calls = 2;
    r.metadata = std::map<std::string, std::string>{{"session", "s-1"}};
    r.include = std::vector<std::string>{"message.input_image.image_url"};
    r.parallel_tool_calls = true;
    r.temperature = 0.5;
    r.top_p = 0.9;
    r.service_tier = "auto";
    r.safety_identifier = "user-hash-1";
    r.prompt_cache_key = "cache-1";
    r.text = json::read<json::value>(R"({"format":{"type":"text"}})");
    r.reasoning = json::read<json::value>(R"({"effort":"low"})");
    r.user = "user-1";
    const response second = run(ai.responses.create(r));
    EXPECT_EQ(second.status, response_status::completed);
    EXPECT_EQ(second.previous_response_id, first.id);

    const auto sent = recorded_with("POST", "/v1/responses").back().at("json");
    EXPECT_EQ(sent.at("model").as_string(), "gpt-5.1");
    const auto& input = sent.at("input").as_array();
    ASSERT_EQ(input.size(), 3u);
    EXPECT_EQ(input[0].at("type").as_string(), "message");
    EXPECT_EQ(input[0].at("role").as_string(), "user");
    const auto& parts = input[0].at("content").as_array();
    EXPECT_EQ(parts[0].at("type").as_string(), "input_text");
    EXPECT_EQ(parts[0].at("text").as_string(), "make it nighttime");
    EXPECT_EQ(parts[1].at("type").as_string(), "input_image");
    EXPECT_EQ(parts[1].at("file_id").as_string(), file.id);
    EXPECT_EQ(parts[1].at("detail").as_string(), "auto");
    EXPECT_FALSE(parts[1].contains("image_url"));
    EXPECT_TRUE(parts[2].at("image_url").as_string().starts_with("data:image/png;base64,iVBOR"));
    EXPECT_EQ(parts[2].at("detail").as_string(), "low");
    EXPECT_EQ(input[1].at("type").as_string(), "image_generation_call");
    EXPECT_EQ(input[1].at("id").as_string(), first_call->id);
    EXPECT_EQ(input[2].at("type").as_string(), "item_reference");
    EXPECT_EQ(input[2].at("id").as_string(), message_id);
    EXPECT_EQ(sent.at("instructions").as_string(), "You draw.");
    const auto& tool = sent.at("tools").as_array().at(0);
    EXPECT_EQ(tool.at("type").as_string(), "image_generation");
    EXPECT_EQ(tool.at("model").as_string(), "gpt-image-1.5");
    EXPECT_EQ(tool.at("size").as_string(), "1024x1024");
    EXPECT_EQ(tool.at("quality").as_string(), "low");
    EXPECT_EQ(tool.at("output_format").as_string(), "png");
    EXPECT_EQ(tool.at("output_compression").as_int64(), 100);
    EXPECT_EQ(tool.at("moderation").as_string(), "low");
    EXPECT_EQ(tool.at("background").as_string(), "transparent");
    EXPECT_EQ(tool.at("input_fidelity").as_string(), "high");
    EXPECT_EQ(tool.at("input_image_mask").at("file_id").as_string(), file.id);
    EXPECT_EQ(tool.at("partial_images").as_int64(), 1);
    EXPECT_EQ(tool.at("action").as_string(), "edit");
    EXPECT_EQ(sent.at("tools").as_array().at(1).at("type").as_string(), "web_search");
    EXPECT_EQ(sent.at("tool_choice").at("type").as_string(), "image_generation");
    EXPECT_EQ(sent.at("previous_response_id").as_string(), first.id);
    EXPECT_FALSE(sent.at("background").as_bool());
    EXPECT_TRUE(sent.at("store").as_bool());
    EXPECT_FALSE(sent.contains("stream"));
    EXPECT_EQ(sent.at("max_output_tokens").as_int64(), 4000);
    EXPECT_EQ(sent.at("max_tool_calls").as_int64(), 2);
    EXPECT_EQ(sent.at("metadata").at("session").as_string(), "s-1");
    EXPECT_EQ(sent.at("include").as_array().at(0).as_string(), "message.input_image.image_url");
    EXPECT_TRUE(sent.at("parallel_tool_calls").as_bool());
    EXPECT_DOUBLE_EQ(sent.at("temperature").as_double(), 0.5);
    EXPECT_DOUBLE_EQ(sent.at("top_p").as_double(), 0.9);
    EXPECT_EQ(sent.at("service_tier").as_string(), "auto");
    EXPECT_EQ(sent.at("safety_identifier").as_string(), "user-hash-1");
    EXPECT_EQ(sent.at("prompt_cache_key").as_string(), "cache-1");
    EXPECT_EQ(sent.at("text").at("format").at("type").as_string(), "text");
    EXPECT_EQ(sent.at("reasoning").at("effort").as_string(), "low");
    EXPECT_EQ(sent.at("user").as_string(), "user-1");
}

TEST_F(responses_api, a_completed_response_carries_a_real_image_and_text)
{
    client ai(io.get_executor(), options());
    auto req = image_request("a red fox in snow");
    const response r = run(ai.responses.create(req));
    EXPECT_TRUE(r.id.starts_with("resp_"));
    EXPECT_EQ(r.status, response_status::completed);
    ASSERT_TRUE(r.request_id);
    const auto images = r.images();
    ASSERT_EQ(images.size(), 1u);
    EXPECT_EQ(images[0]->status, image_call_status::completed);
    EXPECT_TRUE(images[0]->revised_prompt);
    std::error_code ec;
    const auto info = probe_image(decoded_png(r), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(info.format, image_format::png);
    EXPECT_EQ(info.width, 1024u);
    EXPECT_FALSE(r.output_text().empty());
    ASSERT_TRUE(r.usage);
    EXPECT_GT(r.usage->total_tokens, 0);
}

TEST_F(responses_api, failed_and_incomplete_are_responses_not_exceptions)
{
    client ai(io.get_executor(), options());
    auto req = image_request("a storm");
    const response failed = run(ai.responses.create(req, job("outcome=failed")));
    EXPECT_EQ(failed.status, response_status::failed);
    ASSERT_TRUE(failed.error);
    EXPECT_EQ(failed.error->code, "server_error");
    EXPECT_FALSE(failed.error->message.empty());

    const response incomplete = run(ai.responses.create(req, job("outcome=incomplete")));
    EXPECT_EQ(incomplete.status, response_status::incomplete);
    ASSERT_TRUE(incomplete.incomplete_details);
    EXPECT_EQ(incomplete.incomplete_details->reason, incomplete_reason::max_output_tokens);
}

TEST_F(responses_api, background_jobs_end_completed_failed_incomplete_or_cancelled)
{
    client ai(io.get_executor(), options());
    auto req = image_request("a castle");
    req.background = true;
    wait_options fast;
    fast.poll_interval = std::chrono::milliseconds(20);

    const response queued = run(ai.responses.create(req, job("queued_ms=30,progress_ms=60")));
    EXPECT_EQ(queued.status, response_status::queued);
    EXPECT_TRUE(queued.background.value_or(false));
    const response done = run(ai.responses.wait(queued.id, fast));
    EXPECT_EQ(done.status, response_status::completed);
    EXPECT_FALSE(decoded_png(done).empty());

    const response f =
        run(ai.responses.create(req, job("queued_ms=10,progress_ms=30,outcome=failed")));
    const response failed = run(ai.responses.wait(f.id, fast));
    EXPECT_EQ(failed.status, response_status::failed);
    EXPECT_TRUE(failed.error);

    const response i =
        run(ai.responses.create(req, job("queued_ms=10,progress_ms=30,outcome=incomplete")));
    EXPECT_EQ(run(ai.responses.wait(i.id, fast)).status, response_status::incomplete);

    const response n = run(ai.responses.create(req, job("outcome=never")));
    const response cancelled = run(ai.responses.cancel(n.id));
    EXPECT_EQ(cancelled.status, response_status::cancelled);
    EXPECT_EQ(run(ai.responses.wait(n.id, fast)).status, response_status::cancelled);
    // Cancelling again, or cancelling a finished job, returns it unchanged.
    EXPECT_EQ(run(ai.responses.cancel(n.id)).status, response_status::cancelled);
    EXPECT_EQ(run(ai.responses.cancel(queued.id)).status, response_status::completed);
}

TEST_F(responses_api, only_background_responses_can_be_cancelled)
{
    client ai(io.get_executor(), options());
    auto req = image_request("a bridge");
    const response plain = run(ai.responses.create(req));
    try {
        run(ai.responses.cancel(plain.id));
        ADD_FAILURE() << "cancelling a foreground response must fail";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::bad_request);
        EXPECT_EQ(e.status(), 400u);
    }
}

TEST_F(responses_api, remove_deletes_and_retrieve_then_finds_nothing)
{
    client ai(io.get_executor(), options());
    auto req = image_request("a kite");
    const response r = run(ai.responses.create(req));
    EXPECT_EQ(run(ai.responses.retrieve(r.id)).id, r.id);
    const response_deleted d = run(ai.responses.remove(r.id));
    EXPECT_TRUE(d.deleted);
    EXPECT_EQ(d.id, r.id);
    try {
        run(ai.responses.retrieve(r.id));
        ADD_FAILURE() << "a deleted response must be gone";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::not_found);
        EXPECT_NE(std::string(e.what()).find(r.id), std::string::npos);
    }
    const auto deletes = recorded_with("DELETE", "/v1/responses/" + r.id);
    EXPECT_EQ(deletes.size(), 1u);
}

TEST_F(responses_api, input_items_page_through_the_input)
{
    client ai(io.get_executor(), options());
    response_create_request req;
    std::vector<input_item> items;
    for (const char* text : {"one", "two", "three"})
        items.emplace_back(user_message(text));
    req.input = std::move(items);
    const response r = run(ai.responses.create(req));

    input_items_query q{.limit = 2, .order = list_order::asc};
    const response_item_list page1 = run(ai.responses.input_items(r.id, q));
    ASSERT_EQ(page1.data.size(), 2u);
    EXPECT_TRUE(page1.has_more);
    ASSERT_TRUE(page1.last_id);
    auto text_of = [](const input_item& item) {
        const auto& m = std::get<input_message>(item);
        const auto& parts = std::get<std::vector<input_content>>(m.content);
        return std::get<input_text>(parts.at(0)).text;
    };
    EXPECT_EQ(text_of(page1.data[0]), "one");
    EXPECT_EQ(text_of(page1.data[1]), "two");
    q.after = *page1.last_id;
    const response_item_list page2 = run(ai.responses.input_items(r.id, q));
    ASSERT_EQ(page2.data.size(), 1u);
    EXPECT_EQ(text_of(page2.data[0]), "three");
    EXPECT_FALSE(page2.has_more);
    const auto gets = recorded_with("GET", "/v1/responses/" + r.id + "/input_items");
    ASSERT_EQ(gets.size(), 2u);
    EXPECT_EQ(gets[1].at("target").as_string(),
              "/v1/responses/" + r.id + "/input_items?limit=2&order=asc&after=" + *page1.last_id);
}

TEST_F(responses_api, an_upload_is_multipart_and_its_id_works_as_input)
{
    client ai(io.get_executor(), options());
    auto gen = image_request("a teapot");
    const std::string png = decoded_png(run(ai.responses.create(gen)));
    const auto dir = std::filesystem::temp_directory_path() / "imagine-files-test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "teapot.png";
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        ASSERT_TRUE(f);
        std::fwrite(png.data(), 1, png.size(), f);
        std::fclose(f);
    }
    emu().clear_requests();
    file_upload_request up;
    up.file = input_file::from_path(path);
    up.expires_after_seconds = 3600;
    const file_object f = run(ai.files.upload(up));
    EXPECT_TRUE(f.id.starts_with("file-"));
    EXPECT_EQ(f.purpose, "vision");
    EXPECT_EQ(f.filename, "teapot.png");
    EXPECT_EQ(f.bytes, static_cast<std::int64_t>(png.size()));

    const auto sent = recorded().at(0);
    const auto& parts = sent.at("parts").as_array();
    ASSERT_EQ(parts.size(), 4u);
    EXPECT_EQ(parts[0].at("name").as_string(), "purpose");
    EXPECT_EQ(parts[0].at("value").as_string(), "vision");
    EXPECT_EQ(parts[1].at("name").as_string(), "expires_after[anchor]");
    EXPECT_EQ(parts[2].at("value").as_string(), "3600");
    EXPECT_EQ(parts[3].at("name").as_string(), "file");
    EXPECT_EQ(parts[3].at("filename").as_string(), "teapot.png");
    EXPECT_EQ(parts[3].at("content_type").as_string(), "image/png");
    EXPECT_EQ(parts[3].at("sha256").as_string(), test::sha256_hex(png));

    response_create_request edit = image_request("paint it blue");
    edit.input =
        std::vector<input_item>{user_message("paint it blue", input_image::from_file_id(f.id))};
    const response r = run(ai.responses.create(edit));
    EXPECT_EQ(r.status, response_status::completed);
    const json::value part = recorded_with("POST", "/v1/responses")
                                 .back()
                                 .at("json")
                                 .at("input")
                                 .as_array()
                                 .at(0)
                                 .at("content")
                                 .as_array()
                                 .at(1);
    EXPECT_EQ(part.at("file_id").as_string(), f.id);

    // An id the server does not know is its error, not ours.
    edit.input = std::vector<input_item>{user_message("x", input_image::from_file_id("file-nope"))};
    EXPECT_THROW(run(ai.responses.create(edit)), api_error);
    std::filesystem::remove_all(dir);
}

TEST_F(responses_api, a_refinement_chain_sends_each_previous_response_id)
{
    client ai(io.get_executor(), options());
    const auto dir = std::filesystem::temp_directory_path() / "imagine-session-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    image_session_options so;
    so.tool.size = "1024x1024";
    so.save_directory = dir;
    image_session editor(ai.responses, so);
    const session_step s1 = run(editor.generate("a lighthouse at dawn"));
    const session_step s2 = run(editor.refine("make it nighttime"));
    const session_step s3 = run(editor.refine("add rain"));
    EXPECT_EQ(s3.number, 3u);
    EXPECT_EQ(editor.last_response_id(), s3.response.id);

    const auto posts = recorded_with("POST", "/v1/responses");
    ASSERT_EQ(posts.size(), 3u);
    EXPECT_FALSE(posts[0].at("json").contains("previous_response_id"));
    EXPECT_EQ(posts[1].at("json").at("previous_response_id").as_string(), s1.response.id);
    EXPECT_EQ(posts[2].at("json").at("previous_response_id").as_string(), s2.response.id);
    EXPECT_EQ(posts[2].at("json").at("tool_choice").at("type").as_string(), "image_generation");

    // The server remembered the chain: the last image was drawn from all three asks.
    ASSERT_TRUE(s3.image() && s3.image()->revised_prompt);
    EXPECT_EQ(*s3.image()->revised_prompt, "a lighthouse at dawn; make it nighttime; add rain");
    const auto record =
        json::read<json::value>(emu().get("/_emulator/responses/" + s3.response.id));
    const auto& chain = record.at("chain").as_array();
    ASSERT_EQ(chain.size(), 3u);
    EXPECT_EQ(chain[0].as_string(), s1.response.id);

    for (const auto* step : {&s1, &s2, &s3}) {
        ASSERT_EQ(step->saved.size(), 1u);
        EXPECT_TRUE(std::filesystem::exists(step->saved[0].path));
        EXPECT_EQ(step->saved[0].path.filename().string(),
                  "step-" + std::to_string(step->number) + "-" + step->image()->id + ".png");
    }
    std::filesystem::remove_all(dir);
}

TEST_F(responses_api, refine_from_sends_an_image_generation_call_reference)
{
    client ai(io.get_executor(), options());
    image_session_options so;
    so.tool.size = "1024x1024";
    image_session editor(ai.responses, so);
    const session_step s1 = run(editor.generate("a cabin in the woods"));
    const session_step s2 = run(editor.refine("add snow"));
    const std::string first_call = s1.image()->id;
    const session_step branch = run(editor.refine_from(first_call, "in autumn instead"));

    const auto sent = recorded_with("POST", "/v1/responses").back().at("json");
    EXPECT_FALSE(sent.contains("previous_response_id"));
    const auto& input = sent.at("input").as_array();
    ASSERT_EQ(input.size(), 2u);
    EXPECT_EQ(input[0].at("type").as_string(), "image_generation_call");
    EXPECT_EQ(input[0].at("id").as_string(), first_call);
    EXPECT_EQ(input[1].at("content").as_array().at(0).at("text").as_string(), "in autumn instead");
    // Branching from the first image, not from the snowy one.
    EXPECT_EQ(*branch.image()->revised_prompt, "a cabin in the woods; in autumn instead");
    EXPECT_EQ(editor.last_response_id(), branch.response.id);
    EXPECT_NE(s2.response.id, branch.response.id);
}

TEST_F(responses_api, refused_requests_send_nothing)
{
    client ai(io.get_executor(), options());
    auto expect_refused = [&](response_create_request r, std::string_view field) {
        try {
            run(ai.responses.create(r));
            ADD_FAILURE() << "expected a refusal of " << field;
        } catch (const request_error& e) {
            EXPECT_EQ(e.field(), field);
            EXPECT_EQ(e.code(), error::invalid_request);
        }
    };
    auto r = image_request("x");
    std::get<image_generation_tool>((*r.tools)[0]).partial_images = 4;
    expect_refused(r, "tools[0].partial_images");
    r = image_request("x");
    r.previous_response_id = "resp_1";
    r.store = false;
    expect_refused(r, "previous_response_id");
    r = image_request("x");
    r.input = std::vector<input_item>{user_message("x", input_image{})};
    expect_refused(r, "input[0].content[1]");
    r = image_request("x");
    r.stream = true;
    expect_refused(r, "stream");
    image_session editor(ai.responses);
    try {
        run(editor.refine("no first step"));
        ADD_FAILURE() << "refine before generate must be refused";
    } catch (const request_error& e) {
        EXPECT_EQ(e.field(), "previous_response_id");
    }
    EXPECT_THROW(run(ai.responses.retrieve("resp_1/../../files")), request_error);
    EXPECT_TRUE(recorded().empty());

    // With checks off the server answers, naming the parameter.
    client_options lax = options();
    lax.validate = false;
    client unchecked(io.get_executor(), lax);
    r = image_request("x");
    std::get<image_generation_tool>((*r.tools)[0]).partial_images = 4;
    try {
        run(unchecked.responses.create(r));
        ADD_FAILURE() << "the emulator must refuse partial_images 4";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::bad_request);
        EXPECT_EQ(e.param(), "tools[0].partial_images");
    }
}

} // namespace
