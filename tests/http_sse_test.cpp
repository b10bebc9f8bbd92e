#include <imagine/http/sse.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace http = imagine::http;
using namespace std::string_view_literals;
using http::sse_decoder;
using http::sse_event;

struct result {
    std::vector<sse_event> events{};
    std::error_code ec{};
    std::string last_event_id{};
    std::optional<std::uint64_t> retry{};
};

std::string escape(std::string_view s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string describe(const result& r)
{
    std::ostringstream out;
    for (const sse_event& e : r.events)
        out << "[" << escape(e.event) << "|" << escape(e.data) << "|" << escape(e.id) << "]\n";
    out << "ec=" << r.ec.message() << " last_id=" << escape(r.last_event_id)
        << " retry=" << (r.retry ? std::to_string(*r.retry) : "-");
    return out.str();
}

result decode(const std::vector<std::string_view>& pieces, http::sse_options options = {})
{
    sse_decoder d(options);
    result r;
    for (std::string_view piece : pieces) {
        d.put(piece, r.ec);
        while (d.has_event())
            r.events.push_back(d.take_event());
        if (r.ec)
            break;
    }
    if (r.ec) {
        std::error_code again;
        d.put("data: x\n\n", again); // failed until reset()
        EXPECT_EQ(again, r.ec);
        EXPECT_FALSE(d.has_event());
    }
    d.finish();
    EXPECT_FALSE(d.has_event()); // a pending event without its blank line is dropped
    r.last_event_id = d.last_event_id();
    r.retry = d.retry();
    return r;
}

// The stream whole, split in two at every byte, in three at every pair of bytes (short
// streams), and one byte at a time: all must decode alike. Returns the whole result.
result grind(std::string_view in, http::sse_options options = {})
{
    const result whole = decode({in}, options);
    const std::string expected = describe(whole);
    for (std::size_t i = 0; i <= in.size(); ++i) {
        const std::string got = describe(decode({in.substr(0, i), in.substr(i)}, options));
        if (got != expected) {
            ADD_FAILURE() << "split at " << i << ":\n" << got << "\n--- expected\n" << expected;
            break;
        }
    }
    if (in.size() <= 64) {
        for (std::size_t i = 0; i <= in.size(); ++i)
            for (std::size_t j = i; j <= in.size(); ++j) {
                const std::string got =
                    describe(decode({in.substr(0, i), in.substr(i, j - i), in.substr(j)}, options));
                if (got != expected) {
                    ADD_FAILURE() << "split at " << i << "," << j << ":\n" << got;
                    return whole;
                }
            }
    }
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < in.size(); ++i)
        bytes.push_back(in.substr(i, 1));
    EXPECT_EQ(describe(decode(bytes, options)), expected) << "one byte at a time";
    return whole;
}

std::vector<std::string> data_of(const result& r)
{
    std::vector<std::string> out;
    for (const sse_event& e : r.events)
        out.push_back(e.data);
    return out;
}

using strings = std::vector<std::string>;

TEST(http_sse, data_lines_join_with_newlines)
{
    const result r = grind("data: hello\n\n"
                           "data: a\ndata:b\ndata\ndata:  two spaces\ndata: \n\n");
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_EQ(r.events[0].event, "message");
    EXPECT_EQ(r.events[0].data, "hello");
    EXPECT_EQ(r.events[0].id, "");
    // One space after the colon is dropped, no more; "data" alone is an empty line.
    EXPECT_EQ(r.events[1].data, "a\nb\n\n two spaces\n");
    EXPECT_FALSE(r.ec);
}

TEST(http_sse, line_endings_cr_lf_and_crlf)
{
    const result r = grind("data: a\rdata: b\r\r"
                           "data: c\r\ndata: d\r\n\r\n"
                           "data: e\ndata: f\r\n\r"
                           "data: g\r\r\n");
    EXPECT_EQ(data_of(r), (strings{"a\nb", "c\nd", "e\nf", "g"}));
    // A CR and an LF in two pieces are still one line ending: one event, not two.
    EXPECT_EQ(data_of(decode({"data: a\r", "\ndata: b\r", "\n\r", "\n"})), (strings{"a\nb"}));
    EXPECT_EQ(data_of(decode({"data: a\r", "\r", "\n"})), (strings{"a"}));
}

