// libFuzzer target for the HTTP/1.x response parser. Built by clang only
// (IMAGINE_BUILD_FUZZ); ctest runs it for a fixed number of inputs from a fixed seed.
//
// Input: one byte of options (HEAD request, small limits, how the body is received,
// whether the peer closes at the end), two bytes choosing a split point, then the bytes
// the server sent. Properties checked on every input:
// - parsing never crashes, leaks or overflows (the sanitizers watch);
// - the bytes fed whole, split in two at the chosen point, and one byte at a time give
//   the same responses (status, fields, body, trailers) and the same error, whether the
//   body is buffered, streamed to a sink or received through body_window();
// - put() never claims more bytes than it was given, and body_bytes() matches the body.

#include <imagine/http/parser.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

namespace {

namespace http = imagine::http;

constexpr std::size_t npos = std::string_view::npos;

enum class body_mode { buffer, sink, window, half_window };

struct options {
    http::parser_limits limits{};
    bool head = false;
    bool eof = false;
    body_mode mode = body_mode::buffer;
};

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "http_parser_fuzz: %s\n", what);
    std::abort();
}

void describe_fields(std::string& out, const http::fields& f)
{
    for (const auto& field : f) {
        out += field.name;
        out += '\0';
        out += field.value;
        out += '\0';
    }
    out += '\n';
}

// Everything observable about the responses, as one string.
// The input in two pieces split at `split`, or one byte at a time when split is npos.
std::string run(std::string_view in, std::size_t split, const options& opt)
{
    http::response_parser p(opt.limits);
    p.set_head_request(opt.head);
    std::string sunk;
    if (opt.mode == body_mode::sink)
        p.set_body_sink([&](std::string_view piece, std::error_code&) { sunk.append(piece); });
    std::string out;
    std::size_t consumed = 0;
    const auto snapshot = [&] {
        out += std::to_string(p.status()) + ' ' + std::string(p.reason()) + ' ' +
               std::to_string(p.version_minor()) + (p.header_done() ? " H" : " -") +
               (p.done() ? "D" : "-");
        if (p.header_done()) {
            out += p.keep_alive() ? 'K' : '-';
            out += p.chunked() ? 'C' : '-';
            out += p.content_length() ? std::to_string(*p.content_length()) : "none";
        }
        out += '\n';
        describe_fields(out, p.headers());
        describe_fields(out, p.trailers());
        const std::string& body = opt.mode == body_mode::sink ? sunk : p.body();
        if (p.body_bytes() != body.size())
            fail("body_bytes() differs from the body's size");
        out += body;
        out += '\n';
        sunk.clear();
    };
    const auto finish = [&](std::error_code ec) {
        out += "error: " + ec.message();
        if (!ec)
            out += " consumed " + std::to_string(consumed);
        return out;
    };
    for (std::size_t at = 0; at < in.size();) {
        const std::size_t end = split == npos ? at + 1 : at < split ? split : in.size();
        std::string_view piece = in.substr(at, end - at);
        at = end;
        while (!piece.empty()) {
            std::error_code ec;
            std::size_t n = 0;
            std::span<char> window;
            if (opt.mode == body_mode::window || opt.mode == body_mode::half_window)
                window = p.body_window(piece.size());
            if (!window.empty()) {
                if (window.size() > piece.size())
                    fail("window larger than asked for");
                n = opt.mode == body_mode::window ? window.size() : (window.size() + 1) / 2;
                std::memcpy(window.data(), piece.data(), n);
                p.commit_body(n, ec);
            } else {
                n = p.put(piece, ec);
            }
            if (n > piece.size())
                fail("put() consumed more than it was given");
            piece.remove_prefix(n);
            consumed += n;
            if (ec) {
                snapshot();
                return finish(ec);
            }
            if (p.done()) {
                snapshot();
                p.reset();
            } else if (n == 0) {
                fail("no progress");
            }
        }
    }
    std::error_code ec;
    if (opt.eof && p.started()) {
        p.put_eof(ec);
        snapshot();
    } else if (p.started()) {
        snapshot();
    }
    return finish(ec);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 3)
        return 0;
    options opt;
    const std::uint8_t flags = data[0];
    opt.head = flags & 1;
    opt.eof = flags & 2;
    if (flags & 4) {
        opt.limits.header_limit = 64 + (flags >> 5) * 16;
        opt.limits.body_limit = 16 + (flags >> 5) * 8;
        opt.limits.chunk_extension_limit = (flags >> 5) * 2;
    }
    const std::size_t split_at = static_cast<std::size_t>(data[1] | data[2] << 8);
    // Every state and limit is reachable in 512 bytes (the limits are small when asked
    // for); the cut keeps the byte-at-a-time run cheap enough for ctest's fixed run count.
    const std::string_view in(reinterpret_cast<const char*>(data + 3),
                              std::min<std::size_t>(size - 3, 512));
    const std::size_t split = in.empty() ? 0 : split_at % (in.size() + 1);

    // Whole and buffered is the reference; the other two runs each use a body mode of
    // their own, so that one difference in any of them shows.
    const std::string whole = run(in, in.size(), opt);
    opt.mode = static_cast<body_mode>((flags >> 3) & 3);
    if (run(in, split, opt) != whole)
        fail("split input (or another body mode) parses differently");
    opt.mode = static_cast<body_mode>(((flags >> 3) + 1) & 3);
    if (run(in, npos, opt) != whole)
        fail("input fed a byte at a time (or another body mode) parses differently");
    return 0;
}
