#include <imagine/api/images.hpp>

#include <imagine/api/client.hpp>
#include <imagine/api/save_image.hpp>
#include <imagine/base64.hpp>
#include <imagine/util/image_info.hpp>

#include "api_test_util.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace imagine;
using imagine::test::api_test;

class images_stream : public api_test {
protected:
    imagine::test::temp_dir dir;

    static asio::awaitable<std::vector<image_stream_event>> collect(image_stream s)
    {
        std::vector<image_stream_event> events;
        while (auto ev = co_await s.next())
            events.push_back(std::move(*ev));
        co_return events;
    }

    /// A real image from the emulator, saved under `name`.
    std::filesystem::path make_image(client& ai, const std::string& name, background bg)
    {
        const auto r = run(ai.images.generate(
            {.prompt = name, .model = models::gpt_image_2, .size = "256x256", .background = bg}));
        const auto path = dir.path() / name;
        run(save_image(r.data.at(0), path));
        return path;
    }

    static std::string read_file(const std::filesystem::path& p)
    {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
};

void expect_image(const std::string& b64, std::uint32_t width, std::uint32_t height)
{
    std::error_code ec;
    const image_info info = probe_image(base64::decode(b64), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(info.width, width);
    EXPECT_EQ(info.height, height);
}

void expect_partials_then_completed(const std::vector<image_stream_event>& events, int k,
                                    const char* prefix)
{
    ASSERT_EQ(events.size(), static_cast<std::size_t>(k) + 1);
    for (int i = 0; i < k; ++i) {
        const auto* p = std::get_if<image_partial_event>(&events[static_cast<std::size_t>(i)]);
        ASSERT_TRUE(p) << "event " << i;
        EXPECT_EQ(p->type, std::string(prefix) + ".partial_image");
        EXPECT_EQ(p->partial_image_index, i);
        expect_image(p->b64_json, 256, 256);
    }
    const auto* c = std::get_if<image_completed_event>(&events.back());
    ASSERT_TRUE(c);
    EXPECT_EQ(c->type, std::string(prefix) + ".completed");
    expect_image(c->b64_json, 256, 256);
    ASSERT_TRUE(c->usage);
    EXPECT_GT(c->usage->total_tokens, 0);
}

TEST_F(images_stream, zero_to_three_partial_images)
{
    client ai(io.get_executor(), options());
    for (int k = 0; k <= 3; ++k) {
        auto s = run(ai.images.generate_stream({.prompt = "a lighthouse",
                                                .model = models::gpt_image_2,
                                                .size = "256x256",
                                                .partial_images = k},
                                               [] {
                                                   request_options o;
                                                   o.headers.set("x-emulator-delay-ms", "0");
                                                   return o;
                                               }()));
        EXPECT_FALSE(s.request_id().empty());
        expect_partials_then_completed(run(collect(std::move(s))), k, "image_generation");
        const auto requests = recorded();
        const json::value& sent = requests.back().at("json");
        EXPECT_EQ(sent.at("stream").as_bool(), true);
        EXPECT_EQ(sent.at("partial_images").as_int64(), k);
    }
}

TEST_F(images_stream, events_split_across_tls_records_at_odd_places)
{
    client ai(io.get_executor(), options());
    request_options o;
    o.headers.set("x-emulator-fault", "odd-writes");
    o.headers.set("x-emulator-delay-ms", "0");
    auto s = run(ai.images.generate_stream(
        {.prompt = "odd", .model = models::gpt_image_2, .size = "256x256", .partial_images = 2},
        o));
    expect_partials_then_completed(run(collect(std::move(s))), 2, "image_generation");
}

TEST_F(images_stream, a_stream_cut_after_the_first_partial_fails_and_is_not_retried)
{
    client ai(io.get_executor(), options());
    request_options o;
    o.headers.set("x-emulator-fault", "reset-after-partial:1");
    o.headers.set("x-emulator-delay-ms", "0");
    auto s = run(ai.images.generate_stream(
        {.prompt = "cut", .model = models::gpt_image_2, .size = "256x256", .partial_images = 3},
        o));
    auto first = run(s.next());
    ASSERT_TRUE(first);
    EXPECT_TRUE(std::holds_alternative<image_partial_event>(*first));
    EXPECT_THROW(run(s.next()), std::system_error);
    EXPECT_EQ(recorded().size(), 1u);
}

TEST_F(images_stream, an_error_event_ends_the_stream_with_an_api_error)
{
    client ai(io.get_executor(), options());
    request_options o;
    o.headers.set("x-emulator-fault", "stream-error");
    o.headers.set("x-emulator-delay-ms", "0");
    auto s = run(ai.images.generate_stream({.prompt = "e", .partial_images = 2}, o));
    ASSERT_TRUE(run(s.next()));
    try {
        run(s.next());
        FAIL() << "no error";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::stream_error);
        EXPECT_EQ(e.code_string(), "server_error");
        EXPECT_FALSE(e.server_message().empty());
    }
    EXPECT_FALSE(run(s.next())) << "the stream is over";
}

TEST_F(images_stream, an_edit_with_three_images_and_a_mask_arrives_as_the_right_parts)
{
    client ai(io.get_executor(), options());
    const auto a = make_image(ai, "a.png", background::opaque);
    const auto b = make_image(ai, "b.png", background::opaque);
    const auto c = make_image(ai, "c.png", background::opaque);
    const auto mask = make_image(ai, "mask.png", background::transparent);
    emu().clear_requests();

    image_edit_request req{.image = {input_file::from_path(a),
                                     input_file::from_bytes(read_file(b), "bee.png"),
                                     input_file::from_path(c)},
                           .prompt = "put them together",
                           .mask = input_file::from_path(mask),
                           .model = models::gpt_image_1_5,
                           .n = 1,
                           .quality = quality::medium,
                           .input_fidelity = input_fidelity::high,
                           .user = "u"};
    const auto r = run(ai.images.edit(std::move(req)));
    ASSERT_EQ(r.data.size(), 1u);

    const auto requests = recorded();
    ASSERT_EQ(requests.size(), 1u);
    const json::value& rec = requests[0];
    EXPECT_EQ(rec.at("target").as_string(), "/v1/images/edits");
    EXPECT_EQ(rec.at("content_type").as_string().rfind("multipart/form-data; boundary=", 0), 0u);
    const auto& parts = rec.at("parts").as_array();
    std::vector<std::string> names;
    for (const auto& p : parts)
        names.push_back(p.at("name").as_string());
    EXPECT_EQ(names, (std::vector<std::string>{"prompt", "model", "n", "quality", "input_fidelity",
                                               "user", "image[]", "image[]", "image[]", "mask"}));
    EXPECT_EQ(parts[0].at("value").as_string(), "put them together");
    EXPECT_EQ(parts[2].at("value").as_string(), "1");
    EXPECT_EQ(parts[4].at("value").as_string(), "high");
    EXPECT_TRUE(parts[0].at("filename").is_null());
    const std::filesystem::path files[] = {a, b, c, mask};
    const char* filenames[] = {"a.png", "bee.png", "c.png", "mask.png"};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& p = parts[6 + i];
        EXPECT_EQ(p.at("filename").as_string(), filenames[i]);
        EXPECT_EQ(p.at("content_type").as_string(), "image/png");
        const std::string bytes = read_file(files[i]);
        EXPECT_EQ(p.at("size").as_int64(), static_cast<std::int64_t>(bytes.size()));
        EXPECT_EQ(p.at("sha256").as_string(), imagine::test::sha256_hex(bytes));
    }
}

