#pragma once

// The lexical half of the reader: a cursor over the text with the error state, and the
// tokens every typed read is built from (strings, numbers, literals, skipping a value).
// Grammar: RFC 8259.
//
// Functions return false on error after recording it with fail(); callers add their path
// segment while the failure unwinds, so the success path does no path bookkeeping.

#include <imagine/json/detail/scan.hpp>
#include <imagine/json/error.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace imagine::json {

struct read_options {
    /// Deepest nesting of arrays and objects accepted; deeper input is an error rather
    /// than a stack overflow.
    std::size_t max_depth = 128;
    /// Reject members a struct does not declare instead of skipping them. Off by default:
    /// the API adds fields, and a client must keep working when it does.
    bool error_on_unknown_keys = false;
};

namespace detail {

struct number_token {
    const char* begin;
    const char* end;
    bool integer;  // no fraction, no exponent
};

class reader {
public:
    reader(std::string_view text, const read_options& options) noexcept
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), options_(options)
    {
    }

    // ------------------------------------------------------------------ cursor
    const char* position() const noexcept { return p_; }
    void rewind(const char* p) noexcept { p_ = p; }
    void rewind(const char* p, std::size_t depth) noexcept
    {
        p_ = p;
        depth_ = depth;
    }
    std::size_t depth() const noexcept { return depth_; }
    bool at_end() const noexcept { return p_ == end_; }
    const read_options& options() const noexcept { return options_; }

    void skip_whitespace() noexcept
    {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
            ++p_;
    }

    /// The next byte, or 0 at the end (0 is never valid there, so it reads as an error).
    char peek() const noexcept { return p_ != end_ ? *p_ : '\0'; }

