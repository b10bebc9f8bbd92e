#pragma once

// Test-only multipart/form-data reader: a push parser that is fed the body in pieces of
// any size and gives back the parts, to check what http::multipart_form writes. It is
// written from RFC 2046 / RFC 7578 and shares no code with the writer. It is strict
// about the framing the writer promises: no preamble, no epilogue, no transport padding
// after a boundary, CRLF everywhere, every part with a Content-Disposition of type
// form-data and a quoted name.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imagine_test {

struct multipart_part {
    std::vector<std::pair<std::string, std::string>> headers{}; // as received, in order
    std::string name{};                    // the name parameter, as written (escaped)
    std::optional<std::string> filename{}; // the filename parameter, when present
    std::optional<std::string> content_type{};
    std::string data{};

    friend bool operator==(const multipart_part&, const multipart_part&) = default;
};

class multipart_reader {
public:
    explicit multipart_reader(std::string boundary) : delimiter_("--" + std::move(boundary)) {}

    /// Feeds the next piece; false once the body is known to be malformed.
    bool feed(std::string_view piece)
    {
        if (failed())
            return false;
        buffer_.append(piece);
        run();
        return !failed();
    }

    /// The end of the body: true when it was complete and well formed.
    bool finish()
    {
        if (!failed() && state_ != state::done)
            fail("body ends early");
        return !failed();
    }

    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    bool done() const { return state_ == state::done; }
    const std::vector<multipart_part>& parts() const { return parts_; }

private:
    enum class state { first_boundary, after_boundary, headers, data, done };

    void fail(std::string why)
    {
        if (error_.empty())
            error_ = std::move(why);
    }

    // Processes as much of buffer_ as can be decided on; keeps the undecided rest.
    void run()
    {
        std::size_t pos = 0;
        while (!failed()) {
            const std::string_view rest = std::string_view(buffer_).substr(pos);
            if (state_ == state::first_boundary) {
                // The body starts with the delimiter itself (the CRLF before the first
                // delimiter is optional, and the writer sends none).
                if (rest.size() < delimiter_.size()) {
                    if (delimiter_.compare(0, rest.size(), rest) != 0)
                        fail("body does not start with the delimiter");
                    break;
                }
                if (!rest.starts_with(delimiter_)) {
                    fail("body does not start with the delimiter");
                    break;
                }
                pos += delimiter_.size();
                state_ = state::after_boundary;
            } else if (state_ == state::after_boundary) {
                if (rest.size() < 2)
                    break;
                if (rest.starts_with("\r\n")) {
                    pos += 2;
                    parts_.emplace_back();
                    state_ = state::headers;
                } else if (rest.starts_with("--")) {
                    if (rest.size() < 4)
                        break;
                    if (rest.substr(2, 2) != "\r\n") {
                        fail("close delimiter not followed by CRLF");
                        break;
                    }
                    pos += 4;
                    state_ = state::done;
                } else {
                    fail("delimiter followed by neither CRLF nor \"--\"");
                    break;
                }
            } else if (state_ == state::headers) {
                const auto eol = rest.find("\r\n");
                if (eol == std::string_view::npos) {
                    if (rest.find('\n') != std::string_view::npos)
                        fail("bare LF in the part headers");
                    break;
                }
                const std::string_view line = rest.substr(0, eol);
                pos += eol + 2;
                if (line.empty()) {
                    if (!finish_headers(parts_.back()))
                        break;
                    state_ = state::data;
                    // The delimiter before the next part begins with the CRLF that ends
                    // this part's data.
                    delimiter_with_crlf_ = "\r\n" + delimiter_;
                } else {
                    add_header(parts_.back(), line);
                }
            } else if (state_ == state::data) {
                // Everything up to the delimiter is data; bytes that could still be the
                // start of the delimiter wait for the next piece.
                const auto at = rest.find(delimiter_with_crlf_);
                if (at != std::string_view::npos) {
                    parts_.back().data.append(rest.substr(0, at));
                    pos += at + delimiter_with_crlf_.size();
                    state_ = state::after_boundary;
                    continue;
                }
                const std::size_t keep = std::min(rest.size(), delimiter_with_crlf_.size() - 1);
                parts_.back().data.append(rest.substr(0, rest.size() - keep));
                pos += rest.size() - keep;
                break;
            } else {
                if (!rest.empty())
                    fail("bytes after the close delimiter");
                break;
            }
        }
        buffer_.erase(0, pos);
    }

    void add_header(multipart_part& p, std::string_view line)
    {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            fail("header line without a name");
            return;
        }
        // CR and LF are the framing; every other byte (NUL, non-ASCII) is allowed in a
        // quoted name as browsers send it.
        for (char c : line)
            if (c == '\r' || c == '\n')
                fail("CR or LF in a header line");
        std::string_view value = line.substr(colon + 1);
        while (value.starts_with(" "))
            value.remove_prefix(1);
        p.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }

    static bool equal_lower(std::string_view a, std::string_view b)
    {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            char c = a[i];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            if (c != b[i])
                return false;
        }
        return true;
    }

    // Content-Disposition: form-data; name="..."[; filename="..."]. Quoted values end at
    // the next '"': the writer escapes quotes as %22 (WHATWG), never with a backslash.
    bool finish_headers(multipart_part& p)
    {
        bool disposition = false;
        for (const auto& [name, value] : p.headers) {
            if (equal_lower(name, "content-type")) {
                if (p.content_type) {
                    fail("two Content-Type headers");
                    return false;
                }
                p.content_type = value;
                continue;
            }
            if (!equal_lower(name, "content-disposition"))
                continue;
            if (disposition) {
                fail("two Content-Disposition headers");
                return false;
            }
            disposition = true;
            std::string_view v = value;
            if (!v.starts_with("form-data")) {
                fail("disposition is not form-data");
                return false;
            }
            v.remove_prefix(9);
            bool have_name = false;
            while (!v.empty()) {
                if (!v.starts_with("; ")) {
                    fail("malformed disposition parameters");
                    return false;
                }
                v.remove_prefix(2);
                const auto eq = v.find('=');
                if (eq == std::string_view::npos || v.size() < eq + 2 || v[eq + 1] != '"') {
                    fail("disposition parameter is not name=\"value\"");
                    return false;
                }
                const std::string_view key = v.substr(0, eq);
                const auto close = v.find('"', eq + 2);
                if (close == std::string_view::npos) {
                    fail("unterminated quoted parameter");
                    return false;
                }
                const std::string param(v.substr(eq + 2, close - eq - 2));
                v.remove_prefix(close + 1);
                if (key == "name" && !have_name) {
                    p.name = param;
                    have_name = true;
                } else if (key == "filename" && !p.filename) {
                    p.filename = param;
                } else {
                    fail("unexpected or repeated disposition parameter");
                    return false;
                }
            }
            if (!have_name) {
                fail("disposition without a name");
                return false;
            }
        }
        if (!disposition)
            fail("part without Content-Disposition");
        return !failed();
    }

    std::string delimiter_{};
    std::string delimiter_with_crlf_{};
    std::string buffer_{};
    state state_ = state::first_boundary;
    std::vector<multipart_part> parts_{};
    std::string error_{};
};

/// Parses a whole body at once.
inline multipart_reader read_multipart(std::string_view boundary, std::string_view body)
{
    multipart_reader r{std::string(boundary)};
    r.feed(body);
    r.finish();
    return r;
}

} // namespace imagine_test
