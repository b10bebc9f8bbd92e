#include <imagine/api/images.hpp>

#include <imagine/api/client.hpp>
#include <imagine/base64.hpp>
#include <imagine/util/image_info.hpp>

#include "api_test_util.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/steady_timer.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace imagine;
using imagine::test::api_test;

class images_api : public api_test {};

const json::value& last_json(const json::value::array& requests)
{
    return requests.back().at("json");
}

TEST_F(images_api, every_generate_field_reaches_the_wire_with_its_name_and_type)
{
    client ai(io.get_executor(), options());
    const image_generate_request req{.prompt = "a lighthouse at dawn",
                                     .model = models::gpt_image_2,
                                     .n = 2,
                                     .size = "256x256",
                                     .quality = quality::low,
                                     .background = background::opaque,
                                     .output_format = output_format::jpeg,
                                     .output_compression = 70,
                                     .moderation = moderation::low,
                                     .user = "user-42"};
    const images_response r = run(ai.images.generate(req));

    const auto requests = recorded();
    ASSERT_EQ(requests.size(), 1u);
    const json::value& sent = last_json(requests);
    EXPECT_EQ(sent.at("prompt").as_string(), "a lighthouse at dawn");
    EXPECT_EQ(sent.at("model").as_string(), "gpt-image-2");
    EXPECT_EQ(sent.at("n").as_int64(), 2);
    EXPECT_EQ(sent.at("size").as_string(), "256x256");
    EXPECT_EQ(sent.at("quality").as_string(), "low");
    EXPECT_EQ(sent.at("background").as_string(), "opaque");
    EXPECT_EQ(sent.at("output_format").as_string(), "jpeg");
    EXPECT_EQ(sent.at("output_compression").as_int64(), 70);
    EXPECT_EQ(sent.at("moderation").as_string(), "low");
    EXPECT_EQ(sent.at("user").as_string(), "user-42");
    EXPECT_EQ(sent.size(), 10u) << "nothing unset is sent";
    const json::value& headers = requests.back().at("headers");
    EXPECT_EQ(headers.at("authorization").as_string(), "Bearer sk-test");
    EXPECT_EQ(headers.at("accept").as_string(), "application/json");
    EXPECT_EQ(headers.at("content-type").as_string(), "application/json");
    EXPECT_EQ(headers.at("user-agent").as_string(), "imagine/" IMAGINE_VERSION_STRING);
    EXPECT_EQ(requests.back().at("target").as_string(), "/v1/images/generations");

    ASSERT_EQ(r.data.size(), 2u);
    for (const image& img : r.data) {
        ASSERT_TRUE(img.b64_json);
        const std::string bytes = base64::decode(*img.b64_json);
        std::error_code ec;
        const image_info info = probe_image(bytes, ec);
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_EQ(info.format, image_format::jpeg);
        EXPECT_EQ(info.width, 256u);
        EXPECT_EQ(info.height, 256u);
    }
    EXPECT_EQ(r.output_format, output_format::jpeg);
    EXPECT_EQ(r.size, "256x256");
    ASSERT_TRUE(r.usage);
    EXPECT_GT(r.usage->total_tokens, 0);
    ASSERT_TRUE(r.request_id);
    EXPECT_FALSE(r.request_id->empty());
}

TEST_F(images_api, dall_e_fields_and_url_results)
{
    client ai(io.get_executor(), options());
    const auto r = run(ai.images.generate({.prompt = "a cat",
                                           .model = models::dall_e_3,
                                           .size = "1024x1024",
                                           .quality = quality::hd,
                                           .response_format = response_format::url,
                                           .style = image_style::natural}));
    const auto requests = recorded();
    const json::value& sent = last_json(requests);
    EXPECT_EQ(sent.at("quality").as_string(), "hd");
    EXPECT_EQ(sent.at("response_format").as_string(), "url");
    EXPECT_EQ(sent.at("style").as_string(), "natural");
    ASSERT_EQ(r.data.size(), 1u);
    EXPECT_TRUE(r.data[0].url);
    EXPECT_FALSE(r.data[0].b64_json);
    EXPECT_TRUE(r.data[0].revised_prompt);
}

