#include <imagine/http/client.hpp>

// The client against real peers started by the test: nginx (HTTP/1.1 + TLS, keep-alive,
// chunked, large bodies, Connection: close, keepalive_timeout) and squid (CONNECT proxy,
// basic authentication). nginx's access log, with $connection and
// $connection_requests, shows which requests shared a connection.

#include "http_test_util.hpp"
#include "support/certs.hpp"
#include "support/nginx.hpp"
#include "support/scoped_env.hpp"
#include "support/squid.hpp"
#include "support/temp_dir.hpp"

#include <imagine/http/multipart.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>

namespace {

using namespace std::chrono_literals;
namespace http = imagine::http;
using imagine::test::make_request;
using imagine::test::run_request;

std::string pattern(std::size_t size, unsigned seed)
{
    std::string text(size, '\0');
    std::mt19937 random(seed);
    for (auto& c : text)
        c = static_cast<char>('a' + random() % 26);
    return text;
}

void write_file(const std::filesystem::path& path, const std::string& content)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    std::filesystem::permissions(path, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
}

class nginx_fixture : public ::testing::Test {
protected:
    explicit nginx_fixture(imagine::test::nginx_options options = {})
    {
        options.tls = ca_.issue();
        server_.emplace(options);
        base_ = "https://127.0.0.1:" + std::to_string(server_->port());
        write_file(server_->root() / "hello.txt", "hello, world\n");
    }

    http::client_options client_options() const { return imagine::test::trusting(ca_.cert_pem()); }

    imagine::test::test_authority ca_{};
    std::optional<imagine::test::nginx_server> server_{};
    std::string base_{};
    asio::io_context io_{};
};

using nginx_client = nginx_fixture;

TEST_F(nginx_client, keep_alive_reuses_one_connection)
{
    http::client client(io_.get_executor(), client_options());
    constexpr int requests = 5;
    for (int i = 0; i < requests; ++i) {
        auto out = run_request(io_, client, make_request("GET", base_, "/hello.txt"));
        ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
        EXPECT_EQ(out.response.status, 200u);
        EXPECT_EQ(out.response.body, "hello, world\n");
    }
    const auto log = server_->wait_for_access_log(static_cast<std::size_t>(requests));
    ASSERT_EQ(log.size(), static_cast<std::size_t>(requests));
    for (int i = 0; i < requests; ++i) {
        EXPECT_EQ(log[i].connection, log[0].connection) << "request " << i;
        EXPECT_EQ(log[i].connection_requests, static_cast<std::uint64_t>(i + 1));
    }
    EXPECT_EQ(client.pool().idle_count(client.pool_key(http::parse_url(base_))), 1u);
}

TEST_F(nginx_client, chunked_response_streams_piece_by_piece)
{
    const std::string content = pattern(300 * 1024, 1);
    write_file(server_->root() / "data.txt", content); // /chunked/ serves root files chunked
    http::client client(io_.get_executor(), client_options());

    std::string received;
    std::size_t pieces = 0;
    std::error_code failure;
    std::string transfer_encoding;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
            auto stream =
                co_await client.async_open(make_request("GET", base_, "/chunked/data.txt"));
            transfer_encoding = std::string(stream.headers().value_or("transfer-encoding"));
            for (;;) {
                auto piece = co_await stream.async_read_some();
                if (piece.empty())
                    break;
                ++pieces;
                received += piece;
            }
            EXPECT_TRUE(stream.done());
        },
        imagine::test::store_error(failure));
    io_.run();
    ASSERT_EQ(failure, std::error_code{}) << failure.message();
    EXPECT_EQ(transfer_encoding, "chunked");
    EXPECT_TRUE(received == content) << "streamed body differs (" << received.size() << " bytes)";
    EXPECT_GT(pieces, 1u);

    // The chunked response ended cleanly: the connection was pooled and serves again.
    auto out = run_request(io_, client, make_request("GET", base_, "/hello.txt"));
    ASSERT_EQ(out.ec, std::error_code{});
    const auto log = server_->wait_for_access_log(2u);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[1].connection, log[0].connection);
}

