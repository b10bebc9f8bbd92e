// The emulator itself (tools/emulator), checked from outside with the blocking TLS
// client and raw requests: start-up and certificates, auth, generated images and
// streams. emulator_edit_test covers multipart edits, validation, faults and the record.
// The library's own tests rely on all of this behaving as tools/emulator/README.md says.

#include "emulator_test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace imagine::test::emulator_checks;
namespace json = imagine::json;
namespace http_text = imagine::test::http_text;

// ---------------------------------------------------------------------------
// Start-up, TLS, auth

TEST_F(emulator_test, ready_file_port_and_ca)
{
    EXPECT_GT(emu().port(), 0);
    EXPECT_EQ(emu().base_url(), "https://127.0.0.1:" + std::to_string(emu().port()) + "/v1");
    EXPECT_EQ(emu().origin() + "/v1", emu().base_url());
    EXPECT_NE(emu().ca_pem().find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_NE(emu().log().find("imagine-emulator: listening on " + emu().base_url() + " (CA: /"),
              std::string::npos)
        << emu().log();
    EXPECT_EQ(json::read<json::value>(emu().get("/_emulator/health")),
              json::read<json::value>(R"({"ok":true})"));
}

TEST_F(emulator_test, tls_verifies_against_its_ca_for_ip_and_localhost)
{
    EXPECT_NO_THROW(blocking_tls_client("127.0.0.1", emu().port(), emu().ca_pem()));
    EXPECT_NO_THROW(blocking_tls_client("localhost", emu().port(), emu().ca_pem()));
    const imagine::test::test_authority stranger;
    EXPECT_THROW(blocking_tls_client("127.0.0.1", emu().port(), stranger.cert_pem()),
                 std::runtime_error);
    auto client = connect();
    EXPECT_TRUE(client.tls_version() == "TLSv1.3" || client.tls_version() == "TLSv1.2");
}

TEST_F(emulator_test, missing_key_is_401_with_the_exact_body)
{
    const auto r = send("POST", "/v1/images/generations", R"({"prompt":"x"})",
                        "Content-Type: application/json\r\n", false);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(
        r.body,
        R"({"error":{"message":"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (i.e. username is YOUR_KEY) if you're accessing the API from your browser. You can obtain an API key from https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":null}})");
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    ASSERT_TRUE(r.header("x-request-id"));
    EXPECT_EQ(r.header("x-request-id")->substr(0, 4), "req_");
    EXPECT_TRUE(r.header("openai-processing-ms"));
}

TEST_F(emulator_test, invalid_key_is_401_with_the_masked_key)
{
    const auto r = send(
        "POST", "/v1/images/generations", R"({"prompt":"x"})",
        "Content-Type: application/json\r\nAuthorization: Bearer sk-invalid-key-000xyz\r\n", false);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(
        r.body,
        R"({"error":{"message":"Incorrect API key provided: sk-inval*********0xyz. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})");
}

TEST_F(emulator_test, request_ids_are_unique)
{
    const auto a = send("GET", "/v1/nothing-here"), b = send("GET", "/v1/nothing-here");
    EXPECT_NE(a.header("x-request-id"), b.header("x-request-id"));
}

// ---------------------------------------------------------------------------
// Generations

TEST_F(emulator_test, generation_returns_a_decodable_png_of_the_requested_size)
{
    const auto r =
        generate({{"model", "gpt-image-2"}, {"prompt", "a lighthouse"}, {"size", "512x288"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    EXPECT_TRUE(body.at("created").is_integer());
    EXPECT_EQ(body.at("size").as_string(), "512x288");
    EXPECT_EQ(body.at("quality").as_string(), "medium");
    EXPECT_EQ(body.at("background").as_string(), "opaque");
    EXPECT_EQ(body.at("output_format").as_string(), "png");
    const auto& usage = body.at("usage");
    EXPECT_EQ(usage.at("total_tokens").as_int64(),
              usage.at("input_tokens").as_int64() + usage.at("output_tokens").as_int64());
    EXPECT_TRUE(usage.at("input_tokens_details").contains("text_tokens"));
    EXPECT_TRUE(usage.at("output_tokens_details").contains("image_tokens"));
    const auto png = decode_png(first_image(r));
    EXPECT_EQ(png.width, 512u);
    EXPECT_EQ(png.height, 288u);
    EXPECT_EQ(png.channels, 3);
}

TEST_F(emulator_test, same_prompt_same_bytes_other_prompt_other_bytes)
{
    const json::value::object request{
        {"model", "gpt-image-1"}, {"prompt", "same"}, {"size", "1024x1024"}};
    const auto a = first_image(generate(request));
    const auto b = first_image(generate(request));
    auto other = request;
    other[1].second = "different";
    EXPECT_EQ(a, b);
    EXPECT_NE(a, first_image(generate(other)));
}

TEST_F(emulator_test, png_1024_is_a_few_megabytes_and_transparent_is_rgba)
{
    const auto opaque = first_image(
        generate({{"model", "gpt-image-1.5"}, {"prompt", "big"}, {"size", "1024x1024"}}));
    EXPECT_GT(opaque.size(), 1'000'000u);
    EXPECT_LT(opaque.size(), 4'000'000u);
    const auto r = generate(
        {{"model", "gpt-image-1.5"}, {"prompt", "cut out"}, {"background", "transparent"}});
    EXPECT_EQ(r.json().at("background").as_string(), "transparent");
    const auto png = decode_png(first_image(r));
    EXPECT_EQ(png.channels, 4);
    EXPECT_EQ(png.pixels[3], '\0'); // corner: transparent
}

TEST_F(emulator_test, jpeg_and_webp_outputs)
{
    const auto jpeg = first_image(generate({{"model", "gpt-image-1"},
                                            {"prompt", "j"},
                                            {"output_format", "jpeg"},
                                            {"output_compression", 60}}));
    EXPECT_EQ(jpeg.substr(0, 3), "\xFF\xD8\xFF");
    const auto webp =
        generate({{"model", "gpt-image-1"}, {"prompt", "w"}, {"output_format", "webp"}});
    EXPECT_EQ(webp.json().at("output_format").as_string(), "webp");
    const auto bytes = first_image(webp);
    EXPECT_EQ(bytes.substr(0, 4), "RIFF");
    EXPECT_EQ(bytes.substr(8, 4), "WEBP");
}

TEST_F(emulator_test, n_images_and_dalle_urls)
{
    const auto r = generate(
        {{"model", "gpt-image-1-mini"}, {"prompt", "three"}, {"n", 3}, {"quality", "low"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("data").size(), 3u);
    EXPECT_EQ(r.json().at("quality").as_string(), "low");

    const auto dalle = generate({{"prompt", "default model"}, {"size", "256x256"}});
    ASSERT_EQ(dalle.status, 200) << dalle.body;
    const auto url = dalle.json().at("data").at(0).at("url").as_string();
    ASSERT_EQ(url.substr(0, emu().origin().size()), emu().origin());
    EXPECT_FALSE(dalle.json().contains("usage"));
    const auto png = decode_png(emu().get(url.substr(emu().origin().size())));
    EXPECT_EQ(png.width, 256u);

    const auto dalle3 =
        generate({{"model", "dall-e-3"}, {"prompt", "p"}, {"response_format", "b64_json"}});
    ASSERT_EQ(dalle3.status, 200) << dalle3.body;
    EXPECT_TRUE(dalle3.json().at("data").at(0).contains("revised_prompt"));
    EXPECT_TRUE(dalle3.json().at("data").at(0).contains("b64_json"));
}

// ---------------------------------------------------------------------------
// Streaming

TEST_F(emulator_test, streaming_sends_k_partials_then_completed)
{
    for (int k = 0; k <= 3; ++k) {
        SCOPED_TRACE("partial_images = " + std::to_string(k));
        const auto r = generate({{"model", "gpt-image-1"},
                                 {"prompt", "stream"},
                                 {"size", "1024x1024"},
                                 {"stream", true},
                                 {"partial_images", k}});
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "text/event-stream");
        EXPECT_EQ(r.header("Transfer-Encoding"), "chunked");
        const auto events = events_of(r);
        ASSERT_EQ(events.size(), static_cast<std::size_t>(k + 1));
        std::size_t previous_size = 0;
        for (int i = 0; i < k; ++i) {
            EXPECT_EQ(events[i].event, "image_generation.partial_image");
            const auto data = json::read<json::value>(events[i].data);
            EXPECT_EQ(data.at("type").as_string(), "image_generation.partial_image");
            EXPECT_EQ(data.at("partial_image_index").as_int64(), i);
            for (const auto* field :
                 {"created_at", "size", "quality", "background", "output_format"})
                EXPECT_TRUE(data.contains(field)) << field;
            const auto png = decode_png(imagine::base64::decode(data.at("b64_json").as_string()));
            EXPECT_EQ(png.width, 1024u); // the final size, only coarser
            const auto size = data.at("b64_json").as_string().size();
            EXPECT_GT(size, previous_size); // finer partials hold more detail
            previous_size = size;
        }
        EXPECT_EQ(events.back().event, "image_generation.completed");
        const auto completed = json::read<json::value>(events.back().data);
        EXPECT_EQ(completed.at("type").as_string(), "image_generation.completed");
        EXPECT_FALSE(completed.contains("partial_image_index"));
        EXPECT_TRUE(completed.at("usage").contains("input_tokens_details"));
        const auto final_png = imagine::base64::decode(completed.at("b64_json").as_string());
        EXPECT_EQ(final_png,
                  first_image(generate(
                      {{"model", "gpt-image-1"}, {"prompt", "stream"}, {"size", "1024x1024"}})));
    }
}

TEST_F(emulator_test, streaming_n_images_repeats_completed)
{
    const auto r = generate({{"model", "gpt-image-1"},
                             {"prompt", "s"},
                             {"stream", true},
                             {"partial_images", 1},
                             {"n", 2}});
    const auto events = events_of(r);
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[1].event, "image_generation.completed");
    EXPECT_EQ(events[3].event, "image_generation.completed");
}

} // namespace