TEST(http_sse, event_type_and_empty_events)
{
    const result r = grind("event: add\ndata: 1\n\n"
                           "data: 2\n\n"     // the type does not carry over
                           "event: lost\n\n" // no data: nothing, and the type is reset
                           "data: 3\n\n"
                           "event: x\nevent: y\ndata: 4\n\n"
                           "event\ndata: 5\n\n"); // empty type: "message"
    ASSERT_EQ(r.events.size(), 5u);
    EXPECT_EQ(r.events[0].event, "add");
    EXPECT_EQ(r.events[1].event, "message");
    EXPECT_EQ(r.events[2].event, "message");
    EXPECT_EQ(r.events[2].data, "3");
    EXPECT_EQ(r.events[3].event, "y");
    EXPECT_EQ(r.events[4].event, "message");
    EXPECT_EQ(grind("\n\n\r\n\r").events.size(), 0u);
}

TEST(http_sse, comments_and_unknown_fields_are_ignored)
{
    const result r = grind(": ping\n\n"
                           ":\n"
                           "data: a\n"
                           ": comment inside an event\n"
                           "foo: bar\n"
                           "Data: case matters\n"
                           "datadata: too long a name\n"
                           "dat: short\n"
                           " data: leading space\n"
                           "data : space before colon\n"
                           "data: b\n\n");
    EXPECT_EQ(data_of(r), (strings{"a\nb"}));
}

TEST(http_sse, last_event_id)
{
    const result r = grind("id: 1\ndata: a\n\n"
                           "data: b\n\n"                // the ID stays
                           "id: bad\0id\ndata: c\n\n"sv // NUL: the field is ignored
                           "id: 2\n\n"                  // no event, yet the ID is the stream's
                           "data: d\nid\n\n");          // "id" alone clears it
    ASSERT_EQ(r.events.size(), 4u);
    EXPECT_EQ(r.events[0].id, "1");
    EXPECT_EQ(r.events[1].id, "1");
    EXPECT_EQ(r.events[2].id, "1");
    EXPECT_EQ(r.events[3].id, "");
    EXPECT_EQ(r.last_event_id, "");
    EXPECT_EQ(grind("data: a\n\nid: 7\n\n").last_event_id, "7");
    // Set at the blank line, not before: an ID in an unfinished event does not count.
    EXPECT_EQ(grind("id: 1\n\nid: 2\ndata: x\n").last_event_id, "1");
}

TEST(http_sse, retry)
{
    EXPECT_EQ(grind("retry: 3000\n").retry, 3000u);
    EXPECT_EQ(grind("retry:0\n").retry, 0u);
    EXPECT_EQ(grind("retry: 1000\nretry: 30a\nretry: \nretry\nretry: -1\nretry:  5\n").retry,
              1000u);
    EXPECT_EQ(grind("retry: 18446744073709551616\n").retry, std::nullopt);
    EXPECT_EQ(grind("retry: 18446744073709551615\n").retry, 18446744073709551615u);
    EXPECT_EQ(grind("retry: 10\nretry: 20\n").retry, 20u);
    EXPECT_EQ(grind("retry: 10").retry, std::nullopt); // the line never ended
}

TEST(http_sse, byte_order_mark)
{
    EXPECT_EQ(data_of(grind("\xEF\xBB\xBF"
                            "data: x\n\n")),
              (strings{"x"}));
    // Only one, only at the start: a second is part of the field name.
    EXPECT_EQ(data_of(grind("\xEF\xBB\xBF\xEF\xBB\xBF"
                            "data: x\n\ndata: y\n\n")),
              (strings{"y"}));
    EXPECT_EQ(data_of(grind("data: x\n\n\xEF\xBB\xBF"
                            "data: y\n\n")),
              (strings{"x"}));
    // Bytes that start like a BOM but are not one stay in the stream.
    EXPECT_EQ(data_of(grind("\xEF"
                            "data: x\n\ndata: y\n\n")),
              (strings{"y"}));
    EXPECT_EQ(data_of(grind("\xEF\xBB"
                            "data: x\n\ndata: y\n\n")),
              (strings{"y"}));
    EXPECT_EQ(data_of(grind("\xEF\xBB\n"
                            "data: y\n\n")),
              (strings{"y"}));
    EXPECT_EQ(data_of(grind("\xEF\xBB\xBF\n"
                            "data: y\n\n")),
              (strings{"y"}));
}

TEST(http_sse, events_queue_in_order)
{
    sse_decoder d;
    std::error_code ec;
    d.put("data: 1\n\ndata: 2\n\nevent: e\ndata: 3\nid: i\n\ndata: 4", ec);
    EXPECT_FALSE(ec);
    EXPECT_EQ(d.pending_events(), 3u);
    EXPECT_EQ(d.take_event().data, "1");
    EXPECT_EQ(d.take_event().data, "2");
    const sse_event third = d.take_event();
    EXPECT_EQ(third.data, "3");
    EXPECT_EQ(third.event, "e");
    EXPECT_EQ(third.id, "i");
    EXPECT_FALSE(d.has_event());
    d.put("\n\n", ec);
    EXPECT_EQ(d.take_event().data, "4");
}

