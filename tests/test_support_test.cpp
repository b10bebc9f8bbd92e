// Proves the test support works before other tests rely on it: certificates verify (or
// fail) as OpenSSL says they should, the in-process server, nginx and squid behave as
// their headers promise, and test_stream is a well-behaved Asio stream.

#include <imagine/detail/asio_compat.hpp>

#include "support/blocking_tls_client.hpp"
#include "support/certs.hpp"
#include "support/nginx.hpp"
#include "support/process.hpp"
#include "support/squid.hpp"
#include "support/temp_dir.hpp"
#include "support/test_server.hpp"
#include "support/test_stream.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
namespace test = imagine::test;
namespace http_text = imagine::test::http_text;

// ---------------------------------------------------------------------------
// Certificates

struct verify_options {
    std::string host{};
    std::string ip{};
    int purpose = 0;
};

// X509_verify_cert of `leaf` against the trust anchors in `trusted`: the error code.
int verify(const std::string& leaf, const std::string& trusted, const verify_options& options = {})
{
    auto cert = test::certs_detail::parse_cert(leaf);
    auto anchor = test::certs_detail::parse_cert(trusted);
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(),
                                                                  &X509_STORE_free);
    X509_STORE_add_cert(store.get(), anchor.get());
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                        &X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    if (!options.host.empty())
        X509_VERIFY_PARAM_set1_host(param, options.host.c_str(), 0);
    if (!options.ip.empty())
        X509_VERIFY_PARAM_set1_ip_asc(param, options.ip.c_str());
    if (options.purpose != 0)
        X509_STORE_CTX_set_purpose(ctx.get(), options.purpose);
    X509_verify_cert(ctx.get());
    return X509_STORE_CTX_get_error(ctx.get());
}

TEST(Certs, IssuedCertificateVerifiesAgainstItsAuthority)
{
    test::test_authority ca;
    const auto server = ca.issue();
    EXPECT_EQ(verify(server.cert, ca.cert_pem()), X509_V_OK);
    EXPECT_EQ(verify(server.cert, ca.cert_pem(), {.host = "localhost"}), X509_V_OK);
    EXPECT_EQ(verify(server.cert, ca.cert_pem(), {.ip = "127.0.0.1"}), X509_V_OK);
    EXPECT_EQ(verify(server.cert, ca.cert_pem(), {.purpose = X509_PURPOSE_SSL_SERVER}), X509_V_OK);
    EXPECT_EQ(verify(server.cert, ca.cert_pem(), {.host = "example.com"}),
              X509_V_ERR_HOSTNAME_MISMATCH);
    EXPECT_EQ(verify(server.cert, ca.cert_pem(), {.ip = "127.0.0.2"}),
              X509_V_ERR_IP_ADDRESS_MISMATCH);
    auto cert = test::certs_detail::parse_cert(server.cert);
    auto key = test::certs_detail::parse_key(server.key);
    EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
}

