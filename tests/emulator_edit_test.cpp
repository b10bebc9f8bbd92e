// The emulator itself (tools/emulator), continued: multipart edits and variations,
// validation, faults, the request record and shutting down.

#include "emulator_test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace imagine::test::emulator_checks;
namespace json = imagine::json;
namespace http_text = imagine::test::http_text;

// ---------------------------------------------------------------------------
// Edits and variations (multipart)

struct form {
    std::string boundary = "emulator-test-boundary-4f2a";
    std::string body{};

    form& field(std::string_view name, std::string_view value)
    {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
                std::string(name) + "\"\r\n\r\n" + std::string(value) + "\r\n";
        return *this;
    }
    form& file(std::string_view name, std::string_view filename,
               std::optional<std::string_view> type, std::string_view bytes)
    {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
                std::string(name) + "\"; filename=\"" + std::string(filename) + "\"\r\n";
        if (type)
            body += "Content-Type: " + std::string(*type) + "\r\n";
        body += "\r\n" + std::string(bytes) + "\r\n";
        return *this;
    }
    std::string finish() const { return body + "--" + boundary + "--\r\n"; }
    std::string header() const
    {
        return "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n";
    }
};

class emulator_edit_test : public emulator_test {
protected:
    static std::string small_png(std::string_view prompt, bool transparent = false)
    {
        json::value::object request{
            {"model", "gpt-image-2"}, {"prompt", prompt}, {"size", "256x256"}};
        if (transparent)
            request.emplace_back("background", "transparent");
        return first_image(generate(std::move(request)));
    }
    static response post_form(std::string_view target, const form& f, std::string extra = {})
    {
        return send("POST", target, f.finish(), f.header() + extra);
    }
};

TEST_F(emulator_edit_test, three_images_and_a_mask_are_recorded_part_by_part)
{
    const auto a = small_png("a"), b = small_png("b"), c = small_png("c"),
               mask = small_png("mask", true);
    form f;
    f.field("prompt", "combine them").field("model", "gpt-image-1.5");
    f.file("image[]", "a.png", "image/png", a).file("image[]", "b.png", "image/png", b);
    f.file("image[]", "c.png", "image/png", c).file("mask", "mask.png", "image/png", mask);
    emu().clear_requests();
    const auto r = post_form("/v1/images/edits", f);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(decode_png(first_image(r)).width, 1024u); // edits default to 1024x1024

    const auto recorded = json::read<json::value>(emu().requests());
    ASSERT_EQ(recorded.size(), 1u);
    const auto& entry = recorded.at(0);
    EXPECT_EQ(entry.at("method").as_string(), "POST");
    EXPECT_EQ(entry.at("target").as_string(), "/v1/images/edits");
    EXPECT_EQ(entry.at("content_type").as_string(), "multipart/form-data; boundary=" + f.boundary);
    EXPECT_TRUE(entry.at("json").is_null());
    const auto& parts = entry.at("parts");
    ASSERT_EQ(parts.size(), 6u);
    EXPECT_EQ(parts.at(0).at("name").as_string(), "prompt");
    EXPECT_EQ(parts.at(0).at("value").as_string(), "combine them");
    EXPECT_TRUE(parts.at(0).at("filename").is_null());
    EXPECT_TRUE(parts.at(0).at("content_type").is_null());
    const std::string names[] = {"image[]", "image[]", "image[]", "mask"};
    const std::string files[] = {"a.png", "b.png", "c.png", "mask.png"};
    const std::string* bytes[] = {&a, &b, &c, &mask};
    for (int i = 0; i < 4; ++i) {
        const auto& part = parts.at(static_cast<std::size_t>(i + 2));
        EXPECT_EQ(part.at("name").as_string(), names[i]);
        EXPECT_EQ(part.at("filename").as_string(), files[i]);
        EXPECT_EQ(part.at("content_type").as_string(), "image/png");
        EXPECT_EQ(part.at("size").as_int64(), static_cast<std::int64_t>(bytes[i]->size()));
        EXPECT_EQ(part.at("sha256").as_string(), sha256_hex(*bytes[i]));
        EXPECT_TRUE(part.at("value").is_null());
    }
}

