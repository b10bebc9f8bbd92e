#pragma once

// An HTTP/1.x response parser that does no I/O: the connection pushes whatever bytes it
// received, in pieces of any size, and the parser tells how many it used. It never uses
// bytes of the next response, so a keep-alive connection hands the rest to the next
// parser run. A line that arrives incomplete is kept until its end arrives, and only the
// new bytes are searched for it, so input fed one byte at a time costs the same as input
// fed whole. Bodies go to a buffer (appended in bulk, reserved once for a known length),
// or piece by piece to a sink; body_window() lets the caller receive straight into the
// buffer instead.
//
// Deliberately strict where leniency would let two parties disagree about where a
// message ends: obs-fold, whitespace before a colon, bare CR, conflicting Content-Length
// values and transfer codings other than chunked are errors, not guesses.

#include <imagine/http/chunked.hpp>
#include <imagine/http/error.hpp>
#include <imagine/http/fields.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::http {

/// Sizes a response may not exceed; each has its own error code.
struct parser_limits {
    /// Status line + header fields, line endings included; separately, the trailer
    /// section of a chunked body. Each 1xx interim head has this budget on its own.
    std::size_t header_limit = 64 * 1024;
    /// Decoded body bytes, buffered or streamed to a sink. UINT64_MAX: no limit.
    std::uint64_t body_limit = 256ull << 20;
    /// The bytes after the size on one chunk-size line (its extensions), without the
    /// line ending.
    std::size_t chunk_extension_limit = 4096;
};

namespace detail {

/// Parses one Content-Length field value into `value`, which may hold the value of an
/// earlier field. A list of equal numbers ("5, 5") is what a proxy that merged two
/// identical fields sends; anything else that differs is an attempt at smuggling.
inline bool merge_content_length(std::string_view list, std::optional<std::uint64_t>& value)
{
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    while (true) {
        const std::size_t comma = list.find(',');
        const std::string_view element = trim_ows(list.substr(0, comma));
        if (element.empty())
            return false;
        std::uint64_t v = 0;
        for (char c : element) {
            if (c < '0' || c > '9')
                return false;
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (v > (max - digit) / 10)
                return false;
            v = v * 10 + digit;
        }
        if (value && *value != v)
            return false;
        value = v;
        if (comma == std::string_view::npos)
            return true;
        list.remove_prefix(comma + 1);
    }
}

/// Checks one Transfer-Encoding field value. The only coding imagine can undo is
/// chunked, and it must come exactly once (and so last) over all fields: `chunked` says
/// whether an earlier field had it. Empty list elements are allowed by the list syntax.
inline bool merge_transfer_encoding(std::string_view list, bool& chunked)
{
    while (true) {
        const std::size_t comma = list.find(',');
        const std::string_view element = trim_ows(list.substr(0, comma));
        if (!element.empty()) {
            if (chunked || !iequals(element, "chunked"))
                return false;
            chunked = true;
        }
        if (comma == std::string_view::npos)
            return true;
        list.remove_prefix(comma + 1);
    }
}

inline std::string_view strip_cr(std::string_view line) noexcept
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

} // namespace detail

/// Parses one HTTP/1.0 or HTTP/1.1 response at a time; reset() readies it for the next
/// one on the same connection. Errors are sticky until reset().
class response_parser {
public:
    /// Receives decoded body bytes (chunk framing removed) in order. Setting `ec` stops
    /// parsing: put() returns that error.
    using body_sink = std::function<void(std::string_view piece, std::error_code& ec)>;

    explicit response_parser(parser_limits limits = {}) : limits_(limits) {}