TEST_F(nginx_client, fifty_megabyte_body_arrives_whole)
{
    const std::string content = pattern(50u << 20, 2);
    write_file(server_->root() / "big.bin", content);
    http::client client(io_.get_executor(), client_options());
    auto out = run_request(io_, client, make_request("GET", base_, "/big.bin"));
    ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    ASSERT_EQ(out.response.body.size(), content.size());
    EXPECT_TRUE(out.response.body == content);
}

TEST_F(nginx_client, body_over_the_limit_is_refused)
{
    write_file(server_->root() / "big.bin", pattern(2u << 20, 3));
    auto options = client_options();
    options.limits.body_limit = 1u << 20;
    http::client client(io_.get_executor(), options);
    auto out = run_request(io_, client, make_request("GET", base_, "/big.bin"));
    EXPECT_EQ(out.ec, http::error::body_limit_exceeded);
}

TEST_F(nginx_client, post_bodies_in_memory_and_streamed_multipart)
{
    http::client client(io_.get_executor(), client_options());
    auto small = make_request("POST", base_, "/hello.txt");
    small.headers.add("Content-Type", "application/json");
    small.body = std::string(R"({"prompt":"a red fox"})");
    auto out = run_request(io_, client, std::move(small));
    ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    EXPECT_EQ(out.response.status, 200u);

    imagine::test::temp_dir dir;
    const auto image = dir.write("image.png", pattern(3u << 20, 4));
    http::multipart_form form;
    form.add_field("prompt", "make it night");
    form.add_file("image[]", image, "image.png", "image/png");
    auto upload = make_request("POST", base_, "/hello.txt");
    upload.headers.add("Content-Type", form.content_type());
    upload.body = form.source();
    out = run_request(io_, client, std::move(upload));
    ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    EXPECT_EQ(out.response.status, 200u);

    const auto log = server_->wait_for_access_log(2u);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[1].method, "POST");
    EXPECT_GE(log[1].request_length, form.size());
    EXPECT_EQ(log[1].connection, log[0].connection);
}

TEST_F(nginx_client, connection_close_is_honoured)
{
    write_file(server_->root() / "bye.txt", "bye"); // /close/ serves root files
    http::client client(io_.get_executor(), client_options());
    for (int i = 0; i < 2; ++i) {
        auto out = run_request(io_, client, make_request("GET", base_, "/close/bye.txt"));
        ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
        EXPECT_EQ(out.response.body, "bye");
        EXPECT_TRUE(http::has_token(out.response.headers.value_or("connection"), "close"));
    }
    const auto key = client.pool_key(http::parse_url(base_));
    EXPECT_EQ(client.pool().idle_count(key), 0u);
    const auto log = server_->wait_for_access_log(2u);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_NE(log[0].connection, log[1].connection);
}

TEST_F(nginx_client, plain_http_works_too)
{
    imagine::test::nginx_server plain({});
    write_file(plain.root() / "hello.txt", "plain");
    http::client client(io_.get_executor(), client_options());
    const std::string base = "http://127.0.0.1:" + std::to_string(plain.port());
    auto out = run_request(io_, client, make_request("GET", base, "/hello.txt"));
    ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    EXPECT_EQ(out.response.body, "plain");
}

class nginx_short_keepalive : public nginx_fixture {
protected:
    static imagine::test::nginx_options short_keepalive()
    {
        imagine::test::nginx_options options;
        options.keepalive_timeout_seconds = 1;
        return options;
    }
    nginx_short_keepalive() : nginx_fixture(short_keepalive()) {}
};

TEST_F(nginx_short_keepalive, pooled_connection_closed_by_the_server_is_replaced)
{
    http::client client(io_.get_executor(), client_options());
    auto first = run_request(io_, client, make_request("GET", base_, "/hello.txt"));
    ASSERT_EQ(first.ec, std::error_code{}) << first.ec.message();
    const auto key = client.pool_key(http::parse_url(base_));
    ASSERT_EQ(client.pool().idle_count(key), 1u);

    // Not a timing assertion: wait until nginx's keepalive_timeout has really closed
    // the idle connection (its FIN is what the pool must notice).
    std::this_thread::sleep_for(2500ms);

    auto second = run_request(io_, client, make_request("POST", base_, "/hello.txt"));
    ASSERT_EQ(second.ec, std::error_code{}) << second.ec.message();
    EXPECT_EQ(second.response.body, "hello, world\n");
    const auto log = server_->wait_for_access_log(2u);
    ASSERT_EQ(log.size(), 2u); // the POST was sent once
    EXPECT_NE(log[1].connection, log[0].connection);
    EXPECT_EQ(log[1].connection_requests, 1u);
}