TEST_F(images_stream, one_image_goes_as_image_and_edits_stream_too)
{
    client ai(io.get_executor(), options());
    const auto a = make_image(ai, "one.png", background::opaque);
    emu().clear_requests();
    request_options o;
    o.headers.set("x-emulator-delay-ms", "0");
    image_edit_request req{.image = {input_file::from_path(a)},
                           .prompt = "night",
                           .model = models::gpt_image_2,
                           .size = "256x256",
                           .partial_images = 1};
    auto s = run(ai.images.edit_stream(std::move(req), o));
    expect_partials_then_completed(run(collect(std::move(s))), 1, "image_edit");
    const auto requests = recorded();
    const auto& parts = requests.at(0).at("parts").as_array();
    EXPECT_EQ(parts.back().at("name").as_string(), "image");
    bool streamed = false;
    for (const auto& p : parts)
        streamed = streamed ||
                   (p.at("name").as_string() == "stream" && p.at("value").as_string() == "true");
    EXPECT_TRUE(streamed);
}

TEST_F(images_stream, the_server_refuses_an_octet_stream_part)
{
    client_options opts = options();
    opts.validate = false;
    client ai(io.get_executor(), opts);
    input_file f = input_file::from_bytes("not really an image", "x.png");
    f.content_type = "application/octet-stream";
    image_edit_request req{.image = {f}, .prompt = "p"};
    try {
        run(ai.images.edit(std::move(req)));
        FAIL() << "no error";
    } catch (const api_error& e) {
        EXPECT_EQ(e.status(), 400u);
        EXPECT_EQ(e.code_string(), "unsupported_file_mimetype");
        EXPECT_EQ(e.param(), "image");
    }
}