TEST(http_sse, finish_drops_the_unfinished_event_and_starts_a_new_stream)
{
    sse_decoder d;
    std::error_code ec;
    d.put("retry: 5\nid: 9\ndata: kept\n\nevent: t\ndata: lost\n", ec);
    d.finish();
    EXPECT_EQ(d.pending_events(), 1u);
    EXPECT_EQ(d.last_event_id(), "9");
    EXPECT_EQ(d.retry(), 5u);
    d.put("\xEF\xBB\xBF"
          "data: new\n\n",
          ec); // a new stream may start with a BOM
    EXPECT_FALSE(ec);
    ASSERT_EQ(d.pending_events(), 2u);
    EXPECT_EQ(d.take_event().data, "kept");
    const sse_event e = d.take_event();
    EXPECT_EQ(e.data, "new");
    EXPECT_EQ(e.event, "message");
    EXPECT_EQ(e.id, "9");

    d.put("data: half", ec);
    d.finish();
    d.put("\n\n", ec);
    EXPECT_FALSE(d.has_event());

    d.put("id: 3\ndata: x\n\n", ec);
    d.reset();
    EXPECT_FALSE(d.has_event());
    EXPECT_EQ(d.last_event_id(), "");
    EXPECT_EQ(d.retry(), std::nullopt);
}

TEST(http_sse, max_event_size)
{
    // The measure: data (with a "\n" per line) + type + the current line's other bytes.
    // "data: 0123" peaks at 6 + 4 = 10; after it, 5 bytes of data stay.
    http::sse_options o;
    o.max_event_size = 10;
    EXPECT_EQ(data_of(grind("data: 0123\n\n", o)), (strings{"0123"}));
    EXPECT_EQ(data_of(grind("data: 0123\ndata\n\ndata: 0123\n\n", o)), (strings{"0123\n", "0123"}));
    o.max_event_size = 9;
    const result r = grind("data: ok\n\ndata: 0123\n\ndata: never\n\n", o);
    EXPECT_EQ(r.ec, http::error::event_too_large);
    EXPECT_EQ(data_of(r), (strings{"ok"})); // events before the error are kept

    o.max_event_size = 16;
    EXPECT_EQ(grind("event: ab\ndata: 012345678\n\n", o).ec, http::error::event_too_large);
    EXPECT_FALSE(grind("event: ab\ndata: 01234567\n\n", o).ec);
    EXPECT_EQ(grind(": a comment that is too long\n", o).ec, http::error::event_too_large);
    EXPECT_EQ(grind("data: 0123456789abcdef", o).ec, http::error::event_too_large);
    EXPECT_FALSE(grind(": a comment\n\n: another one\n\n", o).ec);

    sse_decoder d(o);
    std::error_code ec;
    d.put("data: 0123456789abcdef\n\n", ec);
    EXPECT_EQ(ec, http::error::event_too_large);
    d.reset();
    d.put("data: fine\n\n", ec);
    EXPECT_FALSE(ec);
    EXPECT_EQ(d.take_event().data, "fine");
}

TEST(http_sse, huge_data_line_in_pieces)
{
    // An image: one 20 MB data line. Its first and last 4 KiB come a byte at a time,
    // the rest in 4 KiB pieces, with the CRLF split; the data must arrive whole.
    std::string line(20 << 20, '\0');
    for (std::size_t i = 0; i < line.size(); ++i)
        line[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i * 31 % 64];
    const std::string stream = "event: image\r\ndata: " + line + "\r\n\r\n";

    sse_decoder d;
    std::error_code ec;
    std::size_t at = 0;
    const auto feed = [&](std::size_t n) {
        d.put(std::string_view(stream).substr(at, n), ec);
        ASSERT_FALSE(ec);
        at += n;
    };
    while (at < 4096)
        feed(1);
    while (stream.size() - at > 4096)
        feed(std::min<std::size_t>(4096, stream.size() - 4096 - at));
    while (at < stream.size())
        feed(1);
    ASSERT_EQ(d.pending_events(), 1u);
    const sse_event e = d.take_event();
    EXPECT_EQ(e.event, "image");
    EXPECT_EQ(e.data.size(), line.size());
    EXPECT_TRUE(e.data == line);

    // And in one piece, with a limit just large enough.
    http::sse_options o;
    o.max_event_size = line.size() + 6 + 5;
    sse_decoder limited(o);
    limited.put(stream, ec);
    EXPECT_FALSE(ec);
    EXPECT_EQ(limited.pending_events(), 1u);
}

} // namespace