    /// Readies the parser for the next response on the same connection. The limits and
    /// the sink stay; the HEAD flag is cleared. Large buffers are released rather than
    /// kept for the life of a pooled connection.
    void reset()
    {
        head_request_ = false;
        state_ = state::status_line;
        error_ = {};
        started_ = false;
        header_done_ = false;
        chunked_ = false;
        keep_alive_ = false;
        status_ = 0;
        version_minor_ = 0;
        reason_.clear();
        headers_.clear();
        trailers_.clear();
        content_length_.reset();
        release(body_);
        release(line_);
        body_bytes_ = 0;
        remaining_ = 0;
        size_digits_ = false;
        head_size_ = 0;
        window_ = 0;
        slack_ = 0;
    }

    /// The request was HEAD: the response has no body whatever its headers say.
    void set_head_request(bool head) noexcept { head_request_ = head; }

    /// Streams body pieces to `sink` instead of buffering them; an empty function
    /// buffers. May be set any time before the body, e.g. once the head is known.
    void set_body_sink(body_sink sink) { sink_ = std::move(sink); }

    /// Consumes bytes of the response and returns how many. Stops at the end of the
    /// message (the rest belongs to the next response) and, once, right after the final
    /// head so the caller can look at it before any body byte is delivered. 1xx interim
    /// responses other than 101 are consumed and forgotten. On error the count covers
    /// the bytes used before it, and the parser keeps failing with the same code until
    /// reset().
    std::size_t put(std::string_view bytes, std::error_code& ec)
    {
        drop_window();
        ec = error_;
        if (error_ || state_ == state::done || bytes.empty())
            return 0;
        started_ = true;
        const char* const begin = bytes.data();
        const char* p = begin;
        const char* const end = begin + bytes.size();
        while (p != end && !error_ && state_ != state::done) {
            switch (state_) {
            case state::status_line:
            case state::fields:
                if (parse_head(p, end))
                    return finish_put(begin, p, ec); // the first look at the head
                break;
            case state::body_length: {
                const auto n = static_cast<std::size_t>(
                    std::min<std::uint64_t>(remaining_, static_cast<std::size_t>(end - p)));
                reserve_length_body();
                deliver(p, n);
                p += n;
                break;
            }
            case state::body_eof: {
                const std::uint64_t room = limits_.body_limit - body_bytes_;
                const auto n = static_cast<std::size_t>(
                    std::min<std::uint64_t>(room, static_cast<std::size_t>(end - p)));
                deliver(p, n);
                p += n;
                // Delivering exactly up to the limit keeps the result the same however the
                // input was split.
                if (p != end && !error_)
                    fail(error::body_limit_exceeded);
                break;
            }
            default:
                parse_chunked(p, end);
                break;
            }
        }
        return finish_put(begin, p, ec);
    }

    /// The peer closed the connection. Completes a body delimited by the close; inside a
    /// head or a chunked body it is premature_end, inside a Content-Length body
    /// length_mismatch. Nothing happens once done().
    void put_eof(std::error_code& ec)
    {
        drop_window();
        if (!error_) {
            if (state_ == state::body_eof)
                state_ = state::done;
            else if (state_ == state::body_length)
                fail(error::length_mismatch);
            else if (state_ != state::done)
                fail(error::premature_end);
        }
        ec = error_;
    }

    /// True once any byte of this response (an interim 1xx included) was consumed: an
    /// end of stream before that is a close, not a truncated response.
    bool started() const noexcept { return started_; }
    /// The final (non-1xx) head is complete: status, headers and framing are known.
    bool header_done() const noexcept { return header_done_; }
    /// The whole response, trailers included, is complete.
    bool done() const noexcept { return state_ == state::done; }

    unsigned status() const noexcept { return status_; }
    std::string_view reason() const noexcept { return reason_; }
    /// HTTP/1.0 -> 0, HTTP/1.1 -> 1.
    unsigned version_minor() const noexcept { return version_minor_; }
    const fields& headers() const noexcept { return headers_; }
    /// Fields of a chunked body's trailer section.
    const fields& trailers() const noexcept { return trailers_; }