TEST_F(images_stream, variations_and_json_edits)
{
    client ai(io.get_executor(), options());
    const auto r = run(ai.images.generate({.prompt = "seed",
                                           .model = models::dall_e_2,
                                           .size = "256x256",
                                           .response_format = response_format::b64_json}));
    const auto seed = dir.path() / "seed.png";
    run(save_image(r.data.at(0), seed));
    const auto v = run(ai.images.create_variation({.image = input_file::from_path(seed),
                                                   .n = 2,
                                                   .response_format = response_format::b64_json}));
    EXPECT_EQ(v.data.size(), 2u);

    image_edit_json_request json_edit{
        .images = {{.image_url = "data:image/png;base64," + *r.data.at(0).b64_json},
                   {.file_id = "file-123"}},
        .prompt = "warmer",
        .size = "1024x1024"};
    const auto e = run(ai.images.edit(std::move(json_edit)));
    EXPECT_EQ(e.data.size(), 1u);
    const auto requests = recorded();
    const json::value& sent = requests.back().at("json");
    EXPECT_EQ(sent.at("images").as_array().at(1).at("file_id").as_string(), "file-123");
}

TEST_F(images_stream, saving_partials_and_results)
{
    client ai(io.get_executor(), options());
    request_options o;
    o.headers.set("x-emulator-delay-ms", "0");
    auto s = run(ai.images.generate_stream(
        {.prompt = "save me", .model = models::gpt_image_2, .size = "256x256", .partial_images = 1},
        o));
    const auto events = run(collect(std::move(s)));
    ASSERT_EQ(events.size(), 2u);
    const auto partial =
        run(save_image(std::get<image_partial_event>(events[0]), dir.path() / "partial"));
    EXPECT_EQ(partial.path, dir.path() / "partial.png");
    const auto final_image =
        run(save_image(std::get<image_completed_event>(events[1]), dir.path() / "final.png"));
    EXPECT_EQ(final_image.width, 256u);
    // Taken name, wrong extension, bad base64: errors, and nothing new in the directory.
    EXPECT_THROW(
        run(save_image(std::get<image_completed_event>(events[1]), dir.path() / "final.png")),
        std::system_error);
    EXPECT_THROW(
        run(save_image(std::get<image_completed_event>(events[1]), dir.path() / "final.jpg")),
        std::system_error);
    request_options bad;
    bad.headers.set("x-emulator-fault", "bad-base64");
    const auto r = run(ai.images.generate({.prompt = "x"}, bad));
    EXPECT_THROW(run(save_image(r.data.at(0), dir.path() / "broken.png")), std::system_error);
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"final.png", "partial.png"}));
}

} // namespace
