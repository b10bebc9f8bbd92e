// The emulator itself (tools/emulator), checked from outside with the blocking TLS
// client and raw requests: start-up and certificates, auth, generated images, streams,
// multipart edits, validation, faults and the request record. The library's own tests
// rely on all of this behaving as tools/emulator/README.md says.

#include "support/blocking_tls_client.hpp"
#include "support/certs.hpp"
#include "support/emulator.hpp"

#include <imagine/base64.hpp>
#include <imagine/http/sse.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = imagine::json;
using imagine::test::blocking_tls_client;
namespace http_text = imagine::test::http_text;

constexpr std::string_view test_key = "sk-test-emulator-0123456789";

struct response {
    int status = 0;
    std::string head{};
    std::string body{};

    std::optional<std::string> header(std::string_view name) const
    {
        auto v = http_text::header_value(head, name);
        return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
    }
    json::value json() const { return json::read<json::value>(body); }
};

response parse(const std::string& raw)
{
    response r;
    r.status = http_text::status_code(raw);
    const auto head = http_text::head_size(raw);
    r.head = raw.substr(0, head);
    r.body = raw.substr(head);
    return r;
}

std::string sha256_hex(std::string_view data)
{
    unsigned char digest[32];
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

struct png_image {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    int channels = 0;
    std::string pixels{};
};

std::uint32_t be32(std::string_view b, std::size_t at)
{
    return (std::uint32_t(static_cast<unsigned char>(b[at])) << 24) |
           (std::uint32_t(static_cast<unsigned char>(b[at + 1])) << 16) |
           (std::uint32_t(static_cast<unsigned char>(b[at + 2])) << 8) |
           std::uint32_t(static_cast<unsigned char>(b[at + 3]));
}

/// A small, strict PNG decoder (8-bit RGB/RGBA, no interlace): chunk CRCs, zlib stream,
/// every row's filter. Throws on anything wrong.
png_image decode_png(std::string_view png)
{
    if (png.substr(0, 8) != std::string_view("\x89PNG\r\n\x1a\n", 8))
        throw std::runtime_error("not a PNG signature");
    png_image image;
    std::string idat;
    bool ended = false;
    for (std::size_t at = 8; at < png.size() && !ended;) {
        const auto length = be32(png, at);
        const auto type = png.substr(at + 4, 4);
        const auto data = png.substr(at + 8, length);
        const auto crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + at + 4), length + 4);
        if (crc != be32(png, at + 8 + length))
            throw std::runtime_error("bad chunk CRC");
        if (type == "IHDR") {
            image.width = be32(data, 0);
            image.height = be32(data, 4);
            if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0)
                throw std::runtime_error("unsupported PNG kind");
            image.channels = data[9] == 6 ? 4 : 3;
        } else if (type == "IDAT") {
            idat += data;
        } else if (type == "IEND") {
            ended = true;
        }
        at += 12 + length;
    }
    if (!ended || image.width == 0)
        throw std::runtime_error("PNG without IHDR or IEND");
    const std::size_t stride = image.width * static_cast<std::size_t>(image.channels);
    std::string raw((stride + 1) * image.height, '\0');
    uLongf raw_size = static_cast<uLongf>(raw.size());
    if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size,
                   reinterpret_cast<const Bytef*>(idat.data()),
                   static_cast<uLong>(idat.size())) != Z_OK ||
        raw_size != raw.size())
        throw std::runtime_error("bad PNG image data");
    image.pixels.resize(stride * image.height);
    auto* out = reinterpret_cast<unsigned char*>(image.pixels.data());
    const auto bpp = static_cast<std::size_t>(image.channels);
    for (std::size_t y = 0; y < image.height; ++y) {
        const auto filter = static_cast<unsigned char>(raw[y * (stride + 1)]);
        const auto* in = reinterpret_cast<const unsigned char*>(raw.data()) + y * (stride + 1) + 1;
        unsigned char* row = out + y * stride;
        const unsigned char* up = y > 0 ? row - stride : nullptr;
        for (std::size_t i = 0; i < stride; ++i) {
            const int a = i >= bpp ? row[i - bpp] : 0, b = up ? up[i] : 0,
                      c = up && i >= bpp ? up[i - bpp] : 0;
            int predicted = 0;
            switch (filter) {
            case 0:
                predicted = 0;
                break;
            case 1:
                predicted = a;
                break;
            case 2:
                predicted = b;
                break;
            case 3:
                predicted = (a + b) / 2;
                break;
            case 4: {
                const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b),
                          pc = std::abs(p - c);
                predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                break;
            }
            default:
                throw std::runtime_error("bad PNG filter type");
            }
            row[i] = static_cast<unsigned char>(in[i] + predicted);
        }
    }
    return image;
}

class emulator_test : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        emu_ = std::make_unique<imagine::test::emulator>(
            imagine::test::emulator_options{.args = {"--stream-delay-ms", "0"}});
    }
    static void TearDownTestSuite() { emu_.reset(); }

    static imagine::test::emulator& emu() { return *emu_; }

    static blocking_tls_client connect()
    {
        return blocking_tls_client("127.0.0.1", emu().port(), emu().ca_pem());
    }

    /// One request on a new connection; `headers` are extra "Name: value\r\n" lines.
    static response send(std::string_view method, std::string_view target,
                         std::string_view body = {},
                         std::string headers = "Content-Type: application/json\r\n",
                         bool auth = true)
    {
        auto client = connect();
        std::string request =
            std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (auth)
            request += "Authorization: Bearer " + std::string(test_key) + "\r\n";
        request += headers;
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
        request += body;
        return parse(client.request(request));
    }

    static response post_json(std::string_view target, const json::value& body,
                              std::string extra_headers = {})
    {
        return send("POST", target, json::write(body),
                    "Content-Type: application/json\r\n" + extra_headers);
    }

    static response generate(json::value::object fields, std::string extra_headers = {})
    {
        return post_json("/v1/images/generations", json::value(std::move(fields)),
                         std::move(extra_headers));
    }

    static std::string first_image(const response& r)
    {
        return imagine::base64::decode(r.json().at("data").at(0).at("b64_json").as_string());
    }

    static std::vector<imagine::http::sse_event> events_of(const response& r)
    {
        imagine::http::sse_decoder decoder;
        std::error_code ec;
        decoder.put(r.body, ec);
        EXPECT_FALSE(ec);
        std::vector<imagine::http::sse_event> events;
        while (decoder.has_event())
            events.push_back(decoder.take_event());
        return events;
    }

    static void expect_error(const response& r, int status, std::string_view code,
                             std::optional<std::string> param)
    {
        EXPECT_EQ(r.status, status) << r.body;
        const auto e = r.json().at("error");
        if (code.empty()) {
            EXPECT_TRUE(e.at("code").is_null()) << r.body;
        } else {
            EXPECT_EQ(e.at("code").as_string(), code) << r.body;
        }
        if (param) {
            EXPECT_EQ(e.at("param").as_string(), *param) << r.body;
        }
        EXPECT_EQ(e.at("type").as_string(), status >= 500   ? "server_error"
                                            : status == 429 ? "requests"
                                                            : "invalid_request_error");
    }

    static inline std::unique_ptr<imagine::test::emulator> emu_{};
};

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
