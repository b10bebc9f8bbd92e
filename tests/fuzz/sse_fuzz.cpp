// libFuzzer target for the server-sent events decoder. Built by clang only
// (IMAGINE_BUILD_FUZZ); ctest runs it for a fixed number of inputs from a fixed seed.
//
// Input: one byte choosing max_event_size (0: unlimited), two bytes choosing a split
// point, then the stream. Properties checked on every input:
// - decoding never crashes, leaks or overflows (the sanitizers watch);
// - the stream whole, split in two at the chosen point, and one byte at a time decode to
//   the same events, last event ID, retry time and error;
// - without a size limit, the events are those of a plain transcription of the WHATWG
//   algorithm below, which sees the whole stream at once.

#include <imagine/http/sse.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace {

namespace http = imagine::http;

constexpr std::size_t npos = std::string_view::npos;

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "sse_fuzz: %s\n", what);
    std::abort();
}

void describe_event(std::string& out, std::string_view type, std::string_view data,
                    std::string_view id)
{
    out.append(type).append(1, '\0').append(data).append(1, '\0').append(id).append(1, '\n');
}

std::string describe_end(std::string& out, std::error_code ec, std::string_view last_id,
                         std::optional<std::uint64_t> retry)
{
    out += "error: " + ec.message() + " last id: " + std::string(last_id) +
           " retry: " + (retry ? std::to_string(*retry) : "none");
    return out;
}

// The input in two pieces split at `split`, or one byte at a time when split is npos.
std::string run(std::string_view in, std::size_t split, http::sse_options options)
{
    http::sse_decoder d(options);
    std::string out;
    std::error_code ec;
    for (std::size_t at = 0; at < in.size();) {
        const std::size_t end = split == npos ? at + 1 : at < split ? split : in.size();
        std::string_view piece = in.substr(at, end - at);
        at = end;
        d.put(piece, ec);
        while (d.has_event()) {
            const http::sse_event e = d.take_event();
            describe_event(out, e.event, e.data, e.id);
        }
        if (ec)
            break;
    }
    d.finish();
    if (d.has_event())
        fail("finish() dispatched an event");
    return describe_end(out, ec, d.last_event_id(), d.retry());
}

// The event stream interpretation, line by line over the whole stream.
std::string reference(std::string_view s)
{
    if (s.substr(0, 3) == "\xEF\xBB\xBF")
        s.remove_prefix(3);
    std::string out, data, type, id_buffer, last_id;
    std::optional<std::uint64_t> retry;
    while (true) {
        const std::size_t eol = s.find_first_of("\r\n");
        if (eol == std::string_view::npos)
            break; // an unfinished line is dropped with the pending event
        const std::string_view line = s.substr(0, eol);
        s.remove_prefix(eol + (s.substr(eol, 2) == "\r\n" ? 2 : 1));
        if (line.empty()) {
            last_id = id_buffer;
            if (!data.empty()) {
                data.pop_back();
                describe_event(out, type.empty() ? "message" : type, data, id_buffer);
            }
            data.clear();
            type.clear();
            continue;
        }
        if (line[0] == ':')
            continue;
        const std::size_t colon = line.find(':');
        const std::string_view name = line.substr(0, colon);
        std::string_view value =
            colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ')
            value.remove_prefix(1);
        if (name == "event") {
            type = value;
        } else if (name == "data") {
            data.append(value);
            data += '\n';
        } else if (name == "id") {
            if (value.find('\0') == std::string_view::npos)
                id_buffer = value;
        } else if (name == "retry" && !value.empty() &&
                   value.find_first_not_of("0123456789") == std::string_view::npos) {
            std::uint64_t ms = 0;
            bool overflow = false;
            for (char c : value) {
                const auto digit = static_cast<std::uint64_t>(c - '0');
                overflow = overflow || ms > (UINT64_MAX - digit) / 10;
                ms = ms * 10 + digit;
            }
            if (!overflow)
                retry = ms;
        }
    }
    return describe_end(out, {}, last_id, retry);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 3)
        return 0;
    http::sse_options options;
    options.max_event_size = data[0] < 128 ? 0 : data[0] - 127;
    const std::size_t split_at = static_cast<std::size_t>(data[1] | data[2] << 8);
    // Every state and limit is reachable in 512 bytes (the limits are small when asked
    // for); the cut keeps the byte-at-a-time run cheap enough for ctest's fixed run count.
    const std::string_view in(reinterpret_cast<const char*>(data + 3),
                              std::min<std::size_t>(size - 3, 512));
    const std::size_t split = in.empty() ? 0 : split_at % (in.size() + 1);

    const std::string whole = run(in, in.size(), options);
    if (run(in, split, options) != whole)
        fail("split stream decodes differently");
    if (run(in, npos, options) != whole)
        fail("stream fed a byte at a time decodes differently");
    if (options.max_event_size == 0 && whole != reference(in))
        fail("events differ from the reference algorithm");
    return 0;
}
