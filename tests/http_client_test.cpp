#include <imagine/http/client.hpp>

// The client against scripted TLS servers: each timeout against a server that stalls
// in that phase, cancellation in each phase, redirects, the pool's handling of
// connections the server closed, truncated TLS closes, and request validation.

#include "http_test_util.hpp"
#include "support/certs.hpp"
#include "support/test_server.hpp"

#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_future.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
namespace http = imagine::http;
using imagine::test::make_request;
using imagine::test::run_request;
using imagine::test::server_connection;

class scripted : public ::testing::Test {
protected:
    void serve(std::function<void(server_connection&)> handler)
    {
        imagine::test::server_options options;
        options.tls = ca_.issue();
        server_.emplace(options, std::move(handler));
        base_ = "https://localhost:" + std::to_string(server_->port());
    }

    http::client_options options() const { return imagine::test::trusting(ca_.cert_pem()); }

    void TearDown() override
    {
        if (server_) {
            auto errors = server_->handler_errors();
            server_.reset();
            for (const auto& e : errors)
                ADD_FAILURE() << "server handler: " << e;
        }
    }

    imagine::test::test_authority ca_{};
    std::optional<imagine::test::test_server> server_{};
    std::string base_{};
    asio::io_context io_{};
};

// Blocks the handler until the client goes away (the stall every timeout test needs).
void stall(server_connection& conn)
{
    conn.wait_peer_closed(60s);
}

constexpr const char* ok_response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

TEST_F(scripted, connect_timeout_covers_the_tls_handshake)
{
    // A listener that accepts TCP (the kernel does) but never speaks TLS.
    asio::ip::tcp::acceptor silent(io_, {asio::ip::make_address("127.0.0.1"), 0});
    auto o = options();
    o.timeouts.connect = 200ms;
    http::client client(io_.get_executor(), o);
    auto out = run_request(
        io_, client,
        make_request("GET", "https://localhost:" + std::to_string(silent.local_endpoint().port()),
                     "/"));
    EXPECT_EQ(out.ec, http::error::connect_timeout);
}

TEST_F(scripted, response_timeout_when_the_head_never_comes)
{
    serve([](server_connection& conn) {
        conn.read_request();
        stall(conn);
    });
    auto o = options();
    o.timeouts.response = 200ms;
    http::client client(io_.get_executor(), o);
    auto out = run_request(io_, client, make_request("GET", base_, "/"));
    EXPECT_EQ(out.ec, http::error::response_timeout);
}

TEST_F(scripted, idle_timeout_when_the_body_stops)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        stall(conn);
    });
    auto o = options();
    o.timeouts.idle = 200ms;
    http::client client(io_.get_executor(), o);
    auto out = run_request(io_, client, make_request("GET", base_, "/"));
    EXPECT_EQ(out.ec, http::error::idle_timeout);
}

TEST_F(scripted, total_timeout_even_while_bytes_keep_coming)
{
    std::atomic<bool> stop{false};
    serve([&](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        try {
            while (!stop)
                conn.write("1\r\nx\r\n"), std::this_thread::sleep_for(20ms);
        } catch (...) {
            // the client hung up: expected
        }
    });
    auto o = options();
    o.timeouts.idle = 5s;
    o.timeouts.total = 300ms;
    http::client client(io_.get_executor(), o);
    auto out = run_request(io_, client, make_request("GET", base_, "/"));
    stop = true;
    server_.reset(); // the handler uses `stop`: join it while `stop` lives
    EXPECT_EQ(out.ec, http::error::total_timeout);
}

TEST_F(scripted, per_request_timeouts_replace_the_clients)
{
    serve([](server_connection& conn) {
        conn.read_request();
        stall(conn);
    });
    http::client client(io_.get_executor(), options()); // 10 minute default
    auto req = make_request("GET", base_, "/");
    req.timeouts = http::timeout_options{};
    req.timeouts->response = 150ms;
    auto out = run_request(io_, client, std::move(req));
    EXPECT_EQ(out.ec, http::error::response_timeout);
}

