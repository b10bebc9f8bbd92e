#pragma once

// multipart/form-data request bodies (RFC 7578), written while they are sent: files on
// disk are read piece by piece straight into the sender's buffer, and the total length is
// known before the first byte (Content-Length).
//
//   http::multipart_form form;
//   form.add_field("model", "gpt-image-1");
//   form.add_file("image[]", "/tmp/cat.png", "cat.png", "image/png");  // throws on error
//   form.add_file_data("mask", "mask.png", "image/png", std::move(png_bytes));
//   request.body = form.source();
//   request.headers.set("Content-Type", form.content_type());
//
// The body is, for each part,
//
//   "--" boundary CRLF
//   "Content-Disposition: form-data; name=\"<name>\"[; filename=\"<filename>\"]" CRLF
//   ["Content-Type: <media type>" CRLF]           (file parts only)
//   CRLF
//   <data> CRLF
//
// followed by "--" boundary "--" CRLF (also when there is no part). Names and filenames
// are escaped as browsers do (WHATWG HTML, "multipart/form-data encoding algorithm"):
// '"' -> "%22", CR -> "%0D", LF -> "%0A"; no other byte changes, so a header line can
// never end early and a quote can never close the value. '%' itself is not escaped,
// exactly as in browsers, so "%22" in a name reads back as a quote on the server.

