// Built against single_include/ only (see tests/CMakeLists.txt): the amalgamated header
// must stand alone and behave like the headers it is made from.
#include <imagine/imagine.hpp>

#include <asio/io_context.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace {

struct usage_info {
    int input_tokens = 0;
    int output_tokens = 0;
};

struct image_data {
    std::optional<std::string> b64_json{};
    std::optional<std::string> revised_prompt{};
};

struct images_response {
    long long created = 0;
    std::vector<image_data> data{};
    std::optional<usage_info> usage{};
};

} // namespace

TEST(single_header, version_macros)
{
    EXPECT_EQ(IMAGINE_VERSION, IMAGINE_VERSION_MAJOR * 10000 + IMAGINE_VERSION_MINOR * 100 +
                                   IMAGINE_VERSION_PATCH);
    EXPECT_STRNE(IMAGINE_VERSION_STRING, "");
}

TEST(single_header, json_and_base64_round_trip)
{
    const std::string pixels = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    images_response in{.created = 7,
        .data = {{.b64_json = imagine::base64::encode(pixels), .revised_prompt = "a cat"}},
        .usage = usage_info{3, 4}};
    const std::string text = imagine::json::write(in);
    EXPECT_EQ(text.find("\"usage\":{\"input_tokens\":3,\"output_tokens\":4}") != std::string::npos,
        true);

    images_response out;
    ASSERT_FALSE(imagine::json::read(text, out));
    ASSERT_EQ(out.data.size(), 1u);
    EXPECT_EQ(*out.data[0].revised_prompt, "a cat");
    std::string decoded;
    ASSERT_TRUE(imagine::base64::decode(*out.data[0].b64_json, decoded).ok());
    EXPECT_EQ(decoded, pixels);
}

TEST(single_header, read_error_names_the_path)
{
    images_response out;
    imagine::json::read_error e =
        imagine::json::read(R"({"created":1,"data":[{"b64_json":5}]})", out);
    ASSERT_TRUE(e);
    EXPECT_EQ(e.code, imagine::json::error::type_mismatch);
    EXPECT_EQ(e.path, "$.data[0].b64_json");
    EXPECT_EQ(e.detail, "expected string, found number");
}

TEST(single_header, dynamic_value)
{
    auto v = imagine::json::read<imagine::json::value>(R"({"a":[1,2.5,"x"],"b":null})");
    EXPECT_EQ(v.at("a").at(2).as_string(), "x");
    EXPECT_TRUE(v.at("b").is_null());
    EXPECT_EQ(imagine::json::write(v), R"({"a":[1,2.5,"x"],"b":null})");
}

TEST(single_header, http_layer_is_included)
{
    auto target = imagine::http::parse_url("https://api.openai.com/v1/images/generations?x=1");
    EXPECT_EQ(target.host_header(), "api.openai.com");
    EXPECT_EQ(target.target, "/v1/images/generations?x=1");

    imagine::http::response_parser parser;
    std::error_code ec;
    const std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "f\r\ndata: {\"a\":1}\n\n\r\n0\r\n\r\n";
    std::size_t used = parser.put(wire, ec);
    while (!ec && used < wire.size() && !parser.done())
        used += parser.put(std::string_view(wire).substr(used), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_TRUE(parser.done());

    imagine::http::sse_decoder events;
    events.put(parser.body(), ec);
    ASSERT_FALSE(ec);
    ASSERT_TRUE(events.has_event());
    EXPECT_EQ(events.take_event().data, "{\"a\":1}");

    imagine::http::multipart_form form("boundary");
    form.add_field("model", "gpt-image-1");
    EXPECT_EQ(form.to_string(ec), "--boundary\r\nContent-Disposition: form-data; name=\"model\"\r\n"
                                  "\r\ngpt-image-1\r\n--boundary--\r\n");

    asio::io_context io;
    imagine::http::client client(io.get_executor());
    EXPECT_EQ(client.options().max_redirects, 5u);
}