// Cancellation in each phase: the operation ends with operation_aborted, and its
// connection is closed (the server sees the close), never pooled.
TEST_F(scripted, cancellation_while_waiting_for_the_head)
{
    std::atomic<bool> peer_closed{false};
    serve([&](server_connection& conn) {
        conn.read_request();
        peer_closed = conn.wait_peer_closed(30s);
    });
    http::client client(io_.get_executor(), options());
    auto out = run_request(io_, client, make_request("GET", base_, "/"), 100ms);
    EXPECT_TRUE(out.completed);
    EXPECT_EQ(out.ec, asio::error::operation_aborted);
    const auto key = client.pool_key(http::parse_url(base_));
    EXPECT_EQ(client.pool().idle_count(key), 0u);
    EXPECT_EQ(client.pool().in_use_count(key), 0u);
    server_.reset(); // joins the handler
    EXPECT_TRUE(peer_closed);
}

TEST_F(scripted, cancellation_while_reading_the_body)
{
    std::atomic<bool> peer_closed{false};
    serve([&](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc");
        peer_closed = conn.wait_peer_closed(30s);
    });
    http::client client(io_.get_executor(), options());
    auto out = run_request(io_, client, make_request("GET", base_, "/"), 100ms);
    EXPECT_EQ(out.ec, asio::error::operation_aborted);
    server_.reset();
    EXPECT_TRUE(peer_closed);
}

TEST_F(scripted, cancellation_while_connecting)
{
    asio::ip::tcp::acceptor silent(io_, {asio::ip::make_address("127.0.0.1"), 0});
    http::client client(io_.get_executor(), options());
    auto out = run_request(
        io_, client,
        make_request("GET", "https://localhost:" + std::to_string(silent.local_endpoint().port()),
                     "/"),
        100ms);
    EXPECT_EQ(out.ec, asio::error::operation_aborted);
}

TEST_F(scripted, cancellation_of_a_stream_read)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n6\r\ndata:1\r\n");
        stall(conn);
    });
    http::client client(io_.get_executor(), options());
    std::error_code read_error;
    std::string first;
    asio::cancellation_signal signal;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
            auto stream = co_await client.async_open(make_request("GET", base_, "/events"));
            first = co_await stream.async_read_some();
            asio::steady_timer timer(io_, 100ms);
            timer.async_wait(
                [&](std::error_code) { signal.emit(asio::cancellation_type::terminal); });
            auto [ec, piece] = co_await stream.async_read_some(asio::bind_cancellation_slot(
                signal.slot(), imagine::detail::as_tuple(asio::use_awaitable)));
            read_error = ec;
            EXPECT_TRUE(stream.done());
        },
        asio::detached);
    io_.run();
    EXPECT_EQ(first, "data:1");
    EXPECT_EQ(read_error, asio::error::operation_aborted);
}

// The idle limit measures the server, not the reader: a consumer that takes longer than
// the idle limit between two reads of a stream must still get the rest.
TEST_F(scripted, a_slow_stream_reader_is_not_an_idle_server)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\ndata:1\r\n");
        std::this_thread::sleep_for(50ms);
        conn.write("6\r\ndata:2\r\n0\r\n\r\n");
        conn.wait_peer_closed(10s);
    });
    auto o = options();
    o.timeouts.idle = 200ms;
    http::client client(io_.get_executor(), o);
    std::string received;
    std::error_code failure;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
            auto stream = co_await client.async_open(make_request("GET", base_, "/events"));
            received = co_await stream.async_read_some();
            asio::steady_timer busy(io_, 600ms); // the reader is busy, the server is not
            co_await busy.async_wait(asio::use_awaitable);
            for (;;) {
                auto piece = co_await stream.async_read_some();
                if (piece.empty())
                    break;
                received += piece;
            }
        },
        imagine::test::store_error(failure));
    io_.run();
    EXPECT_EQ(failure, std::error_code{}) << failure.message();
    EXPECT_EQ(received, "data:1data:2");
}