    /// The body is framed by the chunked coding (false for responses without a body).
    bool chunked() const noexcept { return chunked_; }
    /// The Content-Length, when present and not overridden by Transfer-Encoding; also for
    /// HEAD and 304 responses, whose body it describes without framing one.
    std::optional<std::uint64_t> content_length() const noexcept { return content_length_; }

    /// The connection can carry another response after this one: HTTP/1.1 without
    /// "Connection: close" or HTTP/1.0 with "keep-alive", a body not delimited by the
    /// close, and framing no intermediary could read differently. Known at header_done().
    bool keep_alive() const noexcept { return keep_alive_; }

    /// The buffered body (no sink); may be moved from. Closes an open body_window().
    std::string& body() noexcept
    {
        drop_window();
        return body_;
    }
    /// Decoded body bytes so far, buffered or streamed.
    std::uint64_t body_bytes() const noexcept { return body_bytes_; }

    /// For receiving a buffered body without a copy: inside a Content-Length body or a
    /// chunk's data, with no sink, a writable region at the end of body() of
    /// min(max, bytes left in that body or chunk) bytes; empty otherwise. Write into it,
    /// then commit_body(). Any other call before that abandons the window.
    std::span<char> body_window(std::size_t max)
    {
        // The bytes of an earlier window that no read filled stay behind the body as
        // slack and are lent out again: a window is zero-filled once, not once per read.
        slack_ += window_;
        window_ = 0;
        if (error_ || sink_ || max == 0 ||
            (state_ != state::body_length && state_ != state::chunk_data)) {
            drop_window();
            return {};
        }
        reserve_length_body();
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(max, remaining_));
        const std::size_t end = body_.size() - slack_;
        if (slack_ < n)
            body_.resize(end + n);
        window_ = n;
        slack_ = body_.size() - end - n;
        return {body_.data() + end, n};
    }

    /// Takes the first `n` bytes written into the last body_window() (n is at most its
    /// size) as body, exactly as put() of those bytes would.
    void commit_body(std::size_t n, std::error_code& ec)
    {
        n = std::min(n, window_);
        slack_ += window_ - n;
        window_ = 0;
        if (!error_ && n != 0) {
            started_ = true;
            advance_body(n);
        }
        if (error_ || (state_ != state::body_length && state_ != state::chunk_data))
            drop_window(); // the body is exact once it leaves a body state
        ec = error_;
    }

