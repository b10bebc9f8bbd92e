#include <imagine/http/parser.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace {

namespace http = imagine::http;
using namespace std::string_view_literals;
using http::error;
using http::response_parser;

// ---------------------------------------------------------------------------------------
// "Parsegrind": every message is parsed whole, split in two at every byte, and one byte
// at a time, with the body buffered, streamed to a sink, or received through
// body_window() (whole windows, and windows only half used). Every run must describe the
// same responses and end with the same error.

enum class body_mode { buffer, sink, window, half_window };

struct run_options {
    http::parser_limits limits{};
    bool head = false; // the first request was HEAD
    bool eof = true;   // the peer closes after the input
    std::size_t max_messages = std::numeric_limits<std::size_t>::max(); // then stop (101)
    body_mode mode = body_mode::buffer;
};

using pairs = std::vector<std::pair<std::string, std::string>>;

struct message {
    unsigned status = 0;
    std::string reason{};
    unsigned minor = 0;
    pairs headers{};
    pairs trailers{};
    std::string body{};
    bool header_done = false;
    bool done = false;
    bool keep_alive = false;
    bool chunked = false;
    std::optional<std::uint64_t> content_length{};
};

struct run_result {
    std::vector<message> messages{}; // complete ones, then the failed one on error
    std::error_code ec{};
    std::size_t consumed = 0; // not compared on error: where a put() stops is not specified
};

std::string escape(std::string_view s)
{
    std::string out;
    char hex[8];
    for (unsigned char c : s) {
        const bool plain = c >= 0x20 && c < 0x7f && c != '\\';
        std::snprintf(hex, sizeof hex, plain ? "%c" : "\\x%02x", c);
        out += hex;
    }
    return out;
}

std::string describe(const run_result& r)
{
    std::ostringstream out;
    for (const message& m : r.messages) {
        out << "[" << m.status << " '" << escape(m.reason) << "' 1." << m.minor
            << " head=" << m.header_done << " done=" << m.done << " ka=" << m.keep_alive
            << " chunked=" << m.chunked
            << " cl=" << (m.content_length ? std::to_string(*m.content_length) : "-") << "\n";
        for (const auto& [n, v] : m.headers)
            out << "  " << escape(n) << ": " << escape(v) << "\n";
        for (const auto& [n, v] : m.trailers)
            out << "  trailer " << escape(n) << ": " << escape(v) << "\n";
        out << "  body(" << m.body.size() << ") " << escape(m.body) << "]\n";
    }
    out << "ec=" << r.ec.message();
    if (!r.ec)
        out << " consumed=" << r.consumed;
    return out.str();
}