TEST_F(scripted, pooled_connection_closed_by_server_is_replaced_before_any_byte_is_sent)
{
    std::atomic<int> requests{0};
    std::mutex mutex;
    std::condition_variable closed_cv;
    bool closed = false;
    serve([&](server_connection& conn) {
        if (conn.read_request().empty())
            return;
        ++requests;
        // Keep-alive by the headers, then close anyway: what a server does when its
        // idle timeout passes.
        conn.write(ok_response);
        if (requests == 1) {
            conn.shutdown();
            std::lock_guard lock(mutex);
            closed = true;
            closed_cv.notify_all();
            return;
        }
        while (!conn.read_request().empty())
            conn.write(ok_response);
    });
    http::client client(io_.get_executor(), options());
    auto first = run_request(io_, client, make_request("POST", base_, "/"));
    ASSERT_EQ(first.ec, std::error_code{}) << first.ec.message();
    {
        std::unique_lock lock(mutex);
        closed_cv.wait_for(lock, 10s, [&] { return closed; });
    }
    // The FIN may still be in flight on loopback; wait for it to land (no assertion on time).
    std::this_thread::sleep_for(50ms);
    auto second = run_request(io_, client, make_request("POST", base_, "/"));
    ASSERT_EQ(second.ec, std::error_code{}) << second.ec.message();
    EXPECT_EQ(second.response.body, "ok");
    EXPECT_EQ(requests, 2);
    EXPECT_EQ(server_->connections(), 2u);
    server_.reset(); // join the handler while the locals it uses live
}

TEST_F(scripted, idle_connections_expire_from_the_pool)
{
    serve([](server_connection& conn) {
        while (!conn.read_request().empty())
            conn.write(ok_response);
    });
    auto o = options();
    o.pool.idle_expiry = 100ms;
    http::client client(io_.get_executor(), o);
    ASSERT_EQ(run_request(io_, client, make_request("GET", base_, "/")).ec, std::error_code{});
    ASSERT_EQ(run_request(io_, client, make_request("GET", base_, "/")).ec, std::error_code{});
    EXPECT_EQ(server_->connections(), 1u); // reused while fresh
    std::this_thread::sleep_for(300ms);    // let the pooled connection pass its expiry
    ASSERT_EQ(run_request(io_, client, make_request("GET", base_, "/")).ec, std::error_code{});
    EXPECT_EQ(server_->connections(), 2u); // the expired one was closed, not reused
}

TEST_F(scripted, pool_limits_connections_per_origin)
{
    std::atomic<int> max_concurrent{0};
    std::atomic<int> concurrent{0};
    serve([&](server_connection& conn) {
        int now = ++concurrent;
        int seen = max_concurrent.load();
        while (now > seen && !max_concurrent.compare_exchange_weak(seen, now)) {
        }
        while (!conn.read_request().empty()) {
            std::this_thread::sleep_for(20ms);
            conn.write(ok_response);
        }
        --concurrent;
    });
    auto o = options();
    o.pool.max_per_origin = 2;
    http::client client(io_.get_executor(), o);
    int completed = 0;
    for (int i = 0; i < 6; ++i)
        client.async_request(make_request("GET", base_, "/"),
                             [&](std::error_code ec, http::response r) {
                                 EXPECT_EQ(ec, std::error_code{}) << ec.message();
                                 EXPECT_EQ(r.body, "ok");
                                 ++completed;
                             });
    io_.run();
    EXPECT_EQ(completed, 6);
    EXPECT_EQ(server_->connections(), 2u);
    EXPECT_LE(max_concurrent.load(), 2);
    EXPECT_EQ(client.pool().idle_count(client.pool_key(http::parse_url(base_))), 2u);
    server_.reset(); // join the handlers while the counters they use live
}