TEST_F(emulator_edit_test, octet_stream_and_missing_content_type_are_rejected)
{
    const auto png = small_png("x");
    form octet;
    octet.field("prompt", "p").file("image", "x.png", "application/octet-stream", png);
    const auto r = post_form("/v1/images/edits", octet);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body,
        R"({"error":{"message":"Invalid file 'image': unsupported mimetype ('application/octet-stream'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.","type":"invalid_request_error","param":"image","code":"unsupported_file_mimetype"}})");

    form array;
    array.field("prompt", "p").file("image[]", "x.png", "application/octet-stream", png);
    expect_error(post_form("/v1/images/edits", array), 400, "unsupported_file_mimetype",
                 "image[0]");

    form untyped;
    untyped.field("prompt", "p").file("image", "x.png", std::nullopt, png);
    expect_error(post_form("/v1/images/edits", untyped), 400, "missing_file_mimetype", "image");

    form not_an_image;
    not_an_image.field("prompt", "p").file("image", "x.png", "image/png", "hello");
    expect_error(post_form("/v1/images/edits", not_an_image), 400, "invalid_image_format", "image");
}

TEST_F(emulator_edit_test, mask_rules)
{
    const auto image = small_png("i"), opaque_mask = small_png("m");
    form no_alpha;
    no_alpha.field("prompt", "p")
        .file("image", "i.png", "image/png", image)
        .file("mask", "m.png", "image/png", opaque_mask);
    expect_error(post_form("/v1/images/edits", no_alpha), 400, "invalid_image_format", "mask");

    const auto big_mask = first_image(generate({{"model", "gpt-image-2"},
                                                {"prompt", "m"},
                                                {"size", "512x512"},
                                                {"background", "transparent"}}));
    form wrong_size;
    wrong_size.field("prompt", "p")
        .file("image", "i.png", "image/png", image)
        .file("mask", "m.png", "image/png", big_mask);
    expect_error(post_form("/v1/images/edits", wrong_size), 400, "invalid_value", "mask");
}

TEST_F(emulator_edit_test, streaming_edit_uses_image_edit_events)
{
    form f;
    f.field("prompt", "p")
        .field("stream", "true")
        .field("partial_images", "2")
        .file("image", "i.png", "image/png", small_png("i"));
    const auto r = post_form("/v1/images/edits", f);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = events_of(r);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].event, "image_edit.partial_image");
    EXPECT_EQ(events[1].event, "image_edit.partial_image");
    EXPECT_EQ(events[2].event, "image_edit.completed");
}

TEST_F(emulator_edit_test, json_edit_with_data_url_and_file_id)
{
    const auto png = small_png("j");
    const json::value body = json::value::object{
        {"model", "gpt-image-1.5"},
        {"prompt", "p"},
        {"images",
         json::value::array{json::value::object{{"image_url", "data:image/png;base64," +
                                                                  imagine::base64::encode(png)}},
                            json::value::object{{"file_id", "file-123"}}}},
        {"size", "1536x1024"},
    };
    const auto r = post_json("/v1/images/edits", body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("size").as_string(), "1536x1024");

    const json::value dalle =
        json::value::object{{"model", "dall-e-2"},
                            {"prompt", "p"},
                            {"images", json::value::array{json::value::object{{"file_id", "f"}}}}};
    expect_error(post_json("/v1/images/edits", dalle), 400, "invalid_value", "model");
}

TEST_F(emulator_edit_test, variations_and_dalle2_rules)
{
    const auto square = small_png("v");
    form v;
    v.field("n", "2")
        .field("response_format", "b64_json")
        .field("size", "256x256")
        .file("image", "v.png", "image/png", square);
    const auto r = post_form("/v1/images/variations", v);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("data").size(), 2u);
    EXPECT_EQ(decode_png(first_image(r)).width, 256u);

    form jpeg_type;
    jpeg_type.file("image", "v.jpg", "image/jpeg", square);
    const auto bad = post_form("/v1/images/variations", jpeg_type);
    expect_error(bad, 400, "unsupported_file_mimetype", "image");
    EXPECT_NE(bad.body.find("Supported file formats are 'image/png'."), std::string::npos);

    const auto wide =
        first_image(generate({{"model", "gpt-image-2"}, {"prompt", "w"}, {"size", "512x256"}}));
    form not_square;
    not_square.field("prompt", "p")
        .field("model", "dall-e-2")
        .file("image", "w.png", "image/png", wide);
    expect_error(post_form("/v1/images/edits", not_square), 400, "invalid_image_format", "image");

    form two;
    two.field("prompt", "p")
        .field("model", "dall-e-2")
        .file("image[]", "a.png", "image/png", square)
        .file("image[]", "b.png", "image/png", square);
    expect_error(post_form("/v1/images/edits", two), 400, "invalid_value", "image");

    form generated_model;
    generated_model.field("model", "gpt-image-1").file("image", "v.png", "image/png", square);
    expect_error(post_form("/v1/images/variations", generated_model), 400, "invalid_value",
                 "model");
}