run_result run(const std::vector<std::string_view>& pieces, const run_options& opt)
{
    response_parser p(opt.limits);
    p.set_head_request(opt.head);
    std::string sunk;
    if (opt.mode == body_mode::sink)
        p.set_body_sink([&](std::string_view piece, std::error_code&) {
            EXPECT_FALSE(piece.empty());
            sunk.append(piece);
        });
    run_result r;
    const auto snapshot = [&] {
        message m;
        m.status = p.status();
        m.reason = p.reason();
        m.minor = p.version_minor();
        for (const auto& f : p.headers())
            m.headers.emplace_back(f.name, f.value);
        for (const auto& f : p.trailers())
            m.trailers.emplace_back(f.name, f.value);
        m.body = opt.mode == body_mode::sink ? sunk : p.body();
        EXPECT_EQ(p.body_bytes(), m.body.size());
        m.header_done = p.header_done();
        m.done = p.done();
        if (m.header_done) {
            m.keep_alive = p.keep_alive();
            m.chunked = p.chunked();
            m.content_length = p.content_length();
        }
        r.messages.push_back(m);
        sunk.clear();
    };
    for (std::string_view piece : pieces) {
        while (!piece.empty()) {
            std::error_code ec;
            std::size_t n = 0;
            std::span<char> window;
            if (opt.mode == body_mode::window || opt.mode == body_mode::half_window)
                window = p.body_window(piece.size());
            if (!window.empty()) {
                EXPECT_LE(window.size(), piece.size());
                n = opt.mode == body_mode::window ? window.size() : (window.size() + 1) / 2;
                std::memcpy(window.data(), piece.data(), n);
                p.commit_body(n, ec);
            } else {
                const bool was_header_done = p.header_done();
                n = p.put(piece, ec);
                // The one early return: right after the head, with the body to come.
                if (!ec && !p.done() && n < piece.size()) {
                    EXPECT_TRUE(!was_header_done && p.header_done());
                }
            }
            piece.remove_prefix(n);
            r.consumed += n;
            if (ec) {
                r.ec = ec;
                snapshot();
                std::error_code again;
                EXPECT_EQ(p.put("x", again), 0u); // errors are sticky
                EXPECT_EQ(again, ec);
                return r;
            }
            if (p.done()) {
                snapshot();
                std::error_code ignored;
                EXPECT_EQ(p.put(piece.empty() ? std::string_view("x") : piece, ignored), 0u);
                if (r.messages.size() == opt.max_messages)
                    return r;
                p.reset();
            } else if (n == 0) {
                ADD_FAILURE() << "no progress";
                return r;
            }
        }
    }
    if (opt.eof && p.started()) {
        std::error_code ec;
        p.put_eof(ec);
        r.ec = ec;
        snapshot();
        EXPECT_TRUE(ec || r.messages.back().done);
    } else if (p.started()) {
        snapshot(); // the unfinished response, as far as it went
    }
    return r;
}

// Runs every split and mode; returns the whole-input, buffered result.
run_result grind(std::string_view input, run_options opt = {})
{
    opt.mode = body_mode::buffer;
    const run_result whole = run({input}, opt);
    const std::string expected = describe(whole);
    for (body_mode mode :
         {body_mode::buffer, body_mode::sink, body_mode::window, body_mode::half_window}) {
        opt.mode = mode;
        SCOPED_TRACE(::testing::Message() << "body mode " << static_cast<int>(mode));
        EXPECT_EQ(describe(run({input}, opt)), expected);
        for (std::size_t i = 0; i <= input.size(); ++i) {
            const std::string got = describe(run({input.substr(0, i), input.substr(i)}, opt));
            if (got != expected) {
                ADD_FAILURE() << "split at " << i << "\n" << got << "\n--- expected\n" << expected;
                break;
            }
        }
        std::vector<std::string_view> bytes;
        for (std::size_t i = 0; i < input.size(); ++i)
            bytes.push_back(input.substr(i, 1));
        EXPECT_EQ(describe(run(bytes, opt)), expected) << "one byte at a time";
    }
    return whole;
}

// ---------------------------------------------------------------------------------------
// Valid responses

TEST(http_parser, content_length_body)
{
    const std::string in = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                           "Content-Length: 5\r\n\r\nhello";
    const run_result r = grind(in);
    ASSERT_EQ(r.messages.size(), 1u);
    const message& m = r.messages[0];
    EXPECT_FALSE(r.ec);
    EXPECT_EQ(r.consumed, in.size());
    EXPECT_EQ(m.status, 200u);
    EXPECT_EQ(m.reason, "OK");
    EXPECT_EQ(m.minor, 1u);
    EXPECT_EQ(m.headers, (pairs{{"Content-Type", "text/plain"}, {"Content-Length", "5"}}));
    EXPECT_EQ(m.body, "hello");
    EXPECT_EQ(m.content_length, 5u);
    EXPECT_FALSE(m.chunked);
    EXPECT_TRUE(m.keep_alive);
    EXPECT_TRUE(m.done);
}