TEST_F(scripted, truncated_tls_close_after_a_complete_message_is_fine)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        conn.close(); // no close_notify
    });
    http::client client(io_.get_executor(), options());
    auto out = run_request(io_, client, make_request("GET", base_, "/"));
    ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    EXPECT_EQ(out.response.body, "ok");
}

TEST_F(scripted, truncated_tls_close_inside_the_body_is_an_error)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok");
        conn.close();
    });
    http::client client(io_.get_executor(), options());
    auto out = run_request(io_, client, make_request("GET", base_, "/"));
    EXPECT_EQ(out.ec, http::error::length_mismatch);
}

TEST_F(scripted, truncated_close_ends_no_close_delimited_body)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\n\r\nuntil the end");
        conn.close();
    });
    http::client client(io_.get_executor(), options());
    auto out = run_request(io_, client, make_request("GET", base_, "/"));
    EXPECT_EQ(out.ec, http::error::premature_end);
}

TEST_F(scripted, close_notify_ends_a_close_delimited_body)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.write("HTTP/1.1 200 OK\r\n\r\nuntil the end");
        conn.shutdown();
    });
    http::client client(io_.get_executor(), options());
    auto out = run_request(io_, client, make_request("GET", base_, "/"));
    ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    EXPECT_EQ(out.response.body, "until the end");
}

TEST_F(scripted, server_closing_without_an_answer_is_reported)
{
    serve([](server_connection& conn) {
        conn.read_request();
        conn.close();
    });
    http::client client(io_.get_executor(), options());
    auto out = run_request(io_, client, make_request("POST", base_, "/"));
    EXPECT_EQ(out.ec, http::error::connection_closed);
}

TEST_F(scripted, header_injection_is_refused_before_sending)
{
    serve([](server_connection& conn) { conn.read_request(); });
    http::client client(io_.get_executor(), options());
    auto req = make_request("GET", base_, "/");
    req.headers.add("X-Evil", "a\r\nInjected: yes");
    auto out = run_request(io_, client, std::move(req));
    EXPECT_EQ(out.ec, http::error::invalid_request);
    auto bad_method = make_request("GE T", base_, "/");
    out = run_request(io_, client, std::move(bad_method));
    EXPECT_EQ(out.ec, http::error::invalid_request);
    server_.reset();
}

// --- redirects ---

struct seen_request {
    std::string head{};
    std::string body{};
};

std::vector<seen_request> split(const std::vector<std::string>& raw)
{
    std::vector<seen_request> out;
    for (const auto& r : raw) {
        auto end = r.find("\r\n\r\n");
        out.push_back({r.substr(0, end + 4), r.substr(end + 4)});
    }
    return out;
}

TEST_F(scripted, redirects_307_and_308_resend_the_body_and_drop_authorization_across_hosts)
{
    std::mutex mutex;
    std::vector<std::string> requests;
    std::uint16_t port = 0;
    serve([&](server_connection& conn) {
        for (;;) {
            auto req = conn.read_request();
            if (req.empty())
                return;
            std::string answer;
            {
                std::lock_guard lock(mutex);
                requests.push_back(req);
            }
            if (req.starts_with("POST /a "))
                answer = "HTTP/1.1 307 Temporary Redirect\r\nLocation: /b\r\nContent-Length: "
                         "3\r\n\r\nabc";
            else if (req.starts_with("POST /b "))
                answer = "HTTP/1.1 308 Permanent Redirect\r\nLocation: https://127.0.0.1:" +
                         std::to_string(port) + "/c\r\nContent-Length: 0\r\n\r\n";
            else
                answer = ok_response;
            conn.write(answer);
        }
    });
    port = server_->port();
    http::client client(io_.get_executor(), options());
    auto req = make_request("POST", base_, "/a");
    req.headers.add("Authorization", "Bearer sk-test");
    req.body = std::string("{\"n\":1}");
    auto out = run_request(io_, client, std::move(req));
    ASSERT_EQ(out.ec, std::error_code{}) << out.ec.message();
    EXPECT_EQ(out.response.body, "ok");
    EXPECT_EQ(out.response.final_url.to_string(),
              "https://127.0.0.1:" + std::to_string(port) + "/c");
    server_.reset();
    auto seen = split(requests);
    ASSERT_EQ(seen.size(), 3u);
    for (const auto& s : seen)
        EXPECT_EQ(s.body, "{\"n\":1}");
    EXPECT_NE(seen[0].head.find("Authorization: Bearer sk-test"), std::string::npos);
    EXPECT_NE(seen[1].head.find("Authorization: Bearer sk-test"), std::string::npos); // same host
    EXPECT_EQ(seen[2].head.find("Authorization"), std::string::npos);                 // other host
}