TEST_F(images_api, refused_requests_send_nothing)
{
    client ai(io.get_executor(), options());
    auto field_of = [&](image_generate_request req) -> std::string {
        try {
            run(ai.images.generate(std::move(req)));
        } catch (const request_error& e) {
            return e.field();
        }
        return "";
    };
    EXPECT_EQ(field_of({.prompt = std::string(32001, 'p')}), "prompt");
    EXPECT_EQ(field_of({.prompt = "x", .n = 11}), "n");
    EXPECT_EQ(field_of({.prompt = "x", .partial_images = 4}), "partial_images");
    EXPECT_EQ(field_of({.prompt = "x", .output_compression = 50}), "output_compression");
    EXPECT_EQ(field_of({.prompt = "x",
                        .background = background::transparent,
                        .output_format = output_format::jpeg}),
              "background");
    EXPECT_EQ(field_of({.prompt = "x", .model = models::dall_e_2, .moderation = moderation::low}),
              "moderation");
    EXPECT_EQ(field_of({.prompt = "x", .model = models::gpt_image_2, .size = "1000x1000"}), "size");
    EXPECT_EQ(field_of({.prompt = "x", .stream = true}), "stream");
    EXPECT_TRUE(recorded().empty());
}

TEST_F(images_api, with_checks_off_the_server_has_the_last_word)
{
    client_options o = options();
    o.validate = false;
    client ai(io.get_executor(), o);
    try {
        run(ai.images.generate({.prompt = "x", .model = models::gpt_image_2, .size = "1000x1000"}));
        FAIL() << "the emulator accepted a size gpt-image-2 does not take";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::bad_request);
        EXPECT_EQ(e.status(), 400u);
        EXPECT_EQ(e.type(), "invalid_request_error");
        EXPECT_EQ(e.param(), "size");
        EXPECT_FALSE(e.request_id().empty());
    }
    EXPECT_EQ(recorded().size(), 1u);
}

TEST_F(images_api, authentication_errors_keep_the_key_out_of_messages)
{
    client ai(io.get_executor(), options("sk-invalid-0123456789abcdefSECRET"));
    try {
        run(ai.images.generate({.prompt = "x"}));
        FAIL() << "no error";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::authentication);
        EXPECT_EQ(e.status(), 401u);
        EXPECT_EQ(e.code_string(), "invalid_api_key");
        EXPECT_EQ(std::string(e.what()).find("0123456789abcdefSECRET"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(recorded().size(), 1u) << "401 is not retried";
}

TEST_F(images_api, a_missing_key_fails_the_first_call)
{
    client_options o = options();
    o.api_key.reset();
    client ai(io.get_executor(), o);
    try {
        run(ai.images.generate({.prompt = "x"}));
        FAIL() << "no error";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), error::missing_api_key);
    }
    EXPECT_TRUE(recorded().empty());
}

request_options fault(std::string spec, std::string id = {})
{
    request_options o;
    o.headers.set("x-emulator-fault", spec);
    if (!id.empty())
        o.headers.set("x-emulator-fault-id", id);
    return o;
}

TEST_F(images_api, rate_limited_once_then_success)
{
    client ai(io.get_executor(), options());
    const auto r =
        run(ai.images.generate({.prompt = "x", .size = "1024x1024"}, fault("429-once", "rl-1")));
    EXPECT_EQ(r.data.size(), 1u);
    EXPECT_EQ(recorded().size(), 2u);
}

TEST_F(images_api, server_errors_are_retried_up_to_the_limit)
{
    client ai(io.get_executor(), options());
    try {
        run(ai.images.generate({.prompt = "x"}, fault("500")));
        FAIL() << "no error";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), error::server_error);
        EXPECT_EQ(e.type(), "server_error");
    }
    EXPECT_EQ(recorded().size(), 3u);
    emu().clear_requests();
    request_options once = fault("500-once", "s-1");
    EXPECT_EQ(run(ai.images.generate({.prompt = "x"}, once)).data.size(), 1u);
    EXPECT_EQ(recorded().size(), 2u);
}