TEST(http_parser, bare_lf_line_endings_and_value_whitespace)
{
    const run_result r = grind("HTTP/1.0 404 Not  Found \nX-A: \t spaced  out \t\nEmpty:\n"
                               "X-Obs: caf\xC3\xA9\nContent-Length: 3\n\nabc");
    ASSERT_EQ(r.messages.size(), 1u);
    const message& m = r.messages[0];
    EXPECT_EQ(m.status, 404u);
    EXPECT_EQ(m.reason, "Not  Found ");
    EXPECT_EQ(m.minor, 0u);
    EXPECT_EQ(m.headers, (pairs{{"X-A", "spaced  out"},
                                {"Empty", ""},
                                {"X-Obs", "caf\xC3\xA9"},
                                {"Content-Length", "3"}}));
    EXPECT_EQ(m.body, "abc");
    EXPECT_FALSE(m.keep_alive); // HTTP/1.0 without keep-alive
}

TEST(http_parser, chunked_with_extensions_and_trailers)
{
    const std::string in = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "5;name=value\r\nhello\r\n"
                           "7 ; a = \"q\\\"uo;ted\" ;b\t;c=tok\r\n, world\r\n"
                           "00A\r\n0123456789\r\n"
                           "1\n!\n"
                           "0;last\r\nX-Checksum: abc\r\nX-Other:  x \r\n\r\n";
    const run_result r = grind(in);
    ASSERT_EQ(r.messages.size(), 1u);
    const message& m = r.messages[0];
    EXPECT_FALSE(r.ec);
    EXPECT_EQ(r.consumed, in.size());
    EXPECT_EQ(m.body, "hello, world0123456789!");
    EXPECT_TRUE(m.chunked);
    EXPECT_EQ(m.content_length, std::nullopt);
    EXPECT_TRUE(m.keep_alive);
    EXPECT_EQ(m.trailers, (pairs{{"X-Checksum", "abc"}, {"X-Other", "x"}}));
}

TEST(http_parser, interim_responses_are_skipped)
{
    const run_result r = grind("HTTP/1.1 100 Continue\r\n\r\n"
                               "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                               "HTTP/1.0 102 Processing\nX: y\n\n"
                               "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0].status, 201u);
    EXPECT_EQ(r.messages[0].minor, 1u);
    EXPECT_EQ(r.messages[0].headers, (pairs{{"Content-Length", "2"}}));
    EXPECT_EQ(r.messages[0].body, "ok");
}

TEST(http_parser, switching_protocols_is_final_and_leaves_the_rest)
{
    const std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                             "Content-Length: 9\r\n\r\n";
    run_options opt;
    opt.max_messages = 1;
    const run_result r = grind(head + "\x81\x05hello", opt);
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.consumed, head.size());
    EXPECT_EQ(r.messages[0].status, 101u);
    EXPECT_EQ(r.messages[0].body, "");
    EXPECT_FALSE(r.messages[0].keep_alive);
}

TEST(http_parser, responses_without_a_body)
{
    // HEAD, 204 and 304 end at their head whatever the framing fields say; the rest is
    // the next response (after reset() the HEAD flag is off again).
    run_options head;
    head.head = true;
    const run_result r = grind("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
                               "HTTP/1.1 204\r\nContent-Length: 7\r\n\r\n"           // no reason,
                               "HTTP/1.1 304 \r\nTransfer-Encoding: chunked\r\n\r\n" // empty
                               "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nZ",
                               head);
    ASSERT_EQ(r.messages.size(), 4u);
    EXPECT_FALSE(r.ec);
    EXPECT_EQ(r.messages[0].content_length, 10u);
    EXPECT_EQ(r.messages[0].body, "");
    EXPECT_TRUE(r.messages[0].keep_alive);
    EXPECT_EQ(r.messages[1].status, 204u);
    EXPECT_EQ(r.messages[1].reason, "");
    EXPECT_EQ(r.messages[2].status, 304u);
    EXPECT_EQ(r.messages[2].reason, "");
    EXPECT_FALSE(r.messages[2].chunked);
    EXPECT_EQ(r.messages[3].body, "Z");
}