class squid_fixture : public nginx_fixture {
protected:
    // squid writes a CONNECT line when the tunnel ends, and may buffer it: wait (up to a
    // generous limit, not a timing assertion) for `count` CONNECT lines.
    static std::size_t wait_for_connects(const imagine::test::squid_proxy& proxy, std::size_t count,
                                         int attempts = 200)
    {
        std::size_t seen = 0;
        for (int attempt = 0; attempt < attempts; ++attempt) {
            seen = 0;
            for (const auto& line : proxy.access_log())
                seen += line.find("CONNECT") != std::string::npos ? 1 : 0;
            if (seen >= count)
                break;
            std::this_thread::sleep_for(50ms);
        }
        return seen;
    }

    http::request hello()
    {
        return make_request("GET", "https://localhost:" + std::to_string(server_->port()),
                            "/hello.txt");
    }
};

TEST_F(squid_fixture, https_through_a_connect_proxy)
{
    imagine::test::squid_proxy proxy({});
    auto options = client_options();
    options.proxy = "http://127.0.0.1:" + std::to_string(proxy.port());
    {
        http::client client(io_.get_executor(), options);
        for (int i = 0; i < 2; ++i) {
            auto out = run_request(io_, client, hello());
            ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message() << "\n" << proxy.cache_log();
            EXPECT_EQ(out.response.body, "hello, world\n");
        }
    } // closes the pooled tunnel
    // One tunnel, kept alive, carried both requests.
    const auto log = server_->wait_for_access_log(2u);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].connection, log[1].connection);
    EXPECT_EQ(wait_for_connects(proxy, 1), 1u);
}

TEST_F(squid_fixture, proxy_basic_authentication)
{
    imagine::test::squid_proxy proxy({.username = "alice", .password = "s3cret:pass"});
    const std::string where = "127.0.0.1:" + std::to_string(proxy.port());

    auto options = client_options();
    options.proxy = "http://alice:s3cret%3Apass@" + where;
    {
        http::client client(io_.get_executor(), options);
        auto out = run_request(io_, client, hello());
        ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
        EXPECT_EQ(out.response.body, "hello, world\n");
    }
    options.proxy = "http://alice:wrong@" + where;
    {
        http::client client(io_.get_executor(), options);
        auto out = run_request(io_, client, hello());
        EXPECT_EQ(out.ec, http::error::proxy_auth_required);
        EXPECT_EQ(out.ec.message().find("wrong"), std::string::npos);
    }
    options.proxy = "http://" + where;
    {
        http::client client(io_.get_executor(), options);
        auto out = run_request(io_, client, hello());
        EXPECT_EQ(out.ec, http::error::proxy_auth_required);
    }
}

using imagine::test::scoped_env;

TEST_F(squid_fixture, proxy_from_environment_and_no_proxy)
{
    imagine::test::squid_proxy proxy({});
    const std::string address = "http://127.0.0.1:" + std::to_string(proxy.port());
    scoped_env lower("https_proxy", address.c_str());
    scoped_env upper("HTTPS_PROXY", nullptr);
    scoped_env all("all_proxy", nullptr);
    scoped_env no_lower("no_proxy", nullptr);
    scoped_env no_upper("NO_PROXY", nullptr);

    auto options = client_options();
    options.proxy.reset(); // from the environment
    {
        http::client client(io_.get_executor(), options);
        auto out = run_request(io_, client, hello());
        ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    }
    EXPECT_EQ(wait_for_connects(proxy, 1), 1u);

    scoped_env bypass("no_proxy", "localhost");
    {
        http::client client(io_.get_executor(), options);
        auto out = run_request(io_, client, hello());
        ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    }
    // Both requests reached nginx; only the first went through squid.
    EXPECT_EQ(server_->wait_for_access_log(2).size(), 2u);
    EXPECT_EQ(wait_for_connects(proxy, 2, 40), 1u) << "no_proxy was ignored";
}

} // namespace