    bool consume(char c) noexcept
    {
        if (p_ != end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ errors
    bool fail(error code, std::string detail = {})
    {
        code_ = code;
        error_at_ = p_;
        detail_ = std::move(detail);
        return false;
    }

    bool fail_at(const char* at, error code, std::string detail = {})
    {
        fail(code, std::move(detail));
        error_at_ = at;
        return false;
    }

    /// "expected X, found Y", or the syntax error the next byte really is.
    bool fail_expected(const char* what)
    {
        if (p_ == end_)
            return fail(error::unexpected_end, std::string("expected ") + what + ", found end of input");
        return fail(describe_next() == nullptr ? error::syntax_error : error::type_mismatch,
            std::string("expected ") + what + ", found " + found_text());
    }

    bool fail_syntax(const char* expected)
    {
        if (p_ == end_)
            return fail(error::unexpected_end, std::string("expected ") + expected + ", found end of input");
        return fail(error::syntax_error, std::string("expected ") + expected + ", found " + found_text());
    }

    void push_key(std::string_view key)
    {
        bool plain = !key.empty();
        for (char c : key)
            plain = plain && (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                 (c >= '0' && c <= '9'));
        if (plain) {
            path_.push_back("." + std::string(key));
        } else {
            std::string segment = "[\"";
            for (char c : key) {
                if (c == '"' || c == '\\')
                    segment += '\\';
                segment += c;
            }
            path_.push_back(segment + "\"]");
        }
    }

    void push_index(std::size_t i) { path_.push_back("[" + std::to_string(i) + "]"); }

    read_error take_error()
    {
        read_error e;
        e.code = make_error_code(code_);
        e.offset = static_cast<std::size_t>(error_at_ - begin_);
        e.path = "$";
        for (auto it = path_.rbegin(); it != path_.rend(); ++it)
            e.path += *it;
        e.detail = std::move(detail_);
        return e;
    }

    /// Forgets an error (after a failed look-ahead).
    void clear_error() noexcept
    {
        code_ = error{};
        path_.clear();
    }

    // ------------------------------------------------------------------ nesting
    void leave() noexcept { --depth_; }

    /// Opens an array or object: more = false when it is empty (and then already closed).
    bool open(char open, char close, const char* what, bool& more)
    {
        if (!consume(open))
            return fail_expected(what);
        if (++depth_ > options_.max_depth)
            return fail_at(p_ - 1, error::depth_exceeded,
                "nesting deeper than " + std::to_string(options_.max_depth) + " levels");
        skip_whitespace();
        more = !consume(close);
        if (!more)
            leave();
        return true;
    }

    /// After a member or element: true and more = true after ',', more = false after the
    /// closing bracket.
    bool next_in(char close, bool& more)
    {
        skip_whitespace();
        if (consume(',')) {
            skip_whitespace();
            more = true;
            return true;
        }
        if (consume(close)) {
            more = false;
            leave();
            return true;
        }
        return fail_syntax(close == '}' ? "',' or '}'" : "',' or ']'");
    }

    // ------------------------------------------------------------------ literals
    bool literal(std::string_view word)
    {
        if (static_cast<std::size_t>(end_ - p_) >= word.size() &&
            std::memcmp(p_, word.data(), word.size()) == 0) {
            p_ += word.size();
            return true;
        }
        return fail(error::syntax_error, "invalid literal, expected '" + std::string(word) + "'");
    }

    // ------------------------------------------------------------------ strings
    /// Reads a string value (cursor on the opening quote) into out.
    bool string(std::string& out)
    {
        if (!consume('"'))
            return fail_expected("string");
        out.clear();
        return string_body(out);
    }

    /// Reads an object key and the ':' after it. The view points into the text when the
    /// key has no escapes, else into a scratch buffer valid until the next key.
    bool key(std::string_view& out)
    {
        if (!consume('"'))
            return fail_syntax("'\"' to start a member name");
        const char* start = p_;
        const char* stop = find_string_special(p_, end_);
        if (stop != end_ && *stop == '"') {
            out = {start, static_cast<std::size_t>(stop - start)};
            p_ = stop + 1;
        } else {
            scratch_.clear();
            if (!string_body(scratch_))
                return false;
            out = scratch_;
        }
        skip_whitespace();
        if (!consume(':'))
            return fail_syntax("':'");
        skip_whitespace();
        return true;
    }

    /// True if the view from key() lives in the scratch buffer (and so must be copied
    /// before the next key is read).
    bool in_scratch(std::string_view v) const noexcept { return v.data() == scratch_.data(); }

    /// Validates a string without keeping it.
    bool skip_string()
    {
        if (!consume('"'))
            return fail_expected("string");
        return string_body(discard_);
    }

    // ------------------------------------------------------------------ numbers
    /// Validates number grammar: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
    bool number(number_token& t)
    {
        const char* start = p_;
        auto digit = [&] { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; };
        consume('-');
        if (!digit())
            return p_ == end_ && p_ != start ? fail(error::unexpected_end, "number ends early")
                                              : fail_expected("number");
        if (*p_ == '0') {
            ++p_;
            if (digit())
                return fail(error::invalid_number, "leading zero in number");
        } else {
            while (digit())
                ++p_;
        }
        bool integer = true;
        if (consume('.')) {
            integer = false;
            if (!digit())
                return fail(p_ == end_ ? error::unexpected_end : error::invalid_number,
                    "expected digit after '.'");
            while (digit())
                ++p_;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            integer = false;
            ++p_;
            if (!consume('+'))
                consume('-');
            if (!digit())
                return fail(p_ == end_ ? error::unexpected_end : error::invalid_number,
                    "expected digit in exponent");
            while (digit())
                ++p_;
        }
        t = {start, p_, integer};
        return true;
    }

    template <class I>
    bool integer(I& out)
    {
        const char* start = p_;
        number_token t;
        if (!number(t))
            return false;
        if (!t.integer)
            return fail_at(start, error::type_mismatch,
                "expected integer, found number with fraction or exponent");
        bool negative = *t.begin == '-';
        std::uint64_t magnitude = 0;
        for (const char* d = t.begin + negative; d != t.end; ++d) {
            unsigned digit = static_cast<unsigned>(*d - '0');
            if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
                return out_of_range<I>(start);
            magnitude = magnitude * 10 + digit;
        }
        if constexpr (std::is_signed_v<I>) {
            using U = std::make_unsigned_t<I>;
            const std::uint64_t limit = static_cast<U>(std::numeric_limits<I>::max()) + (negative ? 1u : 0u);
            if (magnitude > limit)
                return out_of_range<I>(start);
            // Two's complement wrap is defined for unsigned; the cast back is exact here.
            out = negative ? static_cast<I>(static_cast<U>(0u - magnitude)) : static_cast<I>(magnitude);
        } else {
            if (negative && magnitude != 0)
                return out_of_range<I>(start);
            if (magnitude > std::numeric_limits<I>::max())
                return out_of_range<I>(start);
            out = static_cast<I>(magnitude);
        }
        return true;
    }

    template <class F>
    bool floating(F& out)
    {
        const char* start = p_;
        number_token t;
        if (!number(t))
            return false;
        auto [ptr, ec] = std::from_chars(t.begin, t.end, out);
        if (ec == std::errc::result_out_of_range && decimal_exponent(t) < 0) {
            // Too small to represent: rounds to zero, as RFC 8259 readers do.
            out = *t.begin == '-' ? -F{0} : F{0};
            return true;
        }
        if (ec == std::errc::result_out_of_range)
            return fail_at(start, error::number_out_of_range,
                "number does not fit " + std::string(sizeof(F) == sizeof(float) ? "float" : "double"));
        if (ec != std::errc{} || ptr != t.end)
            return fail_at(start, error::invalid_number);
        return true;
    }

    // ------------------------------------------------------------------ any value
    bool skip_value()
    {
        switch (peek()) {
        case '"': return skip_string();
        case '{': {
            bool more;
            if (!open('{', '}', "object", more))
                return false;
            while (more) {
                std::string_view k;
                if (!key(k) || !skip_value() || !next_in('}', more))
                    return false;
            }
            return true;
        }
        case '[': {
            bool more;
            if (!open('[', ']', "array", more))
                return false;
            while (more)
                if (!skip_value() || !next_in(']', more))
                    return false;
            return true;
        }
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: {
            number_token t;
            return number(t);
        }
        }
    }

    bool at_number() const noexcept
    {
        char c = peek();
        return c == '-' || (c >= '0' && c <= '9');
    }

    /// Power of ten of the first significant digit of a validated number token (only
    /// its sign matters: it tells underflow from overflow). 0 for zero.
    static long long decimal_exponent(const number_token& t) noexcept
    {
        const char* p = t.begin + (*t.begin == '-');
        long long position = 0;  // of the first significant digit, relative to the units
        const char* int_end = p;
        while (int_end != t.end && *int_end >= '0' && *int_end <= '9')
            ++int_end;
        if (!(int_end - p == 1 && *p == '0')) {
            position = int_end - p - 1;
        } else if (int_end != t.end && *int_end == '.') {
            const char* f = int_end + 1;
            while (f != t.end && *f == '0')
                ++f;
            if (f == t.end || *f < '0' || *f > '9')
                return 0;
            position = -(f - int_end);
        } else {
            return 0;
        }
        long long exponent = 0;
        const char* e = int_end;
        while (e != t.end && *e != 'e' && *e != 'E')
            ++e;
        if (e != t.end) {
            ++e;
            bool negative = *e == '-';
            if (*e == '-' || *e == '+')
                ++e;
            for (; e != t.end; ++e)
                exponent = exponent < 1'000'000'000 ? exponent * 10 + (*e - '0') : exponent;
            if (negative)
                exponent = -exponent;
        }
        return position + exponent;
    }

    /// Kind of the value that starts at the cursor, for messages; nullptr if none does.
    const char* describe_next() const noexcept
    {
        switch (peek()) {
        case '"': return "string";
        case '{': return "object";
        case '[': return "array";
        case 't':
        case 'f': return "boolean";
        case 'n': return "null";
        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9': return "number";
        default: return nullptr;
        }
    }

private:
    struct discard_sink {
        void push_back(char) noexcept {}
    };

    template <class I>
    bool out_of_range(const char* start)
    {
        return fail_at(start, error::number_out_of_range,
            "integer out of range [" + std::to_string(std::numeric_limits<I>::min()) + ", " +
                std::to_string(std::numeric_limits<I>::max()) + "]");
    }

    std::string found_text() const
    {
        if (const char* kind = describe_next())
            return kind;
        unsigned char c = static_cast<unsigned char>(*p_);
        if (c >= 0x20 && c < 0x7F)
            return std::string("'") + static_cast<char>(c) + "'";
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", c);
        return std::string("byte ") + hex;
    }

    // Cursor just after the opening quote. Appends the decoded content to out; plain runs
    // are found with the SIMD scan and appended whole.
    template <class Out>
    bool string_body(Out& out)
    {
        for (;;) {
            p_ = scan_and_copy(out, p_);
            if (p_ == end_)
                return fail(error::unexpected_end, "unterminated string");
            const unsigned char c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                ++p_;
                trim(out);
                return true;
            }
            if (c == '\\') {
                if (!escape(out))
                    return false;
            } else if (c < 0x20) {
                return fail(error::control_character,
                    "unescaped control character in string");
            } else {
                std::size_t n = utf8_sequence_length(p_, end_);
                if (n == 0)
                    return fail(error::invalid_utf8, "invalid UTF-8 in string");
                append(out, p_, p_ + n);
                p_ += n;
            }
        }
    }

    // Finds the next special byte from `from` and appends the plain run before it. Long
    // runs (base64 images) go in blocks that fit the L1 cache, each copied while still hot
    // from the scan, into a buffer reserved once: a single pass over memory instead of a
    // scan followed by a copy. The reservation is the rest of the text, an upper bound on
    // the string; an oversized buffer is trimmed at the end.
    const char* scan_and_copy(std::string& out, const char* from)
    {
        constexpr std::size_t block = 16 * 1024;
        if (static_cast<std::size_t>(end_ - from) <= block) {
            const char* stop = find_string_special(from, end_);
            append(out, from, stop);
            return stop;
        }
        const char* stop = find_string_special(from, from + block);
        if (stop != from + block) {
            append(out, from, stop);
            return stop;
        }
        out.reserve(out.size() + static_cast<std::size_t>(end_ - from));
        for (;;) {
            append(out, from, stop);
            from = stop;
            const char* limit = static_cast<std::size_t>(end_ - from) > block ? from + block : end_;
            stop = find_string_special(from, limit);
            if (stop != limit || limit == end_)
                break;
        }
        append(out, from, stop);
        return stop;
    }

    // The reservation above may exceed the string by the rest of the document; give it
    // back once the string is complete (once, not per run: runs between escapes would
    // otherwise reallocate again and again).
    static void trim(std::string& out)
    {
        if (out.capacity() - out.size() > out.size() / 8 + 4096)
            out.shrink_to_fit();
    }
    static void trim(discard_sink&) noexcept {}

    const char* scan_and_copy(discard_sink&, const char* from) noexcept
    {
        return find_string_special(from, end_);
    }

    static void append(std::string& out, const char* from, const char* to)
    {
        out.append(from, static_cast<std::size_t>(to - from));
    }
    static void append(discard_sink&, const char*, const char*) noexcept {}

    bool hex4(std::uint32_t& out)
    {
        out = 0;
        for (int i = 0; i < 4; ++i, ++p_) {
            if (p_ == end_)
                return fail(error::unexpected_end, "\\u escape ends early");
            char c = *p_;
            unsigned v;
            if (c >= '0' && c <= '9')
                v = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v = static_cast<unsigned>(c - 'A' + 10);
            else
                return fail(error::invalid_unicode_escape, "expected 4 hex digits after \\u");
            out = out << 4 | v;
        }
        return true;
    }

    // Cursor on the backslash.
    template <class Out>
    bool escape(Out& out)
    {
        const char* at = p_++;
        if (p_ == end_)
            return fail(error::unexpected_end, "string ends inside an escape");
        char c = *p_++;
        switch (c) {
        case '"': out.push_back('"'); return true;
        case '\\': out.push_back('\\'); return true;
        case '/': out.push_back('/'); return true;
        case 'b': out.push_back('\b'); return true;
        case 'f': out.push_back('\f'); return true;
        case 'n': out.push_back('\n'); return true;
        case 'r': out.push_back('\r'); return true;
        case 't': out.push_back('\t'); return true;
        case 'u': break;
        default: return fail_at(at, error::invalid_escape, "invalid escape sequence");
        }
        std::uint32_t cp;
        if (!hex4(cp))
            return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail_at(at, error::invalid_unicode_escape, "lone low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low;
            if (static_cast<std::size_t>(end_ - p_) < 2 || p_[0] != '\\' || p_[1] != 'u')
                return fail_at(at, error::invalid_unicode_escape,
                    "high surrogate not followed by a low surrogate");
            p_ += 2;
            if (!hex4(low))
                return false;
            if (low < 0xDC00 || low > 0xDFFF)
                return fail_at(at, error::invalid_unicode_escape,
                    "high surrogate not followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        return true;
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    read_options options_;
    std::size_t depth_ = 0;

    error code_{};
    const char* error_at_ = nullptr;
    std::string detail_;
    std::vector<std::string> path_;  // innermost segment first
    std::string scratch_;
    discard_sink discard_;
};

} // namespace detail
} // namespace imagine::json