TEST(http_parser, close_delimited_body)
{
    const run_result r = grind("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n"
                               "until the\r\n\r\nend");
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_FALSE(r.ec);
    EXPECT_EQ(r.messages[0].body, "until the\r\n\r\nend");
    EXPECT_FALSE(r.messages[0].keep_alive);
    EXPECT_TRUE(r.messages[0].done);

    const run_result empty = grind("HTTP/1.1 200 OK\r\n\r\n");
    ASSERT_EQ(empty.messages.size(), 1u);
    EXPECT_TRUE(empty.messages[0].done);
    EXPECT_EQ(empty.messages[0].body, "");
}

TEST(http_parser, pipelined_responses_in_one_buffer)
{
    const std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none";
    const std::string second = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "3\r\ntwo\r\n0\r\n\r\n";
    const std::string third = "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n";
    const run_result r = grind(first + second + third);
    ASSERT_EQ(r.messages.size(), 3u);
    EXPECT_EQ(r.messages[0].body, "one");
    EXPECT_EQ(r.messages[1].body, "two");
    EXPECT_EQ(r.messages[2].status, 500u);
    EXPECT_EQ(r.messages[2].content_length, 0u);

    // put() stops at each end: the head first, then the body up to the next response.
    response_parser p;
    const std::string all = first + second;
    std::error_code ec;
    const std::size_t head = p.put(all, ec);
    EXPECT_EQ(head, first.size() - 3);
    EXPECT_TRUE(p.header_done());
    EXPECT_FALSE(p.done());
    EXPECT_EQ(p.body(), "");
    EXPECT_EQ(p.put(std::string_view(all).substr(head), ec), 3u);
    EXPECT_TRUE(p.done());
    EXPECT_EQ(p.put(std::string_view(all).substr(first.size()), ec), 0u);
    EXPECT_FALSE(ec);
}

TEST(http_parser, framing_fields)
{
    struct expectation {
        const char* head = nullptr;
        bool keep_alive = false;
        bool chunked = false;
        std::optional<std::uint64_t> length{};
    };
    const expectation cases[] = {
        {"1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 005\r\n", true, false, 5},
        {"1.1 200 OK\r\nContent-Length: 5\r\nConnection: Upgrade, close\r\n", false, false, 5},
        {"1.1 200 OK\r\nConnection: x\r\nConnection: close\r\nContent-Length: 5\r\n", false, false,
         5},
        {"1.1 200 OK\r\nX-Connection: close\r\nContent-Length: 5\r\n", true, false, 5},
        {"1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 5\r\n", true, false, 5},
        {"1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 5\r\n", false, false, 5},
        {"1.1 200 OK\r\nTransfer-Encoding: , Chunked ,\r\nContent-Length: 5\r\n", false, true,
         std::nullopt},
        {"1.1 200 OK\r\nTransfer-Encoding:\r\nTransfer-Encoding: chunked\r\n", true, true,
         std::nullopt},
        // HTTP/1.0 and chunked: parsed, but the framing is suspect (RFC 9112 §6.1).
        {"1.0 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n", false, true,
         std::nullopt},
    };
    for (const expectation& c : cases) {
        SCOPED_TRACE(c.head);
        const std::string body = c.chunked ? "5\r\nhello\r\n0\r\n\r\n" : "hello";
        const run_result r = grind(std::string("HTTP/") + c.head + "\r\n" + body);
        ASSERT_EQ(r.messages.size(), 1u);
        EXPECT_FALSE(r.ec);
        EXPECT_EQ(r.messages[0].body, "hello");
        EXPECT_EQ(r.messages[0].keep_alive, c.keep_alive);
        EXPECT_EQ(r.messages[0].chunked, c.chunked);
        EXPECT_EQ(r.messages[0].content_length, c.length);
    }
}

// ---------------------------------------------------------------------------------------
// Malformed responses

