#include <imagine/http/exchange.hpp>

// async_exchange over an in-memory stream whose n-th operation fails (Beast's
// fail-count idea): for n = 0, 1, 2, ... until the exchange succeeds, every failure
// point of writing the request and reading the response is reached once, and each must
// end the operation with the injected error — never a crash, a hang, or a success with
// a wrong body.

#include "support/test_stream.hpp"

#include <asio/io_context.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace http = imagine::http;
using imagine::test::fail_count;
using imagine::test::test_stream;

const std::string chunked_response = "HTTP/1.1 100 Continue\r\n\r\n"
                                     "HTTP/1.1 200 OK\r\n"
                                     "Content-Type: text/plain\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n"
                                     "5;ext=1\r\nhello\r\n"
                                     "7\r\n, world\r\n"
                                     "0\r\nTrailer: yes\r\n\r\n";

http::request post(std::string body)
{
    http::request req;
    req.method = "POST";
    req.target = http::parse_url("https://api.example.com/v1/images/generations");
    req.headers.add("Content-Type", "application/json");
    req.body = std::move(body);
    return req;
}

struct outcome {
    bool completed = false;
    std::error_code ec{};
    http::response response{};
};

outcome exchange_once(const std::string& input, std::size_t read_size, fail_count* fc,
                      http::request req)
{
    asio::io_context io;
    test_stream stream(io.get_executor(), fc);
    stream.append_input(input);
    stream.set_read_size(read_size);
    stream.close_input();
    outcome out;
    http::async_exchange(stream, std::move(req), {}, [&](std::error_code ec, http::response r) {
        out.completed = true;
        out.ec = ec;
        out.response = std::move(r);
    });
    io.run();
    return out;
}

void fail_matrix(const std::string& input, std::size_t read_size, const std::string& body)
{
    const std::error_code injected = asio::error::connection_reset;
    for (std::size_t n = 0; n < 10000; ++n) {
        fail_count fc(n, injected);
        auto out = exchange_once(input, read_size, &fc, post(body));
        ASSERT_TRUE(out.completed) << "n=" << n;
        if (!out.ec) {
            EXPECT_GT(n, 0u);
            EXPECT_EQ(out.response.status, 200u);
            EXPECT_EQ(out.response.body, "hello, world");
            return;
        }
        ASSERT_EQ(out.ec, injected) << "n=" << n << ": " << out.ec.message();
    }
    FAIL() << "the exchange never succeeded";
}

TEST(exchange_fail_count, every_failure_point_with_one_byte_reads)
{
    fail_matrix(chunked_response, 1, R"({"prompt":"x"})");
}

TEST(exchange_fail_count, every_failure_point_with_odd_read_sizes)
{
    for (std::size_t read_size : {2u, 3u, 7u, 64u, 4096u})
        fail_matrix(chunked_response, read_size, R"({"prompt":"x"})");
}

TEST(exchange_fail_count, every_failure_point_with_a_large_body_written_in_pieces)
{
    fail_matrix(chunked_response, 4096, std::string(700 * 1024, 'b'));
}

TEST(exchange, writes_origin_form_head_with_host_and_length)
{
    asio::io_context io;
    test_stream stream(io.get_executor());
    stream.append_input("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    http::response got;
    http::async_exchange(stream, post("{}"), {}, [&](std::error_code ec, http::response r) {
        ASSERT_FALSE(ec) << ec.message();
        got = std::move(r);
    });
    io.run();
    EXPECT_EQ(got.body, "ok");
    EXPECT_EQ(stream.output(), "POST /v1/images/generations HTTP/1.1\r\n"
                               "Host: api.example.com\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: 2\r\n\r\n{}");
}

TEST(exchange, end_of_input_inside_the_head_or_body_is_an_error)
{
    auto head_cut = exchange_once("HTTP/1.1 200 OK\r\nContent-Len", 1024, nullptr, post("{}"));
    EXPECT_EQ(head_cut.ec, http::error::premature_end);
    auto body_cut =
        exchange_once("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", 1024, nullptr, post("{}"));
    EXPECT_EQ(body_cut.ec, http::error::length_mismatch);
    auto nothing = exchange_once("", 1024, nullptr, post("{}"));
    EXPECT_EQ(nothing.ec, http::error::connection_closed);
}

TEST(exchange, head_request_has_no_body)
{
    auto req = post("");
    req.method = "HEAD";
    req.body = {};
    auto out = exchange_once("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 1024, nullptr, req);
    ASSERT_FALSE(out.ec) << out.ec.message();
    EXPECT_EQ(out.response.body, "");
    EXPECT_EQ(out.response.headers.value_or("content-length"), "5");
}

} // namespace