private:
    enum class state : unsigned char {
        status_line,
        fields,
        body_length,   // remaining_ bytes of a Content-Length body left
        body_eof,      // body until the connection closes
        chunk_size,    // hex digits, value in remaining_
        chunk_ext,     // rest of the chunk-size line, buffered in line_
        chunk_data,    // remaining_ bytes of the chunk left
        chunk_data_cr, // the CRLF after chunk data
        chunk_data_lf,
        trailers,
        done,
    };

    enum class line_status { incomplete, complete, too_long };

    // Above this, a buffer is freed by reset() instead of kept for the next response.
    static constexpr std::size_t keep_capacity = 64 * 1024;
    // A larger Content-Length is believed only as far as the bytes really arrive.
    static constexpr std::uint64_t max_reserve = std::uint64_t{1} << 30;

    static void release(std::string& s) noexcept
    {
        if (s.capacity() > keep_capacity)
            std::string().swap(s);
        else
            s.clear();
    }

    void fail(std::error_code ec) noexcept
    {
        if (!error_)
            error_ = ec;
    }

    std::size_t finish_put(const char* begin, const char* p, std::error_code& ec) const noexcept
    {
        ec = error_;
        return static_cast<std::size_t>(p - begin);
    }

    void drop_window() noexcept
    {
        if (window_ + slack_ != 0) {
            body_.resize(body_.size() - window_ - slack_);
            window_ = 0;
            slack_ = 0;
        }
    }

    // Finds the end of the current line. Only [p, end) is searched: line_ holds the
    // beginning of the line, already known to have no LF. `max` bounds the whole line
    // with its LF; an unfinished line that already fills it cannot fit. A complete line
    // is returned without its LF, and views the input when it was not split.
    line_status next_line(const char*& p, const char* end, std::size_t max, std::string_view& line)
    {
        const auto avail = static_cast<std::size_t>(end - p);
        const void* lf = std::memchr(p, '\n', avail);
        if (lf == nullptr) {
            if (line_.size() + avail >= max)
                return line_status::too_long;
            line_.append(p, avail);
            p = end;
            return line_status::incomplete;
        }
        const auto n = static_cast<std::size_t>(static_cast<const char*>(lf) - p);
        if (line_.size() + n + 1 > max)
            return line_status::too_long;
        if (line_.empty()) {
            line = std::string_view(p, n);
        } else {
            line_.append(p, n);
            line = line_;
        }
        p += n + 1;
        return line_status::complete;
    }

    // Reads one line of the status line / header section (or trailer section, whose
    // fields go to `out`). Returns the line when complete; sets the error when too long.
    bool section_line(const char*& p, const char* end, std::string_view& line)
    {
        switch (next_line(p, end, limits_.header_limit - head_size_, line)) {
        case line_status::too_long:
            fail(error::header_limit_exceeded);
            return false;
        case line_status::incomplete:
            return false;
        case line_status::complete:
            head_size_ += line.size() + 1;
            return true;
        }
        return false;
    }

    // Status line and header fields. Returns true when the final head just completed.
    bool parse_head(const char*& p, const char* end)
    {
        std::string_view line;
        if (!section_line(p, end, line))
            return false;
        line = detail::strip_cr(line);
        bool final_head = false;
        if (state_ == state::status_line) {
            parse_status_line(line);
            state_ = state::fields;
        } else if (line.empty()) {
            final_head = finish_head();
        } else {
            parse_field(line, headers_);
        }
        line_.clear();
        return final_head && !error_;
    }

    // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); the
    // space before an empty reason may be missing, as some servers send it.
    void parse_status_line(std::string_view line)
    {
        constexpr std::string_view prefix = "HTTP/";
        if (line.substr(0, prefix.size()) != prefix)
            return fail(error::bad_status_line);
        line.remove_prefix(prefix.size());
        const std::size_t space = line.find(' ');
        const std::string_view version = line.substr(0, space);
        if (version != "1.1" && version != "1.0")
            return fail(error::bad_version);
        if (space == std::string_view::npos)
            return fail(error::bad_status_line);
        version_minor_ = static_cast<unsigned>(version[2] - '0');
        line.remove_prefix(space + 1);
        if (line.size() < 3 || (line.size() > 3 && line[3] != ' '))
            return fail(error::bad_status_line);
        unsigned code = 0;
        for (char c : line.substr(0, 3)) {
            if (c < '0' || c > '9')
                return fail(error::bad_status_line);
            code = code * 10 + static_cast<unsigned>(c - '0');
        }
        if (code < 100 || code > 599)
            return fail(error::bad_status_line);
        const std::string_view reason = line.substr(std::min<std::size_t>(line.size(), 4));
        if (!detail::is_field_value(reason))
            return fail(error::bad_status_line);
        status_ = code;
        reason_.assign(reason);
    }

    // field-line = field-name ":" OWS field-value OWS (RFC 9112 §5).
    void parse_field(std::string_view line, fields& out)
    {
        // A leading space is obs-fold (or junk between status line and fields): both
        // are rejected by RFC 9112 §5.2 and §2.2 for a client that does not repair them.
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !detail::is_token(line.substr(0, colon)))
            return fail(error::bad_header);
        const std::string_view value = detail::trim_ows(line.substr(colon + 1));
        if (!detail::is_field_value(value))
            return fail(error::bad_header);
        out.add(line.substr(0, colon), value);
    }

    // The empty line after the fields: decides how the body is framed. Returns true for
    // the final head; a 1xx interim head is dropped and parsing starts again.
    bool finish_head()
    {
        if (status_ / 100 == 1 && status_ != 101) {
            status_ = 0;
            reason_.clear();
            headers_.clear();
            head_size_ = 0;
            state_ = state::status_line;
            return false;
        }
        std::optional<std::uint64_t> length;
        bool has_length = false;
        bool has_te = false;
        bool te_chunked = false;
        bool close = false;
        bool keep_alive_token = false;
        for (const fields::field& f : headers_) {
            if (iequals(f.name, "content-length")) {
                has_length = true;
                if (!detail::merge_content_length(f.value, length))
                    fail(error::bad_content_length);
            } else if (iequals(f.name, "transfer-encoding")) {
                has_te = true;
                if (!detail::merge_transfer_encoding(f.value, te_chunked))
                    fail(error::bad_transfer_encoding);
            } else if (iequals(f.name, "connection")) {
                close = close || has_token(f.value, "close");
                keep_alive_token = keep_alive_token || has_token(f.value, "keep-alive");
            }
        }
        if (has_te && !te_chunked)
            fail(error::bad_transfer_encoding); // only empty elements
        if (error_)
            return false;
        header_done_ = true;
        if (!has_te)
            content_length_ = length;

        keep_alive_ = version_minor_ == 1 ? !close : keep_alive_token && !close;
        // A message with both framings is how request smuggling starts, and an HTTP/1.0
        // peer cannot have meant chunked: the next response on this connection could
        // start anywhere (RFC 9112 §6.1).
        if ((has_te && has_length) || (has_te && version_minor_ == 0) || status_ == 101)
            keep_alive_ = false;

        if (head_request_ || status_ / 100 == 1 || status_ == 204 || status_ == 304) {
            state_ = state::done;
        } else if (has_te) {
            chunked_ = true;
            start_chunk();
        } else if (length) {
            if (*length > limits_.body_limit)
                fail(error::body_limit_exceeded);
            remaining_ = *length;
            state_ = *length == 0 ? state::done : state::body_length;
        } else {
            keep_alive_ = false;
            state_ = state::body_eof;
        }
        return true;
    }

    void start_chunk() noexcept
    {
        state_ = state::chunk_size;
        remaining_ = 0;
        size_digits_ = false;
    }

    // Reserves a whole Content-Length body once, before its first byte, so that appending
    // the pieces never moves it.
    void reserve_length_body()
    {
        if (state_ != state::body_length || sink_)
            return;
        const std::uint64_t want = std::min(remaining_, max_reserve);
        const std::size_t end = body_.size() - slack_ - window_; // slack is not body
        if (body_.capacity() - end < want)
            body_.reserve(end + static_cast<std::size_t>(want));
    }

    void deliver(const char* p, std::size_t n)
    {
        if (n == 0)
            return;
        if (sink_) {
            std::error_code ec;
            sink_(std::string_view(p, n), ec);
            if (ec)
                fail(ec);
        } else {
            body_.append(p, n);
        }
        advance_body(n);
    }

    // Counts n body bytes that are now in place and moves to what follows them.
    void advance_body(std::size_t n) noexcept
    {
        body_bytes_ += n;
        if (state_ == state::body_eof)
            return;
        remaining_ -= n;
        if (remaining_ == 0)
            state_ = state_ == state::body_length ? state::done : state::chunk_data_cr;
    }

    // The chunked transfer coding, RFC 9112 §7.1:
    //
    //   chunked-body   = *chunk last-chunk trailer-section CRLF
    //   chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    //   chunk-size     = 1*HEXDIG
    //   last-chunk     = 1*("0") [ chunk-ext ] CRLF
    //   chunk-data     = 1*OCTET ; a sequence of chunk-size octets
    //   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
    //   chunk-ext-name = token
    //   chunk-ext-val  = token / quoted-string
    //   trailer-section = *( field-line CRLF )
    //
    // The size is read digit by digit (leading zeros cost nothing); the rest of the line
    // is kept whole, within chunk_extension_limit, and checked once complete (see
    // chunked.hpp). Chunk data goes out in one piece per call. Like every line, CRLF
    // may be a bare LF.
    void parse_chunked(const char*& p, const char* end)
    {
        switch (state_) {
        case state::chunk_size: {
            constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
            for (; p != end; ++p) {
                const int digit = detail::hex_digit(*p);
                if (digit < 0)
                    break;
                if (remaining_ > (max >> 4))
                    return fail(error::bad_chunk);
                remaining_ = remaining_ << 4 | static_cast<std::uint64_t>(digit);
                size_digits_ = true;
            }
            if (p != end && !size_digits_)
                fail(error::bad_chunk);
            else if (p != end)
                state_ = state::chunk_ext; // the rest of the line starts at *p
            return;
        }
        case state::chunk_ext: {
            const std::size_t limit = limits_.chunk_extension_limit;
            // Room for the CRLF: too_long then means the extensions alone exceed the limit.
            constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();
            const std::size_t max = limit > size_max - 2 ? size_max : limit + 2;
            std::string_view line;
            const line_status status = next_line(p, end, max, line);
            if (status == line_status::too_long)
                return fail(error::chunk_extension_limit_exceeded);
            if (status == line_status::incomplete)
                return;
            line = detail::strip_cr(line);
            if (line.size() > limit)
                fail(error::chunk_extension_limit_exceeded);
            else if (!detail::valid_chunk_extensions(line))
                fail(error::bad_chunk);
            line_.clear();
            if (error_)
                return;
            if (remaining_ == 0) {
                state_ = state::trailers;
                head_size_ = 0;
            } else if (remaining_ > limits_.body_limit - body_bytes_) {
                // Known before the first byte of the chunk: stop here rather than read it.
                fail(error::body_limit_exceeded);
            } else {
                state_ = state::chunk_data;
            }
            return;
        }
        case state::chunk_data: {
            const auto n = static_cast<std::size_t>(
                std::min<std::uint64_t>(remaining_, static_cast<std::size_t>(end - p)));
            deliver(p, n);
            p += n;
            return;
        }
        case state::chunk_data_cr:
        case state::chunk_data_lf: {
            const char c = *p++;
            if (c == '\r' && state_ == state::chunk_data_cr)
                state_ = state::chunk_data_lf;
            else if (c == '\n')
                start_chunk();
            else
                fail(error::bad_chunk);
            return;
        }
        case state::trailers: {
            std::string_view line;
            if (!section_line(p, end, line))
                return;
            line = detail::strip_cr(line);
            if (line.empty())
                state_ = state::done;
            else
                parse_field(line, trailers_);
            line_.clear();
            return;
        }
        default:
            return;
        }
    }

    parser_limits limits_{};
    body_sink sink_{};
    bool head_request_ = false;
    state state_ = state::status_line;
    std::error_code error_{};
    bool started_ = false;
    bool header_done_ = false;
    bool chunked_ = false;
    bool keep_alive_ = false;
    bool size_digits_ = false; // the chunk-size line has a digit
    unsigned status_ = 0;
    unsigned version_minor_ = 0;
    std::string reason_{};
    fields headers_{};
    fields trailers_{};
    std::optional<std::uint64_t> content_length_{};
    std::string body_{};
    std::uint64_t body_bytes_ = 0;
    std::uint64_t remaining_ = 0; // see state
    std::size_t head_size_ = 0;   // complete lines of the current head or trailer section
    std::string line_{};          // the beginning of an unfinished line
    std::size_t window_ = 0;      // bytes of body_ lent out by body_window()
    std::size_t slack_ = 0;       // spare bytes after the window (or the body), reused
};

} // namespace imagine::http