void expect_error(error expected, std::string_view head,
                  std::initializer_list<std::string_view> inputs)
{
    for (std::string_view input : inputs) {
        const run_result r = grind(std::string(head).append(input));
        EXPECT_EQ(r.ec, http::make_error_code(expected)) << escape(input) << ": " << r.ec.message();
    }
}

TEST(http_parser, bad_status_lines)
{
    expect_error(error::bad_status_line, "",
                 {"HTTX/1.1 200 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n",
                  "\r\nHTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n",
                  "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n",
                  "HTTP/1.1 099 Low\r\n\r\n", "HTTP/1.1 600 High\r\n\r\n",
                  "HTTP/1.1 200 O\x01K\r\n\r\n", "HTTP/1.1 200 OK\rX\r\n\r\n",
                  "HTTP/1.1 200 OK\r\r\n\r\n"});
    expect_error(error::bad_version, "",
                 {"HTTP/2.0 200 OK\r\n\r\n", "HTTP/1.2 200 OK\r\n\r\n", "HTTP/0.9 200 OK\r\n\r\n",
                  "HTTP/11 200 OK\r\n\r\n", "HTTP/1.1\t200 OK\r\n\r\n"});
}

TEST(http_parser, bad_header_fields)
{
    expect_error(error::bad_header, "HTTP/1.1 200 OK\r\n",
                 {"X-A : b\r\n\r\n", " X-A: b\r\n\r\n", "X-A: b\r\n folded\r\n\r\n",
                  "X-A: b\r\n\tfolded\r\n\r\n", "NoColon\r\n\r\n", ": no name\r\n\r\n",
                  "X\x80Y: v\r\n\r\n", "X(Y): v\r\n\r\n", "X: a\x01z\r\n\r\n", "X: a\x7f\r\n\r\n",
                  "X: a\0z\r\n\r\n"sv, "X: a\rb\r\n\r\n", "X: a\r\r\n\r\n", "X: ok\r\n\r\r\n"});
}