TEST(Certs, ValiditySelfSignedAndForeignCertificates)
{
    test::test_authority ca;
    EXPECT_EQ(verify(ca.issue({.not_after_offset = -60}).cert, ca.cert_pem()),
              X509_V_ERR_CERT_HAS_EXPIRED);
    EXPECT_EQ(verify(ca.issue({.not_before_offset = 3600}).cert, ca.cert_pem()),
              X509_V_ERR_CERT_NOT_YET_VALID);
    test::test_authority other("another CA");
    const auto self = test::self_signed();
    EXPECT_EQ(verify(self.cert, ca.cert_pem()), X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
    EXPECT_EQ(verify(self.cert, self.cert, {.host = "localhost"}), X509_V_OK);
    EXPECT_EQ(verify(other.issue().cert, ca.cert_pem()),
              X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST(Certs, ClientCertificateAndIpv6)
{
    test::test_authority ca;
    const auto client = ca.issue({.common_name = "imagine client", .client = true});
    EXPECT_EQ(verify(client.cert, ca.cert_pem(), {.purpose = X509_PURPOSE_SSL_CLIENT}), X509_V_OK);
    EXPECT_EQ(verify(client.cert, ca.cert_pem(), {.purpose = X509_PURPOSE_SSL_SERVER}),
              X509_V_ERR_INVALID_PURPOSE);
    // No DNS names and a common name that is not a host name: OpenSSL falls back to the
    // CN when a certificate has no DNS SANs.
    const auto v6 = ca.issue({.common_name = "v6 only", .dns = {}, .ips = {"::1"}});
    EXPECT_EQ(verify(v6.cert, ca.cert_pem(), {.ip = "::1"}), X509_V_OK);
    EXPECT_EQ(verify(v6.cert, ca.cert_pem(), {.host = "localhost"}), X509_V_ERR_HOSTNAME_MISMATCH);
}

// ---------------------------------------------------------------------------
// temp_dir and child processes

TEST(TempDir, WritesAndRemovesEverything)
{
    std::filesystem::path path;
    {
        test::temp_dir dir;
        path = dir.path();
        const auto file = dir.write("a/b/c.txt", "content");
        EXPECT_EQ(test::read_text_file(file), "content");
        EXPECT_THROW(dir.write("/etc/passwd", "x"), std::invalid_argument);
    }
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ChildProcess, ExitStatusOutputAndStop)
{
    test::temp_dir dir;
    test::child_process child({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"},
                              dir.path() / "log");
    ASSERT_TRUE(test::poll_until(20s, [&] { return !child.running(); }));
    ASSERT_TRUE(child.wait_status());
    EXPECT_EQ(test::describe_wait_status(*child.wait_status()), "exited with 3");
    EXPECT_EQ(test::read_text_file(dir.path() / "log"), "out\nerr\n");
    EXPECT_THROW(test::child_process({"/nonexistent/program"}, dir.path() / "log"),
                 std::system_error);

    test::child_process sleeper({"/bin/sleep", "600"}, dir.path() / "log");
    const pid_t pid = sleeper.pid();
    EXPECT_TRUE(sleeper.running());
    const int status = sleeper.stop();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    EXPECT_FALSE(sleeper.running());
    EXPECT_EQ(::kill(pid, 0), -1); // reaped: no zombie left with that pid
}

// ---------------------------------------------------------------------------
// test_server and blocking_tls_client

// Answers every request with its own body, on one connection, until the client closes;
// a POST to /pad gets a response head larger than the client's 64 KiB read buffer.
void echo(test::server_connection& connection)
{
    for (auto request = connection.read_request(); !request.empty();
         request = connection.read_request()) {
        std::string body(http_text::body(request));
        const auto encoding = http_text::header_value(request, "Transfer-Encoding");
        if (encoding && http_text::has_token(*encoding, "chunked"))
            body = http_text::decode_chunked(body);
        const auto pad = request.rfind("POST /pad ", 0) == 0 ? std::string(100000, 'p') : "";
        connection.write("HTTP/1.1 200 OK\r\nX-Pad: " + pad +
                         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    }
}

std::string post(std::string_view body, std::string_view target = "/echo")
{
    return "POST " + std::string(target) +
           " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + std::string(body);
}

TEST(TestServer, PlainEcho)
{
    test::test_server server({}, echo);
    test::blocking_tls_client client("127.0.0.1", server.port(), {.tls = false});
    EXPECT_EQ(http_text::body(client.request(post("first"))), "first");
    EXPECT_EQ(http_text::body(client.request(post(std::string(300000, 'x')))),
              std::string(300000, 'x'));
    const auto padded = client.request(post("after a big head", "/pad"));
    EXPECT_EQ(http_text::header_value(padded, "X-Pad"), std::string(100000, 'p'));
    EXPECT_EQ(http_text::body(padded), "after a big head");
    EXPECT_EQ(http_text::body(client.request(post("last"))), "last");
    EXPECT_EQ(client.tls_version(), "");
    server.stop();
    EXPECT_EQ(server.connections(), 1u);
    EXPECT_TRUE(server.handler_errors().empty());
}

TEST(TestServer, TlsEchoWithChunkedRequest)
{
    test::test_authority ca;
    std::mutex mutex;
    std::string sni;
    test::test_server server({.tls = ca.issue()}, [&](test::server_connection& connection) {
        {
            std::lock_guard lock(mutex);
            sni = connection.server_name();
        }
        echo(connection);
    });
    test::blocking_tls_client client("localhost", server.port(), ca.cert_pem());
    EXPECT_EQ(client.tls_version(), "TLSv1.3");
    EXPECT_EQ(http_text::body(client.request(post("hello"))), "hello");
    const auto response = client.request("POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                                         "Transfer-Encoding: chunked\r\n\r\n"
                                         "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nTrailer: x\r\n\r\n");
    EXPECT_EQ(http_text::body(response), "abcdefg");
    server.stop();
    EXPECT_EQ(sni, "localhost");
    EXPECT_EQ(server.connections(), 1u);
    EXPECT_TRUE(server.handler_errors().empty());
    EXPECT_TRUE(server.handshake_errors().empty());
}

TEST(TestServer, ClientRejectsUntrustedServer)
{
    test::test_authority ca;
    std::atomic<bool> called = false;
    test::test_server server({.tls = test::self_signed()},
                             [&](test::server_connection&) { called = true; });
    EXPECT_THROW(test::blocking_tls_client("127.0.0.1", server.port(), ca.cert_pem()),
                 std::runtime_error);
    EXPECT_TRUE(test::poll_until(20s, [&] { return !server.handshake_errors().empty(); }));
    server.stop();
    EXPECT_FALSE(called);
    EXPECT_TRUE(server.handler_errors().empty());
}

TEST(TestServer, MutualTls)
{
    test::test_authority ca;
    std::mutex mutex;
    std::string subject;
    test::test_server server({.tls = ca.issue(), .client_ca_pem = ca.cert_pem()},
                             [&](test::server_connection& connection) {
                                 {
                                     std::lock_guard lock(mutex);
                                     subject = connection.peer_certificate_subject();
                                 }
                                 echo(connection);
                             });
    {
        test::blocking_tls_client client(
            "127.0.0.1", server.port(),
            {.ca_pem = ca.cert_pem(),
             .client_certificate = ca.issue({.common_name = "imagine client", .client = true})});
        EXPECT_EQ(http_text::body(client.request(post("mtls"))), "mtls");
    }
    // Without a certificate: TLS 1.3 clients finish their handshake before the server
    // checks, so the failure may surface at the first request instead.
    EXPECT_THROW(
        {
            test::blocking_tls_client client("127.0.0.1", server.port(), ca.cert_pem());
            client.request(post("no certificate"));
        },
        std::runtime_error);
    EXPECT_TRUE(test::poll_until(20s, [&] { return !server.handshake_errors().empty(); }));
    server.stop();
    EXPECT_EQ(subject, "CN=imagine client");
    EXPECT_TRUE(server.handler_errors().empty());
}

TEST(TestServer, LegacyTlsVersions)
{
    test::test_authority ca;
    test::test_server server({.tls = ca.issue(), .max_tls_version = TLS1_1_VERSION}, echo);
    test::blocking_tls_client legacy("127.0.0.1", server.port(),
                                     {.ca_pem = ca.cert_pem(),
                                      .min_tls_version = TLS1_1_VERSION,
                                      .max_tls_version = TLS1_1_VERSION});
    EXPECT_EQ(legacy.tls_version(), "TLSv1.1");
    EXPECT_EQ(http_text::body(legacy.request(post("old"))), "old");
    EXPECT_THROW(test::blocking_tls_client("127.0.0.1", server.port(), ca.cert_pem()),
                 std::runtime_error);
}

TEST(TestServer, CloseShutdownAndReset)
{
    test::test_authority ca;
    std::atomic<int> requests = 0;
    test::test_server server({.tls = ca.issue()}, [&](test::server_connection& connection) {
        const auto request = connection.read_request();
        const int n = ++requests;
        connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        if (n == 1)
            connection.close(); // truncated: no close_notify
        else if (n == 2)
            connection.shutdown();
        else
            connection.reset();
        connection.wait_peer_closed(20s);
    });
    test::blocking_tls_client truncated("127.0.0.1", server.port(), ca.cert_pem());
    EXPECT_EQ(http_text::body(truncated.request(post(""))), "ok");
    EXPECT_TRUE(truncated.wait_peer_closed(20s));
    EXPECT_FALSE(truncated.peer_sent_close_notify());

    test::blocking_tls_client clean("127.0.0.1", server.port(), ca.cert_pem());
    EXPECT_EQ(http_text::body(clean.request(post(""))), "ok");
    EXPECT_TRUE(clean.wait_peer_closed(20s));
    EXPECT_TRUE(clean.peer_sent_close_notify());

    test::blocking_tls_client reset("127.0.0.1", server.port(), ca.cert_pem());
    reset.write(post(""));
    EXPECT_TRUE(reset.wait_peer_closed(20s));
    server.stop();
    EXPECT_EQ(server.handler_errors(), std::vector<std::string>{});
}

TEST(TestServer, PeerCloseIsSeenAndStopInterruptsStalledHandlers)
{
    std::atomic<bool> peer_closed = false;
    std::atomic<int> stalled = 0;
    std::atomic<int> released = 0;
    test::test_server server({}, [&](test::server_connection& connection) {
        const auto request = connection.read_request();
        if (request.find("/stall") != std::string::npos) {
            ++stalled;
            EXPECT_EQ(connection.read_some(), ""); // blocks until stop()
            ++released;
            return;
        }
        peer_closed = connection.wait_peer_closed(20s);
    });
    {
        test::blocking_tls_client client("127.0.0.1", server.port(), {.tls = false});
        client.write("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    } // closes
    ASSERT_TRUE(test::poll_until(20s, [&] { return peer_closed.load(); }));
    test::blocking_tls_client staller("127.0.0.1", server.port(), {.tls = false});
    staller.write("GET /stall HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(test::poll_until(20s, [&] { return stalled == 1; }));
    server.stop();
    EXPECT_EQ(released, 1);
    EXPECT_TRUE(peer_closed);
    EXPECT_EQ(server.connections(), 2u);
    EXPECT_TRUE(server.handler_errors().empty());
}

// ---------------------------------------------------------------------------
// nginx

std::string get(std::string_view target, std::string_view extra = {})
{
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" + std::string(extra) +
           "\r\n";
}

TEST(Nginx, GetAndPostKeepOneConnection)
{
    test::test_authority ca;
    test::nginx_server nginx({.tls = ca.issue()});
    nginx.write_file("hello.txt", "hello\n");
    std::string big(5 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>(i * 7 + i / 4096);
    nginx.write_file("big.bin", big);

    test::blocking_tls_client client("localhost", nginx.port(), ca.cert_pem());
    const auto first = client.request(get("/hello.txt"));
    EXPECT_EQ(http_text::status_code(first), 200);
    EXPECT_EQ(http_text::body(first), "hello\n");
    EXPECT_EQ(http_text::body(client.request(post("small", "/hello.txt"))), "hello\n");
    const auto after_big_post = client.request(post(big, "/hello.txt"));
    EXPECT_EQ(http_text::status_code(after_big_post), 200);
    EXPECT_EQ(http_text::body(after_big_post), "hello\n");
    EXPECT_TRUE(http_text::body(client.request(get("/big.bin"))) == big);
    const auto head = client.request("HEAD /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(http_text::header_value(head, "Content-Length"), std::to_string(big.size()));
    EXPECT_EQ(http_text::status_code(client.request(get("/missing"))), 404);

    const auto log = nginx.wait_for_access_log(6);
    ASSERT_EQ(log.size(), 6u) << nginx.error_log();
    const std::vector<std::string> methods = {"GET", "POST", "POST", "GET", "HEAD", "GET"};
    for (std::size_t i = 0; i < log.size(); ++i) {
        EXPECT_EQ(log[i].connection, log[0].connection);
        EXPECT_EQ(log[i].connection_requests, i + 1);
        EXPECT_EQ(log[i].method, methods[i]);
    }
    EXPECT_EQ(log[1].uri, "/hello.txt");
    EXPECT_EQ(log[1].status, 200);
    EXPECT_GT(log[2].request_length, big.size()); // the whole body was read
    EXPECT_EQ(log[3].body_bytes_sent, big.size());
    EXPECT_EQ(log[5].status, 404);
}

TEST(Nginx, ChunkedResponsesAreChunkedOnTheWire)
{
    test::nginx_server nginx;
    nginx.write_file("data.txt", std::string(100000, 'c'));
    test::blocking_tls_client client("127.0.0.1", nginx.port(), {.tls = false});
    const auto response = client.request(post("body", "/chunked/data.txt"));
    EXPECT_EQ(http_text::header_value(response, "Transfer-Encoding"), "chunked");
    EXPECT_FALSE(http_text::header_value(response, "Content-Length"));
    EXPECT_EQ(http_text::body(response), std::string(100000, 'c'));

    // The raw bytes: chunk framing, ending with the last chunk.
    auto fd = test::connect_tcp("127.0.0.1", nginx.port());
    test::send_all(fd.get(), get("/chunked/data.txt", "Connection: close\r\n"));
    std::string raw;
    char buffer[65536];
    for (long got; (got = ::recv(fd.get(), buffer, sizeof buffer, 0)) > 0;)
        raw.append(buffer, static_cast<std::size_t>(got));
    const auto body = http_text::body(raw);
    ASSERT_FALSE(body.empty());
    EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(body[0])));
    EXPECT_EQ(body.substr(body.size() - 5), "0\r\n\r\n");
    EXPECT_EQ(http_text::decode_chunked(body), std::string(100000, 'c'));
}

TEST(Nginx, CloseStatusAndExtraConfig)
{
    test::nginx_server nginx({.extra_server_config = "location = /old { return 301 /hello.txt; }"});
    nginx.write_file("hello.txt", "hello\n");
    test::blocking_tls_client client("127.0.0.1", nginx.port(), {.tls = false});
    EXPECT_EQ(http_text::status_code(client.request(get("/status/503"))), 503);
    EXPECT_EQ(http_text::status_code(client.request(get("/status/429"))), 429);
    const auto moved = client.request(get("/old"));
    EXPECT_EQ(http_text::status_code(moved), 301);
    EXPECT_NE(http_text::header_value(moved, "Location").value_or("").find("/hello.txt"),
              std::string_view::npos);
    EXPECT_FALSE(client.closing());
    const auto closing = client.request(get("/close/hello.txt"));
    EXPECT_EQ(http_text::body(closing), "hello\n");
    EXPECT_EQ(http_text::header_value(closing, "Connection"), "close");
    EXPECT_TRUE(client.closing());
    EXPECT_TRUE(client.wait_peer_closed(20s));
    const auto log = nginx.wait_for_access_log(4);
    ASSERT_EQ(log.size(), 4u);
    EXPECT_EQ(log[3].connection, log[0].connection); // all on one connection
}

// ---------------------------------------------------------------------------
// squid

// CONNECT through the proxy, then TLS to nginx inside the tunnel.
std::string fetch_through_proxy(const test::squid_proxy& proxy, const test::nginx_server& nginx,
                                const std::string& ca_pem, std::string_view user = {},
                                std::string_view password = {})
{
    auto fd = test::connect_tcp("127.0.0.1", proxy.port());
    const auto head =
        test::proxy_connect(fd.get(), "127.0.0.1:" + std::to_string(nginx.port()), user, password);
    if (http_text::status_code(head) != 200)
        return head;
    test::blocking_tls_client client(std::move(fd), "localhost", {.ca_pem = ca_pem});
    return client.request(get("/hello.txt"));
}

TEST(Squid, ConnectTunnelWithoutAuthentication)
{
    test::test_authority ca;
    test::nginx_server nginx({.tls = ca.issue()});
    nginx.write_file("hello.txt", "hello\n");
    test::squid_proxy proxy;
    const auto response = fetch_through_proxy(proxy, nginx, ca.cert_pem());
    EXPECT_EQ(http_text::status_code(response), 200) << response;
    EXPECT_EQ(http_text::body(response), "hello\n");

    // Only CONNECT to 127.0.0.1 is allowed.
    auto fd = test::connect_tcp("127.0.0.1", proxy.port());
    EXPECT_EQ(http_text::status_code(test::proxy_connect(fd.get(), "127.0.0.2:443")), 403);
    auto plain = test::connect_tcp("127.0.0.1", proxy.port());
    test::send_all(plain.get(), "GET http://127.0.0.1:" + std::to_string(nginx.port()) +
                                    "/hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(http_text::status_code(test::read_head(plain.get())), 403);

    // The tunnel is logged when it closes, possibly after the two denials.
    const auto log = proxy.wait_for_access_log(3);
    ASSERT_EQ(log.size(), 3u) << proxy.cache_log();
    const auto tunnel = std::find_if(log.begin(), log.end(), [](const std::string& line) {
        return line.find("TCP_TUNNEL/200") != std::string::npos;
    });
    ASSERT_NE(tunnel, log.end());
    EXPECT_NE(tunnel->find("CONNECT 127.0.0.1:" + std::to_string(nginx.port())), std::string::npos);
    EXPECT_EQ(std::count_if(log.begin(), log.end(),
                            [](const std::string& line) {
                                return line.find("TCP_DENIED/403") != std::string::npos;
                            }),
              2);
}

TEST(Squid, ConnectTunnelWithBasicAuthentication)
{
    test::test_authority ca;
    test::nginx_server nginx({.tls = ca.issue()});
    nginx.write_file("hello.txt", "hello\n");
    test::squid_proxy proxy({.username = "alice", .password = "s3cret:pw"});

    const auto anonymous = fetch_through_proxy(proxy, nginx, ca.cert_pem());
    EXPECT_EQ(http_text::status_code(anonymous), 407);
    EXPECT_NE(http_text::header_value(anonymous, "Proxy-Authenticate").value_or("").find("Basic"),
              std::string_view::npos);
    EXPECT_EQ(
        http_text::status_code(fetch_through_proxy(proxy, nginx, ca.cert_pem(), "alice", "wrong")),
        407);
    const auto response = fetch_through_proxy(proxy, nginx, ca.cert_pem(), "alice", "s3cret:pw");
    EXPECT_EQ(http_text::status_code(response), 200) << response << proxy.cache_log();
    EXPECT_EQ(http_text::body(response), "hello\n");
    const auto log = proxy.wait_for_access_log(3);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_NE(log[2].find("TCP_TUNNEL/200"), std::string::npos) << log[2];
    EXPECT_NE(log[2].find(" alice "), std::string::npos) << log[2];
}

// ---------------------------------------------------------------------------
// test_stream

// Runs `coro` on `io` to completion and rethrows what it threw.
template <class Coro>
void run(asio::io_context& io, Coro coro)
{
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, std::move(coro), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    io.run();
    ASSERT_TRUE(done);
    if (failure)
        std::rethrow_exception(failure);
}

TEST(TestStream, ReadsSplitAndEndWithEof)
{
    asio::io_context io;
    test::test_stream stream(io.get_executor());
    stream.set_read_size(3);
    stream.append_input("hello world");
    stream.close_input();
    std::vector<std::string> pieces;
    std::error_code last;
    run(io, [&]() -> asio::awaitable<void> {
        char buffer[16];
        for (;;) {
            auto [ec, n] = co_await stream.async_read_some(
                asio::buffer(buffer), imagine::detail::as_tuple(asio::use_awaitable));
            if (ec) {
                last = ec;
                break;
            }
            pieces.emplace_back(buffer, n);
        }
    });
    EXPECT_EQ(pieces, (std::vector<std::string>{"hel", "lo ", "wor", "ld"}));
    EXPECT_EQ(last, asio::error::eof);
}

TEST(TestStream, ComposedReadWaitsForInputAndWriteSplits)
{
    asio::io_context io;
    test::fail_count fc(1000); // counts, never fails here
    test::test_stream stream(io.get_executor(), &fc);
    stream.set_read_size(4);
    stream.set_write_size(3);
    std::string received(10, '\0');
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await asio::async_read(stream, asio::buffer(received), asio::use_awaitable);
            co_await asio::async_write(stream, asio::buffer(received), asio::use_awaitable);
        },
        [](std::exception_ptr e) {
            if (e)
                std::rethrow_exception(e);
        });
    bool fed = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            stream.append_input("01234");
            while (!stream.read_pending()) // let the reader consume it and wait again
                co_await asio::post(io, asio::use_awaitable);
            stream.append_input("56789");
            fed = true;
        },
        [](std::exception_ptr e) {
            if (e)
                std::rethrow_exception(e);
        });
    io.run();
    EXPECT_TRUE(fed);
    EXPECT_EQ(received, "0123456789");
    EXPECT_EQ(stream.output(), "0123456789");
    EXPECT_EQ(fc.calls(), 4u + 4u); // reads of 4, 1, 4, 1 bytes; writes of 3, 3, 3, 1
}

TEST(TestStream, FailCountWalksEveryFailurePoint)
{
    test::fail_count two(2); // calls 0 and 1 pass, 2 and later fail
    std::error_code ec;
    EXPECT_FALSE(two.fail(ec) || two.fail(ec) || ec);
    EXPECT_TRUE(two.fail(ec) && two.fail(ec) && ec == asio::error::connection_reset);
    EXPECT_EQ(two.calls(), 4u);

    // The exchange needs 2 writes (set_write_size 4, 7 bytes) and 3 reads (2 with
    // data, 1 eof): failing each of the 5 in turn, then none.
    std::size_t n = 0;
    for (;; ++n) {
        asio::io_context io;
        test::fail_count fc(n);
        test::test_stream stream(io.get_executor(), &fc);
        stream.set_write_size(4);
        stream.set_read_size(3);
        stream.append_input("pong!");
        stream.close_input();
        std::error_code failure;
        std::string reply;
        run(io, [&]() -> asio::awaitable<void> {
            auto [write_ec, written] = co_await asio::async_write(
                stream, asio::buffer("request", 7), imagine::detail::as_tuple(asio::use_awaitable));
            if (write_ec) {
                failure = write_ec;
                co_return;
            }
            reply.resize(16);
            auto [read_ec, got] = co_await asio::async_read(
                stream, asio::buffer(reply), imagine::detail::as_tuple(asio::use_awaitable));
            reply.resize(got);
            if (read_ec != asio::error::eof)
                failure = read_ec;
        });
        if (!failure) {
            EXPECT_EQ(reply, "pong!");
            EXPECT_EQ(stream.output(), "request");
            EXPECT_LE(fc.calls(), n);
            break;
        }
        EXPECT_EQ(failure, asio::error::connection_reset);
        ASSERT_LT(n, 100u);
    }
    EXPECT_EQ(n, 5u);
}

TEST(TestStream, CloseAndCancellation)
{
    asio::io_context io;
    test::test_stream stream(io.get_executor());
    char buffer[8];
    std::vector<std::error_code> results;
    auto record = [&](std::error_code ec, std::size_t) { results.push_back(ec); };

    // Completion is never inline.
    stream.append_input("x");
    stream.async_read_some(asio::buffer(buffer), record);
    EXPECT_TRUE(results.empty());
    io.run();
    io.restart();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_FALSE(results[0]);

    // A pending read cancelled through its slot; the slot is reused afterwards.
    asio::cancellation_signal signal;
    stream.async_read_some(asio::buffer(buffer),
                           asio::bind_cancellation_slot(signal.slot(), record));
    io.poll();
    EXPECT_TRUE(stream.read_pending());
    signal.emit(asio::cancellation_type::terminal);
    io.run();
    io.restart();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[1], asio::error::operation_aborted);
    signal.emit(asio::cancellation_type::terminal); // stale: must do nothing

    stream.async_read_some(asio::buffer(buffer),
                           asio::bind_cancellation_slot(signal.slot(), record));
    io.poll();
    stream.close();
    io.run();
    io.restart();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[2], asio::error::operation_aborted);
    stream.async_read_some(asio::buffer(buffer), record);
    stream.async_write_some(asio::buffer("y", 1), record);
    io.run();
    ASSERT_EQ(results.size(), 5u);
    EXPECT_EQ(results[3], asio::error::not_connected);
    EXPECT_EQ(results[4], asio::error::not_connected);
}

TEST(TestStream, CoroutineCancelledWhileReading)
{
    asio::io_context io;
    test::test_stream stream(io.get_executor());
    asio::cancellation_signal signal;
    std::exception_ptr failure;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            char buffer[8];
            co_await stream.async_read_some(asio::buffer(buffer), asio::use_awaitable);
        },
        asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e) { failure = e; }));
    io.poll();
    ASSERT_TRUE(stream.read_pending());
    signal.emit(asio::cancellation_type::terminal);
    io.run();
    ASSERT_TRUE(failure);
    try {
        std::rethrow_exception(failure);
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), asio::error::operation_aborted);
    }
}

TEST(TestStream, DestroyingTheStreamAbortsAPendingRead)
{
    asio::io_context io;
    std::error_code result;
    {
        test::test_stream stream(io.get_executor());
        char buffer[8];
        stream.async_read_some(asio::buffer(buffer),
                               [&](std::error_code ec, std::size_t) { result = ec; });
        io.poll();
    }
    io.run();
    EXPECT_EQ(result, asio::error::operation_aborted);
}

} // namespace