// ---------------------------------------------------------------------------
// Validation

TEST_F(emulator_test, validation_errors)
{
    expect_error(generate({{"prompt", "p"}, {"colour", "red"}}), 400, "unknown_parameter",
                 "colour");
    EXPECT_EQ(
        generate({{"prompt", "p"}, {"colour", "red"}}).json().at("error").at("message").as_string(),
        "Unknown parameter: 'colour'.");
    expect_error(generate({{"prompt", "p"}, {"n", "2"}}), 400, "invalid_type", "n");
    expect_error(generate({{"prompt", 5}}), 400, "invalid_type", "prompt");
    expect_error(generate({{"model", "gpt-image-1"}}), 400, "missing_required_parameter", "prompt");
    expect_error(generate({{"model", "gpt-image-9"}, {"prompt", "p"}}), 400, "invalid_value",
                 "model");
    expect_error(generate({{"model", "gpt-image-1"}, {"prompt", "p"}, {"quality", "hd"}}), 400,
                 "invalid_value", "quality");
    expect_error(generate({{"model", "dall-e-2"}, {"prompt", std::string(1001, 'a')}}), 400,
                 "string_above_max_length", "prompt");
    EXPECT_EQ(generate({{"model", "gpt-image-1"},
                        {"prompt", std::string(1001, 'a')},
                        {"size", "1024x1024"},
                        {"quality", "low"}})
                  .status,
              200);
    expect_error(generate({{"prompt", "p"}, {"n", 11}}), 400, "integer_above_max_value", "n");
    expect_error(generate({{"prompt", "p"}, {"n", 0}}), 400, "integer_below_min_value", "n");
    expect_error(generate({{"model", "gpt-image-1"}, {"prompt", "p"}, {"partial_images", 4}}), 400,
                 "integer_above_max_value", "partial_images");
    expect_error(generate({{"model", "gpt-image-1"},
                           {"prompt", "p"},
                           {"output_format", "jpeg"},
                           {"output_compression", 101}}),
                 400, "integer_above_max_value", "output_compression");
    expect_error(generate({{"model", "dall-e-2"}, {"prompt", "p"}, {"output_format", "png"}}), 400,
                 "invalid_value", "output_format");
    expect_error(generate({{"model", "dall-e-3"}, {"prompt", "p"}, {"stream", true}}), 400,
                 "invalid_value", "stream");
    expect_error(
        generate({{"model", "gpt-image-1"}, {"prompt", "p"}, {"response_format", "b64_json"}}), 400,
        "invalid_value", "response_format");
    expect_error(generate({{"model", "gpt-image-1"}, {"prompt", "p"}, {"style", "vivid"}}), 400,
                 "invalid_value", "style");
    expect_error(generate({{"model", "gpt-image-1"}, {"prompt", "p"}, {"size", "512x512"}}), 400,
                 "invalid_value", "size");
    expect_error(generate({{"model", "gpt-image-2"}, {"prompt", "p"}, {"size", "1000x1000"}}), 400,
                 "invalid_value", "size");
    expect_error(generate({{"model", "dall-e-3"}, {"prompt", "p"}, {"n", 2}}), 400, "invalid_value",
                 "n");
    expect_error(generate({{"model", "gpt-image-1"},
                           {"prompt", "p"},
                           {"background", "transparent"},
                           {"output_format", "jpeg"}}),
                 400, "invalid_value", "background");
    const auto not_json = send("POST", "/v1/images/generations", "{nope");
    expect_error(not_json, 400, "", std::nullopt);
}

TEST_F(emulator_test, unknown_path_is_404_and_wrong_method_405)
{
    const auto missing = send("POST", "/v1/images/nothing", "{}");
    expect_error(missing, 404, "", std::nullopt);
    EXPECT_EQ(missing.json().at("error").at("message").as_string(),
              "Invalid URL (POST /v1/images/nothing)");
    const auto wrong = send("GET", "/v1/images/generations");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_TRUE(wrong.json().contains("error"));
}

// ---------------------------------------------------------------------------
// HTTP framing