TEST(http_parser, bad_framing_fields)
{
    expect_error(error::bad_content_length, "HTTP/1.1 200 OK\r\n",
                 {"Content-Length: abc\r\n\r\n", "Content-Length: -1\r\n\r\n",
                  "Content-Length: +1\r\n\r\n", "Content-Length: 0x10\r\n\r\n",
                  "Content-Length:\r\n\r\n", "Content-Length: 5,\r\n\r\n",
                  "Content-Length: 5 5\r\n\r\n", "Content-Length: 5, 6\r\n\r\n",
                  "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
                  "Content-Length: 18446744073709551616\r\n\r\n"});
    expect_error(error::bad_transfer_encoding, "HTTP/1.1 200 OK\r\n",
                 {"Transfer-Encoding: gzip\r\n\r\n", "Transfer-Encoding: gzip, chunked\r\n\r\n",
                  "Transfer-Encoding: chunked, gzip\r\n\r\n",
                  "Transfer-Encoding: chunked, chunked\r\n\r\n",
                  "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                  "Transfer-Encoding: chunked;q=1\r\n\r\n", "Transfer-Encoding: , \r\n\r\n"});
}

TEST(http_parser, bad_chunks)
{
    expect_error(error::bad_chunk, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                 {"zz\r\n", "\r\n", "-5\r\n", "0x5\r\nhello\r\n0\r\n\r\n", "10000000000000000\r\n",
                  "5\r\nhelloX\r\n0\r\n\r\n", "5\r\nhello\rX0\r\n\r\n", "5\r\nhello\r\r\n0\r\n\r\n",
                  "5 x\r\nhello\r\n", "5;\r\nhello\r\n", "5;=x\r\nhello\r\n", "5;a=\r\nhello\r\n",
                  "5;a=\"open\r\nhello\r\n", "5;a=\"x\"y\r\nhello\r\n", "5;a=\"\x01\"\r\nhello\r\n",
                  "5;a=\"\\\r\nhello\r\n", "5;a\rb\r\nhello\r\n", "5\r\r\nhello\r\n"});
    expect_error(error::bad_header, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                 {"0\r\nBad Trailer: x\r\n\r\n", "0\r\n folded\r\n\r\n"});
}

TEST(http_parser, end_of_stream_in_the_middle)
{
    expect_error(error::length_mismatch, "",
                 {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
                  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"});
    expect_error(error::premature_end, "",
                 {"HTTP/1.1 200 OK\r\nContent-", "HTTP/1.1 200 OK\r\n",
                  "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r", "HTTP/1.1 100 Continue\r\n\r\n",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n"});
}

// ---------------------------------------------------------------------------------------
// Limits

TEST(http_parser, header_limit_counts_the_head_and_the_trailers_apart)
{
    const std::string head = "HTTP/1.1 200 OK\r\nX-Pad: 0123456789\r\nContent-Length: 0\r\n\r\n";
    run_options opt;
    opt.limits.header_limit = head.size();
    EXPECT_FALSE(grind(head, opt).ec);
    opt.limits.header_limit = head.size() - 1;
    EXPECT_EQ(grind(head, opt).ec, error::header_limit_exceeded);
    // A line that never ends is stopped by the limit, not buffered without bound.
    EXPECT_EQ(grind("HTTP/1.1 200 OK\r\nX-Pad: " + std::string(100, 'a'), opt).ec,
              error::header_limit_exceeded);

    // Each interim head has its own budget.
    opt.limits.header_limit = head.size();
    EXPECT_FALSE(grind("HTTP/1.1 100 Continue\r\nX-Pad: 0123456789\r\n\r\n" + head, opt).ec);

    const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string trailers = "X-Trailer-One: 0123456789\r\nX-Trailer-Two: 0123456789\r\n\r\n";
    opt.limits.header_limit = trailers.size();
    ASSERT_LT(chunked.size(), trailers.size());
    const run_result ok = grind(chunked + "1\r\nx\r\n0\r\n" + trailers, opt);
    EXPECT_FALSE(ok.ec);
    EXPECT_EQ(ok.messages.at(0).trailers.size(), 2u);
    opt.limits.header_limit = trailers.size() - 1;
    EXPECT_EQ(grind(chunked + "1\r\nx\r\n0\r\n" + trailers, opt).ec, error::header_limit_exceeded);
}

TEST(http_parser, body_limit_buffered_and_streamed)
{
    // grind() runs the sink mode too: the limit applies to streamed bodies alike.
    run_options opt;
    opt.limits.body_limit = 10;
    const std::string ten(10, 'b');

    const std::string length = "HTTP/1.1 200 OK\r\nContent-Length: ";
    EXPECT_EQ(grind(length + "10\r\n\r\n" + ten, opt).messages.at(0).body, ten);
    const run_result too_long = grind(length + "11\r\n\r\n" + ten + "b", opt);
    EXPECT_EQ(too_long.ec, error::body_limit_exceeded);
    EXPECT_TRUE(too_long.messages.at(0).header_done); // the status is there to see
    EXPECT_EQ(too_long.messages.at(0).body, "");

    const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    EXPECT_FALSE(grind(chunked + "6\r\nbbbbbb\r\n4\r\nbbbb\r\n0\r\n\r\n", opt).ec);
    const run_result chunks = grind(chunked + "6\r\nbbbbbb\r\n5\r\nbbbbb\r\n0\r\n\r\n", opt);
    EXPECT_EQ(chunks.ec, error::body_limit_exceeded);
    EXPECT_EQ(chunks.messages.at(0).body, "bbbbbb"); // stopped at the size line

    const std::string close = "HTTP/1.1 200 OK\r\n\r\n";
    EXPECT_EQ(grind(close + ten, opt).messages.at(0).body, ten);
    const run_result eof = grind(close + ten + "b", opt);
    EXPECT_EQ(eof.ec, error::body_limit_exceeded);
    EXPECT_EQ(eof.messages.at(0).body, ten); // exactly up to the limit, however split

    opt.limits.body_limit = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(grind(close + ten, opt).messages.at(0).body, ten);
}

TEST(http_parser, chunk_extension_limit)
{
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string ext = ";name=\"" + std::string(20, 'v') + "\"";
    run_options opt;
    opt.limits.chunk_extension_limit = ext.size();
    for (const char* eol : {"\r\n", "\n"}) {
        const std::string line = "00005" + ext + eol;
        EXPECT_FALSE(grind(head + line + "hello\r\n0" + ext + eol + "\r\n", opt).ec);
        EXPECT_EQ(grind(head + "5" + ext + " " + eol + "hello\r\n0\r\n\r\n", opt).ec,
                  error::chunk_extension_limit_exceeded);
    }
    // The limit holds for a line that never ends, and for the last chunk's line.
    EXPECT_EQ(grind(head + "5;" + std::string(200, 'x'), opt).ec,
              error::chunk_extension_limit_exceeded);
    EXPECT_EQ(grind(head + "0" + ext + ";b\r\n\r\n", opt).ec,
              error::chunk_extension_limit_exceeded);
    // Leading zeros of the size are not extensions.
    EXPECT_FALSE(grind(head + std::string(100, '0') + "1\r\nx\r\n0\r\n\r\n", opt).ec);
}

// ---------------------------------------------------------------------------------------
// Body delivery

TEST(http_parser, sink_errors_stop_parsing)
{
    response_parser p;
    std::string got;
    p.set_body_sink([&](std::string_view piece, std::error_code& ec) {
        got.append(piece);
        ec = std::make_error_code(std::errc::no_space_on_device);
    });
    std::error_code ec;
    const std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd";
    const std::size_t head = p.put(in, ec);
    EXPECT_EQ(p.put(std::string_view(in).substr(head, 2), ec), 2u);
    EXPECT_EQ(ec, std::errc::no_space_on_device);
    EXPECT_EQ(got, "ab");
    EXPECT_EQ(p.put(std::string_view(in).substr(head + 2), ec), 0u);
    EXPECT_EQ(ec, std::errc::no_space_on_device);
    p.put_eof(ec);
    EXPECT_EQ(ec, std::errc::no_space_on_device);

    // reset() keeps the sink and clears the error.
    p.reset();
    got.clear();
    p.put("HTTP/1.1 204 No Content\r\n\r\n", ec);
    EXPECT_FALSE(ec);
    EXPECT_TRUE(p.done());
}

TEST(http_parser, large_chunks_go_out_in_one_piece)
{
    const std::string data(1 << 20, 'c');
    char size[32];
    std::snprintf(size, sizeof size, "%zx", data.size());
    const std::string in = std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") +
                           size + "\r\n" + data + "\r\n0\r\n\r\n";
    response_parser p;
    std::vector<std::size_t> pieces;
    p.set_body_sink(
        [&](std::string_view piece, std::error_code&) { pieces.push_back(piece.size()); });
    std::error_code ec;
    std::size_t used = p.put(in, ec);
    used += p.put(std::string_view(in).substr(used), ec);
    EXPECT_FALSE(ec);
    EXPECT_TRUE(p.done());
    EXPECT_EQ(used, in.size());
    EXPECT_EQ(pieces, std::vector<std::size_t>{data.size()});
    EXPECT_EQ(p.body_bytes(), data.size());
}

TEST(http_parser, large_body_is_reserved_once_and_received_in_bulk)
{
    // 5 MB in 64 KiB pieces: the first half through put(), the rest read in place
    // through body_window(). The body is reserved once and never moves.
    std::string body(5 << 20, '\0');
    for (std::size_t i = 0; i < body.size(); ++i)
        body[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    response_parser p;
    std::error_code ec;
    EXPECT_TRUE(p.body_window(100).empty()); // no head yet
    ASSERT_EQ(p.put(head + body.substr(0, 10), ec), head.size());
    std::size_t sent = 0;
    const char* storage = nullptr;
    while (!p.done() && !ec) {
        const std::size_t piece = std::min<std::size_t>(64 * 1024, body.size() - sent);
        if (sent < body.size() / 2) {
            ASSERT_EQ(p.put(std::string_view(body).substr(sent, piece), ec), piece);
        } else {
            const std::span<char> w = p.body_window(64 * 1024);
            ASSERT_EQ(w.size(), piece);
            std::memcpy(w.data(), body.data() + sent, w.size());
            p.commit_body(w.size(), ec);
        }
        sent += piece;
        storage = storage ? storage : p.body().data();
        ASSERT_EQ(p.body().data(), storage) << "the body moved at " << sent;
        EXPECT_GE(p.body().capacity(), body.size());
    }
    EXPECT_FALSE(ec);
    EXPECT_TRUE(p.done());
    EXPECT_EQ(sent, body.size());
    EXPECT_TRUE(p.body() == body);
    EXPECT_TRUE(p.body_window(100).empty()); // done
}

TEST(http_parser, body_window_follows_chunks)
{
    response_parser p;
    std::error_code ec;
    std::string in = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n";
    std::size_t used = p.put(in, ec);
    used += p.put(std::string_view(in).substr(used), ec);
    ASSERT_EQ(used, in.size());

    std::span<char> w = p.body_window(100);
    ASSERT_EQ(w.size(), 4u); // no further than the chunk
    std::memcpy(w.data(), "abXX", 4);
    p.commit_body(2, ec); // a short read
    EXPECT_EQ(p.body(), "ab");
    EXPECT_EQ(p.body_bytes(), 2u);

    w = p.body_window(100);
    ASSERT_EQ(w.size(), 2u);
    w = p.body_window(1); // a new window replaces the old one
    ASSERT_EQ(w.size(), 1u);
    w[0] = 'c';
    p.commit_body(1, ec);
    EXPECT_EQ(p.body(), "abc"); // exact: body() takes back what was lent and not filled
    w = p.body_window(100);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(p.put("d", ec), 1u); // put() abandons the window
    EXPECT_EQ(p.body(), "abcd");
    EXPECT_TRUE(p.body_window(100).empty()); // the CRLF after the data is not body

    EXPECT_EQ(p.put("\r\n0\r\n\r\n", ec), 7u);
    EXPECT_TRUE(p.done());
    EXPECT_EQ(p.body(), "abcd");

    // Close-delimited bodies and sinks have no windows.
    p.reset();
    p.put("HTTP/1.1 200 OK\r\n\r\n", ec);
    EXPECT_TRUE(p.body_window(100).empty());
    p.reset();
    p.set_body_sink([](std::string_view, std::error_code&) {});
    p.put("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", ec);
    EXPECT_TRUE(p.body_window(100).empty());
}

TEST(http_parser, reset_forgets_the_previous_response)
{
    // Nothing received: a close, which the caller can tell apart with started().
    response_parser p;
    std::error_code ec;
    p.put_eof(ec);
    EXPECT_EQ(ec, error::premature_end);
    EXPECT_FALSE(p.started());
    p.reset();
    p.set_head_request(true);
    p.put("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX: y\r\n\r\n", ec);
    ASSERT_TRUE(p.done());
    p.put_eof(ec); // once done, the end of stream changes nothing
    EXPECT_FALSE(ec);
    p.reset();
    EXPECT_FALSE(p.started());
    EXPECT_FALSE(p.header_done());
    EXPECT_FALSE(p.done());
    EXPECT_EQ(p.status(), 0u);
    EXPECT_TRUE(p.headers().empty());
    EXPECT_EQ(p.content_length(), std::nullopt);
    // The HEAD flag is gone: this body is read.
    std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
    const std::size_t n = p.put(in, ec);
    p.put(std::string_view(in).substr(n), ec);
    EXPECT_TRUE(p.done());
    EXPECT_EQ(p.body(), "abc");
}

} // namespace