TEST_F(images_api, x_should_retry_false_is_obeyed)
{
    client ai(io.get_executor(), options());
    try {
        run(ai.images.generate({.prompt = "x"}, fault("503-no-retry")));
        FAIL() << "no error";
    } catch (const api_error& e) {
        EXPECT_EQ(e.status(), 503u);
    }
    EXPECT_EQ(recorded().size(), 1u);
}

TEST_F(images_api, a_connection_lost_after_the_request_was_sent_is_not_retried)
{
    client ai(io.get_executor(), options());
    EXPECT_THROW(run(ai.images.generate({.prompt = "x"}, fault("reset-body"))), std::system_error);
    EXPECT_EQ(recorded().size(), 1u) << "a second generation could be billed again";

    emu().clear_requests();
    request_options opt_in = fault("reset-body");
    opt_in.retry = options().retry;
    opt_in.retry->retry_sent_requests = true;
    EXPECT_THROW(run(ai.images.generate({.prompt = "x"}, opt_in)), std::system_error);
    EXPECT_EQ(recorded().size(), 3u);
}

TEST_F(images_api, bodies_that_are_not_what_the_api_documents)
{
    client ai(io.get_executor(), options());
    try {
        run(ai.images.generate({.prompt = "x"}, fault("malformed-json")));
        FAIL() << "no error";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), error::bad_response);
    }
    request_options no_retry = fault("non-json-error");
    no_retry.retry = retry_options{.max_retries = 0};
    try {
        run(ai.images.generate({.prompt = "x"}, no_retry));
        FAIL() << "no error";
    } catch (const api_error& e) {
        EXPECT_EQ(e.status(), 502u);
        EXPECT_NE(e.server_message().find("502 Bad Gateway"), std::string::npos)
            << e.server_message();
        EXPECT_NE(e.server_message().find("text/html"), std::string::npos) << e.server_message();
    }
}

TEST_F(images_api, ten_large_images_in_one_response)
{
    client ai(io.get_executor(), options());
    const auto r =
        run(ai.images.generate({.prompt = "ten lighthouses", .n = 10, .size = "1024x1024"}));
    ASSERT_EQ(r.data.size(), 10u);
    std::size_t total = 0;
    for (const image& img : r.data) {
        ASSERT_TRUE(img.b64_json);
        total += img.b64_json->size();
        std::error_code ec;
        const image_info info = probe_image(base64::decode(img.b64_json->substr(0, 64)), ec);
        EXPECT_EQ(info.width, 1024u);
    }
    EXPECT_GT(total, 10u * 1000 * 1000);
}

TEST_F(images_api, per_request_time_limits_apply_and_a_silent_server_is_not_asked_twice)
{
    client ai(io.get_executor(), options());
    request_options o = fault("stall-head:30000");
    o.timeouts = http::timeout_options{};
    o.timeouts->response = std::chrono::milliseconds(300);
    try {
        run(ai.images.generate({.prompt = "x"}, o));
        FAIL() << "no error";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), http::error::response_timeout);
    }
    EXPECT_EQ(recorded().size(), 1u) << "the request was sent: the server may be generating";
}

TEST_F(images_api, cancelling_a_call_aborts_it)
{
    client ai(io.get_executor(), options());
    asio::cancellation_signal signal;
    std::exception_ptr failure;
    bool done = false;
    ai.images.generate(
        {.prompt = "x"}, fault("stall-head:20000"),
        asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, images_response) {
            failure = e;
            done = true;
        }));
    asio::steady_timer timer(io, std::chrono::milliseconds(200));
    timer.async_wait([&](std::error_code) { signal.emit(asio::cancellation_type::terminal); });
    io.run();
    ASSERT_TRUE(done);
    EXPECT_EQ(error_code_of(failure), asio::error::operation_aborted);
    EXPECT_EQ(recorded().size(), 1u);
}

} // namespace