TEST_F(emulator_test, keep_alive_and_chunked_request_bodies)
{
    auto client = connect();
    const std::string body = R"({"prompt":"chunked","model":"gpt-image-1","quality":"low"})";
    const std::string chunked =
        "POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-a\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
        [&] {
            char size[16];
            std::snprintf(size, sizeof size, "%zx", body.size() - 10);
            return std::string(size) + "\r\n" + body.substr(0, body.size() - 10) + "\r\na\r\n" +
                   body.substr(body.size() - 10) + "\r\n0\r\n\r\n";
        }();
    for (int i = 0; i < 3; ++i) {
        const auto r = parse(client.request(chunked));
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_FALSE(client.closing());
    }
    EXPECT_EQ(parse(client.request("GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")).status,
              200);
}

// ---------------------------------------------------------------------------
// Faults

TEST_F(emulator_test, fault_429_with_retry_headers)
{
    const json::value::object request{
        {"model", "gpt-image-1"}, {"prompt", "f"}, {"quality", "low"}};
    const auto r = generate(request, "x-emulator-fault: 429\r\n");
    expect_error(r, 429, "rate_limit_exceeded", std::nullopt);
    EXPECT_EQ(r.header("retry-after-ms"), "20");
    EXPECT_EQ(r.header("retry-after"), "1");
    EXPECT_EQ(generate(request, "x-emulator-fault: 429:ms=350\r\n").header("retry-after-ms"),
              "350");
    const auto by_path = post_json("/fault/429/v1/images/generations", request);
    EXPECT_EQ(by_path.status, 429);
}

TEST_F(emulator_test, once_faults_fail_only_the_first_request_per_id)
{
    const json::value::object request{
        {"model", "gpt-image-1"}, {"prompt", "once"}, {"quality", "low"}};
    for (const auto* spec : {"429-once", "500-once", "502-once", "503-once"}) {
        SCOPED_TRACE(spec);
        const std::string headers =
            std::string("x-emulator-fault: ") + spec + "\r\nx-emulator-fault-id: " +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + spec + "\r\n";
        EXPECT_EQ(generate(request, headers).status, std::stoi(spec));
        EXPECT_EQ(generate(request, headers).status, 200);
        EXPECT_EQ(generate(request, headers).status, 200);
    }
}

TEST_F(emulator_test, fault_500_503_and_non_json)
{
    const json::value::object request{{"model", "gpt-image-1"}, {"prompt", "f"}};
    for (int i = 0; i < 2; ++i) {
        const auto r = generate(request, "x-emulator-fault: 500\r\n");
        EXPECT_EQ(r.status, 500);
        EXPECT_EQ(
            r.body,
            R"({"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}})");
    }
    const auto no_retry = generate(request, "x-emulator-fault: 503-no-retry\r\n");
    EXPECT_EQ(no_retry.status, 503);
    EXPECT_EQ(no_retry.header("x-should-retry"), "false");
    const auto html = generate(request, "x-emulator-fault: non-json-error\r\n");
    EXPECT_EQ(html.status, 502);
    EXPECT_EQ(html.header("Content-Type"), "text/html");
    EXPECT_EQ(html.body, "<html><body><h1>502 Bad Gateway</h1></body></html>");
    expect_error(generate(request, "x-emulator-fault: 418-teapot\r\n"), 400,
                 "invalid_emulator_fault", std::nullopt);
}