#include <imagine/http/body.hpp>
#include <imagine/http/error.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace imagine::http {
namespace detail {

/// RFC 2046 bchars: digits, letters and '()+_,-./:=? plus space.
inline bool is_boundary_char(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

inline bool is_valid_boundary(std::string_view b) noexcept
{
    return !b.empty() && b.size() <= 70 && b.back() != ' ' &&
           std::all_of(b.begin(), b.end(), is_boundary_char);
}

/// RFC 9110 tchar.
inline bool is_token_char(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// "type/subtype" followed by any number of `;` parameters (token=token or
/// token=quoted-string; empty ones allowed, as RFC 9110 section 5.6.6 does). No CR, LF or
/// other controls anywhere.
inline bool is_valid_media_type(std::string_view text) noexcept
{
    std::size_t i = 0;
    const auto token = [&] {
        const std::size_t start = i;
        while (i < text.size() && is_token_char(text[i]))
            ++i;
        return i > start;
    };
    const auto skip_ows = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
            ++i;
    };
    if (!token() || i == text.size() || text[i++] != '/' || !token())
        return false;
    while (true) {
        skip_ows();
        if (i == text.size())
            return text.back() != ' ' && text.back() != '\t'; // receivers would trim it
        if (text[i++] != ';')
            return false;
        skip_ows();
        if (i == text.size() || text[i] == ';')
            continue;
        if (!token() || i == text.size() || text[i++] != '=')
            return false;
        if (i < text.size() && text[i] == '"') {
            for (++i;; ++i) {
                if (i == text.size())
                    return false;
                const auto c = static_cast<unsigned char>(text[i]);
                if (c == '"')
                    break;
                if (c == '\\' && ++i == text.size())
                    return false;
                const auto q = static_cast<unsigned char>(text[i]);
                if ((q < 0x20 && q != '\t') || q == 0x7f)
                    return false;
            }
            ++i;
        } else if (!token()) {
            return false;
        }
    }
}

/// WHATWG form-data name escaping: '"' -> %22, CR -> %0D, LF -> %0A.
inline std::string escape_disposition_value(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    for (char c : in) {
        if (c == '"')
            out += "%22";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out;
}

/// "imagine-" + 32 hex digits from 16 bytes of OpenSSL's CSPRNG. 128 random bits make a
/// collision with the contents of a file (which are never searched) as unlikely as
/// guessing a random AES key; in-memory parts are searched and the boundary replaced.
inline std::string random_boundary()
{
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("imagine: RAND_bytes failed to make a multipart boundary");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "imagine-";
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

/// One run of body bytes: from memory (`bytes` set) or from the file at `path`.
struct multipart_segment {
    std::shared_ptr<const std::string> bytes{};
    std::filesystem::path path{};
    std::uint64_t size = 0;
};

/// Reads the segments one after the other; a file is opened when its turn comes and read
/// unbuffered straight into the caller's span.
class multipart_source final : public body_source {
public:
    multipart_source(std::vector<multipart_segment> segments, std::uint64_t size)
        : segments_(std::move(segments)), size_(size)
    {
    }

    std::uint64_t size() const override { return size_; }

    void rewind(std::error_code& ec) override
    {
        close();
        index_ = 0;
        offset_ = 0;
        error_.clear();
        ec.clear();
    }

    std::size_t read(std::span<char> out, std::error_code& ec) override
    {
        // An error sticks until rewind(): half a part must not be followed by the rest.
        ec = error_;
        std::size_t written = 0;
        while (!ec && written < out.size() && index_ < segments_.size()) {
            const multipart_segment& s = segments_[index_];
            const std::uint64_t left = s.size - offset_;
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(left, out.size() - written));
            std::size_t got = want;
            if (s.bytes)
                std::memcpy(out.data() + written, s.bytes->data() + offset_, want);
            else
                got = read_file(s, out.subspan(written, want), ec);
            written += got;
            offset_ += got;
            if (!ec && offset_ == s.size) {
                if (!s.bytes)
                    finish_file(ec);
                ++index_;
                offset_ = 0;
            }
        }
        error_ = ec;
        return ec ? 0 : written;
    }

    ~multipart_source() override { close(); }
    multipart_source(const multipart_source&) = delete;
    multipart_source& operator=(const multipart_source&) = delete;

private:
    std::size_t read_file(const multipart_segment& s, std::span<char> out, std::error_code& ec)
    {
        if (!file_) {
            std::error_code size_ec;
            const auto now = std::filesystem::file_size(s.path, size_ec);
            if (size_ec) {
                ec = size_ec;
                return 0;
            }
            if (now != s.size) {
                ec = error::body_size_changed;
                return 0;
            }
            errno = 0;
            file_ = std::fopen(s.path.string().c_str(), "rb");
            if (!file_) {
                ec = std::error_code(errno ? errno : EIO, std::generic_category());
                return 0;
            }
            // Unbuffered: fread then reads into `out` directly, one read(2) per call for
            // large spans, instead of going through a 4 KiB stdio buffer.
            std::setvbuf(file_, nullptr, _IONBF, 0);
        }
        std::size_t got = 0;
        while (got < out.size()) {
            errno = 0;
            const std::size_t n = std::fread(out.data() + got, 1, out.size() - got, file_);
            got += n;
            if (n == 0) {
                // End of file before the measured size: the file shrank.
                ec = std::ferror(file_)
                         ? std::error_code(errno ? errno : EIO, std::generic_category())
                         : make_error_code(error::body_size_changed);
                return got;
            }
        }
        return got;
    }

    // The file must end exactly where its measured size does.
    void finish_file(std::error_code& ec)
    {
        if (std::fgetc(file_) != EOF)
            ec = error::body_size_changed;
        close();
    }

    void close() noexcept
    {
        if (file_)
            std::fclose(file_);
        file_ = nullptr;
    }

    std::vector<multipart_segment> segments_{};
    std::uint64_t size_ = 0;
    std::size_t index_ = 0;
    std::uint64_t offset_ = 0;
    std::FILE* file_ = nullptr;
    std::error_code error_{};
};

} // namespace detail

/// A multipart/form-data body under construction. Parts keep the order they were added
/// in. The form can be changed after source() was called; sources made earlier keep the
/// parts they were made with.
class multipart_form {
public:
    /// A random boundary: "imagine-" + 32 hex digits (128 bits from RAND_bytes).
    multipart_form() : boundary_(detail::random_boundary()), random_(true)
    {
        size_ = closing_size();
    }

    /// A fixed boundary (tests): 1-70 RFC 2046 characters, not ending in a space; throws
    /// std::invalid_argument otherwise. Adding an in-memory part whose data contains the
    /// delimiter "--<boundary>" throws std::invalid_argument too.
    explicit multipart_form(std::string boundary) : boundary_(std::move(boundary))
    {
        if (!detail::is_valid_boundary(boundary_))
            throw std::invalid_argument("imagine: invalid multipart boundary (1-70 RFC 2046 "
                                        "characters, not ending in a space)");
        size_ = closing_size();
    }

    /// A text field (no Content-Type header).
    void add_field(std::string_view name, std::string_view value)
    {
        add_memory_part(name, disposition(name, nullptr, {}), std::string(value));
    }

    /// A file from memory. `content_type` must be a media type ("image/png"), empty for
    /// "application/octet-stream"; otherwise std::invalid_argument naming the part.
    /// (Not an add_file overload: with a string_view for `data`, overload resolution would
    /// silently pick the disk version and take the file name for a path.)
    void add_file_data(std::string_view name, std::string_view filename,
                       std::string_view content_type, std::string data)
    {
        add_memory_part(name, disposition(name, &filename, content_type), std::move(data));
    }

    /// A file streamed from disk when the body is sent. Its size is taken now; it must be
    /// a regular, readable file (else `ec`: the OS error, std::errc::is_a_directory or
    /// std::errc::not_supported for other kinds). An empty `filename` sends the path's
    /// last component. An invalid content type throws as above.
    void add_file(std::string_view name, const std::filesystem::path& path,
                  std::string_view filename, std::string_view content_type, std::error_code& ec)
    {
        const std::string fallback = filename.empty() ? path.filename().string() : std::string();
        const std::string_view shown = filename.empty() ? std::string_view(fallback) : filename;
        std::string head = disposition(name, &shown, content_type);
        const auto status = std::filesystem::status(path, ec);
        if (ec)
            return;
        if (status.type() == std::filesystem::file_type::directory) {
            ec = std::make_error_code(std::errc::is_a_directory);
            return;
        }
        if (status.type() != std::filesystem::file_type::regular) {
            ec = std::make_error_code(std::errc::not_supported);
            return;
        }
        // Open once now so that an unreadable file fails here, not halfway through sending.
        errno = 0;
        std::FILE* probe = std::fopen(path.string().c_str(), "rb");
        if (!probe) {
            ec = std::error_code(errno ? errno : EIO, std::generic_category());
            return;
        }
        std::fclose(probe);
        const std::uint64_t file_size = std::filesystem::file_size(path, ec);
        if (ec)
            return;
        add_part(part{std::move(head), nullptr, path, file_size});
        keep_boundary_clear();
    }

    /// As above; throws std::system_error whose message names the path.
    void add_file(std::string_view name, const std::filesystem::path& path,
                  std::string_view filename, std::string_view content_type)
    {
        std::error_code ec;
        add_file(name, path, filename, content_type, ec);
        if (ec)
            throw std::system_error(ec, "imagine: multipart file \"" + path.string() + "\"");
    }

    const std::string& boundary() const noexcept { return boundary_; }

    /// "multipart/form-data; boundary=<b>", the boundary quoted when it holds characters
    /// that are not token characters (space, '(', ')', ',', '/', ':', '=', '?').
    std::string content_type() const
    {
        const bool quote = !std::all_of(boundary_.begin(), boundary_.end(), detail::is_token_char);
        return "multipart/form-data; boundary=" + (quote ? "\"" + boundary_ + "\"" : boundary_);
    }

    /// Exact length of the body in bytes.
    std::uint64_t size() const noexcept { return size_; }

    std::size_t part_count() const noexcept { return parts_.size(); }

    /// A new reader over the whole body, independent of every other one. rewind() starts
    /// it again (files are reopened). A file whose size differs from the one measured by
    /// add_file gives error::body_size_changed; a file that cannot be opened any more, the
    /// OS error. A read() that fails returns 0 (whatever it copied before the error is not
    /// counted), and so does every read() after it until rewind(). An empty span reads
    /// nothing and returns 0.
    std::shared_ptr<body_source> source() const
    {
        std::vector<detail::multipart_segment> segments;
        std::string pending;
        const auto flush = [&] {
            const std::uint64_t n = pending.size();
            segments.push_back({std::make_shared<const std::string>(std::move(pending)), {}, n});
            pending.clear();
        };
        for (const part& p : parts_) {
            pending += "--" + boundary_ + "\r\n" + p.head + "\r\n";
            // Empty files too: a file that grew since add_file must be noticed.
            if (p.size != 0 || !p.data) {
                flush();
                segments.push_back({p.data, p.path, p.size});
            }
            pending += "\r\n";
        }
        pending += "--" + boundary_ + "--\r\n";
        flush();
        return std::make_shared<detail::multipart_source>(std::move(segments), size_);
    }

    /// The whole body in memory (tests, small forms); on error `ec` and "".
    std::string to_string(std::error_code& ec) const
    {
        std::string out(static_cast<std::size_t>(size_), '\0');
        const auto reader = source();
        std::size_t at = 0;
        ec.clear();
        while (at < out.size()) {
            const std::size_t n = reader->read(std::span<char>(out).subspan(at), ec);
            if (ec)
                return {};
            if (n == 0)
                break;
            at += n;
        }
        if (at != out.size()) {
            ec = error::body_size_changed;
            return {};
        }
        return out;
    }

private:
    struct part {
        std::string head{};                        // header lines, each ending in CRLF
        std::shared_ptr<const std::string> data{}; // in memory; null for a file
        std::filesystem::path path{};              // the file, when data is null
        std::uint64_t size = 0;
    };

    static std::string disposition(std::string_view name, const std::string_view* filename,
                                   std::string_view content_type)
    {
        std::string head = "Content-Disposition: form-data; name=\"" +
                           detail::escape_disposition_value(name) + "\"";
        if (!filename)
            return head + "\r\n";
        if (content_type.empty())
            content_type = "application/octet-stream";
        if (!detail::is_valid_media_type(content_type))
            throw std::invalid_argument("imagine: multipart part \"" +
                                        detail::escape_disposition_value(name) +
                                        "\": invalid content type");
        return head + "; filename=\"" + detail::escape_disposition_value(*filename) +
               "\"\r\nContent-Type: " + std::string(content_type) + "\r\n";
    }

    std::uint64_t closing_size() const noexcept { return boundary_.size() + 6; }

    static std::uint64_t part_size(const part& p, std::size_t boundary_size) noexcept
    {
        // "--" b CRLF head CRLF data CRLF
        return 2 + boundary_size + 2 + p.head.size() + 2 + p.size + 2;
    }

    // True when `data` holds the delimiter: "--boundary" at its start (it follows a CRLF)
    // or after a CRLF inside it.
    bool holds_delimiter(std::string_view data) const
    {
        const std::string delimiter = "--" + boundary_;
        return data.starts_with(delimiter) ||
               data.find("\r\n" + delimiter) != std::string_view::npos;
    }

    void add_memory_part(std::string_view name, std::string head, std::string data)
    {
        if (!random_ && holds_delimiter(data))
            throw std::invalid_argument("imagine: multipart part \"" +
                                        detail::escape_disposition_value(name) +
                                        "\" contains the boundary delimiter");
        const std::uint64_t n = data.size();
        add_part(
            part{std::move(head), std::make_shared<const std::string>(std::move(data)), {}, n});
        keep_boundary_clear();
    }

    // A random boundary must not occur in any in-memory bytes (headers included): if it
    // does, a new one is drawn and every part checked again. Stricter than needed (the
    // boundary anywhere, not only as a delimiter), which costs nothing with 128 random
    // bits. The length stays the same, so size_ does too.
    void keep_boundary_clear()
    {
        if (!random_ || parts_.empty())
            return;
        const auto clashes = [this](const part& p) {
            return p.head.find(boundary_) != std::string::npos ||
                   (p.data && p.data->find(boundary_) != std::string::npos);
        };
        // Earlier parts were clear of the current boundary: only the newest is searched,
        // unless a new boundary has to be drawn.
        if (!clashes(parts_.back()))
            return;
        do
            boundary_ = detail::random_boundary();
        while (std::any_of(parts_.begin(), parts_.end(), clashes));
    }

    void add_part(part p)
    {
        size_ += part_size(p, boundary_.size());
        parts_.push_back(std::move(p));
    }

    std::string boundary_{};
    bool random_ = false;
    std::vector<part> parts_{};
    std::uint64_t size_ = 0;
};

} // namespace imagine::http