TEST_F(scripted, redirect_limits_and_refusals)
{
    serve([](server_connection& conn) {
        for (;;) {
            auto req = conn.read_request();
            if (req.empty())
                return;
            // /N redirects to /N-1 ... /0 answers.
            auto path_end = req.find(' ', 4);
            const std::string path = req.substr(4, path_end - 4);
            if (path == "/insecure") {
                conn.write(
                    "HTTP/1.1 307 x\r\nLocation: http://localhost/x\r\nContent-Length: 0\r\n\r\n");
            } else if (path == "/nowhere") {
                conn.write("HTTP/1.1 307 x\r\nContent-Length: 0\r\n\r\n");
            } else if (path == "/moved") {
                conn.write("HTTP/1.1 301 Moved\r\nLocation: /0\r\nContent-Length: 0\r\n\r\n");
            } else {
                const int n = std::stoi(path.substr(1));
                if (n == 0)
                    conn.write(ok_response);
                else
                    conn.write("HTTP/1.1 307 x\r\nLocation: /" + std::to_string(n - 1) +
                               "\r\nContent-Length: 0\r\n\r\n");
            }
        }
    });
    http::client client(io_.get_executor(), options());
    auto five = run_request(io_, client, make_request("GET", base_, "/5"));
    ASSERT_EQ(five.ec, std::error_code{}) << five.ec.message();
    EXPECT_EQ(five.response.body, "ok");
    EXPECT_EQ(run_request(io_, client, make_request("GET", base_, "/6")).ec,
              http::error::too_many_redirects);
    EXPECT_EQ(run_request(io_, client, make_request("GET", base_, "/insecure")).ec,
              http::error::bad_redirect);
    EXPECT_EQ(run_request(io_, client, make_request("GET", base_, "/nowhere")).ec,
              http::error::bad_redirect);
    auto moved = run_request(io_, client, make_request("GET", base_, "/moved"));
    ASSERT_EQ(moved.ec, std::error_code{});
    EXPECT_EQ(moved.response.status, 301u); // only 307/308 are followed
}

TEST_F(scripted, use_future_and_awaitable_tokens_work)
{
    serve([](server_connection& conn) {
        while (!conn.read_request().empty())
            conn.write(ok_response);
    });
    http::client client(io_.get_executor(), options());
    std::thread runner;
    {
        auto work = asio::make_work_guard(io_);
        runner = std::thread([&] { io_.run(); });
        auto future = client.async_request(make_request("GET", base_, "/"), asio::use_future);
        EXPECT_EQ(future.get().body, "ok");
        auto awaited = asio::co_spawn(
            io_,
            [&]() -> asio::awaitable<std::string> {
                auto r = co_await client.async_request(make_request("GET", base_, "/"));
                co_return r.body;
            },
            asio::use_future);
        EXPECT_EQ(awaited.get(), "ok");
    }
    runner.join();
}

} // namespace