TEST_F(emulator_test, fault_reset_body_cuts_the_connection)
{
    auto client = connect();
    const std::string body = R"({"model":"gpt-image-1","prompt":"r","quality":"low"})";
    EXPECT_THROW(
        client.request(
            "POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-a\r\n"
            "x-emulator-fault: reset-body\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body),
        std::runtime_error);
    EXPECT_FALSE(client.peer_sent_close_notify());
}

TEST_F(emulator_test, fault_malformed_json_and_bad_base64)
{
    const json::value::object request{
        {"model", "gpt-image-1"}, {"prompt", "m"}, {"quality", "low"}};
    const auto malformed = generate(request, "x-emulator-fault: malformed-json\r\n");
    EXPECT_EQ(malformed.status, 200);
    json::value ignored;
    EXPECT_TRUE(json::read(malformed.body, ignored));

    const auto bad = generate(request, "x-emulator-fault: bad-base64\r\n");
    EXPECT_EQ(bad.status, 200);
    const auto text = bad.json().at("data").at(0).at("b64_json").as_string();
    std::string out;
    EXPECT_FALSE(imagine::base64::decode(text, out).ok());
}

TEST_F(emulator_test, fault_stalls_and_odd_writes_keep_the_content)
{
    const json::value::object request{
        {"model", "gpt-image-1"}, {"prompt", "odd"}, {"quality", "low"}};
    const auto expected = first_image(generate(request));
    for (const auto* spec :
         {"stall-head:30", "stall-body:30", "odd-writes", "odd-writes,stall-body:10"}) {
        SCOPED_TRACE(spec);
        const auto r = generate(request, std::string("x-emulator-fault: ") + spec + "\r\n");
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(first_image(r), expected);
    }
    auto stream_request = request;
    stream_request.emplace_back("stream", true);
    stream_request.emplace_back("partial_images", 2);
    const auto plain = events_of(generate(stream_request));
    const auto odd =
        events_of(generate(stream_request, "x-emulator-fault: odd-writes,stall-body:5\r\n"));
    ASSERT_EQ(odd.size(), plain.size());
    for (std::size_t i = 0; i < odd.size(); ++i) {
        EXPECT_EQ(odd[i].event, plain[i].event);
        EXPECT_EQ(json::read<json::value>(odd[i].data).at("b64_json"),
                  json::read<json::value>(plain[i].data).at("b64_json"));
    }
}

TEST_F(emulator_test, fault_stream_error_and_reset_after_partial)
{
    const json::value::object request{{"model", "gpt-image-1"},
                                      {"prompt", "se"},
                                      {"quality", "low"},
                                      {"stream", true},
                                      {"partial_images", 3}};
    const auto r = generate(request, "x-emulator-fault: stream-error\r\n");
    ASSERT_EQ(r.status, 200);
    const auto events = events_of(r);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].event, "image_generation.partial_image");
    EXPECT_EQ(events[1].event, "error");
    const auto error = json::read<json::value>(events[1].data);
    EXPECT_EQ(error.at("type").as_string(), "error");
    EXPECT_EQ(error.at("error").at("type").as_string(), "server_error");
    EXPECT_EQ(error.at("error").at("code").as_string(), "server_error");

    auto client = connect();
    const auto body = json::write(json::value(request));
    EXPECT_THROW(
        client.request(
            "POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-a\r\n"
            "x-emulator-fault: reset-after-partial:1\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body),
        std::runtime_error);
}

// ---------------------------------------------------------------------------
// Recording

TEST_F(emulator_test, recording_keeps_order_headers_and_clears)
{
    emu().clear_requests();
    EXPECT_EQ(emu().requests(), "[]");
    generate({{"prompt", "first"}}, "X-Custom: a\r\nx-custom: b\r\n");
    send("POST", "/fault/500/v1/images/generations", R"({"prompt":"second"})",
         "Content-Type: application/json\r\n", false);
    emu().get("/_emulator/health"); // control endpoints are not recorded
    const auto all = json::read<json::value>(emu().requests());
    ASSERT_EQ(all.size(), 2u);
    const auto& first = all.at(0);
    EXPECT_EQ(first.at("headers").at("x-custom").as_string(), "a, b");
    EXPECT_EQ(first.at("headers").at("authorization").as_string(),
              "Bearer " + std::string(test_key));
    EXPECT_EQ(first.at("json").at("prompt").as_string(), "first");
    EXPECT_EQ(first.at("body_size").as_int64(), 18);
    EXPECT_EQ(first.at("content_type").as_string(), "application/json");
    EXPECT_EQ(first.at("parts").size(), 0u);
    EXPECT_EQ(all.at(1).at("target").as_string(), "/fault/500/v1/images/generations");
    EXPECT_FALSE(all.at(1).at("headers").contains("authorization"));

    const auto last = json::read<json::value>(emu().get("/_emulator/requests?last=1"));
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last.at(0), all.at(1));
    emu().clear_requests();
    EXPECT_EQ(emu().requests(), "[]");
}

TEST(emulator_process, shutdown_endpoint_and_sigterm_stop_it_cleanly)
{
    {
        imagine::test::emulator emu;
        blocking_tls_client client("127.0.0.1", emu.port(), emu.ca_pem());
        const auto r = parse(client.request(
            "POST /_emulator/shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
        EXPECT_EQ(r.status, 200);
        const bool exited = imagine::test::poll_until(
            std::chrono::seconds(20), [&] { return !imagine::test::port_listening(emu.port()); });
        EXPECT_TRUE(exited);
    }
    imagine::test::child_process bad({IMAGINE_EMULATOR_PATH, "--host", "10.1.2.3"}, "/dev/null");
    EXPECT_TRUE(
        imagine::test::poll_until(std::chrono::seconds(20), [&] { return !bad.running(); }));
    ASSERT_TRUE(bad.wait_status());
    EXPECT_TRUE(WIFEXITED(*bad.wait_status()));
    EXPECT_EQ(WEXITSTATUS(*bad.wait_status()), 2);
}

} // namespace
