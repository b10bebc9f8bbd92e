#pragma once

// Shared by the emulator's own tests (emulator_test, emulator_edit_test): raw requests
// over the blocking TLS client, a strict PNG decoder, and a fixture with one emulator
// per test program.

#include "support/blocking_tls_client.hpp"
#include "support/certs.hpp"
#include "support/digest.hpp"
#include "support/emulator.hpp"

#include <imagine/base64.hpp>
#include <imagine/http/sse.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imagine::test::emulator_checks {

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

using imagine::test::sha256_hex;

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

} // namespace imagine::test::emulator_checks
